"""Bytes a first visit downloads (compressed, as sent on the wire), measured in Debian's Chromium.

Usage: python bench/page_weight.py [BASE_URL] [PATH ...]
Without BASE_URL, serves the app from this checkout (SQLite in a temporary folder) on a free port.
For each path: the first screen at 412×900 (a phone, no scrolling), then the whole page scrolled
through (every chart drawn; on a widget, the chart hovered so that plotly.js loads).
Baselines from ../shared/CONTEXT.md: a default Dash page, 1.77 MB; a `to_html` widget, 1.47 MB.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

BASELINE_BYTES = 1_770_000
CHROMIUM = "/usr/bin/chromium"


def serve_checkout() -> str:
    from werkzeug.serving import make_server

    from webapp import create_app
    from webapp.settings import Settings

    folder = Path(tempfile.mkdtemp())
    app = create_app(Settings.from_env(database_url=f"sqlite:///{folder / 'bench.sqlite3'}",
                                       cache_type="SimpleCache", seed_on_start=True))
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def measure(browser, url: str, scroll: bool) -> tuple[int, int, list[tuple[int, str]]]:
    page = browser.new_page(viewport={"width": 412, "height": 900})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(url, wait_until="networkidle")
    if scroll:
        height = page.evaluate("document.documentElement.scrollHeight")
        for _ in range(0, height, 500):
            page.mouse.wheel(0, 500)
            page.wait_for_timeout(150)
        if page.locator("#w-chart").count():  # a widget: the reader reaches for the chart
            page.hover("#w-chart")
            page.wait_for_function("() => document.querySelector('.js-plotly-plot') !== null")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)
    page.close()
    rows = sorted(((size, urls.get(rid, "?")) for rid, size in sizes.items()), reverse=True)
    return sum(sizes.values()), len(sizes), rows


def main(argv: list[str]) -> None:
    base = argv[1] if len(argv) > 1 and argv[1].startswith("http") else serve_checkout()
    paths = [a for a in argv[1:] if a.startswith("/")] or ["/ecoles", "/"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for path in paths:
            for scroll in (False, True):
                total, count, rows = measure(browser, base + path, scroll)
                what = "whole page, every chart drawn, widget hovered" if scroll else "first screen"
                print(f"{path} ({what}): {total:,} bytes in {count} requests, "
                      f"{total / BASELINE_BYTES:.2f}× the default Dash page (1.77 MB)")
                for size, url in rows[:6]:
                    print(f"    {size:>9,}  {url.replace(base, '')[:100]}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv)
