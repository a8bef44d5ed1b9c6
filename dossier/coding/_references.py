"""References to legal and documentary instruments: UN resolutions, named agreements, reports.

"Resolutions 2118 and 2254" gives two references (UNSC-2118, UNSC-2254); "the Geneva Communique
of 2012" gives agreement `geneva-communique-2012`; "the OPCW report" gives report `report-opcw`.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..model import Reference

DATA = Path(__file__).parent / "data" / "instruments.toml"
_NUM = r"\d{1,4}(?:\s*\(\s*\d{4}\s*\))?"


@lru_cache(maxsize=1)
def _config() -> dict[str, list[str]]:
    with DATA.open("rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    cfg = _config()
    bodies = sorted(cfg["security_council"] + cfg["general_assembly"], key=len, reverse=True)
    body = "|".join(re.escape(b) for b in bodies)
    resolution = re.compile(
        rf"(?:(?P<body>{body})\s+|\bUN\s+|\bU\.N\.\s+)?\b[Rr]esolutions?\s+(?:No\.?\s*|number\s+)?"
        rf"(?P<nums>{_NUM}(?:\s*(?:,|and|&|,\s*and)\s*{_NUM})*)"
    )
    nouns = sorted((n for n in cfg["agreement_nouns"] if n != "Resolution"), key=len, reverse=True)
    name_word = r"(?:[A-Z][\w'’.-]*|of|on|for|and|the|de|du)"
    agreement = re.compile(
        rf"\b(?P<name>(?:[A-Z][\w'’.-]*\s+)(?:{name_word}\s+){{0,5}}?(?:{'|'.join(re.escape(n) for n in nouns)}))"
        rf"(?:\s+(?:of|in)\s+(?P<year>(?:19|20)\d\d))?\b"
    )
    report = re.compile(
        rf"\b(?:(?P<pre>[A-Z][A-Za-z.&-]{{1,20}}(?:\s+[A-Z][A-Za-z.&-]+){{0,6}})(?:'s|’s)?\s+"
        rf"(?:{'|'.join(cfg['report_nouns'])})\b|(?:{'|'.join(cfg['report_nouns'])})\s+(?:by|of|from)\s+(?:the\s+)?"
        rf"(?P<post>[A-Z][A-Za-z.&-]+(?:\s+(?:for|of|the|on|[A-Z][A-Za-z.&-]+)){{0,8}}))"
    )
    return resolution, agreement, report


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """Words each of the agreement and report patterns needs in the text, literally (the report nouns only when
    none of them is written as a pattern): a text with none of them has no match, and the search is skipped."""
    cfg = _config()
    agreement = tuple(n for n in cfg["agreement_nouns"] if n != "Resolution")
    literal = all(re.escape(n) == n for n in cfg["report_nouns"])
    return agreement, tuple(cfg["report_nouns"]) if literal else None


def slug(text: str) -> str:
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


_STOP_START = {"The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "His", "Her", "All", "Any"}


def extract_references(text: str) -> list[Reference]:
    """Every instrument reference in a document text, in text order, with character offsets."""
    resolution, agreement, report = _patterns()
    cfg = _config()
    ga = {b.lower() for b in cfg["general_assembly"]}
    refs: list[Reference] = []
    taken: list[tuple[int, int]] = []
    agreement_cues, report_cues = _cues()
    # most texts name no instrument: each search runs only when the words it needs are in the text
    for m in resolution.finditer(text) if "esolution" in text else ():
        body = (m.group("body") or "").lower()
        kind = "UNGA" if body in ga else "UNSC"
        for n in re.finditer(r"\d{1,4}(?:\s*\(\s*\d{4}\s*\))?", m.group("nums")):
            number = re.match(r"\d+", n.group()).group()  # type: ignore[union-attr]
            start = m.start("nums") + n.start()
            end = m.start("nums") + n.end()
            # the first number carries the words "Resolution(s)" in its span
            span_start = m.start() if not refs or refs[-1].end < m.start() else start
            if n.start() == 0:
                span_start = m.start()
            refs.append(Reference(kind, f"{kind}-{number}", text[span_start:end], span_start, end))
        taken.append((m.start(), m.end()))
    for m in agreement.finditer(text) if any(n in text for n in agreement_cues) else ():
        name = m.group("name")
        first, _, rest = name.partition(" ")
        start = m.start("name")
        if first in _STOP_START:
            if not rest or not rest[0].isupper():
                continue
            name, start = rest, start + len(first) + 1
        if any(s < m.end() and start < e for s, e in taken):
            continue
        year = m.group("year")
        rid = slug(name) + (f"-{year}" if year else "")
        refs.append(Reference("agreement", rid, text[start : m.end()], start, m.end()))
        taken.append((start, m.end()))
    for m in report.finditer(text) if report_cues is None or any(n in text for n in report_cues) else ():
        body = m.group("pre") or m.group("post") or ""
        first, _, rest = body.partition(" ")
        start = m.start()
        if first in _STOP_START:
            if not rest:
                continue
            body, start = rest, start + len(first) + 1
        if any(s < m.end() and start < e for s, e in taken):
            continue
        refs.append(Reference("report", "report-" + slug(body), text[start : m.end()], start, m.end()))
        taken.append((start, m.end()))
    refs.sort(key=lambda r: r.start)
    return refs
