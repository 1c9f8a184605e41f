from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# Tests never write into the user's dataset store (nor read its corrections):
# one fresh store for the session, inherited by the app servers tests start.
os.environ["VIZ_STORE_DIR"] = tempfile.mkdtemp(prefix="viz-test-store-")


@pytest.fixture(scope="session")
def geocoder():
    from viz.geo.geocoder import GazetteerGeocoder

    return GazetteerGeocoder()


@pytest.fixture(scope="module")
def server():
    """``streamlit run app.py`` on a free loopback port, for one test module."""
    from tests.browser import require_chromium, streamlit_server

    require_chromium()
    with streamlit_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, for one test module."""
    from tests.browser import chromium

    with chromium() as b:
        yield b
