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


FIRST_LOAD_TARGET_MB, FIRST_LOAD_TARGET_S = 5.0, 3.0


def first_load(base_url: str, runs: int = 3, timeout: float = 120, browser=None) -> dict[str, float]:
    """What a fresh tab (empty cache) downloads before the first chart is drawn, and how long it takes:
    bytes on the wire (CDP's encodedDataLength of every response), the JavaScript part, the same responses
    gzip-compressed (what a compressing reverse proxy in front of Streamlit sends: Streamlit itself serves
    its static bundles uncompressed, by design), the number of script files that carry Plotly, and seconds
    from navigation to the first chart's SVG. The median of ``runs`` tabs, each in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    if browser is not None:  # a caller's own Playwright browser (one sync Playwright per process)
        samples = [_one_tab(browser, base_url, timeout) for _ in range(runs)]
    else:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                samples = [_one_tab(browser, base_url, timeout) for _ in range(runs)]
            finally:
                browser.close()
    middle = sorted(samples, key=lambda sample: sample["seconds"])[len(samples) // 2]
    return middle | {"runs": runs, "seconds_max": max(sample["seconds"] for sample in samples)}


def _one_tab(browser, base_url: str, timeout: float) -> dict[str, float]:
    import base64
    import gzip

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    kinds: dict[str, str] = {}
    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda e: (kinds.__setitem__(e["requestId"], e["type"]),
                                                 urls.__setitem__(e["requestId"], e["response"]["url"])))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    start = time.perf_counter()
    page.goto(base_url + "/", timeout=timeout * 1000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout * 1000)
    seconds = time.perf_counter() - start
    compressed, plotly_files = 0, 0
    for request, size in list(sizes.items()):
        try:
            reply = cdp.send("Network.getResponseBody", {"requestId": request})
        except Exception:  # a response without a body (a redirect): count it as it came
            compressed += size
            continue
        body = base64.b64decode(reply["body"]) if reply["base64Encoded"] else reply["body"].encode()
        compressed += min(size, len(gzip.compress(body, compresslevel=6)))
        plotly_files += kinds.get(request) == "Script" and b"plotly.js" in body.lower() and b"scattermap" in body
    context.close()
    scripts = [size for request, size in sizes.items() if kinds.get(request) == "Script"]
    return {"seconds": seconds, "mb": sum(sizes.values()) / 1e6, "js_mb": sum(scripts) / 1e6,
            "gzip_mb": compressed / 1e6, "requests": len(sizes), "plotly_files": plotly_files,
            "highlighter_files": sum("SyntaxHighlighter" in url for url in urls.values())}


def first_load_measured(timeout: float = 120) -> dict[str, float]:
    """Serve the shipped data (built into a temporary file), then measure ``first_load`` on it."""
    from dashboard.warehouse import ensure_database

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "observatory.duckdb"
        ensure_database(db_path)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, "OBSERVATORY_DB": str(db_path)}, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.perf_counter() + timeout
            import urllib.request
            while True:
                try:
                    if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                        break
                except OSError:
                    if time.perf_counter() > deadline:
                        raise TimeoutError("the server did not answer")
                    time.sleep(0.2)
            first_load(base, runs=1, timeout=timeout)  # the server's own first run (imports, caches) is not a tab's cost
            return first_load(base, timeout=timeout)
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


if __name__ == "__main__":
    print(first_load_measured())
