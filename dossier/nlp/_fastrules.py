"""Faster, exact copies of two of spaCy's rule components: the attribute ruler and the rule lemmatizer.

In en_core_web_sm 3.8 these two rule components cost about 6 ms of CPU per document of the benchmark corpus
(1,260 characters on average), a seventh of the whole parse, though neither runs a neural network
(`benchmarks/components.py`):

- spaCy's `Matcher` tries each of the attribute ruler's 179 patterns at every token (about 5.4 ms per
  document). `FastAttributeRuler.match` indexes the patterns by what their first token must be (its
  lowercase form or its tag) and tries only those, then checks every condition of the pattern as the
  `Matcher` does. The matches it returns, and so everything `set_annotations` writes, are the same.
- The rule lemmatizer builds a `Token` and a `MorphAnalysis` per token to find its cache key (about 0.85 ms
  once its cache is warm, 2.5 ms before).
  `FastLemmatizer.__call__` reads the key (form, part of speech, morphology) for every token from one
  `Doc.to_array`, lemmatises a key it has not met before with spaCy's own `lemmatize`, and writes all
  lemmas back with one `Doc.from_array`. A lemma is a function of that key alone, so the lemmas are the
  same.

`speed_up(nlp)` swaps the class of the two components in place. Anything these copies do not handle
exactly (a pattern with an operator, an attribute or predicate not listed below, a lemmatizer in another
mode or of another language's class) leaves that component as spaCy built it. `tests/test_fastrules.py`
compares every token attribute of both pipelines over real documents.
"""

from __future__ import annotations

import re
from typing import Any, cast

import numpy
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

from . import _NAMES, _strings

# the pattern keys handled, with the token column each reads (IS_SPACE, the last, is a flag; the rest strings)
_COLUMNS: list[int | str] = ["ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "IS_SPACE"]
_COLUMN_OF = {"ORTH": 0, "TEXT": 0, "LOWER": 1, "NORM": 2, "TAG": 3, "POS": 4, "DEP": 5, "IS_SPACE": 6}
_STRING_ATTRS = frozenset(_COLUMN_OF) - {"IS_SPACE"}

# a condition: (offset in the pattern, column, operator, argument); operators as below
_EQ, _IN, _NOT_IN, _REGEX = range(4)
Check = tuple[int, int, int, Any]
# a compiled pattern: (the ruler's attribute id, its length in tokens, the conditions left to check)
Entry = tuple[int, int, tuple[Check, ...]]


class _Unsupported(Exception):
    """A pattern this copy cannot match exactly: the component stays spaCy's."""


def _condition(offset: int, key: str, value: Any) -> Check:
    if key == "IS_SPACE":
        if not isinstance(value, bool):
            raise _Unsupported(key)
        return (offset, _COLUMN_OF[key], _EQ, value)
    if key not in _STRING_ATTRS:
        raise _Unsupported(key)
    column = _COLUMN_OF[key]
    if isinstance(value, str):
        return (offset, column, _EQ, value)
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            return (offset, column, _IN if op == "IN" else _NOT_IN, frozenset(arg))
        if op == "REGEX" and isinstance(arg, str):
            return (offset, column, _REGEX, re.compile(arg).search)
    raise _Unsupported(f"{key}: {value!r}")


class _Compiled:
    """The ruler's patterns, indexed by what their first token must be (its lowercase form, else its tag).

    The condition an index stands for is left out of the entry's checks: a candidate found through it
    has met it."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.size = len(ruler.attrs)
        self.matcher = ruler.matcher  # `clear`, `initialize` and loading make a new one: compile again
        self.by_lower: dict[str, list[Entry]] = {}
        self.by_tag: dict[str, list[Entry]] = {}
        self.always: list[Entry] = []
        self.match_ids: list[int] = []
        strings = ruler.vocab.strings
        for i in range(self.size):
            key = str(i)
            self.match_ids.append(strings.add(key))
            for pattern in ruler.matcher.get(key)[1]:
                if not pattern or any(not isinstance(spec, dict) or "OP" in spec for spec in pattern):
                    raise _Unsupported("an operator or an empty pattern")
                checks = [_condition(offset, k, v) for offset, spec in enumerate(pattern) for k, v in spec.items()]
                first = pattern[0]
                for name, index in (("LOWER", self.by_lower), ("TAG", self.by_tag)):
                    value = first.get(name)
                    if isinstance(value, dict) and list(value) == ["IN"]:
                        keys = list(dict.fromkeys(value["IN"]))
                    elif isinstance(value, str):
                        keys = [value]
                    else:
                        continue
                    column = _COLUMN_OF[name]
                    rest = tuple(c for c in checks if (c[0], c[1]) != (0, column))
                    for k in keys:
                        index.setdefault(k, []).append((i, len(pattern), rest))
                    break
                else:
                    self.always.append((i, len(pattern), tuple(checks)))


class FastAttributeRuler(AttributeRuler):
    """spaCy's attribute ruler with an indexed `match`; the same matches, so the same annotations."""

    _dossier_compiled: _Compiled | None = None

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        compiled = self._dossier_compiled
        if compiled is None or compiled.size != len(self.attrs) or compiled.matcher is not self.matcher:
            compiled = self._dossier_compiled = _Compiled(self)
        n = len(doc)
        if not n:
            return []
        strings = self.vocab.strings
        *hashes, spaces = doc.to_array(_COLUMNS).T.tolist()
        # each token's strings, through the token table's bounded cross-document cache (`nlp._strings`)
        rows: list[tuple[Any, ...]] = list(zip(*(_strings(col, strings, _NAMES) for col in hashes),
                                               (v == 1 for v in spaces), strict=True))
        found: set[tuple[int, int, int, int]] = set()
        by_lower, by_tag, always, match_ids = compiled.by_lower, compiled.by_tag, compiled.always, compiled.match_ids
        for start, row in enumerate(rows):
            for candidates in (by_lower.get(row[1]), by_tag.get(row[3]), always):
                if not candidates:
                    continue
                for attr_id, length, checks in candidates:
                    end = start + length
                    if end > n:
                        continue
                    for offset, column, op, arg in checks:
                        value = rows[start + offset][column]
                        if op == _EQ:
                            if value != arg:
                                break
                        elif op == _IN:
                            if value not in arg:
                                break
                        elif op == _NOT_IN:
                            if value in arg:
                                break
                        elif arg(value) is None:
                            break
                    else:
                        found.add((attr_id, match_ids[attr_id], start, end))
        return sorted(found)


_LEMMA_KEY: list[int | str] = ["ORTH", "POS", "MORPH", "LEMMA"]
_MAX_CACHED = 100_000  # about 25 MB of keys; 4,000 documents of the benchmark corpus make about 33,000


class FastLemmatizer(Lemmatizer):
    """A rule lemmatizer that finds each token's cache key from the token table; the same lemmas.

    Mixed into the loaded lemmatizer's own class (spaCy's `EnglishLemmatizer`), so `lemmatize` and
    `is_base_form` stay the language's own."""

    _dossier_lemmas: dict[tuple[int, int, int], int]

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            return self._dossier_lemmatize(doc)
        except Exception as e:
            error_handler(self.name, self, [doc], e)
            return doc

    def _dossier_lemmatize(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        cache = self.__dict__.setdefault("_dossier_lemmas", {})
        if len(cache) > _MAX_CACHED:  # bounded, so memory stays flat over a long stream of documents
            cache.clear()
        table = doc.to_array(_LEMMA_KEY)
        lemmas = table[:, 3].copy()
        overwrite = self.overwrite
        add = self.vocab.strings.add
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if overwrite or lemma == 0:
                key = (orth, pos, morph)
                h = cache.get(key)
                if h is None:
                    h = cache[key] = add(self.lemmatize(doc[i])[0])
                lemmas[i] = h
                changed = True
        if changed:
            # spaCy's stub types from_array's argument as thinc's Ints2d
            doc.from_array(["LEMMA"], lemmas.reshape(n, 1).astype(numpy.uint64))  # type: ignore[arg-type]
        return doc


class FastEnglishLemmatizer(FastLemmatizer, EnglishLemmatizer):
    """spaCy's English lemmatizer (its `is_base_form` reads only the part of speech and the morphology)."""


class FastRuleLemmatizer(FastLemmatizer, Lemmatizer):
    """spaCy's language-neutral lemmatizer."""


# the lemmatizers whose lemma is a function of (form, part of speech, morphology), and their faster copies
_FAST_LEMMATIZERS: dict[type, type] = {EnglishLemmatizer: FastEnglishLemmatizer, Lemmatizer: FastRuleLemmatizer}


def speed_up(nlp: Language) -> list[str]:
    """Swap the pipeline's attribute ruler and rule lemmatizer for the exact faster copies, in place.

    Returns the names of the components swapped; a component these copies cannot match exactly is left."""
    swapped = []
    for name, proc in nlp.pipeline:
        if type(proc) is AttributeRuler:
            try:
                proc._dossier_compiled = _Compiled(proc)  # type: ignore[attr-defined]
            except _Unsupported:
                continue
            proc.__class__ = FastAttributeRuler
            swapped.append(name)
        elif type(proc) in _FAST_LEMMATIZERS and cast(Lemmatizer, proc).mode == "rule":
            proc.__class__ = _FAST_LEMMATIZERS[type(proc)]
            swapped.append(name)
    return swapped
