"""Events from news articles: the seed and the project's own test articles."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from viz.events.articles import Extractor, event_type, extract_text, fatalities, parse_article, split_sentences
from viz.events.dates import find_dates

ROOT = Path(__file__).resolve().parents[2]
# The shared folder sits beside the project (as in CI); VIZ_SHARED_DIR points elsewhere.
SEED = Path(os.environ.get("VIZ_SHARED_DIR", ROOT.parent / "shared")) / "seeds" / "000_153023f2fc0ad393.txt"
ARTICLES = Path(__file__).resolve().parent / "articles"


@pytest.fixture(scope="module")
def extractor(geocoder):
    return Extractor(geocoder)


def where(df: pd.DataFrame, col: str, value) -> pd.DataFrame:
    return df[df[col].eq(value).fillna(False)]


def extract(path: Path, extractor) -> pd.DataFrame:
    return extract_text(path.read_text(encoding="utf-8"), source=path.name, extractor=extractor)


@pytest.fixture(scope="module")
def seed(extractor):
    if not SEED.exists():
        pytest.fail(f"the seed article is read from the shared folder at {SEED.parent.name}/ next to the project")
    return extract(SEED, extractor)


def test_seed_places(seed):
    sar = where(seed, "place", "Saraqeb")
    assert len(sar) == 1
    assert sar.iloc[0]["place_name"] == "Saraqib" and sar.iloc[0]["country_code"] == "SY"
    assert sar.iloc[0]["geo_precision"] == "city"
    idlib = where(seed, "place_name", "Idlib")
    assert len(idlib) >= 3 and set(idlib["country_code"]) == {"SY"}
    teh = where(seed, "place", "تهران")  # from the Persian title
    assert len(teh) == 1 and teh.iloc[0]["place_name"] == "Tehran" and teh.iloc[0]["country_code"] == "IR"


def test_seed_sochi_agreement_at_month_precision(seed):
    sochi = where(seed, "place_name", "Sochi")
    assert len(sochi) == 1
    row = sochi.iloc[0]
    assert row["date"] == pd.Timestamp("2018-09-01") and row["date_precision"] == "month"
    assert row["event_type"] == "agreement/diplomacy" and row["country_code"] == "RU"
    assert {"Russia", "Turkey"} <= set(row["actors"].split("; "))


def test_seed_on_saturday_and_actors(seed):
    sat = seed[seed["text"].str.contains("said on Saturday").fillna(False)]
    assert len(sat) >= 2 and set(sat["date"]) == {pd.Timestamp("2020-02-29")}
    assert set(sat["date_precision"]) == {"day"}
    actors = set("; ".join(seed["actors"].dropna()).split("; "))
    assert {"Russia", "Turkey", "Syria"} <= actors
    # capitals that speak are actors, not event places
    assert not seed["place"].isin(["Moscow", "Ankara"]).any()
    # demonyms and person names are not places
    assert not seed["place"].isin(["Turkish", "Syrian", "Russian", "Erdoğan", "Putin", "Assad", "But", "March"]).any()


def test_seed_fatalities_and_types(seed):
    assert 36 in set(seed["fatalities"].dropna())
    assert {"battle", "agreement/diplomacy"} <= set(seed["event_type"].astype(str))


def test_libya_article(extractor):
    df = extract(ARTICLES / "libya_2019-04-07.txt", extractor)
    trip = where(df, "place_name", "Tripoli")
    assert len(trip) >= 1 and set(trip["country_code"]) == {"LY"}  # Tripoli beside Misrata and Benghazi
    first = df[df["text"].str.startswith("Forces loyal to Khalifa Haftar").fillna(False)].iloc[0]
    assert first["date"] == pd.Timestamp("2019-04-06") and first["event_type"] == "battle"
    assert "Libyan National Army" in first["actors"]
    assert not df["place"].isin(["Khalifa", "Haftar", "Khalifa Haftar"]).any()
    gh = where(df, "place_name", "Gharyan").iloc[0]
    assert gh["date"] == pd.Timestamp("2019-04-04")  # "on Thursday" before Sunday 7 April
    assert 21 in set(df["fatalities"].dropna())
    benghazi = where(df, "place_name", "Benghazi").iloc[0]
    assert benghazi["date"] == pd.Timestamp("2019-03-01") and benghazi["date_precision"] == "month"


def test_ukraine_article_old_spelling_and_relative_dates(extractor):
    df = extract(ARTICLES / "ukraine_2022-03-01.txt", extractor)
    kh = where(df, "place_name", "Kharkiv")
    kh = kh[kh["text"].str.contains("main square").fillna(False)].iloc[0]
    assert kh["event_type"] == "explosions/remote violence" and kh["fatalities"] == 10
    assert kh["date"] == pd.Timestamp("2022-03-01")
    kiev = where(df, "place", "Kiev").iloc[0]
    assert kiev["place_name"] == "Kyiv" and kiev["date"] == pd.Timestamp("2022-02-28")
    kherson = where(df, "place_name", "Kherson").iloc[0]
    assert kherson["event_type"] == "protest" and kherson["date_precision"] == "week"
    assert kherson["date"] == pd.Timestamp("2022-02-21")
    assert not df["place"].isin(["Volodymyr", "Zelensky", "Volodymyr Zelensky"]).any()


def test_sudan_article_arabic_title(extractor):
    df = extract(ARTICLES / "sudan_2023-04-20.txt", extractor)
    title = df.iloc[0]
    assert title["place_name"] == "Khartoum" and title["country_code"] == "SD"
    om = where(df, "place_name", "Omdurman").iloc[0]
    assert om["date"] == pd.Timestamp("2023-04-17") and om["event_type"] == "battle"
    assert {"Sudanese Armed Forces", "Rapid Support Forces"} <= set(om["actors"].split("; "))


def test_same_article_same_ids(extractor):
    a = extract(ARTICLES / "libya_2019-04-07.txt", extractor)
    b = extract(ARTICLES / "libya_2019-04-07.txt", extractor)
    assert list(a["event_id"]) == list(b["event_id"]) and a["event_id"].is_unique


def test_plain_text_needs_a_date():
    with pytest.raises(ValueError, match="--date"):
        parse_article("Clashes in Aleppo.")
    art = parse_article("Clashes in Aleppo.", default_date=date(2020, 1, 5))
    assert art.date == date(2020, 1, 5) and art.body == "Clashes in Aleppo."


def test_dates_relative_to_article():
    ref = date(2020, 3, 1)  # a Sunday
    text = "on Saturday; in January; September 2018; the end of December; this week; 3 March; May 5, 2019"
    got = [(d.date.isoformat(), d.precision) for d in find_dates(text, ref)]
    assert got == [
        ("2020-02-29", "day"),
        ("2020-01-01", "month"),
        ("2018-09-01", "month"),
        ("2019-12-01", "month"),  # the latest December before the article
        ("2020-02-24", "week"),  # the Monday of the article's week
        ("2019-03-03", "day"),  # after the article's date: last year's
        ("2019-05-05", "day"),
    ]


def test_rules():
    assert event_type("Airstrikes hit a market") == "explosions/remote violence"
    assert event_type("Thousands protested in the capital") == "protest"
    assert event_type("The weather was fine") == "other"
    assert fatalities("Fifty-seven Turkish soldiers were killed") == 57
    assert fatalities("no one") is None
    assert split_sentences("Mr. Smith went to St. Louis. Then he left.") == [
        "Mr. Smith went to St. Louis.",
        "Then he left.",
    ]


def test_cli_extract_json_of_a_folder():
    r = subprocess.run(
        [sys.executable, "-m", "viz", "extract", str(ARTICLES), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    import json

    events = json.loads(r.stdout)
    assert len(events) >= 10
    assert all(len(e["date"]) == 10 for e in events)
    assert {e["source"] for e in events} == {p.name for p in ARTICLES.glob("*.txt")}


def test_peoples_names_and_region_codes_are_not_places_in_text(extractor):
    # The gazetteer answers "Russian" (Russia) and "AP" (Andhra Pradesh) when
    # asked; in running text they are an adjective and a news agency.
    text = (
        "date 2022-03-02 Shelling near Kharkiv\n"
        "Russian forces shelled Kharkiv on Tuesday, AP reported. Ukrainian officials said 5 people were killed.\n"
    )
    df = extract_text(text, source="t.txt", extractor=extractor)
    assert set(df["place"].dropna()) == {"Kharkiv"}
    assert extractor.geocoder.geocode("Russian").raw["country_code"] == "RU"
    assert extractor.geocoder.geocode("AP").raw["name"] == "Andhra Pradesh"
