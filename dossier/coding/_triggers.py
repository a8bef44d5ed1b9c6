"""Stage 1, triggers: which words start an event pattern (verbs.txt), and the clause facts around them.

`_match` picks, for one token, the most specific pattern of verbs.txt whose words all sit in the token's
local subtree (or, when word vectors are on, the covered verb nearest in meaning). The helpers read
negation, auxiliaries, clause markers, voice and headline conventions off the parse; `dep_path`
renders the dependency path every rule explanation shows.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Token

from ..nlp import TokenTable, dep_tree, token_starts, token_table
from ._config import CodingConfig
from ._resources import VerbPattern

ARG_DEPS_EXCLUDED = {"nsubj", "nsubjpass", "csubj", "csubjpass", "ccomp", "advcl", "conj", "cc", "parataxis",
                     "relcl", "punct", "mark", "xcomp", "aux", "auxpass", "neg", "agent", "acl"}
NEG_WORDS = {"not", "n't", "never", "no"}
NAME_ENTS = {"ORG", "GPE", "LOC", "FAC", "PERSON", "NORP", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT"}


def dep_path(a: Token, b: Token) -> str:
    """Dependency path from token a to token b: 'send >nsubj President >appos Meslet'."""
    tt = token_table(a.doc)
    text, dep = tt.text, tt.dep
    if a.i == b.i:
        return text[a.i]
    heads = dep_tree(a.doc)[0]
    up_a = [a.i]
    while heads[up_a[-1]] != up_a[-1]:
        up_a.append(heads[up_a[-1]])
    up_b = [b.i]
    while heads[up_b[-1]] != up_b[-1]:
        up_b.append(heads[up_b[-1]])
    ids_b = {t: k for k, t in enumerate(up_b)}
    k_a = next((k for k, t in enumerate(up_a) if t in ids_b), len(up_a) - 1)
    lca = up_a[k_a]
    parts = [text[a.i]]
    for t in up_a[:k_a]:
        parts.append(f"<{dep[t]} {text[heads[t]]}")
    down = up_b[: ids_b.get(lca, len(up_b))]
    for t in reversed(down):
        parts.append(f">{dep[t]} {text[t]}")
    return " ".join(parts)


# The clause helpers below read a token's children from the document's tables (nlp.dep_tree, token_table): the
# same answers as walking `Token.children`, without building a token per child.
def _negated(t: Token) -> bool:
    tt = token_table(t.doc)
    dep, lower = tt.dep, tt.lower
    return any(dep[c] == "neg" or (lower[c] in NEG_WORDS and dep[c] in {"advmod", "neg", "det"})
               for c in dep_tree(t.doc)[1][t.i])


def _has_aux(t: Token, words: set[str] | frozenset[str]) -> bool:
    """Whether t has one of these auxiliaries ("will", "would"; "must", "should")."""
    return _has_aux_at(t.doc, t.i, words)


def _has_aux_at(doc: Doc, i: int, words: set[str] | frozenset[str]) -> bool:
    """`_has_aux` of token i, from the document's tables (without building the token)."""
    tt = token_table(doc)
    dep, lower = tt.dep, tt.lower
    return any(dep[c] == "aux" and lower[c] in words for c in dep_tree(doc)[1][i])


def _clause_markers(t: Token) -> set[str]:
    """Subordinators of t's adverbial clauses: {"unless"} for "X will strike unless Y withdraws"."""
    tt = token_table(t.doc)
    dep, lower = tt.dep, tt.lower
    children = dep_tree(t.doc)[1]
    return {lower[m] for ch in children[t.i] if dep[ch] == "advcl" for m in children[ch] if dep[m] == "mark"}


def _sent_bounds(sent: Any) -> tuple[int, int]:
    """Character offsets of a sentence in its document (its first token's start, its last token's end), read from
    the document's tables."""
    doc = sent.doc
    last = sent.end - 1
    starts = token_starts(doc)
    return starts[sent.start], starts[last] + len(token_table(doc).text[last])


def _headline_infinitive(t: Token) -> bool:
    """'Turkey to send troops to Libya': a headline's bare 'to' + verb announces what will happen."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
        return False
    if t.dep_ == "ROOT":
        return any(c.dep_ == "nsubj" for c in t.children)
    return t.dep_ in {"relcl", "acl"} and t.head.dep_ == "ROOT" and t.head.pos_ in {"PROPN", "NOUN"}


def _headline_clause(t: Token) -> bool:
    """The main verb of a headline (a short line without final punctuation), bare: no auxiliary, no object."""
    if t.dep_ != "ROOT" or t.tag_ not in {"VBD", "VBN"}:
        return False
    if any(c.dep_ in {"aux", "auxpass", "dobj", "nsubjpass", "ccomp", "xcomp"} for c in t.children):
        return False
    if not any(c.dep_ == "nsubj" for c in t.children):
        return False
    return _headline(t)


def _headline(t: Token) -> bool:
    """Whether t stands in a headline: a short line without final punctuation."""
    sent = t.sent
    last = sent[-1]
    while last.is_space and last.i > sent.start:
        last = t.doc[last.i - 1]
    return len(sent) <= 20 and last.text not in {".", "!", "?", "\"", "'", "”", ")"}


def _passive(t: Token) -> bool:
    dep = token_table(t.doc).dep
    return any(dep[c] in {"auxpass", "nsubjpass"} for c in dep_tree(t.doc)[1][t.i])


def _local(t: Token, depth: int = 4, subject: bool = False) -> list[tuple[int, str, str]]:
    """The words near a trigger, as (index, lemma, lower case), in the order of a depth-first walk from it
    (read from the document's token tables, without building the tokens). `subject`: its subject's words too."""
    doc = t.doc
    tt = token_table(doc)
    heads, children = dep_tree(doc)[:2]
    dep, pos, lemma, lower = tt.dep, tt.pos, tt.lemma, tt.lower
    out: list[tuple[int, str, str]] = []
    # a headline's participle may be passive with its patient as subject ("Curfew lifted in Istanbul")
    hl = _headline_clause(t)
    # a passive's subject is its object ("the curfew was lifted", "sanctions were imposed on X")
    passive = _passive(t)
    stack = [(c, 1) for c in children[t.i] if dep[c] not in ARG_DEPS_EXCLUDED or ((hl or subject) and dep[c] == "nsubj")
             or (passive and dep[c] == "nsubjpass")]
    if dep[t.i] == "acl" and t.tag_ == "VBN":
        # a participle's noun is its patient ("sanctions imposed on Iran", "Curfew Imposed After Clashes")
        stack.append((heads[t.i], depth))
    while stack:
        c, d = stack.pop()
        out.append((c, lemma[c], lower[c]))
        if d < depth:
            # coordinated nouns are one object: "launched air and artillery strikes"
            stack.extend((g, d + 1) for g in children[c] if dep[g] not in {"relcl", "ccomp", "advcl", "acl",
                                                                           "punct", "nsubj", "conj"}
                         or (dep[g] == "conj" and pos[g] == "NOUN" and pos[c] == "NOUN"))
    return out


def _pattern_kind(pos: str, dep: str, ent_type: str) -> bool | None:
    """Which patterns a word may start: a verb's (False), a noun's (True) or none (None). A copula heading its
    clause counts as a verb ("said it is skeptical about ..."); a noun inside a name never triggers ("the Syrian
    Opposition Coalition" is not an opposition event)."""
    if pos == "VERB" or (pos == "AUX" and dep not in {"aux", "auxpass"}):
        return False
    if pos == "NOUN" and ent_type not in NAME_ENTS:
        return True
    return None


def _may_match(cfg: CodingConfig, tt: TokenTable, k: int) -> bool:
    """False when `_match` certainly finds nothing for token k: the same first checks, read from the document's
    token table without building the token (most words start no pattern)."""
    noun = _pattern_kind(tt.pos[k], tt.dep[k], tt.ent_type[k])
    if noun is None:
        return False
    verbs = cfg.res.verbs
    return bool(verbs.get((tt.lemma[k], noun)) or verbs.get((tt.lower[k], noun))) or (
        tt.pos[k] == "VERB" and cfg.similar.active)


def _doc_words(doc: Doc) -> set[str]:
    """Every lemma and lower-case form in the document, built once per document (the words near any trigger are
    among them)."""
    words: set[str] | None = doc.user_data.get("dossier.words")
    if words is None:
        tt = token_table(doc)
        words = doc.user_data["dossier.words"] = set(tt.lemma) | set(tt.lower)
    return words


def _match(cfg: CodingConfig, t: Token) -> tuple[VerbPattern, set[int]] | None:
    doc = t.doc
    i = t.i
    tt = token_table(doc)  # the token's attributes, read from the document's table
    noun = _pattern_kind(tt.pos[i], tt.dep[i], tt.ent_type[i])
    if noun is None:
        return None
    pats = cfg.res.verbs.get((tt.lemma[i], noun)) or cfg.res.verbs.get((tt.lower[i], noun))
    if not pats:
        if tt.pos[i] == "VERB" and cfg.similar.active:
            near = cfg.similar.nearest(tt.lemma[i])
            if near is not None:
                p, sim = near
                return VerbPattern(p.cameo, tt.lemma[i], False, (), (),
                                   f'similar to "{p.trigger}" {sim:.2f} ({p.source})'), set()
        return None
    # the words near the trigger as (index, lemma, lower case) with the set of their lemmas and lower-case forms,
    # read once per trigger and only when a pattern has words beyond its trigger that all stand in the document;
    # keyed by whether the subject's words count too (`subject=1`: "troops arrived in Mali")
    walks: dict[bool, tuple[list[tuple[int, str, str]], set[str]]] = {}
    doc_words: set[str] | None = None
    best: tuple[tuple[int, int, int], VerbPattern, set[int]] | None = None
    for p in pats:
        items = p.items
        if best is not None and len(items) < best[0][0]:
            break  # patterns are sorted most specific first
        words: list[tuple[int, str, str]] = []
        if items:
            if doc_words is None:
                doc_words = _doc_words(doc)
            if not doc_words.issuperset(items):
                continue  # a word of the pattern is nowhere in the document, so nowhere near
            # ... or the verb is one of ending with no object and the pattern a yield: "the fighting ended",
            # "hostilities stopped" ("the talks ended" is no halt of negotiations by anyone)
            subject = p.option("subject") == "1" or (tt.lemma[i] in cfg.ending_verbs and p.cameo.startswith("08")
                                                     and not any(c.dep_ == "dobj" for c in t.children))
            if subject not in walks:
                walk = _local(t, subject=subject)
                walks[subject] = walk, {w for _, lemma, lower in walk for w in (lemma, lower)}
            words, near_words = walks[subject]
            if not near_words.issuperset(items):
                continue  # a word of the pattern is nowhere near
        used: set[int] = set()
        ok = True
        for item in items:
            hit = next((k for k, lemma, lower in words if k not in used and (lemma == item or lower == item)), None)
            if hit is None:
                ok = False
                break
            used.add(hit)
        if not ok:
            continue
        if p.option("passive_only") == "1" and not _passive(t):
            continue
        if p.option("active_only") == "1" and _passive(t):
            continue
        if not _object_fits(cfg, t, p):
            continue
        # among equally long patterns, prefer the one whose words are content words near the
        # trigger ("withdraw inspector" over "withdraw from"), then the earlier line
        pos, heads = tt.pos, dep_tree(doc)[0]
        content = sum(1 for k in used if pos[k] in {"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
        nearness = -sum(heads[k] != i for k in used)
        key = (len(p.items), content, nearness)
        if best is None or key > best[0]:
            best = (key, p, used)
    return (best[1], best[2]) if best else None


# Places as objects: "troops defended the city" is no verbal defence (frames.toml [senses] place_nouns).
PLACE_ENTS = {"GPE", "LOC", "FAC"}


def _direct_objects(t: Token) -> list[Token]:
    """The trigger's direct objects (its passive subject when passive)."""
    deps = {"nsubjpass"} if _passive(t) else {"dobj"}
    return [c for c in t.children if c.dep_ in deps]


def _object_fits(cfg: CodingConfig, t: Token, p: VerbPattern) -> bool:
    """Options on the trigger's object: `needs=object` (one must be there: "returned the paintings to Italy",
    not "returned to Italy") and `object_not=place` ("defended Russia's position", not "defended the city")."""
    needs = (p.option("needs") or "").split("+")
    avoid = p.option("object_not")
    if "object" not in needs and avoid is None:
        return True
    objs = _direct_objects(t) if not p.noun else []
    if "object" in needs and not objs:
        return False
    if avoid == "place":
        return not any(o.ent_type_ in PLACE_ENTS or o.lemma_.lower() in cfg.place_nouns for o in objs)
    return True
