"""Each coding stage run alone on a real spaCy parse: triggers, arguments, frames, events."""

from __future__ import annotations

import pytest

from dossier.coding._actors import ActorResolver
from dossier.coding._arguments import _first_resolved, _objects, _resolve_group, _subject
from dossier.coding._events import Candidate, _build_event, _dedupe
from dossier.coding._frames import _attribution, _frame_map, _governing_frame, _speech_head
from dossier.coding._triggers import _headline_infinitive, _match, _negated, dep_path
from dossier.model import Document

DATE = "2023-05-01"


@pytest.fixture(scope="module")
def parse(coder):
    def run(text: str):
        return coder.parse([text])[0]

    return run


def word(doc, text: str):
    return next(t for t in doc if t.text == text)


def resolver(coder, doc):
    return ActorResolver(coder.res, coder.nlp, doc, DATE, coder.place_country)


def test_triggers_find_the_pattern_and_its_negation(coder, parse):
    doc = parse("Iran did not condemn Israel.")
    m = _match(coder.cfg, word(doc, "condemn"))
    assert m is not None
    pattern, used = m
    assert pattern.trigger == "condemn" and pattern.cameo.startswith("11") and pattern.source.startswith("verbs")
    assert used == set()  # a one-word pattern consumes no other token
    assert _negated(word(doc, "condemn"))
    assert _match(coder.cfg, word(doc, "Israel")) is None  # a name starts no pattern
    assert not _negated(word(parse("Iran condemned Israel."), "condemned"))


def test_triggers_read_a_headline_infinitive_as_future(parse):
    assert _headline_infinitive(word(parse("Turkey to send troops to Libya"), "send"))
    assert not _headline_infinitive(word(parse("Turkey sent troops to Libya."), "sent"))


def test_arguments_of_a_passive_with_a_by_agent(coder, parse):
    doc = parse("A refugee camp in Chad was attacked by Sudanese militiamen.")
    v = word(doc, "attacked")
    heads, by_agent = _subject(coder.cfg, v)
    assert [t.text for t in heads] == ["militiamen"] and by_agent
    assert [t.text for t in _objects(v)[0]] == ["camp"]  # the passive subject is the first recipient
    res = resolver(coder, doc)
    actors = _resolve_group(res, heads, v)
    assert [a.code for a in actors] and actors[0].code.startswith("SDN")
    assert actors[0].path == dep_path(v, heads[0]) == "attacked >agent by >pobj militiamen"
    recips = _first_resolved(res, _objects(v), v, actors)
    assert recips and recips[0].code.startswith("TCD")


def test_frames_give_the_speech_head_and_the_speaker(coder, parse):
    doc = parse("Egypt's foreign minister said that Russia attacked Ukraine.")
    act = word(doc, "attacked")
    head = _speech_head(coder.cfg, act)
    assert head is not None and head.text == "said"
    speakers = _attribution(coder.cfg, act, resolver(coder, doc))
    assert speakers and speakers[0].code.startswith("EGY")
    # a main-clause act is nobody's report
    plain = parse("Russia attacked Ukraine.")
    assert _speech_head(coder.cfg, word(plain, "attacked")) is None
    assert _attribution(coder.cfg, word(plain, "attacked"), resolver(coder, plain)) is None


def test_frames_recode_a_threatened_act(coder, parse):
    doc = parse("Iran threatened to close the Strait of Hormuz.")
    act = word(doc, "close")
    frame = _governing_frame(coder.cfg, act)
    assert frame is not None and frame[0] == "threaten" and frame[1].text == "threatened"
    m = _match(coder.cfg, act)
    assert m is not None and not m[0].cameo.startswith("13")
    assert (_frame_map(coder.cfg, "threaten", m[0].cameo) or "").startswith("13")


def test_events_build_one_event_from_a_candidate(coder, parse):
    text = "Turkish troops shelled Kurdish positions near Kobani."
    doc = parse(text)
    sent = next(iter(doc.sents))
    t = word(doc, "shelled")
    m = _match(coder.cfg, t)
    assert m is not None
    pattern, used = m
    cand = Candidate(t, pattern, used, pattern.cameo, [f"{pattern.source} {pattern.text}"])
    document = Document(id="t", text=text, date=DATE, language="en")
    events = _build_event(coder.cfg, None, document, doc, sent, 0, cand, resolver(coder, doc), [], [])
    assert len(events) == 1
    e = events[0]
    assert e.plover == "ASSAULT" and [a.code for a in e.actor] == ["TURMIL"] and e.recipient
    assert e.trigger.text == "shelled" and not e.negated and e.location is None
    # the same act found twice in a sentence is one event
    twin = _build_event(coder.cfg, None, document, doc, sent, 0, cand, resolver(coder, doc), [], [])
    assert len(_dedupe(events + twin)) == 1
