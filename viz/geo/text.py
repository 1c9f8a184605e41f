"""Folding of place names into lookup keys.

Every name in the gazetteer and every query goes through the same functions, so
that spellings which differ only in case, accents, punctuation, Arabic article
or transliteration meet on the same key.  Three levels, from strict to loose:

``fold``      case, accents, punctuation, script-internal letter variants
              (Akçakale = Akcakale, "Ma'arrat an-Nu'man" = "maarrat an numan",
              Arabic/Persian yeh, kaf, alef and teh marbuta forms).
``strip_articles``  the fold with Arabic articles removed, detached
              ("Ras al-Ain" -> "ras ain") or attached ("Alraqqa" -> "raqqa").
``skeleton``  a consonant skeleton of a Latin-script fold, so that
              transliterations meet (Sheikhoun/Shaykhun, Deir ez-Zor/Dayr az
              Zawr, Raqqa/Raqqah, Zaporozhye/Zaporizhzhia).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "strip_articles", "skeleton", "trigrams", "is_latin_key"]

# Letters that Unicode decomposition does not reduce to a base letter, and
# letter variants inside the Arabic and Cyrillic scripts that spellers mix up.
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "ё": "е",
        # Arabic script: alef forms, teh marbuta, alef maqsura, Persian yeh and
        # keheh, hamza seats, tatweel.
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ك": "ک",
        "ـ": "",
    }
)

# Apostrophes, ayn/hamza transliteration marks and dots vanish (U.S. -> us,
# Ma'arrat -> maarrat); every other run of non-letters becomes one space.
_VANISH = re.compile(r"[\.'’‘`´ʻʼʿʾ′\u02bc\u02bb\u2019]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

ARTICLES = frozenset("al el ul il as ash ath at ad adh an ar az ez es esh ed en er et".split())
# Sun letters assimilate the article when it is written attached:
# ar-Raqqa -> "arraqqa", as-Safira -> "assafira".
# Compass words in the languages GeoNames names regions in ("Nord Kivu",
# "Sud-Ouest", "Darfur del Norte") meet their English form.
COMPASS = {
    "nord": "north",
    "norte": "north",
    "northern": "north",
    "nordre": "north",
    "sud": "south",
    "sur": "south",
    "sul": "south",
    "southern": "south",
    "sued": "south",
    "est": "east",
    "este": "east",
    "ost": "east",
    "eastern": "east",
    "leste": "east",
    "ouest": "west",
    "oeste": "west",
    "western": "west",
    "centre": "central",
    "centro": "central",
    "center": "central",
}
_ARTICLE_OR_COMPASS = ARTICLES | frozenset(COMPASS)
_ATTACHED_SUN = re.compile(r"^(?:a|e)(th|dh|sh|zh|[tdrzsn])\1")
_ATTACHED_AL = re.compile(r"^(?:al|el)(?=[a-z]{3,})")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name."""
    if text.isascii():  # the common case, without decomposition (same result)
        return _NON_WORD.sub(" ", _VANISH.sub("", text.lower())).strip()
    return _fold_any(text)


def _fold_any(text: str) -> str:
    # compatibility forms first ("𝙰" is "A"), then case, then decomposed again
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.translate(_LETTERS)
    s = _VANISH.sub("", s)
    s = _NON_WORD.sub(" ", s)
    return s.strip()


def strip_articles(key: str) -> str:
    """A folded key without Arabic articles and with compass words in English;
    "" if nothing would change.

    Detached articles are dropped anywhere ("ras al ain" -> "ras ain", "al bab"
    -> "bab"); attached ones only at the start of a word of six letters or
    more ("alatarib" -> "atarib", "arraqqa" -> "raqqa"); in Arabic script the
    attached article of any longer word ("الخرطوم" -> "خرطوم").
    """
    tokens = key.split()
    if (
        _ARTICLE_OR_COMPASS.isdisjoint(tokens)
        and "ال" not in key
        and not any(len(t) >= 6 and t[0] in "ae" for t in tokens)
    ):
        return ""  # nothing that could change: skip the token loop
    out: list[str] = []
    for tok in tokens:
        if tok in ARTICLES:
            continue
        tok = COMPASS.get(tok, tok)
        if tok.startswith("ال") and len(tok) >= 4:  # the Arabic-script article
            out.append(tok[2:])
            continue
        if len(tok) >= 6:
            m = _ATTACHED_AL.match(tok)
            if m:
                tok = tok[m.end() :]
            else:
                m = _ATTACHED_SUN.match(tok)
                if m:
                    tok = tok[1 + len(m.group(1)) :]
        out.append(tok)
    result = " ".join(out)
    return result if result and result != key else ""


_ASCII_KEY = re.compile(r"^[a-z0-9 ]+$")


def is_latin_key(key: str) -> bool:
    return bool(_ASCII_KEY.match(key))


_DIGRAPHS = [
    ("tch", "ch"),
    ("dzh", "j"),
    ("dj", "j"),
    ("ph", "f"),
    ("kh", "h"),
    ("gh", "g"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
]
_FINAL_H = re.compile(r"(?<=[aeiouy])h\b")
_DOUBLE = re.compile(r"(..?)\1+")


def _skeleton_token(tok: str) -> str:
    tok = _FINAL_H.sub("", tok)
    for a, b in _DIGRAPHS:
        tok = tok.replace(a, b)
    if tok[0] in "aeiouy":
        head, tok = "a", tok[1:]
    else:
        head, tok = tok[0], tok[1:]
    tok = re.sub(r"[aeiouyw]+", "", tok)
    tok = head + tok
    tok = re.sub(r"(.)\1+", r"\1", tok)
    return _DOUBLE.sub(r"\1", tok)


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """Consonant skeleton of a Latin-script folded key, articles removed.

    Returns "" where the key is not Latin script or the skeleton would be too
    short (under four letters) to tell places apart.
    """
    if not key or not is_latin_key(key):
        return ""
    base = strip_articles(key) or key
    toks = [_skeleton_token(t) for t in base.split() if t and not t.isdigit()]
    sk = " ".join(t for t in toks if t)
    if len(sk.replace(" ", "")) < 4:
        return ""
    return sk


def trigrams(key: str) -> set[str]:
    """Character trigrams of a key padded with spaces (for fuzzy prefiltering)."""
    padded = f" {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}
