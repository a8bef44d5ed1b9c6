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


# driver chunks from tiny to the defaults; partners always (ratio 1e9) or never (0)
@pytest.mark.parametrize(("first", "most", "ratio"), [(7, 40, 1e9), (7, 40, 0.0), (500, 16_000, 4.0)])
def test_pages_equal_the_plain_listing(gen_url: str, monkeypatch: pytest.MonkeyPatch, first: int, most: int,
                                       ratio: float) -> None:
    monkeypatch.setattr(query, "DRIVE_FIRST", first)
    monkeypatch.setattr(query, "DRIVE_MAX", most)
    monkeypatch.setattr(query, "PARTNER_RATIO", ratio)
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
