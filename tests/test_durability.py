"""Crash safety for real: `dossier ingest` subprocesses killed with SIGKILL at named points and at a
random moment, then run again, end with exactly what an uninterrupted run stores; readers and
backups keep working while an ingest holds the write lock; overlapping ingests store each document once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dossier.store import LATEST_VERSION, EventQuery, Store

from .conftest import dossier_cli

EXE = str(Path(sys.executable).parent / "dossier")
SENTENCES = [
    "Mali expelled the French ambassador on {d}.",
    "Sudanese army forces shelled Omdurman on {d}, residents said.",
    "The United Nations condemned the attack on the convoy near Aleppo on {d}.",
    "Russia and China vetoed the draft resolution on {d}.",
    "Kenya deployed police officers to Haiti on {d}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def _corpus(root: Path) -> Path:
    """10 text files and a JSONL file of 6 records: 16 documents, 4 batches of 4 + 1 less."""
    corpus = root / "corpus"
    corpus.mkdir()
    for i in range(10):
        text = " ".join(s.format(d=DAYS[(i + j) % 6]) for j, s in enumerate(SENTENCES[: 2 + i % 3]))
        (corpus / f"doc{i:02}.txt").write_text(text, "utf-8")
    lines = [f'{{"id": "wire-{i}", "text": "{SENTENCES[i % 5].format(d=DAYS[i])}"}}' for i in range(6)]
    (corpus / "wire.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return corpus


def _ingest(corpus: Path, db: Path, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"DOSSIER_FAULT": fault} if fault else {}
    return dossier_cli("ingest", str(corpus), "--db", str(db), "--batch-size", "4", env=env)


def _contents(db: Path) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]], int]:
    conn = sqlite3.connect(db)
    try:
        docs = set(conn.execute("SELECT id, content_hash, n_sentences FROM documents"))
        events = set(conn.execute("SELECT e.event_id, e.doc_id, e.cameo, group_concat(a.code) FROM events e "
                                  "LEFT JOIN event_actors a ON a.event_id = e.event_id GROUP BY e.event_id"))
        n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()
    return docs, events, n_events


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[set, set, int]]:
    root = tmp_path_factory.mktemp("durability")
    corpus = _corpus(root)
    done = _ingest(corpus, root / "clean.db")
    assert done.returncode == 0, done.stderr
    contents = _contents(root / "clean.db")
    assert len(contents[0]) == 16 and contents[2] >= 16
    return corpus, contents


# Each named point, at a batch in the middle of the run: early (the 3rd document read), mid-batch
# (the 2nd batch coded, not saved), during a commit (the 3rd batch written, not committed), and
# right after a commit.
KILL_POINTS = ["read:3:kill", "coded:2:kill", "commit:3:kill", "saved:1:kill"]


@pytest.mark.parametrize("fault", KILL_POINTS)
def test_sigkill_at_a_named_point_then_rerun_equals_an_uninterrupted_run(clean_run, tmp_path: Path,
                                                                          fault: str) -> None:
    corpus, expected = clean_run
    db = tmp_path / "k.db"
    killed = _ingest(corpus, db, fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if db.exists():
        partial = _contents(db)
        assert len(partial[0]) < 16  # the kill really cut the run short
        assert partial[0] <= expected[0] and partial[1] <= expected[1]  # and what is there is whole
        assert dossier_cli("check", "--db", str(db)).returncode == 0
    rerun = _ingest(corpus, db)
    assert rerun.returncode == 0, rerun.stderr
    assert _contents(db) == expected
    assert dossier_cli("check", "--db", str(db)).returncode == 0


def test_sigkill_at_random_moments_then_rerun_equals_an_uninterrupted_run(clean_run, tmp_path: Path) -> None:
    corpus, expected = clean_run
    db = tmp_path / "r.db"
    rng = random.Random(int(os.environ.get("DOSSIER_KILL_SEED", "7")))
    for _ in range(1):
        proc = subprocess.Popen([EXE, "ingest", str(corpus), "--db", str(db), "--batch-size", "4"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(2.0, 12.0))
        proc.kill()
        proc.wait(timeout=60)
    rerun = _ingest(corpus, db)
    assert rerun.returncode == 0, rerun.stderr
    assert _contents(db) == expected


def _start_stalled_ingest(corpus: Path, db: Path, fault: str) -> tuple[subprocess.Popen[str], threading.Thread]:
    """An ingest paused at `fault` (with the write lock held when the point is `commit`)."""
    proc = subprocess.Popen([EXE, "ingest", str(corpus), "--db", str(db), "--batch-size", "4"],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "DOSSIER_FAULT": fault})
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("fault: sleeping at"):
            # keep draining stderr, so the child never blocks on a full pipe
            drain = threading.Thread(target=proc.stderr.read, daemon=True)
            drain.start()
            return proc, drain
    raise AssertionError(f"ingest ended without reaching {fault}: exit {proc.wait()}")


def test_readers_and_backup_keep_working_while_an_ingest_holds_the_write_lock(clean_run, tmp_path: Path) -> None:
    corpus, expected = clean_run
    db = tmp_path / "w.db"
    # the 2nd batch stays uncommitted for 20 s, holding SQLite's write lock
    proc, drain = _start_stalled_ingest(corpus, db, "commit:2:sleep=20")
    try:
        started = time.monotonic()
        with Store(f"sqlite:///{db}") as store:
            for _ in range(5):
                events = store.events(EventQuery())
                assert {e.doc_id for e in events} <= {d[0] for d in expected[0]}
                assert store.stats()["documents"] == 4  # the 1st batch, committed; not the pending one
        backup = tmp_path / "copy.db"
        done = dossier_cli("backup", str(backup), "--db", str(db))
        assert done.returncode == 0, done.stderr
        elapsed = time.monotonic() - started
        assert proc.poll() is None and elapsed < 20  # all of it answered while the writer still waited
        assert len(_contents(backup)[0]) == 4
        assert dossier_cli("check", "--db", str(backup)).returncode == 0
    finally:
        proc.wait(timeout=120)
        drain.join(timeout=10)
        assert proc.stderr is not None
        proc.stderr.close()
    assert proc.returncode == 0
    assert _contents(db) == expected


def test_two_overlapping_ingests_store_each_document_once(clean_run, tmp_path: Path) -> None:
    corpus, expected = clean_run
    db = tmp_path / "o.db"
    results: list[subprocess.CompletedProcess[str]] = []
    runs = [threading.Thread(target=lambda: results.append(_ingest(corpus, db))) for _ in range(2)]
    for t in runs:
        t.start()
    for t in runs:
        t.join()
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert _contents(db) == expected
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone() == (16, 16)
    conn.close()


def test_check_says_what_is_wrong(clean_run, tmp_path: Path) -> None:
    corpus, _ = clean_run
    db = tmp_path / "c.db"
    assert _ingest(corpus, db).returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM documents WHERE id = 'wire-0'")  # leaves its sentences and events behind
    conn.execute("UPDATE documents SET n_sentences = n_sentences + 1 WHERE id = 'wire-1'")
    conn.execute("DELETE FROM schema_version WHERE version = (SELECT max(version) FROM schema_version)")
    conn.commit()
    conn.close()
    done = dossier_cli("check", "--db", str(db))
    assert done.returncode == 1
    problems = [line for line in done.stderr.splitlines() if line.startswith("problem: ")]
    assert f"problem: schema version {LATEST_VERSION - 1}, expected {LATEST_VERSION}" in problems
    assert "problem: 1 sentences belong to no document" in problems
    assert any(p.startswith("problem: ") and "events belong to no document" in p for p in problems)
    assert "problem: 1 documents whose sentence count disagrees with their sentences" in problems
