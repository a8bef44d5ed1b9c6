"""Full-text search over sentences behind one condition: SQLite FTS5, PostgreSQL text search.

`sentence_match(words)` is a WHERE condition on `events`: the event's sentence contains every
word of `words`. On SQLite it reads an FTS5 index (`sentences_fts`, an external-content table
kept in step with `sentences` by triggers); on PostgreSQL it compares `to_tsvector` with
`plainto_tsquery` (a GIN expression index serves it). The user's words are always a bound
parameter; on SQLite each word is quoted so FTS5 operators in the input are plain words.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Connection, bindparam, false, func, literal_column, select, tuple_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import column, table
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnClause

from ._schema import events, sentences

_WORD = re.compile(r"\w+", re.UNICODE)
TS_CONFIG = "english"

# DDL run once by the migration that introduced search; constant strings, no input in them.
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5(text, content='sentences', content_rowid='rowid')",
    "CREATE TRIGGER IF NOT EXISTS sentences_fts_ai AFTER INSERT ON sentences BEGIN "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS sentences_fts_ad AFTER DELETE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS sentences_fts_au AFTER UPDATE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text); "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild')",
)
POSTGRES_DDL = (
    "CREATE INDEX IF NOT EXISTS ix_sentences_text_fts ON sentences USING gin (to_tsvector('english', text))",
)


def create_fulltext(conn: Connection) -> None:
    """Create the search index for this backend (idempotent)."""
    ddl = SQLITE_DDL if conn.dialect.name == "sqlite" else POSTGRES_DDL if conn.dialect.name == "postgresql" else ()
    for statement in ddl:
        conn.exec_driver_sql(statement)


def search_words(text: str) -> list[str]:
    return _WORD.findall(text)


class _SentenceMatch(ColumnElement[bool]):
    """The event's sentence contains all `words` (compiled per dialect below)."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, words: list[str]) -> None:
        self.words = words


def sentence_match(text: str) -> ColumnElement[bool]:
    words = search_words(text)
    if not words:
        return false()
    return _SentenceMatch(words)


def _in_sentences(where: ColumnElement[bool]) -> ColumnElement[bool]:
    return tuple_(events.c.doc_id, events.c.sentence).in_(select(sentences.c.doc_id, sentences.c.idx).where(where))


@compiles(_SentenceMatch, "sqlite")
def _sqlite_match(element: _SentenceMatch, compiler: SQLCompiler, **kw: Any) -> str:
    fts = table("sentences_fts", column("rowid"))
    phrase = " ".join('"' + w.replace('"', "") + '"' for w in element.words)
    matching = select(fts.c.rowid).where(literal_column("sentences_fts").op("MATCH")(bindparam(None, phrase)))
    return compiler.process(_in_sentences(literal_column("sentences.rowid").in_(matching)), **kw)


@compiles(_SentenceMatch)
def _default_match(element: _SentenceMatch, compiler: SQLCompiler, **kw: Any) -> str:
    config: ColumnClause[Any] = literal_column("'" + TS_CONFIG + "'")
    query = func.plainto_tsquery(config, bindparam(None, " ".join(element.words)))
    return compiler.process(_in_sentences(func.to_tsvector(config, sentences.c.text).op("@@")(query)), **kw)
