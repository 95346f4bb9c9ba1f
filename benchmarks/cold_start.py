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
# what `make run` serves: the app with its static bundles compressed (dashboard/serve.py)
ENTRY = "dashboard/serve.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _time_to_first_chart(db_path: Path, timeout: float) -> float:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "OBSERVATORY_DB": str(db_path)}
    start = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", ENTRY, "--server.port", str(port),
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
                except PlaywrightError:
                    if time.perf_counter() > deadline:
                        raise TimeoutError("the server did not answer") from None
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
    bytes on the wire (``mb``: CDP's encodedDataLength of every response, headers and compressed bodies),
    the same bodies decoded (``raw_mb``), the JavaScript on the wire (``js_mb``), every response
    gzip-compressed (``gzip_mb``: what a server compressing everything would send), the static JavaScript
    and CSS files sent without a Content-Encoding (``plain_static_files``), the number of script files
    that carry Plotly, and seconds from navigation to the first chart's SVG. The median of ``runs`` tabs,
    each in a fresh browser context."""
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

    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    kinds: dict[str, str] = {}
    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}
    encodings: dict[str, str] = {}

    def received(event: dict) -> None:
        request = event["requestId"]
        kinds[request], urls[request] = event["type"], event["response"]["url"]
        headers = {name.lower(): value for name, value in event["response"]["headers"].items()}
        encodings[request] = headers.get("content-encoding", "")

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    start = time.perf_counter()
    page.goto(base_url + "/", timeout=timeout * 1000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout * 1000)
    seconds = time.perf_counter() - start
    raw, compressed, plotly_files, plain_static = 0, 0, 0, 0
    for request, size in list(sizes.items()):
        try:
            reply = cdp.send("Network.getResponseBody", {"requestId": request})
        except PlaywrightError:  # a response without a body (a redirect): count it as it came
            raw += size
            compressed += size
            continue
        body = base64.b64decode(reply["body"]) if reply["base64Encoded"] else reply["body"].encode()
        raw += len(body)
        compressed += min(size, len(gzip.compress(body, compresslevel=6)))
        plotly_files += kinds.get(request) == "Script" and b"plotly.js" in body.lower() and b"scattermap" in body
        static_text = "/static/" in urls.get(request, "") and urls[request].endswith((".js", ".css"))
        plain_static += static_text and len(body) > 1000 and not encodings.get(request)
    context.close()
    scripts = [size for request, size in sizes.items() if kinds.get(request) == "Script"]
    return {"seconds": seconds, "mb": sum(sizes.values()) / 1e6, "raw_mb": raw / 1e6, "js_mb": sum(scripts) / 1e6,
            "gzip_mb": compressed / 1e6, "requests": len(sizes), "plotly_files": plotly_files,
            "plain_static_files": plain_static,
            "highlighter_files": sum("SyntaxHighlighter" in url for url in urls.values())}


def load_average() -> float:
    """The 1-minute load average (how busy the machine was), -1 where /proc is missing."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return -1.0


def keepalive_reply_ms(base_url: str, requests: int = 20) -> float:
    """Median milliseconds for the server to answer ``/_stcore/health`` on one kept-alive connection, as a
    browser reuses its connections: about 40 ms when Nagle's algorithm holds the reply's body back
    (dashboard/tcp_nodelay.py), about 1 ms when not."""
    import http.client
    import statistics
    from urllib.parse import urlsplit

    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=30)
    times = []
    try:
        for _ in range(requests):
            start = time.perf_counter()
            connection.request("GET", "/_stcore/health")
            connection.getresponse().read()
            times.append(1000 * (time.perf_counter() - start))
    finally:
        connection.close()
    return statistics.median(times[1:])  # the first reply on a new connection is never held back


def first_load_measured(timeout: float = 120) -> dict[str, float]:
    """Serve the shipped data (built into a temporary file), then measure ``first_load`` on it."""
    from dashboard.warehouse import ensure_database

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "observatory.duckdb"
        ensure_database(db_path)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", ENTRY, "--server.port", str(port),
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
                        raise TimeoutError("the server did not answer") from None
                    time.sleep(0.2)
            first_load(base, runs=1, timeout=timeout)  # the server's own first run (imports, caches) is not a tab's cost
            load_before = load_average()
            measured = first_load(base, timeout=timeout)
            # the machine may be shared: the 1-minute load average around the runs says how quiet it was
            return measured | {"load_before": load_before, "load_after": load_average(),
                               "keepalive_ms": keepalive_reply_ms(base)}
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
