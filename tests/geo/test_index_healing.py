"""A damaged gazetteer index is found, not crashed on."""

from __future__ import annotations

import shutil

import pytest

from viz.geo.gazetteer import Gazetteer, IndexMissing


def test_an_array_cut_short_is_found_and_named(geocoder, tmp_path):
    copy = tmp_path / "gazetteer"
    shutil.copytree(geocoder.gazetteer.path, copy, ignore=shutil.ignore_patterns("bulk-*"))
    arr = copy / "key_place.npy"
    arr.write_bytes(arr.read_bytes()[:1000])
    with pytest.raises(IndexMissing, match="damaged"):
        Gazetteer.open(copy, build=False)  # with build=True (the default) it is rebuilt: about a minute
