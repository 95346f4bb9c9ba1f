"""`streamlit run` on a free port for the browser tests: started, waited on through its own health check
within a budget, and stopped. One home for what every browser test module needs."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(db_file: Path, log_file: Path, budget_s: float, **env: str) -> Iterator[str]:
    """Serve the app on ``db_file`` (with ``env`` added, e.g. OBSERVATORY_USERS) and yield its base URL. A
    server that dies, or is not healthy within ``budget_s`` on a busy machine, fails the test with its log."""
    port = free_port()
    environment = os.environ | {"OBSERVATORY_DB": str(db_file), "PYTHONPATH": str(ROOT)} | env
    with open(log_file, "w") as log:
        process = subprocess.Popen(
            # what `make run` serves: the app with its static bundles compressed
            [sys.executable, "-m", "streamlit", "run", "dashboard/serve.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + budget_s
            while True:  # wait on the server's own health check
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start within {budget_s:.0f} s: "
                                + log_file.read_text()[-2000:], pytrace=False)
                try:
                    if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                        break
                except OSError:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        process.wait(timeout=0.3)  # returns early only if the server died
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
