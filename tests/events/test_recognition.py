"""Place recognition in article text: the model's entities and the
gazetteer's spans together.  Every sentence here is the project's own."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from viz.errors import ConfigurationError
from viz.events.articles import MENTION_COLUMNS, Extractor, extract_mentions, extract_text, parse_article
from viz.events.articles import nlp as language
from viz.events.articles.spotter import Spotter, inflections


@pytest.fixture(scope="module")
def extractor(geocoder):
    return Extractor(geocoder)


def article(body: str, day: str = "2024-05-05", title: str = "Report") -> str:
    return f"date {day} {title}\n\n{body}\n"


def mentions(extractor, body: str, **kw) -> list[dict]:
    a = parse_article(article(body, **kw), source="own.txt")
    return extractor.mentions(a)


def by_text(ms: list[dict]) -> dict[str, dict]:
    return {m["mention"]: m for m in ms}


def events(extractor, body: str, **kw):
    return extract_text(article(body, **kw), source="own.txt", extractor=extractor)


# -- other scripts: the gazetteer spots them, inflections included


def test_inflections_of_other_scripts():
    assert "Харьков" in inflections("Харькова")
    assert "Одесса" in inflections("Одессе")
    assert "حلب" in inflections("بحلب")
    assert "الرقة" in inflections("وبالرقة")
    assert inflections("Kharkiv") == []


@pytest.mark.parametrize(
    ("text", "written", "place", "cc"),
    [
        ("Ночью продолжался обстрел Харькова", "Харькова", "Kharkiv", "UA"),
        ("Взрывы прогремели в Киеве", "Киеве", "Kyiv", "UA"),
        ("Порт в Одессе закрыт", "Одессе", "Odesa", "UA"),
        ("قصف عنيف على بحلب", "بحلب", "Aleppo", "SY"),
        ("اشتباكات وبالرقة", "وبالرقة", "Ar Raqqah", "SY"),
        ("باران شدید در تهران", "تهران", "Tehran", "IR"),
    ],
)
def test_other_scripts_in_titles(extractor, text, written, place, cc):
    a = parse_article(f"date 2024-01-10 {text}\n\nNothing else happened.\n", source="t.txt")
    ms = by_text(extractor.mentions(a))
    assert ms[written]["name"] == place and ms[written]["country_code"] == cc
    m = ms[written]
    assert a.text[m["start"] : m["end"]] == written


def test_spotter_alone_keeps_whole_names(geocoder):
    s = Spotter(geocoder.gazetteer)
    spots = [x.text for x in s.spots("Shelling near Ras al-Ain and in Idlib province went on")]
    assert "Ras al-Ain" in spots and "Idlib province" in spots


# -- offsets, output fields


def test_offsets_point_into_the_whole_text(extractor):
    text = article("Protesters gathered in Nairobi on Friday. Police later cleared the square in Mombasa.")
    a = parse_article(text, source="own.txt")
    ms = extractor.mentions(a)
    assert ms and all(text[m["start"] : m["end"]] == m["mention"] for m in ms)
    assert {"Nairobi", "Mombasa"} <= {m["mention"] for m in ms}
    assert all(set(m) == set(MENTION_COLUMNS) for m in ms)
    nairobi = by_text(ms)["Nairobi"]
    assert nairobi["country_code"] == "KE" and nairobi["role"] == "literal" and nairobi["source"] == "own.txt"
    assert nairobi["sentence"] == "Protesters gathered in Nairobi on Friday."


def test_mentions_frame(extractor):
    df = extract_mentions(article("Flooding cut the road between Lahore and Multan."), extractor=extractor)
    assert list(df.columns) == list(MENTION_COLUMNS)
    assert set(df["mention"]) >= {"Lahore", "Multan"} and set(df["country_code"].dropna()) == {"PK"}
    assert str(df["start"].dtype) == "Int64" and str(df["lat"].dtype) == "Float64"


# -- boundaries from the model: names are not cut short


def test_whole_names_resolve(extractor):
    ms = by_text(mentions(extractor, "Turkish artillery shelled villages near Ras al-Ain overnight."))
    assert ms["Ras al-Ain"]["country_code"] == "SY"
    assert "Ras" not in ms
    ms = by_text(mentions(extractor, "Wildfires forced thousands to leave their homes in British Columbia."))
    assert ms["British Columbia"]["country_code"] == "CA" and "Columbia" not in ms


# -- places inside the names of other things


def test_place_words_inside_other_names_are_not_places(extractor):
    ms = by_text(
        mentions(
            extractor,
            "The Karen National Union said its fighters held the road. "
            "The Economic Community of West African States called for talks. "
            "Parades marked Armed Forces Day in the capital.",
        )
    )
    assert not {"Union", "West", "Day"} & set(ms)
    for m in ms.values():
        assert m["role"] in ("embedded", "demonym", "literal", "metonymic")
        assert m["role"] != "literal" or m["mention"] not in ("Karen", "Armed")


def test_titles_common_words_and_abbreviations(extractor):
    ms = by_text(mentions(extractor, "Police said one man died. Dr Okafor treated the wounded. The FDA approved it."))
    assert not {"Police", "Dr", "One", "FDA"} & set(ms)


def test_a_country_s_bare_iso_code_is_an_acronym_but_the_press_s_codes_are_countries(extractor):
    """ "AI" is Anguilla's ISO code and "BA" Bosnia's, but in running text
    artificial intelligence and an airline; "US" and "UAE" are how the press
    writes those countries (data/country_aliases.tsv)."""
    ms = by_text(
        mentions(
            extractor,
            "Investors put money into AI firms in Lagos on Monday, and BA flights from Leeds were cut. "
            "The US envoy met UAE officials in Accra.",
        )
    )
    assert not {"AI", "BA"} & set(ms)
    assert ms["US"]["country_code"] == "US" and ms["UAE"]["country_code"] == "AE"
    assert ms["Lagos"]["country_code"] == "NG"
    # a US state's code after its town stands, though it is Gabon's too
    ga = by_text(mentions(extractor, "He lives in Augusta, GA and works in Savannah, GA."))["GA"]
    assert (ga["country_code"], ga["feature"]) == ("US", "admin1")
    # a table's country column still reads the code
    assert extractor.geocoder.geocode("AI").raw["country_code"] == "AI"


def test_an_organisation_named_after_a_place_is_not_that_country(extractor):
    df = events(extractor, "The OSCE Minsk Group held talks in Vienna on Monday.")
    row = df[df["place_name"] == "Vienna"].iloc[0]
    assert "Belarus" not in str(row["actors"])
    assert "OSCE Minsk Group" in row["actors"]


def test_unknown_organisations_keep_their_names(extractor):
    df = events(extractor, "Fighters of the Karen National Union attacked an army post near Myawaddy on Sunday.")
    row = df[df["place_name"] == "Myawaddy"].iloc[0]
    assert "Karen National Union" in row["actors"] and row["country_code"] == "MM"


# -- roles


def test_roles(extractor):
    ms = by_text(
        mentions(extractor, "Moscow and Ankara have agreed to a ceasefire in Idlib. Syrian troops stayed in Hama.")
    )
    assert ms["Moscow"]["role"] == "metonymic" and ms["Ankara"]["role"] == "metonymic"
    assert ms["Idlib"]["role"] == "literal" and ms["Hama"]["role"] == "literal"
    assert ms["Syrian"]["role"] == "demonym" and ms["Syrian"]["country_code"] == "SY"


def test_metonymic_and_demonym_mentions_are_actors_not_places(extractor):
    df = events(extractor, "Kyiv said Russian drones struck a power station in Odesa on Sunday.")
    assert set(df["place_name"]) == {"Odesa"}
    assert {"Ukraine", "Russia"} <= set(df.iloc[0]["actors"].split("; "))


def test_a_country_named_as_no_location_is_an_actor(extractor):
    df = events(extractor, "The US president said the talks in Geneva would resume on Monday.")
    row = df[df["place_name"] == "Geneva"].iloc[0]
    assert "United States" in row["actors"]


# -- events from mentions


def test_one_event_per_place_of_a_list(extractor):
    df = events(extractor, "Rebels seized the towns of Kidal, Gao and Timbuktu on Tuesday.", day="2024-05-02")
    assert set(df["place_name"]) >= {"Kidal", "Gao", "Timbuktu"}
    assert set(df[df["place_name"].isin(["Kidal", "Gao", "Timbuktu"])]["country_code"]) == {"ML"}
    assert set(df[df["place_name"] == "Gao"]["date"].dt.strftime("%Y-%m-%d")) >= {"2024-04-30"}


def test_displacement_is_an_event(extractor):
    df = events(extractor, "Thousands of civilians have fled towards Hasakah, aid workers said.")
    row = df[df["place_name"].str.contains("asakah", na=False)].iloc[0]
    assert row["country_code"] == "SY" and row["event_type"] == "strategic development"


def test_the_town_over_its_province(extractor):
    df = events(extractor, "Government shelling hit Saraqib in Idlib province on Friday.")
    body = df[df["text"].str.startswith("Government shelling")]
    assert list(body["place_name"]) == ["Saraqib"]


def test_dates_of_the_sentence(extractor):
    # 2022-03-06 is a Sunday
    df = events(extractor, "Fighting in Mariupol began on Wednesday.", day="2022-03-06")
    row = df[df["place_name"] == "Mariupol"].iloc[0]
    assert row["date"].strftime("%Y-%m-%d") == "2022-03-02" and row["date_precision"] == "day"


# -- the model


def test_the_model_is_loaded_once():
    assert language.pipeline() is language.pipeline()
    assert "ner" in language.pipeline().pipe_names


def test_a_missing_model_is_a_clear_error():
    with pytest.raises(ConfigurationError, match="not installed"):
        language.pipeline("no_such_pipeline_xx")


def test_cli_prints_mentions(tmp_path, geocoder):
    from viz.cli import main

    path = tmp_path / "own.txt"
    text = article("Clashes were reported in Benghazi and near Sirte on Thursday.", day="2023-06-10")
    path.write_text(text, encoding="utf-8")
    other = tmp_path / "table.csv"
    other.write_text("date,place\n2023-01-01,Sirte\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["extract", str(path), str(other), "--mentions", "--json"], out, err) == 0
    rows = json.loads(out.getvalue())
    assert {r["mention"] for r in rows} >= {"Benghazi", "Sirte"}
    assert all(text[r["start"] : r["end"]] == r["mention"] and r["source"] == "own.txt" for r in rows)
    assert "table.csv: not an article" in err.getvalue()  # said, not silently dropped


def test_plain_text_mentions_need_a_date(tmp_path):
    from viz.cli import main

    path = tmp_path / "plain.txt"
    path.write_text("Clashes in Aleppo.", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["extract", str(path), "--mentions"], out, err) == 2
    assert "plain.txt: not an article" in err.getvalue()
    out = io.StringIO()
    assert main(["extract", str(path), "--mentions", "--date", "2020-01-05"], out, io.StringIO()) == 0
    assert json.loads(out.getvalue())[0]["name"] == "Aleppo"


def test_default_date_for_plain_text(extractor):
    df = extract_mentions("Clashes in Aleppo.", default_date=date(2020, 1, 5), extractor=extractor)
    assert list(df["name"]) == ["Aleppo"]


def test_a_union_of_countries_named_as_a_body_is_a_metonymic_mention(extractor):
    ms = mentions(extractor, "The EU said on Tuesday that it would send aid. Officials in Eu, a town in Normandy, met.")
    eu = [m for m in ms if m["mention"] == "EU"]
    assert [(m["role"], m["name"], m["feature"]) for m in eu] == [("metonymic", "European Union", "region")]
    # in capitals only: the Norman town keeps its name
    assert all(m["name"] != "European Union" for m in ms if m["mention"] == "Eu")


def test_a_dateline_names_where_the_report_was_filed_not_where_it_happened(extractor):
    body = (
        "NAIROBI (Reuters) — Drones struck a depot in Garissa on Monday.\n"
        "KAMPALA & JUBA, March 4 -- Talks began in the capital.\n"
        "OPEC, the cartel, met as usual. NATO, the alliance, met too."
    )
    text = article(body, day="2024-03-05", title="Strikes near the border")
    ms = mentions(extractor, body, day="2024-03-05", title="Strikes near the border")
    lines = {m["mention"]: (m["role"], m["country_code"]) for m in ms}
    assert lines["NAIROBI"] == ("literal", "KE")
    assert lines["KAMPALA"] == ("literal", "UG") and lines["JUBA"] == ("literal", "SS")
    for m in ms:  # offsets into the article's text, as for every mention
        assert text[m["start"] : m["end"]] == m["mention"]
    # an acronym in capitals before a comma is no dateline
    assert "OPEC" not in lines and "NATO" not in lines
    # the event is where the drones struck, not where the report was filed, and the agency
    # that filed it is no party to it
    ev = events(extractor, body)
    assert "Garissa" in set(ev["place"]) and "NAIROBI" not in set(ev["place"])
    assert not any("Reuters" in a for a in ev["actors"].dropna())
    # the same where the model reads the dateline as a place itself
    ev = events(extractor, "KHARTOUM (Reuters) — Militias shelled El Fasher on Monday and seized Mellit.")
    assert set(ev["place_name"]) == {"El Fasher", "Mellit"}
    assert not any("Reuters" in a for a in ev["actors"].dropna())


def test_a_people_named_in_part_of_a_name_or_before_a_noun_is_a_demonym(extractor):
    ms = mentions(
        extractor,
        "Protesters voiced anti-Russian anger. Many Turkish-Syrian projects stalled. "
        "The bridge was built by Slovak engineers in 1990.",  # the model reads this "Slovak" as a person
    )
    roles = {m["mention"]: (m["role"], m["country_code"]) for m in ms}
    assert roles["Russian"] == ("demonym", "RU")
    assert roles["Slovak"] == ("demonym", "SK")
    assert roles["Turkish"] == ("demonym", "TR") and roles["Syrian"] == ("demonym", "SY")


def test_a_small_town_the_model_takes_for_a_person_stands_after_a_preposition(extractor):
    # the small model reads "Merritt" and "Smithers" as people; "to" puts them somewhere
    ms = by_text(mentions(extractor, "Instead of driving to Merritt, residents fled to Smithers after the fire."))
    assert ms["Merritt"]["country_code"] == "CA" and ms["Merritt"]["role"] == "literal"
    assert "Smithers" in ms
    # a word of a person's name in the document stays the person's
    ms = by_text(mentions(extractor, "Lisa Merritt spoke. Reporters later talked to Merritt about the fire."))
    assert "Merritt" not in ms


def test_a_regions_short_form_keeps_its_point_and_a_comma_joins_one_name(extractor):
    body = "Farmers met in Modesto, Calif. on Friday. Buses ran to Washington, D.C., and to Paris, Texas, all week."
    text = article(body)
    ms = by_text(mentions(extractor, body))
    assert ms["Calif."]["name"] == "California"
    assert ms["Washington, D.C."]["country_code"] == "US" and "D.C." not in ms
    # two names whose join names nothing stay two
    assert ms["Paris"]["country_code"] == "US" and "Texas" in ms
    for m in ms.values():
        assert text[m["start"] : m["end"]] == m["mention"]
    # a person's "Sr." is no region's short form
    ms = by_text(mentions(extractor, "Officers said Walter J. Brennan, Sr., 61, was released."))
    assert all(m["country_code"] != "MY" for m in ms.values())


def test_a_country_inside_a_name_or_a_sum_of_money_is_embedded(extractor):
    ms = mentions(
        extractor,
        "The U.S. Department of Energy paid 40 million US dollars. A U.S. District Judge in Reno ruled. "
        "Exports earned 900 Kenyan shillings a crate.",
    )
    got = {(m["mention"], m["role"], m["country_code"]) for m in ms}
    assert ("U.S.", "embedded", "US") in got
    assert ("US", "embedded", "US") in got
    assert ("Kenyan", "demonym", "KE") in got
    # a country has no "district" of its own name: "U.S. District" is no place
    assert not any(m["mention"].startswith("U.S. D") for m in ms)


# -- a place the gazetteer does not know, placed by what holds it


def test_a_street_is_placed_at_the_town_the_article_names(extractor):
    ms = by_text(mentions(extractor, "Police in Chicago said two men were shot on Halsted Street late on Friday."))
    street, town = ms["Halsted Street"], ms["Chicago"]
    assert (street["name"], street["country_code"], street["placed_by"]) == ("Chicago", "US", "context")
    assert (street["lat"], street["lon"]) == (town["lat"], town["lon"])
    assert street["score"] < town["score"] and town["placed_by"] == "name"


def test_a_thoroughfare_is_not_where_its_name_says(extractor):
    # "Atlantic Avenue" is in the town beside it, not in the ocean it is named after
    ms = by_text(mentions(extractor, "A bus caught fire on Atlantic Avenue in Brooklyn on Monday."))
    assert ms["Atlantic Avenue"]["name"] == "Brooklyn" and ms["Atlantic Avenue"]["placed_by"] == "context"


def test_an_embassy_is_not_in_the_country_it_is_named_after(extractor):
    ms = by_text(mentions(extractor, "In Nairobi, protesters gathered outside the Embassy of Norway on Monday."))
    assert ms["Embassy of Norway"]["country_code"] == "KE"


def test_a_place_with_no_town_to_hold_it_stays_unresolved_and_listed(extractor):
    ms = by_text(mentions(extractor, "Protesters marched from Tahrir Square on Friday."))
    assert ms["Tahrir Square"]["name"] is None and ms["Tahrir Square"]["placed_by"] is None
