"""Events from an article's mentions.

A sentence that reads as an event (:mod:`~viz.events.articles.rules`) and
names a literal place becomes one event at each of its most specific places:
"took the towns of Kidal, Gao and Timbuktu" is three, "in Idlib's Saraqeb"
is one (the town over its province).  Where some of them are put somewhere
by a preposition ("signed a deal in Sochi") those are the places.  The
title always gives an event where it names a place.  Metonymic and demonym
mentions feed the actors, never the places, and nor does a country named
as no location ("Russia accuses Turkey of reneging").

Actors: the actor dictionary over the sentence's words, except a country or
capital inside an organisation's name ("OSCE Minsk Group" is not Belarus)
and a place put somewhere ("in Damascus"); a country that speaks, acts or is
named as no location ("The US president said"); an organisation the
dictionary does not know, by its own name ("Karen National Union").
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from viz import settings
from viz.errors import InputError
from viz.events import schema
from viz.events.actors import Actor, ActorDictionary
from viz.events.actors import default as default_actors
from viz.events.articles import nlp as language
from viz.events.articles.document import Article, parse_article
from viz.events.articles.mentions import Mention, Recogniser, Sentence
from viz.events.articles.rules import event_type, fatalities
from viz.events.articles.spotter import tokenize
from viz.events.report import FileReport

RANK = {"city": 0, "admin2": 1, "admin1": 2, "country": 3, "region": 4, "continent": 5}
WHOLE = ("country", "region", "continent")
_CREDIT = re.compile(r"\s*\(([^()]{1,40})\)")  # the agency after a dateline: "KHARTOUM (Reuters) —"
MENTION_COLUMNS = (
    "source",
    "start",
    "end",
    "mention",
    "role",
    "name",
    "lat",
    "lon",
    "country_code",
    "feature",
    "geonameid",
    "score",
    "placed_by",
    "sentence",
)


def _within(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
    """``inner`` is a place inside ``outer`` (a town in its province, a
    province in its country)."""
    fi, fo = inner["feature"], outer["feature"]
    if RANK.get(fi, 9) >= RANK.get(fo, 9) or not inner.get("country_code"):
        return False
    if fo in WHOLE:
        return inner["country_code"] == outer["country_code"]
    if fo == "admin1":
        return inner["country_code"] == outer["country_code"] and inner.get("admin1") == outer.get("name")
    return False


class Extractor:
    """Reads articles: :meth:`events` and :meth:`mentions`."""

    def __init__(self, geocoder: Any = None, actors: ActorDictionary | None = None, *, model: str | None = None):
        if geocoder is None:
            from viz.geo.geocoder import GazetteerGeocoder

            geocoder = GazetteerGeocoder()
        self.geocoder = geocoder
        self.actors = actors or default_actors()
        self.recogniser = Recogniser(geocoder, model=model)
        self._states: dict[str, Actor] = {}
        for a in self.actors.entries.values():
            if a.kind == "state" and a.country:
                self._states.setdefault(a.country, a)

    def analyse(self, article: Article) -> list[Sentence]:
        return self.recogniser.read(article)

    # -- mentions

    def mentions(self, article: Article, sentences: list[Sentence] | None = None) -> list[dict[str, Any]]:
        """Every place mention of the article, in order, as plain records."""
        sentences = self.analyse(article) if sentences is None else sentences
        rows = []
        for s in sentences:
            for m in s.mentions:
                r = m.resolved or {}
                rows.append(
                    {
                        "source": article.source or None,
                        "start": m.start,
                        "end": m.end,
                        "mention": m.text,
                        "role": m.role,
                        "name": r.get("name"),
                        "lat": r.get("lat"),
                        "lon": r.get("lon"),
                        "country_code": r.get("country_code") or None,
                        "feature": r.get("feature"),
                        "geonameid": r.get("geonameid"),
                        "score": r.get("score"),
                        "placed_by": r.get("placed_by"),
                        "sentence": s.text,
                    }
                )
        return rows

    # -- events

    def actors_of(self, s: Sentence) -> list[str]:
        tokens, spans = tokenize(s.text)
        named: list[tuple[int, str]] = []
        others = [e for e in s.entities if e.label in language.OTHER_NAME_LABELS]
        by_span = {(m.start, m.end): m for m in s.mentions}
        matched: list[tuple[int, int]] = []
        for a in self.actors.find(tokens):
            a0, a1 = s.start + spans[a.start][0], s.start + spans[a.end - 1][1]
            if a.actor.kind in ("state", "capital", "demonym"):
                if any(e.start <= a0 and a1 <= e.end and e.end - e.start > a1 - a0 for e in others):
                    continue  # "OSCE Minsk Group", "Zimbabwe Tourism Authority"
                m = by_span.get((a0, a1))
                if m is not None and m.role == "literal" and (m.locative or a.actor.kind == "capital"):
                    continue  # "in Damascus": a place, not a party
            matched.append((a0, a1))
            named.append((a0, a.actor.name))
        for m in s.mentions:
            r = m.resolved
            if not r or not r.get("country_code"):
                continue
            party = m.role in ("metonymic", "demonym") or (
                m.role == "literal" and not m.locative and r["feature"] == "country"
            )
            state = self._states.get(r["country_code"])
            if party and state is not None:
                named.append((m.start, state.name))
        places = [(m.start, m.end) for m in s.mentions if m.role != "embedded"]
        # "KHARTOUM (Reuters) —": the agency that filed the report is no party to its events
        agencies = [
            (s.start + c.start(1), s.start + c.end(1))
            for m in s.mentions
            if m.dateline and (c := _CREDIT.match(s.text, m.end - s.start)) is not None
        ]
        for e in others:
            if e.label == "ORG" and not any(e.start < b and a < e.end for a, b in matched + places + agencies):
                named.append((e.start, e.text))
        named.sort()
        return list(dict.fromkeys(name for _, name in named))

    def events(self, article: Article, sentences: list[Sentence] | None = None) -> list[dict[str, Any]]:
        """The event rows of the article (see :func:`to_frame`)."""
        sentences = self.analyse(article) if sentences is None else sentences
        rows = []
        for s in sentences:
            undated = s.text  # the type is read with the dates taken out ("in March" is no march)
            for d in reversed(s.dates):
                undated = undated[: d.start] + " " + undated[d.end :]
            etype = event_type(undated)
            title = s.index == 0 and bool(article.title.strip())
            if etype == "other" and not title:
                continue
            at = self.places(s.mentions)
            if not at:
                continue
            actors = self.actors_of(s)
            first = s.dates[0] if s.dates else None
            for where in at:
                r = where.resolved
                assert r is not None
                rows.append(
                    {
                        "date": pd.Timestamp(first.date if first else article.date),
                        "date_precision": first.precision if first else "day",
                        "event_type": etype,
                        "actor1": actors[0] if actors else None,
                        "actor2": actors[1] if len(actors) > 1 else None,
                        "actors": "; ".join(actors) or None,
                        "place": where.text,
                        "place_name": r["name"],
                        "lat": r["lat"],
                        "lon": r["lon"],
                        "country_code": r["country_code"] or None,
                        "admin1": r.get("admin1") or None,
                        "geo_precision": {"continent": "country", "region": "country"}.get(r["feature"], r["feature"]),
                        "geonameid": r["geonameid"],
                        "geo_score": r["score"],
                        "geo_source": "online" if r["feature"] == "online" else "gazetteer",
                        "fatalities": fatalities(s.text),
                        "source": article.source or None,
                        "text": s.text,
                        "_idkey": (article.date.isoformat(), article.title, s.index, s.text, where.text),
                    }
                )
        return rows

    @staticmethod
    def places(mentions: list[Mention]) -> list[Mention]:
        """The places a sentence's event is at: its resolved literal
        mentions, less those holding another ("Idlib" beside a town of
        Idlib), of the most specific level, the ones a preposition puts
        somewhere first; one per distinct place."""
        # a dateline says where the report was filed, not where its events happened
        lit = [m for m in mentions if m.role == "literal" and m.resolved is not None and not m.dateline]
        # a country named as no location is a party ("accuses Turkey of"), not where it happened
        lit = [m for m in lit if m.locative or m.resolved["feature"] not in WHOLE]  # type: ignore[index]
        lit = [m for m in lit if not any(n is not m and _within(n.resolved, m.resolved) for n in lit)]  # type: ignore[arg-type]
        if not lit:
            return []
        best = min(RANK.get(m.resolved["feature"], 4) for m in lit)  # type: ignore[index]
        at = [m for m in lit if RANK.get(m.resolved["feature"], 4) == best]  # type: ignore[index]
        at = [m for m in at if m.locative] or at
        out, seen = [], set()
        for m in at:
            r = m.resolved
            key = (r["name"], r["lat"], r["lon"])  # type: ignore[index]
            if key not in seen:
                seen.add(key)
                out.append(m)
        return out


def to_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One frame from the event rows of any number of articles (built once:
    a frame per article would cost more than the extraction)."""
    if not rows:
        return schema.empty()
    df = pd.DataFrame(rows)
    df["event_id"] = schema.event_ids("article", list(df.pop("_idkey")))
    return schema.conform(df)


def mentions_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The mention records of any number of articles as one frame."""
    df = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    for col in ("start", "end", "geonameid"):
        df[col] = pd.array(df[col], dtype="Int64")
    for col in ("lat", "lon", "score"):
        df[col] = pd.to_numeric(df[col]).astype("Float64")
    return df


def extract_text(
    text: str, *, source: str = "", default_date: date | None = None, extractor: Extractor | None = None
) -> pd.DataFrame:
    """The events of one article's text, as a frame."""
    article = parse_article(text, default_date=default_date, source=source)
    return to_frame((extractor or shared(None)).events(article))


def extract_mentions(
    text: str, *, source: str = "", default_date: date | None = None, extractor: Extractor | None = None
) -> pd.DataFrame:
    """Every place mention of one article's text, as a frame
    (:data:`MENTION_COLUMNS`)."""
    article = parse_article(text, default_date=default_date or date.today(), source=source)
    return mentions_frame((extractor or shared(None)).mentions(article))


_EXTRACTORS: dict[int, Extractor] = {}


def shared(geocoder: Any) -> Extractor:
    """One extractor per geocoder for the process (the model and the
    gazetteer's caches are loaded once)."""
    ex = _EXTRACTORS.get(id(geocoder))
    if ex is None:
        ex = _EXTRACTORS[id(geocoder)] = Extractor(geocoder)
    return ex


def read_article(path: Path, *, default_date: date | None = None) -> tuple[Article, FileReport]:
    fr = FileReport(path.name, format="article")
    limit = settings.load().max_file_mb
    if path.exists() and (not path.is_file() or path.stat().st_size > limit * 1024 * 1024):
        raise InputError(f"{path.name}: not a regular file, or over the {limit:,} MiB limit (VIZ_MAX_FILE_MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot open: {exc.strerror or exc}") from exc
    try:
        text, fr.encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, fr.encoding = data.decode("cp1252", errors="replace"), "cp1252"
    return parse_article(text, default_date=default_date, source=path.name), fr


def extract_file(
    path: Path, *, geocoder: Any = None, default_date: date | None = None, mentions: bool = False
) -> tuple[list[dict[str, Any]], FileReport]:
    """The event rows of one article file (see :func:`to_frame`), or with
    ``mentions`` its mention records, and its report."""
    article, fr = read_article(path, default_date=default_date)
    ex = shared(geocoder)
    rows = ex.mentions(article) if mentions else ex.events(article)
    fr.rows_read = fr.rows_kept = len(rows)
    return rows, fr
