"""Cold start: launch the server as `make run` does and time it to the first chart drawn in Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _time_to_first_chart(db_path: Path, timeout: float) -> float:
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "OBSERVATORY_DB": str(db_path)}
    start = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            deadline = start + timeout
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/", timeout=5000)
                    break
                except Exception:
                    if time.perf_counter() > deadline:
                        raise TimeoutError("the server did not answer")
                    time.sleep(0.1)
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout * 1000)
            seconds = time.perf_counter() - start
            browser.close()
        return seconds
    finally:
        server.terminate()
        server.wait(timeout=30)


def cold_start_seconds(timeout: float = 120) -> dict[str, float]:
    """First start (database built from the shipped files) and a second start (database present)."""
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "observatory.duckdb"
        first = _time_to_first_chart(db_path, timeout)
        second = _time_to_first_chart(db_path, timeout)
    return {"seconds": first, "warm_seconds": second}
