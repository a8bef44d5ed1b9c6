"""Store: saves coded documents and answers event queries, on any SQLAlchemy URL."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Row,
    Table,
    and_,
    bindparam,
    delete,
    distinct,
    func,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from .._faults import fault_point
from ..errors import StoreError
from ..model import ActorMention, CodedDocument, Document, Event, Location, Reference, Span
from ._engine import WRITE_OPTION, display_url, make_engine, one_line
from ._migrations import migrate
from ._query import (
    EventQuery,
    PagePlan,
    conditions,
    driven_candidates,
    page_plan,
    seq_in,
    walk_slices,
)
from ._schema import doc_references, documents, event_actors, event_date_seqs, events, places, sentences

SaveStatus = Literal["new", "unchanged", "updated"]

# Ids per IN (...) list: well under SQLite's bound-parameter limit.
_CHUNK = 500

_ROLES = ("actor", "recipient", "source")  # source = Event.attributed_to


def content_hash(doc: Document) -> str:
    """SHA-1 over the text, title and date: what decides "unchanged" on re-ingest.

    Compare it with `Store.known_documents()` to skip a document before parsing it.
    """
    h = hashlib.sha1()
    for part in (doc.text, doc.title or "", doc.date or ""):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """The event store behind one SQLAlchemy URL (`sqlite:///dossier.db`, `postgresql+psycopg://...`).

    Opening creates the schema or migrates it to the current version. Every method either does
    its work or raises StoreError with a one-line message.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = make_engine(url)
        try:
            self.schema_version = migrate(self._engine)
        except BaseException:
            self._engine.dispose()
            raise

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)!r})"

    def _fail(self, action: str, exc: SQLAlchemyError) -> StoreError:
        return StoreError(f"{action} ({display_url(self.url)}): {one_line(exc)}")

    # -- writing -----------------------------------------------------------------------------

    def known_documents(self, ids: Iterable[str]) -> dict[str, str]:
        """id -> content_hash for those of `ids` already stored."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, str] = {}
        try:
            with self._engine.connect() as conn:
                for chunk in _chunks(wanted):
                    rows = conn.execute(
                        select(documents.c.id, documents.c.content_hash).where(documents.c.id.in_(chunk))
                    )
                    found.update({r.id: r.content_hash for r in rows})
        except SQLAlchemyError as exc:
            raise self._fail("cannot read documents", exc) from exc
        return found

    def has_documents(self) -> bool:
        """Whether any document is stored."""
        try:
            with self._engine.connect() as conn:
                return conn.execute(select(documents.c.id).limit(1)).first() is not None
        except SQLAlchemyError as exc:
            raise self._fail("cannot read documents", exc) from exc

    def input_unchanged(self, doc_id: str, input_hash: str) -> bool:
        """Is `doc_id` stored from exactly this input (`Document.input_hash`)? Asked by the readers before
        parsing dates and identifying languages (`iter_documents(unchanged=...)`)."""
        try:
            with self._engine.connect() as conn:
                found = conn.execute(_INPUT_UNCHANGED, {"doc": doc_id, "input_hash": input_hash}).first()
        except SQLAlchemyError as exc:
            raise self._fail("cannot read documents", exc) from exc
        return found is not None

    def note_inputs(self, hashes: dict[str, str]) -> None:
        """Record the input hash (`Document.input_hash`) of documents found stored unchanged by their content,
        so that the next re-ingest knows them before parsing (stored before input hashes, or read from another
        input giving the same document)."""
        if not hashes:
            return
        try:
            with self._engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    conn.execute(update(documents).where(documents.c.id == bindparam("doc")),
                                 [{"doc": k, "input_hash": v} for k, v in hashes.items()])
        except SQLAlchemyError as exc:
            raise self._fail("cannot save documents", exc) from exc

    def save(self, batch: Sequence[CodedDocument]) -> list[str]:
        """Store a batch in one transaction; per document "new", "unchanged" or "updated".

        Same id and content hash as stored: nothing is written (but its input hash, when read from another
        input). Same id, different content: the
        document and everything derived from it (sentences, events, actors, references,
        places) are replaced. If anything fails, nothing of the batch is stored.
        """
        statuses: list[str] = []
        current = "?"
        what = ""  # the failing step, when it is not one document's
        try:
            with self._engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    ids = [cd.document.id for cd in batch]
                    stored: dict[str, str] = {}
                    for chunk in _chunks(list(dict.fromkeys(ids))):
                        rows = conn.execute(
                            select(documents.c.id, documents.c.content_hash).where(documents.c.id.in_(chunk))
                        )
                        stored.update({r.id: r.content_hash for r in rows})
                    now = _now()
                    children = _Children()
                    # new documents' rows, inserted together (one statement for the batch, in batch order) before
                    # anything else touches them
                    new_rows: list[dict[str, Any]] = []

                    def insert_new() -> None:
                        nonlocal what
                        if new_rows:
                            ids = [r["id"] for r in new_rows]
                            what = "documents " + (", ".join(repr(i) for i in ids) if len(ids) <= 3
                                                   else f"{ids[0]!r} ... {ids[-1]!r} ({len(ids)})")
                            conn.execute(documents.insert(), new_rows)
                            new_rows.clear()
                            what = ""

                    for cd in batch:
                        current = cd.document.id
                        wrong = [ev.event_id for ev in cd.events if ev.doc_id != current]
                        if wrong:
                            raise StoreError(
                                f"cannot save document {current!r}: event {wrong[0]} belongs to "
                                f"another document; batch not stored"
                            )
                        digest = content_hash(cd.document)
                        old = stored.get(current)
                        if old == digest:
                            statuses.append("unchanged")
                            if cd.document.input_hash:  # read from another input to the same document
                                insert_new()
                                conn.execute(update(documents).where(documents.c.id == current)
                                             .values(input_hash=cd.document.input_hash))
                            continue
                        if old is None:
                            new_rows.append(self._new_document_row(cd, digest, now))
                            statuses.append("new")
                        else:
                            insert_new()
                            self._replace_document(conn, cd, digest, now)
                            statuses.append("updated")
                        children.add(cd)
                        stored[current] = digest
                    insert_new()
                    what = f"the sentences and events of documents {children.names()}"
                    children.write(conn)
                    fault_point("commit")
        except SQLAlchemyError as exc:
            raise self._fail(f"cannot save {what or f'document {current!r}'}; batch not stored", exc) from exc
        return statuses

    @staticmethod
    def _document_values(cd: CodedDocument, digest: str) -> dict[str, Any]:
        d = cd.document
        return {
            "text": d.text,
            "title": d.title,
            "date": d.date,
            "date_source": d.date_source,
            "url": d.url,
            "source": d.source,
            "language": d.language,
            "origin": d.origin,
            "content_hash": digest,
            "input_hash": d.input_hash,
            "n_sentences": len(cd.sentences),
        }

    def _new_document_row(self, cd: CodedDocument, digest: str, now: str) -> dict[str, Any]:
        return {"id": cd.document.id, "ingested_at": now, "updated_at": now, **self._document_values(cd, digest)}

    def _replace_document(self, conn: Connection, cd: CodedDocument, digest: str, now: str) -> None:
        doc_id = cd.document.id
        # Explicit deletes, children first (ON DELETE CASCADE exists too, for whole-document deletes).
        event_ids = select(events.c.event_id).where(events.c.doc_id == doc_id).scalar_subquery()
        conn.execute(delete(event_actors).where(event_actors.c.event_id.in_(event_ids)))
        conn.execute(delete(doc_references).where(doc_references.c.doc_id == doc_id))
        conn.execute(delete(events).where(events.c.doc_id == doc_id))
        conn.execute(delete(places).where(places.c.doc_id == doc_id))
        conn.execute(delete(sentences).where(sentences.c.doc_id == doc_id))
        values = self._document_values(cd, digest)
        conn.execute(update(documents).where(documents.c.id == doc_id).values(updated_at=now, **values))

    def analyze(self) -> None:
        """Refresh the query planner's statistics (SQLite ANALYZE, PostgreSQL VACUUM ANALYZE).

        Run after large ingests: without statistics, a filter on a common actor code can be planned as a walk
        over every matching row instead of the index on the event order.
        """
        try:
            with self._engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                if conn.dialect.name == "postgresql":
                    conn.execution_options(isolation_level="AUTOCOMMIT")
                    # the whole database: ours (no SQL built from names); VACUUM also marks the pages all-visible,
                    # without which an index-only count of a filter's matches reads every row it counts
                    conn.exec_driver_sql("VACUUM ANALYZE")
                else:
                    with conn.begin():
                        conn.exec_driver_sql("ANALYZE")
        except SQLAlchemyError as exc:
            raise self._fail("cannot refresh statistics", exc) from exc

    # -- reading -----------------------------------------------------------------------------

    def events(self, q: EventQuery | None = None) -> list[Event]:
        """Events matching `q`, ordered by seq (page with `after_seq` = last seq seen, `limit`)."""
        return [ev for _, ev in self.events_with_seq(q)]

    def events_with_seq(self, q: EventQuery | None = None) -> list[tuple[int, Event]]:
        """As `events`, each with its seq (Event has no seq field): the cursor for the next page."""
        q = q or EventQuery()
        try:
            with self._engine.connect() as conn:
                # a page is planned from what the filters match (see page_plan); a full listing is left as is
                if q.limit is None:
                    rows = conn.execute(_event_select().where(*conditions(q)).order_by(events.c.seq)).all()
                elif conn.dialect.name == "postgresql":
                    # a page reads few rows by design; starting parallel workers for one costs more than it reads,
                    # and so does compiling a statement to machine code (JIT, chosen from the cost of a LIMIT that
                    # a page mostly does not reach: 24 ms of a 50 ms rare pair at 10,000,000 events); in the same
                    # round trip, the highest seq, which the plan needs (every round trip counts on a busy server)
                    last = conn.execute(select(func.set_config("max_parallel_workers_per_gather", "0", True),
                                               func.set_config("jit", "off", True),
                                               select(func.max(events.c.seq)).scalar_subquery())).one()[2]
                    rows = _page_rows(conn, page_plan(conn, q, last, known=True), max(q.limit, 0))
                else:
                    rows = _page_rows(conn, page_plan(conn, q), max(q.limit, 0))
                return list(zip((r.seq for r in rows), _load_events(conn, rows), strict=True))
        except SQLAlchemyError as exc:
            raise self._fail("cannot read events", exc) from exc

    def get_event(self, event_id: str) -> Event | None:
        """One event with everything: sentence text and start, explain, actor paths."""
        try:
            with self._engine.connect() as conn:
                rows = conn.execute(_event_select().where(events.c.event_id == event_id)).all()
                loaded = _load_events(conn, rows)
        except SQLAlchemyError as exc:
            raise self._fail("cannot read events", exc) from exc
        return loaded[0] if loaded else None

    def get_document(self, doc_id: str) -> Document | None:
        try:
            with self._engine.connect() as conn:
                row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
        except SQLAlchemyError as exc:
            raise self._fail("cannot read documents", exc) from exc
        if row is None:
            return None
        return Document(
            id=row.id,
            text=row.text,
            title=row.title,
            date=row.date,
            date_source=row.date_source,
            url=row.url,
            source=row.source,
            language=row.language,
            origin=row.origin,
        )

    def stats(self) -> dict[str, Any]:
        """Counts for `dossier stats`.

        coded_documents: documents with at least one event. non_english_documents: language
        known and not "en". references: distinct (document, reference id, offset) citations.
        by_plover leaves out events without a PLOVER category. by_factuality: what the text claims
        about each event (asserted, reported, alleged, denied, ...). first/last_date: event dates.
        """
        try:
            with self._engine.connect() as conn:

                def count(stmt: Any) -> int:
                    return int(conn.execute(stmt).scalar() or 0)

                distinct_refs = (
                    select(doc_references.c.doc_id, doc_references.c.ref_id, doc_references.c.char_start)
                    .distinct()
                    .subquery()
                )
                first, last = conn.execute(select(func.min(events.c.date), func.max(events.c.date))).one()
                by_plover = conn.execute(
                    select(events.c.plover, func.count())
                    .where(events.c.plover.is_not(None))
                    .group_by(events.c.plover)
                    .order_by(events.c.plover)
                ).all()
                by_factuality = conn.execute(
                    select(events.c.factuality, func.count())
                    .group_by(events.c.factuality)
                    .order_by(events.c.factuality)
                ).all()
                by_quad = conn.execute(
                    select(events.c.quad_class, func.count())
                    .group_by(events.c.quad_class)
                    .order_by(events.c.quad_class)
                ).all()
                return {
                    "documents": count(select(func.count()).select_from(documents)),
                    "events": count(select(func.count()).select_from(events)),
                    "coded_documents": count(select(func.count(distinct(events.c.doc_id)))),
                    "non_english_documents": count(
                        select(func.count())
                        .select_from(documents)
                        .where(and_(documents.c.language.is_not(None), documents.c.language != "en"))
                    ),
                    "sentences": count(select(func.count()).select_from(sentences)),
                    "by_plover": {p: int(n) for p, n in by_plover},
                    "by_quad_class": {int(c): int(n) for c, n in by_quad},
                    "by_factuality": {(f or "asserted"): int(n) for f, n in by_factuality},
                    "references": count(select(func.count()).select_from(distinct_refs)),
                    "places": count(select(func.count()).select_from(places)),
                    "first_date": first,
                    "last_date": last,
                }
        except SQLAlchemyError as exc:
            raise self._fail("cannot read statistics", exc) from exc


# -- rows <-> records ----------------------------------------------------------------------------


# asked once per document read: built once (SQLAlchemy's statement construction costs more than the look-up)
_INPUT_UNCHANGED = select(documents.c.id).where(documents.c.id == bindparam("doc"),
                                                documents.c.input_hash == bindparam("input_hash"))


class _Children:
    """The rows derived from a batch's documents (sentences, places, events, actors, references), written together
    once the documents' own rows are: through COPY on PostgreSQL (psycopg's fast path), executemany elsewhere."""

    def __init__(self) -> None:
        self.by_doc: dict[str, _Children] = {}
        self.sentences: list[dict[str, Any]] = []
        self.places: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.actors: list[dict[str, Any]] = []
        self.refs: list[dict[str, Any]] = []

    def names(self) -> str:
        ids = list(self.by_doc)
        return ", ".join(repr(i) for i in ids) if len(ids) <= 3 else f"{ids[0]!r} ... {ids[-1]!r} ({len(ids)})"

    def add(self, cd: CodedDocument) -> None:
        """The rows of `cd`, after those added before (a document added again replaces its earlier rows and
        moves to the end, as writing it twice would)."""
        one = _Children()
        self.by_doc.pop(cd.document.id, None)
        self.by_doc[cd.document.id] = one
        one._collect(cd)

    def _collect(self, cd: CodedDocument) -> None:
        doc_id = cd.document.id
        self.sentences.extend({"doc_id": doc_id, "idx": i, "char_start": s.start, "char_end": s.end, "text": s.text}
                              for i, s in enumerate(cd.sentences))
        self.places.extend(
            {"doc_id": doc_id, "ord": i, "name": p.name, "geonameid": p.geonameid, "lat": p.lat, "lon": p.lon,
             "country": p.country, "admin1": p.admin1, "precision": p.precision, "char_start": p.start,
             "char_end": p.end}
            for i, p in enumerate(cd.places))
        self.refs.extend(_reference_row(doc_id, None, i, r) for i, r in enumerate(cd.references))
        for ev in cd.events:
            self.events.append(_event_row(doc_id, ev))
            for role, mentions in zip(_ROLES, (ev.actor, ev.recipient, ev.attributed_to or []), strict=True):
                self.actors.extend(_actor_row(ev.event_id, role, i, a) for i, a in enumerate(mentions))
            self.refs.extend(_reference_row(doc_id, ev.event_id, i, r) for i, r in enumerate(ev.references))

    def write(self, conn: Connection) -> None:
        for name in ("sentences", "places", "events", "actors", "refs"):
            setattr(self, name, [row for one in self.by_doc.values() for row in getattr(one, name)])
        _bulk_insert(conn, sentences, self.sentences)
        _bulk_insert(conn, places, self.places)
        if self.events:  # written in list order, so seq follows the batch's document and event order
            _bulk_insert(conn, events, self.events)
            stored: list[Row[Any, Any, Any]] = []
            for chunk in _chunks(list(self.by_doc)):
                stored += conn.execute(select(events.c.event_id, events.c.seq, events.c.date)
                                       .where(events.c.doc_id.in_(chunk))).all()
            seq_of = {r.event_id: r.seq for r in stored}
            for row in self.actors:
                row["seq"] = seq_of[row["event_id"]]
            _widen_date_seqs(conn, [(r.date, r.seq) for r in stored if r.date is not None])
        _bulk_insert(conn, event_actors, self.actors)
        _bulk_insert(conn, doc_references, self.refs)


def _bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) in their order: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        _sqlite_insert(conn, table, rows)
        return
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    from psycopg import sql as pgsql

    names = list(rows[0])
    json_cols = {c.name for c in table.columns if isinstance(c.type, JSON)}
    # composed by the driver from identifiers (the table's own names)
    stmt = pgsql.SQL("COPY {} ({}) FROM STDIN").format(pgsql.Identifier(table.name),
                                                       pgsql.SQL(", ").join(pgsql.Identifier(n) for n in names))
    driver = conn.connection.driver_connection
    dbapi_error = conn.dialect.loaded_dbapi.Error
    try:
        with driver.cursor() as cur, cur.copy(stmt) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row([json.dumps(row[n]) if n in json_cols and row[n] is not None else row[n]
                                for n in names])
    except dbapi_error as exc:  # as SQLAlchemy reports a failed statement, so callers see one kind of error
        raise DBAPIError.instance(f"COPY {table.name}", None, exc, dbapi_error) from exc


def _sqlite_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """executemany of one INSERT with the rows as tuples: what `conn.execute(table.insert(), rows)` stores, without
    SQLAlchemy building and processing a parameter dict per row (a quarter of a batch's save time). The only type
    whose values need converting is JSON, written as SQLAlchemy writes it on SQLite (json.dumps; None as 'null');
    booleans are stored as 1 and 0 either way."""
    names = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    stmt = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join('?' for _ in names)})")
    json_at = [k for k, n in enumerate(names) if isinstance(table.c[n].type, JSON)]
    if json_at:
        dumps = json.dumps
        params = []
        for row in rows:
            values = [row[n] for n in names]
            for k in json_at:
                values[k] = dumps(values[k])
            params.append(tuple(values))
    else:
        params = [tuple(row[n] for n in names) for row in rows]
    conn.exec_driver_sql(stmt, params)


def _widen_date_seqs(conn: Connection, dated: list[tuple[str, int]]) -> None:
    """Widen event_date_seqs to cover these (date, seq) of events just stored (one row per date, upserted)."""
    ranges: dict[str, tuple[int, int]] = {}
    for date, seq in dated:
        lo, hi = ranges.get(date, (seq, seq))
        ranges[date] = (min(lo, seq), max(hi, seq))
    rows = [(d, lo, hi) for d, (lo, hi) in ranges.items()]
    if not rows:
        return
    lowest: Callable[..., ColumnElement[Any]]
    highest: Callable[..., ColumnElement[Any]]
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert

        lowest, highest = func.least, func.greatest
    else:
        # the two dialects' Insert classes are unrelated types with the same on_conflict_do_update
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]

        lowest, highest = func.min, func.max  # SQLite's two-argument scalar min/max
    stmt = upsert(event_date_seqs)
    stmt = stmt.on_conflict_do_update(
        index_elements=[event_date_seqs.c.date],
        set_={"min_seq": lowest(event_date_seqs.c.min_seq, stmt.excluded.min_seq),
              "max_seq": highest(event_date_seqs.c.max_seq, stmt.excluded.max_seq)},
    )
    conn.execute(stmt, [{"date": d, "min_seq": lo, "max_seq": hi} for d, lo, hi in rows])


def _event_row(doc_id: str, ev: Event) -> dict[str, Any]:
    loc = ev.location
    return {
        "event_id": ev.event_id,
        "doc_id": doc_id,
        "sentence": ev.sentence,
        "date": ev.date,
        "plover": ev.plover,
        "plover_mode": ev.plover_mode,
        "cameo": ev.cameo,
        "quad_class": ev.quad_class,
        "goldstein": ev.goldstein,
        "trigger_text": ev.trigger.text,
        "trigger_start": ev.trigger.start,
        "trigger_end": ev.trigger.end,
        "negated": bool(ev.negated),
        "factuality": ev.factuality,
        "parent": ev.parent,
        "attributed": ev.attributed_to is not None,
        "rule": ev.rule,
        "coder_version": ev.coder_version,
        "location_name": loc.name if loc else None,
        "location_geonameid": loc.geonameid if loc else None,
        "location_lat": loc.lat if loc else None,
        "location_lon": loc.lon if loc else None,
        "location_country": loc.country if loc else None,
        "location_admin1": loc.admin1 if loc else None,
        "location_precision": loc.precision if loc else None,
        "location_start": loc.start if loc else None,
        "location_end": loc.end if loc else None,
        "explain": ev.explain or {},
    }


def _actor_row(event_id: str, role: str, ord_: int, a: ActorMention) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "role": role,
        "ord": ord_,
        "text": a.text,
        "code": a.code,
        "country": a.country,
        "sector": a.sector,
        "char_start": a.start,
        "char_end": a.end,
        "path": a.path,
    }


def _reference_row(doc_id: str, event_id: str | None, ord_: int, r: Reference) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "event_id": event_id,
        "ord": ord_,
        "type": r.type,
        "ref_id": r.id,
        "text": r.text,
        "char_start": r.start,
        "char_end": r.end,
    }


def _page_rows(conn: Connection, plan: PagePlan, limit: int) -> list[Row[Any]]:
    """The first `limit` rows of the plan, in seq order; a walk reads its seq range slice by slice, a driven walk its
    candidates chunk by chunk (each chunk fetched only when the page needs it)."""
    if limit == 0:
        return []
    slices: Iterable[list[ColumnElement[bool]]]
    # a list of candidates is one array parameter (see seq_in), read in seq order through the primary key and
    # stopped at the page's end by both backends: one statement per list
    if plan.walk is not None:
        slices = [[events.c.seq >= lo, events.c.seq <= hi] for lo, hi in walk_slices(*plan.walk)]
    elif plan.candidates is not None:
        slices = [[seq_in(conn, events.c.seq, plan.candidates)]] if plan.candidates else []
    elif plan.driven is not None:
        slices = ([seq_in(conn, events.c.seq, chunk)] for chunk in driven_candidates(conn, plan.driven))
    else:
        return list(conn.execute(_event_select().where(*plan.where).order_by(events.c.seq).limit(limit)).all())
    rows: list[Row[Any]] = []
    for part in slices:
        stmt = _event_select().where(*plan.where, *part).order_by(events.c.seq).limit(limit - len(rows))
        rows.extend(conn.execute(stmt).all())
        if len(rows) >= limit:
            break
    return rows


def _event_select() -> Any:
    joined = events.outerjoin(
        sentences, and_(sentences.c.doc_id == events.c.doc_id, sentences.c.idx == events.c.sentence)
    )
    return select(
        events,
        sentences.c.text.label("sentence_text"),
        sentences.c.char_start.label("sentence_start"),
    ).select_from(joined)


def _load_events(conn: Connection, rows: Sequence[Row[Any]]) -> list[Event]:
    ids = [r.event_id for r in rows]
    actors: dict[tuple[str, str], list[ActorMention]] = defaultdict(list)
    refs: dict[str, list[Reference]] = defaultdict(list)
    for chunk in _chunks(ids):
        for a in conn.execute(
            select(event_actors)
            .where(event_actors.c.event_id.in_(chunk))
            .order_by(event_actors.c.event_id, event_actors.c.role, event_actors.c.ord)
        ):
            actors[(a.event_id, a.role)].append(
                ActorMention(
                    text=a.text,
                    code=a.code,
                    country=a.country,
                    sector=a.sector,
                    start=a.char_start,
                    end=a.char_end,
                    path=a.path,
                )
            )
        for r in conn.execute(
            select(doc_references)
            .where(doc_references.c.event_id.in_(chunk))
            .order_by(doc_references.c.event_id, doc_references.c.ord)
        ):
            refs[r.event_id].append(
                Reference(type=r.type, id=r.ref_id, text=r.text, start=r.char_start, end=r.char_end)
            )
    out = []
    for r in rows:
        location = None
        if r.location_name is not None:
            location = Location(
                name=r.location_name,
                geonameid=r.location_geonameid,
                lat=r.location_lat,
                lon=r.location_lon,
                country=r.location_country,
                admin1=r.location_admin1,
                precision=r.location_precision,
                start=r.location_start,
                end=r.location_end,
            )
        out.append(
            Event(
                event_id=r.event_id,
                doc_id=r.doc_id,
                sentence=r.sentence,
                date=r.date,
                plover=r.plover,
                plover_mode=r.plover_mode,
                cameo=r.cameo,
                quad_class=r.quad_class,
                goldstein=r.goldstein,
                actor=actors.get((r.event_id, "actor"), []),
                recipient=actors.get((r.event_id, "recipient"), []),
                attributed_to=actors.get((r.event_id, "source"), []) if r.attributed else None,
                trigger=Span(text=r.trigger_text, start=r.trigger_start, end=r.trigger_end),
                negated=bool(r.negated),
                factuality=r.factuality or ("negated" if r.negated else "asserted"),
                parent=r.parent,
                references=refs.get(r.event_id, []),
                location=location,
                rule=r.rule,
                coder_version=r.coder_version,
                sentence_text=r.sentence_text,
                sentence_start=r.sentence_start or 0,
                explain=r.explain or {},
            )
        )
    return out
