"""EventQuery: the filters `Store.events` understands, turned into SQL conditions."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

from ..errors import StoreError
from ..model import FACTUALITY_VALUES
from ._fulltext import sentence_match
from ._schema import doc_references, event_actors, events


@dataclass
class EventQuery:
    """Filters on events; every field set must match. Results come ordered by `seq`."""

    actor: str | None = None  # CAMEO code prefix on an actor mention ("SYR" matches "SYRGOV")
    recipient: str | None = None  # same, on a recipient mention
    country: str | None = None  # ISO alpha-3: actor's or recipient's country, or the location's
    plover: str | None = None  # exact, case-insensitive
    cameo: str | None = None  # prefix ("11" matches "112")
    since: str | None = None  # inclusive, on the event date: "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    until: str | None = None  # inclusive; "2024-03" means up to 2024-03-31
    doc: str | None = None  # document id
    reference: str | None = None  # Reference.id cited by the event, e.g. "UNSC-2254"
    quad_class: int | None = None  # 1 verbal cooperation .. 4 material conflict
    text: str | None = None  # full-text: the event's sentence contains every word
    factuality: list[str] | None = None  # any of these values (model.FACTUALITY_VALUES); None: all
    parent: str | None = None  # events embedded in this speech act (its event_id)
    after_seq: int | None = None  # keyset pagination: only events with seq > after_seq
    limit: int | None = None


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _date_bound(value: str, *, end: bool) -> str:
    """A partial ISO date widened to its first (or, for `end`, last) day."""
    m = _DATE.match(value.strip())
    if not m:
        raise StoreError(f"invalid date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is None:
        return f"{year}-12-31" if end else f"{year}-01-01"
    if not 1 <= int(month) <= 12:
        raise StoreError(f"invalid date {value!r}: month {month}")
    if day is None:
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-{last:02d}" if end else f"{year}-{month}-01"
    return f"{year}-{month}-{day}"


def _prefix(column: ColumnElement, prefix: str) -> ColumnElement[bool]:
    """`column` starts with `prefix`, written as a range so a plain b-tree index serves it
    (LIKE 'x%' is not indexable by default on either SQLite or PostgreSQL), with the LIKE
    kept as the definition."""
    cond = column.startswith(prefix, autoescape=True)
    if prefix and ord(prefix[-1]) < 0x10FFFF:
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        cond = and_(column >= prefix, column < upper, cond)
    return cond


def _has_actor(roles: tuple[str, ...], condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists(
        select(event_actors.c.event_id).where(
            event_actors.c.event_id == events.c.event_id,
            event_actors.c.role.in_(roles),
            condition,
        )
    )


def conditions(q: EventQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if q.actor:
        where.append(_has_actor(("actor",), _prefix(event_actors.c.code, q.actor.strip().upper())))
    if q.recipient:
        where.append(_has_actor(("recipient",), _prefix(event_actors.c.code, q.recipient.strip().upper())))
    if q.country:
        country = q.country.strip().upper()
        where.append(
            or_(
                events.c.location_country == country,
                _has_actor(("actor", "recipient"), event_actors.c.country == country),
            )
        )
    if q.plover:
        where.append(func.upper(events.c.plover) == q.plover.strip().upper())
    if q.cameo:
        where.append(_prefix(events.c.cameo, q.cameo.strip()))
    if q.since:
        where.append(events.c.date >= _date_bound(q.since, end=False))
    if q.until:
        where.append(events.c.date <= _date_bound(q.until, end=True))
    if q.doc:
        where.append(events.c.doc_id == q.doc)
    if q.reference:
        where.append(
            exists(
                select(doc_references.c.id).where(
                    doc_references.c.event_id == events.c.event_id,
                    doc_references.c.ref_id == q.reference.strip(),
                )
            )
        )
    if q.quad_class is not None:
        where.append(events.c.quad_class == q.quad_class)
    if q.text is not None:
        where.append(sentence_match(q.text))
    if q.factuality is not None:
        wanted = [v.strip().lower() for v in q.factuality if v.strip()]
        bad = [v for v in wanted if v not in FACTUALITY_VALUES]
        if bad:
            raise StoreError(f"unknown factuality {bad[0]!r}: expected some of {', '.join(FACTUALITY_VALUES)}")
        where.append(events.c.factuality.in_(wanted))
    if q.parent:
        where.append(events.c.parent == q.parent.strip())
    if q.after_seq is not None:
        where.append(events.c.seq > q.after_seq)
    return where
