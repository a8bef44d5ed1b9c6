"""Actor resolution: noun phrases in a parsed document -> CAMEO-style actor codes.

A code is composed from what the phrase shows: a dictionary entity (group, IGO, person,
country name / adjective / capital) gives the country or organisation part; a sector word
("police", "army", "government", "rebels") gives the sector ("Serbian police" -> SRBCOP).
Agents with no country of their own ("the regime", "troops") take the document's focus
country; pronouns and repeated surnames take the actor named earlier in the document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from ..model import ActorMention
from ..nlp import (
    NLPLike,
    dep_tree,
    doc_ents,
    doc_text,
    entity_at,
    sentence_starts,
    subtree_ids,
    token_starts,
    token_table,
)
from ._resources import ActorEntry, Resources

# Which kind of dictionary entity decides an actor's identity when several are in one phrase.
KIND_RANK = {"group": 0, "igo": 0, "person": 1, "metonym": 2, "country": 3, "capital": 3, "adjective": 4, "people": 4}
ORG_KINDS = {"group", "igo", "person", "metonym"}
# Dependents that belong to a noun phrase (left side) and prepositions that extend it (right side).
NP_LEFT = {"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "case", "predet", "advmod", "punct",
           "npadvmod"}
NP_PREPS = {"of", "in", "from", "at", "within", "inside", "for", "loyal"}
PRONOUN_PERSON = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
# adjectives whose subject is an agent ("it is willing to withdraw"), never an expletive "it"
AGENT_ADJECTIVES = {"willing", "ready", "prepared", "committed", "determined", "eager", "keen", "unwilling",
                    "reluctant", "able", "unable", "set", "poised", "due", "likely", "about"}
REFLEXIVE = {"himself", "herself", "itself", "themselves"}
PRONOUN_GROUP = {"it", "its", "they", "them", "their", "itself", "themselves"}
PRONOUNS = PRONOUN_PERSON | PRONOUN_GROUP
LOCATIVE_PREPS = {"in", "at", "near", "through", "across", "from", "around", "inside", "outside", "into", "within",
                  "throughout"}
# Plural heads that with "two"/"both" refer back to the last two countries named.
PAIR_HEADS = {"country", "nation", "state", "side", "neighbor", "neighbour", "government", "leader", "minister",
              "president", "capital", "party"}
# Heads whose sector comes from their of-phrase: "members of the Syrian parliament" -> LEG.
PARTITIVE_HEADS = {"member", "group", "number", "some", "one", "part", "delegation", "team", "unit", "contingent",
                   "leader", "head", "chief", "spokesman", "spokeswoman", "spokesperson", "representative",
                   "official", "officer", "commander", "dozen", "hundred", "thousand", "million", "band",
                   "faction", "wing", "supporter", "crowd"}
PLACE_NAME_ENTS = {"GPE", "LOC"}
# Adjectives that name a sector ("military government"); other adjectives ("general strike") do not.
SECTOR_ADJECTIVES = {"military", "civilian", "judicial", "parliamentary", "governmental", "rebel", "medical",
                     "religious", "paramilitary", "legislative", "presidential", "ministerial", "diplomatic",
                     "royal", "official", "clerical", "insurgent", "separatist", "militant"}
# Modifiers that put a government title out of office: "former Prime Minister", "ex - president" (-> ELI)
FORMER_WORDS = {"former", "ex", "erstwhile", "onetime", "one-time"}
# Sectors that are a state's arms: with no country named, they are the focus country's, wherever they act.
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG"})
# Sector heads that may take the document's focus country when the phrase names none.
DEICTIC_DETS = {"the", "its", "their", "this", "that", "these", "those", "his", "her", "our"}


@dataclass
class Resolved:
    """The actors one noun-phrase head stands for (several for 'Hungarian and Romanian officials')."""

    mentions: list[ActorMention]
    kind: str  # best entity kind, "sector", "pronoun" or "memory"
    person_like: bool


class ActorMatcher:
    """Phrase matchers over all dictionary names, built once per (resources, pipeline)."""

    def __init__(self, res: Resources, nlp: NLPLike) -> None:
        self.res = res
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.keys: dict[int, str] = {}
        lower_pats: dict[str, list[Doc]] = {}
        exact_pats: dict[str, list[Doc]] = {}
        for surface in res.names:
            # acronyms and short names ("US", "UN", "SOC") match case-sensitively: "us" is a pronoun
            target = exact_pats if (surface.isupper() or len(surface) <= 3) else lower_pats
            target.setdefault(surface, []).append(nlp.make_doc(surface))
        for surface, docs in lower_pats.items():
            self.lower.add(surface, docs)
        for surface, docs in exact_pats.items():
            self.exact.add(surface, docs)
        for surface in res.names:
            self.keys[nlp.vocab.strings[surface]] = surface

    def matches(self, doc: Doc) -> dict[int, tuple[int, int, str]]:
        """token index -> (start, end, surface) for the longest non-overlapping matches."""
        found = [(s, e, self.keys[k]) for k, s, e in self.lower(doc)] + [
            (s, e, self.keys[k]) for k, s, e in self.exact(doc)
        ]
        # longest first, not counting a leading "the" ("West Bank" beats "the West")
        lower = token_table(doc).lower
        found.sort(key=lambda m: (-(m[1] - m[0] - (lower[m[0]] == "the")), m[0]))
        taken: dict[int, tuple[int, int, str]] = {}
        for s, e, surface in found:
            if any(i in taken for i in range(s, e)):
                continue
            for i in range(s, e):
                taken[i] = (s, e, surface)
        return taken


@lru_cache(maxsize=4)
def actor_matcher(res: Resources, nlp: NLPLike) -> ActorMatcher:
    return ActorMatcher(res, nlp)


def _valid(entry: ActorEntry, date: str | None) -> bool:
    if entry.kind != "person":
        return True
    if date is None:
        return entry.end is None  # undated text: the person's current role
    return (entry.start is None or entry.start <= date) and (entry.end is None or date < entry.end)


def _distance(entry: ActorEntry, date: str | None) -> int:
    """Days between a date and a role's validity range (0 inside it); undated -> latest role first."""
    from datetime import date as _d

    def day(s: str | None, default: int) -> int:
        if not s:
            return default
        try:
            return _d.fromisoformat(s[:10]).toordinal()
        except ValueError:
            return default

    if date is None:
        return -day(entry.start, 0)
    d = day(date, 0)
    lo, hi = day(entry.start, -10**9), day(entry.end, 10**9)
    return 0 if lo <= d < hi else min(abs(d - lo), abs(d - hi))


def np_tokens(head: Token) -> list[Token]:
    """The tokens of the noun phrase headed by `head` (modifiers, of/in-phrases, appositions)."""
    doc = head.doc
    return [doc[i] for i in np_ids(doc, head.i)]


def np_ids(doc: Doc, h: int) -> list[int]:
    """The token indices, ascending, of the noun phrase headed by token h (`np_tokens`)."""
    tt = token_table(doc)  # the walk reads indices and strings from the document's tables, not tokens
    children = dep_tree(doc)[1]
    dep, lower = tt.dep, tt.lower
    out = {h}
    stack = [h]
    while stack:
        t = stack.pop()
        tdep = dep[t]
        for c in children[t]:
            if c in out:
                continue
            cdep = dep[c]
            take = False
            if cdep in NP_LEFT and c < t:
                take = True
            elif cdep in {"appos", "amod", "compound", "nmod"}:
                take = True
            elif cdep == "prep" and lower[c] in NP_PREPS:
                take = True
            elif cdep in {"pobj", "pcomp"} and tdep == "prep":
                take = True
            elif cdep == "punct" and t < c and tdep == "appos" and c < max(x.i for x in doc[t].subtree):
                take = True
            elif cdep in {"cc", "conj"} and t != h:
                # conjoined modifiers: "Hungarian and Romanian officials"
                take = tdep in {"amod", "compound", "nmod"}
            if take:
                out.add(c)
                stack.append(c)
    return sorted(out)


@lru_cache(maxsize=4)
def _sector_parts(res: Resources) -> frozenset[str] | None:
    """Every word of the sector phrases: a run of words none of which is one of them is no sector phrase (the
    phrases are words joined by single spaces; None, so no shortcut, if one is not)."""
    if any(k != " ".join(k.split()) for k in res.sectors):
        return None
    return frozenset(w for k in res.sectors for w in k.split(" "))


@lru_cache(maxsize=4)
def _sector_starts(res: Resources) -> frozenset[str] | None:
    """The first word of every sector phrase: words joined from a word that has no space and is none of them are
    no sector phrase (None, so no shortcut, when the phrases are not words joined by single spaces)."""
    if _sector_parts(res) is None:
        return None
    return frozenset(k.split(" ")[0] for k in res.sectors)


UNKNOWN_COUNTRY = "---"


class _AnyWord:
    """Contains every word (no shortcut)."""

    def __contains__(self, word: object) -> bool:
        return True


_ANY_WORD = _AnyWord()


class ActorResolver:
    """Resolves noun-phrase heads of one document, remembering who was named for coreference."""

    def __init__(
        self,
        res: Resources,
        nlp: NLPLike,
        doc: Doc,
        date: str | None,
        place_country: Callable[[str], str | None] | None = None,
    ) -> None:
        self.res = res
        self.doc = doc
        self.text = doc_text(doc)
        self.date = date
        self.place_country = place_country
        self.match = actor_matcher(res, nlp).matches(doc)
        # the document's tables (nlp.token_table, nlp.dep_tree), read on every resolution
        self.tt = token_table(doc)
        self.heads, self.children = dep_tree(doc)
        # per token: its lemma or lower-case form is a word of some sector phrase (None: no such shortcut)
        parts = _sector_parts(res)
        self.sector_word: list[bool] | None = None if parts is None else [
            lemma in parts or lower in parts for lemma, lower in zip(self.tt.lemma, self.tt.lower, strict=True)]
        self.cache: dict[int, Resolved | None] = {}
        self.direct: dict[int, frozenset[int]] = {}  # head index -> the words modifying it directly (sector_of)
        self.memory: dict[str, ActorMention] = {}  # lowercased name / surname -> actor
        self.history: list[tuple[int, Resolved]] = []  # (token index, resolved) in reading order
        self.focus = self._focus_country()

    # ---- dictionary look-ups -------------------------------------------------------------
    def _entries(self, surface: str) -> list[ActorEntry]:
        entries = self.res.names.get(surface, [])
        valid = [e for e in entries if _valid(e, self.date)]
        people = [e for e in entries if e.kind == "person"]
        if people and not any(e.kind == "person" for e in valid):
            # named outside any role we know for that date: still the same country's actor; take the
            # role nearest in time ("former President X" is still from X's country)
            valid.append(min(people, key=lambda e: _distance(e, self.date)))
        return valid

    def _place_of_act(self, h: int) -> str | None:
        """The country of the place a phrase names or an act is done in (the verb whose object `h` is: "bombed a
        school in Idlib": Syria), when the gazetteer knows it."""
        tt, heads, children = self.tt, self.heads, self.children
        if self.place_country is None:
            return None
        # the phrase's own place first ("journalists in Kherson"), then the act's ("detained journalists in Kherson")
        owners = [h, heads[h]] if tt.dep[h] in {"dobj", "nsubjpass"} else [h]
        for p in (p for o in owners for p in children[o]):
            if tt.dep[p] == "prep" and tt.lower[p] in {"in", "at", "near"}:
                for g in children[p]:
                    if tt.dep[g] == "pobj" and tt.ent_type[g] in {"GPE", "LOC"}:
                        country = self.place_country(self._entity_text(g) or tt.text[g])
                        if country:
                            return country
        return None

    def _focus_country(self) -> str | None:
        counts: Counter[str] = Counter()
        seen: set[tuple[int, int]] = set()
        for s, e, surface in self.match.values():
            if (s, e) in seen:
                continue
            seen.add((s, e))
            for entry in self._entries(surface):
                if entry.country:
                    counts[entry.country] += 1
                    break
        if not counts and self.place_country is not None:
            # no country named: the country of the towns the text mentions ("... in Homs")
            for ent in doc_ents(self.doc):
                if ent.label_ in {"GPE", "LOC"}:
                    c = self.place_country(ent.text)
                    if c:
                        counts[c] += 1
        return counts.most_common(1)[0][0] if counts else None

    def sector_of(self, tokens: list[Token], head: Token) -> str | None:
        """Sector from the head word first, then from its modifiers (longest phrase first).

        Modifiers count when they modify the head directly ("Serbian police", "military government");
        words inside a prepositional phrase count only after a partitive head ("members of parliament").
        """
        return self._sector_of([t.i for t in tokens], head.i)

    def _sector_of(self, ids: list[int], h: int) -> str | None:
        """`sector_of` the tokens at these indices (ascending) and the head's index."""
        tt = self.tt
        lemma, pos = tt.lemma, tt.pos
        sector_word = self.sector_word
        if sector_word is not None and not any([sector_word[i] for i in ids]):
            return None  # no word of any sector phrase among them (the words _sector_words reads are some of them)
        direct: frozenset[int] | set[int] | None = self.direct.get(h)
        if direct is None:
            dep, children = tt.dep, self.children
            d = {h} | {c for c in children[h] if dep[c] in {"compound", "amod", "nmod", "appos"}}
            d |= {g for c in children[h] if dep[c] in {"compound", "nmod"} for g in subtree_ids(self.doc, c)}
            direct = self.direct[h] = frozenset(d)
        if lemma[h] in PARTITIVE_HEADS:
            direct = direct | set(ids)
        kept = [i for i in ids if i in direct and (pos[i] != "ADJ" or lemma[i] in SECTOR_ADJECTIVES)]
        if not kept:
            return None
        sector = self._sector_words(kept, h)
        # "former Prime Minister Ehud Olmert", "ex-president": no longer in office, an elite (as PETRARCH's
        # agents code FORMER_PRESIDENT and FORMER_PRIME_MINISTER)
        if sector == "GOV" and any(tt.lower[i] in FORMER_WORDS for i in ids if i in direct):
            return "ELI"
        return sector

    def _sector_words(self, ids: list[int], head: int) -> str | None:
        """The sector phrase among the words at these token indices (ascending) around the head's index."""
        tt = self.tt
        # a word of a place's name names no sector: "the West Bank", "Guard Island"
        ids = [i for i in ids if tt.ent_type[i] not in PLACE_NAME_ENTS]
        if not ids:
            return None
        lemmas = [tt.lemma[i] for i in ids]
        words = [tt.lower[i] for i in ids]
        parts = _sector_parts(self.res)
        if parts is not None and parts.isdisjoint(lemmas) and parts.isdisjoint(words):
            return None  # no word of any sector phrase among them
        hi = ids.index(head) if head in ids else len(ids) - 1
        # (a phrase is looked up only when its first word may start one: see _sector_starts)
        starts = _sector_starts(self.res) or _ANY_WORD
        # phrases ending at the head: "security forces", "prime minister"
        for n in (3, 2, 1):
            if hi - n + 1 < 0:
                continue
            for seq in (lemmas, words):
                if seq[hi - n + 1] not in starts and " " not in seq[hi - n + 1]:
                    continue
                phrase = " ".join(seq[hi - n + 1 : hi + 1])
                if phrase in self.res.sectors:
                    return self.res.sectors[phrase]
        pos = tt.pos
        for n in (3, 2, 1):
            for i in range(len(ids) - n + 1):
                if pos[ids[i]] not in {"NOUN", "PROPN", "ADJ"} and n == 1:
                    continue
                for seq in (lemmas, words):
                    if seq[i] not in starts and " " not in seq[i]:
                        continue
                    phrase = " ".join(seq[i : i + n])
                    if phrase in self.res.sectors:
                        return self.res.sectors[phrase]
        return None

    # ---- resolution ----------------------------------------------------------------------
    def resolve(self, head: Token) -> Resolved | None:
        if head.i not in self.cache:
            self.cache[head.i] = self._resolve(head)
            r = self.cache[head.i]
            if r is not None:
                self.history.append((head.i, r))
        return self.cache[head.i]

    def mention_of(self, head: Token) -> ActorMention:
        """The noun phrase headed by `head` as a mention with no code (an actor the dictionaries lack)."""
        return self._mention(np_ids(self.doc, head.i), None, None, None)

    def _mention(self, ids: list[int], code: str | None, country: str | None, sector: str | None) -> ActorMention:
        """The phrase of the tokens at these indices (ascending), less outer punctuation, articles and
        conjunctions, as a mention."""
        tt = self.tt
        punct, dep = tt.punct, tt.dep
        toks = [i for i in ids if not punct[i] or ids[0] < i < ids[-1]]
        toks = toks or ids
        while toks and (punct[toks[-1]] or dep[toks[-1]] in {"cc", "prep"}):
            toks = toks[:-1]
        while toks and dep[toks[0]] in {"det", "cc", "punct", "case"}:
            toks = toks[1:]
        toks = toks or ids
        starts = token_starts(self.doc)
        start, end = starts[toks[0]], starts[toks[-1]] + len(tt.text[toks[-1]])
        # "the African National Congress (ANC)": a bracket opened inside the phrase closes inside it
        if self.text[end:end + 1] == ")" and self.text.count("(", start, end) > self.text.count(")", start, end):
            end += 1
        return ActorMention(self.text[start:end], code, country, sector, start, end)

    def _pronoun(self, head: Token) -> Resolved | None:
        low = head.lower_
        want_person = low in PRONOUN_PERSON
        # an object pronoun never means its own clause's subject ("Trump called Erdogan and urged him": him is
        # Erdogan), and its antecedent is then most likely the nearest fitting name of the same sentence
        excluded = _clause_subjects(head) if low not in REFLEXIVE and head.dep_ in {"dobj", "dative", "pobj"} else set()
        passes = ("sentence", "subjects", "any") if excluded else ("subjects", "any")
        sent_of = sentence_starts(self.doc)
        dep = token_table(self.doc).dep
        here = sent_of[head.i]
        for which in passes:
            for i, r in reversed(self.history):
                if i >= head.i or i in excluded:
                    continue
                if which == "sentence" and sent_of[i] != here:
                    continue
                if which == "subjects" and dep[i] not in {"nsubj", "nsubjpass"}:
                    continue
                if want_person and r.person_like or (not want_person and not r.person_like):
                    if sent_of[i] == here:
                        # the antecedent is in the same sentence ("Netanyahu says he will ..."): point at
                        # the name itself, the words a reader takes the pronoun to mean
                        return Resolved(list(r.mentions), "pronoun", want_person)
                    ms = [self._mention([head.i], m.code, m.country, m.sector) for m in r.mentions]
                    return Resolved(ms, "pronoun", want_person)
        return None

    def _resolve(self, head: Token) -> Resolved | None:
        tt = self.tt
        pos, low = tt.pos[head.i], tt.lower[head.i]
        if pos == "PRON" or low in PRONOUNS:
            if low == "it" and head.head.lemma_ == "be" and _extraposed(head.head) and not any(
                    c.dep_ == "acomp" and c.lemma_.lower() in AGENT_ADJECTIVES for c in head.head.children):
                # expletive: "it is in everyone's interest to ...", "it is clear that ...", but not "it is willing
                # to ...", nor "said it is skeptical about the plan" (no clause the "it" stands in for)
                return None
            if low in PRONOUNS:
                return self._pronoun(head)
            return None
        if pos in {"VERB", "AUX"}:
            # "The Red Cross operating in Iraq said": a reduced relative parsed as the subject's head
            inner = [c for c in head.children if c.dep_ in {"nsubj", "compound", "npadvmod", "nmod", "dep"}
                     and c.pos_ in {"NOUN", "PROPN"}]
            return self.resolve(inner[0]) if inner else None
        # the phrase is read as token indices from the document's tables (np_ids, token_table, dep_tree): the same
        # values as the tokens' attributes, without building a token per word
        doc = self.doc
        h = head.i
        heads = self.heads
        ids = np_ids(doc, h)
        idx = set(ids)
        # dictionary entities inside the phrase, with their distance from the head
        ents: list[tuple[int, int, int, str, ActorEntry]] = []
        seen: set[tuple[int, int]] = set()
        for i in ids:
            m = self.match.get(i)
            if not m or (m[0], m[1]) in seen:
                continue
            s, e, surface = m
            if not all(k in idx for k in range(s, e)) and not (s <= h < e):
                continue
            seen.add((s, e))
            entries = self._entries(surface)
            if not entries:
                continue
            entries.sort(key=lambda x: KIND_RANK.get(x.kind, 9))
            depth = min(_depth(heads, k, h) for k in range(s, e))
            ents.append((depth, s, e, surface, entries[0]))
        sector = self._sector_of(ids, h)
        pair = self._pair(head, sector)
        if pair is not None:
            return pair
        if not ents:
            ent_text = self._entity_text(h)
            # a name learned earlier in this document ("Al-Meslet" after "the President of the SOC, Salem Al-Meslet")
            remembered = self.memory.get(ent_text.lower()) if ent_text else None
            if remembered is not None:
                return Resolved([self._mention(ids, remembered.code, remembered.country, remembered.sector)],
                                "memory", True)
            if tt.ent_type[h] in {"GPE", "LOC", "FAC"} and self.place_country:
                # a town the dictionaries lack: its country from the gazetteer ("residents of Homs")
                country = self.place_country(ent_text or tt.text[h])
                if country:
                    ents.append((0, h, h + 1, tt.text[h], ActorEntry(country, "country", country, None, "gazetteer")))
        if not ents:
            # with no named entity, only a sector noun makes an actor ("the regime", "police"), not an
            # adjective ("an official protest")
            sector = self._sector_of([i for i in ids if tt.pos[i] in {"NOUN", "PROPN"}], h)
            if sector is None:
                return None
            # "the regime", "troops", "police": the document's focus country, unless the phrase
            # points elsewhere ("ministers of Arab countries")
            # "Vice-President Moody Awori", "Judge Alejandro Rivera", "the opposition Umma Party": a name the
            # dictionaries lack, with a sector word, belongs to the document's focus country
            named = tt.ent_type[h] in {"PERSON", "ORG", "NORP"}
            if tt.pos[h] == "PROPN" and not named:
                return None
            # the object of an act done in a named place, in a sector that is no state's arm, is of that place:
            # "Russian airstrikes destroyed a hospital in Idlib" (a Syrian hospital, not the focus country's)
            local = self._place_of_act(h) if sector not in STATE_SECTORS else None
            if local is not None:
                return Resolved([self._mention(ids, local + sector, local, sector)], "sector", False)
            if self.focus is None:
                # no country anywhere in the text ("Protesters block highway"): the sector is still known;
                # "---" is the CAMEO/PETRARCH code for an unknown country
                return Resolved([self._mention(ids, UNKNOWN_COUNTRY + sector, None, sector)], "sector", False)
            code = self.focus + sector
            return Resolved([self._mention(ids, code, self.focus, sector)], "sector", False)
        ents.sort(key=lambda x: (0 if x[4].kind in ORG_KINDS else 1, x[0], KIND_RANK.get(x[4].kind, 9)))
        best = ents[0][4]
        mentions: list[ActorMention] = []
        dep = tt.dep
        if best.kind in {"group", "igo", "person"}:
            code, sec = best.code, best.sector
            if best.kind == "person" and sec == "GOV" and best.country and sector == "ELI":
                code, sec = best.country + "ELI", "ELI"  # "former Prime Minister Ehud Olmert"
            mentions.append(self._mention(ids, code, best.country, sec))
        else:
            # countries: several conjoined ones make several actors
            countries: list[str] = []
            first = ents[0][1]
            for d, s_, _e, _surf, en in ents:
                if en.kind in ORG_KINDS:
                    continue
                conjoined = dep[s_] == "conj" and heads[s_] in range(ents[0][1], ents[0][2]) or (
                    dep[first] == "conj" and heads[first] == s_)
                if countries and d != ents[0][0] and not conjoined:
                    continue
                if en.country and en.country not in countries:
                    countries.append(en.country)
            if not countries and best.country:
                countries = [best.country]
            sec = sector
            if sec is None:
                if best.kind == "metonym":
                    sec = best.sector
                elif best.kind == "capital" and h in range(ents[0][1], ents[0][2]) and not (
                        dep[h] == "pobj" and tt.lower[heads[h]] in LOCATIVE_PREPS):
                    sec = "GOV"  # "Damascus said": the capital stands for the government; "in Damascus" does not
                elif best.kind == "people" and h in range(ents[0][1], ents[0][2]):
                    sec = "CVL"  # "Palestinians", "Syrians": the people, not the state
            if any(tt.lower[i] == "ethnic" for i in ids) and self.focus and self.focus not in countries \
                    and best.kind in {"people", "adjective"}:
                # "ethnic Albanians" in a text about Macedonia: a community of the country they live in
                countries = [self.focus]
                sec = sec or "CVL"
            for c in countries:
                mentions.append(self._mention(ids, c + (sec or ""), c, sec))
        # a person only when the head itself names one ("Assad", "the President, Salem Al-Meslet"), not
        # when a name modifies it ("the Assad regime")
        person_like = (best.kind == "person" and ents[0][1] <= h < ents[0][2]) or tt.ent_type[h] == "PERSON" \
            or any(tt.ent_type[i] == "PERSON" for i in ids if dep[i] == "appos")
        if sector == "GOV" and tt.lemma[h] in {"president", "minister", "leader", "king", "premier",
                                               "spokesman", "spokeswoman", "chairman", "head", "secretary"}:
            person_like = True
        if tt.tag[h] in {"NNS", "NNPS"}:
            person_like = False  # "rebel leaders" are "they", not "he"
        r = Resolved(mentions, best.kind, person_like)
        self._remember(ids, mentions)
        return r

    def _entity_text(self, i: int) -> str:
        """The text of the named entity covering token i, else of the token (the document's own characters)."""
        ent = entity_at(self.doc, i)
        if ent is None:
            return self.tt.text[i]
        return self.text[ent.start_char : ent.end_char]

    def _pair(self, head: Token, sector: str | None) -> Resolved | None:
        """'the two countries', 'both governments', 'the two leaders': the last two countries named."""
        tt = self.tt
        if tt.tag[head.i] not in {"NNS", "NNPS"}:
            return None
        words = {tt.lower[c] for c in self.children[head.i] if tt.dep[c] in {"nummod", "det", "predet"}}
        if not ({"two", "both"} & words):
            return None
        if head.lemma_.lower() not in PAIR_HEADS and sector is None:
            return None
        countries: list[str] = []
        for i, r in reversed(self.history):
            if i >= head.i:
                continue
            for m in r.mentions:
                if m.country and m.country not in countries:
                    countries.append(m.country)
            if len(countries) >= 2:
                break
        if len(countries) < 2:
            return None
        sec = sector if head.lemma_.lower() not in {"country", "nation", "state", "side", "neighbor",
                                                     "neighbour"} else None
        ms = [self._mention([head.i], c + (sec or ""), c, sec) for c in reversed(countries[:2])]
        return Resolved(ms, "pair", False)

    def _remember(self, ids: list[int], mentions: list[ActorMention]) -> None:
        """Names of people in the phrase (the tokens at these indices) stand for this actor later in the document."""
        if len(mentions) != 1:
            return
        m = mentions[0]
        tt = self.tt
        for i in ids:
            if tt.ent_type[i] == "PERSON" and tt.ent_iob[i] == "B":
                ent = entity_at(self.doc, i)  # the entity that starts here
                if ent is None or ent.start != i:
                    continue
                full = ent.text
                self.memory.setdefault(full.lower(), m)
                last = ent[-1]
                # the surname with its particle: "Al-Meslet", "al-Assad"
                sur_start = last.i
                while sur_start - 1 >= ent.start and (self.doc[sur_start - 1].text in {"-", "al", "Al", "el", "El"}
                                                      or self.doc[sur_start].text == "-"):
                    sur_start -= 1
                surname = self.doc[sur_start : last.i + 1].text
                self.memory.setdefault(surname.lower(), m)
                self.memory.setdefault(last.text.lower(), m)


def _depth(heads: list[int], i: int, h: int) -> int:
    """Arcs from token i up to token h (at most 20; to the root when h is not above i), over the head indices."""
    d = 0
    while i != h and heads[i] != i and d < 20:
        i = heads[i]
        d += 1
    return d


def _extraposed(be: Token) -> bool:
    """The copula (or its complement) has the clause an expletive "it" stands in for: "it is clear that ...",
    "it is important to ...", "it is in everyone's interest to ..."."""
    for w in (be, *(c for c in be.children if c.dep_ in {"acomp", "attr", "prep"})):
        for c in w.children:
            if c.dep_ in {"ccomp", "xcomp", "csubj"} or (c.dep_ == "advcl" and any(
                    a.dep_ in {"aux", "mark"} and a.lower_ in {"to", "that", "whether", "if"} for a in c.children)):
                return True
            if c.dep_ == "pobj" and any(g.dep_ in {"xcomp", "acl", "ccomp"} for g in c.children):
                return True  # "in everyone's interest to ..."
    return False


def _clause_subjects(pron: Token) -> set[int]:
    """Token indices of the subject of the clause an object pronoun sits in (through conjoined and
    controlled verbs: "X called Y and urged him", "X wants to see him")."""
    v = pron.head
    if pron.dep_ == "pobj" and v.dep_ in {"prep", "agent", "dative"}:
        v = v.head
    for _ in range(4):
        subj = [c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subj:
            return {x.i for s in subj for x in s.subtree}
        if v.dep_ in {"conj", "xcomp", "advcl"} and v.head.i != v.i:
            v = v.head
            continue
        break
    return set()
