"""Coding in worker processes on one machine: `dossier ingest --workers N`.

Each worker loads the coder once (`pipeline.default_coder()` in the pool's initializer) and codes whole
batches; the parent reads, skips unchanged documents, and writes the coded batches in the order they were
read, so the store ends up exactly as a one-process ingest leaves it. Models are never pickled.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator

from .model import CodedDocument, Document
from .pipeline import CODING_GC_THRESHOLD, BatchCoder, code_batches_here, code_documents, coder_documents, default_coder

# Batches handed out ahead of the writer, per worker: enough to keep every worker busy while the
# parent writes, few enough that memory stays flat however long the corpus is.
AHEAD_PER_WORKER = 2


def default_workers() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _load_coder() -> None:
    default_coder()
    # a worker process only codes: the coding thresholds for its whole life (see pipeline.coding_gc)
    gc.set_threshold(*CODING_GC_THRESHOLD)


def _code_batch(args: tuple[list[Document], int]) -> list[CodedDocument]:
    batch, batch_size = args
    return list(code_documents(batch, batch_size=batch_size))  # the worker's own coder


def code_batches_in_processes(workers: int, batch_size: int = 32) -> BatchCoder:
    """A BatchCoder over `workers` processes (spawned, so no parent state is shared by accident)."""

    def run(batches: Iterable[list[Document]]) -> Iterator[list[CodedDocument]]:
        it = iter(batches)
        first = next(it, None)
        if first is None:  # nothing to code: no workers started, no models loaded
            return
        ctx = multiprocessing.get_context("spawn")
        # a worker is replaced by a fresh process once it has coded about coder_documents() documents (rather
        # than renewing its coder in place: a new process also starts from an unfragmented heap)
        batches_per_worker = max(1, coder_documents() // max(1, batch_size))
        with ctx.Pool(workers, initializer=_load_coder, maxtasksperchild=batches_per_worker) as pool:
            window: list[multiprocessing.pool.AsyncResult[list[CodedDocument]]] = []

            def submit(batch: list[Document]) -> None:
                window.append(pool.apply_async(_code_batch, ((batch, batch_size),)))

            submit(first)
            for batch in it:
                submit(batch)
                if len(window) >= workers * AHEAD_PER_WORKER:
                    yield window.pop(0).get()
            while window:
                yield window.pop(0).get()

    return run


def code_batches_auto(batch_size: int = 32,
                      on_failure: Callable[[Document, Exception], None] | None = None) -> BatchCoder:
    """The default: one process for a single batch (no start-up cost), the machine's cores for more.
    `on_failure` reports a document that cannot be coded in one process (see `code_batches_here`)."""

    def run(batches: Iterable[list[Document]]) -> Iterator[list[CodedDocument]]:
        it = iter(batches)
        head = [b for b in (next(it, None), next(it, None)) if b is not None]
        workers = default_workers()
        if len(head) < 2 or workers < 2:
            inner = code_batches_here(batch_size=batch_size, on_failure=on_failure)
        else:
            inner = code_batches_in_processes(workers, batch_size)
        yield from inner(itertools.chain(head, it))

    return run
