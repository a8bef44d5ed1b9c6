"""CPU cost of one-process ingest beyond spaCy's parse, stage by stage (process time, so robust under load).

    .venv/bin/python benchmarks/overhead.py [--docs 300] [--rounds 2] [--profile OUT.prof]

The corpus is `scale.py`'s (the bundled samples, then the synthetic wire stories of ../shared/benchmarks).
One process loads the coder once (timed: the whole-process start-up beyond spaCy's own load), then per round:
reads the corpus as `dossier ingest` does (`iter_documents`), runs bare `nlp.pipe` over the texts, runs the
coder's own parse (`Coder.parse`: headline copies, long-document pieces, transplants, verbless repairs around
the same `nlp.pipe`; both parse figures are for reference, too noisy under load to subtract; what `Coder.parse`
does beyond `nlp.pipe` -- headline copies, verbless re-reads, transplants -- is timed directly), codes every
parsed document (`Coder.code`, with the geoparser's `places` timed apart) and saves the coded batches into a
fresh SQLite store (`Store.save`). Prints milliseconds of CPU per document for each stage, and the sum of what
is not spaCy's parse; and the time the cyclic garbage collector took in the whole round, with the collector set as
ingest sets it (the loaded coder frozen, `pipeline.CODING_GC_THRESHOLD`) or, with `--default-gc`, as Python's
defaults leave it.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import corpus  # noqa: E402


class _TimedGeoparser:
    """The coder's geoparser with its `places` calls timed (everything else passes through)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0

    def places(self, doc: Any) -> Any:
        t = time.process_time()
        try:
            return self.inner.places(doc)
        finally:
            self.seconds += time.process_time() - t

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class _CollectorTime:
    """A gc callback: process time spent in the cyclic garbage collector."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.seconds += time.process_time() - self._start


class _Timed:
    """Process time spent in the wrapped callables, summed (the parse's own work beyond `nlp.pipe`)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, f: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.process_time()
            try:
                return f(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - t

        return timed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--profile", help="write a cProfile of the non-parse stages (last round) here")
    ap.add_argument("--default-gc", action="store_true",
                    help="Python's collector settings (no gc.freeze after loading, default thresholds), for comparison")
    args = ap.parse_args(argv)

    t0 = time.process_time()
    from dossier.nlp import load_nlp

    load_nlp()
    t1 = time.process_time()
    from dossier.ingest import iter_documents
    from dossier.pipeline import CODING_GC_THRESHOLD, default_coder
    from dossier.store import Store

    coder = default_coder()
    if args.default_gc:
        gc.unfreeze()  # default_coder froze the loaded coder (pipeline.settle_heap)
    collector = _CollectorTime()
    gc.callbacks.append(collector)
    t2 = time.process_time()
    timed = _TimedGeoparser(coder.geoparser)
    coder.geoparser = timed
    # what Coder.parse does beyond nlp.pipe: headline copies, verbless re-reads (which also build the token
    # table the coder reads), transplants
    import dossier.coding._engine as engine

    extras = _Timed()
    coder.headlines.normalise = extras.wrap(coder.headlines.normalise)  # type: ignore[method-assign]
    coder.verbless.repair = extras.wrap(coder.verbless.repair)  # type: ignore[method-assign]
    engine.transplant = extras.wrap(engine.transplant)
    print(f"load: spaCy {1000 * (t1 - t0):.0f} ms, the rest of the coder {1000 * (t2 - t1):.0f} ms (CPU)")

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        src.write_text("".join(json.dumps(d) + "\n" for d in corpus(args.docs)), encoding="utf-8")
        n = args.docs
        stages: dict[str, list[float]] = {}
        if not args.default_gc:
            gc.set_threshold(*CODING_GC_THRESHOLD)  # as ingest_paths codes (pipeline.coding_gc)
        for r in range(args.rounds):
            collector.seconds = 0.0
            prof = None
            if args.profile and r == args.rounds - 1:
                import cProfile

                prof = cProfile.Profile()
            got: dict[str, float] = {}
            t = time.process_time()
            docs = [d for d in iter_documents([src]) if not isinstance(d, Exception)]
            got["read"] = time.process_time() - t
            texts = [d.text for d in docs]
            t = time.process_time()
            for _ in coder.nlp.pipe(texts, batch_size=args.batch_size):
                pass
            got["bare nlp.pipe (reference)"] = time.process_time() - t
            extras.seconds = 0.0
            t = time.process_time()
            if prof:
                prof.enable()
            parsed = []
            for k in range(0, n, args.batch_size):
                parsed.extend(coder.parse(texts[k : k + args.batch_size], batch_size=args.batch_size))
            if prof:
                prof.disable()
            got["Coder.parse (reference)"] = time.process_time() - t
            got["parse beyond nlp.pipe"] = extras.seconds
            timed.seconds = 0.0
            t = time.process_time()
            if prof:
                prof.enable()
            coded = [coder.code(d, p) for d, p in zip(docs, parsed, strict=True)]
            if prof:
                prof.disable()
            got["code (without places)"] = time.process_time() - t - timed.seconds
            got["places"] = timed.seconds
            t = time.process_time()
            if prof:
                prof.enable()
            with Store(f"sqlite:///{tmp}/round{r}.db") as store:
                for k in range(0, n, args.batch_size):
                    store.save(coded[k : k + args.batch_size])
            if prof:
                prof.disable()
                prof.dump_stats(args.profile)
            got["save"] = time.process_time() - t
            events = sum(len(c.events) for c in coded)
            for k, v in got.items():
                stages.setdefault(k, []).append(v)
            stages.setdefault("collector (reference: whole round)", []).append(collector.seconds)
            print(f"round {r + 1}: {events} events; " + ", ".join(f"{k} {1000 * v / n:.1f}" for k, v in got.items())
                  + " ms/doc", flush=True)
    print(f"\nmedian over {args.rounds} rounds, {n} documents, CPU ms per document:")
    ours = 0.0
    for k, vs in stages.items():
        med = 1000 * statistics.median(vs) / n
        print(f"  {k:28s} {med:7.1f}")
        if "reference" not in k:
            ours += med
    print(f"  {'not spaCy (sum)':28s} {ours:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
