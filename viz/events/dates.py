"""Dates in news text, absolute and relative to the article's date.

``find_dates(sentence, article_date)`` returns every date expression with
the date it stands for and its precision (day, week, month, year), in order:

    "on Saturday"          the last Saturday on or before the article's date, day
    "yesterday", "today"   day
    "this week", "last week"            the Monday of that week, week
    "this month", "last month"          the first of that month, month
    "in January", "end of December"     the latest such month not after the article, month
    "September 2018", "in 2018"         month, year
    "29 February 2020", "February 29, 2020", "Feb. 29", "2020-02-29"   day
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_M = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"  # noqa: E501

PATTERNS = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_M}\s*,?\s+(\d{{4}})\b", re.I)),
    ("mdy", re.compile(rf"\b{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,\s*(\d{{4}})\b", re.I)),
    ("my", re.compile(rf"\b{_M}\s+(\d{{4}})\b", re.I)),
    ("md", re.compile(rf"\b{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{{4}})", re.I)),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_M}\b(?!\s*,?\s*\d{{4}})", re.I)),
    (
        "weekday",
        re.compile(
            r"\b(?:on|last|this|early on|late on)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I
        ),
    ),  # noqa: E501
    ("rel_day", re.compile(r"\b(yesterday|today|tonight|the day before yesterday)\b", re.I)),
    ("rel_week", re.compile(r"\b(this|last|past|next)\s+week\b", re.I)),
    ("rel_month", re.compile(r"\b(this|last|past|next)\s+month\b", re.I)),
    ("rel_year", re.compile(r"\b(this|last|past|next)\s+year\b", re.I)),
    (
        "month",
        re.compile(
            rf"\b(?:in|since|during|until|by|of|early|late|mid|mid-)\s+(?:the\s+)?(?:(?:early|late|mid|end\s+of|beginning\s+of|start\s+of)\s+)?{_M}\b(?!\s+\d)",
            re.I,
        ),
    ),  # noqa: E501
    ("year", re.compile(r"\b(?:in|since|during|until|by)\s+(?:early\s+|late\s+|mid-?)?((?:19|20)\d{2})\b", re.I)),
]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    date: date
    precision: str  # day, week, month, year


def _latest_month(month: int, ref: date) -> date:
    """The latest first-of-``month`` not after the reference date's month."""
    year = ref.year if month <= ref.month else ref.year - 1
    return date(year, month, 1)


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    return date(d.year + m // 12, m % 12 + 1, 1)


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _resolve(kind: str, m: re.Match, ref: date) -> tuple[date, str] | None:
    g = [x.lower() if isinstance(x, str) else x for x in m.groups()]
    if kind == "iso":
        d = _safe(int(g[0]), int(g[1]), int(g[2]))
        return (d, "day") if d else None
    if kind == "dmy":
        d = _safe(int(g[2]), MONTHS[g[1]], int(g[0]))
        return (d, "day") if d else None
    if kind == "mdy":
        d = _safe(int(g[2]), MONTHS[g[0]], int(g[1]))
        return (d, "day") if d else None
    if kind == "my":
        return date(int(g[1]), MONTHS[g[0]], 1), "month"
    if kind in ("md", "dm"):
        month, day = (MONTHS[g[0]], int(g[1])) if kind == "md" else (MONTHS[g[1]], int(g[0]))
        first = _latest_month(month, ref)
        d = _safe(first.year, month, day)
        if d and d > ref:  # "March 5" in a March 1 article: last year's
            d = _safe(first.year - 1, month, day)
        return (d, "day") if d else None
    if kind == "weekday":
        back = (ref.weekday() - WEEKDAYS[g[0]]) % 7
        return ref - timedelta(days=back), "day"
    if kind == "rel_day":
        return ref - timedelta(days={"yesterday": 1, "the day before yesterday": 2}.get(g[0], 0)), "day"
    if kind == "rel_week":
        monday = ref - timedelta(days=ref.weekday())
        shift = {"this": 0, "last": -7, "past": 0, "next": 7}[g[0]]
        return monday + timedelta(days=shift), "week"
    if kind == "rel_month":
        first = ref.replace(day=1)
        return _add_months(first, {"this": 0, "last": -1, "past": 0, "next": 1}[g[0]]), "month"
    if kind == "rel_year":
        return date(ref.year + {"this": 0, "last": -1, "past": 0, "next": 1}[g[0]], 1, 1), "year"
    if kind == "month":
        return _latest_month(MONTHS[g[0]], ref), "month"
    if kind == "year":
        return date(int(g[0]), 1, 1), "year"
    return None


def find_dates(text: str, ref: date) -> list[DateMention]:
    """Every date expression in ``text``, in order, overlapping ones resolved
    in favour of the more specific pattern (listed first)."""
    taken: list[tuple[int, int]] = []
    out = []
    for kind, pat in PATTERNS:
        for m in pat.finditer(text):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            r = _resolve(kind, m, ref)
            if r is None:
                continue
            taken.append((s, e))
            out.append(DateMention(s, e, m.group(0), r[0], r[1]))
    return sorted(out, key=lambda d: d.start)
