"""Store maintenance: `check` (is this store whole?) and `backup` (a consistent copy while others write)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ._engine import display_url, make_engine, one_line
from ._migrations import LATEST_VERSION, current_version
from ._schema import doc_references, documents, event_actors, events, places, sentences


@dataclass
class CheckReport:
    """What `check_store` found: counts of each table, the schema version, and problems (empty when whole)."""

    schema_version: int
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def sqlite_path(url: str) -> str | None:
    """The file behind a SQLite URL; None for other databases and in-memory SQLite."""
    try:
        parsed = make_url(url)
    except Exception:  # an invalid URL is reported when the store is opened
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return parsed.database


def check_store(url: str) -> CheckReport:
    """Integrity (SQLite's own check), rows whose parent is missing, documents whose sentence count
    disagrees with their sentences, and the schema version. Reads only: unlike opening a `Store`,
    it never migrates, so an old schema is reported, not silently upgraded."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            report = CheckReport(schema_version=current_version(conn))
            if report.schema_version != LATEST_VERSION:
                report.problems.append(f"schema version {report.schema_version}, expected {LATEST_VERSION}")
            if conn.dialect.name == "sqlite":
                result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
                if result != ["ok"]:
                    report.problems.extend(f"integrity: {line}" for line in result[:20])
            for table in (documents, sentences, events, event_actors, doc_references, places):
                report.counts[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
            orphan_checks = (
                ("sentences", sentences.c.doc_id, documents.c.id),
                ("events", events.c.doc_id, documents.c.id),
                ("places", places.c.doc_id, documents.c.id),
                ("references", doc_references.c.doc_id, documents.c.id),
                ("event actors", event_actors.c.event_id, events.c.event_id),
            )
            for name, child, parent in orphan_checks:
                n = conn.execute(
                    select(func.count()).select_from(child.table).where(~child.in_(select(parent)))
                ).scalar()
                if n:
                    report.problems.append(f"{n} {name} belong to no {parent.table.name[:-1]}")
            n_refs = conn.execute(
                select(func.count()).select_from(doc_references).where(
                    doc_references.c.event_id.is_not(None), ~doc_references.c.event_id.in_(select(events.c.event_id))
                )
            ).scalar()
            if n_refs:
                report.problems.append(f"{n_refs} references belong to no event")
            per_doc = select(sentences.c.doc_id, func.count().label("n")).group_by(sentences.c.doc_id).subquery()
            wrong = conn.execute(
                select(func.count()).select_from(documents.outerjoin(per_doc, per_doc.c.doc_id == documents.c.id))
                .where(documents.c.n_sentences != func.coalesce(per_doc.c.n, 0))
            ).scalar()
            if wrong:
                report.problems.append(f"{wrong} documents whose sentence count disagrees with their sentences")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot check {display_url(url)}: {one_line(exc)}") from exc
    finally:
        engine.dispose()
    return report


def backup_store(url: str, target: str | Path) -> str:
    """Write a consistent copy of the store to `target`; returns what was done, in one line.

    SQLite: the online backup API, page by page, while other processes go on reading and writing;
    the copy is written next to `target` and renamed into place, so `target` is never half-written.
    PostgreSQL: `pg_dump` (custom format, for `pg_restore`) when it is on PATH, else StoreError.
    """
    target = Path(target)
    if target.exists() and target.is_dir():
        raise StoreError(f"backup target {target} is a directory; give a file name")
    source = sqlite_path(url)
    if source is not None:
        return _backup_sqlite(source, target)
    backend = make_url(url).get_backend_name()
    if backend == "postgresql":
        return _backup_postgres(url, target)
    raise StoreError(f"backup of {backend} stores is not supported; use the database's own tools")


def _backup_sqlite(source: str, target: Path) -> str:
    if not Path(source).exists():
        raise StoreError(f"no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(tmp)
        try:
            src.execute("PRAGMA busy_timeout = 30000")
            # pages=-1: one step under one read transaction, so the copy is one consistent snapshot;
            # WAL lets writers go on meanwhile
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")  # a self-contained single file
        finally:
            dst.close()
            src.close()
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StoreError(f"cannot back up {source} to {target}: {exc}") from exc
    return f"backed up {source} to {target} ({target.stat().st_size} bytes, SQLite online backup)"


def _backup_postgres(db_url: str, target: Path) -> str:
    exe = shutil.which("pg_dump")
    if exe is None:
        raise StoreError("backup of a PostgreSQL store needs pg_dump on PATH (package postgresql-client); "
                         "not found")
    url = make_url(db_url).set(drivername="postgresql")
    try:
        done = subprocess.run([exe, "--format=custom", f"--file={target}",
                               f"--dbname={url.render_as_string(hide_password=False)}"],
                              capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise StoreError(f"pg_dump failed: {exc}") from exc
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise StoreError(f"pg_dump failed: {first}")
    return f"backed up {display_url(db_url)} to {target} with pg_dump (restore with pg_restore)"
