"""Stage 2, arguments: who acts and to whom, read off the parse around a trigger.

`_subject` finds the agent by voice (active subject, passive "by" agent, control and raising);
`_objects` and `_noun_args` list candidate recipient (and, for event nouns, agent) heads in order of
preference; `_first_resolved` / `_resolve_group` turn the first group the actor dictionaries know into
actor mentions; `_deep_target` searches a trigger's complements when no recipient sits on it.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..model import ActorMention
from ..nlp import TokenTable, dep_tree, token_table
from ._actors import ActorResolver
from ._config import CodingConfig
from ._triggers import dep_path

RECIPIENT_PREPS = ("to", "against", "on", "upon", "with", "at", "toward", "towards", "into", "from", "over", "for")
REASON_PREPS = {"over", "for"}  # "expelled X over Y", "arrested X for Y": why, not whom
STANCE_NOUNS = {"protest", "defiance", "opposition", "solidarity", "retaliation", "response", "support"}
NOUN_RECIPIENT_PREPS = ("on", "against", "of", "to", "with", "in", "at", "toward", "towards", "upon")
# entity types that never name an actor, and those that name one the dictionaries may lack
NON_ACTOR_ENTS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL", "LAW", "EVENT",
                  "WORK_OF_ART", "LANGUAGE", "PRODUCT"}
NAMED_ACTOR_ENTS = {"PERSON", "ORG", "NORP", "GPE"}
# When no recipient sits on the verb, events often name it further down ("staged a hunger strike in
# protest against the violations by Algerian security forces", "agreed to an extension of the mandate
# for the force in Lebanon"): the complements are searched breadth-first, never into another clause.
# Prepositions through which a verb's object, not its subject, does the -ing act: "warned X against selling",
# "accused X of supplying", "stopped X from entering", "pressed X into signing", "blamed X for failing". After
# others the subject acts: "stormed the base after striking it", "won the vote by promising".
OBJECT_CONTROL_PREPS = {"against", "of", "from", "into", "for"}
DEEP_TARGET_ARCS = {"prep", "pobj", "dobj", "advcl", "xcomp", "pcomp", "acl", "poss", "agent", "conj", "appos"}


def _subject(cfg: CodingConfig, v: Token, depth: int = 0) -> tuple[list[Token], bool]:
    """Head tokens of the agent, and whether they came from a passive 'by' phrase."""
    for c in v.children:
        if c.dep_ == "nsubj":
            if c.lower_ in {"who", "which", "that"} and v.dep_ == "relcl":
                return [v.head], False
            return [c], False
        if c.dep_ == "agent":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return objs, True
        if c.dep_ == "nsubjpass" and (v.lemma_.lower() in cfg.intent_adjs
                                      or cfg.frame_of.get(v.lemma_.lower()) == "intend"):
            return [c], False  # "Vietnam is committed to ...", "X is prepared to ...": a state, not a passive
        if c.dep_ == "csubj":
            return [], False
    if v.dep_ in {"xcomp", "conj", "advcl", "acomp"} and depth < 4:
        h = v.head
        if v.dep_ == "xcomp" or (v.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to"
                                                             for c in v.children)):
            # object control: "urged Iran to release" -> Iran releases
            objs = [c for c in h.children if c.dep_ == "dobj"] or [
                g for c in h.children if c.dep_ == "prep" and c.lower_ in {"on", "upon"}
                for g in c.children if g.dep_ == "pobj"]  # "called on X to release"
            if objs and h.lemma_ in cfg.frame_of and cfg.frame_of[h.lemma_] == "request":
                return objs, False
            if v.dep_ == "xcomp" and any(c.dep_ == "auxpass" for c in h.children):
                # raising and control in the passive: "Egypt is expected to host talks", "the rebels are believed
                # to have kidnapped ...", "Iran was urged to release ...": the passive's subject does the act
                subj = [c for c in h.children if c.dep_ == "nsubjpass"]
                if subj:
                    return subj, False
        if h.pos_ in {"VERB", "AUX", "ADJ"}:
            return _subject(cfg, h, depth + 1)
    if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.pos_ == "VERB" \
            and v.head.lower_ in OBJECT_CONTROL_PREPS:
        # object control: "warned the US against selling", "accused Iran of supplying"
        objs = [c for c in v.head.head.children if c.dep_ == "dobj"]
        if objs:
            return objs, False
    if v.dep_ in {"pcomp", "acl"} and v.tag_ == "VBG" and depth < 4:
        # "the regime has a long history of committing atrocities": the nearest clause's subject acts
        h = v.head
        while h.pos_ not in {"VERB", "AUX"} and h.head.i != h.i:
            if any(c.dep_ == "poss" for c in h.children):
                return [c for c in h.children if c.dep_ == "poss"], False
            h = h.head
        if h.pos_ in {"VERB", "AUX"}:
            subj, passive = _subject(cfg, h, depth + 1)
            if any(x.is_ancestor(v) for x in subj):
                return [], False  # "the reasons for boycotting the regime still exist": not who boycotts
            return subj, passive
    if v.dep_ == "acl" and v.tag_ == "VBN":
        return [], False
    if v.dep_ == "relcl" and not any(c.dep_ == "nsubjpass" for c in v.children):
        return [v.head], False  # "the regime that attacked Douma"; "a candidate who was jailed" was acted on
    return [], False


def _prep_objects(tt: TokenTable, children: list[list[int]], t: int) -> list[tuple[str, list[int]]]:
    """(the preposition's lower-case word, its objects) for each prepositional phrase on token t, in order."""
    dep, lower = tt.dep, tt.lower
    return [(lower[c], [g for g in children[c] if dep[g] == "pobj"]) for c in children[t] if dep[c] == "prep"]


def _objects(v: Token) -> list[list[Token]]:
    """Candidate recipient heads in order of preference (first group that resolves wins).

    Read from the document's tables (nlp.dep_tree, token_table) as token indices, the tokens built only for the
    groups returned: the same groups, in the same order, as walking `Token.children`."""
    doc = v.doc
    tt = token_table(doc)
    heads, children = dep_tree(doc)
    dep, lower, pos, lemma, tag = tt.dep, tt.lower, tt.pos, tt.lemma, tt.tag
    vi = v.i
    kids = children[vi]

    groups: list[list[int]] = []
    passive_subj = [c for c in kids if dep[c] == "nsubjpass"]
    if dep[vi] == "relcl" and passive_subj and lower[passive_subj[0]] in {"who", "which", "that", "whom"}:
        passive_subj = [heads[vi]]  # "a candidate who was jailed": the relative pronoun's antecedent
    if passive_subj:
        groups.append(passive_subj)
    if dep[vi] == "acl" and tag[vi] == "VBN":
        groups.append([heads[vi]])  # "a camp attacked by militiamen"
    groups.append([c for c in kids if dep[c] in {"dative", "iobj"} and pos[c] != "ADP"])
    groups.append([g for c in kids if dep[c] == "dative" and pos[c] == "ADP" for g in children[c] if dep[g] == "pobj"])
    dobjs = [c for c in kids if dep[c] == "dobj"]
    groups.append(dobjs)
    # each prepositional phrase's word and objects, read once rather than once per preposition asked for
    by_prep = _prep_objects(tt, children, vi)
    # the object's own phrases (a passive's subject is its object), read once for both uses below
    # and those of a participle on it: "lifted restrictions imposed on X", "eased sanctions placed against X"
    obj_preps = [(d, _prep_objects(tt, children, d) + [pp for a in children[d] if dep[a] == "acl" and tag[a] == "VBN"
                                                       for pp in _prep_objects(tt, children, a)])
                 for d in [*dobjs, *passive_subj]]
    reasons: list[list[int]] = []
    for prep in RECIPIENT_PREPS:
        group = [g for word, objs in by_prep if word == prep for g in objs]
        if prep in REASON_PREPS and obj_preps:
            reasons.append(group)
            continue
        groups.append(group)
        if prep == "to":
            # the addressee on the object before any other phrase of the verb: "expressed condolences to
            # Bangladesh over a fire", "offered support to X in its fight"
            groups.append([g for _, d_preps in obj_preps[:len(dobjs)] for word, objs in d_preps if word == "to"
                           for g in objs])
    # the object's own phrases: "lifted sanctions on X", and so the passive's "sanctions against X were lifted"
    for d, d_preps in obj_preps:
        for prep in ("of", "on", "against", "to", "with", "for"):
            groups.append([g for word, objs in d_preps if word == prep for g in objs])
        # the object's owner before where it comes from: "recognised South Ossetia's independence from Georgia"
        groups.append([g for g in children[d] if dep[g] == "poss"])
        for prep in ("from", "by"):
            groups.append([g for word, objs in d_preps if word == prep for g in objs])
        groups.append([c for c in children[d] if dep[c] in {"compound", "amod"}])
    # the verb's phrases of reason come after the object's own: "expelled diplomats from Poland over their
    # participation in a protest" acts on Poland's diplomats
    groups += reasons
    # "called on X to ...": the addressee sits on the verb's particle phrase
    groups.append([g for c in kids if dep[c] == "prt" for g in children[c] if dep[g] == "pobj"])
    # "in protest against X", "in defiance of X", "in solidarity with X": the stance's object
    stance = [g for c in kids if dep[c] == "prep" and lower[c] == "in"
              for n in children[c] if dep[n] == "pobj" and lemma[n] in STANCE_NOUNS
              for p in children[n] if dep[p] == "prep" for g in children[p] if dep[g] == "pobj"]
    groups.insert(0, stance)
    # last resort: the place the act was directed at ("lifted the curfew in Montenegro")
    for holder in [vi, *dobjs, *passive_subj]:
        groups.append([g for c in children[holder] if dep[c] == "prep" and lower[c] == "in"
                       for g in children[c] if dep[g] == "pobj"])
    return [[doc[i] for i in g] for g in groups if g]


def _noun_args(cfg: CodingConfig, n: Token) -> tuple[list[list[Token]], list[list[Token]]]:
    """Candidate agent and recipient heads of an event noun, in order of preference (read from the document's
    tables as token indices, as `_objects` is)."""
    doc = n.doc
    tt = token_table(doc)
    heads, children = dep_tree(doc)
    dep, lower = tt.dep, tt.lower
    kids = children[n.i]
    actor_groups: list[list[int]] = []
    rec_groups: list[list[int]] = []
    actor_groups.append([c for c in kids if dep[c] == "poss"])
    actor_groups.append([g for c in kids if dep[c] in {"prep", "agent"} and lower[c] == "by"
                         for g in children[c] if dep[g] == "pobj"])
    actor_groups.append([c for c in kids if dep[c] in {"compound", "amod", "nmod"}])
    # "the regime's responsibility for chemical attacks": the possessor is the agent
    h = _first_conjunct(n).head
    if h.dep_ == "prep" and h.lower_ in {"for", "in", "of"} and h.head.lemma_.lower() in cfg.agency_nouns:
        actor_groups.insert(0, [c for c in children[h.head.i] if dep[c] == "poss"])
    # "X is responsible for mass killings", "held X responsible for", "commanders responsible for": the one
    # said to be responsible is the agent
    if h.dep_ == "prep" and h.lower_ == "for" and h.head.lemma_.lower() in cfg.agency_adjectives:
        adj = h.head.i
        if dep[adj] == "amod":
            held = [heads[adj]]
        else:
            held = [c for c in children[adj] if dep[c] in {"nsubj", "nsubjpass"}]
            if not held and dep[adj] in {"acomp", "oprd", "xcomp", "ccomp"}:
                gov = heads[adj]
                held = ([c for c in children[gov] if dep[c] == "dobj"] if dep[adj] in {"oprd", "xcomp", "ccomp"}
                        else []) or [c for c in children[gov] if dep[c] in {"nsubj", "nsubjpass"}]
        actor_groups.insert(0, held)
    # each prepositional phrase's word and objects, read once rather than once per preposition asked for
    by_prep = _prep_objects(tt, children, n.i)
    for prep in NOUN_RECIPIENT_PREPS:
        rec_groups.append([g for word, objs in by_prep if word == prep for g in objs])
    # "its demand that Israel ease restrictions": the clause's subject is asked
    for c in kids:
        if dep[c] in {"acl", "ccomp", "relcl"} and any(dep[m] == "mark" for m in children[c]):
            rec_groups.insert(0, [g for g in children[c] if dep[g] in {"nsubj", "nsubjpass"}])
    return [[doc[i] for i in g] for g in actor_groups if g], [[doc[i] for i in g] for g in rec_groups if g]


def _resolve_group(resolver: ActorResolver, heads: list[Token], trigger: Token,
                   entities_only: bool = False, unresolved: str = "",
                   crowd: frozenset[str] | set[str] = frozenset(),
                   barred: frozenset[int] = frozenset()) -> list[ActorMention]:
    """Actor mentions of the heads (and their conjuncts). When none has a code, `unresolved` keeps the
    phrases as mentions without one: "nominal" any noun phrase (a `crowd` noun too: "Hundreds rallied"),
    "named" a named person, group or place. Tokens in `barred` are never read (see `consult_barred`)."""
    out: list[ActorMention] = []
    bare: list[Token] = []
    todo = list(heads)
    seen: set[int] = set()
    doc = trigger.doc
    tt = token_table(doc)
    children = dep_tree(doc)[1]
    dep, pos = tt.dep, tt.pos
    while todo:
        h = todo.pop(0)
        if h.i in seen or h.i in barred:
            continue
        seen.add(h.i)
        kids = children[h.i]
        todo.extend(doc[c] for c in kids if dep[c] == "conj" and pos[c] in {"NOUN", "PROPN", "PRON", "ADJ"})
        # lists of organisations are often parsed as appositions: "the Arab League, the OIC, and the GCC"
        todo.extend(doc[c] for c in kids if dep[c] == "appos" and pos[c] == "PROPN" and tt.ent_type[c] == "ORG")
        r = resolver.resolve(h)
        if r is None or (entities_only and r.kind == "sector"):
            bare.append(h)
            continue
        for m in r.mentions:
            if m.code and not any(o.code == m.code for o in out):
                m = ActorMention(m.text, m.code, m.country, m.sector, m.start, m.end, dep_path(trigger, h))
                out.append(m)
    if out and bare and not entities_only:
        # a list whose other members are known: its named members the dictionaries lack are kept without a code
        # ("sanctions on Mike Pompeo, Alex Azar and Steve Bannon")
        given = {x.i for x in heads}
        for h in bare:
            if h.i not in given and h.pos_ == "PROPN" and h.ent_type_ in NAMED_ACTOR_ENTS:
                m = resolver.mention_of(h)
                out.append(ActorMention(m.text, None, None, None, m.start, m.end, dep_path(trigger, h)))
    if not out and unresolved and not entities_only:
        for h in bare:
            # a count of people is a recipient ("Four killed", "detained 18"), never an agent
            count = unresolved == "named" and h.pos_ == "NUM" and h.ent_type_ in {"", "CARDINAL"}
            if h.lower_ in crowd or (unresolved == "named" and h.pos_ == "NOUN" and h.lemma_.lower() in crowd):
                count = True  # a crowd that acts ("Hundreds rallied"), people acted on ("detained suspects")
            if not count and (h.pos_ not in {"NOUN", "PROPN"} or h.ent_type_ in NON_ACTOR_ENTS):
                continue
            # a proper noun the entity recogniser left untyped is still a name as a verb's object ("Erdogan has
            # accused Gulen of attempting to overthrow ...")
            named = h.pos_ == "PROPN" and (h.ent_type_ in NAMED_ACTOR_ENTS or (h.ent_type_ == "" and dep[h.i] in
                                                                                {"dobj", "dative"}))
            if unresolved == "named" and not count and not named:
                continue
            m = resolver.mention_of(h)
            out.append(ActorMention(m.text, None, None, None, m.start, m.end, dep_path(trigger, h)))
    return out


def _deep_target(resolver: ActorResolver, t: Token, actors: list[ActorMention],
                 helping: frozenset[str] | set[str] = frozenset(),
                 barred: frozenset[int] = frozenset()) -> list[ActorMention]:
    """Breadth-first through the trigger's complements for the first actor other than the source. `helping`:
    verbs whose clause's subject is the one helped ("sent aid to help North Korea cope": North Korea)."""
    def follow(x: Token) -> list[Token]:
        # never into a coordinated clause: "condemned the attack and called on Damascus ..."
        out = [c for c in x.children if c.dep_ in DEEP_TARGET_ARCS
               and not (c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"})]
        if x.lemma_.lower() in helping:
            out += [g for c in x.children if c.dep_ in {"ccomp", "xcomp"} for g in c.children if g.dep_ == "nsubj"]
        return out

    frontier = follow(t)
    seen: set[int] = set()
    for _ in range(5):
        nxt: list[Token] = []
        for x in frontier:
            if x.i in seen or x.i in barred:
                continue
            seen.add(x.i)
            if x.pos_ in {"NOUN", "PROPN"} and (x.dep_ in {"pobj", "dobj", "poss", "conj", "appos"}
                                                 or (x.dep_ == "nsubj" and x.head.head.lemma_.lower() in helping)):
                ms = _first_resolved(resolver, [[x]], t, actors, barred=barred)
                if ms:
                    return ms
            nxt.extend(follow(x))
        frontier = nxt
    return []


def _first_resolved(resolver: ActorResolver, groups: list[list[Token]], trigger: Token,
                    exclude: list[ActorMention], unresolved: str = "",
                    crowd: frozenset[str] | set[str] = frozenset(),
                    barred: frozenset[int] = frozenset()) -> list[ActorMention]:
    # a recipient is someone else: not the actor's own mention, nor the very same actor code
    ex = {m.code for m in exclude if m.code}
    ex_spans = {(m.start, m.end) for m in exclude}
    # ... though a place of the actor's own country is one ("Sudan withdrew its troops from Kadugli")
    ex_texts = {m.text.lower() for m in exclude}
    own_states = {m.country for m in exclude if m.country and (m.sector in {None, "GOV", "MIL"})}
    for g in groups:
        if barred:
            g = [x for x in g if x.i not in barred]
            if not g:
                continue
        # a modifier of an event noun ("Israeli attack") names an actor only through a dictionary entity
        mods_only = all(x.dep_ in {"compound", "amod", "nmod"} and x.head.i == trigger.i for x in g)
        ms = [m for m in _resolve_group(resolver, g, trigger, entities_only=mods_only, unresolved=unresolved,
                                        crowd=crowd, barred=barred)
              if (m.code not in ex or (m.sector is None and m.code == m.country
                                       and m.text.lower() not in ex_texts))
              and (m.start, m.end) not in ex_spans
              # "Syria withdrew its troops", "Britain mobilized army reservists": a state's own forces
              # are its instrument, not the target
              and not (m.country in own_states and m.sector in {"MIL", "COP"})]
        if ms:
            return ms
    return []


def consult_barred(cfg: CodingConfig, t: Token, code: str) -> frozenset[int]:
    """Tokens that can never be a consultation's partner: what is discussed (the direct object of a verb of
    discussion anywhere in the sentence: "discussed Syria with Netanyahu", "met to discuss the crisis in
    Venezuela"), and what talks are about or where they are held (the objects of a topic or place preposition on
    the trigger or on its object: "talks on Syria", and for talks and meetings "met in Paris"), with everything
    under them except a `with` phrase, which names the partner ("discussed the war with Modi").
    frames.toml [senses] consult_codes, discussion_verbs, consult_topic_preps, consult_place_codes,
    consult_place_preps."""
    doc = t.doc
    children = dep_tree(doc)[1]
    tt = token_table(doc)
    dep, lower, lemma = tt.dep, tt.lower, tt.lemma
    sent = t.sent
    roots = [c for v in range(sent.start, sent.end) if lemma[v] in cfg.discussion_verbs
             for c in children[v] if dep[c] in {"dobj", "nsubjpass"}]
    holders = [t.i, *(c for c in children[t.i] if dep[c] in {"dobj", "nsubjpass"} and c not in roots)]
    preps = cfg.consult_topic_preps | (cfg.consult_place_preps if code.startswith(cfg.consult_place_codes)
                                       else frozenset())
    roots += [g for h in holders for p in children[h] if dep[p] == "prep" and lower[p] in preps
              for g in children[p] if dep[g] in {"pobj", "pcomp"}]
    out: set[int] = set()
    todo = list(roots)
    while todo:
        i = todo.pop()
        if i in out or (dep[i] == "prep" and lower[i] == "with"):
            continue
        out.add(i)
        todo.extend(children[i])
    return frozenset(out)


def _complement_subjects(v: Token) -> list[list[Token]]:
    """Addressees of a demand: 'demanded that the US cancel ...' -> the US."""
    out: list[list[Token]] = []
    for c in v.children:
        if c.dep_ in {"ccomp", "xcomp"}:
            out.append([g for g in c.children if g.dep_ in {"nsubj", "nsubjpass"}])
    return [g for g in out if g]


def _first_conjunct(n: Token) -> Token:
    """The first of coordinated nouns, which carries their shared attachment ("killings, rapes and abductions")."""
    while n.dep_ == "conj" and n.head.pos_ == "NOUN":
        n = n.head
    return n


def _sufferer(cfg: CodingConfig, n: Token) -> list[Token]:
    """Who died of the event noun `n`: "X died of torture", "died after torture", "died due to / as a result of
    torture" (frames.toml [agency] suffer_verbs); [] when `n` is no such cause."""
    x = _first_conjunct(n)
    for _ in range(5):
        h = x.head
        if h.i == x.i:
            return []
        if h.pos_ in {"VERB", "AUX"}:
            if h.lemma_.lower() in cfg.suffer_verbs and x.dep_ in {"prep", "advcl"}:
                return [c for c in h.children if c.dep_ in {"nsubj", "nsubjpass"}]
            return []
        if x.dep_ not in {"pobj", "pcomp", "prep"} and not (x.dep_ == "prep" and h.pos_ == "ADJ"):
            return []
        if h.pos_ not in {"ADP", "ADJ"} and h.lemma_.lower() not in {"result", "consequence"}:
            return []
        x = h
    return []


def _undergoer(cfg: CodingConfig, n: Token) -> list[Token]:
    """Who undergoes the event noun `n`: the subject of the verb that governs it as its object ("Gaza suffered
    heavy bombardment", "faced criticism") or through a preposition ("came under fire", "is under attack", "were
    subjected to torture"), frames.toml [agency] undergo_verbs / undergo_phrases; [] when `n` is no such object."""
    x = _first_conjunct(n)
    if x.dep_ == "dobj":
        v = x.head
        if v.pos_ not in {"VERB", "AUX"} or v.lemma_.lower() not in cfg.undergo_verbs:
            return []
    elif x.dep_ == "pobj" and x.head.dep_ == "prep":
        v = x.head.head
        if v.pos_ not in {"VERB", "AUX"} or (v.lemma_.lower(), x.head.lower_) not in cfg.undergo_phrases:
            return []
    else:
        return []
    # "prisoners were subjected to torture"; else the agent by voice and control ("continued to suffer attacks",
    # "civilians who suffered abuse")
    return [c for c in v.children if c.dep_ == "nsubjpass"] or _subject(cfg, v)[0]
