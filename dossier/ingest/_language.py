"""Language of a document: from its metadata when given, else identified from the text."""

from __future__ import annotations

import functools
import re
from typing import Any

_SAMPLE_CHARS = 2000
_MIN_LETTERS = 20
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")


@functools.cache
def _identifier() -> Any:
    # Imported on first use: loading the model takes most of a second.
    from py3langid import langid  # type: ignore[import-untyped]

    ident = langid.LanguageIdentifier.from_modelpath(langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True)
    # Only languages with an ISO 639-1 code: the model's regional varieties ("pcm", Nigerian Pidgin)
    # otherwise capture short English news sentences full of African names.
    ident.set_languages([c for c in ident.nb_classes if len(c) == 2])
    return ident


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None
    code, _score = _identifier().classify(sample)
    return str(code) if code else None


def normalize_language_tag(tag: str) -> str | None:
    """A metadata language tag ("en-US", "fr_FR", "EN", "fra") as ISO 639-1, or None if unusable."""
    m = _TAG.match(tag.strip().lower())
    if not m:
        return None
    code = m.group(1)
    if len(code) == 2:
        return code
    import pycountry

    lang = pycountry.languages.get(alpha_3=code)
    alpha_2 = getattr(lang, "alpha_2", None) if lang is not None else None
    return str(alpha_2) if alpha_2 else None
