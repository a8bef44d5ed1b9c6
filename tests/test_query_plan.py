"""Page plans at scale, on a real store: the first page (and the next ones, by cursor) of a filtered listing is
exactly the start of the plain listing, whichever plan finds it (candidates, a driven walk over the sparsest
filter's index, a walk of the events in seq order). Same generated events on SQLite and on PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import dossier.store._query as query
from dossier.store import EventQuery, Store
from dossier.store._query import DrivenWalk, driven_candidates, page_plan

from .conftest import pg_schema

ROOT = Path(__file__).resolve().parent.parent
N_EVENTS = 20_000


def _scale():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import scale
    finally:
        sys.path.pop(0)
    return scale


@pytest.fixture(scope="module")
def sqlite_gen(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("gen") / "gen.db"
    _scale().build_sqlite(path, N_EVENTS)
    url = f"sqlite:///{path}"
    with Store(url) as store:
        store.analyze()
    return url


@pytest.fixture(scope="module")
def pg_gen() -> Iterator[str]:
    with pg_schema("dossier_gen") as url:
        _scale().build_postgres(url, N_EVENTS)
        with Store(url) as store:
            store.analyze()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def gen_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("sqlite_gen" if request.param == "sqlite" else "pg_gen")


# the benchmark's pairs, then shapes it does not time (prefixes, three filters, an empty page, factuality)
PAIRS = [
    *_scale().FILTER_PAIRS,
    {"actor": "SY", "country": "IRN", "since": "2012-03", "until": "2017"},
    {"cameo": "1", "plover": "protest", "recipient": "U"},
    {"country": "SYR", "cameo": "19", "quad_class": 4},
    {"actor": "ZZZ", "cameo": "112"},  # no such actor: an empty page
    {"cameo": "11", "country": "USA", "factuality": ["asserted"]},
]


def _page_seqs(store: Store, q: EventQuery) -> list[int]:
    return [s for s, _ in store.events_with_seq(q)]


_FULL: dict[tuple[str, str], list[int]] = {}


def _full(store: Store, url: str, f: dict) -> list[int]:
    """Every match in seq order, by the plain query (every condition, no plan); once per store and filters."""
    key = (url, repr(f))
    if key not in _FULL:
        _FULL[key] = _page_seqs(store, EventQuery(**f))
    return _FULL[key]


# driver chunks from tiny to the defaults; partners always (ratio 1e9) or never (0); a sparse driver with checks
# read whole at once (the default SPARSE_ALL: every stream here is sparse enough) or never (0: in chunks, the checks
# still inside the driver's statement on PostgreSQL)
@pytest.mark.parametrize(("first", "most", "ratio", "sparse"),
                         [(7, 40, 1e9, 8_000), (7, 40, 0.0, 8_000), (7, 40, 0.0, 0), (500, 16_000, 4.0, 8_000)])
def test_pages_equal_the_plain_listing(gen_url: str, monkeypatch: pytest.MonkeyPatch, first: int, most: int,
                                       ratio: float, sparse: int) -> None:
    monkeypatch.setattr(query, "DRIVE_FIRST", first)
    monkeypatch.setattr(query, "DRIVE_MAX", most)
    monkeypatch.setattr(query, "PARTNER_RATIO", ratio)
    monkeypatch.setattr(query, "SPARSE_ALL", sparse)
    driven = checked = 0
    with Store(gen_url) as store:
        for f in PAIRS:
            full = _full(store, gen_url, f)
            cursors = [None, *full[:: max(1, len(full) // 4)][1:], (full[-1] if full else None)]
            for after in dict.fromkeys(cursors):
                q = EventQuery(limit=25, after_seq=after, **f)
                with store._engine.connect() as conn:
                    plan = page_plan(conn, q)
                driven += plan.driven is not None
                checked += plan.driven is not None and bool(plan.driven.checks)
                start = 0 if after is None else full.index(after) + 1
                assert _page_seqs(store, q) == full[start:start + 25], (f, after)
    assert driven >= 20  # the driven walk found most of these pages
    if ratio == 0.0:  # an actor or recipient filter that is no partner is checked on the actor index by seq
        assert checked >= 3


def test_driven_candidates_cover_every_match_in_order(sqlite_gen: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query, "DRIVE_FIRST", 5)
    monkeypatch.setattr(query, "DRIVE_MAX", 64)
    monkeypatch.setattr(query, "PARTNER_RATIO", 1e9)
    f = {"cameo": "19", "country": "SYR", "since": "2013"}
    with Store(sqlite_gen) as store:
        matches = _page_seqs(store, EventQuery(**f))
        with store._engine.connect() as conn:
            plan = page_plan(conn, EventQuery(limit=10, **f))
            assert isinstance(plan.driven, DrivenWalk) and plan.driven.partners
            chunks = list(driven_candidates(conn, plan.driven))
    flat = [s for chunk in chunks for s in chunk]
    assert flat == sorted(set(flat))  # ascending, no seq twice
    assert len(chunks) > 10 and set(matches) <= set(flat)
    assert all(plan.driven.lo <= s <= plan.driven.hi for s in flat)


def test_a_prefix_with_too_many_codes_is_not_streamed(gen_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query, "MAX_ARMS", 2)
    f = {"actor": "U", "cameo": "1"}  # USA and UKR with every sector; 100 to 195
    with Store(gen_url) as store:
        q = EventQuery(limit=30, **f)
        with store._engine.connect() as conn:
            assert {s.name for s in query._streams(conn, q)} == set()
        assert _page_seqs(store, q) == _page_seqs(store, EventQuery(**f))[:30]


def _rare_pair(store: Store) -> tuple[dict, list[int]]:
    """An actor and recipient pair with a few matches (2 to 40) in the generated store, and those matches."""
    from sqlalchemy import func, select

    from dossier.store._schema import event_actors as ea

    a, r = ea.alias("a"), ea.alias("r")
    pair = (select(func.substr(a.c.code, 1, 3).label("x"), func.substr(r.c.code, 1, 3).label("y"))
            .select_from(a.join(r, a.c.event_id == r.c.event_id))
            .where(a.c.role == "actor", r.c.role == "recipient", a.c.code.is_not(None), r.c.code.is_not(None))
            .group_by("x", "y").having(func.count(a.c.event_id.distinct()).between(2, 40))
            .order_by(func.count(a.c.event_id.distinct()), "x", "y").limit(1))
    with store._engine.connect() as conn:
        x, y = conn.execute(pair).one()
    f = {"actor": x, "recipient": y}
    return f, _page_seqs(store, EventQuery(**f))


@pytest.mark.parametrize("sparse", [8_000, 0])
def test_a_rare_pair_is_exact_and_one_statement(gen_url: str, monkeypatch: pytest.MonkeyPatch, sparse: int) -> None:
    """A pair that no page can stop early on: its page is the whole plain listing, on both backends; with the sparse
    driver read whole (SPARSE_ALL), its stream and the other filter's check are one statement, else one per chunk."""
    from sqlalchemy import event

    monkeypatch.setattr(query, "SPARSE_ALL", sparse)
    with Store(gen_url) as store:
        f, full = _rare_pair(store)
        assert 2 <= len(full) <= 40
        fused: list[str] = []

        def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            if " AS ok" in statement:
                fused.append(statement)

        event.listen(store._engine, "before_cursor_execute", count)
        try:
            for after in (None, full[0], full[-2]):
                start = 0 if after is None else full.index(after) + 1
                q = EventQuery(limit=50, after_seq=after, **f)
                fused.clear()
                assert _page_seqs(store, q) == full[start:], (f, after)
                assert len(fused) == 1 if sparse else len(fused) >= 1
                with store._engine.connect() as conn:
                    plan = page_plan(conn, q)
                    assert plan.driven is not None and plan.driven.checks and not plan.driven.partners
                    # the driver's stream with the other filter checked: exactly the matches, nothing to test further
                    assert [s for chunk in driven_candidates(conn, plan.driven) for s in chunk] == full[start:]
        finally:
            event.remove(store._engine, "before_cursor_execute", count)
