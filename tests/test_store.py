"""The store, on real SQLite files (and on PostgreSQL when $DOSSIER_TEST_PG_URL is set)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, create_engine, func, inspect, select, text

from dossier.errors import StoreError
from dossier.model import ActorMention, CodedDocument, Document, Event, Location, Reference, Span
from dossier.store import (
    LATEST_VERSION,
    MIGRATIONS,
    EventQuery,
    Migration,
    Store,
    content_hash,
    migrate,
    resolve_db_url,
)
from dossier.store._migrations import add_column_if_missing
from dossier.store._schema import (
    DATA_TABLES,
    PG_ONLY_INDEXES,
    doc_references,
    event_actors,
    event_date_seqs,
    events,
    metadata,
)

from .conftest import pg_schema

# -- fixtures: a hand-built corpus -----------------------------------------------------------------

TEXT_A = (
    "Syria's government condemned the United States in Damascus, citing Resolution 2254. "
    "The UN envoy said Russia did not meet the opposition."
)
TEXT_B = "Washington accused Damascus of war crimes in Gaziantep."


def _span(text: str, needle: str, after: int = 0) -> Span:
    start = text.index(needle, after)
    return Span(needle, start, start + len(needle))


def _actor(
    text: str, needle: str, code: str | None, country: str | None, sector: str | None, path: str | None = None
) -> ActorMention:
    s = _span(text, needle)
    return ActorMention(needle, code, country, sector, s.start, s.end, path)


def _sentences(text: str) -> list[Span]:
    out, start = [], 0
    for part in text.split(". "):
        part = part if part.endswith(".") else part + "."
        s = _span(text, part, start)
        out.append(s)
        start = s.end
    return out


def doc_a(title: str = "Damascus condemns Washington") -> CodedDocument:
    t = TEXT_A
    sents = _sentences(t)
    ref = Reference("UNSC", "UNSC-2254", "Resolution 2254", *_offsets(t, "Resolution 2254"))
    damascus = Location(
        "Damascus", 170654, 33.5102, 36.29128, "SYR", "Dimashq", "city", *_offsets(t, "Damascus")
    )
    e1 = Event(
        doc_id="A",
        sentence=0,
        plover="ACCUSE",
        plover_mode="disapprove",
        cameo="112",
        quad_class=4,
        goldstein=-2.0,
        actor=[_actor(t, "Syria's government", "SYRGOV", "SYR", "GOV", "nsubj")],
        recipient=[_actor(t, "the United States", "USA", "USA", None, "dobj")],
        trigger=_span(t, "condemned"),
        rule="condemn.v:nsubj>dobj",
        coder_version="0.1.0",
        date="2024-03-04",
        attributed_to=None,
        negated=False,
        references=[ref],
        location=damascus,
        explain={"rule": "condemn.v", "steps": ["nsubj", "dobj"], "score": 0.5},
    )
    e2 = Event(
        doc_id="A",
        sentence=1,
        plover="CONSULT",
        plover_mode=None,
        cameo="040",
        quad_class=1,
        goldstein=1.0,
        actor=[_actor(t, "Russia", "RUSGOV", "RUS", "GOV", "nsubj")],
        recipient=[_actor(t, "the opposition", "SYROPP", "SYR", "OPP", "dobj")],
        trigger=_span(t, "meet"),
        rule="meet.v",
        coder_version="0.1.0",
        date="2024-03-05",
        attributed_to=[_actor(t, "The UN envoy", "IGOUNO", None, None, "ccomp<nsubj")],
        negated=True,
    )
    places = [damascus, Location("Nowhere", None, None, None, None, None, "unresolved", 0, 0)]
    document = Document(
        id="A",
        text=t,
        title=title,
        date="2024-03-04",
        date_source="metadata",
        url="https://example.org/a",
        source="example",
        language="en",
        origin="samples/a.json",
    )
    return CodedDocument(document, sents, [e1, e2], references=[ref], places=places)


def doc_b() -> CodedDocument:
    t = TEXT_B
    gaziantep = Location(
        "Gaziantep", 314830, 37.06, 37.38, "TUR", "Gaziantep", "city", *_offsets(t, "Gaziantep")
    )
    e = Event(
        doc_id="B",
        sentence=0,
        plover="accuse",
        plover_mode=None,
        cameo="1121",
        quad_class=4,
        goldstein=-2.0,
        actor=[_actor(t, "Washington", "USAGOV", "USA", "GOV")],
        recipient=[_actor(t, "Damascus", "SYR", "SYR", None)],
        trigger=_span(t, "accused"),
        rule="accuse.v",
        coder_version="0.1.0",
        date="2023-12-31",
        attributed_to=[],
        factuality="alleged",
        parent="ev-0123456789abcdef",
        location=gaziantep,
    )
    document = Document(id="B", text=t, date="2023-12-31", language="en")
    return CodedDocument(document, _sentences(t), [e], places=[gaziantep])


def doc_fr() -> CodedDocument:
    return CodedDocument(Document(id="FR", text="Le gouvernement a condamné.", language="fr"), [], [])


def _offsets(text: str, needle: str) -> tuple[int, int]:
    s = _span(text, needle)
    return s.start, s.end


def _expected(cd: CodedDocument, ev: Event) -> Event:
    sent = cd.sentences[ev.sentence]
    return replace(ev, sentence_text=sent.text, sentence_start=sent.start)


# -- database URLs: SQLite always, PostgreSQL when configured ------------------------------------



@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'dossier.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema on $DOSSIER_TEST_PG_URL, dropped afterwards."""
    with pg_schema("dossier_test") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as s:
        yield s


def _count(store: Store, table: str) -> int:
    t = metadata.tables[table]
    with store._engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t)).scalar_one()


def _counts(store: Store) -> dict[str, int]:
    return {t.name: _count(store, t.name) for t in DATA_TABLES}


# -- URLs ------------------------------------------------------------------------------------------


def test_resolve_db_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOSSIER_DB", raising=False)
    assert resolve_db_url(None) == "sqlite:///dossier.db"
    monkeypatch.setenv("DOSSIER_DB", "postgresql+psycopg://u@h/db")
    assert resolve_db_url(None) == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("DOSSIER_DB", "env.db")
    assert resolve_db_url(None) == "sqlite:///env.db"
    assert resolve_db_url("x.db") == "sqlite:///x.db"
    assert resolve_db_url("/abs/x.db") == "sqlite:////abs/x.db"
    assert resolve_db_url("~/x.db") == f"sqlite:///{Path.home() / 'x.db'}"
    assert resolve_db_url("sqlite:///y.db") == "sqlite:///y.db"


@pytest.mark.parametrize(
    "url",
    [
        "nosuchdialect://host/db",
        "sqlite:///{tmp}/missing-dir/x.db",
        "sqlite:///{tmp}/not-a-db.db",
        "postgresql+psycopg://user:s3cret@127.0.0.1:1/db?connect_timeout=2",
    ],
)
def test_bad_url_is_one_line_store_error(tmp_path: Path, url: str) -> None:
    (tmp_path / "not-a-db.db").write_text("this is not a database, just text " * 100)
    with pytest.raises(StoreError) as info:
        Store(url.format(tmp=tmp_path))
    message = str(info.value)
    assert "\n" not in message and message
    assert "s3cret" not in message


# -- round trip, idempotence, updates, atomicity (SQLite and PostgreSQL) ------------------------------


def test_round_trip(store: Store) -> None:
    a = doc_a()
    assert store.save([a]) == ["new"]
    for ev in a.events:
        assert store.get_event(ev.event_id) == _expected(a, ev)
    got = store.get_event(a.events[0].event_id)
    assert got is not None
    assert got.attributed_to is None and got.location == a.events[0].location
    assert got.actor[0].path == "nsubj" and got.explain["steps"] == ["nsubj", "dobj"]
    got2 = store.get_event(a.events[1].event_id)
    assert got2 is not None and got2.negated and got2.attributed_to == a.events[1].attributed_to
    assert store.events(EventQuery()) == [_expected(a, ev) for ev in a.events]
    assert store.get_document("A") == a.document
    assert store.get_event("ev-nope") is None and store.get_document("nope") is None
    assert store.known_documents(["A", "nope"]) == {"A": content_hash(a.document)}
    # attributed_to == [] stays a list, not None
    b = doc_b()
    store.save([b])
    got_b = store.get_event(b.events[0].event_id)
    assert got_b is not None and got_b.attributed_to == [] and got_b.location == b.events[0].location
    assert _count(store, "places") == 3 and _count(store, "sentences") == 3


def test_save_unchanged_is_idempotent(store: Store) -> None:
    assert store.save([doc_a(), doc_b()]) == ["new", "new"]
    before, seqs = _counts(store), [s for s, _ in store.events_with_seq()]
    assert store.save([doc_a(), doc_b()]) == ["unchanged", "unchanged"]
    assert _counts(store) == before
    assert [s for s, _ in store.events_with_seq()] == seqs
    # the same document twice in one batch
    assert store.save([doc_fr(), doc_fr()]) == ["new", "unchanged"]


def test_updated_document_replaces_everything(store: Store) -> None:
    store.save([doc_a(), doc_b()])
    old_seqs = [s for s, _ in store.events_with_seq()]
    changed = doc_a(title="A new title")
    changed.events = changed.events[1:]
    changed.references, changed.places = [], []
    assert store.save([changed]) == ["updated"]
    got = store.events(EventQuery(doc="A"))
    assert got == [_expected(changed, changed.events[0])]
    assert store.get_event(doc_a().events[0].event_id) is None
    assert store.get_document("A") == changed.document
    # no orphans: only doc B's rows and the remaining event of A are left
    assert _count(store, "events") == 2
    assert _count(store, "event_actors") == 3 + 2  # A's event: actor, recipient, source; B: 2
    assert _count(store, "doc_references") == 0
    assert _count(store, "places") == 1
    assert _count(store, "sentences") == 3
    # a replaced event comes back with a new, higher seq (so after_seq readers see the change)
    new_seq = [s for s, ev in store.events_with_seq(EventQuery(doc="A"))][0]
    assert new_seq > max(old_seqs)


def test_batch_is_atomic(store: Store) -> None:
    store.save([doc_b()])
    b_changed = doc_b()
    b_changed.document.title = "changed"
    bad = doc_a()
    bad.document.id = "X"
    for ev in bad.events:
        ev.doc_id = "X"
    bad.events[1].event_id = b_changed.events[0].event_id  # duplicate event_id: UNIQUE violation
    good = doc_a()
    with pytest.raises(StoreError, match="'X'.*batch not stored"):
        store.save([good, b_changed, bad])
    assert store.known_documents(["A", "B", "X"]) == {"B": content_hash(doc_b().document)}
    assert store.get_document("B") == doc_b().document
    assert _count(store, "events") == 1
    stray = doc_a()
    stray.events[0].doc_id = "elsewhere"
    with pytest.raises(StoreError, match="belongs to another document"):
        store.save([stray])
    assert store.known_documents(["A"]) == {}


def test_non_english_document_is_stored_with_language(store: Store) -> None:
    assert store.save([doc_fr()]) == ["new"]
    doc = store.get_document("FR")
    assert doc is not None and doc.language == "fr"
    assert store.events(EventQuery(doc="FR")) == []


# -- queries ----------------------------------------------------------------------------------------

A1, A2 = (ev.event_id for ev in doc_a().events)
B1 = doc_b().events[0].event_id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (EventQuery(), [B1, A1, A2]),
        (EventQuery(actor="SYR"), [A1]),
        (EventQuery(actor="SYRGOV"), [A1]),
        (EventQuery(actor="syr"), [A1]),
        (EventQuery(actor="SYRGOVX"), []),
        (EventQuery(actor="USA"), [B1]),
        (EventQuery(actor="IGOUNO"), []),  # attributed_to is not the actor
        (EventQuery(recipient="SYR"), [B1, A2]),
        (EventQuery(recipient="USA"), [A1]),
        (EventQuery(country="syr"), [B1, A1, A2]),
        (EventQuery(country="TUR"), [B1]),  # by location only
        (EventQuery(country="RUS"), [A2]),
        (EventQuery(plover="ACCUSE"), [B1, A1]),
        (EventQuery(plover="consult"), [A2]),
        (EventQuery(cameo="11"), [B1, A1]),
        (EventQuery(cameo="112"), [B1, A1]),
        (EventQuery(cameo="1121"), [B1]),
        (EventQuery(cameo="04"), [A2]),
        (EventQuery(since="2024-03-05"), [A2]),
        (EventQuery(until="2024-03-04"), [B1, A1]),
        (EventQuery(since="2024", until="2024"), [A1, A2]),
        (EventQuery(since="2024-03"), [A1, A2]),
        (EventQuery(until="2023-12"), [B1]),
        (EventQuery(doc="B"), [B1]),
        (EventQuery(reference="UNSC-2254"), [A1]),
        (EventQuery(reference="UNSC-9999"), []),
        (EventQuery(actor="SYR", plover="accuse", country="USA", cameo="1"), [A1]),
        (EventQuery(limit=2), [B1, A1]),
    ],
)
def test_event_query_filters(store: Store, query: EventQuery, expected: list[str]) -> None:
    store.save([doc_b(), doc_a(), doc_fr()])
    assert [ev.event_id for ev in store.events(query)] == expected


def test_invalid_date_filter(store: Store) -> None:
    with pytest.raises(StoreError, match="invalid date"):
        store.events(EventQuery(since="March 2024"))


def test_keyset_pagination(store: Store) -> None:
    store.save([doc_b(), doc_a()])
    everything = store.events_with_seq()
    seqs = [s for s, _ in everything]
    assert seqs == sorted(set(seqs))
    pages, after = [], None
    while True:
        page = store.events_with_seq(EventQuery(after_seq=after, limit=2))
        if not page:
            break
        pages.append(page)
        after = page[-1][0]
    assert [len(p) for p in pages] == [2, 1]
    assert [item for p in pages for item in p] == everything
    assert store.events(EventQuery(after_seq=seqs[0], cameo="11")) == [everything[1][1]]


def test_factuality_round_trip_and_filter(store: Store) -> None:
    a, b = doc_a(), doc_b()
    store.save([a, b])
    assert a.events[1].factuality == "negated"  # negated=True says so
    got = store.get_event(b.events[0].event_id)
    assert got is not None and got.factuality == "alleged" and got.parent == "ev-0123456789abcdef"
    assert [e.event_id for e in store.events(EventQuery(factuality=["alleged", "negated"]))] == [
        a.events[1].event_id, b.events[0].event_id]
    assert [e.event_id for e in store.events(EventQuery(factuality=["asserted"]))] == [a.events[0].event_id]
    assert store.events(EventQuery(factuality=["demanded"])) == []
    assert [e.event_id for e in store.events(EventQuery(parent="ev-0123456789abcdef"))] == [b.events[0].event_id]
    with pytest.raises(StoreError, match="unknown factuality 'rumoured'"):
        store.events(EventQuery(factuality=["rumoured"]))


def test_stats(store: Store) -> None:
    store.save([doc_a(), doc_b(), doc_fr()])
    assert store.stats() == {
        "documents": 3,
        "events": 3,
        "coded_documents": 2,
        "non_english_documents": 1,
        "sentences": 3,
        "by_plover": {"ACCUSE": 1, "CONSULT": 1, "accuse": 1},
        "by_quad_class": {1: 1, 4: 2},
        "by_factuality": {"alleged": 1, "asserted": 1, "negated": 1},
        "references": 1,  # cited by document A and by its event A1: one citation
        "places": 3,
        "first_date": "2023-12-31",
        "last_date": "2024-03-05",
    }


# -- SQLite specifics and migrations ------------------------------------------------------------------


def test_sqlite_wal_foreign_keys_busy_timeout(sqlite_url: str, tmp_path: Path) -> None:
    with Store(sqlite_url) as store:
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    raw = sqlite3.connect(tmp_path / "dossier.db")
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persisted in the file
    finally:
        raw.close()


def test_schema_matches_metadata(sqlite_url: str) -> None:
    with Store(sqlite_url) as store:
        assert store.schema_version == LATEST_VERSION
        insp = inspect(store._engine)
        for table in metadata.sorted_tables:
            assert {c["name"] for c in insp.get_columns(table.name)} == set(table.c.keys())
        with store._engine.connect() as conn:  # (reflection skips expression indexes)
            indexes = set(
                conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'").scalars()
            )
        assert indexes >= {i.name for t in metadata.sorted_tables for i in t.indexes} - PG_ONLY_INDEXES


def _version_rows(path: Path) -> list[int]:
    raw = sqlite3.connect(path)
    try:
        return [r[0] for r in raw.execute("SELECT version FROM schema_version ORDER BY version")]
    finally:
        raw.close()


def test_migrates_empty_v0_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()  # a zero-byte file: version 0
    bare = tmp_path / "bare.db"
    raw = sqlite3.connect(bare)  # a schema_version table with no rows: version 0 too
    raw.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
        " applied_at VARCHAR(32) NOT NULL)"
    )
    raw.commit()
    raw.close()
    for path in (empty, bare):
        with Store(f"sqlite:///{path}") as store:
            assert store.schema_version == LATEST_VERSION
            assert store.save([doc_b()]) == ["new"]
        with Store(f"sqlite:///{path}") as store:  # re-open: nothing applied twice
            assert store.known_documents(["B"])
        assert _version_rows(path) == [m.version for m in MIGRATIONS]


def test_migrates_older_file_and_refuses_newer(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    with Store(url) as store:  # a file written by this (older) code, with data in it
        store.save([doc_a()])

    def add_stance(conn):  # what a later release might add
        add_column_if_missing(conn, "events", Column("stance", Integer))

    newer = [*MIGRATIONS, Migration(LATEST_VERSION + 1, "events.stance", add_stance)]
    engine = create_engine(url)
    try:
        assert migrate(engine, newer) == LATEST_VERSION + 1
        assert migrate(engine, newer) == LATEST_VERSION + 1  # idempotent on re-open
        with engine.begin() as conn:
            add_stance(conn)  # the step itself is idempotent too
            assert "stance" in {c["name"] for c in inspect(conn).get_columns("events")}
            assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == 2
    finally:
        engine.dispose()
    assert _version_rows(path) == [*(m.version for m in MIGRATIONS), LATEST_VERSION + 1]
    # this code is now older than the file: refused, with one line
    with pytest.raises(StoreError, match="newer than this Dossier supports") as info:
        Store(url)
    assert "\n" not in str(info.value)


def test_migrates_a_version_1_file_to_factuality(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    a = doc_a()
    with Store(f"sqlite:///{path}") as store:
        store.save([a])
    raw = sqlite3.connect(path)  # turn it back into what version 1 wrote
    try:
        raw.execute("DROP INDEX ix_events_factuality")
        raw.execute("DROP INDEX ix_events_parent")
        raw.execute("ALTER TABLE events DROP COLUMN factuality")
        raw.execute("ALTER TABLE events DROP COLUMN parent")
        raw.execute("DELETE FROM schema_version WHERE version > 1")
        raw.commit()
    finally:
        raw.close()
    assert _version_rows(path) == [1]
    with Store(f"sqlite:///{path}") as store:
        assert store.schema_version == LATEST_VERSION
        got = [store.get_event(e.event_id) for e in a.events]
        assert [(g.factuality, g.negated, g.parent) for g in got if g] == [("asserted", False, None),
                                                                             ("negated", True, None)]
        assert store.stats()["by_factuality"] == {"asserted": 1, "negated": 1}
    with Store(f"sqlite:///{path}") as store:  # re-open: nothing applied twice
        assert store.schema_version == LATEST_VERSION
    assert _version_rows(path) == [m.version for m in MIGRATIONS]


def test_migration_versions_must_be_consecutive(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        with pytest.raises(ValueError):
            migrate(engine, [MIGRATIONS[0], Migration(3, "gap", lambda conn: None)])
    finally:
        engine.dispose()


# -- date filters as seq ranges (event_date_seqs) ------------------------------------------------------


def _dated(cd: CodedDocument, doc_id: str, dates: list[str]) -> CodedDocument:
    """`cd` under another id, its events on these dates (ids follow the document)."""
    pairs = enumerate(zip(cd.events, dates, strict=False))
    evs = [replace(ev, doc_id=doc_id, date=d, event_id=f"{doc_id}-{i}") for i, (ev, d) in pairs]
    return CodedDocument(replace(cd.document, id=doc_id), cd.sentences, evs, references=[], places=cd.places)


def test_date_pages_equal_the_full_listing_when_dates_are_not_in_seq_order(store: Store) -> None:
    # documents stored out of date order, then one replaced by events on other dates (its old seqs deleted)
    store.save([_dated(doc_a(), f"D{i}", [f"2024-0{1 + (7 * i) % 9}-0{1 + i % 9}", f"2023-1{i % 3}-15"])
                for i in range(12)])
    store.save([_dated(doc_a(), "D3", ["2025-01-01", "2022-06-30"]), _dated(doc_b(), "late", ["2023-01-01"])])
    with store._engine.connect() as conn:
        ranges = {r.date: (r.min_seq, r.max_seq) for r in conn.execute(select(event_date_seqs))}
        copied = conn.execute(select(event_actors.c.seq, events.c.seq)
                              .join(events, events.c.event_id == event_actors.c.event_id)).all()
    assert copied and all(a == e for a, e in copied)  # event_actors.seq is its event's
    everything = store.events_with_seq()
    for seq, ev in everything:  # every stored event lies inside its date's range
        lo, hi = ranges[ev.date]
        assert lo <= seq <= hi
    for dates in [{"since": "2024-03"}, {"until": "2023-12-31"}, {"since": "2023-11", "until": "2024-02"},
                  {"since": "2025"}, {"until": "2022"}, {"since": "2030"}, {"since": "2024-05", "actor": "SYR"},
                  {"until": "2023-10", "country": "SYR", "plover": "consult"}]:
        full = [s for s, _ in store.events_with_seq(EventQuery(**dates))]
        for after in [None, *full[:3]]:
            rest = [s for s in full if after is None or s > after]
            page = store.events_with_seq(EventQuery(limit=3, after_seq=after, **dates))
            assert [s for s, _ in page] == rest[:3], (dates, after)


def _table_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, without the save timestamps and doc_references' surrogate id (SQLite
    reuses the ids of deleted rows, a PostgreSQL sequence does not)."""
    out = {}
    with Store(url) as store, store._engine.connect() as conn:
        for table in [*DATA_TABLES, event_date_seqs]:
            skip = {"ingested_at", "updated_at"} | ({"id"} if table is doc_references else set())
            cols = [c for c in table.columns if c.name not in skip]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*cols))), key=repr)
    return out


def test_postgresql_bulk_write_stores_the_same_rows_as_sqlite(sqlite_url: str, pg_url: str) -> None:
    # COPY on PostgreSQL, executemany on SQLite: the same batches leave the same rows (a replaced document and
    # one added twice in a batch included)
    changed = doc_a(title="changed")
    changed.events.pop()
    for url in (sqlite_url, pg_url):
        with Store(url) as store:
            assert store.save([doc_b(), doc_a(), doc_fr()]) == ["new", "new", "new"]
            assert store.save([changed, doc_b(), doc_a(title="again")]) == ["updated", "unchanged", "updated"]
    assert _table_rows(pg_url) == _table_rows(sqlite_url)
