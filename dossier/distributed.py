"""Coding on a Dask distributed cluster: `dossier ingest --engine dask` and `--scheduler tcp://HOST:PORT`.

Batches of documents go to the workers as tasks; each worker process loads the coder once
(`pipeline.default_coder()` is cached per process, so the first task on a worker loads it and the rest
reuse it, until it is renewed after `pipeline.coder_documents()` documents; nothing heavy is pickled).
Results come back in the order the batches were read and are written through the store by this process, or,
with `--output-parquet DIR`, written by the workers as Parquet partitions (`DIR/event_date=.../part-<batch>.parquet`;
the directory must be reachable by every worker).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import DossierError
from .model import CodedDocument, Document
from .pipeline import BatchCoder

# Batches in flight per worker: keeps every worker busy, memory flat in corpus size.
AHEAD_PER_WORKER = 2


class ClusterError(DossierError):
    """Dask missing, or a scheduler that cannot be reached."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError("the Dask engine needs dask[distributed]: pip install 'dossier[scale]'") from exc
    return distributed


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A client on `scheduler` (tcp://HOST:PORT), else on a local cluster of `workers` processes."""
    distributed = _distributed()
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach Dask scheduler {scheduler}: {exc}") from exc
        try:
            yield client
        finally:
            client.close()
        return
    cluster = distributed.LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=40)
    try:
        with distributed.Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def code_batch(batch: list[Document], batch_size: int) -> list[CodedDocument]:
    """Runs on a worker: the worker's own coder, loaded by its first task."""
    from .pipeline import code_documents

    return list(code_documents(batch, batch_size=batch_size))  # renewed after pipeline.coder_documents()


def code_batch_to_parquet(batch: list[Document], batch_size: int, out: str, part: str) -> int:
    """Runs on a worker: code a batch and write its events as Parquet partitions; returns the event count."""
    from .export import write_partitions

    coded = code_batch(batch, batch_size)
    return write_partitions((e for c in coded for e in c.events), Path(out), "parquet", part)


def _ordered(client: Any, submit: Any, items: Iterable[Any], ahead: int) -> Iterator[Any]:
    window: list[Any] = []
    for i, item in enumerate(items):
        window.append(submit(i, item))
        if len(window) >= ahead:
            yield window.pop(0).result()
    while window:
        yield window.pop(0).result()


def code_batches_on_dask(client: Any, batch_size: int = 32) -> BatchCoder:
    """A BatchCoder that codes on the client's cluster and yields results in input order."""
    ahead = max(1, len(client.scheduler_info().get("workers", {}))) * AHEAD_PER_WORKER

    def run(batches: Iterable[list[Document]]) -> Iterator[list[CodedDocument]]:
        def submit(i: int, batch: list[Document]) -> Any:
            return client.submit(code_batch, batch, batch_size, pure=False)

        yield from _ordered(client, submit, batches, ahead)

    return run


def code_to_parquet(client: Any, batches: Iterable[list[Document]], out: Path, batch_size: int = 32) -> int:
    """Code every batch on the cluster into Parquet partitions under `out`; return the number of events."""
    ahead = max(1, len(client.scheduler_info().get("workers", {}))) * AHEAD_PER_WORKER

    def submit(i: int, batch: list[Document]) -> Any:
        return client.submit(code_batch_to_parquet, batch, batch_size, str(out), f"{i:06d}", pure=False)

    return sum(_ordered(client, submit, batches, ahead))
