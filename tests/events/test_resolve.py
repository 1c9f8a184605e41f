"""Placing the mentions the gazetteer does not know (``resolve.by_holder``),
on mentions and places of the tests' own making."""

from __future__ import annotations

from types import SimpleNamespace

from viz.events.articles import resolve


def town(name: str, cc: str, population: int, score: float = 0.9) -> dict:
    return {"name": name, "lat": 1.0, "lon": 2.0, "country_code": cc, "feature": "city", "population": population,
            "score": score, "geonameid": 1, "placed_by": "name"}  # fmt: skip


def mention(text: str, resolved: dict | None = None, role: str = "literal") -> SimpleNamespace:
    return SimpleNamespace(text=text, name=text, role=role, resolved=resolved, dateline=False)


def no_geocode(name, *, context=None):
    raise AssertionError(f"nothing inside to look up: {name}")


def nothing_inside(text: str) -> list:
    return []


def test_the_town_before_holds_what_follows_it():
    ms = [mention("Ashford", town("Ashford", "GB", 70_000)), mention("Kent", {**town("Kent", "GB", 0), "feature": "admin1"}),
          mention("Quarry Lane")]  # fmt: skip
    resolve.by_holder(ms, no_geocode, nothing_inside)
    got = ms[2].resolved
    assert (got["name"], got["placed_by"], got["score"]) == (
        "Ashford",
        "context",
        round(0.9 * resolve.CONTEXT_SCORE, 3),
    )
    assert ms[0].resolved["placed_by"] == "name"  # the holder itself is left as it was


def test_the_town_after_holds_when_none_comes_before():
    ms = [mention("Quarry Lane"), mention("Leeds", town("Leeds", "GB", 500_000))]
    resolve.by_holder(ms, no_geocode, nothing_inside)
    assert ms[0].resolved["name"] == "Leeds"


def test_a_small_town_alone_in_its_country_holds_nothing():
    # it may be a namesake the resolver chose wrong; what it held would be wrong too
    ms = [mention("Smallham", town("Smallham", "IE", 4_000)), mention("Quarry Lane")]
    resolve.by_holder(ms, no_geocode, nothing_inside)
    assert ms[1].resolved is None
    ms = [mention("Ireland", {**town("Ireland", "IE", 0), "feature": "country"}),
          mention("Smallham", town("Smallham", "IE", 4_000)), mention("Quarry Lane")]  # fmt: skip
    resolve.by_holder(ms, no_geocode, nothing_inside)
    assert ms[2].resolved["name"] == "Smallham"


def test_a_place_named_inside_comes_before_the_context():
    ms = [mention("Leeds", town("Leeds", "GB", 500_000)), mention("Harrogate Town Hall")]

    def geocode(name, *, context=None):
        assert name == "Harrogate" and context == ["Leeds"]
        return SimpleNamespace(raw=town("Harrogate", "GB", 75_000, score=0.8))

    resolve.by_holder(ms, geocode, lambda text: [("Harrogate", "Harrogate")])
    assert (ms[1].resolved["name"], ms[1].resolved["placed_by"]) == ("Harrogate", "inner")
    assert ms[1].resolved["score"] == round(0.8 * resolve.INNER_SCORE, 3)


def test_neither_a_thoroughfare_nor_an_embassy_is_placed_by_its_name():
    ms = [mention("Leeds", town("Leeds", "GB", 500_000)), mention("Harrogate Road"), mention("Embassy of Norway")]

    def geocode(name, *, context=None):
        return SimpleNamespace(raw={**town(name, "NO", 0), "feature": "country"})

    resolve.by_holder(ms, geocode, lambda text: [(text.split()[-1], text.split()[-1])])
    assert [m.resolved["name"] for m in ms[1:]] == ["Leeds", "Leeds"]


def test_only_literal_mentions_are_placed():
    ms = [mention("Leeds", town("Leeds", "GB", 500_000)), mention("Quarry Lane", role="embedded")]
    resolve.by_holder(ms, no_geocode, nothing_inside)
    assert ms[1].resolved is None
