"""An article: its date, title and body, and where each sits in the text.

An article file's first line is ``date YYYY-MM-DD <title>``, then the body;
plain text needs its date given.  The title and the body keep their
character offsets into the decoded text (first line included), so every
mention found in them can say where it is: ``text[start:end] == mention``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from viz.errors import InputError

HEADER = re.compile(r"^(\s*date\s+)(\d{4}-\d{2}-\d{2})(\s*)(.*?)\s*$")
# A sentence ends at . ! ? (Arabic ؟) before a capital, a digit or a letter
# of another script, and at a line break before text or a blank line.
SENTENCE_END = re.compile(
    r"(?<=[.!?؟。])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9\u0600-\u06FF\u0400-\u04FF])|\n\s*\n|\n(?=\S)"
)
ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|St|Sen|Rep|Gov|Prof|Jan|Feb|Aug|Sept|Oct|Nov|Dec|U\.S|U\.N|No)\.$"
)


@dataclass
class Article:
    date: date
    title: str
    body: str
    source: str = ""
    text: str = ""  # the whole decoded text the offsets below point into
    title_start: int = 0
    body_start: int = 0

    def __post_init__(self) -> None:
        if not self.text:  # built by hand: the title on a line of its own, then the body
            self.text = f"{self.title}\n{self.body}" if self.title else self.body
            self.title_start = 0
            self.body_start = len(self.title) + 1 if self.title else 0

    @property
    def sentences(self) -> list[str]:
        """The title, then the body's sentences by punctuation (the
        recogniser uses the language model's sentences instead)."""
        out = [self.title.strip()] if self.title.strip() else []
        return out + split_sentences(self.body)


def split_sentences(text: str) -> list[str]:
    """Sentences by punctuation and line breaks, whitespace collapsed."""
    return [" ".join(text[a:b].split()) for a, b in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, leading and trailing
    whitespace left out; an abbreviation ("Gen.", "U.S.") ends none."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        piece = text[start : m.start()]
        if ABBREV.search(piece.rstrip()) and "\n" not in m.group(0):
            continue
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    spans = []
    for a, b in out:
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            spans.append((a + lead, a + trail))
    return spans


def parse_article(text: str, *, default_date: date | None = None, source: str = "") -> Article:
    """The article in ``text``; ``default_date`` for text with no date line."""
    offset = 1 if text.startswith("\ufeff") else 0
    lines = text[offset:].splitlines(keepends=True)
    pos = offset
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            pos += len(line)
            continue
        m = HEADER.match(line.rstrip("\r\n"))
        if m:
            try:
                d = date.fromisoformat(m.group(2))
            except ValueError as exc:
                raise InputError(f"{source}: line {lineno}: not a date: {m.group(2)!r}") from exc
            title = m.group(4)
            title_start = pos + m.start(4)
            body_start = pos + len(line)
            return Article(d, title, text[body_start:], source, text, title_start, body_start)
        break
    if default_date is None:
        raise InputError(f"{source}: no 'date YYYY-MM-DD <title>' first line, and no --date given")
    return Article(default_date, "", text[offset:], source, text, offset, offset)
