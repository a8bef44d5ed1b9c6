"""Stage 4, events: a matched and framed trigger becomes events with actors, attribution and places.

`Candidate` is a matched trigger before frames and actors are applied; `_build_event` links its
arguments (_arguments), negation and attribution (_frames), references and, when a geoparser is given,
locations (one event per conjoined place); symmetric acts become one event per side (`_one_side`).
`_dedupe` keeps one event per type and dyad in a sentence and `_unique_ids` one id per document.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from spacy.tokens import Doc, Token

from .._version import CODER_VERSION
from ..model import ActorMention, Document, Event, Location, Reference, Span, make_event_id
from ..nlp import doc_text, token_starts
from ._actors import ActorResolver
from ._arguments import (
    _complement_subjects,
    _deep_target,
    _first_resolved,
    _noun_args,
    _objects,
    _resolve_group,
    _subject,
    _sufferer,
    _undergoer,
    consult_barred,
)
from ._config import CodingConfig
from ._frames import _attribution, _mode_from_words, _speech_head
from ._resources import VerbPattern
from ._triggers import _clause_markers, _has_aux, _headline, _match, _negated, _sent_bounds, dep_path


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
    own_modality: bool = False  # the frame is the act's own auxiliary or clause ("will attack", "will begin an
    # operation": the light verb's), not a frame verb

    def __post_init__(self) -> None:
        self.base_code = self.base_code or self.code


# codes of judging an act (statements 01, praise and support 05, disapproval 11, rejection 12): the one judged is
# the act's agent
JUDGING_ROOTS = {"01", "05", "11", "12"}


def _hostile_request(cfg: CodingConfig, c: Candidate) -> bool:
    """The act asked for is itself conflictual: a hostile act in the complement ("called on followers to join a
    rally", base code 14-20) or a hostile act noun among the pattern's words ("called for sanctions"). Such a call
    stays a demand (10x): it is made against the act's target, not an appeal for cooperation."""
    if not c.base_code.startswith("10"):
        return c.base_code[:2] >= "14"  # the pattern is the act asked for ("lift sanctions" under "called on")
    return any(p.cameo[:2] >= "14" and not p.items for w in c.pattern.items for p in cfg.res.verbs.get((w, True), ()))


def _build_event(cfg: CodingConfig, geoparser: GeoparserLike | None, document: Document, doc: Doc, sent: Any,
                 si: int, c: Candidate, resolver: ActorResolver, references: list[Reference],
                 places: list[Location]) -> list[Event]:
    t = c.token
    ft = c.frame_token if c.frame_token is not None else t
    anchor = ft  # the word the event is reported by
    searched = False  # the recipients were found only by searching the complements (_deep_target)
    t_objects: list[list[Token]] | None = None  # _objects(t), read once
    undergoer: list[Token] = []  # who undergoes an event noun ("Gaza suffered bombardment"), _undergoer
    witnessed = False  # an event noun seen, recorded or remembered ("journalists witnessed the shelling")
    unnamed = False  # the subject was an event noun, no agent: the act happened, its agent is not named
    # a consultation's partner is never what is discussed nor where ("discussed Syria with Netanyahu")
    consult = c.base_code if c.base_code.startswith(cfg.consult_codes) else c.code
    barred = consult_barred(cfg, t, consult) if consult.startswith(cfg.consult_codes) else frozenset()
    if c.pattern.noun and c.frame_token is None:
        actor_groups, rec_groups = _noun_args(cfg, t)
        undergoer = _undergoer(cfg, t)
        if undergoer:
            rec_groups.insert(0, undergoer)
        if undergoer or (t.dep_ == "dobj" and t.head.lemma_.lower() in cfg.cause_verbs):
            # the noun's "from" names who acts: "Iran faced sanctions from the EU" (the subject undergoes the act),
            # "the decision prompted criticism from Germany" (the subject caused it)
            actor_groups.append([g for p in t.children if p.dep_ == "prep" and p.lower_ == "from"
                                 for g in p.children if g.dep_ == "pobj"])
        if t.dep_ == "dobj" and t.head.lemma_.lower() in cfg.light_verbs:
            # "staged rallies ... against the party's leader": the light verb carries the target
            rec_groups += [g for g in _objects(t.head) if t not in g]
        actors = _first_resolved(resolver, actor_groups, t, [])
        recips = _first_resolved(resolver, rec_groups, t, actors, barred=barred)
        if not actors and not undergoer:
            # "X carried out attacks", "X took part in a rally": the governing verb's subject acts
            gov = t.head if t.dep_ == "dobj" else (
                t.head.head if t.dep_ == "pobj" and t.head.lower_ in {"in", "for", "at", "during", "into"}
                else None)
            # ... unless that verb is an event of its own or a speech verb: "Turkey condemned the attack"
            # says nothing about who attacked
            gov_event = None
            gov_match: tuple[VerbPattern, set[int]] | None = None
            gov_lemma = gov.lemma_.lower() if gov is not None else ""
            if gov is not None and gov_lemma not in cfg.light_verbs:
                gov_match = _match(cfg, gov)
                gov_event = gov_match is not None and bool(gov_match[0].cameo)
            # (a speech verb that is also a light verb carries it: "announced a suspension of aid")
            # (... or one that prevents it: "police foiled an attack"; or sees or remembers it: "journalists witnessed
            # the shelling", "Armenians commemorated the genocide")
            if (gov is not None and gov.pos_ == "VERB" and not gov_event and gov_lemma not in cfg.prevent_verbs
                    and (gov_lemma not in cfg.speech_lemmas or gov_lemma in cfg.light_verbs)):
                witnessed = gov_lemma in cfg.witness_verbs or gov_lemma in cfg.cause_verbs
                subj, passive = _subject(cfg, gov)
                if not passive and not witnessed:
                    actors = _resolve_group(resolver, subj, t)
            elif (gov is not None and gov.pos_ == "VERB" and not gov_event and t.dep_ == "dobj"
                  and gov_lemma in cfg.speech_lemmas and _conflict(cfg, c.code) and _headline(gov)):
                # a headline's news is the act its speech verb reports ("Observers Report Use of Chemical Weapons
                # on Civilians", "Video Shows Execution of Hostage"): it took place, by whoever its noun names
                witnessed = True
            elif (gov_match is not None and gov_event and t.dep_ == "dobj"
                  and gov_match[0].cameo[:2] in JUDGING_ROOTS and _conflict(cfg, c.code)):
                # an act of conflict judged ("Turkey condemned the attack on the embassy") took place, by whoever
                # its noun names
                witnessed = True
            claim = _claimant(cfg, t) if not actors else None
            if claim is not None:
                # "X claimed responsibility for the bombing": X carried it out, by its own claim (the claim
                # itself stays a statement, 015)
                actors = _resolve_group(resolver, _subject(cfg, claim)[0], t, unresolved="nominal",
                                        crowd=cfg.crowd_nouns)
                if actors:
                    c.rule.append(f"frames.toml [agency] claim_verbs: the agent by its own claim ({claim.lemma_})")
    elif c.obliged:
        # "X said Y must do Z": X requests it of Y
        sh = _speech_head(cfg, t)
        assert sh is not None
        anchor = sh
        subj, _ = _subject(cfg, sh)
        actors = _resolve_group(resolver, subj, sh)
        obligee, _ = _subject(cfg, t)
        recips = _first_resolved(resolver, [obligee], t, actors, barred=barred)
        if not recips:
            return []  # a demand needs someone it is made of
        c.neg_consumed = True  # "must not" is still a demand
    else:
        subj, passive = _subject(cfg, ft)
        if c.headline_passive and ft.i == t.i:
            subj = [g for a in t.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        stopped = [x for x in subj if x.i in c.consumed] if t.lemma_.lower() in cfg.ending_verbs and ft.i == t.i \
            else []
        if stopped:
            # the subject is what stopped ("the siege of Sarajevo ended"): its agent is the noun's own (a possessor,
            # "by"), never what it was done to
            actors = _first_resolved(resolver, [g for x in stopped for g in _noun_args(cfg, x)[0]], ft, [])
        else:
            actors = _resolve_group(resolver, subj, ft, unresolved="nominal", crowd=cfg.crowd_nouns)
        # an event named as the subject is no agent of its own ("the attack killed 17 people", "the strike
        # paralysed the city"): an uncoded subject whose head is an event noun is dropped
        # (the act still happened, by someone the sentence does not name)
        acts = [x for x in subj if x.pos_ == "NOUN" and cfg.res.verbs.get((x.lemma_.lower(), True))]
        kept = [m for m in actors if m.code or not any(m.start <= x.idx < m.end for x in acts)]
        unnamed = len(kept) < len(actors) or (bool(stopped) and not actors)
        if unnamed:
            c.rule.append("the subject is an event, not its agent: the agent is not named")
        actors = kept
        people_objects = _people_objects(cfg, c)
        if (c.frame_token is not None and c.frame_name == "request") or c.code[:2] in {"10", "02"}:
            recips = _first_resolved(resolver, _objects(ft) + _complement_subjects(ft), ft,
                                          actors, barred=barred)
            if not recips and t.i != ft.i:
                t_objects = _objects(t)
                recips = _first_resolved(resolver, t_objects, t, actors, barred=barred)
        else:
            hl = [[x for x in t.children if x.dep_ == "nsubj"]] if c.headline_passive else []
            # the pattern's own words ("monitor ceasefire") are the act, not whom it is done to
            t_objects = _objects(t)
            own = [g for g in t_objects if not all(x.i in c.consumed for x in g)]
            # an act judged ("condemned an attack by X", "welcomed X's decision") is judged in its agent
            judged = [x for x in t.children if x.dep_ == "dobj" and x.pos_ == "NOUN" and x.i not in c.consumed
                      and cfg.res.verbs.get((x.lemma_.lower(), True))] if c.code[:2] in JUDGING_ROOTS else []
            recips = _first_resolved(resolver, [g for x in judged for g in _noun_args(cfg, x)[0]], t, actors,
                                     barred=barred)
            if not recips and stopped:
                # what stopped was done to whom its noun names ("airstrikes on Gaza stopped")
                recips = _first_resolved(resolver, [g for x in stopped for g in _noun_args(cfg, x)[1]], t, actors,
                                         barred=barred)
            if not recips:
                # people acted on, named by a common noun, a crowd or a count as the object, come before the place
                # the act happened in ("detained three suspects in Moscow", "arrested 18 in Lagos")
                # (a visit's place is its host: "visit relatives in Cuba")
                people = [[x] for x in people_objects] if not c.code.startswith(cfg.host_place_codes) else []
                inner = [g for g in own if not all(x.dep_ == "pobj" and x.head.lower_ == "in" for x in g)]
                recips = _first_resolved(resolver, hl + (inner if people else own), t, actors, barred=barred)
                if not recips and people:
                    recips = _first_resolved(resolver, people, t, actors, unresolved="named",
                                             crowd=cfg.people_words, barred=barred)
            if not recips and c.frame_token is not None:
                recips = _first_resolved(resolver, _objects(ft), ft, actors, barred=barred)
        if not recips:
            # "police detained several suspects", "freed a former presidential candidate": people named by
            # a common noun as the direct object are the recipient, before any actor deeper in the sentence
            direct = [[x] for x in t.children if x.dep_ == "dative" and x.pos_ == "NOUN" and x.i not in c.consumed
                      and x.lemma_.lower() in cfg.person_nouns] + [[x] for x in people_objects]
            # ... or the object of a phrase that names the recipient ("provided assistance to 550 households")
            if t_objects is None:
                t_objects = _objects(t)
            direct += [[x for x in g if x.pos_ == "NOUN" and x.i not in c.consumed and x.dep_ == "pobj"
                        and x.head.lower_ in {"to", "against", "on", "at"} and x.lemma_.lower() in cfg.person_nouns]
                       for g in t_objects]
            recips = _first_resolved(resolver, direct, t, actors, unresolved="named", crowd=cfg.people_words,
                                     barred=barred)
        if not recips and c.code.startswith(cfg.addressed_codes):
            # "threatened to close the strait if the United States imposes sanctions": whom the condition names
            conditions = [x for w in dict.fromkeys((t, ft)) for x in w.children if x.dep_ == "advcl"
                          and any(m.dep_ == "mark" and m.lower_ in cfg.condition_marks for m in x.children)]
            recips = _first_resolved(resolver, [_subject(cfg, x)[0] for x in conditions], ft, actors)
        if not recips:
            recips = _deep_target(resolver, t, actors, cfg.protect_verbs, barred=barred)
            searched = bool(recips)
        if not recips:
            # "threatened to deliver blows to the United States": the complement's target
            for x in ft.children:
                if x.dep_ in {"xcomp", "ccomp"} and x.pos_ in {"VERB", "AUX"} and x.i != t.i:
                    recips = _first_resolved(resolver, _objects(x), x, actors, barred=barred)
                    if recips:
                        break
        if not recips:
            # a named person or group the dictionaries lack, as the object: kept without a code
            recips = _first_resolved(resolver, t_objects if t_objects is not None else _objects(t), t, actors,
                                     unresolved="named", barred=barred)
        if not recips and c.code in cfg.topic_codes:
            # "is pessimistic about the possibility of a deal": what the attitude is about, coded or not
            words = [t, *(t.doc[i] for i in sorted(c.consumed))]
            topics = [[g for g in p.children if g.dep_ in {"pobj", "pcomp"}] for w in words for p in w.children
                      if p.dep_ == "prep" and p.lower_ in cfg.topic_preps]
            # ... or what it hopes or fears of someone: "expressed hope that the Croatian government will change"
            topics += [[g for g in x.children if g.dep_ in {"nsubj", "nsubjpass"}] for w in words
                       for x in w.children if x.dep_ in {"ccomp", "acl"} and x.pos_ in {"VERB", "AUX"}]
            recips = _first_resolved(resolver, [g for g in topics if g], t, actors, unresolved="nominal", barred=barred)
        if c.pattern.option("converse") == "1" and t.i == ft.i:
            # "Iraq received weapons from Russia": the giver acts, the receiver is the recipient
            givers = [g for h in (t, *[d for d in t.children if d.dep_ == "dobj"]) for p in h.children
                      if p.dep_ == "prep" and p.lower_ == "from" for g in p.children if g.dep_ == "pobj"]
            actors, recips = _resolve_group(resolver, givers, t, unresolved="named"), actors
    # "Ceasefire begins in ...", "Protests erupted in ...": an event noun as the subject of a verb of
    # occurrence is said to happen, even when no one is named as its agent
    occurs = (c.pattern.noun and c.frame_token is None and t.dep_ in {"nsubj", "nsubjpass"}
              and t.head.lemma_.lower() in cfg.occurrence_verbs)
    # ... and an act of conflict (QuadClass 3 or 4: CAMEO 09-20) as the subject of any other verb that says something
    # of it, plainly, took place ("the riots cast doubt on the transition", "the crackdown drew criticism"); not one
    # that would, could or must ("sanctions would hurt the economy"), nor under a condition. (An agreement or talks
    # as the subject are mostly what a story is about, not an act of the sentence: "the agreement calls for
    # elections"; coding them too lost target spans on the ConfliBERT check half.)
    occurs = occurs or (c.pattern.noun and c.frame_token is None and t.dep_ == "nsubj"
                        and _conflict(cfg, c.code) and not _has_aux(t.head, cfg.modal_aux)
                        and not _clause_markers(t.head) & cfg.conditional)
    if c.pattern.noun and c.frame_token is None and not occurs:
        sufferer = _sufferer(cfg, t)  # "X died after torture": the torture happened, to X
        if sufferer or undergoer or witnessed:
            occurs = True  # (an act witnessed happened, by someone the sentence may not name)
            recips = recips or _resolve_group(resolver, sufferer, t, unresolved="nominal", barred=barred)
    if c.pattern.noun and c.frame_token is None and not actors and not occurs:
        return []  # a nominal event with no identifiable agent ("the attack") is not coded
    if c.pattern.noun and not recips:
        recips = _deep_target(resolver, t, actors, cfg.protect_verbs, barred=barred)
        searched = bool(recips)
    embedded = c.frame_token is not None and c.frame_name == "intend" and t.i != ft.i
    if (searched or embedded) and len(actors) > 1 and c.code.startswith(cfg.symmetric):
        # "Mexico and the United Kingdom signed an agreement to continue trading after the UK leaves the EU",
        # "Trump and Putin agreed to share information on North Korea": conjoined subjects of a symmetric act
        # are each other's partners; an actor found deeper in the complements, or as the object of the act
        # they agree on, is not
        recips = []
    needs = c.pattern.option("needs")
    # conjoined subjects of a symmetric act are each other's recipients ("Lavrov and Netanyahu discussed Syria")
    mutual = len(actors) > 1 and not recips and c.code.startswith(cfg.symmetric) and _mutual(cfg, c)
    if "recipient" in (needs or "").split("+") and not recips and not mutual:
        return []
    if not actors and not recips and not occurs and not unnamed:
        if not _agentless_passive(c):
            return []
        c.rule.append("agentless passive: the act happened, its agent is not named")
    negated = not c.neg_consumed and (_negated(t) or (c.frame_token is not None and _negated(c.frame_token)
                                                      and c.frame_name != "reject"))
    if (c.code.startswith("10") and not c.obliged and ft.lemma_.lower() in cfg.appeal_lemmas
            and not _hostile_request(cfg, c)):
        twin = "02" + c.code[2:]  # "urged Y to release" is an appeal (0253), "demanded" a demand (1053)
        c.rule.append(f"frames.toml [request] appeal {ft.lemma_.lower()}: {c.code} -> {twin}")
        c.code = twin
    info = cfg.res.cameo_info(c.code)
    mode = c.pattern.option("mode") if c.frame_token is None else None
    plover, table_mode = info.plover, info.plover_mode
    if c.frame_token is None and c.pattern.option("plover"):
        # PLOVER's codebook places a wording under another type than the CAMEO->PLOVER table's for its code
        # (charging and indicting: CAMEO 173, PLOVER ACCUSE/allege); the pattern says so
        plover, table_mode = c.pattern.option("plover"), None
    if not mode and not table_mode and plover in cfg.mode_words:
        mode = _mode_from_words(cfg, plover, t if t.i != ft.i else ft)
    if not plover and not c.code.startswith("01"):
        return []  # a code with no PLOVER type; CAMEO statements (01) are written with none
    attributed = None if c.obliged else _attribution(cfg, anchor, resolver)
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
    if geoparser is not None and places:
        locations = _locations(geoparser, doc, t, places, recips)
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
            plover_mode=mode or table_mode,
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
    if mutual:
        out = [_one_side(e, k) for e in out for k in range(len(actors))]
    elif len(actors) == 1 and recips and c.code.startswith(cfg.reciprocal):
        out = [side for e in out for side in (e, *(_other_side(e, k) for k in range(len(e.recipient))))]
    return out


def _conflict(cfg: CodingConfig, code: str) -> bool:
    """An act of conflict: CAMEO QuadClass 3 or 4 (verbal or material conflict, roots 09-20)."""
    return cfg.res.cameo_info(code).quad_class >= 3


def _people_objects(cfg: CodingConfig, c: Candidate) -> list[Token]:
    """The act's objects that are people named by a common noun ("detained several suspects"), a crowd or a count
    of them ("charged dozens", "arrested 18"; not "returned dozens of artifacts"), outside the pattern's words."""
    def people(x: Token) -> bool:
        if x.pos_ == "NOUN" and x.lemma_.lower() in cfg.person_nouns:
            return True
        if x.lower_ in cfg.crowd_nouns or (x.pos_ == "NUM" and x.ent_type_ in {"", "CARDINAL"}):
            return all(g.lemma_.lower() in cfg.person_nouns for p in x.children
                       if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj")
        return False
    return [x for x in c.token.children if x.dep_ in {"dobj", "nsubjpass"} and x.i not in c.consumed and people(x)]


def _claimant(cfg: CodingConfig, t: Token) -> Token | None:
    """The verb of "claimed / admitted / accepted responsibility for <t>", when t is that event noun."""
    h = t
    while h.dep_ == "conj":
        h = h.head
    p = h.head
    if not (h.dep_ == "pobj" and p.dep_ == "prep" and p.lower_ == "for"):
        return None
    n = p.head
    if n.lemma_.lower() not in cfg.agency_nouns or n.dep_ != "dobj" or any(x.dep_ == "poss" for x in n.children):
        return None
    v = n.head
    return v if v.pos_ == "VERB" and v.lemma_.lower() in cfg.claim_verbs and not _negated(v) else None


def _agentless_passive(c: Candidate) -> bool:
    """A passive act whose patient is named and whose agent is not ("a curfew was imposed in the city",
    headline "Curfew Lifted in Istanbul") is said to have happened, by no one named: it is kept without an actor,
    as a nominal event with a verb of occurrence is ("Ceasefire begins in ...")."""
    if c.pattern.noun or c.frame_token is not None:
        return False
    t = c.token
    if any(x.dep_ == "agent" for x in t.children):
        return False
    if c.headline_passive:
        return True  # a headline clause has a subject (_headline_clause), here its patient
    if t.dep_ == "acl" and t.tag_ == "VBN":
        return True  # "sanctions imposed on Iran": the participle's noun is the patient
    return any(x.dep_ == "nsubjpass" for x in t.children) and any(x.dep_ == "auxpass" for x in t.children)


def _mutual(cfg: CodingConfig, c: Candidate) -> bool:
    """Conjoined subjects of a hostile act fight each other only when it has no object of its own ("A and B
    clashed", "A and B violated the ceasefire") and it is not carried out through a light verb: "A and B
    attacked the convoy" and "A and B launched an offensive" are joint acts. Agreements, talks and cooperation
    are mutual whatever their object ("A and B agreed a trade deal")."""
    if c.code[:2] < "14":
        return True
    t = c.token
    return (all(x.i in c.consumed for x in t.children if x.dep_ == "dobj")
            and t.lemma_.lower() not in cfg.light_verbs)


def _other_side(ev: Event, k: int) -> Event:
    """'A held talks with B': a reciprocal act is also B->A (frames.toml [symmetric] reciprocal_prefixes)."""
    return _side(ev, [ev.recipient[k]], list(ev.actor), f"/r{k}",
                 f"frames.toml [symmetric] reciprocal: the other side ({k + 1} of {len(ev.recipient)})")


def _one_side(ev: Event, k: int) -> Event:
    """'A and B met': a symmetric act is A->B and B->A, one event per side."""
    return _side(ev, [ev.actor[k]], [a for j, a in enumerate(ev.actor) if j != k], f"/{k}",
                 f"frames.toml [symmetric]: side {k + 1} of {len(ev.actor)}")


def _side(ev: Event, actor: list[ActorMention], recipient: list[ActorMention], tag: str, why: str) -> Event:
    side = replace(ev, actor=actor, recipient=recipient, explain=dict(ev.explain))
    side.event_id = make_event_id(ev.doc_id, ev.sentence, ev.trigger.start, f"{ev.event_id}{tag}")
    side.explain["symmetric"] = why
    return side


def _locations(geoparser: GeoparserLike | None, doc: Doc, t: Token, places: list[Location],
               recips: list[ActorMention]) -> list[Location | None]:
    assert geoparser is not None
    starts = token_starts(doc)
    # the tokens starting inside a recipient's characters, by bisection rather than a scan of the document
    target_ids = sorted({i for r in recips
                         for i in range(bisect_left(starts, r.start), bisect_left(starts, r.end))})
    try:
        loc = geoparser.event_location(doc, places, t.i, target_ids)
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
