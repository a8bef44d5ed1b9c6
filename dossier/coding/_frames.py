"""Stage 3, frames: what governs an act (frames.toml) and who reports it.

`_governing_frame` / `_frame_map` recode an act governed by threaten / promise / urge / refuse (and the
intention adjectives) into one THREATEN / AGREE / REQUEST / REJECT code; `_mode_from_words` picks a
PLOVER mode from the words under the trigger; `_speech_head` and `_attribution` find the speech verb
whose reported clause holds an act and who said it; `_accusations` turns a speaker's statement that a
third party committed a hostile act into an ACCUSE event.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Token

from .._version import CODER_VERSION
from ..model import ActorMention, Document, Event, Reference, Span
from ..nlp import dep_tree, doc_text, preps_above, token_table
from ._actors import ActorResolver
from ._arguments import _resolve_group, _subject
from ._config import CodingConfig
from ._triggers import _has_aux, _sent_bounds, dep_path

# arcs by which a clause hangs under the verb that reports it ("X said [that] ...", "X proved [that] ...")
ATTRIBUTION_ARCS = {"ccomp", "parataxis", "dobj", "xcomp"}
# roots of the hostile acts a speaker is taken to accuse someone of (coercion and violence)
ACCUSABLE_ROOTS = {"17", "18", "19", "20"}


def _speech_head(cfg: CodingConfig, t: Token) -> Token | None:
    """The speech verb whose reported clause contains t, if any."""
    cur = t
    for _ in range(12):
        if cur.head.i == cur.i:
            return None
        arc, h = cur.dep_, cur.head
        if h.lemma_.lower() in cfg.speech_lemmas and h.pos_ in {"VERB", "AUX"} and arc in {"ccomp", "parataxis"}:
            return h
        if arc in {"relcl", "acl", "advcl"}:
            return None
        cur = h
    return None


def _mode_from_words(cfg: CodingConfig, plover: str, t: Token) -> str | None:
    words = cfg.mode_words.get(plover)
    if not words:
        return None
    lemmas = {x.lemma_.lower() for x in t.subtree} | {x.lower_ for x in t.subtree}
    for mode, ws in words.items():
        if lemmas & set(ws):
            return mode
    return None


def _frame_map(cfg: CodingConfig, name: str, code: str) -> str | None:
    f = cfg.frames.get(name)
    if not f:
        return None
    root = code[:2]
    if name == "intend" and root in {"13", "14", "15", "16", "17", "18", "19", "20"}:
        f = cfg.frames.get(f.get("hostile", "threaten"), f)
    m: dict[str, str] = f.get("map", {})
    for n in range(len(code), 1, -1):
        if code[:n] in m:
            return m[code[:n]]
    return m.get("*")


def _stopping_verb(cfg: CodingConfig, t: Token) -> Token | None:
    """The verb of stopping (frames.toml [frames.stop]) that governs the act at t: its gerund ("stopped attacking"),
    its object ("withdrew its complaint"), or a plan noun's complement as its object ("suspended plans to impose
    curfews", "delayed plans for banning the party")."""
    def stops(x: Token) -> bool:
        return x.pos_ == "VERB" and cfg.frame_of.get(x.lemma_.lower()) == "stop"

    h = t.head
    if h.i == t.i:
        return None
    if t.dep_ == "xcomp" and t.tag_ == "VBG":
        return h if stops(h) else None
    if t.pos_ == "NOUN" and t.dep_ in {"dobj", "nsubjpass"}:
        return h if stops(h) else None
    plan: Token | None = None
    if t.dep_ == "acl" and t.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
        plan = h
    elif t.dep_ in {"pcomp", "pobj"} and h.dep_ == "prep" and h.lower_ in {"for", "on", "of"}:
        plan = h.head
    if plan is not None and plan.lemma_.lower() in cfg.plan_nouns and plan.dep_ in {"dobj", "nsubjpass"} \
            and stops(plan.head):
        return plan.head
    return None


def _governing_frame(cfg: CodingConfig, t: Token) -> tuple[str, Token] | None:
    # an act stopped, or a plan of it dropped, is yielded: "stopped attacking", "suspended plans to impose curfews"
    stop = _stopping_verb(cfg, t)
    if stop is not None:
        return "stop", stop
    # an act named by a noun after an intent verb is intended too: "agreed to a ceasefire", "agreed on talks"
    if t.pos_ == "NOUN" and t.dep_ == "pobj" and t.head.lower_ in {"to", "on"} and t.head.head.pos_ == "VERB" \
            and cfg.frame_of.get(t.head.head.lemma_.lower()) == "intend":
        return "intend", t.head.head
    # ... and one weighed is only considered: "is weighing a ban on imports"
    if t.pos_ == "NOUN" and t.dep_ == "dobj" and cfg.frame_of.get(t.head.lemma_.lower()) == "consider":
        return "consider", t.head
    if t.dep_ not in {"xcomp", "ccomp", "advcl", "conj"}:
        return None
    h = t.head
    if t.dep_ == "conj":
        return _governing_frame(cfg, h) if h.dep_ in {"xcomp", "ccomp"} else None
    lemma = h.lemma_.lower()
    if h.pos_ == "ADJ" and lemma in cfg.intent_adjs:
        return "intend", h
    name = cfg.frame_of.get(lemma)
    if name is None or name == "stop":
        return None
    if t.dep_ == "ccomp" and name not in {"request", "threaten"}:
        return None
    infinitival = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
    if t.dep_ == "advcl" and name != "request" and not infinitival:
        return None  # "to V" under a frame verb is its complement, whatever the parser called it
    if name == "threaten" and lemma == "warn" and t.dep_ != "xcomp":
        return None
    return name, h


def _attribution(cfg: CodingConfig, t: Token, resolver: ActorResolver) -> list[ActorMention] | None:
    chain: list[ActorMention] = []
    found = False
    cur = t
    steps = 0
    while cur.head.i != cur.i and steps < 12:
        arc, h = cur.dep_, cur.head
        steps += 1
        if h.lemma_.lower() in cfg.speech_lemmas and h.pos_ in {"VERB", "AUX"} and arc in ATTRIBUTION_ARCS:
            found = True
            subj, _ = _subject(cfg, h)
            chain[:0] = _resolve_group(resolver, subj, h)
        cur = h
    # "according to X" (the words looked for in the document's tables, a token built only for what is found)
    doc = t.doc
    dep = token_table(doc).dep
    children = dep_tree(doc)[1]
    for c in preps_above(doc, t.i, {"according"}):
        for to in children[c]:
            objs = [doc[g] for g in children[to] if dep[g] == "pobj"]
            ms = _resolve_group(resolver, objs, t)
            if objs:
                found = True
                chain.extend(ms)
    return chain if found else None


def _asserting_speech_verb(cfg: CodingConfig, trig: Token) -> Token | None:
    """The speech verb, before the content, whose clause asserts the act at trig ("X noted that Y ...").

    A hostile act inside a relative or adverbial clause is not what the speaker asserts."""
    cur = trig
    while cur.head.i != cur.i:
        arc, h = cur.dep_, cur.head
        if arc in {"relcl", "acl", "advcl", "prep"} and cur.pos_ in {"VERB", "AUX"}:
            return None
        if (h.lemma_.lower() in cfg.speech_lemmas and h.pos_ == "VERB" and arc in ATTRIBUTION_ARCS
                and h.i < trig.i):
            return h
        cur = h
    return None


def _accusations(cfg: CodingConfig, document: Document, doc: Doc, sent: Any, si: int, events: list[Event],
                 resolver: ActorResolver, references: list[Reference]) -> list[Event]:
    """A speaker who states that a third party committed a hostile act accuses it."""
    out: list[Event] = []
    seen: dict[tuple[int, str], str] = {}  # (speech verb, accused) -> the accusation's event_id
    for ev in events:
        if ev.cameo[:2] not in ACCUSABLE_ROOTS or not ev.actor or not ev.happened:
            continue
        trig = next((x for x in sent if x.idx == ev.trigger.start), None)
        if trig is None or _has_aux(trig, cfg.future_aux | cfg.obligation_aux):
            continue
        h = _asserting_speech_verb(cfg, trig)
        if h is None:
            continue
        subj, _ = _subject(cfg, h)
        speakers = _resolve_group(resolver, subj, h)
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
        info = cfg.res.cameo_info(cfg.accuse_code)
        start, end = _sent_bounds(sent)
        accusation = Event(
            doc_id=document.id, sentence=si, date=document.date, plover=info.plover,
            plover_mode="allege", cameo=cfg.accuse_code, quad_class=info.quad_class,
            goldstein=info.goldstein, actor=speakers,
            recipient=[ActorMention(a.text, a.code, a.country, a.sector, a.start, a.end,
                                    f"{dep_path(h, trig)} ; {a.path}") for a in targets],
            trigger=Span(h.text, h.idx, h.idx + len(h.text)),
            rule=f"frames.toml [speech] {h.lemma_} that <{ev.plover} by third party> -> "
                 f"{cfg.accuse_code} (from {ev.rule})",
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
