"""Factuality: what the text claims about each event (asserted, reported, alleged, denied, ...).

One entry point, `FactualityReader.apply`, run by the engine on the events of one sentence. It
reads the cue words of `data/factuality.toml` from each event's own word (the act) up the parse,
composes them (see the comment at the top of that file), sets `Event.factuality`, `negated`,
`parent` (the speech act the event is embedded in, when that act is an event of the sentence) and
`attributed_to` (who reports, alleges, denies or demands it), and keeps the cue words with their
offsets in `Event.explain["factuality_cues"]` for `dossier explain`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from ..errors import ResourceError
from ..model import ActorMention, Event
from ..nlp import preps_above

DATA_FILE = Path(__file__).parent / "data" / "factuality.toml"

# arcs by which an act is a word's subject: that word says nothing about whether the act happened
SUBJECT_ARCS = {"nsubj", "nsubjpass", "csubj", "expl"}
# value of the cue nearest the act (rule 2), by cue kind
NEAREST = {"negation": "negated", "condition": "conditional", "threat": "threatened", "demand": "demanded",
           "intention": "intended"}
# order of cues found on one and the same word: the first decides
_SAME_WORD_ORDER = ("negation", "condition", "threat", "demand", "intention")
# what a frame of the engine (frames.toml) makes of the act it embeds
FRAME_KIND = {"threaten": "threat", "request": "demand", "intend": "intention", "reject": "negation"}


@dataclass(frozen=True)
class Cue:
    kind: str  # report, allegation, denial, demand, intention, threat, condition, negation
    token: Token
    speaker: Token | None = None  # the word whose subject reports / alleges / denies / demands

    def to_dict(self) -> dict[str, Any]:
        t = self.token
        return {"kind": self.kind, "text": t.text, "start": t.idx, "end": t.idx + len(t.text)}


@dataclass
class Act:
    """What the engine knows about one event it built: the word of the act and how it was framed."""

    token: Token  # the act's own word ("killing", "release"), or the frame word for a speech act
    frame: str | None = None  # frames.toml frame that embeds this act ("request", "threaten", ...)
    frame_token: Token | None = None  # the frame's word (the speech act's trigger)
    speech_act: bool = False  # this event is the frame's own event (REQUEST, THREATEN, AGREE, REJECT)
    modality: bool = False  # framed by the act's own auxiliaries ("will send", "would strike if")
    threat: bool = False  # the act is itself a threat (CAMEO 13): its if/unless clause is what it threatens on
    negation_read: bool = False  # the frame word's negation is read into the code ("did not agree" -> REJECT)


@lru_cache(maxsize=4)
def load_cues(path: Path = DATA_FILE) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ResourceError(f"{path}: cannot read factuality cues ({exc})") from exc
    return data


def _set(d: dict[str, Any], section: str, key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in d.get(section, {}).get(key, []))


class FactualityReader:
    def __init__(self, data: dict[str, Any] | None = None) -> None:
        d = data if data is not None else load_cues()
        self.report_verbs = _set(d, "report", "verbs")
        self.report_nouns = _set(d, "report", "nouns")
        self.report_preps = _set(d, "report", "prepositions")
        self.allege_verbs = _set(d, "allegation", "verbs")
        self.allege_nouns = _set(d, "allegation", "nouns")
        self.deny_verbs = _set(d, "denial", "verbs")
        self.deny_claim_verbs = _set(d, "denial", "verbs_of_claims")
        self.deny_nouns = _set(d, "denial", "nouns")
        self.demand_verbs = _set(d, "demand", "verbs")
        self.demand_nouns = _set(d, "demand", "nouns")
        self.demand_aux = _set(d, "demand", "auxiliaries")
        self.demand_object_verbs = _set(d, "demand", "object_verbs")
        self.intent_verbs = _set(d, "intention", "verbs")
        self.intent_adjs = _set(d, "intention", "adjectives")
        self.intent_nouns = _set(d, "intention", "nouns")
        self.intent_aux = _set(d, "intention", "auxiliaries")
        self.intent_object_verbs = _set(d, "intention", "object_verbs")
        self.intent_past_done = _set(d, "intention", "past_done")
        self.threat_verbs = _set(d, "threat", "verbs")
        self.threat_nouns = _set(d, "threat", "nouns")
        self.cond_aux = _set(d, "condition", "auxiliaries")
        self.cond_marks = _set(d, "condition", "markers")
        self.cond_advs = _set(d, "condition", "adverbs")
        self.cond_nouns = _set(d, "condition", "nouns")
        self.cond_verbs = _set(d, "condition", "verbs")
        self.warning_verbs = _set(d, "condition", "warning_verbs")
        self.warning_preps = _set(d, "condition", "warning_prepositions")
        self.cond_past_happened = _set(d, "condition", "past_happened")
        self.neg_words = _set(d, "negation", "words")
        self.neg_verbs = _set(d, "negation", "verbs")
        self.neg_nouns = _set(d, "negation", "nouns")
        self.abandon_verbs = _set(d, "negation", "abandon_verbs")
        self.prevent_verbs = _set(d, "negation", "prevent_verbs")
        self.dropping_verbs = self.abandon_verbs | self.prevent_verbs  # what they govern as a plan is not done
        self.hedge_reported = _set(d, "hedges", "reported")
        self.hedge_alleged = _set(d, "hedges", "alleged")
        self.answering_verbs = _set(d, "speaker", "answering_verbs")

    def cue_verbs(self) -> frozenset[str]:
        """Every verb read as a cue by its lemma (report, allegation, denial, demand, intention, threat, condition,
        negation)."""
        return (self.report_verbs | self.allege_verbs | self.deny_verbs | self.deny_claim_verbs | self.demand_verbs
                | self.demand_object_verbs | self.intent_verbs | self.threat_verbs | self.cond_verbs | self.neg_verbs
                | self.warning_verbs)

    # ------------------------------------------------------------------ the entry point
    def apply(self, events: list[Event], acts: dict[str, Act],
              speaker_of: Callable[[Token], list[ActorMention]]) -> None:
        """Set factuality, negated, parent, attributed_to and the cues of a sentence's events.

        `acts` maps event_id to what the engine knows of the event; `speaker_of(word)` resolves the
        subject of a speech word to actors (who said, alleged, denied or demanded it)."""
        by_start = {e.trigger.start: e for e in events}
        for ev in events:
            act = acts.get(ev.event_id)
            if act is None:
                continue
            cues = self.cues(act)
            value, deciding = self.compose(cues)
            if ev.negated and value in {"asserted", "reported", "alleged"}:
                value = "negated"  # the engine's own negation reading ("did not attack")
            ev.factuality = value
            ev.negated = value == "negated"
            if cues:
                ev.explain = {**ev.explain, "factuality_cues": [c.to_dict() for c in cues]}
            # the speech act this event is embedded in: the event whose trigger is the deciding cue's word
            # (a frame's own event takes a host too when a word above its frame decides: "accused Y of refusing")
            embedded = not act.speech_act or (deciding is not None and deciding.token.i != act.token.i)
            if ev.parent is None and deciding is not None and embedded:
                # the deciding word's event, else the nearest speech act above it ("stressed the need to ...")
                for cue in cues[cues.index(deciding):]:
                    host = by_start.get(cue.token.idx)
                    if host is not None and host is not ev:
                        ev.parent = host.event_id
                        break
            # who reports, alleges, denies or demands it
            if value in {"reported", "alleged", "denied", "demanded"} and embedded:
                speakers = [c.speaker for c in cues if c.speaker is not None
                            and c.kind in {"report", "allegation", "denial", "demand"}]
                found: list[ActorMention] = list(ev.attributed_to or [])
                for sp in reversed(speakers):  # outermost speaker first
                    for m in speaker_of(sp):
                        if not any(m.code == f.code and m.start == f.start for f in found):
                            found.append(m)
                if found or speakers or ev.attributed_to is not None:
                    ev.attributed_to = found

    # ------------------------------------------------------------------ reading cues
    def compose(self, cues: list[Cue]) -> tuple[str, Cue | None]:
        """The factuality the cues (nearest the act first) give, and the cue that decided it."""
        denial = next((c for c in reversed(cues) if c.kind == "denial"), None)
        if denial is not None:
            return "denied", denial
        nearest = next((c for c in cues if c.kind in NEAREST), None)
        if nearest is not None:
            return NEAREST[nearest.kind], nearest
        for kind, value in (("allegation", "alleged"), ("report", "reported")):
            cue = next((c for c in cues if c.kind == kind), None)
            if cue is not None:
                return value, cue
        return "asserted", None

    def cues(self, act: Act) -> list[Cue]:
        """Cue words from the act up to the root, nearest first."""
        t = act.token
        out: list[Cue] = []
        if act.speech_act:
            # the frame's own event: its cues start above the frame word (the act's auxiliaries were the frame)
            if not act.modality and not act.negation_read:
                out.extend(self._own(t, negation_only=True))
        else:
            own = self._own(t)
            if act.threat:
                # "warned of severe consequences if the US sells arms": the condition is the threat's, which is made
                own = [c for c in own if not (c.kind == "condition" and c.token.dep_ == "mark")]
            if act.frame and act.modality:
                # "will send", "would strike unless": the frame read from the act's own auxiliary or clause,
                # after the act's own negation ("will not impose sanctions": not imposed; but "must not send"
                # is still a demand)
                if act.frame != "request":
                    out.extend(c for c in own if c.kind == "negation")
                auxes = sorted((c for c in t.children if c.dep_ == "aux"), key=lambda c: c.lower_ == "to")
                marks = [m for c in t.children if c.dep_ == "advcl" for m in c.children if m.dep_ == "mark"]
                word = (auxes + marks + [t])[0]  # "will", then a headline's "to", then "unless"
                out.append(Cue(FRAME_KIND[act.frame], word))
            out.extend(c for c in own if not any(o.token.i == c.token.i for o in out))
        cur = t
        for _ in range(30):
            if cur.head.i == cur.i:
                break
            arc, h = cur.dep_, cur.head
            if arc == "relcl" or (arc in {"amod", "acl"} and cur.tag_ == "VBN"
                                  and not any(c.dep_ == "mark" for c in cur.children)):
                # "the hospital that forces bombed", "jailed activists": presupposed, not reported
                break
            if arc in {"conj", "cc"} or arc in SUBJECT_ARCS:
                cur = h
                continue
            if arc == "advcl":
                marks = [m for m in cur.children if m.dep_ == "mark"]
                mark = next((m for m in marks if m.lower_ in self.cond_marks), None)
                if mark is not None:
                    out.append(Cue("condition", mark))
                elif marks:
                    break  # "... after crowds trashed its embassy": a temporal or causal clause is presupposed
            cue = self._governing(cur, h)
            # "warned that it would strike": the warning is the threat itself, not a threat of a threat
            if cue is not None and not (act.speech_act and act.frame and cue.kind == FRAME_KIND.get(act.frame)):
                out.append(cue)
            # "X denied involvement in ...", "according to X": a preposition's object reads through
            cur = h
        # "according to X" anywhere above the act (read from the document's tables, a token built only for a cue)
        for c in preps_above(t.doc, t.i, self.report_preps):
            if not any(x.token.i == c for x in out):
                out.append(Cue("report", t.doc[c]))
        return out

    def _own(self, t: Token, negation_only: bool = False) -> list[Cue]:
        """Cues on the act's own word: negation, modal and future auxiliaries, hedges, if/unless clauses."""
        found: dict[str, Cue] = {}
        for c in t.children:
            low = c.lower_
            if c.dep_ == "neg" or (low in self.neg_words and c.dep_ in {"advmod", "neg", "det", "preconj"}):
                found.setdefault("negation", Cue("negation", c))
            elif c.dep_ in {"nsubj", "nsubjpass", "dobj"} and (
                    low in {"nobody", "none"} or any(g.dep_ == "det" and g.lower_ == "no" for g in c.children)):
                found.setdefault("negation", Cue("negation", c))
            if negation_only:
                continue
            if c.dep_ == "aux":
                if low in self.cond_aux:
                    found.setdefault("condition", Cue("condition", c))
                elif low in self.demand_aux:
                    found.setdefault("demand", Cue("demand", c))
                elif low in self.intent_aux:
                    found.setdefault("intention", Cue("intention", c))
            elif c.dep_ == "advmod" and low in self.cond_advs:
                found.setdefault("condition", Cue("condition", c))
            elif c.dep_ == "advcl":
                mark = next((m for m in c.children if m.dep_ == "mark" and m.lower_ in self.cond_marks), None)
                if mark is not None:
                    found.setdefault("condition", Cue("condition", mark))
        out = [found[k] for k in _SAME_WORD_ORDER if k in found]
        if not negation_only:
            for c in t.children:
                if c.dep_ == "advmod" and c.lower_ in self.hedge_alleged:
                    out.append(Cue("allegation", c))
                elif c.dep_ == "advmod" and c.lower_ in self.hedge_reported:
                    out.append(Cue("report", c))
        return out

    def _governing(self, cur: Token, h: Token) -> Cue | None:
        """The cue that word h, governing cur (on the way up from the act), adds."""
        lemma = h.lemma_.lower()
        arc = cur.dep_
        if h.pos_ in {"VERB", "AUX"} or (h.pos_ == "ADJ" and lemma in self.intent_adjs):
            has_object = any(c.dep_ in {"dobj", "dative"} for c in h.children) or any(
                c.dep_ == "prep" and c.lower_ in {"on", "upon"} for c in h.children)
            clausal = arc in {"ccomp", "parataxis"}
            # "threatened to close", "called on X to release" (an adverbial clause only with "to")
            infinitive = arc == "xcomp" or (arc in {"ccomp", "advcl"} and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in cur.children))
            if lemma in self.deny_verbs:
                return Cue("denial", h, h)
            if lemma in self.deny_claim_verbs and cur.lemma_.lower() in (self.allege_nouns | self.report_nouns):
                return Cue("denial", h, h)
            if lemma in self.neg_verbs and infinitive:
                return Cue("negation", h)
            if lemma in self.abandon_verbs and arc in {"dobj", "nsubjpass"} and (
                    cur.lemma_.lower() in self.intent_nouns or cur.lower_ in self.intent_nouns):
                return Cue("negation", h)  # "shelved plans to annex ...": the plan (a frame's own word) dropped
            if lemma in self.prevent_verbs and arc in {"dobj", "nsubjpass"}:
                return Cue("negation", h)  # "police foiled an attack": it did not happen
            if h.pos_ == "ADJ":
                return Cue("intention", h) if infinitive else None
            if lemma in self.warning_verbs and arc == "prep" and cur.lower_ in self.warning_preps:
                return Cue("condition", h)  # "warned against attacking Iran": a possibility, not a fact
            if lemma in self.threat_verbs and (infinitive or (clausal and lemma != "warn")
                                               or (clausal and self._future(cur))):
                return Cue("threat", h, h)
            if lemma in self.demand_verbs and lemma in self.report_verbs and clausal:
                return Cue("report", h, h)  # "told reporters that ...": a report, not a demand
            if lemma in self.demand_verbs and (infinitive or clausal or arc == "prep" or (
                    arc == "dobj" and lemma in self.demand_object_verbs)):
                if lemma in self.intent_verbs and not has_object:
                    return Cue("intention", h, h)  # "wants to join" vs "wants Israel to stop"
                return Cue("demand", h, h)
            if lemma in self.intent_verbs and (infinitive or arc == "prep"):
                return Cue("intention", h, h)
            if lemma in self.intent_object_verbs and arc == "dobj" and not (
                    lemma in self.intent_past_done and h.tag_ in {"VBD", "VBN"}):
                return Cue("intention", h, h)  # "is preparing an invasion": not yet done
            if lemma in self.cond_verbs and arc == "dobj" and not (
                    lemma in self.cond_past_happened and h.tag_ in {"VBD", "VBN"}):
                return Cue("condition", h)  # "face arrest", "risk imprisonment"; not "faced criticism"
            if lemma in self.allege_verbs:
                return Cue("allegation", h, h)
            if lemma in self.report_verbs and arc in {"ccomp", "parataxis", "xcomp", "dobj"}:
                return Cue("report", h, h)
            return None
        if h.pos_ in {"NOUN", "PROPN"} and arc in {"acl", "ccomp", "prep", "relcl", "appos", "xcomp"}:
            speaker = self._noun_speaker(h)
            if speaker is not None and speaker.lemma_.lower() in self.answering_verbs:
                speaker = None  # "rejected an invitation to attend": not the rejecter's invitation
            if (lemma in self.neg_nouns or h.lower_ in self.neg_nouns) and arc in {"acl", "xcomp"}:
                return Cue("negation", h)  # "Iran's refusal to release the sailors": not released
            if ((lemma in self.intent_nouns or h.lower_ in self.intent_nouns) and arc in {"acl", "xcomp"}
                    and h.dep_ in {"dobj", "nsubjpass"}
                    and h.head.lemma_.lower() in self.dropping_verbs):
                return Cue("negation", h.head)  # "shelved plans to annex ...": the plan dropped, not done
            for nouns, kind in ((self.deny_nouns, "denial"), (self.allege_nouns, "allegation"),
                                (self.demand_nouns, "demand"), (self.threat_nouns, "threat"),
                                (self.intent_nouns, "intention"), (self.cond_nouns, "condition"),
                                (self.report_nouns, "report")):
                if lemma in nouns or h.lower_ in nouns:
                    return Cue(kind, h, speaker)
        return None

    def _future(self, t: Token) -> bool:
        return any(c.dep_ == "aux" and c.lower_ in self.intent_aux for c in t.children)

    @staticmethod
    def _noun_speaker(n: Token) -> Token | None:
        """Whose allegation / demand / denial: the verb the noun is the object of ("rejected allegations")."""
        if n.dep_ in {"dobj", "pobj", "attr"}:
            h = n.head if n.dep_ != "pobj" else n.head.head
            if h.pos_ in {"VERB", "AUX"}:
                return h
        return None
