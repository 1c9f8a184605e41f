"""The article extractor as it was before the spaCy recogniser (issue 15),
kept unchanged as the baseline ``benchmarks/recognition.py`` measures beside
the current one in the same run.  Not part of the package.

Events from news articles.

An article is a text file whose first line is ``date YYYY-MM-DD <title>``,
then the body (or plain text with a date given).  Sentence by sentence, the
title included:

* places: spans of capitalised words (any span in other scripts) that the
  gazetteer knows, longest first; demonyms, person names (after a title such
  as "President", or in the actor dictionary) and obscure one-word matches
  not introduced by a preposition ("Concrete steps") are not places; a
  capital that speaks ("Moscow and Ankara have agreed") is an actor, not a
  place.  Every place is resolved with the document's other places as context;
* dates (:mod:`viz.events.dates`), relative to the article's date;
* actors (:mod:`viz.events.actors`);
* an ACLED-like event type by rules, and fatalities where a number of dead
  is stated.

A sentence that names a place and reads as an event becomes one, located at
its most specific place (town before region before country); the title
always does.  The sentence is kept as the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from viz.errors import InputError
from viz.events import schema
from viz.events.actors import ActorDictionary, ActorMention
from viz.events.actors import default as default_actors
from viz.events.dates import DateMention, find_dates
from viz.events.report import FileReport
from viz.geo.features import COUNTRY
from viz.geo.names import CAPITALS_ONLY, DEMONYM, local_core, query_keys
from viz.geo.text import fold, is_latin_key, strip_articles

HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*(.*)$")
# Words, with inner hyphens and apostrophes ("al-Bab", "Ma'arrat") but not a
# possessive ("Tripoli's" is "Tripoli" + "s"); "U.S." stays one token.
TOKEN = re.compile(r"\w+(?:[’'\-](?!s\b)\w+)*(?:\.(?=\w\.))?(?:\w\.)*", re.UNICODE)
SENTENCE_END = re.compile(
    r"(?<=[.!?؟。])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9\u0600-\u06FF\u0400-\u04FF])|\n\s*\n|\n(?=\S)"
)
ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|St|Sen|Rep|Gov|Prof|Jan|Feb|Aug|Sept|Oct|Nov|Dec|U\.S|U\.N|No)\.$"
)
CONNECTORS = {
    "al",
    "el",
    "ad",
    "an",
    "as",
    "ash",
    "ar",
    "az",
    "ez",
    "ed",
    "es",
    "de",
    "del",
    "la",
    "le",
    "of",
    "bin",
    "ibn",
    "abu",
    "upon",
    "sur",
    "am",
    "im",
}  # noqa: E501
TITLES = {
    "president",
    "minister",
    "premier",
    "king",
    "queen",
    "prince",
    "general",
    "gen",
    "colonel",
    "col",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sheikh",
    "commander",
    "spokesman",
    "spokeswoman",
    "chancellor",
    "senator",
    "sen",
    "governor",
    "ambassador",
    "envoy",
    "secretary",
    "chief",
    "leader",
    "counterpart",
    "emir",
    "ayatollah",
    "pope",
    "judge",
}
LOCATIVE = {
    "in",
    "at",
    "near",
    "from",
    "to",
    "into",
    "outside",
    "inside",
    "around",
    "towards",
    "toward",
    "across",
    "of",
    "through",
    "on",
    "within",
    "between",
    "در",
    "في",
    "в",
    "во",
    "под",
}
SPEECH = {
    "said",
    "says",
    "say",
    "agreed",
    "agree",
    "agrees",
    "announced",
    "accused",
    "accuses",
    "warned",
    "warns",
    "denied",
    "denies",
    "has",
    "have",
    "will",
    "would",
    "wants",
    "insisted",
    "rejected",
    "urged",
    "demanded",
    "welcomed",
    "condemned",
    "confirmed",
    "claimed",
    "responded",
    "threatened",
    "hopes",
    "sees",
    "believes",
}
NOTABLE_POPULATION = 15_000
# Capitalised at a sentence's start, never a place there.
STOPWORDS = set(
    """a an the but and or nor if in on at by for with as from to of this that these those he she it they we i you
    his her its their our my your there here when while after before since during although though because so yet
    also both all some many most more no not now then meanwhile however still even only just what which who whom
    whose where why how said says according last next first second new other another each every such than over
    under about against between among into onto upon within without despite toward towards amid""".split()
)
ADMIN_SUFFIX = {
    "province",
    "governorate",
    "region",
    "oblast",
    "state",
    "district",
    "county",
    "prefecture",
    "territory",
    "lga",
    "agency",
    "department",
    "municipality",
}

# Event types by rules, most specific first.  Word stems, matched at word starts.
TYPE_RULES: list[tuple[str, tuple[str, ...]]] = [
    (
        "violence against civilians",
        (
            "massacre",
            "executed civilian",
            "killed civilian",
            "civilians were killed",
            "civilians killed",
            "abduct",
            "kidnap",
            "looted homes",
            "raped",
        ),
    ),
    (
        "explosions/remote violence",
        (
            "shelling",
            "shelled",
            "airstrike",
            "air strike",
            "air raid",
            "bomb",
            "drone",
            "missile",
            "rocket",
            "artillery",
            "explosion",
            "exploded",
            "ied",
            "mortar",
            "strike on",
            "strikes on",
        ),
    ),
    (
        "battle",
        (
            "clash",
            "fighting",
            "fought",
            "battle",
            "offensive",
            "assault",
            "attack",
            "advance",
            "recaptur",
            "captur",
            "seiz",
            "overran",
            "ambush",
            "counteroffensive",
            "killed",
            "retook",
            "took control",
        ),
    ),
    ("riot", ("riot", "mob", "looting", "torched")),
    ("protest", ("protest", "demonstrat", "rally", "rallies", "march", "sit-in", "strike by")),
    (
        "strategic development",
        (
            "deploy",
            "transferr",
            "reinforcement",
            "troops to",
            "withdr",
            "convoy",
            "observation post",
            "arrest",
            "curfew",
            "evacuat",
            "flocked",
            "fleeing",
        ),
    ),
    (
        "agreement/diplomacy",
        (
            "agree",
            "agreement",
            "deal",
            "signed",
            "ceasefire",
            "cease-fire",
            "truce",
            "talks",
            "negotiat",
            "summit",
            "accord",
            "de-escalation",
        ),
    ),
    (
        "statement",
        (
            "said",
            "says",
            "stated",
            "announc",
            "accus",
            "warn",
            "threaten",
            "called",
            "asked",
            "denied",
            "confirm",
            "quoted",
            "claim",
            "condemn",
        ),
    ),
]
_TYPE_RES = [(t, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")", re.I)) for t, words in TYPE_RULES]

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split()
    )
}
NUMBER_WORDS |= {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_UNITS = "|".join(sorted((w for w, v in NUMBER_WORDS.items() if v < 20), key=len, reverse=True))
_TENS = "|".join(w for w, v in NUMBER_WORDS.items() if v >= 20)
_NUMBER = rf"\d[\d,]*|(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS}"
DEAD = re.compile(
    rf"\b({_NUMBER})\s+(?:[\w\-]+\s+){{0,3}}?(?:people|civilians|soldiers|troops|fighters|"
    r"militants|rebels|police(?:men)?|officers|children|persons|members|servicemen|others)?\s*(?:were|have been|"
    r"had been|are|was)?\s*(?:killed|dead|died)\b",
    re.I,
)


def parse_number(text: str) -> int | None:
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    parts = re.split(r"[- ]", t)
    total = 0
    for p in parts:
        if p not in NUMBER_WORDS:
            return None
        total += NUMBER_WORDS[p]
    return total


@dataclass
class Article:
    date: date
    title: str
    body: str
    source: str = ""

    @property
    def sentences(self) -> list[str]:
        out = [self.title.strip()] if self.title.strip() else []
        return out + split_sentences(self.body)


def split_sentences(text: str) -> list[str]:
    parts: list[str] = []
    buf = ""
    for piece in SENTENCE_END.split(text):
        if piece is None:
            continue
        buf = f"{buf} {piece}".strip() if buf else piece.strip()
        if buf and not ABBREV.search(buf):
            parts.append(buf)
            buf = ""
    if buf:
        parts.append(buf)
    return [" ".join(p.split()) for p in parts if p.strip()]


def parse_article(text: str, *, default_date: date | None = None, source: str = "") -> Article:
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None:
        m = HEADER.match(lines[first])
        if m:
            try:
                d = date.fromisoformat(m.group(1))
            except ValueError as exc:
                raise InputError(f"{source}: line {first + 1}: not a date: {m.group(1)!r}") from exc
            return Article(d, m.group(2).strip(), "\n".join(lines[first + 1 :]), source)
    if default_date is None:
        raise InputError(f"{source}: no 'date YYYY-MM-DD <title>' first line, and no --date given")
    return Article(default_date, "", text, source)


@dataclass
class Toponym:
    start: int  # token index
    end: int
    text: str
    char_start: int
    locative: bool
    metonym: bool = False
    resolved: dict[str, Any] | None = None


@dataclass
class SentenceInfo:
    index: int
    text: str
    tokens: list[str]
    spans: list[tuple[int, int]]
    toponyms: list[Toponym] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)


class Extractor:
    def __init__(self, geocoder: Any = None, actors: ActorDictionary | None = None) -> None:
        if geocoder is None:
            from viz.geo.geocoder import GazetteerGeocoder

            geocoder = GazetteerGeocoder()
        self.geocoder = geocoder
        self.gz = geocoder.gazetteer
        self.actors = actors or default_actors()
        self._notable: dict[str, bool] = {}

    # -- toponyms

    def _known(self, text: str) -> bool:
        key, _, full = query_keys(text)
        if not key:
            return False
        # a people's name ("Russian") is no place in running text
        keys = [k for k in (key, full, strip_articles(key), local_core(key)) if k]
        return any((self.gz.keys.get(k)[1] != DEMONYM).any() for k in keys)

    def _notable_name(self, text: str) -> bool:
        key = fold(text)
        hit = self._notable.get(key)
        if hit is None:
            matches, _ = self.gz.lookup(text, fuzzy=False)
            # A region's code ("AP" is Andhra Pradesh, and the Associated
            # Press) is no evidence of a place in running text; a country's is.
            hit = any(
                self.gz.feature[m.place] != 2 or self.gz.pop[m.place] >= NOTABLE_POPULATION
                for m in matches
                if m.quality >= 0.93 and (m.kind not in CAPITALS_ONLY or self.gz.feature[m.place] == COUNTRY)
            )
            self._notable[key] = hit
        return hit

    def toponyms(self, tokens: list[str], spans: list[tuple[int, int]], blocked: set[int]) -> list[Toponym]:
        out: list[Toponym] = []
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            latin = is_latin_key(fold(tok)) if tok else True
            if i in blocked or not tok or (latin and not tok[0].isupper()):
                i += 1
                continue
            # the longest run of name-like tokens from here
            j = i + 1
            while j < n and j - i < 5 and j not in blocked:
                t = tokens[j]
                nxt_latin = is_latin_key(fold(t))
                if (
                    latin
                    and nxt_latin
                    and (t[0].isupper() or (fold(t) in CONNECTORS and j + 1 < n and tokens[j + 1][:1].isupper()))
                    or not latin
                    and not nxt_latin
                ):
                    j += 1
                else:
                    break
            found = None
            for k in range(j, i, -1):
                text = " ".join(tokens[i:k])
                if fold(tokens[k - 1]) in CONNECTORS:
                    continue
                if self._known(text):
                    found = k
                    break
            if found is None:
                i += 1
                continue
            if found - i == 1 and fold(tokens[i]) in STOPWORDS:
                i = found
                continue
            if found < n and fold(tokens[found]) in ADMIN_SUFFIX and self._known(" ".join(tokens[i : found + 1])):
                found += 1  # "Idlib province": the region
            text = " ".join(tokens[i:found])
            prev = fold(tokens[i - 1]) if i > 0 else ""
            locative = prev in LOCATIVE
            # one word (or another script) with no preposition before it must
            # name a notable place: "Concrete steps" is no town in Washington
            single = found - i == 1 or not latin
            if single and not (locative and latin) and not self._notable_name(text):
                i = found
                continue
            out.append(Toponym(i, found, text, spans[i][0], locative))
            i = found
        return out

    # -- analysis

    def analyse(self, article: Article) -> list[SentenceInfo]:
        infos = []
        for idx, sent in enumerate(article.sentences):
            ms = list(TOKEN.finditer(sent))
            tokens = [m.group(0) for m in ms]
            spans = [m.span() for m in ms]
            actors = self.actors.find(tokens)
            blocked: set[int] = set()
            for a in actors:
                if a.actor.kind not in ("capital", "state"):
                    blocked.update(range(a.start, a.end))
            for ti in range(len(tokens) - 1):  # "President Recep Tayyip Erdoğan": a person
                if fold(tokens[ti]) in TITLES:
                    k = ti + 1
                    while k < len(tokens) and tokens[k][:1].isupper() and fold(tokens[k]) not in TITLES:
                        blocked.add(k)
                        k += 1
            dates = find_dates(sent, article.date)
            for dm in dates:  # "01 March 2020": not a place called March
                blocked.update(ti for ti, (a, b) in enumerate(spans) if a < dm.end and dm.start < b)
            info = SentenceInfo(idx, sent, tokens, spans, actors=actors, dates=dates)
            info.toponyms = self.toponyms(tokens, spans, blocked)
            # A capital or a country that speaks or acts is an actor, not a place:
            # "Moscow and Ankara have agreed", "Turkey has observation posts".
            speakers = {(a.start, a.end) for a in actors if a.actor.kind in ("capital", "state")}
            for top in info.toponyms:
                if (top.start, top.end) in speakers and not top.locative and self._speaks(tokens, top.end):
                    top.metonym = True
            infos.append(info)
        names = list(dict.fromkeys(t.text for s in infos for t in s.toponyms if not t.metonym))
        resolved: dict[str, dict[str, Any] | None] = {}
        for name in names:
            loc = self.geocoder.geocode(name, context=[x for x in names if x != name] or None)
            resolved[name] = loc.raw if loc is not None else None
        for s in infos:
            for t in s.toponyms:
                t.resolved = None if t.metonym else resolved.get(t.text)
        return infos

    @staticmethod
    def _speaks(tokens: list[str], end: int) -> bool:
        k = end
        steps = 0
        while k < len(tokens) and steps < 5:
            w = fold(tokens[k])
            if w in SPEECH:
                return True
            if w == "and" and k + 1 < len(tokens) and tokens[k + 1][:1].isupper():
                k += 2
                steps += 2
                continue
            if not w or w in ("s", "has", "have"):
                k += 1
                steps += 1
                continue
            return False
        return False

    def events(self, article: Article) -> list[dict[str, Any]]:
        rows = []
        rank = {"city": 0, "admin2": 1, "admin1": 2, "country": 3, "region": 4, "continent": 5}
        for s in self.analyse(article):
            places = [t for t in s.toponyms if t.resolved is not None]
            # the type is read with the dates taken out ("in March" is no march)
            undated = s.text
            for d in reversed(s.dates):
                undated = undated[: d.start] + " " + undated[d.end :]
            etype = event_type(undated)
            if not places or (etype == "other" and s.index != 0):
                continue
            # The most specific places; of those, the ones introduced by a
            # preposition ("in Sochi") if any: one event at each.
            best = min(rank.get(t.resolved["feature"], 4) for t in places if t.resolved)
            at = [t for t in places if t.resolved and rank.get(t.resolved["feature"], 4) == best]
            at = [t for t in at if t.locative] or at
            actors = list(dict.fromkeys(a.actor.name for a in s.actors))
            for t in s.toponyms:
                if t.metonym:
                    a = self.actors.entries.get(fold(t.text))
                    if a and a.name not in actors:
                        actors.append(a.name)
            first = s.dates[0] if s.dates else None
            seen: set[Any] = set()
            for where in at:
                r = where.resolved
                assert r is not None
                key = (r["name"], r["lat"], r["lon"])
                if key in seen:
                    continue
                seen.add(key)
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


def event_type(sentence: str) -> str:
    for t, rx in _TYPE_RES:
        if rx.search(sentence):
            return t
    return "other"


KILLING = re.compile(
    rf"\bkill(?:ing|ed)\s+(?:at least\s+|some\s+|about\s+|around\s+|nearly\s+|more than\s+|over\s+)?({_NUMBER})\b",
    re.I,
)


def fatalities(sentence: str) -> int | None:
    """Deaths stated in a sentence ("36 soldiers were killed", "killing at
    least ten civilians"), summed; None when none is stated."""
    total = None
    for rx in (DEAD, KILLING):
        for m in rx.finditer(sentence):
            n = parse_number(m.group(1))
            if n is not None:
                total = (total or 0) + n
    return total


def to_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One frame from the event rows of any number of articles (built once:
    a frame per article would cost more than the extraction)."""
    if not rows:
        return schema.empty()
    df = pd.DataFrame(rows)
    df["event_id"] = schema.event_ids("article", list(df.pop("_idkey")))
    return schema.conform(df)


def extract_text(
    text: str, *, source: str = "", default_date: date | None = None, extractor: Extractor | None = None
) -> pd.DataFrame:
    article = parse_article(text, default_date=default_date, source=source)
    ex = extractor or Extractor()
    return to_frame(ex.events(article))


_EXTRACTORS: dict[int, Extractor] = {}


def extract_file(
    path: Path, *, geocoder: Any = None, default_date: date | None = None
) -> tuple[list[dict[str, Any]], FileReport]:
    """The event rows of one article file (see :func:`to_frame`) and its report."""
    fr = FileReport(path.name, format="article")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot open: {exc.strerror or exc}") from exc
    try:
        text, fr.encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, fr.encoding = data.decode("cp1252", errors="replace"), "cp1252"
    ex = _EXTRACTORS.get(id(geocoder))
    if ex is None:
        ex = _EXTRACTORS[id(geocoder)] = Extractor(geocoder)
    article = parse_article(text, default_date=default_date, source=path.name)
    rows = ex.events(article)
    fr.rows_read = fr.rows_kept = len(rows)
    return rows, fr
