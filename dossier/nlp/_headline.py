"""Headlines: title-case and all-caps lines are parsed from a case-normalised copy.

"Kenya Leader Criticizes Germany's Response to Crisis" is read by the small English model as a
string of proper nouns. The fix is the one a reader applies: write the line in sentence case,
keeping the capitals of names, parse that, and put the parse back on the original words (the copy
has the same length and the same tokens, so every offset stays the document's own).

A word keeps its capitals when it is part of a known name (actor dictionaries, large places), an
acronym, or not an English word at all (an unknown word in a headline is most likely a name);
every other word is lower-cased. Only lines that look like headlines are touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.tokens import Doc

from . import NLPLike, token_table

_WORD = re.compile(r"[^\W\d_][\w'’.\-]*", re.UNICODE)
_ACRONYM = re.compile(r"^(?:[A-Z]{2,6}s?|(?:[A-Z]\.){2,}[A-Z]?\.?)$")
# the parse attributes carried from the normalised copy to the original words
_ATTRS: list[int | str] = ["TAG", "POS", "MORPH", "DEP", "HEAD", "LEMMA", "ENT_IOB", "ENT_TYPE"]
MAX_NAME_WORDS = 6
MAX_HEADLINE_WORDS = 30


def _cap(w: str) -> bool:
    return w[:1].isupper()


def _all_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def headline_case(line: str) -> bool:
    """A title-case or all-caps line: most words of four letters or more after the first start upper-case."""
    words = _WORD.findall(line)
    if len(words) < 3 or len(words) > MAX_HEADLINE_WORDS:
        return False
    if _all_caps(line):
        return True
    long_words = [w for w in words[1:] if len(w) >= 4 and w[:1].isalpha()]
    if len(long_words) < 2:
        return False
    return sum(_cap(w) for w in long_words) / len(long_words) >= 0.75


class HeadlineCaser:
    """Writes headline lines in sentence case, same length, names kept."""

    def __init__(self, nlp: NLPLike, names: Iterable[str], is_place: Callable[[str], bool] | None = None) -> None:
        self.english: set[str] = set()
        self.rules: list[tuple[str, str]] = []
        self.exceptions: set[str] = set()
        if "lemmatizer" in nlp.pipe_names:
            lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
            if lookups.has_table("lemma_index"):
                index = lookups.get_table("lemma_index")
                for pos in ("noun", "verb", "adj", "adv"):
                    self.english.update(index.get(pos, []))
            if lookups.has_table("lemma_rules"):
                rules = lookups.get_table("lemma_rules")
                for pos in ("noun", "verb", "adj"):
                    self.rules.extend((old, new) for old, new in rules.get(pos, []))
            if lookups.has_table("lemma_exc"):
                exc = lookups.get_table("lemma_exc")
                for pos in ("noun", "verb", "adj", "adv"):
                    self.exceptions.update(exc.get(pos, {}).keys())
        self.names = {n.lower() for n in names if n[:1].isupper() or n[:1].isdigit()}
        self.is_place = is_place

    def _english(self, w: str) -> bool:
        w = re.sub(r"['’]s$", "", w.lower()).strip(".'’")
        if not w or w in self.english or w in self.exceptions:
            return True
        return any(w.endswith(old) and (w[: len(w) - len(old)] + new) in self.english for old, new in self.rules)

    def normalise_line(self, line: str) -> str:
        spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(line)]
        keep = [False] * len(spans)
        i = 0
        while i < len(spans):  # longest known name first
            for n in range(min(MAX_NAME_WORDS, len(spans) - i), 0, -1):
                phrase = line[spans[i][0]:spans[i + n - 1][1]]
                low = phrase.lower()
                if low in self.names or (n > 1 and self.is_place is not None and all(_cap(s[2]) for s in
                                                                                       spans[i:i + n])
                                         and self.is_place(phrase)):
                    for k in range(i, i + n):
                        keep[k] = True
                    i += n
                    break
            else:
                i += 1
        out = list(line)
        caps = _all_caps(line)
        for k, (s, _e, w) in enumerate(spans):
            if caps and keep[k]:
                titled = w[:1] + w[1:].lower()  # "MALI" -> "Mali": a name, written as names are
                if len(titled) == len(w):
                    out[s:s + len(w)] = titled
                continue
            if keep[k] or (not caps and _ACRONYM.match(w)):
                continue
            if not self._english(w):  # an unknown word in a headline is most likely a name
                if caps and len(w) > 3:
                    out[s:s + len(w)] = w[:1] + w[1:].lower()
                continue
            # an English word that is also some place's name ("Capital", "Mobile") is read as the word; the
            # names the dictionaries know (countries, capitals, "Turkey", "Chad") were kept above
            lowered = w.lower()
            if k == 0:
                lowered = lowered[:1].upper() + lowered[1:]
            if len(lowered) == len(w):
                out[s:s + len(w)] = lowered
        return "".join(out)

    def normalise(self, text: str) -> str | None:
        """The text with its headline lines in sentence case, or None when no line is a headline."""
        changed = False
        lines = text.split("\n")
        for j, line in enumerate(lines):
            if headline_case(line):
                new = self.normalise_line(line)
                if new != line:
                    lines[j] = new
                    changed = True
        return "\n".join(lines) if changed else None


def transplant(nlp: NLPLike, text: str, parsed: Doc) -> Doc | None:
    """The original words of `text` carrying the parse of its normalised copy; None if tokens differ."""
    original = nlp.make_doc(text)
    if len(original) != len(parsed) or any(a.idx != b.idx or len(a) != len(b) for a, b in zip(original, parsed,
                                                                                               strict=True)):
        return None
    # spaCy's stub types to_array's result as a float array and from_array's argument as thinc's Ints2d
    original.from_array(_ATTRS, parsed.to_array(_ATTRS))  # type: ignore[arg-type]
    return original


# ---------------------------------------------------------------------------------- verbless lines
# "Hundreds Rally in Capital", "Sudan Denounces Actions By Brazil", "Dozens march in downtown demonstration":
# the small model reads a headline's present-tense verb after a plural or name subject as one more noun,
# and the line has no verb at all. A reader knows the word is the verb. The line is parsed once more with
# that word in its past-tense form (the same number of tokens; a past form is never a noun), and its parse
# is grafted onto the original words when the word is then read as a verb. Nothing else changes.
_GRAFT_ATTRS: list[int | str] = ["TAG", "POS", "MORPH", "DEP", "HEAD", "LEMMA", "ENT_IOB", "ENT_TYPE"]
_NOMINAL = {"NOUN", "PROPN", "NUM", "PRON"}
_VOWELS = set("aeiou")


class VerblessRepair:
    """Re-reads verbless sentences whose verb the tagger took for a noun (see the comment above)."""

    def __init__(self, nlp: NLPLike, verb_lemmas: Iterable[str]) -> None:
        self.nlp = nlp
        self.verbs = {v for v in verb_lemmas if v.isalpha()}
        self.irregular: dict[str, str] = {}
        if "lemmatizer" in nlp.pipe_names:
            lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
            if lookups.has_table("lemma_exc"):
                for form, lemmas in lookups.get_table("lemma_exc").get("verb", {}).items():
                    if form.endswith(("ing", "s")) or not form.isalpha():
                        continue
                    for lemma in lemmas:
                        old = self.irregular.get(lemma)
                        if lemma in self.verbs and form != lemma and (old is None or len(form) < len(old)):
                            self.irregular[lemma] = form

    def past(self, lemma: str) -> str:
        if lemma in self.irregular:
            return self.irregular[lemma]
        if lemma.endswith("e"):
            return lemma + "d"
        if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in _VOWELS:
            return lemma[:-1] + "ied"
        if (len(lemma) <= 4 and len(lemma) >= 3 and lemma[-1] not in _VOWELS | set("wxy")
                and lemma[-2] in _VOWELS and lemma[-3] not in _VOWELS):
            return lemma + lemma[-1] + "ed"  # ban -> banned, stop -> stopped
        return lemma + "ed"

    def _lemma(self, word: str) -> str | None:
        w = word.lower()
        for cand in (w, w[:-1] if w.endswith("s") else "", w[:-2] if w.endswith("es") else "",
                     w[:-3] + "y" if w.endswith("ies") else ""):
            if cand and cand in self.verbs:
                return cand
        return None

    def _candidates(self, sent: Any) -> list[tuple[int, str]]:
        if len(sent) < 3 or any(p in {"VERB", "AUX"} for p in token_table(sent.doc).pos[sent.start:sent.end]):
            return []  # most sentences have a verb: known from the document's table, without building tokens
        toks = list(sent)
        out = []
        for k in range(1, len(toks)):
            t = toks[k]
            if t.pos_ not in {"NOUN", "PROPN"} or toks[k - 1].pos_ not in _NOMINAL or t.ent_type_:
                continue
            lemma = self._lemma(t.text)
            if lemma is not None:
                out.append((t.i, lemma))
        return out

    def repair(self, doc: Doc, copy: str | None = None) -> Doc:
        """The document with each repairable verbless sentence re-read; the same Doc when there is none.
        `copy`: the sentence-case copy a headline was parsed from (same offsets), whose words are re-read."""
        fixes: list[tuple[int, int, Doc]] = []
        reroots: list[tuple[int, int]] = []  # (noun, participle): a misread finite verb (see below)
        for sent in doc.sents:
            reroot = _participle_root(sent)
            if reroot is not None:
                reroots.append(reroot)  # such a sentence has a verb, so it is no verbless one
                continue
            for i, lemma in self._candidates(sent):  # the first word that is then read as the line's main verb
                pieces = []
                for t in sent:
                    word = self.past(lemma) if t.i == i else (copy[t.idx:t.idx + len(t)] if copy else t.text)
                    pieces.append(word + t.whitespace_)
                reread = self.nlp("".join(pieces))
                if len(reread) == len(sent) and reread[i - sent.start].pos_ == "VERB" \
                        and reread[i - sent.start].dep_ == "ROOT":
                    fixes.append((sent.start, sent.end, reread))
                    break
        if not fixes and not reroots:
            return doc
        arr = doc.to_array(_GRAFT_ATTRS)
        for start, end, reread in fixes:
            arr[start:end] = reread.to_array(_GRAFT_ATTRS)
        if reroots:
            _reroot(doc, arr, reroots)
        out = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        out.from_array(_GRAFT_ATTRS, arr)  # type: ignore[arg-type]  # to_array's stub: float; from_array's: Ints2d
        return out


# ---------------------------------------------------------------------------------- participles as roots
# "A powerful earthquake killed at least 300 people", "The Government of Armenia on June 16 condemned ...":
# the small model sometimes reads a sentence's finite past verb as a participle of its subject noun ("an
# earthquake [that was] killed ...") and makes the noun the root of a sentence with no other verb. A passive
# participle takes no direct object, so such a participle with a direct object or an object predicate is the
# sentence's verb: it becomes the root, the noun its subject, and the noun's words after it the verb's. A
# participle set off by a comma ("The team, named the Rebels, ...") is a true modifier and is left alone.
_OBJECTS = {"dobj", "oprd", "dative"}
_CLAUSE_DEPS = {"nsubj", "nsubjpass", "aux", "auxpass", "mark"}


def _participle_root(sent: Any) -> tuple[int, int] | None:
    """(noun, participle) token indices when the sentence is such a misread clause, else None."""
    tt = token_table(sent.doc)
    if not any(tt.dep[k] == "acl" and tt.pos[k] == "VERB" for k in range(sent.start, sent.end)):
        return None  # most sentences: known from the document's table, without building tokens
    root = sent.root
    if root.pos_ not in {"NOUN", "PROPN"}:
        return None
    for v in root.children:
        if (v.dep_ == "acl" and v.tag_ in {"VBN", "VBD"} and v.i > root.i
                and any(c.dep_ in _OBJECTS for c in v.children)
                and not any(c.dep_ in _CLAUSE_DEPS for c in v.children)
                and v.doc[v.i - 1].dep_ != "punct"):
            inside = set(range(v.left_edge.i, v.right_edge.i + 1))
            if any(tt.pos[k] in {"VERB", "AUX"} for k in range(sent.start, sent.end) if k not in inside):
                return None  # another verb: the participle may well be a modifier
            return root.i, v.i
    return None


def _reroot(doc: Doc, arr: Any, fixes: list[tuple[int, int]]) -> None:
    """Rewrite the HEAD, DEP and TAG columns of `arr` (`doc.to_array(_GRAFT_ATTRS)`) for each (noun,
    participle): the participle is the root (past tense), the noun its subject, the noun's later words its own."""
    strings = doc.vocab.strings
    col = {a: k for k, a in enumerate(_GRAFT_ATTRS)}
    for n, v in fixes:
        heads = {t.i: t.head.i for t in doc[n].sent}
        heads[v], heads[n] = v, v
        for c in doc[n].children:
            if c.i > v:
                heads[c.i] = v  # the sentence's closing words: punctuation, a final clause
        for i, h in heads.items():
            arr[i, col["HEAD"]] = numpy.uint64(h - i) if h >= i else numpy.uint64(2**64 + (h - i))
        arr[v, col["DEP"]] = strings.add("ROOT")
        arr[n, col["DEP"]] = strings.add("nsubj")
        arr[v, col["TAG"]] = strings.add("VBD")
        for c in doc[v].children:
            if c.dep_ == "oprd" and c.pos_ in {"NOUN", "PROPN", "PRON"}:
                arr[c.i, col["DEP"]] = strings.add("dobj")  # "called Erdogan": the object, not a predicate
