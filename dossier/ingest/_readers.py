"""Read files, directories and JSONL streams into `Document`s.

Every per-input problem (a missing file, a bad JSONL line, a malformed feed) comes out of the
iterators as an `IngestError` value, so one bad input never stops a run.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TextIO

from ..errors import IngestError
from ..model import Document
from ._dates import date_from_text, parse_date
from ._decode import DecodeError, decode_bytes
from ._ids import document_id, path_id
from ._language import DEFAULT_PRIOR, detect_language, normalize_language_tag
from ._text import normalize_text


@dataclass(frozen=True)
class UnchangedInput:
    """A document read exactly as stored before (same id, same input hash): yielded in place of the Document
    when the reader is given an `unchanged` test, before its date and language are worked out."""

    id: str
    origin: str


Result = Document | IngestError | UnchangedInput

_TEXT_SUFFIXES = frozenset({".txt"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})
_JSONL_SUFFIXES = frozenset({".jsonl"})
_FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
SUPPORTED_SUFFIXES = _TEXT_SUFFIXES | _HTML_SUFFIXES | _JSONL_SUFFIXES | _FEED_SUFFIXES

_TITLE_MAX_CHARS = 150
_JSONL_STRING_FIELDS = ("text", "html", "title", "date", "url", "source", "language")
DEFAULT_MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class ReadOptions:
    """max_bytes: largest file (or JSONL line) read. language: the inputs' language, stated (no
    identification). prior: the language assumed unless the text clearly says otherwise (a feed's
    channel language replaces it for its items). unchanged: see `iter_documents`."""

    max_bytes: int = DEFAULT_MAX_BYTES
    language: str | None = None
    prior: str | None = DEFAULT_PRIOR
    # (document id, input hash) -> stored unchanged? (e.g. `Store.input_unchanged`); None: never asked
    unchanged: Callable[[str, str], bool] | None = None


def iter_documents(paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, language: str | None = None,
                   prior: str | None = DEFAULT_PRIOR,
                   unchanged: Callable[[str, str], bool] | None = None) -> Iterator[Result]:
    """Documents from files and directories (searched recursively), in a stable order.

    Reads `.txt`, `.html`/`.htm`, `.jsonl` and RSS/Atom feeds (`.rss`, `.atom`, `.xml`).
    Inside directories, hidden entries and files of other types are skipped; a file named
    explicitly that cannot be read gives an `IngestError`, as does each bad line or item.
    A file's id follows its path; a JSONL line's or feed item's is its own id (guid, link).

    `unchanged(id, input_hash)`, when given, is asked for each document once its text and metadata are read and
    before its date is parsed and its language identified; True yields an `UnchangedInput` instead.
    """
    opts = ReadOptions(max_bytes=max_bytes, language=language, prior=prior, unchanged=unchanged)
    for path in paths:
        p = Path(path)
        origin = printable_origin(p)
        try:
            is_dir = p.is_dir()
            exists = is_dir or p.exists()
        except OSError as exc:  # a name too long, a directory we may not enter: this path only
            yield IngestError(origin, f"cannot read: {exc.strerror or exc}")
            continue
        if is_dir:
            for found in _walk(p, set()):
                if isinstance(found, IngestError):
                    yield found
                else:
                    yield from _read_file(found, opts, explicit=False)
        elif not exists:
            yield IngestError(origin, "no such file or directory")
        elif p.suffix.lower() not in SUPPORTED_SUFFIXES:
            expected = ", ".join(sorted(SUPPORTED_SUFFIXES))
            yield IngestError(origin, f"unsupported file type {p.suffix or '(none)'!r}; expected {expected}")
        else:
            yield from _read_file(p, opts, explicit=True)


def printable_origin(path: str | Path) -> str:
    """A path as it can be shown on one line: control characters and undecodable bytes escaped."""
    text = str(path)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for ch in text)


def read_jsonl(stream: TextIO, origin: str = "<stdin>", *, language: str | None = None,
               prior: str | None = DEFAULT_PRIOR) -> Iterator[Result]:
    """Documents from JSON Lines text, one object per line (as `dossier code` reads from stdin).

    Origins are `ORIGIN:LINE`. A stream that cannot be decoded ends with one `IngestError`;
    the text layer decodes ahead in blocks, so the line it happened on is not known.
    """
    opts = ReadOptions(language=language, prior=prior)
    lineno = 0
    try:
        for lineno, line in enumerate(stream, start=1):
            result = _jsonl_line(line, f"{origin}:{lineno}", opts, first=lineno == 1)
            if result is not None:
                yield result
    except UnicodeDecodeError as exc:
        yield IngestError(origin, f"not valid UTF-8 ({exc.reason}); reading stopped after line {lineno}")


# -- files and directories ---------------------------------------------------------------------


def _walk(directory: Path, seen: set[Path]) -> Iterator[Path | IngestError]:
    real = directory.resolve()
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        entries = sorted(directory.iterdir(), key=lambda e: e.name)
    except OSError as exc:
        yield IngestError(printable_origin(directory), f"cannot list directory: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                yield from _walk(entry, seen)
            elif entry.is_file() and entry.suffix.lower() in SUPPORTED_SUFFIXES:
                yield entry
        except OSError as exc:
            yield IngestError(printable_origin(entry), f"cannot read: {exc.strerror or exc}")


def _read_file(path: Path, opts: ReadOptions, *, explicit: bool) -> Iterator[Result]:
    origin = printable_origin(path)
    max_bytes = opts.max_bytes
    try:
        if not path.is_file():
            yield IngestError(origin, "not a regular file")
            return
        if path.suffix.lower() in _JSONL_SUFFIXES:
            # a JSONL corpus may be large: stream it, and apply the size limit to each line
            yield from _stream_jsonl_file(path, origin, opts)
            return
        if path.stat().st_size > max_bytes:
            yield IngestError(origin, f"larger than {max_bytes} bytes")
            return
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        yield IngestError(origin, f"cannot read: {exc.strerror or exc}")
        return
    if len(data) > max_bytes:
        yield IngestError(origin, f"larger than {max_bytes} bytes")
        return
    if not data.strip():
        yield IngestError(origin, "empty file")
        return

    suffix = path.suffix.lower()
    if suffix in _FEED_SUFFIXES:
        # feedparser reads the XML declaration's encoding and BOMs itself
        yield from _read_feed(data, origin, opts, explicit=explicit)
        return
    try:
        raw, _encoding = decode_bytes(data)
    except DecodeError as exc:
        yield IngestError(origin, str(exc))
        return
    doc_id = path_id(path)
    if suffix in _TEXT_SUFFIXES:
        yield _read_txt(raw, origin, doc_id, opts)
    else:
        yield _read_html(raw, origin, doc_id, opts)


# -- plain text --------------------------------------------------------------------------------


def _read_txt(raw: str, origin: str, doc_id: str, opts: ReadOptions) -> Result:
    text = normalize_text(raw)
    return _make_document(text, origin, opts, doc_id=doc_id, title=_title_line(text))


def _title_line(text: str) -> str | None:
    """The first line, if it reads like a headline: short, unpunctuated, then a blank line."""
    first, sep, rest = text.partition("\n\n")
    if not sep or "\n" in first or not rest.strip():
        return None
    first = first.strip()
    if not first or len(first) > _TITLE_MAX_CHARS or first[-1] in ".!?:;,":
        return None
    return first


# -- HTML --------------------------------------------------------------------------------------


def _read_html(data: str, origin: str, doc_id: str, opts: ReadOptions) -> Result:
    extracted = _extract_html(data, origin)
    if isinstance(extracted, IngestError):
        return extracted
    text, meta = extracted
    return _make_document(text, origin, opts, doc_id=doc_id, title=meta["title"], date=meta["date"],
                          url=meta["url"])


def _extract_html(data: bytes | str, origin: str) -> tuple[str, dict[str, str | None]] | IngestError:
    """Main text and metadata (title, date, url) of a whole page, with trafilatura."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            # No opportunistic search of the page text: it turns "Copyright 2021" into
            # 2021-01-01. Dates stated in the main text are found by date_from_text instead.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # a parser failure on one page must not end the run: read it the plain way
        doc = None
    text = normalize_text(getattr(doc, "text", None) or "") if doc is not None else ""
    if not text:
        # trafilatura's tree parser gives up on pages nested deeper than libxml2 allows (256
        # levels) and on some broken markup; a streaming reader still finds their text
        text = normalize_text(html_text(data if isinstance(data, str) else data.decode("utf-8", "replace")))
        if not text:
            return IngestError(origin, "no main text found")
        return text, {"title": None, "date": None, "url": None}
    meta = {key: _clean_str(getattr(doc, key, None)) for key in ("title", "date", "url")}
    return text, meta


class _TextCollector(HTMLParser):
    """The visible text of an HTML page, block by block, with no tree built (any nesting depth)."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe",
                       "object"})
    _BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
                        "blockquote", "pre", "td", "th", "dd", "dt", "header", "footer", "main", "ul", "ol"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping.append(tag)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    """All visible text of an HTML page or fragment (no scripts, styles or head), one block a line."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _html_fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment such as a feed item's content or summary."""
    import trafilatura

    text = trafilatura.extract(fragment, include_comments=False, favor_recall=True)
    if not text:
        # Very short fragments fall below trafilatura's main-text thresholds: take all the text.
        text = trafilatura.html2txt(f"<html><body>{fragment}</body></html>")
    return normalize_text(text or "")


# -- JSON Lines --------------------------------------------------------------------------------


def _refused(data: bytes, max_bytes: int, unit: str) -> str | None:
    """Why a raw JSONL line is refused before decoding (too large, or binary), or None."""
    if len(data) > max_bytes:
        return f"{unit} larger than {max_bytes} bytes"
    if b"\x00" in data:
        return f"binary {unit} (contains NUL bytes), not text"
    return None


def _stream_jsonl_file(path: Path, origin: str, opts: ReadOptions) -> Iterator[Result]:
    """A JSONL file line by line: the size limit and the checks apply to each line.

    JSON Lines is UTF-8 by definition; a repeated id is reported and the later line skipped
    (the first one stands), so a file never silently replaces its own records.
    """
    first_seen: dict[str, int] = {}
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            where = f"{origin}:{lineno}"
            problem = _refused(raw, opts.max_bytes, "line")
            if problem:
                yield IngestError(where, problem)
                continue
            try:
                line = raw.rstrip(b"\r\n").decode("utf-8")
            except UnicodeDecodeError as exc:
                yield IngestError(where, f"not valid UTF-8 (bad byte at column {exc.start + 1})")
                continue
            result = _jsonl_line(line, where, opts, first=lineno == 1)
            # a line found stored unchanged is still a line of this file: its id repeated later is reported the
            # same whether or not the first one was saved by then (one process or workers reading ahead)
            if isinstance(result, Document | UnchangedInput):
                earlier = first_seen.setdefault(result.id, lineno)
                if earlier != lineno:
                    yield IngestError(where, f"id {result.id!r} repeated (first on line {earlier}); line skipped")
                    continue
            if result is not None:
                yield result


def _jsonl_line(line: str, where: str, opts: ReadOptions, *, first: bool) -> Result | None:
    """One JSONL line as a Document or an IngestError; None for a blank line."""
    if first:
        line = line.removeprefix("\ufeff")
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        return IngestError(where, f"expected a JSON object, got {type(record).__name__}")
    return _record_to_document(record, where, opts)


def _record_to_document(record: dict[str, Any], where: str, opts: ReadOptions) -> Result:
    given_id = record.get("id")
    if given_id is not None and (isinstance(given_id, bool) or not isinstance(given_id, str | int)):
        return IngestError(where, f"'id' must be a string or an integer, not {type(given_id).__name__}")
    if isinstance(given_id, str) and not given_id.strip():
        return IngestError(where, "'id' is empty")
    for key in _JSONL_STRING_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return IngestError(where, f"{key!r} must be a string, not {type(value).__name__}")

    text_value: str | None = record.get("text")
    html_value: str | None = record.get("html")
    title, date, url = record.get("title"), record.get("date"), record.get("url")
    if text_value is not None and (text_value.strip() or html_value is None):
        text = normalize_text(text_value)
    elif html_value is not None:
        extracted = _extract_html(html_value, where)
        if isinstance(extracted, IngestError):
            return extracted
        text, meta = extracted
        title, date, url = title or meta["title"], date or meta["date"], url or meta["url"]
    else:
        return IngestError(where, "neither 'text' nor 'html' given")

    return _make_document(
        text,
        where,
        opts,
        doc_id=None if given_id is None else str(given_id),
        title=title,
        date=date,
        url=url,
        source=record.get("source"),
        language=record.get("language"),
    )


# -- RSS / Atom --------------------------------------------------------------------------------


def _read_feed(data: bytes, origin: str, opts: ReadOptions, *, explicit: bool) -> Iterator[Result]:
    import feedparser

    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        yield IngestError(origin, "binary (contains NUL bytes and no UTF-16/32 byte-order mark), not a feed")
        return

    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # a parser failure on one file must not end the run
        yield IngestError(origin, f"could not parse feed: {exc}")
        return
    entries = list(feed.get("entries") or [])
    if not entries:
        if feed.get("bozo"):
            yield IngestError(origin, f"malformed feed: {feed.get('bozo_exception')}")
        elif feed.get("version"):
            yield IngestError(origin, "feed has no items")
        elif explicit or not origin.lower().endswith(".xml"):
            yield IngestError(origin, "not an RSS or Atom feed")
        # else: some other XML file met while walking a directory; not ours to read.
        return

    channel = feed.get("feed") or {}
    source = _clean_str(channel.get("title"))
    # the channel's language is the prior for its items (an item may still be identified as
    # another); an item's own language tag, or the user's --language, states it
    channel_language = _clean_str(channel.get("language"))
    channel_prior = normalize_language_tag(channel_language) if channel_language else None
    item_opts = ReadOptions(opts.max_bytes, opts.language, channel_prior or opts.prior, opts.unchanged)
    first_seen: dict[str, int] = {}
    for n, entry in enumerate(entries, start=1):
        where = f"{origin}#item-{n}"
        result = _entry_to_document(entry, where, item_opts, source=source)
        if isinstance(result, Document | UnchangedInput):
            earlier = first_seen.setdefault(result.id, n)
            if earlier != n:
                yield IngestError(where, f"id {result.id!r} repeated (first at item {earlier}); item skipped")
                continue
        yield result


def _entry_to_document(entry: Any, where: str, opts: ReadOptions, *, source: str | None) -> Result:
    text = _entry_text(entry)
    given_id = _clean_str(entry.get("id")) or _clean_str(entry.get("link"))
    title = _clean_str(entry.get("title"))
    if title and "html" in str((entry.get("title_detail") or {}).get("type", "")):
        title = _clean_str(_html_fragment_to_text(title))

    date: str | None = None
    for key in ("published", "updated", "created"):
        date = parse_date(entry[key]) if isinstance(entry.get(key), str) else None
        if date:
            break
    if date is None:
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        if isinstance(parsed, time.struct_time):
            date = time.strftime("%Y-%m-%d", parsed)
    if date is None:  # an impossible date ("2025-13-45") is passed on, to be reported
        date = next((entry[k] for k in ("published", "updated", "created") if isinstance(entry.get(k), str)), None)

    return _make_document(
        text,
        where,
        opts,
        doc_id=given_id,
        title=title,
        date=date,
        url=_clean_str(entry.get("link")),
        source=source,
        language=_clean_str(entry.get("language")),
    )


def _entry_text(entry: Any) -> str:
    """Full content when the feed carries it, else the summary; HTML turned into text."""
    candidates: list[tuple[str, str]] = []
    for content in entry.get("content") or []:
        if isinstance(content.get("value"), str):
            candidates.append((content["value"], str(content.get("type", ""))))
    if not candidates and isinstance(entry.get("summary"), str):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry["summary"], str(detail.get("type", "text/html"))))
    if not candidates:
        return ""
    value, kind = max(candidates, key=lambda c: len(c[0]))
    return _html_fragment_to_text(value) if "html" in kind else normalize_text(value)


# -- the Document itself -----------------------------------------------------------------------


def _make_document(
    text: str,
    origin: str,
    opts: ReadOptions,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    source: str | None = None,
    language: str | None = None,
) -> Result:
    """A `Document` from already-normalised text and raw metadata."""
    if not text:
        return IngestError(origin, "empty document")
    doc_id = doc_id if doc_id is not None else document_id(text)
    digest = input_hash(text, opts, title=title, date=date, url=url, source=source, language=language)
    if opts.unchanged is not None and opts.unchanged(doc_id, digest):
        return UnchangedInput(doc_id, origin)
    warnings: list[str] = []
    day = parse_date(date) if date else None
    date_source = "metadata" if day else None
    if date and day is None:
        warnings.append(f"date {_clean_str(date)!r} is not a full calendar date; ignored")
    if day is None:
        day = date_from_text(text)
        date_source = "text" if day else None
    stated = opts.language or (normalize_language_tag(language) if language else None)
    title = _clean_str(title)
    return Document(
        id=doc_id,
        text=text,
        title=title,
        date=day,
        date_source=date_source,
        url=_clean_str(url),
        source=_clean_str(source),
        language=stated or detect_language(text, prior=opts.prior, title=title),
        origin=origin,
        warnings=warnings,
        input_hash=digest,
    )


def input_hash(text: str, opts: ReadOptions, **metadata: str | None) -> str:
    """SHA-1 over a document as read: its text, its metadata before any parsing, and the reading options that
    decide its language. Equal hashes give equal Documents, so a stored one with the same hash is unchanged."""
    h = hashlib.sha1()
    parts = [text, opts.language, opts.prior, *(f"{k}={v}" for k, v in sorted(metadata.items()) if v is not None)]
    for part in parts:
        h.update((part or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def _clean_str(value: object) -> str | None:
    """A metadata string with its whitespace collapsed, or None when absent or blank."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
