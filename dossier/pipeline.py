"""ingest -> parse -> code -> locate -> store, as plain functions the CLI and API share."""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ._settings import env_int
from .coding import Coder
from .errors import IngestError
from .model import CodedDocument, Document

if TYPE_CHECKING:
    from .geo import Gazetteer, Geoparser


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[IngestError] = field(default_factory=list)
    non_english: int = 0
    events: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {len(self.failed)} failed"
                f" ({self.events} events; {self.non_english} non-English stored, not coded)")


@lru_cache(maxsize=1)
def default_coder(with_geo: bool = True) -> Coder:
    """One coder per process: the spaCy pipeline, dictionaries and gazetteer load once (the pipeline again after
    `renew_default_coder`)."""
    from .nlp import load_nlp

    # no automatic collection while the coder loads: what loads lives as long as the process and leaves no cyclic
    # garbage (settle_heap), so the collections loading would trigger (walking everything loaded so far, the
    # spaCy pipeline and dictionaries included) find nothing. A zero threshold, not gc.disable(): srsly's
    # msgpack reader re-enables the collector it disables.
    threshold = gc.get_threshold()
    gc.set_threshold(0)
    try:
        nlp = load_nlp()
        if not with_geo:
            coder = Coder(nlp=nlp)
        else:
            geoparser = _default_geoparser()
            gaz = geoparser.gazetteer
            coder = Coder(nlp=nlp, geoparser=geoparser, place_country=_place_country_from(gaz),
                          is_place=_major_place_from(gaz))
        settle_heap()
    finally:
        gc.set_threshold(*threshold)
    return coder


# A process renews its default coder after it has coded about this many documents (DOSSIER_CODER_DOCUMENTS):
# spaCy's vocabulary and string store keep every new word and cannot be pruned, so a coder that lives for the
# whole corpus grows with it (BENCHMARKS.md). Renewing reloads the models in a few seconds; coding is a pure
# function of (document, resources), so the new coder codes exactly as the old one did.
CODER_DOCUMENTS_DEFAULT = 10_000
_coded_by_default = 0  # documents the current default coder has coded


def coder_documents() -> int:
    return env_int("DOSSIER_CODER_DOCUMENTS", CODER_DOCUMENTS_DEFAULT)


def renew_default_coder() -> None:
    """Drop the process's coder and everything cached on its spaCy pipeline, and the token tables' string caches;
    the next `default_coder()` loads the pipeline afresh (the geoparser is kept). The loaded objects were frozen
    out of the collector's sight (settle_heap): they are given back to it so that the cycles among them are freed
    too, and the freed C heap is returned to the system."""
    global _coded_by_default
    from . import nlp
    from .coding._actors import actor_matcher

    default_coder.cache_clear()
    nlp.load_nlp.cache_clear()
    actor_matcher.cache_clear()
    nlp.clear_string_caches()
    gc.unfreeze()
    gc.collect()
    _release_free_heap()
    _coded_by_default = 0


def check_settings() -> None:
    """Raise `DossierError` naming the first numeric setting in the environment that is not valid."""
    from .nlp import chunk_chars_setting, max_sentence_chars

    coder_documents()
    chunk_chars_setting()
    max_sentence_chars()


def coder_for(n_documents: int) -> Coder:
    """The process's default coder, to code `n_documents` more: renewed first when it has coded
    `coder_documents()` already."""
    global _coded_by_default
    if _coded_by_default >= coder_documents():
        renew_default_coder()
    _coded_by_default += n_documents
    return default_coder()


@lru_cache(maxsize=1)
def _default_geoparser() -> Geoparser:
    """The process's geoparser: kept when the coder is renewed (the gazetteer does not grow; its answer cache is
    bounded), so a renewal reloads only what grows."""
    from .geo import Geoparser

    return Geoparser()


def _release_free_heap() -> None:
    """Give the C heap's free pages back to the system (glibc's malloc_trim; nothing elsewhere)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def settle_heap() -> None:
    """Take what is loaded so far (the models, dictionaries and gazetteer: they live as long as the process) out
    of the cyclic garbage collector's sight. Every full collection otherwise walks all of it again, the
    gazetteer's 1.9 million index entries included (about 0.15 s each, several times per thousand documents).
    Loading leaves no cyclic garbage to collect first (`gc.collect()` here finds none)."""
    gc.freeze()


# Collector thresholds while documents are coded (Python's default is 700, 10, 10). Coding a document allocates
# hundreds of thousands of short-lived objects, freed by reference counting; with the default a young
# collection runs every 700 net allocations and a full one every few hundred documents. Cyclic garbage is
# still collected, in larger and rarer steps (at most a few MB of it waits between collections).
CODING_GC_THRESHOLD = (20_000, 10, 10)


@contextmanager
def coding_gc() -> Iterator[None]:
    """The collector set for a run of coding (`CODING_GC_THRESHOLD`), restored afterwards."""
    old = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(old, CODING_GC_THRESHOLD, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _major_place_from(gaz: Gazetteer) -> Callable[[str], bool]:
    """Whether a name's main sense is a country, a first-level division or a city of 100,000 or more."""

    def is_place(name: str) -> bool:
        return any(c.match == 0 and (c.kind in {"country", "admin1"} or c.population >= 100_000)
                   for c in gaz.lookup(name))

    return is_place


# a town smaller than this is a village: a region or division of the same name is the name's main sense
VILLAGE = 5_000


def _place_country_from(gaz: Gazetteer) -> Callable[[str], str | None]:
    """Country of a named town, for actors like "residents of Homs": the name's main sense."""

    def place_country(name: str) -> str | None:
        cands = gaz.lookup(name)
        if not cands:
            return None
        # the name's main sense decides: "Kashmir" is a region, not the small town Cashmere, Washington; and a
        # first-level division or region of that name comes before a village ("Jenin", the Palestinian governorate,
        # not Jenin, Poland, 1,100 people)
        best = max(cands, key=lambda c: (c.match == 0, c.kind != "city" or c.population >= VILLAGE, c.population))
        if not best.country or best.kind not in {"city", "admin1", "country", "region"}:
            return None
        return best.country if best.population >= 1000 or best.kind != "city" else None

    return place_country


def is_english(doc: Document) -> bool:
    return doc.language in (None, "en")


def code_documents(documents: Iterable[Document], coder: Coder | None = None,
                   batch_size: int = 32) -> Iterator[CodedDocument]:
    """Code documents in batches; non-English ones pass through uncoded (no sentences, no events). Without a
    `coder`, the process's default coder (`coder_for`: renewed after every `coder_documents()` documents)."""
    batch: list[Document] = []

    def flush() -> Iterator[CodedDocument]:
        english = [d for d in batch if is_english(d)]
        coded: dict[str, CodedDocument] = {}
        if english:  # the models load only when there is something to code
            batch_coder = coder or coder_for(len(english))
            coded = {c.document.id: c for c in batch_coder.code_many(english, batch_size=batch_size)}
        for d in batch:
            yield coded[d.id] if d.id in coded and is_english(d) else CodedDocument(d, [], [])

    for d in documents:
        batch.append(d)
        if len(batch) >= batch_size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


# Codes batches of documents, yielding each batch's coded documents in the order the batches came in:
# in this process, in worker processes (dossier.parallel) or on a Dask cluster (dossier.distributed).
BatchCoder = Callable[[Iterable[list[Document]]], Iterator[list[CodedDocument]]]


def code_batches_here(coder: Coder | None = None, batch_size: int = 32,
                      on_failure: Callable[[Document, Exception], None] | None = None) -> BatchCoder:
    """The one-process BatchCoder. If a batch fails to code, its documents are coded one by one, so one
    bad document costs only itself (reported through `on_failure`; raised when there is none)."""

    def run(batches: Iterable[list[Document]]) -> Iterator[list[CodedDocument]]:
        for batch in batches:
            try:
                yield list(code_documents(batch, coder, batch_size=batch_size))
                continue
            except Exception:
                if on_failure is None:
                    raise
            out: list[CodedDocument] = []
            for d in batch:
                try:
                    out.extend(code_documents([d], coder, batch_size=1))
                except Exception as exc:  # which document failed: one line naming it, the rest still lands
                    on_failure(d, exc)
            yield out

    return run


def coding_failure(d: Document, exc: Exception) -> IngestError:
    """One line naming a document that could not be coded."""
    return IngestError(d.origin or d.id, f"could not be coded ({type(exc).__name__}: {exc})")


def ingest_paths(
    paths: Iterable[str | Path],
    store: object,
    coder: Coder | None = None,
    batch_size: int = 32,
    on_item: Callable[[str, str], None] | None = None,
    code_batches: BatchCoder | None = None,
    *,
    report: IngestReport | None = None,
    language: str | None = None,
    max_bytes: int | None = None,
) -> IngestReport:
    """Read, code and store documents; one transaction per batch. Bad inputs are reported, not raised.

    `code_batches` decides where coding runs (default: here); whatever it is, batches are written by this
    process in the order they were read, so the store ends up the same. `report` (optional) is filled in
    as batches are committed, so a caller interrupted midway can say what was stored. `language` states
    the inputs' language (no identification); `max_bytes` bounds a document's size.
    """
    from ._faults import fault_point
    from .ingest import UnchangedInput, iter_documents
    from .ingest._readers import DEFAULT_MAX_BYTES
    from .store import Store, content_hash

    assert isinstance(store, Store)
    check_settings()  # a bad setting fails the run once, not each document
    report = report if report is not None else IngestReport()

    def failed(d: Document, exc: Exception) -> None:
        report.failed.append(coding_failure(d, exc))
        if on_item:
            on_item(d.origin or d.id, "failed")

    run = code_batches or code_batches_here(coder, batch_size, on_failure=failed)

    # Asked of each document before its date and language are worked out: is it stored from exactly this input?
    # In a store that held no documents when the run began, only a document this run saved can be (one read
    # twice), so the store is asked only about the ids this run saved (up to FRESH_IDS_KEPT; past them, always).
    fresh = not store.has_documents()
    saved_ids: set[str] = set()

    def unchanged_input(doc_id: str, digest: str) -> bool:
        if fresh and doc_id not in saved_ids:
            return False
        return store.input_unchanged(doc_id, digest)

    def unknown(pending: list[Document]) -> list[Document]:
        """The batch without documents stored unchanged (found before any parsing)."""
        known = store.known_documents([d.id for d in pending])
        todo: list[Document] = []
        inputs: dict[str, str] = {}
        for d in pending:
            if known.get(d.id) == content_hash(d):
                report.unchanged += 1
                if d.input_hash:
                    inputs[d.id] = d.input_hash
                if on_item:
                    on_item(d.id, "unchanged")
            else:
                todo.append(d)
        store.note_inputs(inputs)  # next time, known before the date and language are worked out
        return todo

    def batches() -> Iterator[list[Document]]:
        pending: list[Document] = []
        pending_ids: set[str] = set()
        # a document read exactly as stored is known unchanged before its date and language are worked out
        for item in iter_documents(paths, language=language, unchanged=unchanged_input,
                                   max_bytes=max_bytes or DEFAULT_MAX_BYTES):
            if isinstance(item, UnchangedInput):
                report.unchanged += 1
                if on_item:
                    on_item(item.id, "unchanged")
                continue
            if isinstance(item, IngestError):
                report.failed.append(item)
                if on_item:
                    on_item(item.origin, "failed")
                continue
            fault_point("read")
            report.warnings.extend(f"{item.origin}: {w}" for w in item.warnings)
            if item.id in pending_ids:
                # an id read again (from another file) goes in a later batch, so that it meets the first copy
                # stored, whatever the batch size or the number of workers: unchanged if identical, else an update
                if todo := unknown(pending):
                    yield todo
                pending, pending_ids = [], set()
            pending.append(item)
            pending_ids.add(item.id)
            if len(pending) >= batch_size:
                if todo := unknown(pending):
                    yield todo
                pending, pending_ids = [], set()
        if pending and (todo := unknown(pending)):
            yield todo

    with coding_gc():
        for coded in run(batches()):
            fault_point("coded")
            statuses = store.save(coded)
            if fresh:
                saved_ids.update(c.document.id for c in coded)
                if len(saved_ids) > FRESH_IDS_KEPT:
                    fresh = False
                    saved_ids.clear()
            for c, status in zip(coded, statuses, strict=True):
                setattr(report, status, getattr(report, status) + 1)
                if status != "unchanged":  # what was written; a copy coded again and found unchanged writes none
                    report.events += len(c.events)
                    if not is_english(c.document):
                        report.non_english += 1
                if on_item:
                    on_item(c.document.id, status)
            fault_point("saved")
    if report.new + report.updated >= ANALYZE_AFTER:
        store.analyze()  # fresh planner statistics after a large ingest keep the filters on their indexes
    return report


# Ids of saved documents an ingest into an empty store remembers (`ingest_paths`); past them it asks the store
# (one indexed lookup per document). About 11 MiB at this bound: the writer's memory stays bounded however long
# the stream.
FRESH_IDS_KEPT = 100_000

# Documents written in one ingest after which the store's planner statistics are refreshed.
ANALYZE_AFTER = 1000
