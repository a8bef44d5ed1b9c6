"""Schema versions: an ordered list of migration steps and the code that applies them.

The version of a database is max(schema_version.version) (0 when the table is missing or
empty). Opening a database applies, in order, each step above its version, each step in its
own transaction together with the row that records it. A database whose version is above the
last step was written by a newer Dossier and is refused.

Rules for adding a step (append, never edit or reorder a released one):
  * Step 1 creates the tables from the current `_schema.metadata` with checkfirst, so on a new
    database it already produces the effect of every later step. Later steps therefore must be
    idempotent: check before altering (`add_column_if_missing`, `create_index_if_missing`).
  * Use SQLAlchemy constructs or portable DDL only; the same step runs on SQLite and PostgreSQL.
  * Keep `_schema.py` equal to "step 1 + all later steps" (the tests compare them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Connection, Engine, Index, Integer, String, Table, delete, func, inspect, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateIndex

from ..errors import StoreError
from ._engine import WRITE_OPTION, display_url, one_line
from ._fulltext import create_fulltext
from ._schema import (
    DATA_TABLES,
    DERIVED_TABLES,
    PG_ONLY_INDEXES,
    api_keys,
    event_actors,
    event_date_seqs,
    events,
    metadata,
    schema_version,
)

# Arbitrary constant naming the PostgreSQL advisory lock held while migrating.
_PG_MIGRATION_LOCK = 0x0D055E


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _create_indexes(conn: Connection, table: Table, *names: str) -> None:
    """Create these indexes of `table` as `_schema.py` defines them, where missing."""
    by_name: dict[str | None, Index] = {index.name: index for index in table.indexes}
    for name in names:
        create_index_if_missing(conn, by_name[name])


def _create_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=[*DATA_TABLES, *DERIVED_TABLES], checkfirst=True)


def _add_factuality(conn: Connection) -> None:
    add_column_if_missing(conn, "events", Column("factuality", String(16)))
    add_column_if_missing(conn, "events", Column("parent", String))
    _create_indexes(conn, events, "ix_events_factuality", "ix_events_parent")
    # events coded before factuality existed: negated ones say so, the rest were stated as fact
    conn.execute(update(events).where(events.c.factuality.is_(None), events.c.negated.is_(True))
                 .values(factuality="negated"))
    conn.execute(update(events).where(events.c.factuality.is_(None)).values(factuality="asserted"))


def _api_keys_search_quad(conn: Connection) -> None:
    api_keys.create(conn, checkfirst=True)
    # (IF NOT EXISTS rather than create_index_if_missing: reflecting the expression index on
    # upper(plover) warns on SQLite)
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_events_quad_class ON events (quad_class)")
    create_fulltext(conn)


def _actor_filter_indexes(conn: Connection) -> None:
    _create_indexes(conn, event_actors, "ix_event_actors_role_code_event", "ix_event_actors_country_event")


def fill_event_date_seqs(conn: Connection) -> None:
    """(Re)build event_date_seqs from the events stored: per date, the lowest and highest seq."""
    conn.execute(delete(event_date_seqs))
    by_date = (select(events.c.date, func.min(events.c.seq), func.max(events.c.seq))
               .where(events.c.date.is_not(None)).group_by(events.c.date))
    conn.execute(event_date_seqs.insert().from_select(["date", "min_seq", "max_seq"], by_date))


# new index -> the statement dropping the one it replaces (constant SQL)
_SEQ_INDEXES = {"ix_events_plover_upper_seq": "DROP INDEX IF EXISTS ix_events_plover_upper",
                "ix_events_cameo_seq": "DROP INDEX IF EXISTS ix_events_cameo",
                "ix_events_location_country_seq": "DROP INDEX IF EXISTS ix_events_location_country",
                "ix_events_event_id_seq": None}


def _date_seq_ranges(conn: Connection) -> None:
    event_date_seqs.create(conn, checkfirst=True)
    fill_event_date_seqs(conn)
    add_column_if_missing(conn, "documents", Column("input_hash", String(40)))
    add_column_if_missing(conn, "event_actors", Column("seq", Integer))
    seq_of_event = select(events.c.seq).where(events.c.event_id == event_actors.c.event_id).scalar_subquery()
    conn.execute(update(event_actors).where(event_actors.c.seq.is_(None)).values(seq=seq_of_event))
    _create_indexes(conn, event_actors, "ix_event_actors_role_code_seq", "ix_event_actors_country_role_seq")
    for index in events.indexes:
        if index.name in _SEQ_INDEXES:
            if index.name in PG_ONLY_INDEXES and conn.dialect.name != "postgresql":
                continue
            create_index_if_missing(conn, index)
            drop_old = _SEQ_INDEXES[index.name]
            if drop_old:
                conn.exec_driver_sql(drop_old)


def _actors_by_seq(conn: Connection) -> None:
    _create_indexes(conn, event_actors, "ix_event_actors_seq_role_code_country")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents, sentences, events, event actors, references, places", _create_tables),
    Migration(2, "events.factuality, events.parent", _add_factuality),
    Migration(3, "API keys; full-text search over sentences; index on events.quad_class", _api_keys_search_quad),
    Migration(4, "covering indexes for the actor, recipient and country filters", _actor_filter_indexes),
    Migration(5, "event_date_seqs (the seq range of each event date); event_actors.seq; filter indexes by seq; "
                 "documents.input_hash",
              _date_seq_ranges),
    Migration(6, "index of event actors by seq, role, code, country (driven page walks)", _actors_by_seq),
)
LATEST_VERSION = MIGRATIONS[-1].version


def add_column_if_missing(conn: Connection, table: str, column: Column[Any]) -> None:
    """ALTER TABLE ... ADD COLUMN for a nullable column, unless the table already has it."""
    if column.name in {c["name"] for c in inspect(conn).get_columns(table)}:
        return
    quote = conn.dialect.identifier_preparer.quote
    type_sql = column.type.compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column.name)} {type_sql}")


def create_index_if_missing(conn: Connection, index: Index) -> None:
    # IF NOT EXISTS (SQLite, PostgreSQL) rather than checkfirst, whose reflection warns about the
    # expression index on events.plover
    conn.execute(CreateIndex(index, if_not_exists=True))


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema_version.name):
        return 0
    return conn.execute(select(func.max(schema_version.c.version))).scalar() or 0


def _newer_error(url: str, found: int, supported: int) -> StoreError:
    return StoreError(
        f"database {url} has schema version {found}, newer than this Dossier supports "
        f"({supported}); upgrade Dossier to open it"
    )


def migrate(engine: Engine, steps: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database up to the last of `steps`; return the resulting version."""
    versions = [s.version for s in steps]
    if versions != list(range(1, len(steps) + 1)):
        raise ValueError(f"migration versions must be 1..n in order, got {versions}")
    latest = versions[-1] if versions else 0
    url = display_url(engine.url)
    try:
        with engine.connect() as conn:
            found = current_version(conn)
        if found > latest:
            raise _newer_error(url, found, latest)
        for step in steps:
            if step.version <= found:
                continue
            with engine.connect() as conn:
                conn.execution_options(**{WRITE_OPTION: True})
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        conn.execute(select(func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
                    # Re-read under the write lock: another process may have migrated meanwhile.
                    schema_version.create(conn, checkfirst=True)
                    found = current_version(conn)
                    if found > latest:
                        raise _newer_error(url, found, latest)
                    if found >= step.version:
                        continue
                    step.apply(conn)
                    conn.execute(
                        schema_version.insert().values(
                            version=step.version,
                            description=step.description,
                            applied_at=datetime.now(UTC).isoformat(timespec="seconds"),
                        )
                    )
                    found = step.version
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open database {url}: {one_line(exc)}") from exc
    return found
