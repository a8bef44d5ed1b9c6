"""Aggregates the API and dashboard show: actors with counts, counts by day x QuadClass, by
PLOVER type and by actor pair, map points, and the relation series between two actors.

Every function takes the same `EventQuery` filters as `Store.events`, so a chart always shows
the events the list shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, and_, case, func, or_, select
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ._query import EventQuery, _prefix, conditions
from ._schema import event_actors, events
from ._store import Store

INTERVALS = ("day", "month", "year")
_PERIOD_LENGTH = {"day": 10, "month": 7, "year": 4}

T = TypeVar("T")


def _where(q: EventQuery | None) -> list[Any]:
    q = q or EventQuery()
    return conditions(EventQuery(**{**q.__dict__, "after_seq": None, "limit": None}))


def _run(store: Store, what: str, fn: Callable[[Connection], T]) -> T:
    try:
        with store._engine.connect() as conn:
            return fn(conn)
    except SQLAlchemyError as exc:
        raise store._fail(f"cannot read {what}", exc) from exc


def actor_counts(store: Store, search: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Actor codes with the events they take part in (as actor or recipient) and the names they
    appear under, most frequent first; `search` matches a code prefix or a name fragment."""
    where: list[ColumnElement[bool]] = [
        event_actors.c.code.is_not(None), event_actors.c.role.in_(("actor", "recipient"))]
    if search and search.strip():
        s = search.strip()
        where.append(or_(_prefix(event_actors.c.code, s.upper()), event_actors.c.text.icontains(s, autoescape=True)))

    def fn(conn: Any) -> list[dict[str, Any]]:
        top = conn.execute(
            select(event_actors.c.code, func.count(func.distinct(event_actors.c.event_id)).label("n"))
            .where(*where).group_by(event_actors.c.code)
            .order_by(func.count(func.distinct(event_actors.c.event_id)).desc(), event_actors.c.code)
            .limit(limit)
        ).all()
        codes = [r.code for r in top]
        names: dict[str, list[tuple[int, str]]] = defaultdict(list)
        if codes:
            for r in conn.execute(
                select(event_actors.c.code, event_actors.c.text, func.count().label("n"))
                .where(event_actors.c.code.in_(codes)).group_by(event_actors.c.code, event_actors.c.text)
            ):
                names[r.code].append((int(r.n), r.text))
        return [{"code": r.code, "events": int(r.n),
                 "names": [t for _, t in sorted(names[r.code], key=lambda x: (-x[0], x[1]))[:5]]} for r in top]

    return _run(store, "actors", fn)


def event_stats(store: Store, q: EventQuery | None = None, pairs: int = 100) -> dict[str, Any]:
    """Counts by day x QuadClass, by PLOVER type and by (actor, recipient) code pair."""
    where = _where(q)

    def fn(conn: Any) -> dict[str, Any]:
        by_day: dict[str, dict[str, int]] = {}
        for r in conn.execute(
            select(events.c.date, events.c.quad_class, func.count().label("n"))
            .where(events.c.date.is_not(None), *where)
            .group_by(events.c.date, events.c.quad_class).order_by(events.c.date)
        ):
            by_day.setdefault(r.date, {"1": 0, "2": 0, "3": 0, "4": 0})[str(r.quad_class)] = int(r.n)
        by_plover = {
            r.plover or "(none)": int(r.n)
            for r in conn.execute(
                select(events.c.plover, func.count().label("n")).where(*where)
                .group_by(events.c.plover).order_by(func.count().desc(), events.c.plover)
            )
        }
        from sqlalchemy.orm import aliased  # here, not at import: sqlalchemy.orm costs every process ~0.1 s

        a = aliased(event_actors)
        b = aliased(event_actors)
        pair_rows = conn.execute(
            select(a.c.code.label("actor"), b.c.code.label("recipient"), func.count().label("n"),
                   func.sum(events.c.goldstein).label("goldstein"),
                   func.sum(case((events.c.quad_class <= 2, 1), else_=0)).label("cooperation"))
            .select_from(events.join(a, and_(a.c.event_id == events.c.event_id, a.c.role == "actor"))
                         .join(b, and_(b.c.event_id == events.c.event_id, b.c.role == "recipient")))
            .where(a.c.code.is_not(None), b.c.code.is_not(None), *where)
            .group_by(a.c.code, b.c.code).order_by(func.count().desc(), a.c.code, b.c.code).limit(pairs)
        ).all()
        total = int(conn.execute(select(func.count()).select_from(events).where(*where)).scalar() or 0)
        return {
            "events": total,
            "by_day": [{"date": d, "quad_class": c} for d, c in by_day.items()],
            "by_plover": by_plover,
            "by_actor_pair": [
                {"actor": r.actor, "recipient": r.recipient, "events": int(r.n),
                 "cooperation": int(r.cooperation or 0), "conflict": int(r.n) - int(r.cooperation or 0),
                 "goldstein": round(float(r.goldstein or 0.0), 2)}
                for r in pair_rows
            ],
        }

    return _run(store, "statistics", fn)


def map_points(store: Store, q: EventQuery | None = None, limit: int = 2000) -> list[dict[str, Any]]:
    """Event locations with coordinates, grouped by place: counts by QuadClass and precision."""
    where = _where(q)

    def fn(conn: Any) -> list[dict[str, Any]]:
        rows = conn.execute(
            select(events.c.location_name, events.c.location_lat, events.c.location_lon,
                   events.c.location_country, events.c.location_precision, events.c.quad_class,
                   func.count().label("n"))
            .where(events.c.location_lat.is_not(None), events.c.location_lon.is_not(None), *where)
            .group_by(events.c.location_name, events.c.location_lat, events.c.location_lon,
                      events.c.location_country, events.c.location_precision, events.c.quad_class)
        ).all()
        points: dict[tuple[Any, ...], dict[str, Any]] = {}
        for r in rows:
            key = (r.location_name, r.location_lat, r.location_lon, r.location_precision)
            p = points.setdefault(key, {"name": r.location_name, "lat": r.location_lat, "lon": r.location_lon,
                                        "country": r.location_country, "precision": r.location_precision,
                                        "events": 0, "quad_class": {"1": 0, "2": 0, "3": 0, "4": 0}})
            p["events"] += int(r.n)
            p["quad_class"][str(r.quad_class)] += int(r.n)
        return sorted(points.values(), key=lambda p: (-p["events"], p["name"], p["lat"], p["lon"]))[:limit]

    return _run(store, "places", fn)


@dataclass
class RelationPoint:
    period: str
    direction: str  # "a->b" or "b->a"
    events: int = 0
    quad_class: dict[str, int] = field(default_factory=lambda: {"1": 0, "2": 0, "3": 0, "4": 0})
    goldstein_sum: float = 0.0
    event_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "direction": self.direction, "events": self.events,
                "quad_class": self.quad_class, "goldstein_sum": round(self.goldstein_sum, 2),
                "goldstein_mean": round(self.goldstein_sum / self.events, 2) if self.events else None,
                "event_ids": self.event_ids}


def relations(store: Store, a: str, b: str, interval: str = "month",
              q: EventQuery | None = None) -> list[dict[str, Any]]:
    """How actors `a` and `b` (code prefixes) act toward each other, per period and direction.

    An event counts for a->b when one of its actors starts with `a` and one of its recipients
    with `b` (and for b->a the other way round). Events without a date are left out.
    """
    if interval not in INTERVALS:
        raise StoreError(f"invalid interval {interval!r}: expected one of {', '.join(INTERVALS)}")
    a, b = a.strip().upper(), b.strip().upper()
    if not a or not b:
        raise StoreError("relations need two actor codes")
    where = _where(q)
    length = _PERIOD_LENGTH[interval]

    def role_is(role: str, prefix: str) -> Any:
        return events.c.event_id.in_(
            select(event_actors.c.event_id).where(event_actors.c.role == role, _prefix(event_actors.c.code, prefix))
        )

    a_to_b = and_(role_is("actor", a), role_is("recipient", b))
    b_to_a = and_(role_is("actor", b), role_is("recipient", a))

    def fn(conn: Any) -> list[dict[str, Any]]:
        out: dict[tuple[str, str], RelationPoint] = {}
        for label, cond in (("a->b", a_to_b), ("b->a", b_to_a)):
            for r in conn.execute(
                select(events.c.event_id, events.c.date, events.c.quad_class, events.c.goldstein)
                .where(events.c.date.is_not(None), cond, *where).order_by(events.c.date, events.c.seq)
            ):
                period = r.date[:length]
                p = out.setdefault((period, label), RelationPoint(period, label))
                p.events += 1
                p.quad_class[str(r.quad_class)] += 1
                p.goldstein_sum += float(r.goldstein)
                p.event_ids.append(r.event_id)
        return [out[k].to_dict() for k in sorted(out)]

    return _run(store, "relations", fn)

