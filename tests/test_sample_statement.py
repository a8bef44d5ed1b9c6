"""The project's first end-to-end test: the Syrian Opposition Coalition's statement."""

from __future__ import annotations

import pytest

from dossier.model import Document

from .conftest import SAMPLE, need


@pytest.fixture(scope="module")
def coded(coder):
    text = need(SAMPLE).read_text(encoding="utf-8")
    from dossier.ingest import normalize_text

    text = normalize_text(text)
    return coder.code(Document(id="soc", text=text, date="2023-05-10", language="en")), text


def codes(ms):
    return {m.code for m in ms or [] if m.code}  # mentions the dictionaries lack have no code


def test_every_trigger_offset_points_at_its_words(coded):
    cd, text = coded
    assert cd.events
    for e in cd.events:
        assert text[e.trigger.start:e.trigger.end] == e.trigger.text
        for m in e.actor + e.recipient + (e.attributed_to or []):
            assert text[m.start:m.end] == m.text
        for r in e.references:
            assert text[r.start:r.end] == r.text


def test_coalition_accuses_government(coded):
    cd, _ = coded
    acc = [e for e in cd.events if e.plover == "ACCUSE" and any(c.startswith("SYROPP") for c in codes(e.actor))
           and "SYRGOV" in codes(e.recipient) and not e.negated]
    assert acc, [(e.plover, codes(e.actor), codes(e.recipient)) for e in cd.events]


def test_coalition_writes_to_arab_league_oic_gcc(coded):
    cd, _ = coded
    evs = [e for e in cd.events if any(c.startswith("SYROPP") for c in codes(e.actor))
           and any(c.startswith("IGO") for c in codes(e.recipient))]
    assert evs
    igo = set().union(*(codes(e.recipient) for e in evs))
    assert len([c for c in igo if c.startswith("IGO")]) >= 3, igo


def test_coalition_requests_accountability_and_transition(coded):
    cd, text = coded
    req = [e for e in cd.events if e.plover == "REQUEST" and any(c.startswith("SYROPP") for c in codes(e.actor))]
    assert req
    sentences = {e.sentence_text for e in req}
    assert any("accountable" in s for s in sentences)
    assert any("political transition" in s for s in sentences)
    assert all(e.plover_mode for e in req)


def test_opcw_finds_against_government(coded):
    cd, _ = coded
    evs = [e for e in cd.events if e.plover == "ACCUSE" and any(c.startswith("IGO") for c in codes(e.actor))
           and "SYRGOV" in codes(e.recipient)]
    assert evs
    assert any("Prohibition of Chemical Weapons" in m.text for e in evs for m in e.actor)


def test_chemical_attacks_are_attributed_government_assaults(coded):
    cd, _ = coded
    att = [e for e in cd.events if e.plover == "ASSAULT" and "chemical" in (e.sentence_text or "")
           and "SYRGOV" in codes(e.actor)]
    assert att
    for e in att:
        assert e.plover_mode == "unconventional"
        assert e.cameo.startswith("204")
        assert e.attributed_to, "an allegation is never asserted as fact"
        assert any(c.startswith("SYROPP") for c in codes(e.attributed_to))


def test_references_extracted(coded):
    cd, _ = coded
    ids = {r.id for r in cd.references}
    assert {"UNSC-2118", "UNSC-2254", "geneva-communique-2012"} <= ids
    per_event = {r.id for e in cd.events for r in e.references}
    assert "UNSC-2254" in per_event


def test_chemical_attack_events_located_in_douma_and_saraqib(coded):
    cd, _ = coded
    att = [e for e in cd.events if e.plover == "ASSAULT" and e.cameo.startswith("204")]
    names = {e.location.name for e in att if e.location}
    assert {"Douma", "Saraqib"} <= names, names
    for e in att:
        if e.location and e.location.name in {"Douma", "Saraqib"}:
            assert e.location.country == "SYR" and e.location.precision == "city"
            assert 33 < e.location.lat < 37 and 35 < e.location.lon < 38
