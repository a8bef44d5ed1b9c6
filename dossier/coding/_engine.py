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

The stages live in their own modules, each a set of functions over the parse and the loaded
`CodingConfig` (_config.py): triggers (_triggers.py), arguments (_arguments.py), frames and
attribution (_frames.py), event building (_events.py), actor codes (_actors.py). `Coder` loads the
resources once and runs the stages sentence by sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc, Token

from ..model import ActorMention, CodedDocument, Document, Event, Location, Reference, Span
from ..nlp import NLPLike, doc_text, set_doc_text, token_table
from ..nlp._headline import HeadlineCaser, VerblessRepair, transplant
from ..nlp._lemmas import LemmaRepair
from ._actors import ActorResolver
from ._arguments import _resolve_group, _subject
from ._config import CodingConfig
from ._events import Candidate, GeoparserLike, _build_event, _dedupe, _unique_ids
from ._factuality import FRAME_KIND, Act, FactualityReader
from ._frames import _accusations, _frame_map, _governing_frame, _speech_head
from ._references import extract_references
from ._resources import Resources, VerbPattern, load_resources
from ._triggers import (
    _clause_markers,
    _has_aux,
    _has_aux_at,
    _headline_clause,
    _headline_infinitive,
    _match,
    _may_match,
    _negated,
    _sent_bounds,
    dep_path,
)

# names other modules import from here
__all__ = ["Candidate", "Coder", "GeoparserLike", "dep_path"]


class Coder:
    """Codes documents into events. Load once per process; `code` is pure."""

    def __init__(
        self,
        nlp: NLPLike | None = None,
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
        pattern_verbs = {p.trigger for ps in self.res.verbs.values() for p in ps if not p.noun}
        self.verbless = VerblessRepair(nlp, pattern_verbs)
        self.cfg = CodingConfig.build(self.res, self.nlp.vocab)
        self.factuality = FactualityReader()
        # every verb the coder reads by its lemma: patterns, frames, speech, light, occurrence, undergo and cue verbs
        self.lemmas = LemmaRepair([*pattern_verbs, *self.cfg.frame_of, *self.cfg.speech_lemmas, *self.cfg.light_verbs,
                                   *self.cfg.occurrence_verbs, *self.cfg.undergo_verbs, *self.factuality.cue_verbs()])

    # ------------------------------------------------------------------ public API
    def code(self, document: Document, doc: Doc | None = None) -> CodedDocument:
        if doc is None:
            doc = self.parse([document.text])[0]
        resolver = ActorResolver(self.res, self.nlp, doc, document.date, self.place_country)
        # read the document in order once, so names and pronouns resolve as a reader would
        tt = token_table(doc)
        for i, (pos, dep) in enumerate(zip(tt.pos, tt.dep, strict=True)):
            if pos in {"NOUN", "PROPN", "PRON"} and dep in {"nsubj", "nsubjpass", "dobj", "pobj", "appos",
                                                            "dative", "poss", "conj", "attr", "ROOT"}:
                resolver.resolve(doc[i])
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
            parsed[k] = self.lemmas.repair(self.verbless.repair(parsed[k], copy))
            # every step keeps the text (parse_long, transplant and repair build their Doc over it): the coder
            # reads it from here rather than having spaCy join it again from the tokens (nlp.doc_text)
            set_doc_text(parsed[k], text)
        return parsed

    # ------------------------------------------------------------------ sentences
    def _by_protesters(self, t: Token) -> bool:
        """The act's agent (a passive's `by` phrase, as `_subject` reads it) is protesters, rioters, a mob..."""
        agents = self.cfg.protest_agents
        return any(x.lemma_.lower() in agents or x.lower_ in agents for x in _subject(self.cfg, t)[0])

    def _by_nature(self, t: Token) -> bool:
        """The act's agent is a natural cause or an accident (frames.toml [senses] natural_causes): an earthquake,
        floods, a derailment; not a fire or a blast, which someone may have set off."""
        causes = self.cfg.natural_causes
        agents = _subject(self.cfg, t)[0]
        if t.dep_ == "acl" and any(x.dep_ == "dobj" for x in t.children):
            agents = [*agents, t.head]  # "a powerful earthquake killed 300 people" read as a participle of the noun
        return any(x.lemma_.lower() in causes or x.lower_ in causes for x in agents)

    def _code_sentence(self, document: Document, doc: Doc, sent: Any, si: int, resolver: ActorResolver,
                       references: list[Reference], places: list[Location]) -> list[Event]:
        cands: dict[int, Candidate] = {}
        tt = token_table(doc)
        pos = tt.pos
        for k in range(sent.start, sent.end):
            if pos[k] not in {"VERB", "AUX", "NOUN"} or not _may_match(self.cfg, tt, k):
                continue  # no pattern starts with any other word
            t = doc[k]
            m = _match(self.cfg, t)
            if m is None:
                continue
            pat, used = m
            if not pat.cameo:
                continue  # speech-only verbs have no event of their own
            if pat.noun and t.dep_ in {"dobj", "attr", "acomp"} and t.head.lemma_.lower() in self.cfg.characterizing:
                continue  # "constitutes a serious threat": a characterisation, not an event
            cand = Candidate(t, pat, used, pat.cameo, [f"{pat.source} {pat.text}"])
            if _headline_clause(t):
                subj_ids = {x.i for c in t.children if c.dep_ == "nsubj" for x in c.subtree}
                cand.headline_passive = (bool(used & subj_ids) or t.tag_ == "VBN"
                                         or any(c.dep_ == "agent" for c in t.children))
                if cand.headline_passive:
                    cand.rule.append("headline passive participle: its subject is the patient")
            if self.cfg.frame_of.get(t.lemma_.lower()) == "reject" and any(
                    x.dep_ == "xcomp" and x.lemma_.lower() in self.cfg.silence for x in t.children):
                cand.code = cand.base_code = self.cfg.silence_code  # "declined to comment"
                cand.rule.append(f"frames.toml [frames.reject] silence: {t.lemma_.lower()} to comment -> {cand.code}")
            cands[t.i] = cand
        # "X said Y must/should do Z" is a demand even when Z's verb is in no pattern
        for k in range(sent.start, sent.end):
            if k in cands or pos[k] not in {"VERB", "AUX"} or not _has_aux_at(doc, k, self.cfg.obligation_aux):
                continue
            t = doc[k]
            if _speech_head(self.cfg, t) is not None:
                pat = VerbPattern("100", t.lemma_.lower(), False, (), (), "frames.toml [modality] obligation")
                cands[t.i] = Candidate(t, pat, set(), "100", [f"{pat.source} {t.lemma_.lower()}"], obliged=True)
        # forces sent "to help" someone: military protection (the purpose clause's own verb keeps its event: its
        # object is whom the help is for, and consuming it lost that recipient's spans on the check halves)
        for c in list(cands.values()):
            if c.code.startswith("15") and not c.pattern.noun:
                for x in c.token.children:
                    if (x.dep_ in {"advcl", "xcomp"} and x.lemma_.lower() in self.cfg.protect_verbs
                            and any(a.dep_ == "aux" and a.lower_ == "to" for a in x.children)):
                        c.rule.append(f"frames.toml [senses] protect_verbs: {c.code} to {x.lemma_.lower()} -> "
                                      f"{self.cfg.protect_code}")
                        c.code = c.base_code = self.cfg.protect_code
                        break
        # violence by protesters is a violent protest (CAMEO 145): "protesters torched cars", "shops smashed by
        # rioters"; the act's own code stays in the rule
        for c in cands.values():
            if c.code[:2] in {"17", "18", "19"} and not c.pattern.noun and self._by_protesters(c.token):
                c.rule.append(f"frames.toml [senses] protest_agents: {c.code} -> {self.cfg.protest_code}")
                c.code = c.base_code = self.cfg.protest_code
        # natural causes and accidents are no agents: "a powerful earthquake killed 300 people" is no event of force
        for i, c in list(cands.items()):
            if c.code[:2] in {"18", "19", "20"} and not c.pattern.noun and self._by_nature(c.token):
                del cands[i]
        # an attack named by its subject is the act the verb tells the effect of: "a car bomb killed five soldiers",
        # "airstrikes destroyed a hospital" are one event, the noun's (the manner) done to the verb's object
        for c in cands.values():
            if c.pattern.noun or c.code[:2] not in {"17", "18", "19", "20"}:
                continue
            # ... or its passive's agent: "two soldiers were killed by a roadside bomb"
            named = [("subject", x) for x in c.token.children if x.dep_ == "nsubj"] + [
                ("agent", g) for a in c.token.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
            for role, x in named:
                n = cands.get(x.i)
                if n is not None and n.pattern.noun and n.code[:2] in {"18", "19", "20"}:
                    c.rule.append(f"the {role} {x.lower_!r} is this act ({n.pattern.source} {n.pattern.text}): "
                                  f"{c.code} -> {n.code}")
                    c.code = c.base_code = n.code
                    c.consumed.add(x.i)
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
            ft: Token | None
            gf = _governing_frame(self.cfg, t)
            if gf is None and c.pattern.noun and t.dep_ == "dobj" and t.head.i not in cands:
                gf = _governing_frame(self.cfg, t.head)
            if gf is not None:
                name, ft = gf
                if name == "intend" and _negated(ft):
                    name = "reject"
                    c.neg_consumed = True
                new = _frame_map(self.cfg, name, c.code)
                if new:
                    c.rule.append(f"frames.toml [{name}] {ft.lemma_} + {c.code} -> {new}")
                    c.code, c.frame_token, c.frame_name = new, ft, name
                    if ft.i in cands:
                        cands[ft.i].suppressed = True
                    continue
            root = c.code[:2]
            # an event noun takes the modality of the light verb it is the object of: "it will begin a new
            # military operation against ..." is a threat, as "it will attack ..." is
            mt = t.head if (c.pattern.noun and t.dep_ == "dobj" and t.head.pos_ == "VERB"
                            and t.head.lemma_.lower() in self.cfg.light_verbs) else t
            future = _has_aux(mt, self.cfg.future_aux) or _headline_infinitive(mt)
            # "Russia warned that it could retaliate", "the rebels said they might resume attacks": a speaker's
            # own possible act of force is a threat, as its "would" is (not a third party's: "the UN warned that the
            # militias could attack civilians")
            future = future or (_has_aux(mt, self.cfg.possible_aux) and _speech_head(self.cfg, mt) is not None
                                and any(x.dep_ == "nsubj" and x.lower_ in self.cfg.self_pronouns
                                        for x in mt.children))
            marks = _clause_markers(mt)
            conditional = bool(marks & self.cfg.conditional)
            unless = "unless" in marks
            obliged = _has_aux(mt, self.cfg.obligation_aux)
            cooperative = root in {"03", "04", "05", "06", "07", "08"}
            name = None
            if obliged and _speech_head(self.cfg, t) is not None and root not in {"10", "12", "13"}:
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
            if name == "threaten" and c.pattern.option("converse") == "1":
                name = None  # "X will face charges": X is the one charged, not one who threatens
            if name and (name == "request" or not c.code.startswith(("03", "13", "12"))):
                new = _frame_map(self.cfg, name, c.code)
                if new:
                    c.rule.append(f"frames.toml [modality] {name} + {c.code} -> {new}")
                    c.code, c.frame_token, c.frame_name, c.own_modality = new, mt, name, True
                    if name == "request":
                        c.obliged = True
        events: list[Event] = []
        acts: dict[str, Act] = {}  # what factuality needs to know of each event
        for c in cands.values():
            if c.suppressed:
                continue
            ft = c.frame_token
            built = _build_event(self.cfg, self.geoparser, document, doc, sent, si, c, resolver, references, places)
            framed = ft is not None and c.frame_name in FRAME_KIND
            for e in built:
                if c.obliged:  # "X said Y must ...": the speech verb is the request's word
                    acts[e.event_id] = Act(_speech_head(self.cfg, c.token) or c.token, speech_act=True)
                else:
                    acts[e.event_id] = Act(c.token if ft is None else ft, c.frame_name, ft, speech_act=framed,
                                           modality=framed and ft is not None and c.own_modality,
                                           threat=ft is None and e.cameo.startswith("13"),
                                           negation_read=c.neg_consumed and ft is not None and not c.own_modality)
            events.extend(built)
            # an act stopped was going on ("rebels stopped attacking"), a plan dropped was not carried out (its own
            # cues say so): either is read as if no frame governed it
            stopped = ft is not None and c.frame_name == "stop"
            if (framed or stopped) and built and c.base_code != c.code and c.pattern.cameo:
                # the act the speech act embeds (the release demanded, the strike threatened) is an event too
                act = replace(c, code=c.base_code, rule=c.rule[:1], frame_token=None, frame_name=None,
                              obliged=False, neg_consumed=False)
                embedded = _build_event(self.cfg, self.geoparser, document, doc, sent, si, act, resolver, references,
                                        places)
                assert ft is not None
                for e in embedded:
                    e.parent = built[0].event_id
                    acts[e.event_id] = Act(c.token) if stopped else Act(c.token, c.frame_name, ft,
                                                                         modality=c.own_modality)
                events.extend(embedded)

        def speaker_of(h: Token) -> list[ActorMention]:
            return _resolve_group(resolver, _subject(self.cfg, h)[0], h)

        self.factuality.apply(events, acts, speaker_of)
        accusations = _accusations(self.cfg, document, doc, sent, si, events, resolver, references)
        # an accusation inside someone else's words is reported ("X mentioned that the OPCW has proven ...")
        if accusations:
            words = {x.idx: x for x in sent}
            self.factuality.apply(accusations, {e.event_id: Act(words[e.trigger.start]) for e in accusations},
                                  speaker_of)
        events.extend(accusations)
        return _dedupe(events)
