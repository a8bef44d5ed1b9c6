"""Scale paths: worker processes, a Dask local cluster, PostgreSQL, Parquet partitions and export.

Each parallel path must leave the same events, byte for byte, as one process coding the same corpus.
The corpus is small (a handful of documents in batches of two) so that several batches are in flight.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.pipeline import ingest_paths
from dossier.store import EventQuery, Store

from .conftest import ROOT, dossier_cli
from .test_store import pg_url  # noqa: F401  (a fresh PostgreSQL schema, or a skip with the reason)

BATCH = 2


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample wire items and statements: 6 documents, several dates, events in most."""
    folder = tmp_path_factory.mktemp("corpus")
    lines = (ROOT / "samples" / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    extra = {"id": "meeting", "date": "2024-05-02",
             "text": (ROOT / "samples" / "ministers-meeting.txt").read_text(encoding="utf-8")}
    again = {**json.loads(lines[1]), "id": "wire-002-copy", "date": "2024-05-03"}
    lines += [json.dumps(extra), json.dumps(again)]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "wire.jsonl"


def _events_jsonl(url: str) -> list[str]:
    with Store(url) as store:
        return [json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) for e in store.events(EventQuery())]


@pytest.fixture(scope="module")
def one_process(corpus: Path, coder, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The reference: the corpus coded in this one process."""
    url = f"sqlite:///{tmp_path_factory.mktemp('one') / 'one.db'}"
    with Store(url) as store:
        report = ingest_paths([corpus], store, coder=coder, batch_size=BATCH)
    assert report.ok and report.new == 6
    events = _events_jsonl(url)
    assert len(events) >= 5
    return events


@pytest.fixture(scope="module")
def dask_client() -> Iterator[object]:
    pytest.importorskip("distributed")
    from dossier.distributed import dask_client as make

    with make(workers=2) as client:
        yield client


def test_workers_store_the_same_events_as_one_process(corpus, one_process, tmp_path):
    db = f"sqlite:///{tmp_path / 'w.db'}"
    r = dossier_cli("ingest", str(corpus), "--db", db, "--workers", "2", "--batch-size", str(BATCH), "-q")
    assert r.returncode == 0, r.stderr
    assert "6 new" in r.stderr
    assert _events_jsonl(db) == one_process
    again = dossier_cli("ingest", str(corpus), "--db", db, "--workers", "2", "--batch-size", str(BATCH), "-q")
    assert again.returncode == 0 and "6 unchanged" in again.stderr, again.stderr


@pytest.mark.parametrize("workers", ["2", "1"])
def test_coders_renewed_after_each_batch_store_the_same_events(corpus, one_process, tmp_path, workers):
    # pipeline.coder_documents(): a worker process is replaced, and a single process renews its coder in place,
    # after about that many documents (here after every batch of 2, so each of the 3 batches is coded by a freshly
    # loaded coder)
    db = f"sqlite:///{tmp_path / 'r.db'}"
    r = dossier_cli("ingest", str(corpus), "--db", db, "--workers", workers, "--batch-size", str(BATCH), "-q",
                    env={"DOSSIER_CODER_DOCUMENTS": str(BATCH)})
    assert r.returncode == 0, r.stderr
    assert _events_jsonl(db) == one_process


RENEWAL_PROBE = """
import gc, json, sys, weakref
from dossier import pipeline
from dossier.model import Document
docs = [Document(id=str(i), text="Syrian forces shelled Douma. Turkey condemned the attack.", language="en")
        for i in range(6)]
pipelines, out = [], []
for coded in pipeline.code_documents(docs, batch_size=2):
    pipelines.append(weakref.ref(pipeline.default_coder().nlp))
    out.append([{k: v for k, v in e.to_dict().items() if k not in ("event_id", "doc_id", "parent")}
                for e in coded.events])  # (a parent is another event's id, which names its document too)
gc.collect()
print(json.dumps({"alive": sum(r() is not None for r in pipelines), "same": all(o == out[0] for o in out),
                  "events": len(out[0])}))
"""


def test_a_renewed_coder_frees_the_old_pipeline():
    # after coding 2 documents the coder is renewed: the old spaCy pipeline (its vocabulary, which only grows) is
    # freed, not merely replaced, and the new coder codes the same sentence the same way
    r = subprocess.run([sys.executable, "-c", RENEWAL_PROBE], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "DOSSIER_CODER_DOCUMENTS": "2"}, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got["events"] >= 2 and got["same"]
    assert got["alive"] == 2  # only the last pipeline (the two documents of the last batch) is still alive


def test_dask_local_cluster_stores_the_same_events(corpus, one_process, dask_client, tmp_path):
    from dossier.distributed import code_batches_on_dask

    url = f"sqlite:///{tmp_path / 'd.db'}"
    with Store(url) as store:
        report = ingest_paths([corpus], store, batch_size=BATCH, code_batches=code_batches_on_dask(dask_client, BATCH))
    assert report.ok and report.new == 6
    assert _events_jsonl(url) == one_process


def test_dask_workers_write_parquet_partitions(corpus, one_process, dask_client, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from dossier.export import ingest_to_parquet

    out = tmp_path / "events"
    report = ingest_to_parquet([corpus], out, batch_size=BATCH, client=dask_client)
    assert report.ok and report.new == 6 and report.events == len(one_process)
    table = pq.read_table(out)  # a Hive-partitioned dataset, read as it is
    assert sorted(table.column("event_id").to_pylist()) == sorted(json.loads(e)["event_id"] for e in one_process)
    dates = {p.name for p in out.iterdir()}
    assert dates == {f"event_date={json.loads(e)['date']}" for e in one_process}


def test_postgresql_store_from_a_cluster_equals_one_process(corpus, one_process, dask_client, pg_url):  # noqa: F811
    from dossier.distributed import code_batches_on_dask

    with Store(pg_url) as store:
        report = ingest_paths([corpus], store, batch_size=BATCH, code_batches=code_batches_on_dask(dask_client, BATCH))
        assert report.new == 6
        store.analyze()
    assert _events_jsonl(pg_url) == one_process
    # the commands that read work on the same URL
    first = json.loads(one_process[0])
    actor = first["actor"][0]["code"] if first["actor"] else None
    r = dossier_cli("events", "--db", pg_url, "--format", "jsonl", *(["--actor", actor] if actor else []),
                    "--since", first["date"])
    assert r.returncode == 0, r.stderr
    assert first["event_id"] in r.stdout


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_partitions_by_event_date(one_process, tmp_path, corpus, coder, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    with Store(db) as store:
        ingest_paths([corpus], store, coder=coder, batch_size=BATCH)
    out = tmp_path / "out"
    r = dossier_cli("export", str(out), "--db", db, "--format", fmt)
    assert r.returncode == 0, r.stderr
    assert f"{len(one_process)} events" in r.stderr
    by_date: dict[str, set[str]] = {}
    for e in map(json.loads, one_process):
        by_date.setdefault(f"event_date={e['date']}", set()).add(e["event_id"])
    assert {p.name for p in out.iterdir()} == set(by_date)
    for folder, ids in by_date.items():
        (path,) = (out / folder).iterdir()
        if fmt == "parquet":
            import pyarrow.parquet as pq

            found = set(pq.read_table(path).column("event_id").to_pylist())
        elif fmt == "csv":
            found = {line.split(",")[0] for line in path.read_text(encoding="utf-8").splitlines()[1:]}
        else:
            found = {json.loads(line)["event_id"] for line in path.read_text(encoding="utf-8").splitlines()}
        assert found == ids
    # a second export never mixes with the first
    again = dossier_cli("export", str(out), "--db", db, "--format", fmt)
    assert again.returncode != 0 and again.stderr.count("\n") == 1 and "not an empty directory" in again.stderr


def test_empty_input_loads_no_model():
    code = ("from dossier.pipeline import code_documents, default_coder\n"
            "assert list(code_documents([])) == []\n"
            "print(default_coder.cache_info().currsize)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "0"


def test_unknown_engine_is_one_line(corpus, tmp_path):
    r = dossier_cli("ingest", str(corpus), "--db", f"sqlite:///{tmp_path / 'e.db'}", "--engine", "spark")
    assert r.returncode == 2 and r.stderr.strip() == "error: --engine must be local or dask, not 'spark'"


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """5,000 events from the benchmark's bulk generator (skewed codes and types, dates in seq order)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import scale
    finally:
        sys.path.pop(0)
    path = tmp_path_factory.mktemp("gen") / "gen.db"
    scale.build_sqlite(path, 5000)
    return f"sqlite:///{path}"


@pytest.mark.parametrize("cap", [20_000, 100, 5])  # driven by one filter's index / walked in seq order
def test_a_page_is_the_start_of_the_full_listing(generated_store, monkeypatch, cap):
    import dossier.store._query as query

    monkeypatch.setattr(query, "PROBE_CAP", cap)
    pairs = [{"actor": "SYRGOV", "since": "2015-01-01"}, {"actor": "USA", "plover": "ASSAULT"},
             {"recipient": "RUS", "cameo": "19"}, {"country": "UKR", "since": "2018-06-01"},
             {"actor": "DZA", "recipient": "TUN"}, {"cameo": "112", "country": "YEM"}, {"actor": "USA"},
             {"plover": "PROTEST", "until": "2012-12-31"}, {"since": "2019-12-01", "until": "2019-12-31"},
             {"country": "SYR", "since": "2014-02", "until": "2016"}]
    with Store(generated_store) as store:
        for f in pairs:
            full = [s for s, _ in store.events_with_seq(EventQuery(**f))]
            assert [s for s, _ in store.events_with_seq(EventQuery(limit=20, **f))] == full[:20], f
            if len(full) > 20:
                after = EventQuery(limit=20, after_seq=full[19], **f)
                assert [s for s, _ in store.events_with_seq(after)] == full[20:40], f


def test_repeated_ids_give_the_same_store_whatever_the_batching(tmp_path, coder):
    """An id repeated in one file is reported and skipped; a copy in another file is unchanged when identical
    and wins when different: the same store and report in one process at any batch size and with workers."""
    import sqlite3

    lines = (ROOT / "samples" / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    first = tmp_path / "a.jsonl"
    first.write_text("\n".join([*lines, lines[0]]) + "\n", encoding="utf-8")  # lines[0] repeated in the file
    changed = {**json.loads(lines[1]), "text": "Egypt condemned the attack on the convoy in Sinai."}
    second = tmp_path / "b.jsonl"
    second.write_text("\n".join([*lines[2:], json.dumps(changed), lines[0]]) + "\n", encoding="utf-8")

    def state(url: str) -> tuple[list[str], list[tuple[str, str]]]:
        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            origins = con.execute("SELECT id, origin FROM documents ORDER BY id").fetchall()
        finally:
            con.close()
        return _events_jsonl(url), origins

    seen = []
    for batch in (1, 2, 100):
        url = f"sqlite:///{tmp_path / f'one-{batch}.db'}"
        with Store(url) as store:
            report = ingest_paths([first, second], store, coder=coder, batch_size=batch)
        seen.append((report.summary(), state(url)))
    url = f"sqlite:///{tmp_path / 'w.db'}"
    r = dossier_cli("ingest", str(first), str(second), "--db", url, "--workers", "2", "--batch-size", "1", "-q")
    assert r.returncode == 1, r.stderr  # the repeated line is reported
    summary = r.stderr.strip().splitlines()[-1]
    seen.append((summary, state(url)))
    for s in seen:
        assert s[0] == seen[0][0]
        assert s[1][1] == seen[0][1][1]
        assert s[1][0] == seen[0][1][0]
    assert "1 updated" in seen[0][0] and "1 failed" in seen[0][0]
