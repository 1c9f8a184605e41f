"""Resolution of an article's place mentions, the whole document as context.

Two steps, in order:

1. **by name**: every distinct name once, through the geocoder, with the
   article's other places as context (so "Tripoli" beside "Misrata" is in
   Libya).
2. **by what holds it**: a name the model calls a place that the gazetteer
   does not know (a street, a square, a building, a village too small for
   the gazetteer) is still somewhere.  It is placed at a place surely named
   inside it ("Manila" of "Manila Cathedral", "Tokyo" of "British Embassy
   Tokyo"), or else at the town the article names nearest before it (after
   it, when none comes before): "a shooting on Frenchmen Street" in a report
   from New Orleans is in New Orleans (a city, or a town some other name of
   the article puts in its country).  A thoroughfare's own words never
   place it ("Atlantic Avenue" is no ocean), nor does the country an
   embassy's name gives (the embassy stands in another).  Such a mention
   keeps its own text; its ``placed_by`` says how it was placed ("inner",
   "context"; "name" for the rest), its score is lowered, and it is never
   finer than a town.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# the words that make a name a thoroughfare's: the name before them is no place it is in
THOROUGHFARE = re.compile(
    r"\b(?:street|st|road|rd|avenue|ave|boulevard|blvd|lane|drive|way|parade|place|terrace|crescent|"
    r"highway|motorway|expressway|freeway|turnpike|row|close|court|square)\b\.?",
    re.IGNORECASE,
)
# a mission named after the country that sends it, standing in another
DIPLOMATIC = re.compile(r"\b(?:embassy|embassies|consulate|high commission|legation)\b", re.IGNORECASE)
TOWN_LEVEL = ("city", "admin2")  # a context place fine enough to hold a street or a building
INNER_SCORE = 0.6  # the share of the inner place's score a mention placed by it keeps
CONTEXT_SCORE = 0.3
CITY_POPULATION = 100_000  # a town this large holds what it stands beside alone


def by_name(mentions: list[Any], geocode: Callable[..., Any]) -> None:
    """Step 1: each distinct name of ``mentions`` through ``geocode(name,
    context=[other names])`` once; ``resolved`` set (None when unknown)."""
    names = list(dict.fromkeys(m.name for m in mentions if m.role in ("literal", "metonymic")))
    cache: dict[str, dict[str, Any] | None] = {}
    for m in mentions:
        if m.name not in cache:
            context = [x for x in names if x != m.name] or None
            loc = geocode(m.name, context=context)
            cache[m.name] = dict(loc.raw, placed_by="name") if loc is not None else None
        m.resolved = cache[m.name]


def by_holder(
    mentions: list[Any],
    geocode: Callable[..., Any],
    inner_places: Callable[[str], list[tuple[str, str]]],
) -> None:
    """Step 2: each literal mention left unresolved placed by a place named
    inside it or by the article's nearest town.  ``inner_places(text)``
    gives the (text, name) of the places surely named inside ``text``;
    ``mentions`` are in the article's order."""
    names = list(dict.fromkeys(m.name for m in mentions if m.role in ("literal", "metonymic") and m.resolved))
    known = {m.name: m.resolved for m in mentions if m.resolved is not None}  # each name looked up once
    by_country: dict[str, set[str]] = {}  # country -> the distinct names placed in it
    for m in mentions:
        if m.resolved is not None and m.resolved.get("country_code"):
            by_country.setdefault(m.resolved["country_code"], set()).add(m.name)
    # a town some other name of the article puts in its country, or a city: a small town that
    # stands alone in its country is as likely a namesake the resolver chose wrong ("Shankill"
    # of Belfast taken for the Irish town), and what it held would be wrong too
    towns = [
        (i, m)
        for i, m in enumerate(mentions)
        if m.role == "literal" and m.resolved is not None and m.resolved.get("feature") in TOWN_LEVEL
        and m.resolved.get("placed_by") == "name"
        and (
            len(by_country.get(m.resolved.get("country_code") or "", set()) - {m.name}) > 0
            or (m.resolved.get("population") or 0) >= CITY_POPULATION
        )
    ]  # fmt: skip
    for i, m in enumerate(mentions):
        if m.role != "literal" or m.resolved is not None or m.dateline:
            continue
        got = _inner(m.text, names, known, geocode, inner_places)
        if got is not None:
            m.resolved = got
            continue
        before = [t for j, t in towns if j < i]
        after = [t for j, t in towns if j > i]
        holder = before[-1] if before else (after[0] if after else None)
        if holder is not None:
            m.resolved = _placed(holder.resolved, "context", CONTEXT_SCORE)


def _inner(
    text: str,
    names: list[str],
    known: dict[str, dict[str, Any]],
    geocode: Callable[..., Any],
    inner_places: Callable[[str], list[tuple[str, str]]],
) -> dict[str, Any] | None:
    """The last place surely named inside ``text``, resolved; None when
    there is none or the name is a thoroughfare's."""
    if THOROUGHFARE.search(text):
        return None
    diplomatic = DIPLOMATIC.search(text) is not None
    for inner, name in reversed(inner_places(text)):
        if inner == text:
            continue
        r = known.get(name)
        if r is None:
            loc = geocode(name, context=[x for x in names if x != name] or None)
            if loc is None:
                continue
            r = loc.raw
        if diplomatic and r.get("feature") in ("country", "region", "continent"):
            continue  # "Embassy of Armenia" stands in another country
        return _placed(r, "inner", INNER_SCORE)
    return None


def _placed(r: dict[str, Any], how: str, share: float) -> dict[str, Any]:
    out = dict(r, placed_by=how)
    if out.get("score") is not None:
        out["score"] = round(float(out["score"]) * share, 3)
    return out
