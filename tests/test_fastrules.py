"""The faster copies of spaCy's attribute ruler and rule lemmatizer annotate exactly as spaCy's own do."""

from __future__ import annotations

import csv
import json
from itertools import islice

import pytest
import spacy
from spacy.pipeline import AttributeRuler

from dossier.nlp import load_nlp
from dossier.nlp._fastrules import FastAttributeRuler, FastLemmatizer, speed_up

from .conftest import ROOT, SAMPLE, SHARED

# constructions the attribute ruler's two-token, dependency and whitespace patterns are written for
TRICKY = [
    "I'm gonna go, y'all. Ain't nobody gotta stop us. Let's c'm on! Ya'll know it ain't so.",
    "  \n\n It  was raining.  There is a dog.\nThere are two. There's one.\n\t",
    "I said it to you and you gave it to me. But he did, but not she. That which does; those that do.",
    "DOES HE HAVE IT? Have done! Do it. Had they? He has, she did n't, we don’t, cannot, wo n't.",
    "Whether or not, although, because, so that, once, til, tho, coz, unless, whereas, whilst.",
    "",
    " ",
    "x",
]


def _texts() -> list[str]:
    texts = list(TRICKY)
    texts.append((ROOT / "samples" / "ministers-meeting.txt").read_text(encoding="utf-8"))
    texts.append((ROOT / "samples" / "protest-report.html").read_text(encoding="utf-8"))
    with open(ROOT / "samples" / "wire.jsonl", encoding="utf-8") as f:
        texts += [json.loads(line)["text"] for line in f if line.strip()]
    if SAMPLE.exists():
        texts.append(SAMPLE.read_text(encoding="utf-8"))
    stories = SHARED / "benchmarks" / "ngec-synthetic-stories.csv"
    if stories.exists():
        with open(stories, encoding="utf-8", newline="") as f:
            texts += [row["text"] for row in islice(csv.DictReader(f), 60)]
    return texts


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_,
             t.is_sent_start, t.norm_) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    return load_nlp(fast_rules=False), load_nlp()


def test_the_loaded_pipeline_uses_the_copies(pipelines):
    spacy_nlp, fast_nlp = pipelines
    assert isinstance(fast_nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(fast_nlp.get_pipe("lemmatizer"), FastLemmatizer)
    assert not isinstance(spacy_nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert fast_nlp.pipe_names == spacy_nlp.pipe_names  # parse caches are keyed by the names


def test_every_token_annotation_is_spacys(pipelines):
    spacy_nlp, fast_nlp = pipelines
    texts = _texts()
    expected = list(spacy_nlp.pipe(texts, batch_size=16))
    # twice: the second pass reads the lemmatizer's cache, the first fills it
    for _ in range(2):
        got = list(fast_nlp.pipe(texts, batch_size=16))
        for text, e, g in zip(texts, expected, got, strict=True):
            assert _annotations(g) == _annotations(e), text[:80]
            assert g.to_json() == e.to_json(), text[:80]
    assert fast_nlp("Ain't nobody gonna stop us")[0].lemma_ == spacy_nlp("Ain't nobody gonna stop us")[0].lemma_


def test_the_matches_are_spacys(pipelines):
    spacy_nlp, fast_nlp = pipelines
    texts = _texts()
    ruler, fast_ruler = spacy_nlp.get_pipe("attribute_ruler"), fast_nlp.get_pipe("attribute_ruler")
    before = ["attribute_ruler", "lemmatizer", "ner"]
    with spacy_nlp.select_pipes(disable=before):
        plain = list(spacy_nlp.pipe(texts))
    with fast_nlp.select_pipes(disable=before):
        fast = list(fast_nlp.pipe(texts))
    n = 0
    for a, b in zip(plain, fast, strict=True):
        # match ids are hashes in each pipeline's own string store; the attribute ids are the rule order
        want = sorted({(attr, s, e) for attr, _, s, e in ruler.match(a)})
        assert [(attr, s, e) for attr, _, s, e in fast_ruler.match(b)] == want
        n += len(want)
    assert n > 1000


def _ruler_nlp(patterns):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp


PATTERNS = [
    {"patterns": [[{"LOWER": "the"}, {"LOWER": {"REGEX": "^[a-z]+s$"}}]], "attrs": {"TAG": "NNS"}, "index": -1},
    {"patterns": [[{"ORTH": {"NOT_IN": ["The", "a"]}, "IS_SPACE": False}]], "attrs": {"NORM": "w"}},
    {"patterns": [[{"LOWER": {"IN": ["dogs", "cats"]}}], [{"TEXT": "Cats"}]], "attrs": {"LEMMA": "animal"}},
    {"patterns": [[{}, {"LOWER": "dogs"}]], "attrs": {"POS": "ADJ"}, "index": 0},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP"}},
]


def test_patterns_with_every_handled_predicate():
    texts = ["The dogs and the cats saw Cats .", "a  dogs\n\nthe", "", "dogs"]
    spacy_nlp, fast_nlp = _ruler_nlp(PATTERNS), _ruler_nlp(PATTERNS)
    assert speed_up(fast_nlp) == ["attribute_ruler"]
    for text in texts:
        e, g = spacy_nlp(text), fast_nlp(text)
        assert [(t.tag_, t.pos_, t.lemma_, t.norm_) for t in g] == [(t.tag_, t.pos_, t.lemma_, t.norm_) for t in e]
    # rules added after the swap are indexed too
    more = [{"patterns": [[{"LOWER": "saw"}]], "attrs": {"LEMMA": "see"}}]
    spacy_nlp.get_pipe("attribute_ruler").add_patterns(more)
    fast_nlp.get_pipe("attribute_ruler").add_patterns(more)
    assert fast_nlp(texts[0])[5].lemma_ == spacy_nlp(texts[0])[5].lemma_ == "see"
    # ... and rules loaded in place of the old ones, however many
    for nlp in (spacy_nlp, fast_nlp):
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.initialize(None, patterns=[{"patterns": [[{"LOWER": "cats"}]], "attrs": {"LEMMA": "feline"}}] * 6)
    assert fast_nlp(texts[0])[4].lemma_ == spacy_nlp(texts[0])[4].lemma_ == "feline"
    assert fast_nlp(texts[0])[5].lemma_ == spacy_nlp(texts[0])[5].lemma_ == ""


@pytest.mark.parametrize("pattern", [
    [{"LOWER": "the", "OP": "?"}, {"LOWER": "dogs"}],
    [{"LENGTH": {">=": 3}}],
    [{"_": {"flag": True}}],
    [{"LOWER": {"FUZZY": "dogs"}}],
])
def test_a_pattern_the_copy_cannot_match_exactly_leaves_spacys_ruler(pattern):
    nlp = _ruler_nlp([{"patterns": [pattern], "attrs": {"TAG": "X"}}])
    assert speed_up(nlp) == []
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
