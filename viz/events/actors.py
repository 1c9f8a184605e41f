"""The actor dictionary: who a name in the news stands for.

Built from two parts:

* generated from the gazetteer's sources (countryinfo): every country's names,
  its demonym ("Syrian", "Turkish") and plural, and its capital used as a
  metonym ("Moscow said" is Russia speaking);
* ``data/actors.tsv``, editable: leaders, armed groups, institutions and
  international bodies ("Erdoğan" -> Turkey, "SDF" -> Syrian Democratic Forces).

Matching is on folded tokens (case and accents do not matter), longest name
first, over n-grams of up to six tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from viz.geo.text import fold

ACTORS_FILE = Path(__file__).resolve().parents[2] / "data" / "actors.tsv"
MAX_TOKENS = 6
TOKEN = re.compile(r"[\w’'\-\.]+", re.UNICODE)


@dataclass(frozen=True)
class Actor:
    name: str  # canonical actor
    kind: str  # state, leader, armed group, capital, demonym, ...
    country: str  # ISO-2 or ""


@dataclass(frozen=True)
class ActorMention:
    start: int  # token index
    end: int
    text: str
    actor: Actor


class ActorDictionary:
    def __init__(self, entries: dict[str, Actor], acronyms: frozenset[str] = frozenset()) -> None:
        self.entries = entries  # folded name -> actor
        self.acronyms = acronyms  # folded keys that match only when written in capitals ("UN", not "un")

    @classmethod
    def load(cls, path: Path = ACTORS_FILE) -> ActorDictionary:
        entries: dict[str, Actor] = {}
        acronyms: set[str] = set()
        for key, actor in _generated().items():
            entries.setdefault(key, actor)
        if path.exists():
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) < 3:
                    raise ValueError(f"{path.name}, line {lineno}: want NAME<TAB>ACTOR<TAB>KIND[<TAB>CC]")
                cc = parts[3].strip().upper() if len(parts) > 3 else ""
                key = fold(parts[0])
                entries[key] = Actor(parts[1].strip(), parts[2].strip(), cc)
                bare = parts[0].replace(".", "").strip()
                if bare.isupper() and len(bare) <= 5:
                    acronyms.add(key)
        return cls(entries, frozenset(acronyms))

    def find(self, tokens: list[str]) -> list[ActorMention]:
        """Actor mentions in a token list, longest match first, no overlaps."""
        keys = [fold(t) for t in tokens]
        out: list[ActorMention] = []
        i = 0
        while i < len(tokens):
            for n in range(min(MAX_TOKENS, len(tokens) - i), 0, -1):
                k = " ".join(x for x in keys[i : i + n] if x)
                actor = self.entries.get(k)
                if actor is not None and k in self.acronyms:
                    written = "".join(tokens[i : i + n]).replace(".", "")
                    if not written.isupper():
                        actor = None
                if actor is not None and k:
                    out.append(ActorMention(i, i + n, " ".join(tokens[i : i + n]), actor))
                    i += n
                    break
            else:
                i += 1
        return out


@lru_cache(maxsize=1)
def _generated() -> dict[str, Actor]:
    from viz.geo.sources import countryinfo_records

    out: dict[str, Actor] = {}
    records = countryinfo_records()
    for iso, rec in sorted(records.items()):
        name = rec.get("name") or iso
        country = Actor(name, "state", iso)
        for n in [name, *(s for s in rec.get("altSpellings") or [] if len(s) > 3 and not s.isupper())]:
            out.setdefault(fold(n), country)
        demonym = rec.get("demonym")
        if demonym:
            d = Actor(name, "demonym", iso)
            out.setdefault(fold(demonym), d)
            out.setdefault(fold(demonym) + "s", d)
        capital = rec.get("capital")
        if capital:
            out.setdefault(fold(capital), Actor(name, "capital", iso))
    return out


@lru_cache(maxsize=1)
def default() -> ActorDictionary:
    return ActorDictionary.load()
