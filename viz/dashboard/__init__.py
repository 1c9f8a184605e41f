"""The dashboard: what ``app.py`` draws, as importable, testable pieces.

Uses :mod:`viz.events` and :mod:`viz.geo`; nothing below imports it.

* :mod:`~viz.dashboard.viewstate`: the view as URL parameters (encode, decode, upgrade);
* :mod:`~viz.dashboard.filters`: the filters applied to a frame;
* :mod:`~viz.dashboard.appdata`: the app's data (demo, store, corrections applied);
* :mod:`~viz.dashboard.basemap`: the offline basemap and map layouts;
* :mod:`~viz.dashboard.figures`, :mod:`~viz.dashboard.aggregate`,
  :mod:`~viz.dashboard.animate`, :mod:`~viz.dashboard.mapview`: the map (points;
  grid, density, countries; playback frames; which one a view draws);
* :mod:`~viz.dashboard.timeline`: the timeline and its range selection;
* :mod:`~viz.dashboard.area`: the map's area selection;
* :mod:`~viz.dashboard.detail`: an event's detail;
* :mod:`~viz.dashboard.export`, :mod:`~viz.dashboard.htmlexport`: downloads and
  the standalone HTML export.

Importing this package imports none of them.
"""
