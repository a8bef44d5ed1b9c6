"""Ingest: files, directories, JSONL streams and feeds in; normalised `Document`s out.

Per-input problems come out of the iterators as `IngestError` values rather than exceptions,
so a caller can report them and go on.
"""

from ._dates import date_from_text, date_parser_calls, parse_date
from ._decode import DecodeError, decode_bytes
from ._ids import document_id, path_id
from ._language import detect_language
from ._readers import SUPPORTED_SUFFIXES, ReadOptions, UnchangedInput, html_text, input_hash, iter_documents, read_jsonl
from ._text import normalize_text

__all__ = [
    "SUPPORTED_SUFFIXES",
    "DecodeError",
    "ReadOptions",
    "UnchangedInput",
    "decode_bytes",
    "date_from_text",
    "date_parser_calls",
    "detect_language",
    "document_id",
    "html_text",
    "input_hash",
    "iter_documents",
    "normalize_text",
    "parse_date",
    "path_id",
    "read_jsonl",
]
