"""Name forms shared by the index build and its lookups: how a place's
name is posted (match kinds and their quality), the words of
administrative designations, compass qualifiers, abbreviations, and how a
query becomes the key it is looked up by.  Nothing here reads a source or
an index."""

from __future__ import annotations

import hashlib
import re

from viz.geo.features import ADMIN1, ADMIN2, CONTINENT, COUNTRY, REGION
from viz.geo.text import fold, is_latin_key, skeleton, strip_articles

# Posting kinds.  OTHER is a town's alternate name that is not a spelling of
# its name but another name: a former one ("Salisbury" for Harare), a
# nickname ("Garden City" for Singapore), a neighbouring place's name that
# GeoNames lists ("Alaska" for Fort Ashby).  A town whose own name it is
# should usually win, so it weighs less than a spelling.
# ABBREVIATION is a region named in the short forms of the press: "Calif.",
# "W.Va.", "N.B.", "D.C.".
# DEMONYM is a country named by its people ("Iraqi", "Americans"), as
# annotated corpora (LGL) and column values do; text extraction ignores it.
# INITIALS is a country written as the initials of its name ("SA" South
# Africa, "PNG"): like an acronym it matches only a query in capitals, and it
# yields to a country whose ISO code the letters are ("SA" Saudi Arabia)
# unless the rest of the document says otherwise.
# PART is a place named with a compass word before it that the whole name
# does not hold ("northern Syria", "eastern Ukraine", "West Mosul"): the
# place it is part of, no surer than that.
# CORE is the name inside a lower-level designation ("Chibok LGA", "Kunduz
# district") where the whole is not known: the designation says where it is
# a unit of, and a town of that name elsewhere is a guess.
PRIMARY, ALTERNATE, ARTICLE, ACRONYM, SKELETON, FUZZY, OTHER, ABBREVIATION, DEMONYM, INITIALS, PART, CORE = range(12)
CAPITALS_ONLY = (ACRONYM, INITIALS)
QUALITY = {
    PRIMARY: 1.0,
    ALTERNATE: 0.97,
    ACRONYM: 1.0,
    ARTICLE: 0.93,
    SKELETON: 0.85,
    OTHER: 0.92,
    ABBREVIATION: 0.9,
    DEMONYM: 0.9,
    INITIALS: 0.95,
    PART: 0.8,
    CORE: 0.93,
}
OTHER_NAME_MAX_RATIO = 60.0  # below this likeness (rapidfuzz, 0-100) an alternate is another name
FUZZY_MIN_RATIO = 88.0  # rapidfuzz ratio, 0-100, and the first letter must agree
SKELETON_MIN_RATIO = 65.0  # a skeleton match must still look like the place's name
MAX_POSTINGS = 400  # a key naming more places than this is cut to the most populous

# Words that mark a first-level region in a query ("Anbar province",
# "Province of Anbar", "محافظة إدلب").  Folded forms.
ADMIN_WORDS = frozenset(
    """province governorate oblast state region prefecture muhafazah muhafazat
    wilayah wilayat vilayet velayat krai kray republic county emirate territory
    ostan استان محافظه ولايه ولايت область край""".split()
)

# Words of lower administrative levels ("Chibok LGA", "Kunduz district",
# "Khyber Agency", "Ménaka cercle"): where the whole name is not known, the
# name inside is sought, with no preference for regions: the district's town
# is a closer answer than its province.  Folded forms.
LOCAL_WORDS = frozenset(
    """district subdistrict lga agency department departement cercle commune
    municipality division tehsil woreda zone raion rayon canton""".split()
)
LOCAL_PHRASES = (("local", "government", "area"), ("local", "government"))


def local_core(key: str) -> str:
    """The name inside a lower-level designation, or "" ("chibok lga" ->
    "chibok", "district of kunduz" -> "kunduz")."""
    toks = key.split()
    for phrase in LOCAL_PHRASES:
        if len(toks) > len(phrase) and tuple(toks[-len(phrase) :]) == phrase:
            return " ".join(toks[: -len(phrase)])
    if len(toks) > 1 and toks[-1] in LOCAL_WORDS:
        return " ".join(toks[:-1])
    if len(toks) > 2 and toks[0] in LOCAL_WORDS and toks[1] == "of":
        return " ".join(toks[2:])
    return ""


# Compass words that qualify a name ("northern Syria", "north-east Nigeria",
# "Central Mali"), folded; two-word ones as folded hyphenation leaves them.
_POINTS = ("north", "south", "east", "west")
QUALIFIERS = frozenset(
    [*_POINTS, *(f"{w}ern" for w in _POINTS), "central"]
    + [f"{a}{b}{e}" for a in _POINTS[:2] for b in _POINTS[2:] for e in ("", "ern")]
    + [f"{a} {b}{e}" for a in _POINTS[:2] for b in _POINTS[2:] for e in ("", "ern")]
)
# What a qualified name may be a part of: a country, a region, or a town
# large enough to have quarters that news names so ("West Mosul", "northern
# Gaza"), by its name.
WHOLES = frozenset((COUNTRY, CONTINENT, REGION, ADMIN1, ADMIN2))
PART_TOWN_POPULATION = 100_000


def qualified_part(key: str) -> tuple[int, str]:
    """How many words of a folded key are a compass qualifier, and the name
    after them; (0, "") when it has none ("north east nigeria" -> (2,
    "nigeria"))."""
    toks = key.split()
    for n in (2, 1):
        if len(toks) > n and " ".join(toks[:n]) in QUALIFIERS:
            return n, " ".join(toks[n:])
    return 0, ""


def is_other_name(key: str, primary: str) -> bool:
    """Whether an alternate name (folded) is another name of the place rather
    than a spelling of its name: both in Latin letters and not alike, whole
    or in part, letters or consonants ("Kiev" ~ "Kyiv", "New York City" ~
    "New York", "Dayr az Zawr" ~ "Deir ez-Zor" are spellings; "Salisbury" for Harare is not).  Names in other scripts are
    taken as spellings: they cannot be compared letter by letter."""
    from rapidfuzz import fuzz

    if not (is_latin_key(key) and is_latin_key(primary)):
        return False
    a, b = strip_articles(key) or key, strip_articles(primary) or primary
    if max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b)) >= OTHER_NAME_MAX_RATIO:
        return False
    sa, sb = skeleton(a), skeleton(b)  # transliterations: "Dayr az Zawr" ~ "Deir ez-Zor"
    return not (sa and sb and fuzz.ratio(sa, sb) >= OTHER_NAME_MAX_RATIO)


# "Calif.", "W.Va.", "W. Va.", "N.B.": letters, each run closed by a dot
ABBREVIATED = re.compile(r"^(?:[^\W\d_]{1,6}\.\s?)+$")
_ABBREV_SKIP = frozenset(("of", "and", "the"))


def abbreviation_words(name: str) -> list[str]:
    """The words of a region's name that an abbreviation stands for."""
    return [w for w in fold(name).split() if w not in _ABBREV_SKIP]


def abbreviates(part: str, word: str) -> bool:
    """Whether ``part`` shortens ``word`` as the press does: same first
    letter, the rest of its letters in order ("calif" california, "va"
    virginia, "conn" connecticut, "n" new)."""
    if not part or not word or part[0] != word[0]:
        return False
    rest = iter(word[1:])
    return all(ch in rest for ch in part[1:])


def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def trigram_code(tg: str) -> int:
    code = 0
    for ch in tg:
        code = (code << 21) | ord(ch)
    return code


# Words joining a region word to the name ("Province of Anbar", "Province
# du Hainaut", "Provincia di Bari")
CONNECTORS = frozenset("of de du des d del della di da do dos das".split())


def query_keys(query: str) -> tuple[str, bool, str]:
    """The folded key a query is looked up by, whether it named a region, and
    the whole query folded: a leading "the" goes; a region word ("Anbar
    province", "Province of Anbar", "محافظة إدلب") is taken off and
    remembered.  The whole is sought too, as some places are called so
    ("The Villages", "Australian Capital Territory", "Republic of the Congo")."""
    full = key = fold(query)
    if key.startswith("the "):
        key = key[4:]
    toks = key.split()
    if len(toks) > 1 and (toks[-1] in ADMIN_WORDS or toks[0] in ADMIN_WORDS):
        core = toks[:-1] if toks[-1] in ADMIN_WORDS else toks[1:]
        if core and core[0] in CONNECTORS:
            core = core[1:]
        if core:
            return " ".join(core), True, full
    return key, False, full


def query_key(query: str) -> tuple[str, bool]:
    """:func:`query_keys` without the whole."""
    key, admin_hint, _ = query_keys(query)
    return key, admin_hint
