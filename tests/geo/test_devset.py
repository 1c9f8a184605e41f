"""The quality bar of the dev set: 97% right country and within 30 km
(countries and regions: right code and kind)."""

from collections import Counter

from viz.geo import devset


def test_devset_is_broad():
    cases = devset.load()
    assert len(cases) >= 150
    topics = Counter(c.topic for c in cases)
    assert len(topics) >= 10
    feats = Counter(c.feature for c in cases)
    assert feats["country"] >= 10 and feats["admin1"] >= 10 and feats["none"] >= 3
    assert sum(1 for c in cases if c.context) >= 15
    scripts = {"arabic": "\u0600", "cyrillic": "\u0400"}
    for name, lo in scripts.items():
        assert any(any(lo <= ch <= chr(ord(lo) + 0xFF) for ch in c.query) for c in cases), name


def test_devset_accuracy(geocoder):
    acc, failures = devset.evaluate(geocoder)
    report = "\n".join(f"{c.query!r} ctx={c.context} want {c.cc}/{c.feature} got {got}" for c, got in failures)
    assert acc >= 0.97, f"accuracy {acc:.3f}\n{report}"
