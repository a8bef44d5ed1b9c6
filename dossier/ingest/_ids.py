"""Stable document ids for inputs that do not bring their own."""

from __future__ import annotations

import hashlib

from ._text import normalize_text


def document_id(text: str) -> str:
    """`doc-` + the first 16 hex digits of the SHA-1 of the case- and whitespace-insensitive text.

    Re-ingesting the same article (re-wrapped, re-indented, or with different capitalisation)
    gives the same id, so the store can recognise it.
    """
    key = " ".join(normalize_text(text).split()).casefold()
    return "doc-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
