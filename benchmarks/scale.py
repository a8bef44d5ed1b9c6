"""Scale benchmark: `make bench` (long; never part of `make test`). Writes BENCHMARKS.md.

1. Throughput, as whole processes on one corpus of distinct realistic documents (the synthetic wire stories
   in ../shared/benchmarks and the bundled samples): bare spaCy `nlp.pipe` (1 process and n_process=2; the
   pipeline as spaCy ships it), the same with the exact faster rule components ingest loads (1 process),
   `dossier ingest` in one process, with `--workers 2`, and with `--engine dask --workers 2`. The runs are
   interleaved (one of each configuration per round) and each figure is the median over the rounds.
2. Memory (`--memory-docs`, `--memory-stream`): peak resident sets of ingest at several corpus sizes, and the
   resident sets followed through one long ingest.
3. Queries at N events (default 10,000,000) built by a bulk generator straight into the store's tables (not
   through the parser), on SQLite and, when a server is given, PostgreSQL: the first page (50 events) of
   `Store.events` with pairs of filters, median of several timed runs after one warm-up.

    .venv/bin/python benchmarks/scale.py [--docs 2000] [--rounds 3] [--memory-stream 100000] [--events 10000000]
        [--pg URL]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DOSSIER_SHARED", ROOT.parent / "shared"))
STORIES = SHARED / "benchmarks" / "ngec-synthetic-stories.csv"
BIN = Path(sys.executable).parent


# ---- corpus ------------------------------------------------------------------------------------------
_SYLLABLES = ["ka", "lo", "mir", "ven", "tas", "dor", "ul", "esh", "ni", "bar", "zo", "rek", "tu", "sal", "om",
              "pri", "gan", "vel", "chu", "id", "mo", "ras", "kel", "un"]


def _name(i: int) -> str:
    """A made-up capitalised name, distinct for each i below 24 ** 4."""
    parts = []
    for _ in range(4):
        i, k = divmod(i, len(_SYLLABLES))
        parts.append(_SYLLABLES[k])
    return "".join(parts).capitalize()


def corpus(n: int, cycle: bool = False) -> list[dict[str, str]]:
    """n distinct documents: the bundled samples first, then synthetic stories (each text once). With `cycle`, a
    corpus larger than that repeats them, each copy made distinct by a closing line with names not seen before
    (for the memory runs)."""
    docs: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(doc_id: str, text: str, date: str | None = None) -> None:
        text = text.strip()
        if text and text not in seen and len(docs) < n:
            seen.add(text)
            docs.append({"id": doc_id, "text": text, "language": "en", **({"date": date} if date else {})})

    for p in sorted((ROOT / "samples").glob("*.txt")):
        add(f"sample-{p.stem}", p.read_text(encoding="utf-8"), "2024-05-01")
    for line in (ROOT / "samples" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        add(d["id"], d["text"], d.get("date"))
    if STORIES.exists():
        csv.field_size_limit(10_000_000)
        with open(STORIES, encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.DictReader(f)):
                # a date per story, spread over a year, so events land in many date partitions
                add(f"story-{i:05d}", row["text"], f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}")
    if len(docs) < n and cycle and docs:
        base = list(docs)
        for i in range(len(docs), n):
            d = base[i % len(base)]
            # names never seen before, as a real news stream keeps bringing them: the vocabulary keeps growing
            line = f"(Archive copy {i}, filed by {_name(i)} {_name(i * 7 + 1)} in {_name(i * 13 + 2)}.)"
            docs.append({**d, "id": f"{d['id']}-copy{i}", "text": f"{d['text']}\n\n{line}"})
    if len(docs) < n:
        raise SystemExit(f"only {len(docs)} distinct documents available (wanted {n}); is {STORIES} there?")
    return docs


# spaCy's pipeline as shipped ("spacy"), or with the faster exact rule components ingest loads ("fast")
FAST_BARE = "bare nlp.pipe, 1 process, Dossier's rule components"
BARE = """
import sys, json
from dossier.nlp import load_nlp
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
nlp = load_nlp(fast_rules=sys.argv[3] == "fast")
n = int(sys.argv[2])
kw = {"n_process": n} if n > 1 else {}
for _ in nlp.pipe(texts, batch_size=32, **kw):
    pass
"""


def _descendants(pid: int) -> list[int]:
    """The processes below `pid` (Linux /proc), children first: those started by any of its threads (a process
    pool replaces its workers from a thread of its own)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids: list[int] = []
        for children in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                kids += [int(k) for k in children.read_text().split()]
            except OSError:
                pass
        out.extend(kids)
        todo.extend(kids)
    return out


def _status_kib(pid: int, field: str) -> int | None:
    """A size from a live process's /proc status (`VmHWM`, its resident set's high-water mark; `VmRSS`, its
    resident set now), in KiB; None when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _hwm_kib(pid: int) -> int | None:
    """Peak resident set size so far (VmHWM) of a live process, in KiB."""
    return _status_kib(pid, "VmHWM")


def _run_measured(cmd: list[str]) -> tuple[float, int, list[int], float]:
    """Run `cmd`: (seconds, its own peak RSS in KiB, the peak RSS in KiB of each process it started, CPU seconds).

    The CPU seconds are user + system time of the process and of every descendant it waited for (its worker
    processes), from the difference of this process's RUSAGE_CHILDREN before and after the run.

    Each peak is the process's VmHWM (the kernel's high-water mark of its resident set), sampled every 0.2 s
    while it lives: the last sample is kept, so growth in a process's final 0.2 s can be missed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, int] = {}
    main_peak = 0
    while proc.poll() is None:
        main_peak = max(main_peak, _hwm_kib(proc.pid) or 0)
        for child in _descendants(proc.pid):
            hwm = _hwm_kib(child)
            if hwm:
                peaks[child] = max(peaks.get(child, 0), hwm)
        time.sleep(0.2)
    dt = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr[-2000:]}")
    return dt, main_peak, sorted(peaks.values(), reverse=True), cpu


def memory(sizes: list[int], workers_docs: int) -> list[dict[str, object]]:
    """Peak RSS of `dossier ingest` in one process at each corpus size, and per worker with --workers 2."""
    tmp = Path(tempfile.mkdtemp(prefix="dossier-mem-"))
    dossier = str(BIN / "dossier")
    out = []
    try:
        runs = [(n, 1) for n in sizes] + ([(workers_docs, 2)] if workers_docs else [])
        for n, workers in runs:
            src = tmp / f"corpus-{n}.jsonl"
            src.write_text("".join(json.dumps(d) + "\n" for d in corpus(n, cycle=True)), encoding="utf-8")
            db = f"sqlite:///{tmp}/mem-{n}-{workers}.db"
            dt, main_kib, worker_kib, _ = _run_measured([dossier, "ingest", str(src), "-q", "--workers", str(workers),
                                                      "--db", db])
            out.append({"docs": n, "workers": workers, "seconds": dt, "main_mib": main_kib / 1024,
                        "worker_mib": [k / 1024 for k in worker_kib]})
            print(f"memory: {out[-1]}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _rss_mib(pid: int) -> float:
    """Resident set size now (VmRSS) of a live process, in MiB; 0 when it is gone."""
    return (_status_kib(pid, "VmRSS") or 0) / 1024


def _stored_documents(db: Path) -> int | None:
    """Documents committed so far to the SQLite store being written (read-only, between its transactions)."""
    import sqlite3

    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return None


def _stream_part(samples: list[tuple[int, float, float]], lo: int, hi: int) -> dict[str, float]:
    """The largest resident sets sampled while documents lo to hi were coded (samples: documents committed, main
    MiB, largest worker MiB)."""
    inside = [s for s in samples if lo <= s[0] < hi]
    return {"from": lo, "to": hi, "main_mib": max((s[1] for s in inside), default=0.0),
            "worker_mib": max((s[2] for s in inside), default=0.0), "samples": len(inside)}


def memory_stream(n: int, workers: int | None, slices: int = 10, every: float = 2.0) -> dict[str, object]:
    """One `dossier ingest` of n documents (the cycled corpus), its memory followed as it goes: every `every`
    seconds the resident set (VmRSS) of the main process and of its largest worker, and the documents committed.
    Returns, for each of `slices` equal parts of the corpus, the largest resident sets seen while it was coded."""
    tmp = Path(tempfile.mkdtemp(prefix="dossier-stream-"))
    try:
        src, db = tmp / "corpus.jsonl", tmp / "stream.db"
        with open(src, "w", encoding="utf-8") as f:
            for d in corpus(n, cycle=True):
                f.write(json.dumps(d) + "\n")
        # without --workers, as a user runs it: a large corpus is coded on every core
        cmd = [str(BIN / "dossier"), "ingest", str(src), "-q", "--db", f"sqlite:///{db}",
               *(["--workers", str(workers)] if workers else [])]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        samples: list[tuple[int, float, float]] = []  # (documents committed, main MiB, largest worker MiB)
        done, part = 0, 0
        while proc.poll() is None:
            main = _rss_mib(proc.pid)
            worker = max((_rss_mib(c) for c in _descendants(proc.pid)), default=0.0)
            done = _stored_documents(db) if db.exists() else 0
            if done is not None:
                samples.append((done, main, worker))
                while done >= (part + 1) * n // slices:  # a tenth done: say so as it goes
                    p = _stream_part(samples, part * n // slices, (part + 1) * n // slices)
                    print(f"stream: documents {p['from']:,}-{p['to']:,}: main {p['main_mib']:.0f} MiB, largest "
                          f"worker {p['worker_mib']:.0f} MiB", file=sys.stderr, flush=True)
                    part += 1
            time.sleep(every)
        seconds = time.perf_counter() - t0
        stderr = proc.stderr.read() if proc.stderr else ""
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr[-2000:]}")
        parts = [_stream_part(samples, k * n // slices, (k + 1) * n // slices) for k in range(slices)]
        return {"docs": n, "workers": workers, "seconds": seconds, "parts": parts,
                "coder_documents": os.environ.get("DOSSIER_CODER_DOCUMENTS", "10000 (default)")}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def throughput(n_docs: int, rounds: int) -> dict[str, object]:
    docs = corpus(n_docs)
    tmp = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    try:
        src = tmp / "corpus.jsonl"
        src.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        py, dossier = str(BIN / "python"), str(BIN / "dossier")
        configs = {
            "bare nlp.pipe, 1 process": lambda i: [py, "-c", BARE, str(src), "1", "spacy"],
            "bare nlp.pipe, n_process=2": lambda i: [py, "-c", BARE, str(src), "2", "spacy"],
            FAST_BARE: lambda i: [py, "-c", BARE, str(src), "1", "fast"],
            "dossier ingest, 1 process": lambda i: [dossier, "ingest", str(src), "-q", "--workers", "1",
                                                    "--db", f"sqlite:///{tmp}/one-{i}.db"],
            "dossier ingest --workers 2": lambda i: [dossier, "ingest", str(src), "-q", "--workers", "2",
                                                     "--db", f"sqlite:///{tmp}/two-{i}.db"],
            "dossier ingest --engine dask --workers 2": lambda i: [
                dossier, "ingest", str(src), "-q", "--engine", "dask", "--workers", "2",
                "--db", f"sqlite:///{tmp}/dask-{i}.db"],
        }
        times: dict[str, list[float]] = {k: [] for k in configs}
        cpus: dict[str, list[float]] = {k: [] for k in configs}  # user + system seconds, workers included
        peaks: dict[str, tuple[float, float]] = {}  # largest over the rounds: main process, any one child, MiB
        for i in range(rounds):
            for name, cmd in configs.items():
                dt, main_kib, child_kib, cpu = _run_measured(cmd(i))
                times[name].append(dt)
                cpus[name].append(cpu)
                old = peaks.get(name, (0.0, 0.0))
                peaks[name] = (max(old[0], main_kib / 1024), max(old[1], max(child_kib, default=0) / 1024))
                print(f"round {i + 1}: {name}: {times[name][-1]:.1f} s ({cpu:.1f} s CPU)", file=sys.stderr,
                      flush=True)
        chars = sum(len(d["text"]) for d in docs)
        return {"docs": len(docs), "chars": chars, "rounds": rounds, "times": times, "cpus": cpus,
                "peaks": peaks}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- bulk generator and queries ---------------------------------------------------------------------
COUNTRIES = ["USA", "RUS", "CHN", "SYR", "ISR", "PSE", "UKR", "IRN", "IRQ", "TUR", "GBR", "FRA", "DEU", "IND",
             "PAK", "AFG", "EGY", "SAU", "YEM", "LBN", "NGA", "ETH", "SDN", "SOM", "KEN", "COD", "MLI", "VEN",
             "COL", "MEX", "BRA", "JPN", "KOR", "PRK", "MMR", "PHL", "IDN", "LBY", "TUN", "DZA"]
SECTORS = ["", "GOV", "MIL", "REB", "OPP", "CVL", "COP", "MED", "BUS", "IGO"]
PLOVER = ["AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
CAMEO = ["010", "020", "036", "040", "042", "051", "057", "061", "070", "090", "100", "111", "112", "120",
         "130", "141", "150", "163", "173", "180", "190", "193", "195"]


def _zipf(rng: random.Random, items: list[str]) -> str:
    """Skewed choice: a few countries/types are common, most rare (as in real event data)."""
    k = min(int(rng.paretovariate(1.2)) - 1, len(items) - 1)
    return items[k]


def generate_rows(n: int, seed: int = 7):  # type: ignore[no-untyped-def]
    """Events, in seq order, with 1-2 actors and 0-1 recipients each; ten events per document."""
    rng = random.Random(seed)
    days = 3650
    for i in range(n):
        doc = f"gen-{i // 10:08d}"
        day = i * days // n  # documents arrive in date order, as a monitoring feed would
        date = time.strftime("%Y-%m-%d", time.gmtime(1262304000 + day * 86400))
        plover = _zipf(rng, PLOVER)
        cameo = rng.choice(CAMEO)
        country = _zipf(rng, COUNTRIES)
        actors = [("actor", country, rng.choice(SECTORS))]
        if rng.random() < 0.2:
            actors.append(("actor", _zipf(rng, COUNTRIES), rng.choice(SECTORS)))
        if rng.random() < 0.7:
            actors.append(("recipient", _zipf(rng, COUNTRIES), rng.choice(SECTORS)))
        loc = _zipf(rng, COUNTRIES) if rng.random() < 0.6 else None
        yield i, doc, date, plover, cameo, loc, actors


EVENT_COLS = ["seq", "event_id", "doc_id", "sentence", "date", "plover", "plover_mode", "cameo", "quad_class",
              "goldstein", "trigger_text", "trigger_start", "trigger_end", "negated", "attributed", "rule",
              "coder_version", "location_name", "location_country", "location_precision", "location_start",
              "location_end", "explain", "factuality"]
ACTOR_COLS = ["event_id", "role", "ord", "text", "code", "country", "sector", "char_start", "char_end", "seq"]


def _rows(n: int):  # type: ignore[no-untyped-def]
    for i, doc, date, plover, cameo, loc, actors in generate_rows(n):
        eid = f"e{i:09d}"
        ev = (i + 1, eid, doc, i % 10, date, plover, None, cameo, 1 + i % 4, 0.0, "said", 0, 4, False, False,
              "generated", "bench", loc, loc, "country" if loc else None, 0 if loc else None,
              3 if loc else None, "{}", "asserted")
        ords: dict[str, int] = {}
        acts = []
        for role, country, sector in actors:
            k = ords.get(role, 0)
            ords[role] = k + 1
            acts.append((eid, role, k, country, country + sector, country, sector or None, 0, 3, i + 1))
        docrow = (doc, date) if i % 10 == 0 else None
        yield docrow, ev, acts


def _bulk_indexes():  # type: ignore[no-untyped-def]
    """The secondary indexes of the bulk-loaded tables: dropped before loading and built once after it."""
    from dossier.store._schema import event_actors, events

    return [ix for t in (events, event_actors) for ix in t.indexes if not ix.unique]


def _after_load(url: str) -> None:
    """Indexes back, the date -> seq ranges filled (as the store's writes keep them), in the store's own DDL."""
    from sqlalchemy import create_engine
    from sqlalchemy.schema import CreateIndex

    from dossier.store._migrations import fill_event_date_seqs
    from dossier.store._schema import PG_ONLY_INDEXES

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET maintenance_work_mem = '1GB'")  # index builds sort in memory
            for ix in _bulk_indexes():
                if ix.name in PG_ONLY_INDEXES and conn.dialect.name != "postgresql":
                    continue
                t = time.perf_counter()
                conn.execute(CreateIndex(ix, if_not_exists=True))
                print(f"  index {ix.name}: {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
            fill_event_date_seqs(conn)
    finally:
        engine.dispose()


def _drop_bulk_indexes(execute) -> None:  # type: ignore[no-untyped-def]
    for ix in _bulk_indexes():
        execute(f"DROP INDEX IF EXISTS {ix.name}")


def build_sqlite(path: Path, n: int) -> None:
    import sqlite3

    from dossier.store import Store

    with Store(f"sqlite:///{path}"):
        pass  # the schema, by the store's own migrations
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1000000")
    _drop_bulk_indexes(con.execute)
    ev_sql = f"INSERT INTO events ({', '.join(EVENT_COLS)}) VALUES ({', '.join('?' * len(EVENT_COLS))})"
    ac_sql = f"INSERT INTO event_actors ({', '.join(ACTOR_COLS)}) VALUES ({', '.join('?' * len(ACTOR_COLS))})"
    doc_sql = ("INSERT INTO documents (id, text, date, content_hash, n_sentences, ingested_at, updated_at) "
               "VALUES (?, '', ?, '', 10, '', '')")
    docs, evs, acs = [], [], []
    for docrow, ev, acts in _rows(n):
        if docrow:
            docs.append(docrow)
        evs.append(ev)
        acs.extend(acts)
        if len(evs) >= 500_000:
            con.executemany(doc_sql, docs)
            con.executemany(ev_sql, evs)
            con.executemany(ac_sql, acs)
            con.commit()
            docs, evs, acs = [], [], []
    con.executemany(doc_sql, docs)
    con.executemany(ev_sql, evs)
    con.executemany(ac_sql, acs)
    con.commit()
    con.close()
    _after_load(f"sqlite:///{path}")


def build_postgres(url: str, n: int) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    from dossier.store import Store

    with Store(url) as store:
        store.analyze()
    u = make_url(url)
    dsn = u.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as con, con.cursor() as cur:
        _drop_bulk_indexes(cur.execute)
        # one COPY at a time per connection: documents, events, actors, each a pass over the generator
        with cur.copy("COPY documents (id, text, date, content_hash, n_sentences, ingested_at, updated_at) "
                      "FROM STDIN") as cd:
            for docrow, _, _ in _rows(n):
                if docrow:
                    cd.write_row((docrow[0], "", docrow[1], "", 10, "", ""))
        with cur.copy(f"COPY events ({', '.join(EVENT_COLS)}) FROM STDIN") as ce:
            for _, ev, _ in _rows(n):
                ce.write_row(ev)
        with cur.copy(f"COPY event_actors ({', '.join(ACTOR_COLS)}) FROM STDIN") as ca:
            for _, _, acts in _rows(n):
                for a in acts:
                    ca.write_row(a)
        cur.execute("SELECT setval(pg_get_serial_sequence('events', 'seq'), %s)", (n,))
        con.commit()
    _after_load(url)


FILTER_PAIRS = [
    {"actor": "SYRGOV", "since": "2015-01-01"},
    {"actor": "USA", "plover": "ASSAULT"},
    {"recipient": "RUS", "cameo": "19"},
    {"country": "UKR", "since": "2018-06-01"},
    {"plover": "PROTEST", "until": "2012-12-31"},
    {"actor": "DZA", "recipient": "TUN"},
    {"cameo": "112", "country": "YEM"},
    {"since": "2019-12-01", "until": "2019-12-31"},
]


def plan_name(store, q) -> str:  # type: ignore[no-untyped-def]
    """How `Store.events` finds the page (dossier.store._query.page_plan), in a few words."""
    from dossier.store._query import page_plan

    with store._engine.connect() as conn:
        plan = page_plan(conn, q)
    if plan.driven is not None:
        walk = plan.driven
        return ("driven walk: " + " + ".join(f"{s.name} index" for s in [walk.driver, *walk.partners])
                + "".join(f", {role} checked by seq" for role, _ in walk.checks))
    if plan.candidates is not None:
        return f"{len(plan.candidates):,} candidates"
    return "walk in seq order" if plan.walk is not None else "one query"


def _server_cpu(store) -> float | None:  # type: ignore[no-untyped-def]
    """CPU seconds used so far by the PostgreSQL backends serving this database (user + system, from /proc: a
    server on this machine only; clock ticks, 10 ms on Linux), or None when they cannot be read (SQLite, a remote
    server)."""
    if store._engine.dialect.name != "postgresql":
        return None
    with store._engine.connect() as conn:
        pids = conn.exec_driver_sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND backend_type = 'client backend'").scalars().all()
    total = 0.0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None
    return total


def time_queries(url: str, runs: int = 5) -> list[tuple[str, float, int, str, float | None]]:
    """Per filter pair: (flags, median ms of `runs` timed calls after a warm-up, events on the page, plan, CPU ms
    per call: this process's, plus its PostgreSQL backends' when the server runs here, None when not readable).
    On a shared machine the CPU time is the steadier figure: wall time also counts waiting for a core."""
    from dossier.store import EventQuery, Store

    out = []
    with Store(url) as store:
        store.analyze()
        for f in FILTER_PAIRS:
            q = EventQuery(limit=50, **f)
            store.events(q)  # warm-up
            ts = []
            cpu0, server0 = time.process_time(), _server_cpu(store)
            for _ in range(runs):
                t = time.perf_counter()
                got = store.events(q)
                ts.append(time.perf_counter() - t)
            cpu = time.process_time() - cpu0
            server1 = _server_cpu(store)
            if server0 is not None and server1 is not None:
                cpu += server1 - server0
            elif store._engine.dialect.name == "postgresql":
                cpu = None  # type: ignore[assignment]
            out.append((" ".join(f"--{k} {v}" for k, v in f.items()), statistics.median(ts) * 1000, len(got),
                        plan_name(store, q), None if cpu is None else cpu / runs * 1000))
            print(f"{url.split(':')[0]}: {out[-1]}", file=sys.stderr, flush=True)
    return out


@contextlib.contextmanager
def private_postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL server (Debian's binaries, as the tests use), or None when not installed."""
    import glob
    import socket

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        yield None
        return
    bindir = Path(found[-1]).parent
    base = Path(tempfile.mkdtemp(prefix="dossier-bench-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres user
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
        os.chmod(base, 0o755)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = base / "data"
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E",
                    "UTF8", "--locale=C"], check=True, capture_output=True)
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o",
                    f"-p {port} -k {base} -c listen_addresses=127.0.0.1", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


# ---- report ------------------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                   if x.startswith("MemTotal")) / 1024 / 1024
    except (OSError, StopIteration):
        mem = 0.0
    return (f"{cpu}, {os.cpu_count()} logical CPUs, {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def write_report(path: Path, args: argparse.Namespace, tp: dict | None, queries: dict[str, list],
                 mem: list[dict[str, object]] | None = None, stream: dict | None = None) -> None:
    shown = ["URL" if prev == "--pg" else a for prev, a in zip(["", *args.argv], args.argv, strict=False)]
    cmd = " ".join([".venv/bin/python benchmarks/scale.py", *shown])
    lines = ["# Benchmarks", "", f"Produced by `{cmd}` (`make bench` runs the defaults) on "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", "", f"Machine: {machine()}.", ""]
    if args.note:
        lines += [args.note, ""]
    if tp:
        times = tp["times"]
        bare = statistics.median(times["bare nlp.pipe, 1 process"])
        bare2 = statistics.median(times["bare nlp.pipe, n_process=2"])
        one = statistics.median(times["dossier ingest, 1 process"])
        lines += ["## Throughput (whole processes, model loading included)", "",
                  f"{tp['docs']:,} distinct documents ({tp['chars'] / 1e6:.2f} M characters); {tp['rounds']} "
                  "interleaved rounds, medians.", "",
                  "| run | seconds (median) | all runs | documents/s | throughput vs bare nlp.pipe, 1 process | "
                  "peak RSS, main process / largest child, MiB | CPU seconds, user + system (median; all runs) |",
                  "|---|---|---|---|---|---|---|"]
        for name, ts in times.items():
            m = statistics.median(ts)
            main_mib, child_mib = tp["peaks"][name]
            cs = tp.get("cpus", {}).get(name, [])
            cpu = f"{statistics.median(cs):.1f} ({', '.join(f'{c:.1f}' for c in cs)})" if cs else ""
            lines.append(f"| {name} | {m:.1f} | {', '.join(f'{t:.1f}' for t in ts)} | {tp['docs'] / m:.1f} | "
                         f"{bare / m:.2f}x | {main_mib:.0f} / {child_mib:.0f} | {cpu} |")
        gain_spacy = bare / bare2
        fast = statistics.median(times[FAST_BARE])
        lines += ["", f"- one-process ingest reaches **{bare / one:.2f}x** bare `nlp.pipe` throughput (target 0.85x).",
                  f"- the same pipeline with Dossier's exact copies of the attribute ruler and the rule lemmatizer "
                  f"(`dossier.nlp._fastrules`, which ingest uses) parses at {bare / fast:.2f}x spaCy's; against "
                  f"it, everything ingest does beyond the parse leaves {fast / one:.2f}x.",
                  f"- bare spaCy gains {gain_spacy:.2f}x from n_process=2; `--workers 2` gains "
                  f"{one / statistics.median(times['dossier ingest --workers 2']):.2f}x over one-process ingest, "
                  f"the Dask engine {one / statistics.median(times['dossier ingest --engine dask --workers 2']):.2f}x.",
                  ""]
    if mem:
        lines += ["## Peak memory (resident set) per process", "",
                  "`dossier ingest` on the first N documents of the throughput corpus; the main process's peak from "
                  "/proc VmHWM sampled every 0.2 s, each worker's likewise.", "",
                  "| documents | --workers | seconds | main process, MiB | workers, MiB |", "|---|---|---|---|---|"]
        for m in mem:
            workers = ", ".join(f"{w:.0f}" for w in m["worker_mib"]) or "(none)"
            lines.append(f"| {m['docs']:,} | {m['workers']} | {m['seconds']:.1f} | {m['main_mib']:.0f} | {workers} |")
        lines.append("")
    if stream:
        how = f"--workers {stream['workers']}" if stream["workers"] else "(workers: the machine's cores)"
        lines += [f"## Memory over a stream of {stream['docs']:,} documents", "",
                  f"One `dossier ingest {how}` of {stream['docs']:,} documents (the "
                  "throughput corpus cycled, each copy closing with names never seen before, so spaCy's vocabulary "
                  f"keeps growing as in a real stream), {stream['seconds']:.0f} s; the coder is renewed after "
                  f"{stream['coder_documents']} documents (`$DOSSIER_CODER_DOCUMENTS`). Resident set (VmRSS) every "
                  "2 s; for each tenth of the corpus, the largest seen while it was coded.", "",
                  "| documents | main process, MiB | largest worker, MiB | samples |", "|---|---|---|---|"]
        for part in stream["parts"]:
            worker = f"{part['worker_mib']:.0f}" if part["worker_mib"] else "(none)"
            lines.append(f"| {part['from']:,}-{part['to']:,} | {part['main_mib']:.0f} | {worker} | "
                         f"{part['samples']} |")
        lines.append("")
    for backend, rows in queries.items():
        lines += [f"## First page of `dossier events` (50 events) with two filters, {backend}, "
                  f"{args.events:,} generated events", "",
                  "| filters | ms (median of 5) | CPU ms per call | events on the page | page found by |",
                  "|---|---|---|---|---|"]
        lines += [f"| `{f}` | {ms:.1f} | {'n/a' if cpu is None else f'{cpu:.1f}'} | {k} | {plan} |"
                  for f, ms, k, plan, cpu in rows]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--pg", default=os.environ.get("DOSSIER_BENCH_PG_URL"),
                    help="PostgreSQL URL for the query benchmark (its tables are filled; use a scratch database); "
                    "default: a private server")
    ap.add_argument("--pg-built", action="store_true", help="The database at --pg already holds the generated events "
                    "(from an earlier run): time the queries only")
    ap.add_argument("--no-pg", action="store_true", help="No PostgreSQL run (default: a private server when "
                    "Debian's PostgreSQL binaries are installed)")
    ap.add_argument("--no-sqlite", action="store_true", help="No SQLite run of the query benchmark")
    ap.add_argument("--sqlite-db", type=Path, help="SQLite file for the query benchmark: built there when missing, "
                    "reused when present (default: a temporary file)")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--skip-queries", action="store_true")
    ap.add_argument("--memory-docs", default="", help="Corpus sizes for the peak-memory runs, e.g. 100,300 (one "
                    "process each, then --workers 2 at the first size); default: none")
    ap.add_argument("--memory-workers-docs", type=int, default=0,
                    help="Corpus size for the --workers 2 peak-memory run (default: the first of --memory-docs)")
    ap.add_argument("--memory-stream", type=int, default=100_000, help="Follow the memory of one ingest of this "
                    "many documents (0: none)")
    ap.add_argument("--memory-stream-workers", type=int, default=None,
                    help="--workers for the --memory-stream run (default: none given, so every core)")
    ap.add_argument("--note", default="", help="A line for the report, e.g. that the machine was shared.")
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = ap.parse_args(argv)
    args.argv = argv
    tp = None if args.skip_throughput else throughput(args.docs, args.rounds)
    sizes = [int(x) for x in args.memory_docs.split(",") if x.strip()]
    mem = memory(sizes, args.memory_workers_docs or sizes[0]) if sizes else None
    stream = memory_stream(args.memory_stream, args.memory_stream_workers) if args.memory_stream else None
    queries: dict[str, list] = {}
    if not args.skip_queries:
        with tempfile.TemporaryDirectory(prefix="dossier-qbench-") as tmp:
            db = args.sqlite_db or Path(tmp) / "big.db"
            if args.no_sqlite:
                tmp = ""
            if tmp and db.exists():
                print(f"sqlite: reusing {db}", file=sys.stderr)
                queries["SQLite"] = time_queries(f"sqlite:///{db}")
            elif tmp:
                t = time.perf_counter()
                build_sqlite(db, args.events)
                print(f"sqlite: {args.events:,} events generated in {time.perf_counter() - t:.0f} s",
                      file=sys.stderr)
                queries["SQLite"] = time_queries(f"sqlite:///{db}")
        with contextlib.ExitStack() as stack:
            pg = args.pg or (None if args.no_pg else stack.enter_context(private_postgres()))
            if pg and args.pg_built:
                queries["PostgreSQL"] = time_queries(pg)
            elif pg:
                t = time.perf_counter()
                build_postgres(pg, args.events)
                print(f"postgres: generated in {time.perf_counter() - t:.0f} s", file=sys.stderr)
                queries["PostgreSQL"] = time_queries(pg)
    write_report(args.out, args, tp, queries, mem, stream)
    print(args.out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
