# Two commands a newcomer needs (see README):
#   make run   installs what is needed, builds data/observatory.duckdb if missing, serves 127.0.0.1:8501
#              (dashboard/serve.py: the app with Streamlit's static JavaScript sent gzip-compressed)
#   make test  installs what is needed (Python packages, Chromium) and runs every test
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint db bench dsa-bench runtime-deps system-deps java-deps clean-db backup restore health

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Chromium renders PNG/PDF exports (kaleido) and DejaVu is the exports' font: what the dashboard needs.
runtime-deps:
	@if ! command -v chromium >/dev/null 2>&1 || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

# Tests also read PDFs (poppler-utils) and decode the briefings' QR codes (zbar-tools).
system-deps: runtime-deps java-deps
	@if ! command -v pdftotext >/dev/null 2>&1 || ! command -v zbarimg >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils zbar-tools >/dev/null; \
	fi

# The DSA Spark job's tests run pyspark in local mode: it needs a Java 17+ runtime (Debian: openjdk-17-jre-headless).
java-deps:
	@if ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|2[0-9])'; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi

db: $(VENV)/.runtime
	$(PY) -m dashboard.warehouse

run: $(VENV)/.runtime db
	-@$(MAKE) --no-print-directory runtime-deps || echo "Chromium could not be installed: PNG/PDF export will be unavailable."
	$(PY) -m streamlit run dashboard/serve.py --server.address 127.0.0.1 --server.port $(PORT)

# Lint and types first (seconds), then every test: configuration in pyproject.toml.
lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m mypy

test: lint system-deps
	$(PY) -m pytest

bench: $(VENV)/.dev system-deps
	$(PY) -m benchmarks.run

# Operations (README, section Operations): a consistent backup while the app serves (the last KEEP kept),
# restore one with the app stopped, and the storage health report.
KEEP ?= 7
backup: $(VENV)/.runtime
	$(PY) -m dashboard.backup --keep $(KEEP)

restore: $(VENV)/.runtime
	@test -n "$(FILE)" || { echo "usage: make restore FILE=data/backups/observatory-....duckdb (stop the app first)"; exit 2; }
	$(PY) -m dashboard.backup restore "$(FILE)"

health: $(VENV)/.runtime
	$(PY) -m dashboard.health

# DSA at scale: DuckDB importer and Spark local on a generated 1M-statement day (benchmarks/DSA_RESULTS.md)
dsa-bench: $(VENV)/.dev java-deps
	$(PY) -m benchmarks.dsa_bench --statements 1000000

clean-db:
	rm -f data/observatory.duckdb data/observatory.duckdb.wal
