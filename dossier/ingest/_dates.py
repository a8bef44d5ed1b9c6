"""Publication dates: from metadata in any common format, or as stated near the start or end of the text."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

# Metadata: absolute dates only ("today", "2 days ago" mean nothing once stored), and all of
# day, month and year, so "May 2023" or "2023" is not silently turned into the 1st.
_METADATA_SETTINGS: dict[str, Any] = {
    "PREFER_DATES_FROM": "past",
    "STRICT_PARSING": True,
    "PARSERS": ["timestamp", "absolute-time"],
}
_TEXT_SETTINGS: dict[str, Any] = {
    "PREFER_DATES_FROM": "past",
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["absolute-time"],
}

# Where a publication date is stated: a dateline or "Published:" at the top, a footer at the end.
_HEAD_CHARS = 600
_TAIL_CHARS = 300

_MONTH_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_NUMERIC_DATE = re.compile(r"\d{1,4}([-/.])\d{1,2}\1\d{1,4}")
_WORD = re.compile(r"[a-z]+")
_MAX_VALUE_CHARS = 100


@functools.cache
def _dateparser() -> Any:
    # Imported on first use: dateparser takes about a second to load its language data.
    import dateparser
    import dateparser.search

    return dateparser


_calls = {"parse_date": 0, "date_from_text": 0}


def date_parser_calls() -> dict[str, int]:
    """How many times this process has called `parse_date` and `date_from_text` (re-ingest checks and
    benchmarks read it: an unchanged document is skipped before either)."""
    return dict(_calls)


def parse_date(value: str) -> str | None:
    """A metadata date ("2023-05-04", "Tue, 04 May 2023 10:00:00 GMT", "May 4, 2023") as YYYY-MM-DD.

    The date is the one stated, in the writer's time zone. Returns None for anything that is not
    a full calendar date.
    """
    _calls["parse_date"] += 1
    value = value.strip()
    if not value or len(value) > _MAX_VALUE_CHARS:
        return None
    try:
        return dt.datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    parsed = _dateparser().parse(value, settings=_METADATA_SETTINGS)
    return parsed.date().isoformat() if parsed is not None else None


def date_from_text(text: str) -> str | None:
    """A publication date stated near the start (or else the end) of the text, as YYYY-MM-DD.

    Only full English dates with day, month and an explicit year count ("May 4, 2023",
    "4 May 2023", "2023-05-04"); numbers such as "Resolution 2254", a year alone, and dates
    in the future are not taken for publication dates.
    """
    _calls["date_from_text"] += 1
    head = text[:_HEAD_CHARS]
    rest = text[_HEAD_CHARS:]
    tail = rest[-_TAIL_CHARS:]
    for chunk in (head, tail):
        found = _first_full_date(chunk) if chunk.strip() else None
        if found:
            return found
    return None


def _first_full_date(chunk: str) -> str | None:
    found = _dateparser().search.search_dates(chunk, languages=["en"], settings=_TEXT_SETTINGS)
    today = dt.date.today()
    for matched, when in found or []:
        day: dt.date = when.date()
        if day > today or day.year < 1900 or not _states_full_date(matched, day.year):
            continue
        # "resolution 2254 of 18 December 2015" dates the resolution, not the article.
        before = chunk[: max(chunk.find(matched), 0)].lower().split()
        if matched.lower().startswith("of ") or before[-1:] == ["of"]:
            continue
        return day.isoformat()
    return None


def _states_full_date(matched: str, year: int) -> bool:
    """The matched words hold an explicit four-digit year and a month name or a numeric d/m/y form."""
    if not re.search(rf"(?<!\d){year}(?!\d)", matched):
        return False
    if any(word in _MONTH_WORDS for word in _WORD.findall(matched.lower())):
        return True
    return _NUMERIC_DATE.search(matched) is not None
