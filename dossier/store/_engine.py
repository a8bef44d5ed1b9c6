"""Database URLs and engines: one SQLAlchemy URL for SQLite today and PostgreSQL later."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from ..errors import StoreError

DEFAULT_DB_URL = "sqlite:///dossier.db"
SQLITE_BUSY_TIMEOUT_MS = 10_000

# Connection execution option: begin this connection's transactions as writers.
WRITE_OPTION = "dossier_write"
# SQLite page cache of a connection that writes (SQLite's default is 2 MiB). A batch's rows land all over
# the tables' many indexes; with the default cache most of those pages are read again from the file for every
# batch once the store outgrows 2 MiB. Pages are cached as they are read, so the cache is only as large as the
# store it holds (at most this); a connection keeps it once it has written, one that only reads keeps the default.
# (A negative cache_size is in KiB: 64 MiB.)
SQLITE_WRITER_CACHE = "PRAGMA cache_size = -65536"


def resolve_db_url(db: str | None) -> str:
    """The URL to open: `db`, else $DOSSIER_DB, else `sqlite:///dossier.db`.

    A bare path ("x.db", "~/data/x.db", "/abs/x.db") becomes a SQLite URL; anything with
    "://" is taken as a SQLAlchemy URL unchanged.
    """
    value = db if db else os.environ.get("DOSSIER_DB") or DEFAULT_DB_URL
    value = value.strip()
    if "://" in value:
        return value
    if value == ":memory:":
        return "sqlite://"
    return "sqlite:///" + str(Path(value).expanduser())


def display_url(url: str | URL) -> str:
    """The URL with any password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return str(url)


def one_line(exc: BaseException) -> str:
    """The driver's own message when there is one, on one line, without SQL or links."""
    inner = getattr(exc, "orig", None) or exc
    text = str(inner).strip() or type(inner).__name__
    return " ".join(text.splitlines()[0].split())


def make_engine(url: str) -> Engine:
    """An engine for `url`; for SQLite, WAL mode, foreign keys and a busy timeout on every
    connection, and real transactions (BEGIN emitted by us, not by the sqlite3 module)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"invalid database URL {url!r}: expected e.g. sqlite:///dossier.db") from exc
    kwargs: dict[str, Any] = {}
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if not is_sqlite:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database URL {display_url(parsed)}: {one_line(exc)}") from exc
    except SQLAlchemyError as exc:  # pragma: no cover - other configuration errors
        raise StoreError(f"cannot use database URL {display_url(parsed)}: {one_line(exc)}") from exc
    if is_sqlite:
        _configure_sqlite(engine)
    return engine


def _set_wal(cursor: Any) -> None:
    """Switch the database to WAL. SQLite answers "database is locked" at once, without its busy handler, when
    another process holds a lock on a database still in rollback mode (two first ingests of a new file at the
    same moment): the switch is retried until the busy timeout has passed, as any other wait for a lock is."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the sqlite3 module (it would not BEGIN before
        # SELECT or DDL), so that migrations and batches are real transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            _set_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front: a deferred transaction that reads first and
        # writes later can fail at once with SQLITE_BUSY instead of waiting its turn.
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql(SQLITE_WRITER_CACHE)
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
