"""The tables, as SQLAlchemy Core objects: the current shape of the schema.

Portable types only (String, Text, Integer, Float, Boolean, JSON), so the same definitions
create the schema on SQLite and on PostgreSQL. Character offsets are `char_start`/`char_end`
(not `start`/`end`, which are SQL keywords) so the tables stay easy to query by hand.

`events.seq` is the integer primary key: monotonically increasing (SQLite AUTOINCREMENT never
reuses a value; PostgreSQL uses a sequence), for keyset pagination. `events.event_id` is the
stable string id the rest of Dossier uses; it is UNIQUE and is what the child tables reference.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# One row per applied migration step; the schema version is max(version).
schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String, primary_key=True),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("date", String(10)),  # ISO "YYYY-MM-DD"
    Column("date_source", String(16)),
    Column("url", Text),
    Column("source", Text),
    Column("language", String(16)),
    Column("origin", Text),
    Column("content_hash", String(40), nullable=False),
    # SHA-1 of the input as read, before date parsing and language identification (migration 5; NULL before)
    Column("input_hash", String(40)),
    Column("n_sentences", Integer, nullable=False),
    Column("ingested_at", String(32), nullable=False),  # first save, UTC ISO 8601
    Column("updated_at", String(32), nullable=False),  # last save that changed it
)

sentences = Table(
    "sentences",
    metadata,
    Column("doc_id", String, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String, nullable=False, unique=True),
    Column("doc_id", String, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("sentence", Integer, nullable=False),
    Column("date", String(10)),
    Column("plover", String(32)),
    Column("plover_mode", String(32)),
    Column("cameo", String(8), nullable=False),
    Column("quad_class", Integer, nullable=False),
    Column("goldstein", Float, nullable=False),
    Column("trigger_text", Text, nullable=False),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("negated", Boolean, nullable=False),
    # added by migration 2 (nullable there; NULL reads as "asserted", or "negated" where negated)
    Column("factuality", String(16)),
    Column("parent", String),  # event_id of the embedding speech act
    # attributed_to is None (no attribution) vs a list, possibly empty: this keeps the difference
    Column("attributed", Boolean, nullable=False),
    Column("rule", Text, nullable=False),
    Column("coder_version", String(32), nullable=False),
    # Event.location, inline (at most one per event); location_name IS NULL means no location
    Column("location_name", Text),
    Column("location_geonameid", Integer),
    Column("location_lat", Float),
    Column("location_lon", Float),
    Column("location_country", String(3)),
    Column("location_admin1", Text),
    Column("location_precision", String(16)),
    Column("location_start", Integer),
    Column("location_end", Integer),
    Column("explain", JSON),
    sqlite_autoincrement=True,
)

# actor / recipient / source (source = Event.attributed_to), in their list order
event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String, ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("ord", Integer, primary_key=True, autoincrement=False),
    Column("text", Text, nullable=False),
    Column("code", String(32)),
    Column("country", String(3)),
    Column("sector", String(16)),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Column("path", Text),
    # the event's seq, copied (migration 5): an actor filter's matches in seq order or inside a seq range come
    # from an index on event_actors alone, without looking up each event
    Column("seq", Integer),
)

# References cited by a document (event_id NULL) or by one event (event_id set).
doc_references = Table(
    "doc_references",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String, ForeignKey("events.event_id", ondelete="CASCADE")),
    Column("ord", Integer, nullable=False),
    Column("type", String(32), nullable=False),
    Column("ref_id", String, nullable=False),
    Column("text", Text, nullable=False),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
)

# Place mentions found in a document (CodedDocument.places).
places = Table(
    "places",
    metadata,
    Column("doc_id", String, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("ord", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(3)),
    Column("admin1", Text),
    Column("precision", String(16), nullable=False),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
)

# API keys for the HTTP server's writes: only a SHA-256 of each key is kept. `prefix` is the
# public part of the key ("dsk_<prefix>_<secret>") by which a presented key finds its row.
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
)

# Per event date, the lowest and highest seq of any event stored with that date: a date filter becomes a seq range,
# where a page walk in seq order starts (events mostly arrive in date order). Grown on every event insert and never
# shrunk (a deleted event leaves the range wider, still containing every event of that date), so it stays exact as
# a bound. Events without a date have no row (no date filter matches them).
event_date_seqs = Table(
    "event_date_seqs",
    metadata,
    Column("date", String(10), primary_key=True),
    Column("min_seq", Integer, nullable=False),
    Column("max_seq", Integer, nullable=False),
)

# One index per EventQuery filter (plus the foreign keys that deletes and joins follow).
Index("ix_events_doc_id", events.c.doc_id)
Index("ix_events_date", events.c.date)
# filter value then seq: a filter's matches inside a seq range (the dates', or after a cursor) are one index range,
# counted and listed from the index alone (SQLite's plain index holds the rowid = seq; PostgreSQL's does not)
# (PostgreSQL: plover itself included, else no index-only scan of the expression: a count read every row counted)
Index("ix_events_plover_upper_seq", func.upper(events.c.plover), events.c.seq, postgresql_include=["plover"])
Index("ix_events_cameo_seq", events.c.cameo, events.c.seq)
Index("ix_events_location_country_seq", events.c.location_country, events.c.seq)
# PostgreSQL only: an actor row's event id -> seq from the index alone (SQLite's unique index on event_id holds it)
Index("ix_events_event_id_seq", events.c.event_id, events.c.seq).ddl_if(dialect="postgresql")
Index("ix_events_quad_class", events.c.quad_class)
Index("ix_events_factuality", events.c.factuality)
Index("ix_events_parent", events.c.parent)
Index("ix_event_actors_role_code", event_actors.c.role, event_actors.c.code)
Index("ix_event_actors_country", event_actors.c.country)
# covering indexes for the actor/recipient/country filters' semi-join: the event ids come from the index alone
Index("ix_event_actors_role_code_event", event_actors.c.role, event_actors.c.code, event_actors.c.event_id)
Index("ix_event_actors_country_event", event_actors.c.country, event_actors.c.role, event_actors.c.event_id)
# the actor, recipient and country filters' matches as seqs, from the index alone (page plans)
Index("ix_event_actors_role_code_seq", event_actors.c.role, event_actors.c.code, event_actors.c.seq)
Index("ix_event_actors_country_role_seq", event_actors.c.country, event_actors.c.role, event_actors.c.seq)
# an event's actors by its seq, covering: whether candidate events have an actor or recipient with a code, from the
# index alone (one seek per event), before their rows are read (driven page walks)
Index("ix_event_actors_seq_role_code_country", event_actors.c.seq, event_actors.c.role, event_actors.c.code,
      event_actors.c.country)
Index("ix_doc_references_ref_id", doc_references.c.ref_id)
Index("ix_doc_references_event_id", doc_references.c.event_id)
Index("ix_doc_references_doc_id", doc_references.c.doc_id)

# Tables holding Dossier data (everything but the bookkeeping table), in creation order.
DATA_TABLES = (documents, sentences, events, event_actors, doc_references, places, api_keys)
# Indexes created on PostgreSQL only
PG_ONLY_INDEXES = frozenset({"ix_events_event_id_seq"})
# Tables derived from the data, for queries only.
DERIVED_TABLES = (event_date_seqs,)
