"""Helpers for end-to-end tests: `streamlit run` on a free loopback port and
Debian's Chromium driven by Playwright, with every request that would leave
the machine blocked and counted."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("VIZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# True once the events page has drawn: the map's basemap and marks, and the timeline's bars.
DASHBOARD_DRAWN = """() => {
  const q = (k, s) => [...document.querySelectorAll('.st-key-' + k + ' ' + s)];
  const ink = q('events_map', '.layer.land path, .layer.countries path')
      .reduce((n, p) => n + (p.getAttribute('d') || '').length, 0);
  const marks = q('events_map', '.scattergeo path.point').length;
  const bars = q('timeline', '.bars path').length;
  return ink > 1000 && marks > 0 && bars > 0;
}"""


def require_chromium() -> str:
    if os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    msg = f"Debian's chromium is not at {CHROMIUM} (make browser installs it)"
    if os.environ.get("VIZ_REQUIRE_BROWSER") or os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(*extra: str, env: dict | None = None, app: str = "app.py", args: list[str] | None = None):
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / app),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *extra,
        *(["--", *args] if args else []),
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read() if proc.stdout else ""
                raise RuntimeError(f"streamlit did not start:\n{out}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


class Offline:
    """Routes every request of a browser context: loopback goes through, the
    rest is aborted and recorded."""

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self.local: list[str] = []

    def attach(self, context) -> None:
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "file:")) or host in LOCAL_HOSTS:
            self.local.append(url)
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    exe = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def settled(page) -> None:
    """Wait until the app is not running its script (a click during a rerun can be lost)."""
    page.wait_for_timeout(600)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget] [data-testid=stStatusWidgetRunningIcon]')"
        " && !document.querySelector('[data-testid=stStatusWidget] button')",
        timeout=60_000,
    )


def choose(page, key: str, label: str, *, tries: int = 5) -> None:
    """Pick ``label`` in the radio keyed ``key`` and wait until the page shows
    it picked: a click that lands while the first page is still running
    again can be lost, so it is clicked again (at most ``tries`` times)."""
    group = page.locator(f".st-key-{key}")
    option = group.locator("label").filter(has=page.get_by_text(label, exact=True)).locator("input[type=radio]")
    for _ in range(tries):
        group.get_by_text(label, exact=True).click()
        settled(page)
        if option.is_checked():
            return
    raise AssertionError(f"{label!r} in {key!r} not picked after {tries} clicks")


def artifacts_dir() -> Path:
    d = Path(os.environ.get("VIZ_TEST_ARTIFACTS", ROOT / ".pytest_cache" / "screenshots"))
    d.mkdir(parents=True, exist_ok=True)
    return d


__all__ = [
    "DASHBOARD_DRAWN",
    "Offline",
    "artifacts_dir",
    "chromium",
    "require_chromium",
    "settled",
    "shutil",
    "streamlit_server",
]
