"""The bulk path answers exactly as the one-query path does."""

import json
import random

from viz.geo.bulk import BulkGeocoder, row_of


def _names(gz):
    rng = random.Random(7)
    names = [gz.names[rng.randrange(len(gz))] for _ in range(1500)]
    names += [n.lower() for n in names[:300]] + [n.upper() for n in names[300:500]]  # other spellings
    names += ["Saraqeb", "Kiev", "U.S.", "UK", "Idlib", "Donetsk", "Texas", "xqzvtkw", "Lndon", "Ras al-Ain", "تهران"]
    names += [
        "Calif.",
        "Minn.",
        "NSW",
        "Salisbury",
        "Iraqis",
        "Minnesota",
        " Aleppo ",
        "al-Bab",
        "AL-BAB",
        "Ras al-Ain",
    ]
    names += ["the Hague", "Idlib province", "Deir ez-Zor Governorate", "el Fasher"]
    # compass-qualified: the place it is part of, weighed the full way
    names += ["Va.", "Ga.", "Tenn.", "N.B."]
    names += ["Paris, Texas", "Richmond VA", "Paris, Japan", "Washington, D.C.", "Guma LGA"]
    names += ["southern Lebanon", "South Lebanon", "north-east Nigeria", "West Mosul", "East London", "NORTHERN SYRIA"]
    return names


def test_bulk_equals_single(geocoder):
    names = _names(geocoder.gazetteer)
    items = [{"query": n} for n in names]
    items += [{"query": "Tripoli", "context": ["Beirut"]}, {"query": "Tripoli", "country_codes": ["LY"]}]
    bulk = list(BulkGeocoder(geocoder).geocode_many(items, batch=256))
    fast_hits = 0
    for item, got in zip(items, bulk, strict=True):
        loc = geocoder.geocode(item["query"], country_codes=item.get("country_codes"), context=item.get("context"))
        want = None if loc is None else row_of(loc.raw, item["query"])
        assert got == want, item
        fast_hits += got is not None
    assert fast_hits > 1500


def test_fast_path_is_taken_for_plain_names(geocoder):
    b = BulkGeocoder(geocoder)
    rows = b._fast(["Saraqeb", "Idlib Governorate", "al-Bab", "Mosul", "Calif.", "Ra’s al ‘Ayn"])
    assert rows[0] is not None and rows[0]["name"] == "Saraqib"
    assert rows[1] is None  # region word: full path
    assert rows[2] is not None and rows[2]["name"] == "Al Bāb"  # an article: a precomputed key
    assert rows[3] is not None
    assert rows[4] is None  # abbreviation: full path
    # a place's own name as written is answered from the precomputed answers,
    # articles and all
    lookup, _, verbatim = b.verbatim
    assert "Ra’s al ‘Ayn" in lookup and rows[5] is not None and rows[5]["country_code"] == "SY"


def test_json_lines_equal_the_rows(geocoder):
    """The CLI writes the precomputed JSON text: it says what the rows say,
    field for field and in the same order, for names as written, other
    spellings and articles; None where the full path must answer."""
    b = BulkGeocoder(geocoder)
    names = _names(geocoder.gazetteer) + ["ras al ayn", "RAS AL-AIN", 'say "Aleppo"\n']
    texts = b.json_rows(names)
    rows = b._fast(names)
    assert sum(t is not None for t in texts) > 1500
    for name, text, row in zip(names, texts, rows, strict=True):
        got = None if text is None else list(json.loads(text).items())
        assert got == (None if row is None else list(row.items())), name


def test_every_place_is_found_by_its_own_name(geocoder):
    """Whatever a name looks like ("The Villages", "Australian Capital
    Territory", "Province du Hainaut", "Republic of the Congo"), a place is
    found by its name as the gazetteer writes it."""
    gz = geocoder.gazetteer
    names = list(dict.fromkeys(gz.names[i] for i in range(len(gz))))
    rows = BulkGeocoder(geocoder).geocode_list([{"query": n} for n in names])
    missing = [n for n, row in zip(names, rows, strict=True) if row is None]
    assert not missing, missing[:20]
