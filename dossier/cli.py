"""`dossier` command line: thin wrappers over the library; one-line errors, meaningful exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from .errors import DossierError, IngestError
from .model import Document

if TYPE_CHECKING:
    from .pipeline import BatchCoder, IngestReport
    from .store import Store

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Turn news and statements into sourced CAMEO/PLOVER events.",
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOpt = Annotated[
    str | None,
    typer.Option("--db", envvar="DOSSIER_DB", help="SQLAlchemy URL or SQLite path (default sqlite:///dossier.db)."),
]
InputOpt = Annotated[
    Path | None, typer.Option("--input", "-i", help="JSONL documents (id, text, optional date); default stdin.")
]


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def _open_store(db: str | None, *, read_only: bool = False) -> Store:
    """The store at `db`; for commands that only read, a SQLite file that does not exist is an
    error (a mistyped `--db` must not leave an empty database behind and answer "0 events")."""
    from .store import Store, resolve_db_url

    return Store(_existing_url(db) if read_only else resolve_db_url(db))


def _existing_url(db: str | None) -> str:
    """The store URL, refused (one line, exit 2) when it names a SQLite file that does not exist."""
    from .store import resolve_db_url, sqlite_path

    url = resolve_db_url(db)
    path = sqlite_path(url)
    if path is not None and not Path(path).exists():
        _fail(f"no database at {path} (give --db the path or URL of an existing store)")
    return url


def _gazetteer_cached() -> bool:
    from .geo._gazetteer import _cache_key, cache_dir

    return (cache_dir() / f"gazetteer-{_cache_key()}.pickle").is_file()


def _load_coder_saying_so() -> None:
    """Load the coder now; on the first run the gazetteer is built, which takes a while: say so."""
    import time

    from .pipeline import default_coder

    if _gazetteer_cached():
        default_coder()
        return
    err.print("building the place gazetteer from GeoNames (first run only; about a minute)...", markup=False)
    started = time.monotonic()
    default_coder()
    err.print(f"gazetteer built in {time.monotonic() - started:.0f} s", markup=False)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories: .txt .html .jsonl .rss/.atom/.xml")],
    db: DbOpt = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per parse batch and per transaction.")] = 32,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    workers: Annotated[int | None, typer.Option(
        min=1, envvar="DOSSIER_WORKERS",
        help="Worker processes coding in parallel (default: the machine's cores when there is more than one "
             "batch). Same events as one process.")] = None,
    engine: Annotated[str, typer.Option(help="local (worker processes here) or dask (a Dask cluster).")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address, tcp://HOST:PORT (implies --engine dask); default a local cluster.")] = None,
    output_parquet: Annotated[Path | None, typer.Option(
        help="Write the events as Parquet partitions under this directory instead of into the store.")] = None,
    language: Annotated[str | None, typer.Option(
        help="The inputs' language (ISO 639-1, e.g. en), stated: no identification.")] = None,
    max_bytes: Annotated[int, typer.Option(
        min=1, envvar="DOSSIER_MAX_BYTES", help="Largest file (or JSONL line) read, in bytes.")] = 20_000_000,
) -> None:
    """Read documents, code their events and store them; re-ingesting is a no-op."""
    from contextlib import ExitStack

    from .ingest._language import normalize_language_tag
    from .pipeline import IngestReport

    if engine not in {"local", "dask"}:
        _fail(f"--engine must be local or dask, not {engine!r}")
    if scheduler:
        engine = "dask"
    stated = None
    if language is not None:
        stated = normalize_language_tag(language)
        if stated is None:
            _fail(f"--language {language!r} is not a language code (e.g. en, fr, ar)")
    if output_parquet is not None:
        from .export import ensure_empty_dir, ingest_to_parquet

        ensure_empty_dir(output_parquet)
        with ExitStack() as stack:
            client = None
            if engine == "dask":
                from .distributed import dask_client

                client = stack.enter_context(dask_client(workers, scheduler))
            report = ingest_to_parquet([str(p) for p in paths], output_parquet, batch_size=batch_size,
                                       code_batches=None if client else _batch_coder(workers, batch_size),
                                       client=client)
        _finish(report)
    report = IngestReport()
    try:
        with _open_store(db) as store, ExitStack() as stack:
            code_batches: BatchCoder | None
            if engine == "dask":
                from .distributed import code_batches_on_dask, dask_client

                code_batches = code_batches_on_dask(stack.enter_context(dask_client(workers, scheduler)),
                                                    batch_size)
            else:
                code_batches = _batch_coder(workers, batch_size, report)
            _load_coder_saying_so()
            _ingest_with_progress(paths, store, batch_size, quiet, stated, max_bytes, report, code_batches)
    except KeyboardInterrupt:
        err.print(f"interrupted; stored before the interruption: {report.summary()}; the batch in progress "
                  f"was rolled back, run the same command again to finish", markup=False)
        raise typer.Exit(130) from None
    _finish(report)


def _batch_coder(workers: int | None, batch_size: int, report: IngestReport | None = None) -> BatchCoder | None:
    """Coding here for --workers 1, in worker processes otherwise (None: the cores, once a second batch comes)."""
    from .parallel import code_batches_auto, code_batches_in_processes
    from .pipeline import coding_failure

    if workers == 1:
        return None  # ingest_paths codes here, isolating a document that fails
    if workers is None:
        on_failure = None if report is None else (lambda d, exc: report.failed.append(coding_failure(d, exc)))
        return code_batches_auto(batch_size, on_failure=on_failure)
    return code_batches_in_processes(workers, batch_size)


def _finish(report: IngestReport) -> NoReturn:
    for warning in getattr(report, "warnings", []):
        err.print(f"warning: {warning}", markup=False)
    for failure in report.failed:
        err.print(f"error: {failure}", markup=False)
    err.print(report.summary(), markup=False)
    raise typer.Exit(0 if report.ok else 1)


def _ingest_with_progress(paths: list[Path], store: Store, batch_size: int, quiet: bool, language: str | None,
                          max_bytes: int, report: IngestReport, code_batches: BatchCoder | None = None) -> None:
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .pipeline import ingest_paths

    show = not quiet and (len(paths) > 1 or any(p.is_dir() or p.suffix.lower() in {".jsonl", ".rss", ".atom", ".xml"}
                                                for p in paths))
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.completed} documents"), TimeElapsedColumn(),
                        console=err, disable=not show, transient=True)
    with progress:
        task = progress.add_task("ingesting", total=None)

        def on_item(ident: str, status: str) -> None:
            progress.advance(task)

        ingest_paths([str(p) for p in paths], store, batch_size=batch_size, on_item=on_item, report=report,
                     language=language, max_bytes=max_bytes, code_batches=code_batches)


def _read_documents(input: Path | None) -> tuple[list[Document], int]:
    """JSONL documents from a file or stdin; bad lines reported one per line and counted."""
    from .ingest import read_jsonl

    try:
        fh = sys.stdin if input is None or str(input) == "-" else open(input, encoding="utf-8")
    except OSError as exc:
        _fail(f"{input}: {exc.strerror}")
    docs: list[Document] = []
    failed = 0
    with fh:
        for item in read_jsonl(fh, origin=str(input) if input else "<stdin>"):
            if isinstance(item, IngestError):
                err.print(f"error: {item}", markup=False)
                failed += 1
            elif isinstance(item, Document):  # (an UnchangedInput comes only of a reader given an `unchanged` test)
                docs.append(item)
    return docs, failed


@app.command()
def code(input: InputOpt = None) -> None:
    """Code JSONL documents statelessly; one JSON event per line on stdout."""
    from .pipeline import code_documents, is_english

    docs = []
    items, failed = _read_documents(input)
    for item in items:
        if not is_english(item):
            err.print(f"note: {item.origin or item.id}: language {item.language!r}, not coded", markup=False)
        else:
            docs.append(item)
    out = sys.stdout
    for coded in code_documents(docs):
        for ev in coded.events:
            out.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
    out.flush()
    raise typer.Exit(1 if failed else 0)


@app.command()
def events(
    db: DbOpt = None,
    actor: Annotated[str | None, typer.Option(help="Actor code or prefix, e.g. SYR or SYRGOV.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient code or prefix.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-3 of an actor, recipient or the location.")] = None,
    plover: Annotated[str | None, typer.Option(help="PLOVER event type, e.g. ACCUSE.")] = None,
    cameo: Annotated[str | None, typer.Option(help="CAMEO code or prefix, e.g. 11.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date, YYYY-MM-DD.")] = None,
    doc: Annotated[str | None, typer.Option(help="Document id.")] = None,
    reference: Annotated[str | None, typer.Option(help="Cited instrument, e.g. UNSC-2254.")] = None,
    factuality: Annotated[str | None, typer.Option(
        help="Comma-separated: asserted, reported, alleged, denied, demanded, intended, threatened, conditional, "
             "negated (default: all).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many events.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, jsonl or csv.")] = "table",
) -> None:
    """List stored events, filtered."""
    from ._output import FORMATS, write_events
    from .model import FACTUALITY_VALUES
    from .store import EventQuery

    if format not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    for name, value in (("since", since), ("until", until)):
        if value is not None and not _is_date(value):
            _fail(f"--{name} {value!r} is not a date (YYYY-MM-DD)")
    wanted = None
    if factuality is not None:
        wanted = [v.strip().lower() for v in factuality.split(",") if v.strip()]
        bad = [v for v in wanted if v not in FACTUALITY_VALUES] or ([] if wanted else [factuality])
        if bad:
            _fail(f"--factuality {bad[0]!r} is not one of {', '.join(FACTUALITY_VALUES)}")
    q = EventQuery(actor=actor, recipient=recipient, country=country, plover=plover, cameo=cameo, since=since,
                   until=until, doc=doc, reference=reference, factuality=wanted, limit=limit)
    with _open_store(db, read_only=True) as store:
        write_events(store.events(q), format)


def _is_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="Directory to create (or an empty one), partitioned by event date.")],
    db: DbOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="parquet, csv or jsonl.")] = "parquet",
) -> None:
    """Write every stored event under OUT/event_date=YYYY-MM-DD/ as Parquet, CSV or JSONL files."""
    from .export import export_events

    with _open_store(db) as store:
        n = export_events(store, out, format)
    err.print(f"{n} events written to {out}", markup=False)


@app.command()
def explain(event_id: Annotated[str, typer.Argument(help="An event id from `dossier events`.")],
            db: DbOpt = None,
            format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text") -> None:
    """Show an event's sentence with trigger and actors marked, the rule that fired and the parse paths."""
    from ._explain import explain_text

    with _open_store(db, read_only=True) as store:
        ev = store.get_event(event_id)
    if ev is None:
        _fail(f"no event {event_id!r} in the store", 1)
    if format == "json":
        print(json.dumps(ev.to_dict(with_explain=True), ensure_ascii=False, indent=1))
    else:
        print(explain_text(ev))


@app.command()
def stats(db: DbOpt = None,
          format: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table") -> None:
    """Counts of documents, events, types and references in the store."""
    if format not in ("table", "json", "csv"):
        _fail(f"--format must be one of table, json, csv, not {format!r}")
    with _open_store(db, read_only=True) as store:
        s = store.stats()
    if format == "json":
        print(json.dumps(s, ensure_ascii=False, indent=1))
        return
    if format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["statistic", "key", "value"])
        for k, v in s.items():
            for kk, vv in (v.items() if isinstance(v, dict) else [("", v)]):
                writer.writerow([k, kk, "" if vv is None else vv])
        return
    for k, v in s.items():
        if isinstance(v, dict):
            print(f"{k}:")
            for kk, vv in v.items():
                print(f"  {kk:<14} {vv}")
        else:
            print(f"{k:<22} {v}")


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="PLOVER gold records (JSON list), e.g. plover-gsr-dev.json.")],
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    events_out: Annotated[Path | None, typer.Option("--events", help="Also write the coded events here (JSONL).")]
    = None,
) -> None:
    """Code the gold sentences and score them: type, dyad, events per record, per type."""
    from .eval import gold_documents, gold_records, score
    from .pipeline import code_documents

    records = gold_records(gold)
    if not records:
        _fail(f"{gold}: no PLOVER records with text to score", 1)
    evs = [e for c in code_documents(gold_documents(records)) for e in c.events]
    if events_out:
        with open(events_out, "w", encoding="utf-8") as f:
            for e in evs:
                f.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
    result = score(records, evs)
    if format == "json":
        print(json.dumps(result, indent=1))
        return
    for k, v in result["per_type"].items():
        print(f"{k:<10} n={v['records']:<3} type={v['type']:.3f} dyad={v['dyad']:.3f}")
    print(f"records={result['records']} type={result['type']:.3f} dyad={result['dyad']:.3f} "
          f"epr={result['epr']:.2f}")


@app.command()
def check(db: DbOpt = None,
          format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text") -> None:
    """Verify a store: integrity, rows without their parent, counts, schema version; exit 1 if anything is wrong."""
    from .store import check_store

    report = check_store(_existing_url(db))
    if format == "json":
        print(json.dumps({"ok": report.ok, "schema_version": report.schema_version, "counts": report.counts,
                          "problems": report.problems}, indent=1))
    else:
        print(f"schema version {report.schema_version}; "
              + ", ".join(f"{n} {table}" for table, n in report.counts.items()))
        for problem in report.problems:
            err.print(f"problem: {problem}", markup=False)
        print("ok" if report.ok else f"{len(report.problems)} problem(s) found")
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def backup(target: Annotated[Path, typer.Argument(help="File to write the copy to (replaced if it exists).")],
           db: DbOpt = None) -> None:
    """A consistent copy of the store while others read and write (SQLite backup API; pg_dump for PostgreSQL)."""
    from .store import backup_store

    print(backup_store(_existing_url(db), target))


@app.command()
def geoparse(input: InputOpt = None) -> None:
    """Find and resolve place mentions in JSONL documents; one JSON line per mention."""
    from .geo import geoparse_texts, place_record

    docs, failed = _read_documents(input)
    items = [(d.id, d.text) for d in docs]
    for doc_id, places in geoparse_texts(items):
        for p in places:
            print(json.dumps(place_record(doc_id, p), ensure_ascii=False))
    raise typer.Exit(1 if failed else 0)


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    require_key_for_reads: Annotated[bool, typer.Option("--require-key-for-reads",
                                                        help="Reads need an API key too.")] = False,
    cors_origin: Annotated[list[str] | None, typer.Option("--cors-origin",
                                                          help="Allow this origin (CORS is off by default).")] = None,
    writes_per_minute: Annotated[int, typer.Option(min=1, help="POSTs per key per minute.")] = 30,
    max_body: Annotated[int, typer.Option(min=1024, help="Largest request body, bytes.")] = 2_000_000,
) -> None:
    """Serve the HTTP API (/api, /docs) and the dashboard (/) over the store."""
    try:
        import uvicorn

        from .api import create_app
    except ImportError as exc:
        _fail(f"serving needs the server extra: pip install 'dossier[server]' ({exc.name} missing)")
    from .store import resolve_db_url

    application = create_app(resolve_db_url(db), require_key_for_reads=require_key_for_reads,
                             cors_origins=cors_origin or None, writes_per_minute=writes_per_minute,
                             max_body_bytes=max_body)
    err.print(f"serving the dashboard on http://{host}:{port}/ (API docs at /docs); Ctrl-C stops", markup=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")


keys_app = typer.Typer(no_args_is_help=True, help="API keys for writing through the HTTP API.")
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(name: Annotated[str, typer.Argument(help="A name for the key's holder.")], db: DbOpt = None) -> None:
    """Create a key and print it once (only its hash is stored)."""
    from .store import create_key

    with _open_store(db) as store:
        record, key = create_key(store, name)
    err.print(f"key {record.prefix} for {record.name!r}; it is shown this once:", markup=False)
    print(key)


@keys_app.command("list")
def keys_list(db: DbOpt = None) -> None:
    """Names, prefixes and state of the keys (never the keys)."""
    from .store import list_keys

    with _open_store(db) as store:
        for k in list_keys(store):
            state = "active" if k.active else f"revoked {k.revoked_at}"
            print(f"{k.prefix}\t{k.name}\tcreated {k.created_at}\t{state}")


@keys_app.command("revoke")
def keys_revoke(which: Annotated[str, typer.Argument(help="Key name or prefix.")], db: DbOpt = None) -> None:
    """Revoke the active keys with this name or prefix."""
    from .store import revoke_key

    with _open_store(db) as store:
        n = revoke_key(store, which)
    if not n:
        _fail(f"no active key named or prefixed {which!r}", 1)
    err.print(f"revoked {n} key(s)", markup=False)


def main() -> None:
    """Entry point: every user-facing failure is one line on stderr and a non-zero exit."""
    try:
        app(standalone_mode=True)
    except DossierError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except SystemExit:
        raise
    except Exception as exc:  # never a traceback for the user; say what and where
        err.print(f"error: internal error: {type(exc).__name__}: {exc}", markup=False)
        sys.exit(3)


if __name__ == "__main__":
    main()
