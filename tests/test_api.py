"""The HTTP API through an ASGI client over a seeded SQLite store: filters, cursors, exports,
relations, keys, errors and the server's defences."""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest

from tests._seed import MARKUP_TITLE, seed

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from dossier.api import create_app  # noqa: E402
from dossier.api._models import EventDetail, EventOut  # noqa: E402
from dossier.model import Document  # noqa: E402
from dossier.store import Store, create_key, revoke_key  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory, coder) -> Path:
    base = tmp_path_factory.mktemp("api-seed")
    path = base / "seed.db"
    seed(f"sqlite:///{path}", base, coder)
    return path


@pytest.fixture
def db(seeded_db: Path, tmp_path: Path) -> str:
    """A private copy of the seeded store (sqlite's backup API: consistent under WAL)."""
    target = tmp_path / "api.db"
    src, dst = sqlite3.connect(seeded_db), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def shared_client(seeded_db: Path):
    """A read-only client over the seeded store, for tests that do not write."""
    with TestClient(create_app(f"sqlite:///{seeded_db}")) as c:
        yield c


@pytest.fixture
def client(db: str):
    with TestClient(create_app(db)) as c:
        yield c


def all_events(c: TestClient, **params: object) -> list[dict]:
    r = c.get("/api/events", params={"limit": 1000, **params})
    assert r.status_code == 200, r.text
    assert r.json()["next"] is None
    return r.json()["events"]


# -- the shape ---------------------------------------------------------------------------------

def test_response_models_are_the_event_record(shared_client: TestClient) -> None:
    ev = all_events(shared_client)[0]
    assert set(EventOut.model_fields) == set(ev)  # the API's event is `Event.to_dict()`, key for key
    with Store(str(shared_client.app.state.store.url)) as store:
        full = store.get_event(ev["event_id"])
    assert full is not None
    assert set(full.to_dict()) == set(EventOut.model_fields)
    assert set(full.to_dict(with_explain=True)) <= set(EventDetail.model_fields)
    assert full.to_dict() == ev


# -- filters -----------------------------------------------------------------------------------

def _codes(ev: dict, role: str) -> list[str]:
    return [a["code"] or "" for a in ev[role]]


FILTERS = [
    ({"actor": "SAU"}, lambda e: any(c.startswith("SAU") for c in _codes(e, "actor"))),
    ({"actor": "syrgov"}, lambda e: "SYRGOV" in _codes(e, "actor")),
    ({"recipient": "SYRGOV"}, lambda e: "SYRGOV" in _codes(e, "recipient")),
    ({"country": "SAU"}, lambda e: any(a["country"] == "SAU" for a in e["actor"] + e["recipient"])
     or (e["location"] or {}).get("country") == "SAU"),
    ({"plover": "accuse"}, lambda e: e["plover"] == "ACCUSE"),
    ({"cameo": "11"}, lambda e: e["cameo"].startswith("11")),
    ({"quad_class": 4}, lambda e: e["quad_class"] == 4),
    ({"since": "2023-03"}, lambda e: e["date"] is not None and e["date"] >= "2023-03-01"),
    ({"until": "2023-02-28"}, lambda e: e["date"] is not None and e["date"] <= "2023-02-28"),
    ({"since": "2023", "until": "2023"}, lambda e: (e["date"] or "").startswith("2023")),
    ({"doc": "rel-2023-04"}, lambda e: e["doc_id"] == "rel-2023-04"),
    ({"reference": "UNSC-2231"}, lambda e: any(r["id"] == "UNSC-2231" for r in e["references"])),
    ({"actor": "SAU", "recipient": "SYR", "since": "2023-02"},
     lambda e: any(c.startswith("SAU") for c in _codes(e, "actor"))
     and any(c.startswith("SYR") for c in _codes(e, "recipient")) and (e["date"] or "") >= "2023-02-01"),
]


@pytest.mark.parametrize(("params", "matches"), FILTERS, ids=[json.dumps(p) for p, _ in FILTERS])
def test_each_filter_returns_exactly_the_matching_events(shared_client: TestClient, params, matches) -> None:
    everything = all_events(shared_client)
    expected = [e["event_id"] for e in everything if matches(e)]
    assert expected, f"the seed has no event for {params}: the test would prove nothing"
    assert len(expected) < len(everything)
    assert [e["event_id"] for e in all_events(shared_client, **params)] == expected


def test_full_text_search_finds_words_of_the_sentence(shared_client: TestClient) -> None:
    everything = all_events(shared_client)
    store = shared_client.app.state.store
    sentences = {e["event_id"]: (store.get_event(e["event_id"]).sentence_text or "").lower() for e in everything}
    for q in ("embassy", "Humanitarian aid", "DAMASCUS"):
        expected = [i for i, s in sentences.items() if all(w.lower() in s.split() or w.lower() in s
                                                             for w in q.split())]
        got = [e["event_id"] for e in all_events(shared_client, q=q)]
        assert got == [e["event_id"] for e in everything if e["event_id"] in expected] and got, q
    assert all_events(shared_client, q="zanzibarian") == []
    # FTS syntax in the input is taken as words, never as an error
    for odd in ('"', "NEAR(", "a OR", "*", "embassy)"):
        assert shared_client.get("/api/events", params={"q": odd}).status_code == 200


def test_factuality_filter(client: TestClient, coder) -> None:
    store = client.app.state.store
    coded = list(coder.code_many([Document(id="alleged-1", text="Iran accused Israel of bombing a convoy in Homs.",
                                           date="2023-09-09", language="en")]))
    for ev in coded[0].events:  # as the factuality stage would mark an allegation
        ev.factuality = "alleged"
    store.save(coded)
    everything = all_events(client)
    alleged = [e["event_id"] for e in everything if e["factuality"] == "alleged"]
    # the seeded samples have allegations of their own ("accused the government of using excessive force")
    assert {e.event_id for e in coded[0].events} <= set(alleged)
    assert [e["event_id"] for e in all_events(client, factuality="alleged")] == alleged
    asserted = [e["event_id"] for e in all_events(client, factuality="asserted")]
    assert asserted and not set(asserted) & set(alleged)
    both = all_events(client, factuality=["asserted", "alleged"])
    assert [e["event_id"] for e in both] == [e["event_id"] for e in everything
                                             if e["factuality"] in ("asserted", "alleged")]
    page = client.get("/", params=[("factuality", "alleged")]).text
    assert page.count('class="event ') == len(alleged) and 'value="alleged" checked' in page


# -- cursors -----------------------------------------------------------------------------------

def test_cursor_pages_cover_everything_once(shared_client: TestClient) -> None:
    everything = [e["event_id"] for e in all_events(shared_client)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        r = shared_client.get("/api/events", params={"limit": 4, **({"cursor": cursor} if cursor else {})})
        body = r.json()
        seen += [e["event_id"] for e in body["events"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
        assert body["next_url"].endswith("cursor=" + cursor)
    assert seen == everything
    assert pages == -(-len(everything) // 4)


def test_cursor_is_stable_while_documents_are_ingested_between_pages(client: TestClient, coder) -> None:
    before = [e["event_id"] for e in all_events(client)]
    store = client.app.state.store
    seen: list[str] = []
    cursor = None
    added = 0
    while True:
        r = client.get("/api/events", params={"limit": 3, **({"cursor": cursor} if cursor else {})})
        seen += [e["event_id"] for e in r.json()["events"]]
        cursor = r.json()["next"]
        if cursor is None:
            break
        # a new document lands between two pages
        added += 1
        doc = Document(id=f"between-{added}", text="Iran condemned Israel for the airstrike on Damascus.",
                       date="2023-08-01", language="en")
        store.save(list(coder.code_many([doc])))
    assert added >= 2
    assert len(seen) == len(set(seen)), "an event came twice"
    assert seen[: len(before)] == before, "an event was skipped or reordered"
    new = [e for e in seen[len(before):]]
    assert new and all(i not in before for i in new)


def test_bad_cursors_and_limits_are_422(shared_client: TestClient) -> None:
    for params in ({"cursor": "zzz"}, {"cursor": "c2VxOng"}, {"limit": 0}, {"limit": 1001}, {"limit": "many"},
                   {"quad_class": 5}, {"since": "2023-13"}, {"since": "2023-02-30"}, {"until": "yesterday"},
                   {"actor": "SYR GOV"}, {"format": "xml"}, {"cameo": "abc"}, {"factuality": "rumoured"}):
        r = shared_client.get("/api/events", params=params)
        assert r.status_code == 422, params
        assert isinstance(r.json()["detail"], str) and r.json()["detail"]


# -- exports -----------------------------------------------------------------------------------

def test_ndjson_export_streams_every_match(shared_client: TestClient) -> None:
    everything = all_events(shared_client, actor="SAU")
    r = shared_client.get("/api/events", params={"actor": "SAU", "format": "ndjson", "limit": 1})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(line) for line in r.text.splitlines()] == everything


def test_csv_export_has_a_row_per_event(shared_client: TestClient) -> None:
    everything = all_events(shared_client)
    r = shared_client.get("/api/events", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["event_id"] for row in rows] == [e["event_id"] for e in everything]
    assert rows[0]["plover"] == (everything[0]["plover"] or "")


def test_export_is_paged_through_the_store(client: TestClient, monkeypatch) -> None:
    """More events than one export page: the stream still holds every one, each once."""
    import dossier.api._app as app_module

    monkeypatch.setattr(app_module, "EXPORT_PAGE", 2)
    everything = all_events(client)
    lines = client.get("/api/events", params={"format": "ndjson"}).text.splitlines()
    assert [json.loads(x)["event_id"] for x in lines] == [e["event_id"] for e in everything]


# -- single records ----------------------------------------------------------------------------

def test_event_with_provenance(shared_client: TestClient) -> None:
    ev = all_events(shared_client, doc="rel-2023-03")[0]
    r = shared_client.get(f"/api/events/{ev['event_id']}")
    assert r.status_code == 200
    d = r.json()
    assert d["document"]["id"] == "rel-2023-03" and d["document"]["url"] == "https://example.org/rel-2023-03"
    assert d["sentence_text"].startswith("Saudi Arabia agreed")
    t = d["trigger"]
    assert d["sentence_text"][t["start"] - d["sentence_start"]: t["end"] - d["sentence_start"]] == t["text"]
    assert "[agreed]" in d["explanation"] and d["rule"] in d["explanation"]
    assert all("path" in a for a in d["actor"])


def test_document_with_its_events(shared_client: TestClient) -> None:
    r = shared_client.get("/api/documents/rel-2023-02")
    d = r.json()
    assert d["title"] == "Relations 2023-02" and d["date"] == "2023-02-10"
    assert d["events"] and all(e["doc_id"] == "rel-2023-02" for e in d["events"])
    for e in d["events"]:
        assert d["text"][e["trigger"]["start"]: e["trigger"]["end"]] == e["trigger"]["text"]


def test_unknown_ids_are_404(shared_client: TestClient) -> None:
    for path in ("/api/events/ev-0000000000000000", "/api/documents/nope", "/events/nope", "/documents/nope"):
        r = shared_client.get(path)
        assert r.status_code == 404, path


# -- aggregates --------------------------------------------------------------------------------

def test_actors_with_counts(shared_client: TestClient) -> None:
    everything = all_events(shared_client)
    actors = {a["code"]: a for a in shared_client.get("/api/actors").json()}
    n = sum(1 for e in everything if "SYRGOV" in _codes(e, "actor") + _codes(e, "recipient"))
    assert actors["SYRGOV"]["events"] == n and n >= 5
    found = shared_client.get("/api/actors", params={"q": "saudi"}).json()
    assert found and all(a["code"].startswith("SAU") or any("saudi" in x.lower() for x in a["names"])
                         for a in found)


def test_stats_by_day_type_and_pair(shared_client: TestClient) -> None:
    everything = all_events(shared_client, since="2023", until="2023")
    s = shared_client.get("/api/stats", params={"since": "2023", "until": "2023"}).json()
    assert s["events"] == len(everything)
    assert sum(sum(d["quad_class"].values()) for d in s["by_day"]) == len(everything)
    jan = next(d for d in s["by_day"] if d["date"] == "2023-01-15")
    assert jan["quad_class"]["3"] == sum(1 for e in everything if e["date"] == "2023-01-15" and e["quad_class"] == 3)
    assert s["by_plover"]["ACCUSE"] == sum(1 for e in everything if e["plover"] == "ACCUSE")
    pair = next(p for p in s["by_actor_pair"] if p["actor"] == "NGOHRW" and p["recipient"] == "SYRGOV")
    assert pair["events"] == 1 and pair["conflict"] == 1


def test_relations_series_both_directions(shared_client: TestClient) -> None:
    r = shared_client.get("/api/relations", params={"a": "SAU", "b": "SYRGOV", "interval": "month"})
    assert r.status_code == 200
    series = r.json()["series"]
    everything = {e["event_id"]: e for e in all_events(shared_client)}
    forward = [p for p in series if p["direction"] == "a->b"]
    back = [p for p in series if p["direction"] == "b->a"]
    assert [p["period"] for p in forward] == ["2023-01", "2023-02", "2023-03", "2023-04"]
    # a meeting is both sides' (frames.toml [symmetric] reciprocal): April is also SYRGOV->SAU
    assert [p["period"] for p in back] == ["2023-04", "2023-05"]
    for p in series:
        evs = [everything[i] for i in p["event_ids"]]
        assert p["events"] == len(evs)
        assert p["goldstein_sum"] == pytest.approx(sum(e["goldstein"] for e in evs))
        assert p["goldstein_mean"] == pytest.approx(p["goldstein_sum"] / p["events"])
        assert sum(p["quad_class"].values()) == p["events"]
        src, dst = ("SAU", "SYRGOV") if p["direction"] == "a->b" else ("SYRGOV", "SAU")
        for e in evs:
            assert e["date"].startswith(p["period"])
            assert any(c.startswith(src) for c in _codes(e, "actor"))
            assert any(c.startswith(dst) for c in _codes(e, "recipient"))
    yearly = shared_client.get("/api/relations", params={"a": "SAU", "b": "SYRGOV", "interval": "year"}).json()
    assert sum(p["events"] for p in yearly["series"]) == sum(p["events"] for p in series)
    assert shared_client.get("/api/relations", params={"a": "SAU", "b": "SYR", "interval": "week"}).status_code == 422
    assert shared_client.get("/api/relations", params={"a": "SAU"}).status_code == 422


def test_map_points_have_coordinates_and_precision(shared_client: TestClient) -> None:
    points = shared_client.get("/api/map").json()
    assert points and all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 and p["precision"] for p in points)
    located = [e for e in all_events(shared_client) if e["location"] and e["location"]["lat"] is not None]
    assert sum(p["events"] for p in points) == len(located)


# -- writes and keys ---------------------------------------------------------------------------

def test_post_needs_a_valid_key(client: TestClient) -> None:
    store = client.app.state.store
    doc = {"id": "posted-1", "date": "2023-09-01", "text": "Egypt hosted talks between Israel and Hamas in Cairo."}
    assert client.post("/api/documents", json=doc).status_code == 401
    assert client.post("/api/documents", json=doc, headers={"Authorization": "Bearer nope"}).status_code == 401
    record, key = create_key(store, "tester")
    assert client.post("/api/documents", json=doc, headers={"Authorization": "Bearer " + key + "x"}).status_code == 401
    r = client.post("/api/documents", json=doc, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "new" and body["document"]["id"] == "posted-1" and body["events"]
    assert [e["event_id"] for e in all_events(client, doc="posted-1")] == [e["event_id"] for e in body["events"]]
    again = client.post("/api/documents", json=doc, headers={"Authorization": f"Bearer {key}"})
    assert again.json()["status"] == "unchanged"
    assert revoke_key(store, "tester") == 1
    assert client.post("/api/documents", json=doc, headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_keys_are_stored_hashed(db: str, client: TestClient) -> None:
    _, key = create_key(client.app.state.store, "someone")
    raw = sqlite3.connect(db.removeprefix("sqlite:///"))
    try:
        rows = raw.execute("SELECT * FROM api_keys").fetchall()
    finally:
        raw.close()
    dump = repr(rows)
    secret = key.split("_", 2)[2]
    assert secret not in dump and key not in dump
    assert hashlib.sha256(key.encode()).hexdigest() in dump


def test_malformed_bodies_are_422(client: TestClient) -> None:
    _, key = create_key(client.app.state.store, "w")
    auth = {"Authorization": f"Bearer {key}"}
    bad = [b"{not json", b"[1, 2]", json.dumps({"id": "x"}).encode(), json.dumps({"text": 5}).encode(),
           json.dumps({"text": "a", "colour": "red"}).encode(), b""]
    for body in bad:
        r = client.post("/api/documents", content=body, headers={**auth, "Content-Type": "application/json"})
        assert r.status_code == 422, body
        assert isinstance(r.json()["detail"], str)


def test_reads_can_require_a_key(db: str) -> None:
    with TestClient(create_app(db, require_key_for_reads=True)) as c:
        assert c.get("/api/events").status_code == 401
        assert c.get("/api/stats").status_code == 401
        _, key = create_key(c.app.state.store, "reader")
        assert c.get("/api/events", headers={"Authorization": f"Bearer {key}"}).status_code == 200


# -- hardening ---------------------------------------------------------------------------------

def test_body_size_limit(db: str) -> None:
    with TestClient(create_app(db, max_body_bytes=10_000)) as c:
        _, key = create_key(c.app.state.store, "big")
        big = json.dumps({"id": "big", "text": "word " * 5000})
        r = c.post("/api/documents", content=big, headers={"Authorization": f"Bearer {key}",
                                                           "Content-Type": "application/json"})
        assert r.status_code == 413

        def chunks():  # no Content-Length: counted while read
            for _ in range(10):
                yield b"x" * 2000

        r = c.post("/api/documents", content=chunks(), headers={"Authorization": f"Bearer {key}",
                                                                 "Content-Type": "application/json"})
        assert r.status_code == 413


def test_writes_are_rate_limited(db: str) -> None:
    with TestClient(create_app(db, writes_per_minute=3)) as c:
        _, key = create_key(c.app.state.store, "busy")
        _, other = create_key(c.app.state.store, "calm")
        codes = [c.post("/api/documents", content=b"{}", headers={"Authorization": f"Bearer {key}",
                                                                 "Content-Type": "application/json"}).status_code
                 for _ in range(5)]
        assert codes == [422, 422, 422, 429, 429]
        r = c.post("/api/documents", content=b"{}", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        # another key has its own allowance; reads are not limited
        assert c.post("/api/documents", content=b"{}", headers={"Authorization": f"Bearer {other}"}).status_code == 422
        assert all(c.get("/api/events", params={"limit": 1}).status_code == 200 for _ in range(10))


def test_security_headers_and_no_cors_by_default(shared_client: TestClient, db: str) -> None:
    for path in ("/", "/relations", "/api/events", "/docs", "/static/dashboard.js"):
        r = shared_client.get(path, headers={"Origin": "https://evil.example"})
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "access-control-allow-origin" not in r.headers
    with TestClient(create_app(db, cors_origins=["https://friend.example"])) as c:
        r = c.get("/api/events", headers={"Origin": "https://friend.example"})
        assert r.headers["access-control-allow-origin"] == "https://friend.example"


def test_pages_have_no_inline_script_and_escape_markup(shared_client: TestClient) -> None:
    import re

    pages = ["/", "/?q=Afrin", "/documents/markup", "/relations?a=SAU&b=SYRGOV"]
    ev = all_events(shared_client, doc="markup")[0]["event_id"]
    pages.append(f"/events/{ev}")
    for path in pages:
        html = shared_client.get(path).text
        for tag in re.findall(r"<script[^>]*>", html):
            assert 'src="/static/' in tag, (path, tag)
        assert "<script>window.__pwned" not in html and "<img src=x" not in html, path
        assert "javascript:" not in re.sub(r"<[^>]*>", "", html) or 'href="javascript:' not in html
    doc = shared_client.get("/documents/markup").text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in doc
    assert 'href="javascript:' not in doc


def test_no_sql_is_built_from_string_formatting() -> None:
    """No f-string, %-formatting, .format() or concatenation as the SQL of execute/text calls in the
    store and the API. The two allowed: identifiers quoted by the dialect in a migration helper, and a
    PRAGMA with an integer constant."""
    allowed = {("_migrations.py", "add_column_if_missing"), ("_engine.py", "_on_connect")}
    sql_calls = {"execute", "exec_driver_sql", "text", "executescript", "executemany"}
    found = []
    for path in [*(ROOT / "dossier" / "store").glob("*.py"), *(ROOT / "dossier" / "api").glob("*.py"),
                 *(ROOT / "dossier" / "web").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        innermost: dict[ast.Call, str] = {}  # ast.walk goes outside-in, so inner functions win
        for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
            innermost.update({n: func.name for n in ast.walk(func) if isinstance(n, ast.Call)})
        for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call)]:
            name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
            if name not in sql_calls or not call.args:
                continue
            arg = call.args[0]
            formatted = (isinstance(arg, ast.JoinedStr)
                         or (isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod | ast.Add))
                         or (isinstance(arg, ast.Call) and getattr(arg.func, "attr", None) == "format"))
            where = innermost.get(call, "<module>")
            if formatted and (path.name, where) not in allowed:
                found.append(f"{path.name}:{call.lineno} in {where}")
    assert not found, found
    # and the scan does catch one
    bad = ast.parse('def f(conn, x):\n    conn.execute(f"SELECT {x}")\n')
    call = next(n for n in ast.walk(bad) if isinstance(n, ast.Call))
    assert isinstance(call.args[0], ast.JoinedStr)


def test_markup_title_is_stored_as_given(shared_client: TestClient) -> None:
    assert shared_client.get("/api/documents/markup").json()["title"] == MARKUP_TITLE


def test_openapi_and_docs_are_served_locally(shared_client: TestClient) -> None:
    spec = shared_client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/documents", "/api/documents/{doc_id}", "/api/actors",
            "/api/stats", "/api/relations"} <= set(spec["paths"])
    docs = shared_client.get("/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in docs and "http" not in docs.replace("http-equiv", "")


# -- the same API on PostgreSQL ----------------------------------------------------------------

from tests.test_store import pg_url  # noqa: E402,F401  (fixture: a fresh schema on the test server)


def test_postgresql_answers_as_sqlite(pg_url: str, tmp_path: Path, coder, shared_client: TestClient) -> None:  # noqa: F811
    seed(pg_url, tmp_path, coder)
    with TestClient(create_app(pg_url)) as pg:
        for params in ({"q": "embassy"}, {"q": "Saudi Arabia"}, {"q": "zanzibarian"}, {"actor": "SAU"},
                       {"since": "2023-03", "quad_class": 1}, {"factuality": "asserted"}):
            assert ([e["event_id"] for e in all_events(pg, **params)]
                    == [e["event_id"] for e in all_events(shared_client, **params)]), params
        assert all_events(pg, q="embassy")
        for path, params in (("/api/stats", {}), ("/api/actors", {"q": "sau"}),
                             ("/api/relations", {"a": "SAU", "b": "SYRGOV"}), ("/api/map", {})):
            assert pg.get(path, params=params).json() == shared_client.get(path, params=params).json(), path
        assert pg.get("/api/events", params={"format": "csv"}).text == shared_client.get(
            "/api/events", params={"format": "csv"}).text


def test_keys_commands(tmp_path: Path) -> None:
    from tests.conftest import dossier_cli

    db = str(tmp_path / "keys.db")
    made = dossier_cli("keys", "create", "newsroom", "--db", db)
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert key.startswith("dsk_") and len(key.splitlines()) == 1 and "shown this once" in made.stderr
    with Store(f"sqlite:///{db}") as store:
        from dossier.store import verify_key

        assert verify_key(store, key) is not None
    listed = dossier_cli("keys", "list", "--db", db)
    prefix = key.split("_")[1]
    assert prefix in listed.stdout and "newsroom" in listed.stdout and "active" in listed.stdout
    assert key.split("_", 2)[2] not in listed.stdout
    assert dossier_cli("keys", "revoke", "newsroom", "--db", db).returncode == 0
    assert "revoked" in dossier_cli("keys", "list", "--db", db).stdout
    again = dossier_cli("keys", "revoke", "newsroom", "--db", db)
    assert again.returncode == 1 and again.stderr.strip().startswith("error: no active key")
    assert "Traceback" not in again.stderr


def test_search_index_is_built_for_a_store_written_before_it(tmp_path: Path, coder) -> None:
    """A store at the schema version before search (documents already in it) gets its sentences
    indexed by the migration, and later saves keep the index in step."""
    from dossier.store import MIGRATIONS, migrate
    from dossier.store._engine import make_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    step = next(m.version for m in MIGRATIONS if "full-text" in m.description)
    engine = make_engine(url)
    migrate(engine, MIGRATIONS[: step - 1])
    engine.dispose()
    doc = Document(id="old-1", text="Qatar mediated talks between Israel and Hamas in Doha.", date="2023-10-01",
                   language="en")
    old = Store.__new__(Store)  # a Store that does not migrate on opening: writes as an older Dossier would
    old.url, old._engine = url, make_engine(url)
    with old:
        old.save(list(coder.code_many([doc])))
    with TestClient(create_app(url)) as c:  # opening migrates
        found = all_events(c, q="mediated")
        assert found and {e["doc_id"] for e in found} == {"old-1"}
        c.app.state.store.save(list(coder.code_many([Document(id="old-1", text="Qatar condemned Israel.",
                                                              date="2023-10-02", language="en")])))
        assert all_events(c, q="mediated") == []  # the replaced sentences left the index
        assert all_events(c, q="condemned")
