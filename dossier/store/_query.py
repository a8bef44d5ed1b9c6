"""EventQuery: the filters `Store.events` understands, turned into SQL conditions."""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    and_,
    any_,
    bindparam,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from ..errors import StoreError
from ..model import FACTUALITY_VALUES
from ._fulltext import sentence_match
from ._schema import doc_references, event_actors, event_date_seqs, events


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


def _prefix(column: ColumnElement[Any], prefix: str, indexable: bool = True) -> ColumnElement[bool]:
    """`column` starts with `prefix`, written as a range so a plain b-tree index serves it
    (LIKE 'x%' is not indexable by default on either SQLite or PostgreSQL), with the LIKE
    kept as the definition. Not `indexable`: the same test on `column || ''`, which no index serves."""
    if not indexable:
        column = _opaque(column)
    cond = column.startswith(prefix, autoescape=True)
    upper = _prefix_end(prefix)
    if upper is not None:
        cond = and_(column >= prefix, column < upper, cond)
    return cond


def _prefix_end(prefix: str) -> str | None:
    """The least string above every string that starts with `prefix` (its last character's successor), so that
    [prefix, end) is the prefix as a range; None for an empty prefix or one ending in the last code point."""
    if not prefix or ord(prefix[-1]) >= 0x10FFFF:
        return None
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _opaque(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The column's value, hidden from the planner's index choice (the same value; NULL stays NULL)."""
    return column.concat("")


def _has_actor(roles: tuple[str, ...], condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """Correlated on the event id, so each test is a seek on event_actors' primary key (event_id, role, ord);
    the code/country test is kept off its own index there (else the planner may walk every row with that code
    for each event, as it did at 100,000 events)."""
    column = _opaque(event_actors.c.role)  # (role, ...) indexes would walk every actor row of that role
    role = column == roles[0] if len(roles) == 1 else column.in_(roles)
    # OFFSET 0 keeps PostgreSQL from turning the EXISTS into a semi-join over every actor row with that code
    # (planned from the hidden columns' default estimates, it hashed 600,000 rows for one page): it stays a test
    # of each event walked
    return exists(select(event_actors.c.event_id).where(event_actors.c.event_id == events.c.event_id, role,
                                                        condition).offset(0))


def conditions(q: EventQuery, indexable: bool = True) -> list[ColumnElement[bool]]:
    """The filters as SQL. Not `indexable`: columns of `events` are hidden from the planner, so that a page
    is found by walking events in seq order (or through `seq IN (...)` candidates) and stops early."""

    def col(c: ColumnElement[Any]) -> ColumnElement[Any]:
        return c if indexable else _opaque(c)

    where: list[ColumnElement[bool]] = []
    if q.actor:
        where.append(_has_actor(("actor",), _prefix(event_actors.c.code, q.actor.strip().upper(), False)))
    if q.recipient:
        where.append(_has_actor(("recipient",), _prefix(event_actors.c.code, q.recipient.strip().upper(), False)))
    if q.country:
        country = q.country.strip().upper()
        where.append(
            or_(
                col(events.c.location_country) == country,
                _has_actor(("actor", "recipient"), _opaque(event_actors.c.country) == country),
            )
        )
    if q.plover:
        where.append(func.upper(col(events.c.plover)) == q.plover.strip().upper())
    if q.cameo:
        where.append(_prefix(events.c.cameo, q.cameo.strip(), indexable))
    if q.since:
        where.append(col(events.c.date) >= _date_bound(q.since, end=False))
    if q.until:
        where.append(col(events.c.date) <= _date_bound(q.until, end=True))
    if q.doc:
        where.append(col(events.c.doc_id) == q.doc)
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
        where.append(col(events.c.factuality).in_(wanted))
    if q.parent:
        where.append(col(events.c.parent) == q.parent.strip())
    if q.after_seq is not None:
        where.append(events.c.seq > q.after_seq)
    return where


# A document, parent or reference filter matching at most this many events (and fewer than the sparsest stream
# would offer) drives a page: the seqs it matches, read through its own index, are the candidates, and the other
# filters are tested on those rows only. (Actor, recipient, country, CAMEO and PLOVER filters are streams instead,
# see `Stream`.)
PROBE_CAP = 20_000


# (statement listing the seqs a filter matches, statement whose rows are counted to size it)
Probe = tuple[Select[Any], Select[Any]]


def _probes(q: EventQuery, lo: int, hi: int | None, skip: frozenset[str] | set[str] = frozenset()
            ) -> list[list[Probe]]:
    """Per filter other than dates, statements that list the seqs it matches inside [lo, hi] (the cursor and the
    dates' range; hi None: no upper bound) through that filter's index, each with a twin for counting (today the
    same statement). Actor filters read event_actors.seq (the event's, copied) from their index alone. Filters
    named in `skip` (actor, recipient, country, cameo, plover) are left out."""

    def in_range(seq: ColumnElement[int]) -> list[ColumnElement[bool]]:
        return [seq >= lo] if hi is None else [seq >= lo, seq <= hi]

    def on_events(*where: ColumnElement[bool]) -> Probe:
        stmt = select(events.c.seq).where(*where, *in_range(events.c.seq))
        return stmt, stmt

    def on_actors(*where: ColumnElement[bool]) -> Probe:
        stmt = select(event_actors.c.seq).where(*where, *in_range(event_actors.c.seq))
        return stmt, stmt

    out: list[list[Probe]] = []
    if q.doc:
        out.append([on_events(events.c.doc_id == q.doc)])
    if q.parent:
        out.append([on_events(events.c.parent == q.parent.strip())])
    if q.reference:
        refs = doc_references.join(events, events.c.event_id == doc_references.c.event_id)
        stmt = select(events.c.seq).select_from(refs).where(doc_references.c.ref_id == q.reference.strip(),
                                                            *in_range(events.c.seq))
        out.append([(stmt, stmt)])
    for role, code in (("actor", q.actor), ("recipient", q.recipient)):
        if code and role not in skip:
            out.append([on_actors(event_actors.c.role == role, _prefix(event_actors.c.code, code.strip().upper()))])
    if q.country and "country" not in skip:
        country = q.country.strip().upper()
        out.append([on_events(events.c.location_country == country),
                    on_actors(event_actors.c.country == country, event_actors.c.role.in_(("actor", "recipient")))])
    if q.cameo and "cameo" not in skip:
        out.append([on_events(_prefix(events.c.cameo, q.cameo.strip()))])
    if q.plover and "plover" not in skip:
        out.append([on_events(func.upper(events.c.plover) == q.plover.strip().upper())])
    return out


def _date_seq_range(conn: Connection, q: EventQuery) -> tuple[int, int] | None:
    """The seqs of every event inside the date filters lie in this range (event_date_seqs); None: no event has a
    date inside them. Only called when `q` has a date filter."""
    where = []
    if q.since:
        where.append(event_date_seqs.c.date >= _date_bound(q.since, end=False))
    if q.until:
        where.append(event_date_seqs.c.date <= _date_bound(q.until, end=True))
    lo, hi = conn.execute(select(func.min(event_date_seqs.c.min_seq), func.max(event_date_seqs.c.max_seq))
                          .where(*where)).one()
    return None if lo is None else (int(lo), int(hi))


# A walk reads the seq range in slices of growing size, each one query in seq order that stops at the page's end:
# every slice is a short range scan on the primary key, whatever the planner thinks of the filters' selectivity.
WALK_FIRST = 2_000
WALK_MAX = 500_000

# A driven walk streams the seqs of the sparsest filter from its own indexes, in seq order and in chunks, and tests
# only those events. It is chosen when that filter matches at most DRIVE_DENSITY of the events it streams over (a
# candidate test, one primary-key lookup, costs several times one event walked in order); its density is measured
# on its first DRIVE_FIRST seqs. Another filter whose density is at most PARTNER_RATIO times the driver's is read
# over each chunk's seq span as well and intersected with it first (index rows are cheaper than candidate tests);
# any other actor or recipient filter is checked on the actor table's (seq, role, code, country) index, one seek
# per candidate, before any event row is read.
DRIVE_FIRST = 500
DRIVE_MAX = 16_000
DRIVE_DENSITY = 0.2
PARTNER_RATIO = 4.0
# A driver with actor or recipient checks and no partner reads them in its own statement; when its
# density says it has at most SPARSE_ALL entries in the whole range, all of them at once (see driven_candidates)
SPARSE_ALL = 8_000
MAX_ARMS = 64  # a prefix matching more distinct codes than this is not streamed (one index range per code)


def _arms(kind: str, k: int, tag: str = "") -> list[tuple[ColumnElement[int], list[ColumnElement[bool]]]]:
    """The index ranges of a stream of this kind with k values (bound as v0..v{k-1}; actor kinds bind `role`; every
    name after `tag`): one per value, each (seq column, conditions) an equality prefix of an index ending in seq."""
    v = [bindparam(f"{tag}v{i}", type_=String) for i in range(k)]
    if kind in ("actor", "recipient"):
        role = bindparam(f"{tag}role", type_=String)
        return [(event_actors.c.seq, [event_actors.c.role == role, event_actors.c.code == c]) for c in v]
    if kind == "country":  # the location's country, or an actor's or recipient's
        return [(events.c.seq, [events.c.location_country == v[0]])] + [
            (event_actors.c.seq, [event_actors.c.country == v[0], event_actors.c.role == role])
            for role in ("actor", "recipient")]
    if kind == "cameo":
        return [(events.c.seq, [events.c.cameo == c]) for c in v]
    return [(events.c.seq, [func.upper(events.c.plover) == v[0]])]  # plover


def _passes(seq: ColumnElement[int], checks: int, dialect: str) -> ColumnElement[bool]:
    """The event `seq` has, for every check j, an actor row of role :crole{j} whose code is in [:clow{j},
    :chigh{j}): one seek each on (seq, role, code, country), from the index alone."""
    tests = []
    for j in range(checks):
        x = event_actors.alias(f"chk{j}")
        sub = select(x.c.seq).where(x.c.seq == seq, x.c.role == bindparam(f"crole{j}", type_=String),
                                    x.c.code >= bindparam(f"clow{j}", type_=String),
                                    x.c.code < bindparam(f"chigh{j}", type_=String))
        # OFFSET 0: PostgreSQL would otherwise hash every actor row with that code (143,000 for DZA) once, where
        # a few thousand seeks are wanted
        tests.append(exists(sub.offset(0) if dialect == "postgresql" else sub))
    return and_(*tests)


@lru_cache(maxsize=256)
def _stream_select(kind: str, k: int, dialect: str = "", checks: int = 0, tag: str = "") -> Select[Any]:
    """One statement per stream shape, built once (building it costs more than running it) and bound to the
    values and to each chunk's start, end and size m: every arm's first m seqs in [start, end], with the arm's
    number.

    On PostgreSQL a stream of codes (actor, recipient, CAMEO) is one index range joined laterally to the array of
    its codes (bound as `codes`), planned once whatever the number of codes (a union of ten ranges took 2.3 ms
    to plan and 0.5 ms to run). With `checks` (see `_passes`), each row read also says whether it passes them, and
    only those that pass come back, with each arm's last row read and its count of rows read, as
    (arm, seq, passed, rows read, last seq read). Every parameter's name starts with `tag`."""
    start, end, m = (bindparam(tag + name, type_=Integer) for name in ("start", "end", "m"))

    def arm(seq: ColumnElement[int], where: list[ColumnElement[bool]]) -> Select[Any]:
        cols: list[ColumnElement[Any]] = [seq.label("seq")]
        cols += [_passes(seq, checks, dialect).label("ok")] if checks else []
        return select(*cols).where(*where, seq >= start, seq <= end).order_by(seq).limit(m)

    if dialect == "postgresql" and kind in ("actor", "recipient", "cameo"):
        codes = (func.unnest(bindparam(f"{tag}codes", type_=ARRAY(String)))
                 .table_valued("code", with_ordinality="arm").render_derived(name=f"{tag}codes"))
        seq, where = _arms(kind, 1, tag)[0]
        column = events.c.cameo if kind == "cameo" else event_actors.c.code
        sub = arm(seq, [*where[:-1], column == codes.c.code]).lateral()
        stmt: Any = select(codes.c.arm, *sub.c).select_from(codes.join(sub, true()))
    else:
        subs = [arm(seq, where).subquery() for seq, where in _arms(kind, k, tag)]
        parts = [select(literal(i, Integer).label("arm"), *sub.c) for i, sub in enumerate(subs)]
        stmt = parts[0] if len(parts) == 1 else union_all(*parts)
    if not checks:
        return stmt  # type: ignore[no-any-return]
    rows = stmt.subquery()
    by_arm = rows.c.arm
    counted = select(rows.c.arm, rows.c.seq, rows.c.ok, func.count().over(partition_by=by_arm).label("n"),
                     func.max(rows.c.seq).over(partition_by=by_arm).label("top")).subquery()
    return select(counted).where(or_(counted.c.ok, counted.c.seq == counted.c.top))


@dataclass
class Stream:
    """One filter's matching seqs (a superset: every event matching the filter is among them), read in seq order
    from its indexes: one index range per value in `values` (the codes a prefix matches; the country; the PLOVER
    type), see `_arms`."""

    name: str  # actor, recipient, country, cameo, plover
    values: list[str]
    prefix: str = ""  # the filter's code prefix (actor, recipient, cameo)
    density: float = 1.0  # matches per event over the first chunk (set by page_plan)
    first: tuple[list[int], int] | None = None  # that chunk, as `fetch` returned it (from the plan's start)

    def arms(self) -> int:
        return 1 if self.name == "plover" else 3 if self.name == "country" else len(self.values)

    def _statement(self, conn: Connection, start: int, end: int, n: int, checks: list[tuple[str, str]],
                   tag: str = "") -> tuple[Select[Any], dict[str, Any], int]:
        """The statement reading a chunk (see `fetch`), its parameters and the rows per arm m."""
        m = max(n // self.arms(), 32)
        dialect = conn.dialect.name
        params: dict[str, Any] = {"start": start, "end": end, "m": m}
        lateral = dialect == "postgresql" and self.name in ("actor", "recipient", "cameo")
        if lateral:
            params["codes"] = self.values
        else:
            params.update({f"v{i}": v for i, v in enumerate(self.values)})
        if self.name in ("actor", "recipient"):
            params["role"] = self.name
        for j, (role, prefix) in enumerate(checks):
            params.update({f"crole{j}": role, f"clow{j}": prefix, f"chigh{j}": _prefix_end(prefix)})
        k = 1 if lateral or self.name in ("country", "plover") else len(self.values)
        stmt = _stream_select(self.name, k, dialect, len(checks), tag)
        return stmt, {tag + name: value for name, value in params.items()}, m

    def fetch(self, conn: Connection, start: int, end: int, n: int,
              checks: list[tuple[str, str]] | None = None) -> tuple[list[int], int]:
        """The stream's distinct seqs in [start, end], ascending, from about n index entries (n split over the
        arms): (seqs, the last seq up to which every arm was read: `end` when every arm ran out first). With
        `checks` ((role, code prefix)), only the seqs passing them, tested in the same statement."""
        if not self.values:  # no code starts with the prefix
            return [], end
        stmt, params, m = self._statement(conn, start, end, n, checks or [])
        return _read_chunk(conn.execute(stmt, params).all(), m, end, bool(checks))


def _read_chunk(rows: Sequence[Any], m: int, end: int, checked: bool) -> tuple[list[int], int]:
    """A chunk's rows ((arm, seq); checked: (arm, seq, passed, rows read, last seq read)) as `Stream.fetch`
    returns them."""
    by_arm: dict[int, list[int]] = {}
    if not checked:
        for arm, seq in rows:
            if seq is not None:
                by_arm.setdefault(arm, []).append(seq)
        covered = min((max(got) for got in by_arm.values() if len(got) >= m), default=end)
        return sorted({s for got in by_arm.values() for s in got if s <= covered}), covered
    full: list[int] = []  # the last seq read by each arm that read m rows (it may have more past it)
    for arm, seq, ok, read, top in rows:
        if seq is None:
            continue
        if ok:
            by_arm.setdefault(arm, []).append(seq)
        if seq == top and read >= m:
            full.append(top)
    covered = min(full, default=end)
    return sorted({s for got in by_arm.values() for s in got if s <= covered}), covered


@lru_cache(maxsize=64)
def _joint_select(parts: tuple[Select[Any], ...]) -> Select[Any]:
    """Streams' chunk statements (each with its own parameter names) as one: rows (stream number, arm, seq)."""
    subs = [part.subquery() for part in parts]
    return union_all(*[select(literal(i, Integer).label("stream"), *sub.c) for i, sub in enumerate(subs)])  # type: ignore[return-value]


def fetch_first(conn: Connection, streams: list[Stream], start: int, end: int, n: int) -> None:
    """Each stream's first chunk (`Stream.fetch` from `start`, about n entries) into its `first`, every stream in
    one statement (one round trip)."""
    todo = [s for s in streams if s.values]
    for s in streams:
        if not s.values:
            s.first = [], end
    if len(todo) == 1:
        todo[0].first = todo[0].fetch(conn, start, end, n)
    if len(todo) <= 1:
        return
    parts, params, ms = [], {}, []
    for i, stream in enumerate(todo):
        stmt, p, m = stream._statement(conn, start, end, n, [], tag=f"s{i}_")
        parts.append(stmt)
        params.update(p)
        ms.append(m)
    rows: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(todo))}
    for i, arm, seq in conn.execute(_joint_select(tuple(parts)), params).all():
        rows[i].append((arm, seq))
    for i, stream in enumerate(todo):
        stream.first = _read_chunk(rows[i], ms[i], end, False)


@dataclass
class DrivenWalk:
    """Candidates in [lo, hi] from `driver`'s stream, chunk by chunk in seq order, each intersected with the
    streams of `partners` over the chunk's span, then kept only where every actor or recipient filter in `checks`
    ((role, code prefix)) has a row in the actor table's (seq, role, code) index."""

    driver: Stream
    partners: list[Stream]
    lo: int
    hi: int
    checks: list[tuple[str, str]] = field(default_factory=list)


def seq_in(conn: Connection, column: ColumnElement[int], seqs: list[int]) -> ColumnElement[bool]:
    """`column IN seqs`, as one array parameter whatever the number of seqs: on PostgreSQL `= ANY(...)`, on SQLite a
    JSON array read by json_each (cheaper to send and plan than hundreds of parameters, and under no bound on their
    number)."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam("seqs", seqs, type_=ARRAY(Integer)))
    # SQLite: one JSON array parameter read by json_each, not 500 parameters each rendered into the statement on
    # every call (SQLAlchemy's expanding IN: about a third of a rare pair's time at 10,000,000 events)
    values = func.json_each(bindparam("seqs", json.dumps(seqs), type_=String)).table_valued("value")
    return column.in_(select(values.c.value))


def _check_select(conn: Connection, seqs: list[int]) -> Select[Any]:
    """The seqs among `seqs` with an actor row of :role whose code is in [:low, :high): one seek each on
    (seq, role, code, country), from the index alone."""
    seq, role, code = event_actors.c.seq, event_actors.c.role, event_actors.c.code
    return select(seq).distinct().where(seq_in(conn, seq, seqs), role == bindparam("role"),
                                        code >= bindparam("low"), code < bindparam("high"))


def _checked(conn: Connection, seqs: list[int], checks: list[tuple[str, str]]) -> list[int]:
    """`seqs` (ascending) without those that some check rules out."""
    for role, prefix in checks:
        if not seqs:
            break
        high = _prefix_end(prefix)  # never None: a stream exists only for a prefix `_codes` could bound
        # the whole list in one statement: one array parameter on either backend (see seq_in)
        params = {"role": role, "low": prefix, "high": high}
        keep = set(conn.execute(_check_select(conn, seqs), params).scalars().all())
        seqs = [s for s in seqs if s in keep]
    return seqs


def driven_candidates(conn: Connection, walk: DrivenWalk) -> Iterator[list[int]]:
    """Ascending lists of candidate seqs, consecutive and in seq order over [walk.lo, walk.hi]; every event in
    that range matching all the streamed filters is in one of them.

    With checks and no partner, the checks run inside the driver's own statement (one round trip per chunk, and
    only the seqs that pass come back); when the driver's density says its whole stream is at most SPARSE_ALL
    rows, the first chunk asks for all of it (each arm up to twice that estimate, 4 * SPARSE_ALL entries at most),
    so that a rare pair, which no page can stop early, costs one statement."""
    start, n = walk.lo, DRIVE_FIRST
    fused = bool(walk.checks) and not walk.partners
    if fused:
        estimate = walk.driver.density * (walk.hi - walk.lo + 1)
        if estimate <= SPARSE_ALL:
            # at most 4 * SPARSE_ALL entries in all, should the estimate be far off
            n = min(max(DRIVE_FIRST, int(2 * estimate) + 1) * walk.driver.arms(), 4 * SPARSE_ALL)
    while start <= walk.hi:
        first = walk.driver.first
        if fused:
            seqs, end = walk.driver.fetch(conn, start, walk.hi, n, walk.checks)
        elif start == walk.lo and n == DRIVE_FIRST and first is not None:
            seqs, end = first  # read already, to measure the density
        else:
            seqs, end = walk.driver.fetch(conn, start, walk.hi, n)
        for partner in walk.partners:
            if not seqs:
                break
            # read as far as the chunk reaches, never more than a bounded number of rows: past what it read, the
            # rest of the chunk waits for the next round
            other, covered = partner.fetch(conn, start, end, max(4 * n, 2_000))
            end = min(end, covered)
            keep = set(other)
            seqs = [s for s in seqs if s <= end and s in keep]
        if not fused:
            seqs = _checked(conn, seqs, walk.checks)
        if seqs:
            yield seqs
        start = end + 1
        n = min(2 * n, max(DRIVE_MAX, n))


@lru_cache(maxsize=16)
def _codes_select(kinds: tuple[str, ...]) -> Select[Any]:
    """For each kind, the distinct codes in [:low_KIND, :high_KIND) (an actor kind's under that role), one index
    seek each inside a recursive query (a loose index scan), at most MAX_ARMS + 1 of them: rows (kind, code), every
    kind in one statement (one round trip)."""
    parts = []
    for kind in kinds:
        low, high = bindparam(f"low_{kind}", type_=String), bindparam(f"high_{kind}", type_=String)
        column = events.c.cameo if kind == "cameo" else event_actors.c.code
        where = [] if kind == "cameo" else [event_actors.c.role == literal(kind, String)]
        first = select(func.min(column)).where(*where, column >= low, column < high).scalar_subquery()
        codes = select(first.label("code")).cte(f"codes_{kind}", recursive=True)
        after = select(func.min(column)).where(*where, column > codes.c.code, column < high).scalar_subquery()
        codes = codes.union_all(select(after.label("code")).where(codes.c.code.is_not(None)))
        found = select(codes.c.code).where(codes.c.code.is_not(None)).limit(MAX_ARMS + 1).subquery()
        parts.append(select(literal(kind, String).label("kind"), found.c.code))
    return parts[0] if len(parts) == 1 else union_all(*parts)  # type: ignore[return-value]


def _codes(conn: Connection, prefixes: dict[str, str]) -> dict[str, list[str] | None]:
    """Per kind (cameo; or an actor kind), the distinct codes starting with its prefix; None when there are more
    than MAX_ARMS or the prefix has no upper bound (empty)."""
    bounded = {kind: (prefix, _prefix_end(prefix)) for kind, prefix in prefixes.items()}
    asked = tuple(kind for kind, (_, high) in bounded.items() if high is not None)
    out: dict[str, list[str] | None] = {kind: None for kind in prefixes}
    if not asked:
        return out
    params: dict[str, Any] = {}
    for kind in asked:
        params.update({f"low_{kind}": bounded[kind][0], f"high_{kind}": bounded[kind][1]})
    found: dict[str, list[str]] = {kind: [] for kind in asked}
    for kind, code in conn.execute(_codes_select(asked), params).all():
        found[kind].append(code)
    out.update({kind: (None if len(codes) > MAX_ARMS else sorted(codes)) for kind, codes in found.items()})
    return out


def _streams(conn: Connection, q: EventQuery) -> list[Stream]:
    """The filters that can be read in seq order from their indexes (actor, recipient, country, cameo, PLOVER)."""
    prefixes = {kind: value.strip() if kind == "cameo" else value.strip().upper()
                for kind, value in (("actor", q.actor), ("recipient", q.recipient), ("cameo", q.cameo)) if value}
    codes = _codes(conn, prefixes) if prefixes else {}
    out = [Stream(kind, found, prefixes[kind]) for kind, found in codes.items() if found is not None]
    if q.country:
        out.append(Stream("country", [q.country.strip().upper()]))
    if q.plover:
        out.append(Stream("plover", [q.plover.strip().upper()]))
    return out


@dataclass
class PagePlan:
    """How to find one page: `where` (with ORDER BY seq LIMIT), over the whole table; or, when `walk` is set,
    over that seq range (inclusive) read in slices (`walk_slices`); or over `candidates`; or over the candidates
    of a `driven` walk."""

    where: list[ColumnElement[bool]]
    walk: tuple[int, int] | None = None
    candidates: list[int] | None = None  # or: only these seqs (ascending), in one statement
    driven: DrivenWalk | None = None


def walk_slices(lo: int, hi: int) -> list[tuple[int, int]]:
    """[lo, hi] cut into consecutive slices of WALK_FIRST, doubling up to WALK_MAX."""
    out, size = [], WALK_FIRST
    while lo <= hi:
        out.append((lo, min(hi, lo + size - 1)))
        lo += size
        size = min(size * 2, WALK_MAX)
    return out


def page_plan(conn: Connection, q: EventQuery, last_seq: int | None = None, known: bool = False) -> PagePlan:
    """How to find one page (`q.limit` set): through the candidates of the most selective filter, a driven walk
    over the sparsest filter's index in seq order, else a walk of the events in seq order.

    Date filters first become a seq range (`_date_seq_range`), which bounds every plan. The filters with an index
    ending in seq (actor, recipient, country, cameo, PLOVER) are measured by the density of their first matches in
    that range; the others (document, parent, reference) are counted up to PROBE_CAP through their own index. A
    counted filter matching fewer events than the sparsest stream would offer lists the candidates; else the
    sparsest stream drives the walk when it is sparse enough (DRIVE_DENSITY); else events are walked in order.

    `known`: the caller read the highest seq already (`last_seq`, None for an empty table), in a statement it had
    to send anyway."""
    lo = 1 if q.after_seq is None else q.after_seq + 1
    hi: int | None = None
    if q.since or q.until:
        found = _date_seq_range(conn, q)
        if found is None:
            return PagePlan([false()])
        lo, hi = max(lo, found[0]), found[1]
        if lo > hi:
            return PagePlan([false()])
    else:
        hi = last_seq if known else conn.execute(select(func.max(events.c.seq))).scalar()
        if hi is None or lo > hi:
            return PagePlan([false()])
    hi = int(hi)
    span = hi - lo + 1  # at most this many events match
    where = [events.c.seq >= lo, events.c.seq <= hi, *conditions(q, indexable=False)]
    streams = _streams(conn, q)
    streamed = {s.name for s in streams}
    fetch_first(conn, streams, lo, hi, DRIVE_FIRST)
    for stream in streams:
        seqs, covered = stream.first or ([], hi)
        if not seqs:  # nothing in range matches this filter
            return PagePlan([false()])
        stream.density = len(seqs) / (covered - lo + 1)
    streams.sort(key=lambda s: s.density)
    # a counted filter is worth listing only when it offers fewer candidates than the sparsest stream would
    # (and at most DRIVE_DENSITY of the range: testing more candidates than that costs more than walking it)
    limit = min(PROBE_CAP, int(span * DRIVE_DENSITY), *(int(s.density * span) for s in streams[:1]))
    best: tuple[int, list[Probe]] | None = None
    for probe in _probes(q, lo, hi, skip=streamed):
        if best is not None and best[0] == 0:
            break
        cap = limit if best is None else best[0] - 1  # counted only as far as it could beat the best so far
        n = 0
        for _, counted in probe:
            if n > cap:
                break
            limited = counted.limit(cap + 1 - n).subquery()
            n += conn.execute(select(func.count()).select_from(limited)).scalar_one()
        if n <= cap:
            best = (n, probe)
    if best is not None:
        if best[0] == 0:  # no row at all: nothing to look for
            return PagePlan([false()])
        listed: set[int | None] = set()
        for stmt, _ in best[1]:
            listed.update(conn.execute(stmt).scalars())
        return PagePlan(where, candidates=sorted(s for s in listed if s is not None))
    if streams and streams[0].density <= DRIVE_DENSITY:
        driver = streams[0]
        partners = [s for s in streams[1:] if s.density <= PARTNER_RATIO * driver.density]
        # a candidate is in every stream that found it, and being in a stream is that filter's test passed (each
        # index range is an exact value the filter accepts): only the other filters are tested on it
        rest = replace(q, **{s.name: None for s in [driver, *partners]})
        where = [events.c.seq >= lo, events.c.seq <= hi, *conditions(rest, indexable=False)]
        # the other actor and recipient filters are checked on the actor index by seq before any row is read
        used = {driver.name, *(s.name for s in partners)}
        checks = [(s.name, s.prefix) for s in streams if s.name in ("actor", "recipient") and s.name not in used]
        return PagePlan(where, driven=DrivenWalk(driver, partners, lo, hi, checks))
    # walk the seq range in order (the range itself only in each slice: a second, wider range on seq can become
    # SQLite's rowid range, every slice then scanning all of it)
    return PagePlan(conditions(q, indexable=False), walk=(lo, hi))
