"""Where a whole `dossier ingest` process's CPU goes: the CLI run as it is, with process-time timers on its stages.

    .venv/bin/python benchmarks/whole_process.py CORPUS.jsonl sqlite:///OUT.db     # dossier ingest -q --workers 1
    .venv/bin/python benchmarks/whole_process.py CORPUS.jsonl --bare               # scale.py's bare nlp.pipe process

No profiler: each stage is timed by a wrapper around it (imports, spaCy's load, the gazetteer, the rest of the
coder, reading, the per-document "stored unchanged?" question, Coder.parse, Coder.code with the geoparser's
`places` and the first document apart, Store.save) and the cyclic collector by a gc callback. Prints JSON at exit:
the process's own user + system CPU (getrusage, at exit, so interpreter teardown is not in it; time the process
from outside, e.g. /usr/bin/time, for that) and the seconds of each stage. `benchmarks/overhead.py` times the
same stages inside one long-lived process; this counts what only a whole process pays. Run it alternated with
--bare (and with another commit's code first on PYTHONPATH) on a shared machine.
"""

from __future__ import annotations

import time

T0 = time.process_time()

import atexit  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

acc: dict[str, float] = {}


def add(key: str, dt: float) -> None:
    acc[key] = acc.get(key, 0.0) + dt


def wrap(obj: Any, name: str, key: str) -> None:
    f = getattr(obj, name)

    def timed(*a: Any, **kw: Any) -> Any:
        t = time.process_time()
        try:
            return f(*a, **kw)
        finally:
            add(key, time.process_time() - t)

    setattr(obj, name, timed)


class Collector:
    """gc callback: process time in the cyclic collector, and collections by generation."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.start = 0.0
        self.counts = [0, 0, 0]

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.start = time.process_time()
        else:
            self.seconds += time.process_time() - self.start
            self.counts[info["generation"]] += 1


collector = Collector()
gc.callbacks.append(collector)


def report() -> None:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    acc["collector (whole process)"] = collector.seconds
    out = {"cpu (user + system, at exit)": ru.ru_utime + ru.ru_stime, "system": ru.ru_stime,
           "before this script's first line": T0, **acc, "collections by generation": collector.counts,
           "peak RSS MiB": ru.ru_maxrss / 1024}
    print(json.dumps(out, indent=1))


def bare(path: str) -> None:
    t = time.process_time()
    from dossier.nlp import load_nlp

    add("import spaCy (dossier.nlp)", time.process_time() - t)
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    t = time.process_time()
    nlp = load_nlp()
    add("load_nlp (spaCy model)", time.process_time() - t)
    t = time.process_time()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    add("nlp.pipe", time.process_time() - t)


def ingest(path: str, db: str) -> None:
    t = time.process_time()
    import dossier.cli as cli

    add("import dossier.cli", time.process_time() - t)
    t = time.process_time()
    import dossier.nlp as dnlp

    add("import spaCy (dossier.nlp)", time.process_time() - t)
    t = time.process_time()
    import dossier.coding._engine as engine
    import dossier.geo._gazetteer as gazetteer
    import dossier.geo._parser as geoparser
    import dossier.ingest as ingest_pkg
    import dossier.pipeline as pipeline
    import dossier.store._store as store

    add("import the rest of dossier", time.process_time() - t)

    load = pipeline.default_coder

    def default_coder(*a: Any, **kw: Any) -> Any:
        t, g = time.process_time(), collector.seconds
        try:
            return load(*a, **kw)
        finally:
            add("default_coder (all loading)", time.process_time() - t)
            add("collector during default_coder", collector.seconds - g)

    pipeline.default_coder = default_coder  # type: ignore[assignment]
    wrap(dnlp, "load_nlp", "load_nlp (spaCy model)")
    wrap(gazetteer, "_load_or_build", "gazetteer (unpickle)")
    wrap(engine.Coder, "__init__", "Coder.__init__")
    wrap(engine.Coder, "parse", "Coder.parse (nlp.pipe and the parse's extras)")
    wrap(geoparser.Geoparser, "places", "places (geoparser)")
    code = engine.Coder.code
    first = [True]

    def code_timed(*a: Any, **kw: Any) -> Any:
        t = time.process_time()
        try:
            return code(*a, **kw)
        finally:
            key = "Coder.code, first document (one-off tables)" if first[0] else "Coder.code, the others"
            first[0] = False
            add(key + " (places included)", time.process_time() - t)

    engine.Coder.code = code_timed  # type: ignore[method-assign]
    for m in ("save", "has_documents", "known_documents", "note_inputs", "input_unchanged", "analyze"):
        if hasattr(store.Store, m):
            wrap(store.Store, m, f"Store.{m}")
    read = ingest_pkg.iter_documents

    def iter_timed(*a: Any, **kw: Any) -> Any:
        it = read(*a, **kw)
        while True:
            t = time.process_time()
            try:
                x = next(it)
            except StopIteration:
                add("read (iter_documents, Store.input_unchanged included)", time.process_time() - t)
                return
            add("read (iter_documents, Store.input_unchanged included)", time.process_time() - t)
            yield x

    ingest_pkg.iter_documents = iter_timed  # type: ignore[assignment]
    sys.argv = ["dossier", "ingest", path, "-q", "--workers", "1", "--db", db]
    t = time.process_time()
    try:
        cli.main()
    finally:
        add("cli.main (everything from argument parsing to exit)", time.process_time() - t)


if __name__ == "__main__":
    atexit.register(report)
    if "--bare" in sys.argv:
        bare(sys.argv[1])
    else:
        ingest(sys.argv[1], sys.argv[2])
