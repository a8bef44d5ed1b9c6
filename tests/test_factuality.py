"""Factuality: what the text claims about each event. The table below is the specification.

Each row: a sentence of our own writing (none from the development sets), the act's trigger word, its
PLOVER type, the factuality it must have, a prefix of the actor code expected among `attributed_to`
(or None), and the PLOVER type of the speech act it must hang under as `parent` (or None: no parent).
"""

from __future__ import annotations

import pytest

from dossier.model import FACTUALITY_VALUES, Document

from .conftest import SAMPLE, need

# sentence, trigger, plover, factuality, attributed to (code prefix), parent's plover
SPEC = [
    # asserted: the text states it in its own voice
    ("Russian forces shelled Kharkiv on Monday.", "shelled", "ASSAULT", "asserted", None, None),
    ("Turkish troops attacked Kurdish militants near Afrin.", "attacked", "ASSAULT", "asserted", None, None),
    ("Indian police arrested twelve Kashmiri protesters.", "arrested", "COERCE", "asserted", None, None),
    ("Germany sent humanitarian aid to Ukraine.", "sent", "AID", "asserted", None, None),
    ("Japanese officials met Chinese diplomats in Beijing.", "met", "CONSULT", "asserted", None, None),
    ("Iran expelled two British diplomats.", "expelled", "SANCTION", "asserted", None, None),
    ("Ethiopian soldiers killed five civilians in Tigray.", "killed", "ASSAULT", "asserted", None, None),
    ("Venezuela released three American prisoners.", "released", "RETREAT", "asserted", None, None),
    ("Pakistan condemned the Indian government.", "condemned", "ACCUSE", "asserted", None, None),
    ("Brazil signed a trade agreement with Argentina.", "signed", "SUPPORT", "asserted", None, None),
    # the speech acts themselves are asserted
    ("The Syrian opposition accused the Syrian government of killing demonstrators.", "accused", "ACCUSE",
     "asserted", None, None),
    ("The UN urged Israel to stop demolitions.", "urged", "REQUEST", "asserted", None, None),
    ("Iran threatened to close the Strait of Hormuz.", "threatened", "THREATEN", "asserted", None, None),
    ("Japan plans to send aid to the Philippines.", "plans", "AGREE", "asserted", None, None),
    ("Russia refused to withdraw its troops from Georgia.", "refused", "REJECT", "asserted", None, None),
    ("Russia warned that it would strike Ukrainian cities.", "strike", "THREATEN", "asserted", None, None),
    # reported: a source with a neutral verb
    ("Human Rights Watch said Egyptian police tortured detainees.", "tortured", "ASSAULT", "reported", "NGOHRW",
     "ACCUSE"),
    ("The United Nations reported that Sudanese militias burned villages in Darfur.", "burned", "COERCE",
     "reported", "IGOUNO", "ACCUSE"),
    ("According to Amnesty International, Iranian forces arrested dozens of students.", "arrested", "COERCE",
     "reported", "NGOAMN", None),
    ("Witnesses told reporters that Myanmar soldiers shot protesters.", "shot", "ASSAULT", "reported", None, None),
    ("The OPCW concluded that the Syrian government used chemical weapons in Douma.", "used", "ASSAULT",
     "reported", "IGOPCW", "ACCUSE"),
    ("Ukrainian officials said Russian troops shelled a hospital in Kherson.", "shelled", "ASSAULT", "reported",
     "UKR", "ACCUSE"),
    ("Local media reported that Nigerian troops killed ten Boko Haram fighters.", "killed", "ASSAULT", "reported",
     "NGA", "ACCUSE"),
    ("A UN investigation found that Israeli forces demolished Palestinian homes.", "demolished", "COERCE",
     "reported", "IGOUNO", "ACCUSE"),
    ("Reuters reported that Chinese troops attacked Indian soldiers in Ladakh.", "attacked", "ASSAULT", "reported",
     None, "ACCUSE"),
    ("Venezuelan police reportedly arrested an opposition leader.", "arrested", "COERCE", "reported", None, None),
    ("The Kurdish militia reportedly executed Turkish prisoners.", "executed", "ASSAULT", "reported", None, None),
    ("Witnesses said Sudanese militiamen executed three men.", "executed", "ASSAULT", "reported", None, None),
    # alleged: an accusation
    ("The Syrian opposition accused the Syrian government of killing demonstrators.", "killing", "ASSAULT",
     "alleged", "SYROPP", "ACCUSE"),
    ("Israel accused Hamas of firing rockets at Tel Aviv.", "firing", "ASSAULT", "alleged", "ISR", "ACCUSE"),
    ("India accused Pakistani troops of killing Indian civilians.", "killing", "ASSAULT", "alleged", "IND",
     "ACCUSE"),
    ("Kyiv accused Russia of bombing the Zaporizhzhia plant.", "bombing", "ASSAULT", "alleged", "UKR", "ACCUSE"),
    ("Armenia accused Azerbaijan of killing Armenian soldiers.", "killing", "ASSAULT", "alleged", "ARM", "ACCUSE"),
    ("Ukraine alleged that Russian soldiers tortured civilians in Bucha.", "tortured", "ASSAULT", "alleged", "UKR",
     "ACCUSE"),
    ("Beijing accused Washington of sending warships into the Taiwan Strait.", "sending", "MOBILIZE", "alleged",
     "CHN", "ACCUSE"),
    ("Iranian police allegedly beat a young woman to death.", "beat", "ASSAULT", "alleged", None, None),
    ("Serbia accused Kosovo police of arresting Serbian citizens.", "arresting", "COERCE", "alleged", "SRB",
     "ACCUSE"),
    ("Canada accused India of killing a Sikh activist.", "killing", "ASSAULT", "alleged", "CAN", "ACCUSE"),
    # denied
    ("Hezbollah denied firing rockets at Israel.", "firing", "ASSAULT", "denied", "LBN", None),
    ("Russia denied that its jets bombed the market.", "bombed", "ASSAULT", "denied", "RUS", None),
    ("The Syrian government rejected allegations that it had bombed a hospital in Aleppo.", "bombed", "ASSAULT",
     "denied", "SYRGOV", "016"),
    ("Rwanda denied supporting M23 rebels in Congo.", "supporting", "SUPPORT", "denied", "RWA", None),
    ("Israel denied that its soldiers killed the journalist.", "killed", "ASSAULT", "denied", "ISR", None),
    ("China dismissed reports that its troops attacked Indian soldiers.", "attacked", "ASSAULT", "denied", "CHN",
     None),
    ("Iran denied sending weapons to Russia.", "sending", "AID", "denied", "IRN", None),
    ("Pakistan denied allegations that its army had killed Afghan civilians.", "killed", "ASSAULT", "denied", "PAK",
     "016"),
    ("India rejected claims that its forces had shelled Pakistani villages.", "shelled", "ASSAULT", "denied", "IND",
     "016"),
    ("Moscow denied accusations that Russian hackers attacked German ministries.", "attacked", "ASSAULT", "denied",
     "RUS", "016"),
    ("Hamas denied reports that it had executed Israeli hostages.", "executed", "ASSAULT", "denied", "PSE", "016"),
    # demanded
    ("The Syrian opposition called on the Assad regime to release all detainees.", "release", "RETREAT",
     "demanded", "SYROPP", "REQUEST"),
    ("The Syrian opposition called on the Assad regime to release all detainees.", "called", "REQUEST", "asserted",
     None, None),
    # the stop is what is demanded; the demolitions it would end hang under it (frames.toml [frames.stop])
    ("The UN urged Israel to stop demolitions.", "stop", "CONCEDE", "demanded", "IGOUNO", "REQUEST"),
    ("The UN urged Israel to stop demolitions.", "demolitions", "COERCE", "demanded", "IGOUNO", "CONCEDE"),
    ("Pakistan demanded that India withdraw its troops from the border.", "withdraw", "RETREAT", "demanded", "PAK",
     "REQUEST"),
    ("The European Union urged Belarus to free political prisoners.", "free", "RETREAT", "demanded", "IGOEEC",
     "REQUEST"),
    ("Egypt called on Israel to withdraw its forces from Gaza.", "withdraw", "RETREAT", "demanded", "EGY",
     "REQUEST"),
    ("The Arab League demanded that Iran withdraw its forces from Yemen.", "withdraw", "RETREAT", "demanded",
     "IGOARL", "REQUEST"),
    ("Germany urged Russia to withdraw its troops from Ukraine.", "withdraw", "RETREAT", "demanded", "DEU",
     "REQUEST"),
    ("Human Rights Watch called on Bahrain to release jailed activists.", "release", "RETREAT", "demanded",
     "NGOHRW", "REQUEST"),
    ("The United States asked China to release detained American citizens.", "release", "RETREAT", "demanded",
     "USA", "REQUEST"),
    ("France said Mali must release the French hostage.", "release", "RETREAT", "demanded", "FRA", "REQUEST"),
    # an invitation's act is asked for, not done; and it is the inviter's, not the words of whoever rejects it
    ("Egypt sent Hamas an invitation to attend talks with Israel in Cairo.", "attend", "CONSULT", "demanded", "EGY",
     None),
    ("Hamas rejected an invitation to attend talks with Israel in Cairo.", "attend", "CONSULT", "demanded", None,
     None),
    ("Egypt urged Israel and Hamas to hold talks in Cairo.", "hold", "CONSULT", "demanded", "EGY", "REQUEST"),
    ("Turkey said Greece must not send troops to the islands.", "send", "MOBILIZE", "demanded", "TUR", "REQUEST"),
    # intended
    ("Turkey will send aid to Syria.", "send", "AID", "intended", None, "AGREE"),
    ("Japan plans to send aid to the Philippines.", "send", "AID", "intended", None, "AGREE"),
    ("The group plotted to bomb the parliament.", "bomb", "ASSAULT", "intended", None, None),
    ("Russia is preparing an invasion of Ukraine.", "invasion", "ASSAULT", "intended", None, None),
    ("Germany pledged to provide weapons to Ukraine.", "provide", "AID", "intended", None, "AGREE"),
    ("Egypt agreed to host talks between Israel and Hamas.", "host", "CONSULT", "intended", None, "AGREE"),
    ("South Korea plans to deploy troops to the border.", "deploy", "MOBILIZE", "intended", None, "THREATEN"),
    ("Qatar offered to mediate between Israel and Hamas.", "mediate", "CONSULT", "intended", None, "AGREE"),
    ("India is set to sign a defence agreement with France.", "sign", "SUPPORT", "intended", None, None),
    ("Turkey is poised to launch a new offensive against Kurdish fighters.", "launch", "ASSAULT", "intended", None,
     None),
    ("Russia intends to hold talks with Turkey.", "hold", "CONSULT", "intended", None, "AGREE"),
    ("France promised to send troops to Estonia.", "send", "MOBILIZE", "intended", None, "THREATEN"),
    ("Japan to send aid to the Philippines.", "send", "AID", "intended", None, "AGREE"),  # a headline's "to"
    # threatened
    ("Iran threatened to close the Strait of Hormuz.", "close", "COERCE", "threatened", None, "THREATEN"),
    ("North Korea threatened to attack South Korea.", "attack", "ASSAULT", "threatened", None, "THREATEN"),
    ("China threatened to impose sanctions on Lithuania.", "impose", "SANCTION", "threatened", None, "THREATEN"),
    ("Russia warned that it would strike Ukrainian cities.", "strike", "ASSAULT", "threatened", None, "THREATEN"),
    ("Turkey threatened to expel the American ambassador.", "expel", "SANCTION", "threatened", None, "THREATEN"),
    ("Israel threatened to invade Lebanon.", "invade", "ASSAULT", "threatened", None, "THREATEN"),
    ("Hamas threatened to kill the Israeli hostages.", "kill", "ASSAULT", "threatened", None, "THREATEN"),
    ("Azerbaijan threatened to attack Armenian positions.", "attack", "ASSAULT", "threatened", None, "THREATEN"),
    ("The Houthis threatened to attack Saudi Arabia.", "attack", "ASSAULT", "threatened", None, "THREATEN"),
    ("Belarus threatened to close its border with Poland.", "close", "COERCE", "threatened", None, "THREATEN"),
    ("The United States will impose sanctions on Iran next week.", "impose", "SANCTION", "threatened", None,
     "THREATEN"),
    ("China to impose sanctions on Lithuania.", "impose", "SANCTION", "threatened", None, "THREATEN"),
    # conditional
    ("China may impose sanctions on Lithuania.", "impose", "SANCTION", "conditional", None, None),
    ("Washington could impose new tariffs on Chinese goods.", "impose", "SANCTION", "conditional", None, None),
    ("Israel might attack Iranian nuclear sites.", "attack", "ASSAULT", "conditional", None, None),
    ("The United States raised the possibility of suspending talks with Cuba.", "suspending", "SANCTION",
     "conditional", None, None),
    ("India may expel Canadian diplomats.", "expel", "SANCTION", "conditional", None, None),
    ("Turkey could invade northern Syria.", "invade", "ASSAULT", "conditional", None, None),
    ("If Iran attacks Israel, the United States will defend Israel.", "attacks", "ASSAULT", "conditional", None,
     None),
    ("Iran said it would retaliate against Israel if attacked.", "attacked", "ASSAULT", "conditional", None, None),
    ("Britain may send troops to Estonia.", "send", "MOBILIZE", "conditional", None, None),
    ("Egypt could close its border with Gaza.", "close", "COERCE", "conditional", None, None),
    ("Russia could attack Moldova.", "attack", "ASSAULT", "conditional", None, None),
    ("North Korea may launch missiles at Japan.", "launch", "ASSAULT", "conditional", None, None),
    # an act feared or at risk of happening
    ("Markets fell amid fears of a Russian invasion of Ukraine.", "invasion", "ASSAULT", "conditional", None, None),
    # an act warned of or against is a possibility
    ("Russia warned the United States against attacking Iran.", "attacking", "ASSAULT", "conditional", None, None),
    ("Germany cautioned against imposing sanctions on China.", "imposing", "SANCTION", "conditional", None, None),
    ("Egypt warned of an invasion of Rafah by Israel.", "invasion", "ASSAULT", "conditional", None, None),
    # an act one may undergo: faced (in the present), risked or feared; a past "faced" happened
    ("Protesters in Iran face arrest and torture.", "arrest", "COERCE", "conditional", None, None),
    ("The refugees fear persecution if they return to Syria.", "persecution", "COERCE", "conditional", None, None),
    ("The minister faced harsh criticism from opposition parties.", "criticism", "ACCUSE", "asserted", None, None),
    # negated
    ("The Kenyan police did not arrest anyone.", "arrest", "COERCE", "negated", None, None),
    ("Russia refused to withdraw its troops from Georgia.", "withdraw", "RETREAT", "negated", None, "REJECT"),
    ("Israel never attacked the convoy.", "attacked", "ASSAULT", "negated", None, None),
    ("Chinese troops did not fire on Indian soldiers.", "fire", "ASSAULT", "negated", None, None),
    ("Iran declined to meet American officials.", "meet", "CONSULT", "negated", None, "REJECT"),
    ("Turkey did not send troops to Libya.", "send", "MOBILIZE", "negated", None, None),
    ("Pakistan has not expelled the Indian ambassador.", "expelled", "SANCTION", "negated", None, None),
    ("Greece refused to extradite the Turkish soldiers.", "extradite", "COOPERATE", "negated", None, "REJECT"),
    ("Japan refused to apologize to South Korea.", "apologize", "SUPPORT", "negated", None, "REJECT"),
    # ... and so does the noun of refusing: the act refused did not happen
    ("Iran's refusal to release the British sailors drew protests.", "release", "RETREAT", "negated", None,
     "REJECT"),
    # ... and a plan dropped: what was planned is not done
    ("Israel shelved plans to annex parts of the West Bank.", "annex", "COERCE", "negated", None, "THREATEN"),
    ("The government dropped plans to expel the diplomats.", "expel", "SANCTION", "negated", None, "CONCEDE"),
    ("Serbia did not attack Kosovo.", "attack", "ASSAULT", "negated", None, None),
    ("The US ambassador said Washington will not impose sanctions on India.", "impose", "SANCTION", "negated", None,
     "THREATEN"),
    # nested cues compose the way people read them
    ("Russia denied allegations that its forces bombed a maternity hospital.", "bombed", "ASSAULT", "denied", "RUS",
     "016"),
    ("Syria rejected accusations that it had attacked Turkish soldiers.", "attacked", "ASSAULT", "denied", "SYR",
     "016"),
    ("Ukraine said Russia had threatened to attack Kyiv.", "attack", "ASSAULT", "threatened", "UKR", "THREATEN"),
    ("Ukraine said Russia had threatened to attack Kyiv.", "threatened", "THREATEN", "reported", "UKR", None),
    ("Israel denied threatening to invade Lebanon.", "invade", "ASSAULT", "denied", "ISR", "THREATEN"),
    ("Israel denied threatening to invade Lebanon.", "threatening", "THREATEN", "denied", "ISR", None),
    ("Russia denied that it had threatened to attack Ukraine.", "attack", "ASSAULT", "denied", "RUS", "THREATEN"),
    ("Human Rights Watch said that Syria refused to release the prisoners.", "release", "RETREAT", "negated",
     "NGOHRW", "REJECT"),
    ("Human Rights Watch said that Syria refused to release the prisoners.", "refused", "REJECT", "reported",
     "NGOHRW", None),
    ("Amnesty International reported that Iran had promised to release the activists.", "release", "RETREAT",
     "intended", "NGOAMN", "AGREE"),
    ("The opposition said Russia would never withdraw its troops from Crimea.", "withdraw", "RETREAT", "negated",
     None, "REJECT"),
    ("Kyiv said Moscow had demanded that Ukraine surrender Bakhmut.", "surrender", "RETREAT", "demanded", "RUS",
     "REQUEST"),
    ("Human Rights Watch said the Ethiopian army might have killed civilians.", "killed", "ASSAULT", "conditional",
     "NGOHRW", None),
    ("Israel said Hezbollah would attack Israel if Israel struck Lebanon.", "attack", "ASSAULT", "threatened", "ISR",
     "THREATEN"),
    ("Israel said Hezbollah would attack Israel if Israel struck Lebanon.", "struck", "ASSAULT", "conditional",
     "ISR", None),
    ("Lebanon said Israel had refused to withdraw its troops.", "withdraw", "RETREAT", "negated", "LBN", "REJECT"),
    ("Egypt accused Ethiopia of refusing to share water with Sudan.", "refusing", "REJECT", "alleged", "EGY",
     "ACCUSE"),
]

# the five sentences of the issue that asked for factuality, as its table says
ISSUE = [
    ("The opposition accused the government of killing demonstrators.", "killing", "ASSAULT", "alleged", "---OPP",
     "ACCUSE"),
    ("The opposition called on the regime to release all detainees.", "release", "RETREAT", "demanded", "---OPP",
     "REQUEST"),
    ("The opposition called on the regime to release all detainees.", "called", "REQUEST", "asserted", None, None),
    ("The government rejected allegations that it had bombed a hospital.", "bombed", "ASSAULT", "denied", "---GOV",
     "016"),
    ("Washington could impose new tariffs.", "impose", "SANCTION", "conditional", None, None),
    ("Witnesses said militiamen executed three men.", "executed", "ASSAULT", "reported", None, None),
]


@pytest.fixture(scope="module")
def coded_spec(coder):
    """Every distinct sentence of SPEC coded once (one document each)."""
    out = {}
    for i, sentence in enumerate(dict.fromkeys(row[0] for row in SPEC + ISSUE)):
        out[sentence] = coder.code(Document(id=f"fact-{i}", text=sentence, language="en")).events
    return out


def _show(events):
    return [(e.plover, e.trigger.text, e.factuality, [a.code for a in e.attributed_to or []], e.parent)
            for e in events]


def test_the_spec_covers_every_value_with_many_sentences():
    assert len({row[0] for row in SPEC}) >= 80
    assert {row[3] for row in SPEC} == set(FACTUALITY_VALUES)


@pytest.mark.parametrize(("sentence", "trigger", "plover", "factuality", "source", "parent"), SPEC + ISSUE,
                         ids=[f"{row[3]}:{row[0][:50]}:{row[1]}" for row in SPEC + ISSUE])
def test_factuality(coded_spec, sentence, trigger, plover, factuality, source, parent):
    events = coded_spec[sentence]
    mine = [e for e in events if e.trigger.text == trigger and e.plover == plover]
    assert mine, _show(events)
    for e in mine:
        assert e.factuality == factuality, _show(events)
        assert e.negated == (factuality == "negated")
        if source is not None:
            assert any((a.code or "").startswith(source) for a in e.attributed_to or []), _show(events)
        if parent is None:
            assert e.parent is None, _show(events)
        else:
            hosts = [h for h in events if h.event_id == e.parent]
            # the host is named by its PLOVER type, or by its CAMEO code when it is a statement (no PLOVER type)
            assert hosts and parent in {hosts[0].plover, hosts[0].cameo}, _show(events)
        cues = e.explain.get("factuality_cues") or []
        if factuality != "asserted":
            assert cues, "a non-asserted event names the words that make it so"
        for c in cues:
            assert sentence[c["start"]:c["end"]] == c["text"]


def test_every_event_is_consistent(coded_spec):
    for events in coded_spec.values():
        ids = {e.event_id for e in events}
        for e in events:
            assert e.factuality in FACTUALITY_VALUES
            assert e.negated == (e.factuality == "negated")
            if e.parent is not None:
                assert e.parent in ids and e.parent != e.event_id
                # an embedded act (alleged, demanded, threatened ...) is never stated as fact
                assert e.factuality != "asserted", _show(events)


def test_witnesses_are_an_unnamed_source(coded_spec):
    e = next(e for e in coded_spec["Witnesses said militiamen executed three men."] if e.trigger.text == "executed")
    assert e.attributed_to == []


def test_embedded_acts_are_never_asserted(coded_spec):
    """The killing alleged, the release demanded, the strike threatened: never `asserted`."""
    for sentence, trigger in [
        ("The Syrian opposition accused the Syrian government of killing demonstrators.", "killing"),
        ("The Syrian opposition called on the Assad regime to release all detainees.", "release"),
        ("Iran threatened to close the Strait of Hormuz.", "close"),
    ]:
        acts = [e for e in coded_spec[sentence] if e.trigger.text == trigger]
        assert acts and all(e.factuality != "asserted" and e.parent for e in acts)
    # a denial of an allegation is a statement (CAMEO 016, no PLOVER type): the act denied is never asserted
    acts = [e for e in coded_spec["The Syrian government rejected allegations that it had bombed a hospital in Aleppo."]
            if e.trigger.text == "bombed"]
    assert acts and all(e.factuality == "denied" for e in acts)


def test_scorers_count_only_what_happened(coded_spec):
    from dossier.eval import score

    sentence = "Iran threatened to close the Strait of Hormuz."
    events = coded_spec[sentence]
    record = {"id": "x", "text": sentence, "event": "COERCE", "source": [{"code": "IRN"}], "target": []}
    from dossier.eval import gold_doc_id

    for e in events:
        e.doc_id = gold_doc_id(record)
    result = score([record], events)
    assert result["type"] == 0.0  # the closure is only threatened
    assert result["epr"] == 1.0  # the THREATEN itself counts; the threatened closure does not
    assert {e.happened for e in events} == {True, False}


# -- the sample statement ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_events(coder):
    from dossier.ingest import normalize_text

    text = normalize_text(need(SAMPLE).read_text(encoding="utf-8"))
    return coder.code(Document(id="soc", text=text, date="2023-05-10", language="en")).events, text


def test_sample_demanded_acts_are_not_asserted(sample_events):
    events, text = sample_events
    by_id = {e.event_id: e for e in events}
    demanded = [e for e in events if e.factuality == "demanded"]
    # "demanded that the Assad regime be held accountable", "called for ... hold accountable",
    # "stressed the need ... to release detainees"
    assert len(demanded) >= 3, _show(events)
    for e in demanded:
        assert e.attributed_to and any((a.code or "").startswith("SYROPP") for a in e.attributed_to)
        assert e.parent in by_id and by_id[e.parent].plover == "REQUEST"
        assert by_id[e.parent].factuality == "asserted"
    release = [e for e in events if e.trigger.text == "release"]
    assert release and all(e.factuality == "demanded" for e in release), _show(events)
    # nothing the statement calls for is stored as having happened
    sentences = [e for e in events if "demanded that" in (e.sentence_text or "")
                 or "need to work" in (e.sentence_text or "")]
    assert all(e.plover == "REQUEST" or not e.happened for e in sentences), _show(sentences)


def test_sample_opcw_findings_are_reported_with_their_sources(sample_events):
    events, _ = sample_events
    by_id = {e.event_id: e for e in events}
    attacks = [e for e in events if e.plover == "ASSAULT" and "chemical" in (e.sentence_text or "")]
    assert len(attacks) == 3, _show(events)  # Douma, Saraqib, Al-Lataminah
    for e in attacks:
        assert e.factuality == "reported"
        assert [a.code for a in e.attributed_to or []] == ["SYROPP", "IGOPCW"]  # outermost speaker first
        host = by_id[e.parent]
        assert host.plover == "ACCUSE" and [a.code for a in host.actor] == ["IGOPCW"]
        # the OPCW's finding is itself reported by Al-Meslet
        assert host.factuality == "reported" and [a.code for a in host.attributed_to or []] == ["SYROPP"]
        assert {c["text"] for c in e.explain["factuality_cues"]} == {"proven", "mentioned"}



def test_words_answered_are_not_the_answerers(coder):
    # the subject of a verb that answers a cue noun (rejected, accepted an invitation; dismissed calls) is not
    # the one whose words the noun are (factuality.toml [speaker] answering_verbs)
    for text in ("Hamas rejected an invitation to attend talks with Israel in Cairo.",
                 "Hamas accepted an invitation to attend talks with Israel in Cairo."):
        (e,) = [e for e in coder.code(Document(id="answer", text=text, language="en")).events
                if e.trigger.text == "attend"]
        assert e.factuality == "demanded"
        assert not [a for a in e.attributed_to or [] if (a.code or "").startswith("PSE")], text
