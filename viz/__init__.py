"""viz: an offline-first geopolitical timeline and map visualiser.

Three layers, imports running one way only (``docs/architecture.md``):

* :mod:`viz.geo`: geocoding (the offline gazetteer, ranking, the geopy
  geocoder, bulk and online lookups);
* :mod:`viz.events`: events from files and articles in one pandas frame, the
  dataset store and geocoding corrections;
* :mod:`viz.dashboard`: what the Streamlit app draws (view state, filters,
  map, timeline, exports).

Beside them, used by all three: :mod:`viz.settings`, :mod:`viz.errors`; and
:mod:`viz.cli` (``python -m viz``) on top.

The two entry points most code needs are importable from here, loaded on
first use so that ``import viz`` stays cheap::

    from viz import GazetteerGeocoder, load
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["GazetteerGeocoder", "load", "__version__"]

if TYPE_CHECKING:
    from viz.events.ingest import load
    from viz.geo.geocoder import GazetteerGeocoder

_LAZY = {"GazetteerGeocoder": "viz.geo.geocoder", "load": "viz.events.ingest"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'viz' has no attribute {name!r}")
