"""What an event sentence is, by rules: an ACLED-like event type from its
words, and the number of dead it states.

Movement, displacement and siege ("fled towards", "displaced", "besieged")
are strategic developments; a sentence none of the rules reads is "other".
"""

from __future__ import annotations

import re

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
            "fled",
            "flee",
            "displac",
            "refugee",
            "besieg",
            "siege",
            "encircl",
            "blockade",
            "moved to",
            "marched on",
            "entered",
            "crossed into",
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
