"""Events: files and articles into one pandas frame of dated, placed events.

Uses :mod:`viz.geo`; imports nothing of :mod:`viz.dashboard`.

* :mod:`~viz.events.schema`: the frame's columns, types and ids;
* :mod:`~viz.events.readers`, :mod:`~viz.events.formats`: reading tables;
  recognising ACLED, GDELT, UCDP and mappings;
* :mod:`~viz.events.ingest`, :mod:`~viz.events.report`: files and folders into
  one frame (:func:`~viz.events.ingest.load`); the load report;
* :mod:`~viz.events.articles`, :mod:`~viz.events.dates`, :mod:`~viz.events.actors`:
  events from news articles;
* :mod:`~viz.events.store`, :mod:`~viz.events.corrections`: the dataset store
  and geocoding corrections.

Importing this package imports none of them.
"""
