"""Events out of the store into a directory partitioned by event date: Parquet, CSV or JSONL.

Layout (Hive-style, what DuckDB's `read_parquet(..., hive_partitioning = true)` and Spark's
`spark.read.parquet(DIR)` read as they are):

    DIR/event_date=2023-05-10/part-00000.parquet
    DIR/event_date=__HIVE_DEFAULT_PARTITION__/part-00000.parquet     (events without a date)

The Parquet schema is `event_schema()` below (documented in README, "Scale").
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._output import CSV_FIELDS, csv_row
from .errors import DossierError, IngestError
from .model import ActorMention, Document, Event
from .pipeline import BatchCoder, IngestReport

if TYPE_CHECKING:
    import pyarrow as pa

    from .store import Store

EXPORT_FORMATS = ("parquet", "csv", "jsonl")
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # Hive's, Spark's and DuckDB's name for a null partition value
PAGE = 50_000  # events read from the store per page (memory stays flat in store size)


class ExportError(DossierError):
    """An export that cannot be done: missing pyarrow, a target that is not an empty directory."""


def _pa() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:
        raise ExportError("Parquet needs pyarrow: pip install 'dossier[scale]'") from exc
    return pa


def event_schema() -> pa.Schema:
    pa = _pa()
    actor = pa.struct([("text", pa.string()), ("code", pa.string()), ("country", pa.string()),
                       ("sector", pa.string()), ("start", pa.int32()), ("end", pa.int32())])
    reference = pa.struct([("type", pa.string()), ("id", pa.string()), ("text", pa.string()),
                           ("start", pa.int32()), ("end", pa.int32())])
    return pa.schema([
        ("event_id", pa.string()), ("doc_id", pa.string()), ("sentence", pa.int32()), ("date", pa.string()),
        ("plover", pa.string()), ("plover_mode", pa.string()), ("cameo", pa.string()), ("quad_class", pa.int8()),
        ("goldstein", pa.float64()),
        ("actor", pa.list_(actor)), ("recipient", pa.list_(actor)), ("attributed_to", pa.list_(actor)),
        ("trigger_text", pa.string()), ("trigger_start", pa.int32()), ("trigger_end", pa.int32()),
        ("negated", pa.bool_()), ("factuality", pa.string()), ("parent", pa.string()),
        ("references", pa.list_(reference)),
        ("location_name", pa.string()), ("location_geonameid", pa.int64()), ("location_lat", pa.float64()),
        ("location_lon", pa.float64()), ("location_country", pa.string()), ("location_admin1", pa.string()),
        ("location_precision", pa.string()), ("rule", pa.string()), ("coder_version", pa.string()),
    ])


def _actors(ms: list[ActorMention] | None) -> list[dict[str, Any]] | None:
    if ms is None:
        return None
    return [{"text": m.text, "code": m.code, "country": m.country, "sector": m.sector, "start": m.start,
             "end": m.end} for m in ms]


def event_record(e: Event) -> dict[str, Any]:
    """One event as a row of EVENT_SCHEMA."""
    loc = e.location
    return {
        "event_id": e.event_id, "doc_id": e.doc_id, "sentence": e.sentence, "date": e.date,
        "plover": e.plover, "plover_mode": e.plover_mode, "cameo": e.cameo, "quad_class": e.quad_class,
        "goldstein": e.goldstein, "actor": _actors(e.actor), "recipient": _actors(e.recipient),
        "attributed_to": _actors(e.attributed_to),
        "trigger_text": e.trigger.text, "trigger_start": e.trigger.start, "trigger_end": e.trigger.end,
        "negated": e.negated, "factuality": e.factuality, "parent": e.parent,
        "references": [{"type": r.type, "id": r.id, "text": r.text, "start": r.start, "end": r.end}
                       for r in e.references],
        "location_name": loc.name if loc else None, "location_geonameid": loc.geonameid if loc else None,
        "location_lat": loc.lat if loc else None, "location_lon": loc.lon if loc else None,
        "location_country": loc.country if loc else None, "location_admin1": loc.admin1 if loc else None,
        "location_precision": loc.precision if loc else None,
        "rule": e.rule, "coder_version": e.coder_version,
    }


def partition_name(date: str | None) -> str:
    return f"event_date={date or NULL_PARTITION}"


def write_partitions(events: Iterable[Event], out: Path, fmt: str, part: str) -> int:
    """Write events into `out/event_date=.../part-<part>.<fmt>`, one file per date; return the count."""
    by_date: dict[str | None, list[Event]] = defaultdict(list)
    n = 0
    for e in events:
        by_date[e.date].append(e)
        n += 1
    for date, evs in sorted(by_date.items(), key=lambda kv: kv[0] or ""):
        folder = out / partition_name(date)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"part-{part}.{fmt}"
        if fmt == "parquet":
            pa = _pa()
            table = pa.Table.from_pylist([event_record(e) for e in evs], schema=event_schema())
            pa.parquet.write_table(table, path)
        elif fmt == "csv":
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.DictWriter(f, fieldnames=CSV_FIELDS, lineterminator="\n")
                w.writeheader()
                w.writerows(csv_row(e) for e in evs)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in evs)
    return n


def _pages(store: Store, page: int) -> Iterator[list[Event]]:
    from .store import EventQuery

    after: int | None = None
    while True:
        rows = store.events_with_seq(EventQuery(after_seq=after, limit=page))
        if not rows:
            return
        yield [e for _, e in rows]
        after = rows[-1][0]


def ensure_empty_dir(out: Path) -> None:
    """Create `out`, or accept it if it is an empty directory: partitions are never mixed with old ones."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out}: exists and is not an empty directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out}: cannot create directory ({exc.strerror})") from exc


def ingest_to_parquet(paths: Iterable[str | Path], out: Path, batch_size: int = 32,
                      code_batches: BatchCoder | None = None, client: Any = None) -> IngestReport:
    """Read and code documents into Parquet partitions under `out` (no store): for corpora larger than a
    database. With a Dask `client` the workers write the files; otherwise `code_batches` codes (default here)
    and this process writes them."""
    from .ingest import iter_documents
    from .pipeline import code_batches_here, is_english

    report = IngestReport()

    def batches() -> Iterator[list[Document]]:
        pending: list[Document] = []
        for item in iter_documents(paths):
            if isinstance(item, IngestError):
                report.failed.append(item)
                continue
            if not isinstance(item, Document):  # an UnchangedInput: only when given an `unchanged` test
                continue
            pending.append(item)
            report.new += 1
            report.non_english += not is_english(item)
            if len(pending) >= batch_size:
                yield pending
                pending = []
        if pending:
            yield pending

    ensure_empty_dir(out)
    if client is not None:
        from .distributed import code_to_parquet

        report.events = code_to_parquet(client, batches(), out, batch_size)
        return report
    run = code_batches or code_batches_here(batch_size=batch_size)
    for i, coded in enumerate(run(batches())):
        report.events += write_partitions((e for c in coded for e in c.events), out, "parquet", f"{i:06d}")
    return report


def export_events(store: Store, out: Path, fmt: str = "parquet", page: int = PAGE) -> int:
    """Every stored event into `out` (created; must be empty if it exists), partitioned by event date."""
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    if fmt == "parquet":
        _pa()
    ensure_empty_dir(out)
    total = 0
    for i, events in enumerate(_pages(store, page)):
        total += write_partitions(events, out, fmt, f"{i:05d}")
    return total
