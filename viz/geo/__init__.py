"""Geocoding: place names to points, offline.

The lowest layer; it imports nothing of :mod:`viz.events` or
:mod:`viz.dashboard`.  In order of dependency:

* :mod:`~viz.geo.text`: name folding (case, accents, scripts, articles, skeletons);
* :mod:`~viz.geo.features`: the kinds of place, what the index is built from;
* :mod:`~viz.geo.names`: match kinds and how a query becomes a key;
* :mod:`~viz.geo.sources`, :mod:`~viz.geo.countries`, :mod:`~viz.geo.regions`,
  :mod:`~viz.geo.outlines`: reading the source packages, at build time only;
* :mod:`~viz.geo.build`: writing the on-disk index;
* :mod:`~viz.geo.gazetteer`: opening the index and its lookups;
* :mod:`~viz.geo.ranking`: candidates ranked by importance and context;
* :mod:`~viz.geo.geocoder`: :class:`GazetteerGeocoder`, a geopy geocoder;
* :mod:`~viz.geo.bulk`: bulk geocoding at index speed;
* :mod:`~viz.geo.online`: the opt-in online fallback (geopy providers);
* :mod:`~viz.geo.devset`: scoring on the dev set.

Importing this package imports none of them.
"""
