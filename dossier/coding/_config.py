"""What every coding stage reads: the loaded resources and the settings of frames.toml, loaded once.

`CodingConfig.build` is called once by `Coder.__init__`; the stages (_triggers, _arguments, _frames,
_events) are functions that take it explicitly, so each can be run alone on a parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.vocab import Vocab

from ._factuality import load_cues
from ._resources import Resources
from ._similar import SimilarVerbs


@dataclass
class CodingConfig:
    res: Resources
    frames: dict[str, dict[str, Any]]
    frame_of: dict[str, str]  # frame verb lemma -> frame name
    intent_adjs: set[str]
    symmetric: tuple[str, ...]
    reciprocal: tuple[str, ...]  # frames.toml [symmetric] reciprocal_prefixes: "A held talks with B" is B->A too
    appeal_lemmas: set[str]
    future_aux: set[str]
    conditional: set[str]
    obligation_aux: set[str]
    mode_words: dict[str, dict[str, list[str]]]
    agency_nouns: set[str]
    light_verbs: set[str]
    occurrence_verbs: set[str]
    possible_aux: frozenset[str]  # frames.toml [modality]: "could", "may", "might", "can"
    modal_aux: frozenset[str]  # future, obligation and possibility auxiliaries: an act that would, must or could
    self_pronouns: frozenset[str]  # frames.toml [modality]: "it", "they", "we": a speaker speaking of itself
    ending_verbs: frozenset[str]  # frames.toml [agency]: "the fighting ended" (the subject is what stopped)
    characterizing: set[str]
    speech_lemmas: set[str]
    accuse_code: str
    similar: SimilarVerbs
    place_nouns: set[str]  # frames.toml [senses]: objects that make a trigger's `object_not=place` fail
    agency_adjectives: set[str]  # frames.toml [agency] adjectives: "responsible for"
    claim_verbs: set[str]  # frames.toml [agency] claim_verbs: "claimed responsibility for the attack"
    suffer_verbs: set[str]  # frames.toml [agency] suffer_verbs: "died of torture"
    silence: set[str]  # frames.toml [frames.reject] silence: "declined to comment"
    silence_code: str
    crowd_nouns: set[str]  # frames.toml [senses]: "hundreds", "dozens": a crowd that acts (protests, flees)
    protect_verbs: set[str]  # frames.toml [senses]: "sent troops to help X" is military protection
    protect_code: str
    protest_agents: frozenset[str] = frozenset()  # frames.toml [senses]: violence by them is protest
    protest_code: str = "145"
    topic_codes: frozenset[str] = frozenset()  # frames.toml [senses]: "pessimistic about X": X is the target
    topic_preps: frozenset[str] = frozenset()
    consult_codes: tuple[str, ...] = ()  # frames.toml [senses]: what is discussed, or where, is no partner
    discussion_verbs: frozenset[str] = frozenset()
    consult_topic_preps: frozenset[str] = frozenset()
    consult_place_codes: tuple[str, ...] = ()
    consult_place_preps: frozenset[str] = frozenset()
    host_place_codes: tuple[str, ...] = ()  # frames.toml [senses]: a visit's place is its host
    addressed_codes: tuple[str, ...] = ()  # frames.toml [senses]: a threat is made to whom its condition names
    condition_marks: frozenset[str] = frozenset()
    natural_causes: frozenset[str] = frozenset()  # frames.toml [senses]: "the earthquake killed 300" is no force
    # Resources.person_nouns: "suspects", "activists": an uncoded object that names people is the act's recipient
    person_nouns: frozenset[str] = frozenset()
    # person_nouns and crowd_nouns together: who an act's object may name ("detained suspects", "charged dozens"),
    # built once rather than per event
    people_words: frozenset[str] = frozenset()
    # frames.toml [agency] undergo_verbs / undergo_phrases: "suffered attacks", "came under fire"
    undergo_verbs: frozenset[str] = frozenset()
    undergo_phrases: frozenset[tuple[str, str]] = frozenset()
    # factuality.toml [negation] prevent_verbs: "police foiled an attack": the subject did not do it
    prevent_verbs: frozenset[str] = frozenset()
    witness_verbs: frozenset[str] = frozenset()  # frames.toml [agency]: "witnessed the shelling" is no shelling
    cause_verbs: frozenset[str] = frozenset()  # frames.toml [agency]: "the verdict sparked protests"
    plan_nouns: frozenset[str] = frozenset()  # frames.toml [frames.stop]: "suspended plans to impose curfews"

    @classmethod
    def build(cls, res: Resources, vocab: Vocab) -> CodingConfig:
        fr: dict[str, Any] = res.frames
        frames: dict[str, dict[str, Any]] = fr.get("frames", {})
        frame_of: dict[str, str] = {}
        for name, f in frames.items():
            for lemma in f.get("lemmas", []):
                frame_of.setdefault(lemma, name)
        mod = fr.get("modality", {})
        senses: dict[str, Any] = fr.get("senses", {})
        agency = fr.get("agency", {})
        sp = fr.get("speech", {})
        speech_lemmas = set(sp.get("lemmas", []))
        for pats in res.verbs.values():
            for p in pats:
                if p.option("speech") == "1" or (not p.cameo and not p.noun):
                    speech_lemmas.add(p.trigger)
        light_verbs = set(agency.get("light_verbs", []))
        occurrence_verbs = set(agency.get("occurrence_verbs", []))
        characterizing = set(agency.get("characterizing_verbs", []))
        sim = fr.get("similarity", {})
        never = (speech_lemmas | set(frame_of) | light_verbs | occurrence_verbs
                 | characterizing | set(sim.get("never", [])))
        similar = SimilarVerbs(vocab, (p for ps in res.verbs.values() for p in ps),
                               float(sim.get("threshold", 1.0)), never)
        return cls(
            res=res,
            frames=frames,
            frame_of=frame_of,
            intent_adjs=set(frames.get("intend", {}).get("adjectives", [])),
            symmetric=tuple(fr.get("symmetric", {}).get("cameo_prefixes", [])),
            reciprocal=tuple(fr.get("symmetric", {}).get("reciprocal_prefixes", [])),
            appeal_lemmas=set(frames.get("request", {}).get("appeal_lemmas", [])),
            future_aux=set(mod.get("future_auxiliaries", [])),
            conditional=set(mod.get("conditional_markers", [])),
            obligation_aux=set(mod.get("obligation_auxiliaries", [])),
            self_pronouns=frozenset(mod.get("self_pronouns", [])),
            possible_aux=frozenset(mod.get("possibility_auxiliaries", [])),
            modal_aux=frozenset(mod.get("future_auxiliaries", []) + mod.get("obligation_auxiliaries", [])
                                + mod.get("possibility_auxiliaries", [])),
            mode_words=fr.get("modes", {}),
            agency_nouns=set(agency.get("nouns", [])),
            claim_verbs=set(agency.get("claim_verbs", [])),
            light_verbs=light_verbs,
            occurrence_verbs=occurrence_verbs,
            ending_verbs=frozenset(agency.get("ending_verbs", [])),
            characterizing=characterizing,
            speech_lemmas=speech_lemmas,
            accuse_code=sp.get("accuse_code", "112"),
            similar=similar,
            place_nouns=set(senses.get("place_nouns", [])),
            agency_adjectives=set(agency.get("adjectives", [])),
            suffer_verbs=set(agency.get("suffer_verbs", [])),
            undergo_verbs=frozenset(agency.get("undergo_verbs", [])),
            witness_verbs=frozenset(agency.get("witness_verbs", [])),
            cause_verbs=frozenset(agency.get("cause_verbs", [])),
            prevent_verbs=frozenset(load_cues().get("negation", {}).get("prevent_verbs", [])),
            undergo_phrases=frozenset((w[0], w[-1]) for w in (p.split() for p in agency.get("undergo_phrases", []))),
            plan_nouns=frozenset(frames.get("stop", {}).get("plan_nouns", [])),
            silence=set(frames.get("reject", {}).get("silence", [])),
            silence_code=frames.get("reject", {}).get("silence_code", "011"),
            crowd_nouns=set(senses.get("crowd_nouns", [])),
            protect_verbs=set(senses.get("protect_verbs", [])),
            protect_code=str(senses.get("protect_code", "074")),
            protest_agents=frozenset(senses.get("protest_agents", [])),
            protest_code=str(senses.get("protest_code", "145")),
            topic_codes=frozenset(senses.get("topic_codes", [])),
            topic_preps=frozenset(senses.get("topic_preps", [])),
            consult_codes=tuple(senses.get("consult_codes", [])),
            discussion_verbs=frozenset(senses.get("discussion_verbs", [])),
            consult_topic_preps=frozenset(senses.get("consult_topic_preps", [])),
            consult_place_codes=tuple(senses.get("consult_place_codes", [])),
            consult_place_preps=frozenset(senses.get("consult_place_preps", [])),
            host_place_codes=tuple(senses.get("host_place_codes", [])),
            addressed_codes=tuple(senses.get("addressed_codes", [])),
            condition_marks=frozenset(senses.get("condition_marks", [])),
            natural_causes=frozenset(senses.get("natural_causes", [])),
            person_nouns=res.person_nouns,
            people_words=res.person_nouns | frozenset(senses.get("crowd_nouns", [])),
        )

