"""Gazetteer spotting: the spans of a text that the gazetteer knows as
places, longest first.

This is how places are found where the language model cannot read
(Arabic, Persian, Cyrillic: the English pipeline knows no entity there) and
how a proper noun the model left out is picked up.  Spans are runs of
capitalised words (with connectors: "Ras al-Ain", "Bosnia and
Herzegovina"), or any run of words in another script.  A word of another
script is also tried without its inflection: an attached Arabic or Persian
prefix (و ب ل ف ك: "بحلب" is "in Aleppo") and a Russian or Ukrainian case
ending ("Харькова", "в Киеве", "в Одессе").  Demonyms are no places here.
A single word with no preposition before it must name a notable place:
"Concrete steps" is no town in Washington.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from viz.geo.features import ADMIN1, ADMIN2, COUNTRY
from viz.geo.names import CAPITALS_ONLY, DEMONYM, local_core, query_keys
from viz.geo.text import fold, is_latin_key, strip_articles

# Words, with inner hyphens and apostrophes ("al-Bab", "Ma'arrat") but not a
# possessive ("Tripoli's" is "Tripoli" + "s"); "U.S." stays one token.
TOKEN = re.compile(r"\w+(?:[’'\-](?!s\b)\w+)*(?:\.(?=\w\.))?(?:\w\.)*", re.UNICODE)
# Lower-case words that join the capitalised words of one name.
CONNECTORS = frozenset("al el ad an as ash ar az ez ed es de del la le of and bin ibn abu upon sur am im".split())
TITLES = frozenset(
    """president minister premier king queen prince princess general gen colonel col mr mrs ms dr sheikh
    commander spokesman spokeswoman chancellor senator sen governor ambassador envoy secretary chief leader
    counterpart emir ayatollah pope judge mayor""".split()
)
LOCATIVE = frozenset(
    """in at near from to into outside inside around towards toward across of through on within between
    beyond via در از به في من إلى الى в во под из у над до""".split()
)
# Verbs whose object is a place: "after seizing Gharyan", "shelled Kharkiv"
# put a name somewhere as a preposition does.
PLACE_VERBS = frozenset(
    """seized seizing seize seizes captured capturing capture captures took taking take retook retaking
    recaptured recapturing entered entering enter enters reached reaching reach reaches shelled shelling
    bombed bombing bombarded bombarding stormed storming besieged besieging encircled encircling overran
    overrun liberated liberating occupied occupying invaded invading raided raiding struck striking hit
    targeted targeting visited visiting evacuated evacuating fled fleeing flee left leaving""".split()
)
NOTABLE_POPULATION = 15_000
# Capitalised at a sentence's start, never a place there.
STOPWORDS = frozenset(
    """a an the but and or nor if in on at by for with as from to of this that these those he she it they we i you
    his her its their our my your there here when while after before since during although though because so yet
    also both all some many most more no not now then meanwhile however still even only just what which who whom
    whose where why how said says according last next first second new other another each every such than over
    under about against between among into onto upon within without despite toward towards amid""".split()
)
ADMIN_SUFFIX = frozenset(
    "province governorate region oblast state district county prefecture territory lga agency department "
    "municipality".split()
)
# Attached prefixes of Arabic and Persian words: and, in/with, for, then, like.
ARABIC_PREFIXES = ("و", "ب", "ل", "ف", "ك")
# Russian and Ukrainian case endings, longest first, and the endings of the
# nominative a stem may take back ("Одесс-е" -> "Одесс-а").
CYRILLIC_ENDINGS: tuple[str, ...] = (
    *("ами", "ями", "ому", "ему", "ого", "его", "ой", "ей", "ом", "ем", "ах", "ях", "ов", "ев", "ью"),
    *("а", "я", "у", "ю", "е", "і", "ї", "и", "ы"),
)
CYRILLIC_NOMINATIVE = ("", "а", "я", "ь", "й")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_ARABIC = re.compile(r"[\u0600-\u06FF]")


@dataclass
class Spot:
    start: int  # character offsets into the text spotted
    end: int
    text: str  # as written
    name: str  # the form the gazetteer knows ("Харьков" for "Харькова")
    locative: bool  # a preposition before it
    tokens: tuple[int, int]  # token indices


def tokenize(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    ms = list(TOKEN.finditer(text))
    return [m.group(0) for m in ms], [m.span() for m in ms]


def inflections(word: str) -> list[str]:
    """The forms a word of another script may be the inflection of, most
    likely first (the word itself not included)."""
    out: list[str] = []
    if _ARABIC.match(word):
        rest = word
        for _ in range(2):  # "وبحلب": and-in-Aleppo
            if len(rest) > 3 and rest[0] in ARABIC_PREFIXES:
                rest = rest[1:]
                out.append(rest)
    elif _CYRILLIC.search(word):
        for end in CYRILLIC_ENDINGS:
            if word.lower().endswith(end) and len(word) - len(end) >= 3:
                stem = word[: len(word) - len(end)]
                out += [stem + n for n in CYRILLIC_NOMINATIVE if stem + n != word]
    return out


class Spotter:
    """Spans of a text the gazetteer knows, as places."""

    def __init__(self, gazetteer: Any) -> None:
        self.gz = gazetteer
        self._known: dict[str, bool] = {}
        self._notable: dict[str, bool] = {}

    def _country_word(self, text: str, spans: list[tuple[int, int]], i: int, k: int) -> bool:
        """Tokens i..k-1 are a country's name and a word such as "department"
        that names no region of it: "U.S. District", "Kenya Department"."""
        return self.country_and_word(text[spans[i][0] : spans[k - 2][1]], text[spans[i][0] : spans[k - 1][1]])

    def country_and_word(self, head: str, whole: str) -> bool:
        """``whole`` is the country ``head`` and a word such as "district"
        that names no region of it ("U.S. District Court"): a country has
        none of its own name, unlike "Guatemala Department"."""
        matches, _ = self.gz.lookup(head, fuzzy=False)
        country = any(int(self.gz.feature[m.place]) == COUNTRY and m.quality >= 0.93 for m in matches)
        return country and not self._region(whole)

    def _region(self, text: str) -> bool:
        """``text``, a name and a word such as "province", names a region:
        "Idlib province", "Guatemala Department", not "U.S. District" (a
        country has no district of its own name; the court's is no place)."""
        matches, _ = self.gz.lookup(text, fuzzy=False)
        return any(int(self.gz.feature[m.place]) in (ADMIN1, ADMIN2) for m in matches)

    def known(self, text: str) -> bool:
        """The gazetteer knows ``text`` as a place's name (a people's name,
        "Russian", is no place in running text)."""
        hit = self._known.get(text)
        if hit is None:
            key, _, full = query_keys(text)
            keys = [k for k in (key, full, strip_articles(key), local_core(key)) if k] if key else []
            hit = any((self.gz.keys.get(k)[1] != DEMONYM).any() for k in keys)
            self._known[text] = hit
        return hit

    def demonym(self, text: str) -> bool:
        """``text`` names a country by its people ("Syrian", "Kenyans")."""
        key, _, _ = query_keys(text)
        return bool(key) and bool((self.gz.keys.get(key)[1] == DEMONYM).any())

    def notable(self, text: str) -> bool:
        """``text`` is a notable place's exact name: a country, a region, or
        a town of at least NOTABLE_POPULATION people.  A region's code ("AP"
        is Andhra Pradesh, and the Associated Press) is not; a country's is."""
        key = fold(text)
        hit = self._notable.get(key)
        if hit is None:
            matches, _ = self.gz.lookup(text, fuzzy=False)
            hit = any(
                self.gz.feature[m.place] != 2 or self.gz.pop[m.place] >= NOTABLE_POPULATION
                for m in matches
                if m.quality >= 0.93 and (m.kind not in CAPITALS_ONLY or self.gz.feature[m.place] == COUNTRY)
            )
            self._notable[key] = hit
        return hit

    def _name(self, text: str, latin: bool) -> str | None:
        """The form of ``text`` the gazetteer knows, itself or (another
        script, one word) an inflection's base."""
        if self.known(text):
            return text
        if not latin and " " not in text:
            for form in inflections(text):
                if self.known(form) and self.notable(form):
                    return form
        return None

    def spots(self, text: str, *, blocked: set[int] | None = None) -> list[Spot]:
        """The places spotted in ``text``; tokens in ``blocked`` (indices into
        :func:`tokenize`'s list) are never part of one."""
        tokens, spans = tokenize(text)
        blocked = blocked or set()
        out: list[Spot] = []
        i, n = 0, len(tokens)
        while i < n:
            tok = tokens[i]
            latin = is_latin_key(fold(tok))
            if i in blocked or (latin and not tok[0].isupper()):
                i += 1
                continue
            j = i + 1  # the longest run of name-like tokens from here
            while j < n and j - i < 5 and j not in blocked:
                t = tokens[j]
                t_latin = is_latin_key(fold(t))
                joins = (
                    t[0].isupper()
                    or (fold(t) in CONNECTORS and j + 1 < n and tokens[j + 1][:1].isupper())
                    or ("-" in t and t.split("-")[0] in CONNECTORS and t.split("-")[-1][:1].isupper())  # "al-Ain"
                )
                if (latin and t_latin and joins) or (not latin and not t_latin):
                    j += 1
                else:
                    break
            found, name = None, None
            for k in range(j, i, -1):
                if fold(tokens[k - 1]) in CONNECTORS:
                    continue
                if k - i > 1 and fold(tokens[k - 1]) in ADMIN_SUFFIX and self._country_word(text, spans, i, k):
                    continue  # "U.S. Department": the country, then a word
                name = self._name(text[spans[i][0] : spans[k - 1][1]], latin)
                if name is not None:
                    found = k
                    break
            if found is None or name is None:
                i += 1
                continue
            if found - i == 1 and fold(tokens[i]) in STOPWORDS:
                i = found
                continue
            if found < n and fold(tokens[found]) in ADMIN_SUFFIX and found not in blocked:
                whole = text[spans[i][0] : spans[found][1]]
                if self.known(whole) and not self._country_word(text, spans, i, found + 1):
                    found, name = found + 1, whole  # "Idlib province": the region; "U.S. District" is none
            prev = fold(tokens[i - 1]) if i > 0 else ""
            locative = prev in LOCATIVE or prev in PLACE_VERBS
            single = found - i == 1 or not latin
            if single and not (locative and latin) and not self.notable(name):
                i = found
                continue
            a, b = spans[i][0], spans[found - 1][1]
            out.append(Spot(a, b, text[a:b], name, locative, (i, found)))
            i = found
        return out
