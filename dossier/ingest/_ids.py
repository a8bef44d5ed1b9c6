"""Stable document ids for inputs that do not bring their own."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ._text import normalize_text


def document_id(text: str) -> str:
    """`doc-` + the first 16 hex digits of the SHA-1 of the case- and whitespace-insensitive text.

    Used for records that carry no id of their own and no path (a JSONL line without `id`, a
    feed item without guid or link): the same article re-wrapped or re-cased gets the same id.
    """
    key = " ".join(normalize_text(text).split()).casefold()
    return "doc-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def path_id(path: str | Path) -> str:
    """`doc-` + 16 hex digits of the SHA-1 of the file's absolute path.

    A file is the same document wherever it is ingested from and whatever it now says: editing
    it and ingesting it again updates that document (its sentences and events are replaced)
    instead of adding a second one. Symlinks are not resolved, so two links are two documents
    only if the user names them so; `..` and `.` are normalised away.
    """
    absolute = os.path.normpath(os.path.abspath(os.fspath(path)))
    return "doc-" + hashlib.sha1(("file:" + absolute).encode("utf-8", "surrogateescape")).hexdigest()[:16]
