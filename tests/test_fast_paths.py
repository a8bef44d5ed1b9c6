"""The per-document tables and shortcuts the coder reads instead of spaCy's Token objects give the same values."""

from __future__ import annotations

import pytest

from dossier.nlp import TokenTable, doc_text

TEXTS = [
    "Syrian government forces launched air strikes against the rebel-held enclave of Eastern Ghouta on Monday.",
    "HUNDREDS RALLY IN CAPITAL AGAINST NEW TAX\nThe protesters, led by opposition leader Juan Perez, marched "
    "through Caracas. Police detained three of them.",
    "Turkey to send troops to Libya",
    "  Leading spaces,\n\nblank lines and a trailing space. ",
    "",
]


def _expected(doc):
    return {
        "text": [t.text for t in doc], "lower": [t.lower_ for t in doc], "pos": [t.pos_ for t in doc],
        "dep": [t.dep_ for t in doc], "ent_type": [t.ent_type_ for t in doc], "ent_iob": [t.ent_iob_ for t in doc],
        "space": [bool(t.whitespace_) for t in doc], "sent_start": [bool(t.is_sent_start) for t in doc],
        "lemma": [t.lemma_.lower() for t in doc],
    }


@pytest.mark.parametrize("text", TEXTS)
def test_token_table_matches_the_tokens(coder, text):
    doc = coder.parse([text])[0]
    table = TokenTable(doc)
    for name, values in _expected(doc).items():
        assert getattr(table, name) == values, name


def test_token_table_of_a_document_parsed_in_pieces(coder, monkeypatch):
    import dossier.nlp as nlp

    monkeypatch.setattr(nlp, "CHUNK_CHARS", 60)  # joined from several parses (Doc.from_docs)
    text = " ".join(TEXTS[:3])
    doc = coder.parse([text])[0]
    assert len(nlp.split_for_parsing(text)) > 1
    table = TokenTable(doc)
    for name, values in _expected(doc).items():
        assert getattr(table, name) == values, name


def test_parse_records_each_documents_own_text(coder):
    docs = coder.parse(TEXTS)
    for text, doc in zip(TEXTS, docs, strict=True):
        assert doc.user_data["dossier.text"] == text == doc.text
        assert doc_text(doc) is text


def test_token_table_with_its_string_cache_cleared_midway(coder, monkeypatch):
    import dossier.nlp as nlp

    monkeypatch.setattr(nlp, "_NAMES_MAX", 5)
    monkeypatch.setattr(nlp, "_NAMES", {})
    monkeypatch.setattr(nlp, "_LOWERED", {})
    for doc in coder.parse(TEXTS):
        table = TokenTable(doc)
        for name, values in _expected(doc).items():
            assert getattr(table, name) == values, name


def test_may_match_rules_out_only_words_that_match_no_pattern(coder):
    from dossier.coding._triggers import _match, _may_match
    from dossier.nlp import token_table

    texts = TEXTS + ["Police arrested the protesters and fired tear gas at the crowd.",
                     "The minister said Iran must return the seized tanker; talks are set to resume."]
    ruled_out = matched = 0
    for doc in coder.parse(texts):
        tt = token_table(doc)
        for t in doc:
            if not _may_match(coder.cfg, tt, t.i):
                ruled_out += 1
                assert _match(coder.cfg, t) is None, t.text
            elif _match(coder.cfg, t) is not None:
                matched += 1
    assert ruled_out > 20 and matched > 3
