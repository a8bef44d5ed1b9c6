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
        "lemma": [t.lemma_.lower() for t in doc], "tag": [t.tag_ for t in doc], "punct": [t.is_punct for t in doc],
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


MORE = TEXTS + [
    "Hungarian and Romanian officials, led by the former Prime Minister of Hungary, met members of the Syrian "
    "parliament loyal to the regime in Geneva.",
    "The curfew was lifted in Istanbul after security forces launched air and artillery strikes on the rebels.",
    "Sanctions were imposed on Iran; the President, Salem Al-Meslet, said the two countries would withdraw "
    "their inspectors.",
]


def test_dep_tree_matches_the_parse(coder):
    from dossier.nlp import dep_tree

    for doc in coder.parse(MORE):
        heads, children = dep_tree(doc)
        assert heads == [t.head.i for t in doc]
        assert children == [[c.i for c in t.children] for t in doc]


def _np_tokens_by_tokens(head):
    """np_tokens as written over spaCy tokens (the reference the table walk must equal)."""
    from dossier.coding._actors import NP_LEFT, NP_PREPS

    out = {head.i: head}
    stack = [head]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.i in out:
                continue
            take = False
            if c.dep_ in NP_LEFT and c.i < t.i:
                take = True
            elif c.dep_ in {"appos", "amod", "compound", "nmod"}:
                take = True
            elif c.dep_ == "prep" and c.lower_ in NP_PREPS:
                take = True
            elif c.dep_ in {"pobj", "pcomp"} and t.dep_ == "prep":
                take = True
            elif c.dep_ == "punct" and t.i < c.i and c.i < max(x.i for x in t.subtree) and t.dep_ == "appos":
                take = True
            elif c.dep_ in {"cc", "conj"} and t.i != head.i:
                take = t.dep_ in {"amod", "compound", "nmod"}
            if take:
                out[c.i] = c
                stack.append(c)
    return [out[i].i for i in sorted(out)]


def _local_by_tokens(t, depth=4, subject=False):
    """_local as written over spaCy tokens, in the same walk order."""
    from dossier.coding._triggers import ARG_DEPS_EXCLUDED, _headline_clause, _passive

    out = []
    hl, passive = _headline_clause(t), _passive(t)
    stack = [(c, 1) for c in t.children if c.dep_ not in ARG_DEPS_EXCLUDED or ((hl or subject) and c.dep_ == "nsubj")
             or (passive and c.dep_ == "nsubjpass")]
    if t.dep_ == "acl" and t.tag_ == "VBN":
        stack.append((t.head, depth))  # a participle's noun, not walked further
    while stack:
        c, d = stack.pop()
        out.append((c.i, c.lemma_.lower(), c.lower_))
        if d < depth:
            stack.extend((g, d + 1) for g in c.children if g.dep_ not in {"relcl", "ccomp", "advcl", "acl", "punct",
                                                                          "nsubj", "conj"}
                         or (g.dep_ == "conj" and g.pos_ == "NOUN" and c.pos_ == "NOUN"))
    return out


def test_table_walks_equal_the_token_walks(coder):
    from dossier.coding._actors import np_tokens
    from dossier.coding._triggers import _local

    phrases = 0
    for doc in coder.parse(MORE):
        for t in doc:
            assert [x.i for x in np_tokens(t)] == _np_tokens_by_tokens(t)
            assert _local(t) == _local_by_tokens(t)
            assert _local(t, subject=True) == _local_by_tokens(t, subject=True)
            phrases += len(np_tokens(t)) > 2
    assert phrases > 10


def test_sector_words_shortcut(coder):
    """A phrase with no word of any sector phrase has no sector; one with such a word is still read."""
    from dossier.coding._actors import ActorResolver, _sector_parts, np_tokens

    parts = _sector_parts(coder.res)
    assert parts is not None and "police" in parts
    doc = coder.parse(["Serbian police and former Prime Minister Ehud Olmert met the general strike committee."])[0]
    r = ActorResolver(coder.res, coder.nlp, doc, "2023-05-01", coder.place_country)
    by = {t.text: t for t in doc}
    assert r.sector_of(np_tokens(by["police"]), by["police"]) == "COP"
    assert r.sector_of(np_tokens(by["Olmert"]), by["Olmert"]) == "ELI"
    assert r.sector_of([by["strike"]], by["strike"]) is None


@pytest.mark.parametrize(("text", "ids"), [
    ("The Security Council adopted resolutions 2118 and 2254 (2015).", ["UNSC-2118", "UNSC-2254"]),
    ("Under UN General Assembly Resolution 377 the assembly met.", ["UNGA-377"]),
    ("Both sides reaffirmed the Geneva Communique of 2012 and the Dayton Agreement.",
     ["geneva-communique-2012", "dayton-agreement"]),
    ("The OPCW report and the findings of the Joint Investigative Mechanism were cited.",
     ["report-opcw", "report-joint-investigative-mechanism"]),
    ("Police arrested three protesters in the capital on Monday.", []),
])
def test_references_found_with_the_searches_skipped_when_their_words_are_absent(text, ids):
    from dossier.coding._references import extract_references

    assert [r.id for r in extract_references(text)] == ids


def test_gazetteer_answers_kept_are_fresh_copies_and_dropped_when_places_are_added(tmp_path, monkeypatch):
    import dossier.geo._gazetteer as gz
    from dossier.geo import Gazetteer

    base = Gazetteer.load()
    gaz = Gazetteer(list(base._records), dict(base._index), base._demonyms)
    first = gaz.lookup("Aleppo")
    assert first and gaz.lookup("Aleppo") == first
    first.clear()  # a caller's list is its own
    assert gaz.lookup("Aleppo")
    assert gaz.lookup("Zzyzxville") == []
    places = tmp_path / "places.tsv"
    places.write_text("Zzyzxville\t35.14\t-116.10\tUS\tCalifornia\n", encoding="utf-8")
    gaz.add_places(places)
    assert [c.name for c in gaz.lookup("Zzyzxville")] == ["Zzyzxville"]
    monkeypatch.setattr(gz, "ANSWERS_KEPT", 2)
    names = ["Aleppo", "Homs", "Douma", "Idlib", "Aleppo"]
    assert [len(gaz.lookup(n)) > 0 for n in names] == [True] * 5
    assert len(gaz._answers) <= 2


def _dep_path_by_tokens(a, b):
    if a.i == b.i:
        return a.text
    up_a = [a]
    while up_a[-1].head.i != up_a[-1].i:
        up_a.append(up_a[-1].head)
    up_b = [b]
    while up_b[-1].head.i != up_b[-1].i:
        up_b.append(up_b[-1].head)
    ids_b = {t.i: k for k, t in enumerate(up_b)}
    k_a = next((k for k, t in enumerate(up_a) if t.i in ids_b), len(up_a) - 1)
    lca = up_a[k_a]
    parts = [a.text] + [f"<{t.dep_} {t.head.text}" for t in up_a[:k_a]]
    parts += [f">{t.dep_} {t.text}" for t in reversed(up_b[: ids_b.get(lca.i, len(up_b))])]
    return " ".join(parts)


def test_clause_helpers_equal_their_token_walks(coder):
    from dossier.coding._triggers import NEG_WORDS, _clause_markers, _has_aux, _negated, _passive, dep_path

    texts = MORE + ["Iran will not accept the deal unless sanctions are lifted, and it would never sign it.",
                    "The rebels said they must withdraw if the government does not stop the shelling."]
    seen = {"neg": 0, "aux": 0, "mark": 0, "passive": 0}
    for doc in coder.parse(texts):
        for t in doc:
            neg = any(c.dep_ == "neg" or (c.lower_ in NEG_WORDS and c.dep_ in {"advmod", "neg", "det"})
                      for c in t.children)
            aux = any(c.dep_ == "aux" and c.lower_ in {"will", "would", "must"} for c in t.children)
            marks = {m.lower_ for ch in t.children if ch.dep_ == "advcl" for m in ch.children if m.dep_ == "mark"}
            passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in t.children)
            assert (_negated(t), _has_aux(t, {"will", "would", "must"}), _clause_markers(t), _passive(t)) == (
                neg, aux, marks, passive)
            seen["neg"] += neg
            seen["aux"] += aux
            seen["mark"] += bool(marks)
            seen["passive"] += passive
            for other in (doc[0], doc[len(doc) // 2], doc[-1]):
                assert dep_path(t, other) == _dep_path_by_tokens(t, other)
    assert all(seen.values()), seen


def test_sentence_starts_match_each_tokens_sentence(coder):
    from dossier.nlp import sentence_starts

    for doc in coder.parse(MORE):
        assert sentence_starts(doc) == [t.sent.start for t in doc]
        assert len(set(sentence_starts(doc))) == len(list(doc.sents))


def _objects_by_tokens(v):
    """_objects as written over spaCy tokens (the reference the table walk must equal)."""
    from dossier.coding._arguments import REASON_PREPS, RECIPIENT_PREPS, STANCE_NOUNS

    def prep_objects(t):
        return [(c.lower_, [g for g in c.children if g.dep_ == "pobj"]) for c in t.children if c.dep_ == "prep"]

    groups = []
    passive_subj = [c for c in v.children if c.dep_ == "nsubjpass"]
    if v.dep_ == "relcl" and passive_subj and passive_subj[0].lower_ in {"who", "which", "that", "whom"}:
        passive_subj = [v.head]
    if passive_subj:
        groups.append(passive_subj)
    if v.dep_ == "acl" and v.tag_ == "VBN":
        groups.append([v.head])
    groups.append([c for c in v.children if c.dep_ in {"dative", "iobj"} and c.pos_ != "ADP"])
    groups.append([g for c in v.children if c.dep_ == "dative" and c.pos_ == "ADP"
                   for g in c.children if g.dep_ == "pobj"])
    dobjs = [c for c in v.children if c.dep_ == "dobj"]
    groups.append(dobjs)
    by_prep = prep_objects(v)
    obj_preps = [(d, prep_objects(d) + [pp for a in d.children if a.dep_ == "acl" and a.tag_ == "VBN"
                                        for pp in prep_objects(a)])
                 for d in [*dobjs, *passive_subj]]
    reasons = []
    for prep in RECIPIENT_PREPS:
        group = [g for word, objs in by_prep if word == prep for g in objs]
        if prep in REASON_PREPS and obj_preps:
            reasons.append(group)
            continue
        groups.append(group)
        if prep == "to":
            groups.append([g for _, d_preps in obj_preps[:len(dobjs)] for word, objs in d_preps if word == "to"
                           for g in objs])
    for d, d_preps in obj_preps:
        for prep in ("of", "on", "against", "to", "with", "for", "from", "by"):
            groups.append([g for word, objs in d_preps if word == prep for g in objs])
        groups.append([g for g in d.children if g.dep_ == "poss"])
        groups.append([c for c in d.children if c.dep_ in {"compound", "amod"}])
    groups += reasons
    groups.append([g for c in v.children if c.dep_ == "prt" for g in c.children if g.dep_ == "pobj"])
    stance = [g for c in v.children if c.dep_ == "prep" and c.lower_ == "in"
              for n in c.children if n.dep_ == "pobj" and n.lemma_.lower() in STANCE_NOUNS
              for p in n.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
    groups.insert(0, stance)
    for holder in [v, *dobjs, *passive_subj]:
        groups.append([g for c in holder.children if c.dep_ == "prep" and c.lower_ == "in"
                       for g in c.children if g.dep_ == "pobj"])
    return [[x.i for x in g] for g in groups if g]


OBJECT_TEXTS = MORE + [
    "Russia expressed condolences to Bangladesh over a fire and offered support to the victims in their grief.",
    "A candidate who was jailed by the regime was freed; the camp attacked by militiamen was evacuated.",
    "Diplomats were expelled from Poland over their participation in a protest against the government.",
    "The US lifted restrictions imposed on Iran and eased sanctions placed against Syria's central bank.",
    "Protesters staged a hunger strike in protest against the violations by Algerian security forces.",
    "The ministers called on Israel to give the Palestinians their land, and handed the UN a letter.",
]


def test_objects_equal_the_token_walk(coder):
    from dossier.coding._arguments import _objects

    nonempty = 0
    for doc in coder.parse(OBJECT_TEXTS):
        for t in doc:
            got = _objects(t)
            assert [[x.i for x in g] for g in got] == _objects_by_tokens(t), t.text
            assert all(x.doc is doc for g in got for x in g)
            nonempty += len(got) > 2
    assert nonempty > 5


def test_resolver_table_reads_equal_the_tokens(coder):
    """The resolver's phrase mentions, entity texts and depths, read from the tables, equal the token reads."""
    from dossier.coding._actors import ActorResolver, _depth, np_ids, np_tokens
    from dossier.nlp import dep_tree, entity_at

    def mention_by_tokens(text, tokens):
        toks = [t for t in tokens if not t.is_punct or tokens[0].i < t.i < tokens[-1].i]
        toks = toks or tokens
        while toks and (toks[-1].is_punct or toks[-1].dep_ in {"cc", "prep"}):
            toks = toks[:-1]
        while toks and toks[0].dep_ in {"det", "cc", "punct", "case"}:
            toks = toks[1:]
        toks = toks or tokens
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        if text[end:end + 1] == ")" and text[start:end].count("(") > text[start:end].count(")"):
            end += 1
        return text[start:end], start, end

    def depth_by_tokens(t, head):
        d = 0
        while t.i != head.i and t.head.i != t.i and d < 20:
            t = t.head
            d += 1
        return d

    texts = OBJECT_TEXTS + ['"The talks," he said, "were useful." Hamas (the group) and the P.L.O. met in Cairo.']
    ents = 0
    for doc in coder.parse(texts):
        r = ActorResolver(coder.res, coder.nlp, doc, "2023-05-01", coder.place_country)
        heads = dep_tree(doc)[0]
        for t in doc:
            assert np_ids(doc, t.i) == [x.i for x in np_tokens(t)]
            m = r._mention(np_ids(doc, t.i), None, None, None)
            assert (m.text, m.start, m.end) == mention_by_tokens(doc.text, np_tokens(t))
            ent = entity_at(doc, t.i)
            assert r._entity_text(t.i) == (ent.text if ent is not None else t.text)
            ents += ent is not None
            for other in (doc[0], doc[len(doc) // 2], doc[-1], t.head):
                assert _depth(heads, t.i, other.i) == depth_by_tokens(t, other)
    assert ents > 10


def test_sentence_bounds_and_subtrees_equal_the_tokens(coder):
    from dossier.nlp import sentence_bounds, subtree_ids

    for doc in coder.parse(OBJECT_TEXTS):
        for t in doc:
            assert sentence_bounds(doc, t.i) == (t.sent.start, t.sent.end)
            assert subtree_ids(doc, t.i) == [x.i for x in t.subtree]


def test_token_starts_are_the_token_offsets(coder):
    from dossier.nlp import token_starts

    for doc in coder.parse(TEXTS):
        assert token_starts(doc) == [t.idx for t in doc]


def test_geoparser_table_reads_equal_the_tokens(coder):
    """_trim from the tables equals the token reads; the agency-dateline search finds nothing without a tag."""
    from dossier.geo._parser import AGENCY_DATELINE, AGENCY_TAGS, _trim

    def trim_by_tokens(span):
        start, end = span.start, span.end
        doc = span.doc
        while start < end and (doc[start].lower_ in {"the"} or doc[start].is_punct and doc[start].text != "("):
            start += 1
        while end > start and (doc[end - 1].lower_ in {"'s", "’s", "'"}
                               or doc[end - 1].is_punct and doc[end - 1].text not in {".", ")"}):
            end -= 1
        return None if start >= end else (start, end)

    texts = OBJECT_TEXTS + ['"The Hague\'s" court, (Geneva) and the U.S. met; "Paris." - said Reuters\' Lagos.']
    for doc in coder.parse(texts):
        for i in range(len(doc)):
            for j in range(i + 1, min(i + 5, len(doc)) + 1):
                got = _trim(doc[i:j])
                assert (None if got is None else (got.start, got.end)) == trim_by_tokens(doc[i:j])
    tagged = "By JILL COLVIN, Associated Press WASHINGTON (AP) — The talks. CAIRO, Egypt (Reuters) — More."
    assert [m.group(1) for m in AGENCY_DATELINE.finditer(tagged)] == ["WASHINGTON", "CAIRO"]
    for text in [tagged.replace(tag, "(News)") for tag in AGENCY_TAGS] + ["WASHINGTON (APF) and ROME (Reuter)"]:
        if not any(tag in text for tag in AGENCY_TAGS):
            assert not list(AGENCY_DATELINE.finditer(text))


def test_geoparser_context_helpers_equal_the_token_reads(coder):
    from dossier.geo._parser import (
        PLACE_LABELS,
        STRONG_PREPS,
        TOWN_WORDS,
        WEAK_PREPS,
        _inside_longer_entity,
        _kind_of,
        _list_context,
        _Mention,
        _place_context,
        _residence,
    )
    from dossier.nlp import entity_at

    around = {"the", "northern", "southern", "eastern", "western", "central", "rural", "north", "south", "east",
              "west", "town", "city", "village", "of"}

    def place_context(doc, i, preps):
        j = i - 1
        while j >= 0 and doc[j].lower_ in around and i - j < 4:
            j -= 1
        return j >= 0 and doc[j].lower_ in preps

    def residence(doc, i):
        j = i - 1
        if j < 1 or doc[j].lower_ != "of":
            return False
        j -= 1
        if doc[j].text == "," and j > 0:
            j -= 1
        return doc[j].ent_type_ == "PERSON"

    def inside(run):
        return any(t.ent_type_ and t.ent_type_ not in PLACE_LABELS and (e := entity_at(run.doc, t.i)) is not None
                   and (e.start < run.start or e.end > run.end) for t in run)

    texts = OBJECT_TEXTS + ["David Mahler, of Bellmore, flew from the northern city of Aleppo to the village of "
                            "Nagrig, Homs and Hama near Cornell University in rural west Idlib."]
    for doc in coder.parse(texts):
        found = [_Mention(0, 0, "", k, k + 1, "ent", "GPE", []) for k in range(0, len(doc), 3)]
        for i in range(len(doc) + 1):
            for preps in (STRONG_PREPS, WEAK_PREPS):
                assert _place_context(doc, i, preps) == place_context(doc, i, preps)
            assert _residence(doc, i) == residence(doc, i)
            assert _kind_of(doc, i) == (i >= 2 and doc[i - 1].lower_ == "of"
                                        and doc[i - 2].lower_ in TOWN_WORDS | {"district"})
            j = i - 1
            while j >= 0 and doc[j].lower_ in {",", "and", "or"}:
                j -= 1
            expected = not (j == i - 1 or j < 0) and any(m.tok_end == j + 1 for m in found)
            assert _list_context(doc, i, found) == expected
            for k in range(i + 1, min(i + 4, len(doc)) + 1):
                assert _inside_longer_entity(doc[i:k]) == inside(doc[i:k])


def _noun_args_by_tokens(cfg, n):
    """_noun_args as written over spaCy tokens (the reference the table walk must equal)."""
    from dossier.coding._arguments import NOUN_RECIPIENT_PREPS, _first_conjunct

    actor_groups = []
    rec_groups = []
    actor_groups.append([c for c in n.children if c.dep_ == "poss"])
    actor_groups.append([g for c in n.children if c.dep_ in {"prep", "agent"} and c.lower_ == "by"
                         for g in c.children if g.dep_ == "pobj"])
    actor_groups.append([c for c in n.children if c.dep_ in {"compound", "amod", "nmod"}])
    # "the regime's responsibility for chemical attacks": the possessor is the agent
    h = _first_conjunct(n).head
    if h.dep_ == "prep" and h.lower_ in {"for", "in", "of"} and h.head.lemma_.lower() in cfg.agency_nouns:
        actor_groups.insert(0, [c for c in h.head.children if c.dep_ == "poss"])
    # "X is responsible for mass killings", "held X responsible for", "commanders responsible for": the one
    # said to be responsible is the agent
    if h.dep_ == "prep" and h.lower_ == "for" and h.head.lemma_.lower() in cfg.agency_adjectives:
        adj = h.head
        if adj.dep_ == "amod":
            held = [adj.head]
        else:
            held = [c for c in adj.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if not held and adj.dep_ in {"acomp", "oprd", "xcomp", "ccomp"}:
                gov = adj.head
                held = ([c for c in gov.children if c.dep_ == "dobj"] if adj.dep_ in {"oprd", "xcomp", "ccomp"}
                        else []) or [c for c in gov.children if c.dep_ in {"nsubj", "nsubjpass"}]
        actor_groups.insert(0, held)
    for prep in NOUN_RECIPIENT_PREPS:
        rec_groups.append([g for c in n.children if c.dep_ == "prep" and c.lower_ == prep
                           for g in c.children if g.dep_ == "pobj"])
    # "its demand that Israel ease restrictions": the clause's subject is asked
    for c in n.children:
        if c.dep_ in {"acl", "ccomp", "relcl"} and any(m.dep_ == "mark" for m in c.children):
            rec_groups.insert(0, [g for g in c.children if g.dep_ in {"nsubj", "nsubjpass"}])
    return [[x.i for x in g] for g in actor_groups if g], [[x.i for x in g] for g in rec_groups if g]


def test_noun_args_equal_the_token_walk(coder):
    from dossier.coding._arguments import _noun_args

    texts = OBJECT_TEXTS + [
        "The regime's responsibility for chemical attacks on Douma and its demand that Israel ease restrictions.",
        "Commanders responsible for mass killings and rapes by militias against civilians were named.",
        "The UN held Syria responsible for the attack; the council is responsible for the killings.",
    ]
    found = 0
    for doc in coder.parse(texts):
        for t in doc:
            actors, recips = _noun_args(coder.cfg, t)
            assert ([[x.i for x in g] for g in actors], [[x.i for x in g] for g in recips]) == _noun_args_by_tokens(
                coder.cfg, t), t.text
            found += bool(actors) and bool(recips)
    assert found > 3


def test_ancestors_equal_the_tokens(coder):
    from dossier.nlp import ancestor_ids

    for doc in coder.parse(OBJECT_TEXTS):
        for t in doc:
            assert ancestor_ids(doc, t.i) == [x.i for x in t.ancestors]


def test_geoparser_prior_is_the_score_without_context(coder):
    from collections import Counter

    from dossier.geo._parser import _prior

    gp = coder.geoparser
    cands = [c for name in ("Aleppo", "Springfield", "Georgia", "Paris", "Homs", "Africa", "Lagos", "Victoria")
             for c in gp.gazetteer.lookup(name)]
    assert len(cands) > 20
    for c in cands:
        assert gp._score(c, Counter(), [], None, None) == _prior(c)


def test_event_location_focus_country_is_a_fresh_copy(coder):
    """The focus country an event falls back to is counted once per document, and each event gets its own."""
    doc = coder.parse(["Syria said on Monday it would talk. Officials in Damascus and Aleppo met. Talks went on."])[0]
    gp = coder.geoparser
    places = gp.places(doc)
    last = len(doc) - 2  # a word of the last sentence, which names no place
    first = gp.event_location(doc, places, last, [])
    second = gp.event_location(doc, places, last, [])
    assert first == second == gp.focus_country(places)
    assert first is not second


def _match_by_tokens(cfg, t):
    """_match as written over spaCy tokens, trying every pattern of the word (the reference the shortcuts must
    equal: the document-wide word check before the local walk, the token table's attributes)."""
    from dossier.coding._triggers import _local, _object_fits, _passive, _pattern_kind

    noun = _pattern_kind(t.pos_, t.dep_, t.ent_type_)
    if noun is None:
        return None
    pats = cfg.res.verbs.get((t.lemma_.lower(), noun)) or cfg.res.verbs.get((t.lower_, noun))
    if not pats:
        return None
    walks = {False: _local_by_tokens(t), True: _local_by_tokens(t, subject=True)}
    best = None
    for p in pats:
        if best is not None and len(p.items) < best[0][0]:
            break
        local = walks[p.option("subject") == "1"]  # `subject=1`: the subject's words count too
        used: set[int] = set()
        for item in p.items:
            hit = next((i for i, lemma, lower in local if i not in used and (lemma == item or lower == item)), None)
            if hit is None:
                break
            used.add(hit)
        else:
            if p.option("passive_only") == "1" and not _passive(t):
                continue
            if p.option("active_only") == "1" and _passive(t):
                continue
            if not _object_fits(cfg, t, p):
                continue
            content = sum(1 for i in used if t.doc[i].pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
            near = -sum(abs(t.doc[i].head.i - t.i) > 0 and t.doc[i].head.i != t.i for i in used)
            key = (len(p.items), content, near)
            if best is None or key > best[0]:
                best = (key, p, used)
    assert _local(t) == walks[False]
    return (best[1], best[2]) if best else None


def test_match_equals_the_token_reads_without_shortcuts(coder):
    from dossier.coding._triggers import _match

    texts = OBJECT_TEXTS + [
        "Police fired tear gas at protesters; the army carried out air strikes and imposed a curfew on the city.",
        "The ministers called for talks and agreed to hold a meeting, but the rebels refused to lay down arms.",
        # `subject=1` patterns: the words are found in the trigger's subject
        "Hundreds of British troops have arrived in Mali, and UN peacekeepers deployed along the border.",
    ]
    with_items = subject_patterns = 0
    for doc in coder.parse(texts):
        for t in doc:
            got, want = _match(coder.cfg, t), _match_by_tokens(coder.cfg, t)
            assert (got and (got[0], got[1])) == (want and (want[0], want[1])), t.text
            with_items += bool(got and got[0].items)
            subject_patterns += bool(got and got[0].option("subject") == "1")
    assert with_items >= 3 and subject_patterns >= 2


def test_sentence_bounds_in_characters_equal_the_tokens(coder):
    from dossier.coding._triggers import _sent_bounds

    for doc in coder.parse(MORE + TEXTS[:4]):
        for sent in doc.sents:
            assert _sent_bounds(sent) == (sent[0].idx, sent[-1].idx + len(sent[-1].text))


@pytest.mark.parametrize("seed", range(4))
def test_datelines_equal_the_single_pattern(coder, seed):
    """The three searches of `datelines` find what DATELINE's finditer finds, on texts made of the characters its
    parts turn on, and on news openings."""
    import random

    from dossier.geo._parser import DATELINE, datelines

    rnd = random.Random(seed)
    texts = ["WASHINGTON (AP) — The talks.\nCAIRO, Egypt — More. LONDON Pope Francis said so. U.S. OFFICIALS - yes",
             "  PARIS — a\n\tKYIV, Ukraine\nsaid. NEW YORK CITY (Reuters) 3. ROME—x", ""] + [
        "".join(rnd.choice("AB. a1!?\n\t,(—-Cc'’") for _ in range(rnd.randint(0, 16))) for _ in range(20000)]
    for text in texts:
        assert [m.span(1) for m in datelines(text)] == [m.span(1) for m in DATELINE.finditer(text)], repr(text)


def test_sector_phrase_lookups_skipped_by_first_word_equal_all_lookups(coder, monkeypatch):
    """_sector_words looks a phrase up only when its first word starts some sector phrase: the same answers as
    looking every phrase up (the shortcut off)."""
    import dossier.coding._actors as actors

    texts = OBJECT_TEXTS + ["Security forces and riot police of the interior ministry met army officers, the prime "
                            "minister's spokesman and members of the Syrian parliament."]
    docs = coder.parse(texts)
    calls = []
    for doc in docs:
        r = actors.ActorResolver(coder.res, coder.nlp, doc, "2023-05-01", coder.place_country)
        for t in doc:
            ids = actors.np_ids(doc, t.i)
            for k in range(len(ids)):
                calls.append((r, ids[k:], t.i))
    with_shortcut = [r._sector_words(ids, h) for r, ids, h in calls]
    monkeypatch.setattr(actors, "_sector_starts", lambda res: None)
    assert with_shortcut == [r._sector_words(ids, h) for r, ids, h in calls]
    assert sum(s is not None for s in with_shortcut) > 10
