"""The event coder: rules from data files applied to spaCy's dependency parse.

`Coder.code(document, doc)` is a pure function of the document, its parse and the loaded
resources. Per sentence it
  1. finds triggers: tokens whose lemma starts a pattern in verbs.txt (most specific wins);
  2. applies frames (frames.toml): a complement governed by threaten / promise / urge / refuse,
     or by a future auxiliary, becomes one THREATEN / AGREE / REQUEST / REJECT event;
  3. finds actor and recipient by voice (active subject/object, passive "by" agent/subject),
     datives and prepositions, and resolves them to codes (_actors.py);
  4. marks negation and attribution: events inside what someone said are `attributed_to` the
     speaker, and a speaker who states that a third party committed a hostile act ACCUSES it;
  5. attaches references and, when a geoparser is given, a location.
A sentence whose words match no pattern yields no event: there is no fallback code.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from spacy.language import Language
from spacy.tokens import Doc, Token

from .._version import CODER_VERSION
from ..model import ActorMention, CodedDocument, Document, Event, Location, Reference, Span, make_event_id
from ..nlp import doc_text, token_starts
from ..nlp._headline import HeadlineCaser, VerblessRepair, transplant
from ._actors import ActorResolver
from ._factuality import FRAME_KIND, Act, FactualityReader
from ._references import extract_references
from ._resources import Resources, VerbPattern, load_resources
from ._similar import SimilarVerbs

ARG_DEPS_EXCLUDED = {"nsubj", "nsubjpass", "csubj", "csubjpass", "ccomp", "advcl", "conj", "cc", "parataxis",
                     "relcl", "punct", "mark", "xcomp", "aux", "auxpass", "neg", "agent", "acl"}
RECIPIENT_PREPS = ("to", "against", "on", "upon", "with", "at", "toward", "towards", "into", "from", "over", "for")
STANCE_NOUNS = {"protest", "defiance", "opposition", "solidarity", "retaliation", "response", "support"}
NOUN_RECIPIENT_PREPS = ("on", "against", "of", "to", "with", "in", "at", "toward", "towards", "upon")
NEG_WORDS = {"not", "n't", "never", "no"}
NAME_ENTS = {"ORG", "GPE", "LOC", "FAC", "PERSON", "NORP", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT"}
# arcs by which a clause hangs under the verb that reports it ("X said [that] ...", "X proved [that] ...")
ATTRIBUTION_ARCS = {"ccomp", "parataxis", "dobj", "xcomp"}
# roots of the hostile acts a speaker is taken to accuse someone of (coercion and violence)
ACCUSABLE_ROOTS = {"17", "18", "19", "20"}
# When no recipient sits on the verb, events often name it further down ("staged a hunger strike in
# protest against the violations by Algerian security forces", "agreed to an extension of the mandate
# for the force in Lebanon"): the complements are searched breadth-first, never into another clause.
DEEP_TARGET_ARCS = {"prep", "pobj", "dobj", "advcl", "xcomp", "pcomp", "acl", "poss", "agent", "conj", "appos"}


class GeoparserLike(Protocol):
    def places(self, doc: Doc) -> list[Location]: ...

    def event_location(self, doc: Doc, places: list[Location], trigger_i: int,
                       target_token_ids: list[int]) -> Location | None: ...


@dataclass
class Candidate:
    """A matched trigger before frames and actors are applied."""

    token: Token
    pattern: VerbPattern
    consumed: set[int]
    code: str
    rule: list[str] = field(default_factory=list)
    frame_token: Token | None = None
    frame_name: str | None = None
    suppressed: bool = False
    negated: bool = False
    neg_consumed: bool = False  # the negation was read into the code ("will not accept" -> REJECT)
    obliged: bool = False  # "Y must ..." under a speech verb: the speaker requests it of Y
    headline_passive: bool = False  # "Six indicted by grand jury": a headline's bare passive participle
    base_code: str = ""  # the act's own code before a frame recoded it ("release" under "urged")

    def __post_init__(self) -> None:
        self.base_code = self.base_code or self.code


def dep_path(a: Token, b: Token) -> str:
    """Dependency path from token a to token b: 'send >nsubj President >appos Meslet'."""
    if a.i == b.i:
        return a.text
    up_a = [a]
    while up_a[-1].head.i != up_a[-1].i:
        up_a.append(up_a[-1].head)
    up_b = [b]
    while up_b[-1].head.i != up_b[-1].i:
        up_b.append(up_b[-1].head)
    ids_b = {t.i: k for k, t in enumerate(up_b)}
    k_a = next((k for k, t in enumerate(up_a) if t.i in ids_b), len(up_a) - 1)
    lca = up_a[k_a]
    parts = [a.text]
    for t in up_a[:k_a]:
        parts.append(f"<{t.dep_} {t.head.text}")
    down = up_b[: ids_b.get(lca.i, len(up_b))]
    for t in reversed(down):
        parts.append(f">{t.dep_} {t.text}")
    return " ".join(parts)


def _negated(t: Token) -> bool:
    return any(c.dep_ == "neg" or (c.lower_ in NEG_WORDS and c.dep_ in {"advmod", "neg", "det"}) for c in t.children)


def _has_aux(t: Token, words: set[str]) -> bool:
    """Whether t has one of these auxiliaries ("will", "would"; "must", "should")."""
    return any(c.dep_ == "aux" and c.lower_ in words for c in t.children)


def _clause_markers(t: Token) -> set[str]:
    """Subordinators of t's adverbial clauses: {"unless"} for "X will strike unless Y withdraws"."""
    return {m.lower_ for ch in t.children if ch.dep_ == "advcl" for m in ch.children if m.dep_ == "mark"}


def _sent_bounds(sent: Any) -> tuple[int, int]:
    """Character offsets of a sentence in its document."""
    return sent[0].idx, sent[-1].idx + len(sent[-1].text)


# entity types that never name an actor, and those that name one the dictionaries may lack
NON_ACTOR_ENTS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL", "LAW", "EVENT",
                  "WORK_OF_ART", "LANGUAGE", "PRODUCT"}
NAMED_ACTOR_ENTS = {"PERSON", "ORG", "NORP", "GPE"}


class Coder:
    """Codes documents into events. Load once per process; `code` is pure."""

    def __init__(
        self,
        nlp: Language | None = None,
        resources: Resources | None = None,
        geoparser: GeoparserLike | None = None,
        place_country: Callable[[str], str | None] | None = None,
        is_place: Callable[[str], bool] | None = None,
    ) -> None:
        if nlp is None:
            from ..nlp import load_nlp

            nlp = load_nlp()
        self.nlp = nlp
        self.res = resources or load_resources()
        self.geoparser = geoparser
        self.place_country = place_country
        self.is_place = is_place
        self.headlines = HeadlineCaser(nlp, self.res.names, is_place)
        self.verbless = VerblessRepair(nlp, (p.trigger for ps in self.res.verbs.values() for p in ps if not p.noun))
        fr: dict[str, Any] = self.res.frames  # type: ignore[assignment]
        self.frames: dict[str, dict[str, Any]] = fr.get("frames", {})
        self.frame_of: dict[str, str] = {}
        for name, f in self.frames.items():
            for lemma in f.get("lemmas", []):
                self.frame_of.setdefault(lemma, name)
        self.intent_adjs = set(self.frames.get("intend", {}).get("adjectives", []))
        self.symmetric = tuple(fr.get("symmetric", {}).get("cameo_prefixes", []))
        self.appeal_lemmas = set(self.frames.get("request", {}).get("appeal_lemmas", []))
        mod = fr.get("modality", {})
        self.future_aux = set(mod.get("future_auxiliaries", []))
        self.conditional = set(mod.get("conditional_markers", []))
        self.obligation_aux = set(mod.get("obligation_auxiliaries", []))
        self.mode_words: dict[str, dict[str, list[str]]] = fr.get("modes", {})
        self.agency_nouns = set(fr.get("agency", {}).get("nouns", []))
        self.light_verbs = set(fr.get("agency", {}).get("light_verbs", []))
        self.occurrence_verbs = set(fr.get("agency", {}).get("occurrence_verbs", []))
        self.characterizing = set(fr.get("agency", {}).get("characterizing_verbs", []))
        sp = fr.get("speech", {})
        self.speech_lemmas = set(sp.get("lemmas", []))
        self.accuse_code = sp.get("accuse_code", "112")
        self.factuality = FactualityReader()
        for pats in self.res.verbs.values():
            for p in pats:
                if p.option("speech") == "1" or (not p.cameo and not p.noun):
                    self.speech_lemmas.add(p.trigger)
        sim = fr.get("similarity", {})
        never = (self.speech_lemmas | set(self.frame_of) | self.light_verbs | self.occurrence_verbs
                 | self.characterizing | set(sim.get("never", [])))
        self.similar = SimilarVerbs(self.nlp.vocab, (p for ps in self.res.verbs.values() for p in ps),
                                    float(sim.get("threshold", 1.0)), never)

    # ------------------------------------------------------------------ public API
    def code(self, document: Document, doc: Doc | None = None) -> CodedDocument:
        if doc is None:
            doc = self.parse([document.text])[0]
        resolver = ActorResolver(self.res, self.nlp, doc, document.date, self.place_country)
        # read the document in order once, so names and pronouns resolve as a reader would
        for t in doc:
            if t.pos_ in {"NOUN", "PROPN", "PRON"} and t.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "appos",
                                                                  "dative", "poss", "conj", "attr", "ROOT"}:
                resolver.resolve(t)
        references = extract_references(document.text)
        places: list[Location] = []
        if self.geoparser is not None:
            try:
                places = self.geoparser.places(doc)
            except Exception:  # one bad place never drops the document's events
                places = []
        sentences: list[Span] = []
        events: list[Event] = []
        text = doc_text(doc)
        for si, sent in enumerate(s for s in doc.sents if text[slice(*_sent_bounds(s))].strip()):
            start, end = _sent_bounds(sent)
            sentences.append(Span(text[start:end].rstrip(), start, start + len(text[start:end].rstrip())))
            events.extend(self._code_sentence(document, doc, sent, si, resolver, references, places))
        return CodedDocument(document, sentences, _unique_ids(events), references, places)

    def code_many(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[CodedDocument]:
        """Code a stream of documents, parsing them in batches through one pipeline."""
        docs = list(documents) if not isinstance(documents, list) else documents
        for document, parsed in zip(docs, self.parse([d.text for d in docs], batch_size=batch_size), strict=True):
            yield self.code(document, parsed)

    def parse(self, texts: list[str], batch_size: int = 32) -> list[Doc]:
        """Parse texts in one batch; headline lines are parsed from their sentence-case copy."""
        copies = [self.headlines.normalise(t) for t in texts]
        from ..nlp import parse_long  # long documents and over-long sentences are parsed in pieces

        parsed = list(parse_long([c or t for c, t in zip(copies, texts, strict=True)], self.nlp, batch_size))
        for k, (text, copy) in enumerate(zip(texts, copies, strict=True)):
            if copy is not None:
                # same length, same tokens: the original words take the copy's parse
                parsed[k] = transplant(self.nlp, text, parsed[k]) or self.nlp(text)
            parsed[k] = self.verbless.repair(parsed[k], copy)
        return parsed

    # ------------------------------------------------------------------ triggers
    def _local(self, t: Token, depth: int = 4) -> list[Token]:
        out: list[Token] = []
        # a headline's participle may be passive with its patient as subject ("Curfew lifted in Istanbul")
        hl = _headline_clause(t)
        stack = [(c, 1) for c in t.children if c.dep_ not in ARG_DEPS_EXCLUDED or (hl and c.dep_ == "nsubj")]
        while stack:
            c, d = stack.pop()
            out.append(c)
            if d < depth:
                stack.extend((g, d + 1) for g in c.children if g.dep_ not in {"relcl", "ccomp", "advcl", "acl",
                                                                              "punct", "nsubj", "conj"})
        return out

    def _match(self, t: Token) -> tuple[VerbPattern, set[int]] | None:
        if t.pos_ in {"VERB"} or (t.pos_ == "AUX" and t.dep_ == "ROOT"):
            pats = self.res.verbs.get((t.lemma_.lower(), False)) or self.res.verbs.get((t.lower_, False))
        elif t.pos_ == "NOUN" and t.ent_type_ not in NAME_ENTS:
            # never inside a name: "the Syrian Opposition Coalition" is not an opposition event
            pats = self.res.verbs.get((t.lemma_.lower(), True)) or self.res.verbs.get((t.lower_, True))
        else:
            return None
        if not pats:
            if t.pos_ == "VERB" and self.similar.active:
                near = self.similar.nearest(t.lemma_.lower())
                if near is not None:
                    p, sim = near
                    return VerbPattern(p.cameo, t.lemma_.lower(), False, (), (),
                                       f'similar to "{p.trigger}" {sim:.2f} ({p.source})'), set()
            return None
        local = self._local(t)
        best: tuple[tuple[int, int, int], VerbPattern, set[int]] | None = None
        for p in pats:
            if best is not None and len(p.items) < best[0][0]:
                break  # patterns are sorted most specific first
            used: set[int] = set()
            ok = True
            for item in p.items:
                hit = next((x for x in local if x.i not in used and (x.lemma_.lower() == item or x.lower_ == item)),
                           None)
                if hit is None:
                    ok = False
                    break
                used.add(hit.i)
            if not ok:
                continue
            if p.option("passive_only") == "1" and not _passive(t):
                continue
            if p.option("active_only") == "1" and _passive(t):
                continue
            # among equally long patterns, prefer the one whose words are content words near the
            # trigger ("withdraw inspector" over "withdraw from"), then the earlier line
            content = sum(1 for i in used if t.doc[i].pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
            near = -sum(abs(t.doc[i].head.i - t.i) > 0 and t.doc[i].head.i != t.i for i in used)
            key = (len(p.items), content, near)
            if best is None or key > best[0]:
                best = (key, p, used)
        return (best[1], best[2]) if best else None

    # ------------------------------------------------------------------ actors
    def _subject(self, v: Token, depth: int = 0) -> tuple[list[Token], bool]:
        """Head tokens of the agent, and whether they came from a passive 'by' phrase."""
        for c in v.children:
            if c.dep_ == "nsubj":
                if c.lower_ in {"who", "which", "that"} and v.dep_ == "relcl":
                    return [v.head], False
                return [c], False
            if c.dep_ == "agent":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return objs, True
            if c.dep_ == "nsubjpass" and (v.lemma_.lower() in self.intent_adjs
                                          or self.frame_of.get(v.lemma_.lower()) == "intend"):
                return [c], False  # "Vietnam is committed to ...", "X is prepared to ...": a state, not a passive
            if c.dep_ == "csubj":
                return [], False
        if v.dep_ in {"xcomp", "conj", "advcl", "acomp"} and depth < 4:
            h = v.head
            if v.dep_ == "xcomp" or (v.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to"
                                                                 for c in v.children)):
                # object control: "urged Iran to release" -> Iran releases
                objs = [c for c in h.children if c.dep_ == "dobj"] or [
                    g for c in h.children if c.dep_ == "prep" and c.lower_ in {"on", "upon"}
                    for g in c.children if g.dep_ == "pobj"]  # "called on X to release"
                if objs and h.lemma_ in self.frame_of and self.frame_of[h.lemma_] == "request":
                    return objs, False
            if h.pos_ in {"VERB", "AUX", "ADJ"}:
                return self._subject(h, depth + 1)
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.pos_ == "VERB":
            # object control: "warned the US against selling", "accused Iran of supplying"
            objs = [c for c in v.head.head.children if c.dep_ == "dobj"]
            if objs:
                return objs, False
        if v.dep_ in {"pcomp", "acl"} and v.tag_ == "VBG" and depth < 4:
            # "the regime has a long history of committing atrocities": the nearest clause's subject acts
            h = v.head
            while h.pos_ not in {"VERB", "AUX"} and h.head.i != h.i:
                if any(c.dep_ == "poss" for c in h.children):
                    return [c for c in h.children if c.dep_ == "poss"], False
                h = h.head
            if h.pos_ in {"VERB", "AUX"}:
                return self._subject(h, depth + 1)
        if v.dep_ == "acl" and v.tag_ == "VBN":
            return [], False
        if v.dep_ == "relcl":
            return [v.head], False
        return [], False

    def _objects(self, v: Token) -> list[list[Token]]:
        """Candidate recipient heads in order of preference (first group that resolves wins)."""
        groups: list[list[Token]] = []
        passive_subj = [c for c in v.children if c.dep_ == "nsubjpass"]
        if passive_subj:
            groups.append(passive_subj)
        if v.dep_ == "acl" and v.tag_ == "VBN":
            groups.append([v.head])  # "a camp attacked by militiamen"
        groups.append([c for c in v.children if c.dep_ in {"dative", "iobj"} and c.pos_ != "ADP"])
        groups.append([g for c in v.children if c.dep_ == "dative" and c.pos_ == "ADP"
                       for g in c.children if g.dep_ == "pobj"])
        dobjs = [c for c in v.children if c.dep_ == "dobj"]
        groups.append(dobjs)
        for prep in RECIPIENT_PREPS:
            groups.append([g for c in v.children if c.dep_ == "prep" and c.lower_ == prep
                           for g in c.children if g.dep_ == "pobj"])
        for d in dobjs:
            for prep in ("of", "on", "against", "to", "with", "for", "from", "by"):
                groups.append([g for c in d.children if c.dep_ == "prep" and c.lower_ == prep
                               for g in c.children if g.dep_ == "pobj"])
            groups.append([g for g in d.children if g.dep_ == "poss"])
            groups.append([c for c in d.children if c.dep_ in {"compound", "amod"}])
        # "called on X to ...": the addressee sits on the verb's particle phrase
        groups.append([g for c in v.children if c.dep_ == "prt" for g in c.children if g.dep_ == "pobj"])
        # "in protest against X", "in defiance of X", "in solidarity with X": the stance's object
        stance = [g for c in v.children if c.dep_ == "prep" and c.lower_ == "in"
                  for n in c.children if n.dep_ == "pobj" and n.lemma_.lower() in STANCE_NOUNS
                  for p in n.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
        groups.insert(0, stance)
        # last resort: the place the act was directed at ("lifted the curfew in Montenegro")
        for holder in [v, *dobjs]:
            groups.append([g for c in holder.children if c.dep_ == "prep" and c.lower_ == "in"
                           for g in c.children if g.dep_ == "pobj"])
        return [g for g in groups if g]

    def _noun_args(self, n: Token) -> tuple[list[list[Token]], list[list[Token]]]:
        actor_groups: list[list[Token]] = []
        rec_groups: list[list[Token]] = []
        actor_groups.append([c for c in n.children if c.dep_ == "poss"])
        actor_groups.append([g for c in n.children if c.dep_ in {"prep", "agent"} and c.lower_ == "by"
                             for g in c.children if g.dep_ == "pobj"])
        actor_groups.append([c for c in n.children if c.dep_ in {"compound", "amod", "nmod"}])
        # "the regime's responsibility for chemical attacks": the possessor is the agent
        h = n.head
        if h.dep_ == "prep" and h.lower_ in {"for", "in", "of"} and h.head.lemma_.lower() in self.agency_nouns:
            actor_groups.insert(0, [c for c in h.head.children if c.dep_ == "poss"])
        for prep in NOUN_RECIPIENT_PREPS:
            rec_groups.append([g for c in n.children if c.dep_ == "prep" and c.lower_ == prep
                               for g in c.children if g.dep_ == "pobj"])
        # "its demand that Israel ease restrictions": the clause's subject is asked
        for c in n.children:
            if c.dep_ in {"acl", "ccomp", "relcl"} and any(m.dep_ == "mark" for m in c.children):
                rec_groups.insert(0, [g for g in c.children if g.dep_ in {"nsubj", "nsubjpass"}])
        return [g for g in actor_groups if g], [g for g in rec_groups if g]

    def _resolve_group(self, resolver: ActorResolver, heads: list[Token], trigger: Token,
                       entities_only: bool = False, unresolved: str = "") -> list[ActorMention]:
        """Actor mentions of the heads (and their conjuncts). When none has a code, `unresolved` keeps the
        phrases as mentions without one: "nominal" any noun phrase, "named" a named person, group or place."""
        out: list[ActorMention] = []
        bare: list[Token] = []
        todo = list(heads)
        seen: set[int] = set()
        while todo:
            h = todo.pop(0)
            if h.i in seen:
                continue
            seen.add(h.i)
            todo.extend(c for c in h.children if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN", "PRON", "ADJ"})
            # lists of organisations are often parsed as appositions: "the Arab League, the OIC, and the GCC"
            todo.extend(c for c in h.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.ent_type_ == "ORG")
            r = resolver.resolve(h)
            if r is None or (entities_only and r.kind == "sector"):
                bare.append(h)
                continue
            for m in r.mentions:
                if m.code and not any(o.code == m.code for o in out):
                    m = ActorMention(m.text, m.code, m.country, m.sector, m.start, m.end, dep_path(trigger, h))
                    out.append(m)
        if not out and unresolved and not entities_only:
            for h in bare:
                # a count of people is a recipient ("Four killed", "detained 18"), never an agent
                count = unresolved == "named" and h.pos_ == "NUM" and h.ent_type_ in {"", "CARDINAL"}
                if not count and (h.pos_ not in {"NOUN", "PROPN"} or h.ent_type_ in NON_ACTOR_ENTS):
                    continue
                if unresolved == "named" and not count and not (h.pos_ == "PROPN" and h.ent_type_ in NAMED_ACTOR_ENTS):
                    continue
                m = resolver.mention_of(h)
                out.append(ActorMention(m.text, None, None, None, m.start, m.end, dep_path(trigger, h)))
        return out

    def _deep_target(self, resolver: ActorResolver, t: Token, actors: list[ActorMention]) -> list[ActorMention]:
        """Breadth-first through the trigger's complements for the first actor other than the source."""
        def follow(x: Token) -> list[Token]:
            # never into a coordinated clause: "condemned the attack and called on Damascus ..."
            return [c for c in x.children if c.dep_ in DEEP_TARGET_ARCS
                    and not (c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"})]

        frontier = follow(t)
        seen: set[int] = set()
        for _ in range(5):
            nxt: list[Token] = []
            for x in frontier:
                if x.i in seen:
                    continue
                seen.add(x.i)
                if x.pos_ in {"NOUN", "PROPN"} and x.dep_ in {"pobj", "dobj", "poss", "conj", "appos"}:
                    ms = self._first_resolved(resolver, [[x]], t, actors)
                    if ms:
                        return ms
                nxt.extend(follow(x))
            frontier = nxt
        return []

    def _first_resolved(self, resolver: ActorResolver, groups: list[list[Token]], trigger: Token,
                        exclude: list[ActorMention], unresolved: str = "") -> list[ActorMention]:
        # a recipient is someone else: not the actor's own mention, nor the very same actor code
        ex = {m.code for m in exclude if m.code}
        ex_spans = {(m.start, m.end) for m in exclude}
        own_states = {m.country for m in exclude if m.country and (m.sector in {None, "GOV", "MIL"})}
        for g in groups:
            # a modifier of an event noun ("Israeli attack") names an actor only through a dictionary entity
            mods_only = all(x.dep_ in {"compound", "amod", "nmod"} and x.head.i == trigger.i for x in g)
            ms = [m for m in self._resolve_group(resolver, g, trigger, entities_only=mods_only, unresolved=unresolved)
                  if m.code not in ex and (m.start, m.end) not in ex_spans
                  # "Syria withdrew its troops", "Britain mobilized army reservists": a state's own forces
                  # are its instrument, not the target
                  and not (m.country in own_states and m.sector in {"MIL", "COP"})]
            if ms:
                return ms
        return []

    def _speech_head(self, t: Token) -> Token | None:
        """The speech verb whose reported clause contains t, if any."""
        cur = t
        for _ in range(12):
            if cur.head.i == cur.i:
                return None
            arc, h = cur.dep_, cur.head
            if h.lemma_.lower() in self.speech_lemmas and h.pos_ in {"VERB", "AUX"} and arc in {"ccomp", "parataxis"}:
                return h
            if arc in {"relcl", "acl", "advcl"}:
                return None
            cur = h
        return None

    def _complement_subjects(self, v: Token) -> list[list[Token]]:
        """Addressees of a demand: 'demanded that the US cancel ...' -> the US."""
        out: list[list[Token]] = []
        for c in v.children:
            if c.dep_ in {"ccomp", "xcomp"}:
                out.append([g for g in c.children if g.dep_ in {"nsubj", "nsubjpass"}])
        return [g for g in out if g]

    def _mode_from_words(self, plover: str, t: Token) -> str | None:
        words = self.mode_words.get(plover)
        if not words:
            return None
        lemmas = {x.lemma_.lower() for x in t.subtree} | {x.lower_ for x in t.subtree}
        for mode, ws in words.items():
            if lemmas & set(ws):
                return mode
        return None

    # ------------------------------------------------------------------ frames
    def _frame_map(self, name: str, code: str) -> str | None:
        f = self.frames.get(name)
        if not f:
            return None
        root = code[:2]
        if name == "intend" and root in {"13", "14", "15", "16", "17", "18", "19", "20"}:
            f = self.frames.get(f.get("hostile", "threaten"), f)
        m: dict[str, str] = f.get("map", {})
        for n in range(len(code), 1, -1):
            if code[:n] in m:
                return m[code[:n]]
        return m.get("*")

    def _governing_frame(self, t: Token) -> tuple[str, Token] | None:
        if t.dep_ not in {"xcomp", "ccomp", "advcl", "conj"}:
            return None
        h = t.head
        if t.dep_ == "conj":
            return self._governing_frame(h) if h.dep_ in {"xcomp", "ccomp"} else None
        lemma = h.lemma_.lower()
        if h.pos_ == "ADJ" and lemma in self.intent_adjs:
            return "intend", h
        name = self.frame_of.get(lemma)
        if name is None:
            return None
        if t.dep_ == "ccomp" and name not in {"request", "threaten"}:
            return None
        infinitival = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        if t.dep_ == "advcl" and name != "request" and not infinitival:
            return None  # "to V" under a frame verb is its complement, whatever the parser called it
        if name == "threaten" and lemma == "warn" and t.dep_ != "xcomp":
            return None
        return name, h

    # ------------------------------------------------------------------ sentences
    def _code_sentence(self, document: Document, doc: Doc, sent: Any, si: int, resolver: ActorResolver,
                       references: list[Reference], places: list[Location]) -> list[Event]:
        cands: dict[int, Candidate] = {}
        for t in sent:
            m = self._match(t)
            if m is None:
                continue
            pat, used = m
            if not pat.cameo:
                continue  # speech-only verbs have no event of their own
            if pat.noun and t.dep_ in {"dobj", "attr", "acomp"} and t.head.lemma_.lower() in self.characterizing:
                continue  # "constitutes a serious threat": a characterisation, not an event
            cand = Candidate(t, pat, used, pat.cameo, [f"{pat.source} {pat.text}"])
            if _headline_clause(t):
                subj_ids = {x.i for c in t.children if c.dep_ == "nsubj" for x in c.subtree}
                cand.headline_passive = (bool(used & subj_ids) or t.tag_ == "VBN"
                                         or any(c.dep_ == "agent" for c in t.children))
                if cand.headline_passive:
                    cand.rule.append("headline passive participle: its subject is the patient")
            cands[t.i] = cand
        # "X said Y must/should do Z" is a demand even when Z's verb is in no pattern
        for t in sent:
            if (t.i not in cands and t.pos_ in {"VERB", "AUX"} and _has_aux(t, self.obligation_aux)
                    and self._speech_head(t) is not None):
                pat = VerbPattern("100", t.lemma_.lower(), False, (), (), "frames.toml [modality] obligation")
                cands[t.i] = Candidate(t, pat, set(), "100", [f"{pat.source} {t.lemma_.lower()}"], obliged=True)
        consumed = {i for c in cands.values() for i in c.consumed}
        for i in list(cands):
            if i in consumed:
                cands[i].suppressed = True  # "launched an attack": the verb's pattern used the noun

        # frames and modality
        for c in list(cands.values()):
            if c.suppressed:
                continue
            t = c.token
            name: str | None
            gf = self._governing_frame(t)
            if gf is None and c.pattern.noun and t.dep_ == "dobj" and t.head.i not in cands:
                gf = self._governing_frame(t.head)
            if gf is not None:
                name, ft = gf
                if name == "intend" and _negated(ft):
                    name = "reject"
                    c.neg_consumed = True
                new = self._frame_map(name, c.code)
                if new:
                    c.rule.append(f"frames.toml [{name}] {ft.lemma_} + {c.code} -> {new}")
                    c.code, c.frame_token, c.frame_name = new, ft, name
                    if ft.i in cands:
                        cands[ft.i].suppressed = True
                    continue
            root = c.code[:2]
            future = _has_aux(t, self.future_aux) or _headline_infinitive(t)
            marks = _clause_markers(t)
            conditional = bool(marks & self.conditional)
            unless = "unless" in marks
            obliged = _has_aux(t, self.obligation_aux)
            cooperative = root in {"03", "04", "05", "06", "07", "08"}
            name = None
            if obliged and self._speech_head(t) is not None and root not in {"10", "12", "13"}:
                name = "request"  # "X said Y must return the helicopter": X demands it of Y
            elif cooperative and future and _negated(t):
                name = "reject"  # "will not accept" is a refusal
                c.neg_consumed = True
            elif future and unless and root not in {"12", "13"}:
                name = "threaten"  # "X will do Y unless Z" is an ultimatum
            elif cooperative and future:
                name = "intend"  # "will give", "would meet ... if ...": an intention
            elif not cooperative and root >= "14" and (conditional or future):
                name = "threaten"
            if name and (name == "request" or not c.code.startswith(("03", "13", "12"))):
                new = self._frame_map(name, c.code)
                if new:
                    c.rule.append(f"frames.toml [modality] {name} + {c.code} -> {new}")
                    c.code, c.frame_token, c.frame_name = new, t, name
                    if name == "request":
                        c.obliged = True
        events: list[Event] = []
        acts: dict[str, Act] = {}  # what factuality needs to know of each event
        for c in cands.values():
            if c.suppressed:
                continue
            ft = c.frame_token
            built = self._build_event(document, doc, sent, si, c, resolver, references, places)
            framed = ft is not None and c.frame_name in FRAME_KIND
            for e in built:
                if c.obliged:  # "X said Y must ...": the speech verb is the request's word
                    acts[e.event_id] = Act(self._speech_head(c.token) or c.token, speech_act=True)
                else:
                    acts[e.event_id] = Act(c.token if ft is None else ft, c.frame_name, ft, speech_act=framed,
                                           modality=framed and ft is not None and ft.i == c.token.i)
            events.extend(built)
            if framed and built and c.base_code != c.code and c.pattern.cameo:
                # the act the speech act embeds (the release demanded, the strike threatened) is an event too
                act = replace(c, code=c.base_code, rule=c.rule[:1], frame_token=None, frame_name=None,
                              obliged=False, neg_consumed=False)
                embedded = self._build_event(document, doc, sent, si, act, resolver, references, places)
                assert ft is not None
                for e in embedded:
                    e.parent = built[0].event_id
                    acts[e.event_id] = Act(c.token, c.frame_name, ft, modality=ft.i == c.token.i)
                events.extend(embedded)

        def speaker_of(h: Token) -> list[ActorMention]:
            return self._resolve_group(resolver, self._subject(h)[0], h)

        self.factuality.apply(events, acts, speaker_of)
        accusations = self._accusations(document, doc, sent, si, events, resolver, references)
        # an accusation inside someone else's words is reported ("X mentioned that the OPCW has proven ...")
        words = {x.idx: x for x in sent}
        self.factuality.apply(accusations, {e.event_id: Act(words[e.trigger.start]) for e in accusations},
                              speaker_of)
        events.extend(accusations)
        return _dedupe(events)

    def _build_event(self, document: Document, doc: Doc, sent: Any, si: int, c: Candidate,
                     resolver: ActorResolver, references: list[Reference], places: list[Location]) -> list[Event]:
        t = c.token
        ft = c.frame_token if c.frame_token is not None else t
        anchor = ft  # the word the event is reported by
        if c.pattern.noun and c.frame_token is None:
            actor_groups, rec_groups = self._noun_args(t)
            if t.dep_ == "dobj" and t.head.lemma_.lower() in self.light_verbs:
                # "staged rallies ... against the party's leader": the light verb carries the target
                rec_groups += [g for g in self._objects(t.head) if t not in g]
            actors = self._first_resolved(resolver, actor_groups, t, [])
            recips = self._first_resolved(resolver, rec_groups, t, actors)
            if not actors:
                # "X carried out attacks", "X took part in a rally": the governing verb's subject acts
                gov = t.head if t.dep_ == "dobj" else (
                    t.head.head if t.dep_ == "pobj" and t.head.lower_ in {"in", "for", "at", "during", "into"}
                    else None)
                # ... unless that verb is an event of its own or a speech verb: "Turkey condemned the attack"
                # says nothing about who attacked
                gov_event = None
                if gov is not None and gov.lemma_.lower() not in self.light_verbs:
                    m = self._match(gov)
                    gov_event = m is not None and bool(m[0].cameo)
                if (gov is not None and gov.pos_ == "VERB" and not gov_event
                        and gov.lemma_.lower() not in self.speech_lemmas):
                    subj, passive = self._subject(gov)
                    if not passive:
                        actors = self._resolve_group(resolver, subj, t)
        elif c.obliged:
            # "X said Y must do Z": X requests it of Y
            sh = self._speech_head(t)
            assert sh is not None
            anchor = sh
            subj, _ = self._subject(sh)
            actors = self._resolve_group(resolver, subj, sh)
            own, _ = self._subject(t)
            recips = self._first_resolved(resolver, [own], t, actors)
            if not recips:
                return []  # a demand needs someone it is made of
            c.neg_consumed = True  # "must not" is still a demand
        else:
            subj, passive = self._subject(ft)
            if c.headline_passive and ft.i == t.i:
                subj = [g for a in t.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
            actors = self._resolve_group(resolver, subj, ft, unresolved="nominal")
            if (c.frame_token is not None and c.frame_name == "request") or c.code[:2] in {"10", "02"}:
                recips = self._first_resolved(resolver, self._objects(ft) + self._complement_subjects(ft), ft,
                                              actors)
                if not recips and t.i != ft.i:
                    recips = self._first_resolved(resolver, self._objects(t), t, actors)
            else:
                hl = [[x for x in t.children if x.dep_ == "nsubj"]] if c.headline_passive else []
                # the pattern's own words ("monitor ceasefire") are the act, not whom it is done to
                own = [g for g in self._objects(t) if not all(x.i in c.consumed for x in g)]
                recips = self._first_resolved(resolver, hl + own, t, actors)
                if not recips and c.frame_token is not None:
                    recips = self._first_resolved(resolver, self._objects(ft), ft, actors)
            if not recips:
                recips = self._deep_target(resolver, t, actors)
            if not recips:
                # "threatened to deliver blows to the United States": the complement's target
                for x in ft.children:
                    if x.dep_ in {"xcomp", "ccomp"} and x.pos_ in {"VERB", "AUX"} and x.i != t.i:
                        recips = self._first_resolved(resolver, self._objects(x), x, actors)
                        if recips:
                            break
            if not recips:
                # a named person or group the dictionaries lack, as the object: kept without a code
                recips = self._first_resolved(resolver, self._objects(t), t, actors, unresolved="named")
        # "Ceasefire begins in ...", "Protests erupted in ...": an event noun as the subject of a verb of
        # occurrence is said to happen, even when no one is named as its agent
        occurs = (c.pattern.noun and c.frame_token is None and t.dep_ in {"nsubj", "nsubjpass"}
                  and t.head.lemma_.lower() in self.occurrence_verbs)
        if c.pattern.noun and c.frame_token is None and not actors and not occurs:
            return []  # a nominal event with no identifiable agent ("the attack") is not coded
        if c.pattern.noun and not recips:
            recips = self._deep_target(resolver, t, actors)
        needs = c.pattern.option("needs")
        if needs == "recipient" and not recips:
            return []
        if not actors and not recips and not occurs:
            return []
        negated = not c.neg_consumed and (_negated(t) or (c.frame_token is not None and _negated(c.frame_token)
                                                          and c.frame_name != "reject"))
        if c.code.startswith("10") and not c.obliged and ft.lemma_.lower() in self.appeal_lemmas:
            twin = "02" + c.code[2:]  # "urged Y to release" is an appeal (0253), "demanded" a demand (1053)
            c.rule.append(f"frames.toml [request] appeal {ft.lemma_.lower()}: {c.code} -> {twin}")
            c.code = twin
        info = self.res.cameo_info(c.code)
        mode = c.pattern.option("mode") if c.frame_token is None else None
        plover = info.plover
        if not mode and not info.plover_mode and plover in self.mode_words:
            mode = self._mode_from_words(plover, t if t.i != ft.i else ft)
        if not plover:
            return []  # CAMEO statements (01) are not PLOVER events
        attributed = None if c.obliged else self._attribution(anchor, resolver)
        sent_start, sent_end = _sent_bounds(sent)
        refs = [r for r in references if sent_start <= r.start < sent_end]
        base_rule = " | ".join(c.rule)
        explain = {
            "pattern": c.pattern.text,
            "pattern_source": c.pattern.source,
            "frame": c.rule[1:] if len(c.rule) > 1 else [],
            "trigger_path": dep_path(sent.root, anchor),
        }
        locations: list[Location | None] = [None]
        if self.geoparser is not None and places:
            locations = self._locations(doc, t, places, recips)
        out = []
        split_target = (len(locations) > 1 and len(recips) == 1 and locations[0] is not None
                        and recips[0].start == locations[0].start)
        for loc in locations:
            if split_target and loc is not None:
                # one event per conjoined place: each event's target is its own place
                r0 = recips[0]
                recips = [ActorMention(doc_text(doc)[loc.start:loc.end], loc.country or r0.code,
                                       loc.country or r0.country, None, loc.start, loc.end, r0.path)]
            ev = Event(
                doc_id=document.id,
                sentence=si,
                date=document.date,
                plover=plover,
                plover_mode=mode or info.plover_mode,
                cameo=c.code,
                quad_class=info.quad_class,
                goldstein=info.goldstein,
                actor=actors,
                recipient=recips,
                trigger=Span(anchor.text, anchor.idx, anchor.idx + len(anchor.text)),
                rule=base_rule,
                coder_version=CODER_VERSION,
                attributed_to=attributed,
                negated=negated,
                references=refs,
                location=loc,
                sentence_text=doc_text(doc)[sent_start:sent_end],
                sentence_start=sent_start,
                explain=dict(explain),
                # one frame may govern several acts ("agreed to reopen ... and to restore ..."): the act's own
                # word keeps their ids apart
                event_id=_event_id(document.id, si, anchor.idx, c.code if t.i == anchor.i else f"{c.code}~{t.idx}",
                                   loc),
            )
            out.append(ev)
        if len(actors) > 1 and not recips and c.code.startswith(self.symmetric):
            out = [self._one_side(e, k) for e in out for k in range(len(actors))]
        return out

    @staticmethod
    def _one_side(ev: Event, k: int) -> Event:
        """'A and B met': a symmetric act is A->B and B->A, one event per side."""
        side = replace(ev, actor=[ev.actor[k]], recipient=[a for j, a in enumerate(ev.actor) if j != k],
                       explain=dict(ev.explain))
        side.event_id = make_event_id(ev.doc_id, ev.sentence, ev.trigger.start, f"{ev.event_id}/{k}")
        side.explain["symmetric"] = f"frames.toml [symmetric]: side {k + 1} of {len(ev.actor)}"
        return side

    def _locations(self, doc: Doc, t: Token, places: list[Location],
                   recips: list[ActorMention]) -> list[Location | None]:
        assert self.geoparser is not None
        starts = token_starts(doc)
        # the tokens starting inside a recipient's characters, by bisection rather than a scan of the document
        target_ids = sorted({i for r in recips
                             for i in range(bisect_left(starts, r.start), bisect_left(starts, r.end))})
        try:
            loc = self.geoparser.event_location(doc, places, t.i, target_ids)
        except Exception:
            return [None]
        if loc is None:
            return [None]
        # conjoined places under one trigger ("attacks in Douma, Saraqib and Al-Lataminah") are distinct events
        k = bisect_left(starts, loc.start)
        tok = doc[k] if k < len(starts) and starts[k] == loc.start else None
        if tok is None or tok.dep_ != "pobj":
            return [loc]
        group = [tok] + [x for x in tok.subtree if x.dep_ == "conj" and x.i != tok.i]
        found = []
        for g in group:
            for p in places:
                if p.start <= g.idx < p.end and p not in found and (p.precision != "country" or p is loc):
                    found.append(p)
        return list(found) or [loc]

    def _attribution(self, t: Token, resolver: ActorResolver) -> list[ActorMention] | None:
        chain: list[ActorMention] = []
        found = False
        cur = t
        steps = 0
        while cur.head.i != cur.i and steps < 12:
            arc, h = cur.dep_, cur.head
            steps += 1
            if h.lemma_.lower() in self.speech_lemmas and h.pos_ in {"VERB", "AUX"} and arc in ATTRIBUTION_ARCS:
                found = True
                subj, _ = self._subject(h)
                chain[:0] = self._resolve_group(resolver, subj, h)
            cur = h
        # "according to X"
        for tok in [t, *t.ancestors]:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "according":
                    for to in c.children:
                        objs = [g for g in to.children if g.dep_ == "pobj"]
                        ms = self._resolve_group(resolver, objs, t)
                        if objs:
                            found = True
                            chain.extend(ms)
        return chain if found else None

    def _asserting_speech_verb(self, trig: Token) -> Token | None:
        """The speech verb, before the content, whose clause asserts the act at trig ("X noted that Y ...").

        A hostile act inside a relative or adverbial clause is not what the speaker asserts."""
        cur = trig
        while cur.head.i != cur.i:
            arc, h = cur.dep_, cur.head
            if arc in {"relcl", "acl", "advcl", "prep"} and cur.pos_ in {"VERB", "AUX"}:
                return None
            if (h.lemma_.lower() in self.speech_lemmas and h.pos_ == "VERB" and arc in ATTRIBUTION_ARCS
                    and h.i < trig.i):
                return h
            cur = h
        return None

    def _accusations(self, document: Document, doc: Doc, sent: Any, si: int, events: list[Event],
                     resolver: ActorResolver, references: list[Reference]) -> list[Event]:
        """A speaker who states that a third party committed a hostile act accuses it."""
        out: list[Event] = []
        seen: dict[tuple[int, str], str] = {}  # (speech verb, accused) -> the accusation's event_id
        for ev in events:
            if ev.cameo[:2] not in ACCUSABLE_ROOTS or not ev.actor or not ev.happened:
                continue
            trig = next((x for x in sent if x.idx == ev.trigger.start), None)
            if trig is None or _has_aux(trig, self.future_aux | self.obligation_aux):
                continue
            h = self._asserting_speech_verb(trig)
            if h is None:
                continue
            subj, _ = self._subject(h)
            speakers = self._resolve_group(resolver, subj, h)
            speaker_codes = [m.code or "" for m in speakers]
            # one's own side is not accused: SYR vs SYRMIL are related, SYROPP vs SYRGOV are not
            targets = [a for a in ev.actor if a.code and not any(
                a.code.startswith(sc) or sc.startswith(a.code) for sc in speaker_codes)]
            key = (h.i, ",".join(sorted(a.code or "" for a in targets)))
            if not speakers or not targets:
                continue
            if key in seen:
                ev.parent = ev.parent or seen[key]  # "attacks in Douma, Saraqib and ...": one accusation
                continue
            info = self.res.cameo_info(self.accuse_code)
            start, end = _sent_bounds(sent)
            accusation = Event(
                doc_id=document.id, sentence=si, date=document.date, plover=info.plover,
                plover_mode="allege", cameo=self.accuse_code, quad_class=info.quad_class,
                goldstein=info.goldstein, actor=speakers,
                recipient=[ActorMention(a.text, a.code, a.country, a.sector, a.start, a.end,
                                        f"{dep_path(h, trig)} ; {a.path}") for a in targets],
                trigger=Span(h.text, h.idx, h.idx + len(h.text)),
                rule=f"frames.toml [speech] {h.lemma_} that <{ev.plover} by third party> -> "
                     f"{self.accuse_code} (from {ev.rule})",
                coder_version=CODER_VERSION,
                attributed_to=None, negated=False,
                references=[r for r in references if start <= r.start < end],
                sentence_text=doc_text(doc)[start:end], sentence_start=start,
                explain={"pattern": f"{h.lemma_} <that-clause with {ev.plover}>",
                         "pattern_source": "frames.toml [speech]",
                         "frame": [], "trigger_path": dep_path(sent.root, h),
                         "derived_from": ev.event_id},
            )
            seen[key] = accusation.event_id
            ev.parent = ev.parent or accusation.event_id  # what is accused hangs under the accusation
            out.append(accusation)
        return out


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
    sent = t.sent
    last = sent[-1]
    while last.is_space and last.i > sent.start:
        last = t.doc[last.i - 1]
    return len(sent) <= 20 and last.text not in {".", "!", "?", "\"", "'", "”", ")"}


def _passive(t: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in t.children)


def _event_id(doc_id: str, si: int, start: int, code: str, loc: Location | None) -> str:
    return make_event_id(doc_id, si, start, code if loc is None else f"{code}@{loc.start}")


def _unique_ids(events: list[Event]) -> list[Event]:
    """Every event id once per document: a rare collision left after merging gets a numbered id."""
    seen: dict[str, int] = {}
    for e in events:
        n = seen.get(e.event_id, 0)
        seen[e.event_id] = n + 1
        if n:
            e.event_id = make_event_id(e.doc_id, e.sentence, e.trigger.start, f"{e.cameo}#{n}")
    return events


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per type and dyad in a sentence.

    Two events of the same PLOVER type with the same actors are one event when their recipients
    agree or one of them has none ("staged a general strike ... in protest"); the one with a
    recipient, then the more specific CAMEO code, is kept.
    """
    kept: list[Event] = []
    merged: dict[str, str] = {}  # event_id dropped -> event_id of the twin kept
    for e in events:
        codes = {a.code for a in e.actor}
        rec = {r.code for r in e.recipient}
        loc = e.location.start if e.location else None
        twin = next((k for k in kept if k.plover == e.plover and k.factuality == e.factuality
                     and {a.code for a in k.actor} == codes
                     and (k.location.start if k.location else None) == loc
                     and ({r.code for r in k.recipient} == rec or not rec or not k.recipient)), None)
        if twin is None:
            kept.append(e)
            continue
        better = (bool(e.recipient), len(e.cameo)) > (bool(twin.recipient), len(twin.cameo))
        drop, keep = (twin, e) if better else (e, twin)
        if better:
            kept[kept.index(twin)] = e
        if drop.event_id != keep.event_id:
            merged[drop.event_id] = keep.event_id
            merged.pop(keep.event_id, None)  # the one kept is no longer merged away (no a->b->a cycle)
    # an embedded act whose speech act was merged into its twin hangs under the twin
    for e in kept:
        seen: set[str] = set()
        while e.parent in merged and e.parent not in seen:
            seen.add(e.parent)
            e.parent = merged[e.parent]
    return kept
