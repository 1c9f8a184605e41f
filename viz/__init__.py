"""viz: an offline-first geopolitical timeline and map visualiser.

Modules, one concern each: :mod:`viz.text` (name folding), :mod:`viz.sources`
and :mod:`viz.gazetteer` (the embedded gazetteer), :mod:`viz.ranking`,
:mod:`viz.geocoder` (the geopy geocoder), :mod:`viz.online` (opt-in online
fallback), :mod:`viz.basemap` (offline map), :mod:`viz.cli`.
"""

__version__ = "0.1.0"
