"""Finding place mentions in a parsed document, resolving them, and placing events."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..model import Location
from ..nlp import dep_tree, doc_ents, doc_text, entity_at, sentence_bounds, subtree_ids, token_table
from ._gazetteer import ADMIN1, ALTERNATE, CITY, CONTINENT, COUNTRY, LOOSE, REGION, Candidate, Gazetteer, _km

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# words after which a capitalised name is a place: "in Saraqib", "near Al-Lataminah"
STRONG_PREPS = {"in", "near", "outside", "around", "inside", "across", "throughout", "within"}
WEAK_PREPS = STRONG_PREPS | {"at", "from", "to", "into", "towards", "toward", "through", "via", "between"}
# where one is relative to a site: "worked at the Bank of England", "gathered outside the National Assembly"
SITE_PREPS = {"at", "outside", "inside", "near", "into", "within"}
ATTACH_PREPS = {"in", "at", "near", "outside", "around", "inside", "on", "across", "throughout", "within"}
# "Idlib province", "the city of Homs": words that name the kind of place
ADMIN_WORDS = {
    "province",
    "governorate",
    "state",
    "region",
    "district",
    "oblast",
    "prefecture",
    "county",
    "department",
    "territory",
    "emirate",
    "canton",
    "municipality",
}
TOWN_WORDS = {"city", "town", "village", "suburb", "camp", "neighbourhood", "neighborhood"}
DIRECTION_WORDS = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "northwest",
    "northeast",
    "southwest",
    "southeast",
    "northwestern",
    "northeastern",
    "southwestern",
    "southeastern",
    "central",
}
ARTICLES = {"al", "el", "ar", "as", "ash", "ad", "an", "at", "az", "ath", "adh"}
NOT_PLACES = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "god",
    "allah",
    "i",
}
# a dateline's place in capitals, then ", State", "(AP)", a dash, or the story's first word
_DATELINE_PLACE = r"([A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})(?=\s*[,(—–-]|\s+[A-Z][a-z])"
# a dateline opening a paragraph or right after a sentence: "WASHINGTON (AP) —", "COLUMBUS, Ohio", "LONDON Pope ..."
DATELINE = re.compile(r"(?m)(?:^[ \t]*|(?<=[a-z0-9][.!?] ))" + _DATELINE_PLACE)
# DATELINE's three openings as searches of their own, each starting with what the regex engine can skip to
# (the whole pattern tries its lookbehind at every character): the text's start, a line break, a sentence's end.
# Their matches never overlap (a place in capitals holds no line break and no lower-case letter or digit), so
# together, in text order, they are DATELINE's (`datelines`; tests/test_fast_paths.py compares them).
_DATELINE_AT_START = re.compile(r"[ \t]*" + _DATELINE_PLACE)
_DATELINE_AT_LINE = re.compile(r"\n[ \t]*" + _DATELINE_PLACE)
_DATELINE_AFTER_SENTENCE = re.compile(r"[.!?](?<=[a-z0-9][.!?]) " + _DATELINE_PLACE)


def datelines(text: str) -> list[re.Match[str]]:
    """The matches of DATELINE in `text`, in order (group 1: the place)."""
    first = _DATELINE_AT_START.match(text)
    found = [*_DATELINE_AT_LINE.finditer(text), *_DATELINE_AFTER_SENTENCE.finditer(text)]
    if first is not None:
        found.append(first)
    return sorted(found, key=lambda m: m.start(1))


# a dateline anywhere, known by the news agency's tag after it: "By JILL COLVIN, Associated Press WASHINGTON (AP)"
AGENCY_DATELINE = re.compile(
    r"\b([A-Z][A-Z'’\-]+(?: [A-Z][A-Z'’\-]+){0,3})(?=(?:, [A-Z][A-Za-z.]+)? \((?:AP|Reuters|AFP|UPI|dpa|Xinhua)\))"
)
# the tags AGENCY_DATELINE requires, one of which is in any text it matches
AGENCY_TAGS = ("(AP)", "(Reuters)", "(AFP)", "(UPI)", "(dpa)", "(Xinhua)")
# in-town words that name a street or square: "Hampton Avenue" is no building of Hampton
STREET_WORDS = {
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "square",
    "drive",
    "boulevard",
    "lane",
    "place",
}
# things inside a town: an unresolved "Royal Street" is placed at the town the text is about
IN_TOWN_WORDS = STREET_WORDS | {
    "Royal Street",
    "hospital",
    "church",
    "school",
    "university",
    "college",
    "stadium",
    "centre",
    "center",
    "park",
    "airport",
    "bridge",
    "hall",
    "tower",
    "mall",
    "market",
    "station",
    "library",
    "museum",
    "prison",
    "cathedral",
    "mosque",
    "court",
    "courthouse",
    "inn",
    "hotel",
    "estate",
    "campus",
    "arena",
    "quarter",
}

# last words of the names of natural features: "the Jordan River", "the Ohio Valley" are no mention of
# Jordan or of Ohio, though the gazetteer knows those and not the features
FEATURE_WORDS = {
    "river",
    "delta",
    "lake",
    "mountains",
    "mountain",
    "hills",
    "valley",
    "island",
    "islands",
    "bay",
    "coast",
    "canal",
    "sea",
    "desert",
    "peninsula",
    "strait",
    "basin",
    "creek",
    "falls",
    "forest",
    "plateau",
    "plain",
    "plains",
    "gorge",
    "canyon",
    "glacier",
}

# second halves of compounds whose first half is a place: "US-based", "Saudi-led", "Paris-born"
COMPOUND_WORDS = {"based", "led", "backed", "born", "owned", "run", "funded", "registered", "headquartered", "made"}


# last words of the names of sites and events that carry a place's name: "Dubai World Cup", "Tianjin
# No. 2 Detention Center", "Winnipeg Fire Paramedic Service"
SITE_WORDS = (IN_TOWN_WORDS - {"university", "college", "school"}) | {
    "cup",
    "expo",
    "exhibition",
    "festival",
    "fair",
    "summit",
    "marathon",
    "games",
    "armory",
    "armoury",
    "service",
    "complex",
    "zoo",
    "port",
    "centre",
    "center",
}

KIND_BONUS = {COUNTRY: 4.0, CONTINENT: 2.0, REGION: 2.0, ADMIN1: -1.2, CITY: 0.0}
MATCH_PENALTY = {0: 0.0, ALTERNATE: -1.5, LOOSE: -2.5}
PROXIMITY_CAP = 2.0  # most that nearness to the document's other places adds to a candidate's score
# a village this small, this far from every other town a text names, is taken for a local place of the same name
FAR_VILLAGE_POP, FAR_VILLAGE_KM = 20_000, 300.0
STRAY_POP = 100_000  # towns smaller than this need the document's support when matched by another name
# mentions found by context rather than named a place by the model: none may be part of a person's name
PERSON_SHY = {"context", "ent-other", "repeat"}


@dataclass
class _Mention:
    start: int  # character offsets
    end: int
    text: str
    tok_start: int
    tok_end: int
    source: str  # "ent" | "ent-other" | "context" | "dateline" | "seat" | ...
    label: str = ""  # the spaCy entity label, if any
    candidates: list[Candidate] = field(default_factory=list)
    container: _Mention | None = None  # "Homs, Syria": the place named after the comma
    best: Candidate | None = None
    approximate: bool = False  # the name is unknown; `best` is the town the text places it in or near




class Geoparser:
    """Place mentions of a document, resolved against the gazetteer with the document as context."""

    def __init__(self, gazetteer: Gazetteer | None = None, demonyms: bool = True) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        self.demonyms = demonyms

    # ---- detection -------------------------------------------------------------------------
    def _lookup(self, text: str) -> list[Candidate]:
        cands = self.gazetteer.lookup(text)
        letters = text.replace(".", "")
        if cands and letters.isupper() and len(letters) <= 4 and "." not in text:
            # an acronym names a town only by chance ("AI", "CHU", "BP"); countries and states have aliases
            cands = [c for c in cands if c.kind != CITY]
        if cands:
            return cands
        head, dash, tail = text.rpartition("-")
        if dash and head and tail.isalpha() and tail.islower():  # "U.S.-led", "US-based", "Syria-based"
            return self._lookup(head)
        words = text.split()
        if len(words) > 1 and words[-1].casefold() in ADMIN_WORDS:
            base = self.gazetteer.lookup(" ".join(words[:-1]))
            if words[-1].casefold() == "county":
                # the gazetteer has no counties: the town that shares a county's name is most often in
                # another state ("Clinton County, Pa." is not Clinton, Md.); left unknown, it is placed locally
                return [c for c in base if c.kind == ADMIN1]
            return [c for c in base if c.kind == ADMIN1] or base
        if len(words) > 2 and words[0].casefold() in TOWN_WORDS and words[1].casefold() == "of":
            return [c for c in self.gazetteer.lookup(" ".join(words[2:])) if c.kind == CITY]
        return []

    def _mentions(self, doc: Doc) -> list[_Mention]:
        taken = [False] * len(doc)
        out: list[_Mention] = []
        people = _person_parts(doc)

        def add(whole: Span, source: str, cands: list[Candidate], label: str = "") -> _Mention | None:
            span = _trim(whole)
            if span is None or any(taken[span.start : span.end]):
                return None
            if (
                source in PERSON_SHY
                and tuple(t.lower_ for t in span) in people
                and not _place_context(doc, span.start, STRONG_PREPS)
            ):
                return None  # "Kelly" where the text speaks of John Kelly
            m = _Mention(
                span.start_char, span.end_char, span.text, span.start, span.end, source, label, cands
            )
            for i in range(span.start, span.end):
                taken[i] = True
            out.append(m)
            return m

        # 1. what the model calls a place
        for ent in doc_ents(doc):
            if ent.label_ in PLACE_LABELS:
                span = _trim(ent)
                if span is None:
                    continue
                cands = self._lookup(span.text)
                longer = self._extend_right(span)
                if longer is not None:  # "U.S." + "Virgin Islands", "New" + "York City"
                    span, cands = longer
                if (
                    span.end < len(doc)
                    and doc[span.end].text[:1].isupper()
                    and doc[span.end].lower_.strip(".") in STREET_WORDS
                ):  # "Washington" + "Street": a street named after a place is no mention of the place
                    span = doc[span.start : span.end + 1]
                    cands = self._lookup(span.text)
                if span.end < len(doc) and doc[span.end].lower_ in ADMIN_WORDS:  # "Idlib province"
                    wider = doc[span.start : span.end + 1]
                    wide = [c for c in self._lookup(wider.text) if c.kind == ADMIN1]
                    if wide:
                        span, cands = wider, wide
                if not cands and "," in span.text:  # "Albuquerque, N.M." as one entity
                    head = span.text.split(",")[0]
                    cands = self._lookup(head)
                if not cands and len(span) > 1 and ent.label_ != "FAC" and span[-1].lower_ not in FEATURE_WORDS:
                    parts = self._segments(span)
                    if parts:  # "Greece Italy", "Asia-Pacific", "north west London"
                        for part, pc in parts:
                            add(part, "ent", pc, ent.label_)
                        continue
                add(span, "ent", cands, ent.label_)
        # 2. known places the model calls something else, when the gazetteer or the context says place
        for ent in doc_ents(doc):
            if ent.label_ in PLACE_LABELS or ent.label_ not in {"ORG", "PERSON", "NORP", ""}:
                continue
            span = _trim(ent)
            if span is None:
                continue
            cands = self._lookup(span.text)
            strong = [c for c in cands if c.match == 0]
            if not strong:
                continue
            in_context = _place_context(doc, span.start, STRONG_PREPS) or _residence(doc, span.start)
            big = any(c.kind in (COUNTRY, CONTINENT, REGION) or c.population >= 100_000 for c in strong)
            if ent.label_ == "ORG" and (big or in_context):
                add(span, "ent-other", cands, ent.label_)
            elif ent.label_ == "PERSON" and in_context:
                add(span, "ent-other", cands, ent.label_)
        # 2b. a well-known place opening an organisation's or an event's name: "the Winnipeg Fire Service",
        #     "the Louisiana Purchase", "Tianjin No. 2 Detention Center"
        for ent in doc_ents(doc):
            if ent.label_ not in {"ORG", "EVENT", "FAC"} or len(ent) < 2:
                continue
            span = _trim(ent)
            if span is None or any(taken[span.start : span.end]):
                continue
            # only names of sites and events ("... Center", "... Cup"): teams, papers and ministries that
            # carry a place's name are no mention of the place
            if span[0].lower_ in DIRECTION_WORDS:
                continue
            poss = next((t.i for t in span[1:-1] if t.lower_ in {"'s", "’s"}), None)
            if poss is not None and span[-1].lower_.strip(".") in SITE_WORDS | IN_TOWN_WORDS:
                # "Derry's Altnagelvin Hospital", "Middletown's New Road": the town a site is in
                part = doc[span.start : poss]
                cands = self._lookup(part.text)
                if part[0].text[:1].isupper() and any(
                    c.match == 0 and (c.kind != CITY or c.population >= 20_000) for c in cands
                ):
                    add(part, "ent-prefix", cands, ent.label_)
                continue
            # other names only when a person's name follows the place: "the Holy See Mikayel Minasyan"
            site = span[-1].lower_.strip(".") in SITE_WORDS
            for k in range(min(3, len(span) - 1), 0, -1):
                if not site and not _person_follows(span, k):
                    continue
                part = span[:k]
                if (
                    not part[-1].text[:1].isupper()
                    or len(part.text) <= 2
                    or part[-1].lower_ in ADMIN_WORDS | {"department"}
                ):
                    continue
                cands = self._lookup(part.text)
                if any(
                    c.match == 0 and (c.kind != CITY or c.population >= 100_000) and c.kind != REGION
                    for c in cands
                ):
                    add(part, "ent-prefix", cands, ent.label_)
                    break
        # 2c. a site, an organisation's seat or an event the text puts in a place ("the Bambino Gesu Hospital in
        #     Rome", "Super Bowl 52 in Minneapolis": placed there below) or that one is at, outside, near...
        #     ("worked at the Bank of England", "a fourth win at the World Cup": placed in the text's town)
        for ent in doc_ents(doc):
            if ent.label_ not in {"ORG", "FAC", "EVENT"}:
                continue
            span = _trim(ent)
            if (
                span is None
                or any(taken[span.start : span.end])
                or not span[0].text[:1].isupper()
                or tuple(t.lower_ for t in span) in people
            ):
                continue
            if ent.end + 1 < len(doc) and doc[ent.end].lower_ in {"in", "at"}:
                host = doc[ent.end + 1]
                if host.ent_type_ in {"GPE", "LOC"} and _is_cap(host):
                    add(span, "seat", [], ent.label_)
                    continue
            j = ent.start - 1
            if ent[0].lower_ != "the" and j >= 0 and doc[j].lower_ == "the":
                j -= 1
            if j >= 0 and doc[j].lower_ in SITE_PREPS:
                add(span, "site", [], ent.label_)
        # 3. capitalised names after "in", "near", ... and lists of them; "X province"
        for run in _capitalised_runs(doc):
            if any(taken[run.start : run.end]) or _inside_longer_entity(run):
                continue
            ctx = (
                _place_context(doc, run.start, WEAK_PREPS)
                or _list_context(doc, run.start, out)
                or _residence(doc, run.start)
            )
            strict = (
                _place_context(doc, run.start, STRONG_PREPS)
                or _list_context(doc, run.start, out)
                or _kind_of(doc, run.start)
            )
            ctx = ctx or strict
            followed = run.end < len(doc) and doc[run.end].lower_ in ADMIN_WORDS | TOWN_WORDS
            if not (ctx or followed):
                continue
            span, cands = self._longest_known(doc, run)
            if not cands:  # "in the Holy See Mariam Yeremyan": a place, then a person
                for k in range(len(run) - 2, 0, -1):
                    if _person_follows(run, k) and (pc := self._lookup(run[:k].text)):
                        span, cands = run[:k], pc
                        break
            if followed and span.end == run.end and run.end < len(doc):
                wider = doc[run.start : run.end + 1]
                wc = self._lookup(wider.text)
                if wc:
                    span, cands = wider, wc
            if cands and not any(t.lower_ in NOT_PLACES for t in span):
                add(span, "context", cands)
            elif (strict or followed) and _could_be_unknown_place(doc, run):
                add(run, "context", [])
        # 3b. a name that can only be a well-known place, wherever it stands: "Slovenia", "Owerri"
        for run in _free_runs(doc, taken):
            if any(taken[run.start : run.end]) or _inside_longer_entity(run) or run[0].ent_type_ == "PERSON":
                continue
            if run.text.isupper() and len(run.text) <= 4:
                continue
            cands = self._lookup(run.text)
            if any(
                c.match == 0 and (c.kind in (COUNTRY, CONTINENT, ADMIN1) or c.population >= 100_000)
                for c in cands
            ):
                add(run, "context", cands)
        # 3c. streets, buildings and quarters by their kind: "Royal Street", "Carnegie Library", "the French
        #     Quarter" (no mention of France)
        for run in _capitalised_runs(doc):
            if (
                any(taken[run.start : run.end])
                or len(run) < 2
                or run[-1].lower_.strip(".") not in IN_TOWN_WORDS
            ):
                continue
            if all(t.ent_type_ in {"", "FAC", "ORG", "LOC", "GPE", "NORP"} for t in run):
                add(run, "context", [], "FAC")
        # 3d. adjectives of place as modifiers: "Syrian forces", "African markets" (not "Syrians")
        if self.demonyms:
            for ent in doc_ents(doc):
                if ent.label_ == "NORP" and ent[-1].tag_ in {"JJ", "NNP"}:
                    c = self.gazetteer.demonym(ent.text)
                    if c is not None:
                        add(ent, "demonym", [c], ent.label_)
        # 3e. places before "-based", "-led", ...: "US-based aluminium producer", "Saudi-led coalition"
        tt = token_table(doc)
        # (only a word followed by a dash can be one: those are found first, in order)
        dashed = [k - 1 for k, w in enumerate(tt.text) if w in {"-", "–"}]
        for i in dashed:
            if (
                i < 0
                or i >= len(doc) - 2
                or taken[i]
                or not tt.text[i][:1].isupper()
                or tt.text[i + 1] not in {"-", "–"}
                or tt.space[i]
                or tt.space[i + 1]
                or tt.lower[i + 2] not in COMPOUND_WORDS
            ):
                continue
            cands = self._lookup(tt.text[i])
            if any(c.match == 0 and (c.kind != CITY or c.population >= 100_000) for c in cands):
                add(doc[i : i + 1], "compound", cands)
        # 4. datelines: "WASHINGTON (Reuters) —", "TORONTO —", "... Associated Press WASHINGTON (AP) —"
        text = doc_text(doc)
        # (an agency dateline needs its agency's tag: the search is skipped when no tag is in the text)
        agency = AGENCY_DATELINE.finditer(text) if any(tag in text for tag in AGENCY_TAGS) else ()
        for m in [*datelines(text), *agency]:
            span = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
            if span is not None and len(span) and not any(taken[span.start : span.end]):
                cands = self.gazetteer.lookup(span.text)
                if cands:
                    add(span, "dateline", cands)
        # 5. one sense per document: a name found as a place stays a place wherever else it stands on its
        #    own, whatever the model calls it there ("lost to Spokane", "the Homs governor", "Lesbos's camps")
        for span, cands in _repeats(doc, out, taken, people):
            add(span, "repeat", cands)
        out.sort(key=lambda m: m.start)
        # "Homs, Syria" / "Albuquerque, N.M.": the second names the container of the first
        for a, b in zip(out, out[1:], strict=False):
            if b.tok_start == a.tok_end + 1 and doc[a.tok_end].text == ",":
                a.container = b
        return out

    def _extend_right(self, span: Span) -> tuple[Span, list[Candidate]] | None:
        """The place name a split entity is the start of: the entity plus up to three capitalised words
        after it, when that whole is a gazetteer name of its own."""
        doc = span.doc
        caps, ent_type = _caps(doc), token_table(doc).ent_type
        for end in range(min(span.end + 3, len(doc)), span.end, -1):
            tail = range(span.end, end)
            if not all(caps[i] for i in tail) or any(ent_type[i] in {"PERSON", "DATE"} for i in tail):
                continue
            wider = doc[span.start : end]
            cands = [c for c in self.gazetteer.lookup(wider.text) if c.match == 0]
            if cands:
                return wider, cands
        return None

    def _segments(self, span: Span) -> list[tuple[Span, list[Candidate]]]:
        """Known places inside an unknown multi-word name: each a country, a region or a big town."""
        doc, out, i = span.doc, [], span.start
        while i < span.end:
            for j in range(span.end, i, -1):
                part = doc[i:j]
                if not part[0].text[:1].isupper():
                    continue
                cands = self._lookup(part.text)
                if any(c.match == 0 and (c.kind != CITY or c.population >= 100_000) for c in cands):
                    out.append((part, cands))
                    i = j
                    break
            else:
                i += 1
        return out

    def _longest_known(self, doc: Doc, run: Span) -> tuple[Span, list[Candidate]]:
        """The whole run, less trailing words that are no place ("Douma Saturday"): a prefix of a
        longer name is another place ("Holy" of "Holy Redeemer Church")."""
        end = run.end
        while end > run.start + 1 and doc[end - 1].lower_ in NOT_PLACES:
            end -= 1
        span = doc[run.start : end]
        return span, self._lookup(span.text)

    # ---- resolution ------------------------------------------------------------------------
    def _score(
        self,
        c: Candidate,
        countries: Counter[str],
        near: list[Candidate],
        container: Candidate | None,
        top_country: str | None,
        admins: set[tuple[str | None, str | None]] | None = None,
        others: list[Candidate] | None = None,
    ) -> float:
        s = _prior(c)
        if c.kind not in (COUNTRY, CONTINENT, REGION) and c.country:
            if c.country in countries:
                s += 2.0
            if c.country == top_country:
                s += 0.5
            # nearness to the document's other places: in a state it names, near a town it names. Capped,
            # so that it settles homonyms of like size but does not turn "Louisville" into a village of
            # 9,000 near Columbus rather than the city of 600,000 a state away
            close = 0.0
            if admins and c.admin1 and (c.country, c.admin1) in admins:
                close += 1.5
            if c.kind == CITY and any(_km(c.lat, c.lon, o.lat, o.lon) < 150 for o in near if not _same(o, c)):
                close += 1.5
            if others:
                close += _spread(c, others)
            s += min(close, PROXIMITY_CAP)
            if container is not None:
                if container.kind == COUNTRY and container.country == c.country:
                    s += 5
                elif (
                    container.kind == ADMIN1
                    and container.country == c.country
                    and container.admin1 == c.admin1
                ):
                    s += 6
                elif container.kind == ADMIN1 and container.country == c.country:
                    s += 2
                elif container.kind == CITY and _km(c.lat, c.lon, container.lat, container.lon) < 50:
                    s += 5
        return s

    def _resolve(self, mentions: list[_Mention]) -> None:
        # pass 1: each name on its own (no context: the score is the candidate's prior)
        for m in mentions:
            if m.candidates:
                m.best = max(m.candidates, key=_prior)
        # the document's countries: named outright, or the country of a place named without doubt
        countries: Counter[str] = Counter()
        anchors: list[Candidate] = []
        admins: set[tuple[str | None, str | None]] = set()
        for m in mentions:
            if m.best is None or not m.best.country:
                continue
            if m.best.kind == COUNTRY:
                countries[m.best.country] += 1
            elif len({c.country for c in m.candidates}) == 1 or m.best.population >= 1_000_000:
                countries[m.best.country] += 1
                if m.best.kind == ADMIN1:
                    admins.add((m.best.country, m.best.admin1))
                else:
                    anchors.append(m.best)
        top = countries.most_common(1)[0][0] if countries else None
        # pass 2: with the document as context
        for m in mentions:
            if not m.candidates:
                continue
            container = m.container.best if m.container is not None else None
            m.best = max(
                m.candidates, key=lambda c: self._score(c, countries, anchors, container, top, admins)
            )
        # pass 3: homonyms again, now preferring the one close to the other places picked (least spread),
        # and in the states the document has come to name ("HELENA, Mont." → Shelby, Montana)
        admins |= {
            (m.best.country, m.best.admin1)
            for m in mentions
            if m.best is not None and m.best.kind == ADMIN1 and m.best.match == 0
        }
        picked = [(m.text, m.best) for m in mentions if m.best is not None and m.best.kind in (CITY, ADMIN1)]
        for m in mentions:
            if len(m.candidates) < 2 or m.best is None or m.best.kind != CITY:
                continue
            others = [b for t, b in picked if t != m.text]
            if not others:
                continue
            container = m.container.best if m.container is not None else None
            m.best = max(
                m.candidates,
                key=lambda c: self._score(c, countries, anchors, container, top, admins, others),
            )

    def places(self, doc: Doc) -> list[Location]:
        """Every place mention in a parsed document, resolved where the gazetteer allows."""
        mentions = self._mentions(doc)
        self._resolve(mentions)
        mentions = _drop_strays(mentions)
        _far_villages(mentions)
        mentions = self._initialisms(doc, mentions)
        self._named_after_town(mentions)
        _seats(mentions, doc_text(doc))
        _place_in_town(mentions, doc_text(doc), self._hidden_towns(doc, mentions))
        return [_location(m) for m in mentions]

    def _initialisms(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """A country written as its initials, when the document names that country otherwise:
        "SA" where it speaks of South Africans, "NZ" beside New Zealand."""
        named: Counter[str] = Counter(m.best.country for m in mentions if m.best is not None and m.best.country)
        for ent in doc_ents(doc):  # "South Africans": the people name their country too
            if ent.label_ == "NORP" and ent.text.endswith("s"):
                c = self.gazetteer.demonym(ent.text[:-1])
                if c is not None and c.country:
                    named[c.country] += 1
        if not named:
            return mentions
        taken = {i for m in mentions for i in range(m.tok_start, m.tok_end)}
        out = list(mentions)
        tt = token_table(doc)
        iob, n = tt.ent_iob, len(doc)
        for i, text in enumerate(tt.text):
            if i in taken or not (2 <= len(text) <= 4 and text.isalpha() and text.isupper()):
                continue
            if iob[i] == "I" or i + 1 < n and iob[i + 1] == "I":
                continue  # a word of a longer name: "the US Trade Representative"
            cands = [c for c in self.gazetteer.initials(text) if named[c.country or ""] > 0]
            if cands:
                best = max(cands, key=lambda c: named[c.country or ""])
                t = doc[i]
                out.append(_Mention(t.idx, t.idx + len(t), t.text, t.i, t.i + 1, "initials", "", cands, best=best))
        out.sort(key=lambda m: m.start)
        return out

    def _town_prefix(self, words: list[str], countries: set[str | None]) -> Candidate | None:
        """A big town or a state of the document's countries that opens a longer name:
        "London Guildhall School", "Colorado State University"."""
        if not words or words[0].casefold() in DIRECTION_WORDS:
            return None
        for k in range(min(3, len(words) - 1), 0, -1):
            cands = [
                c
                for c in self.gazetteer.lookup(" ".join(words[:k]))
                if c.match == 0
                and c.country in countries
                and (c.kind == ADMIN1 or c.kind == CITY and c.population >= 50_000)
            ]
            if cands:
                return max(cands, key=lambda c: (c.kind == CITY, c.population))
        return None

    def _town_suffix(self, words: list[str], countries: set[str | None]) -> Candidate | None:
        """A big town of the document's countries that closes a building's name: "British Embassy Tokyo"."""
        for k in (2, 1):
            if len(words) <= k or not all(w[:1].isupper() for w in words[-k:]):
                continue
            cands = [
                c
                for c in self.gazetteer.lookup(" ".join(words[-k:]))
                if c.match == 0 and c.kind == CITY and c.country in countries and c.population >= 100_000
            ]
            if cands:
                return max(cands, key=lambda c: c.population)
        return None

    def _named_after_town(self, mentions: list[_Mention]) -> None:
        countries = _doc_countries(mentions)
        for m in mentions:
            words = m.text.split()
            if (
                m.best is None
                and not m.candidates
                and len(words) > 1
                and words[0][:1].isupper()
                and words[-1].casefold().strip(".") not in STREET_WORDS | FEATURE_WORDS
            ):
                c = self._town_prefix(words, countries) or self._town_suffix(words, countries)
                if c is not None:
                    m.best, m.source = c, "in-town"

    def _hidden_towns(self, doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """Towns named only at the start of an organisation's name: "the Chicago Police Department"."""
        taken = {(m.start, m.end) for m in mentions}
        countries = _doc_countries(mentions)
        out = []
        for ent in doc_ents(doc):
            if ent.label_ not in {"ORG", "FAC", "EVENT"} or (ent.start_char, ent.end_char) in taken:
                continue
            words = [t.text for t in ent if not t.is_punct]
            if words and words[0].casefold() == "the":  # "the New Orleans Railways"
                words = words[1:]
            c = self._town_prefix([*words, ""], countries)
            if c is not None and c.kind == CITY:
                out.append(
                    _Mention(ent.start_char, ent.end_char, ent.text, ent.start, ent.end, "hidden", best=c)
                )
        return out

    # ---- events ----------------------------------------------------------------------------
    def event_location(
        self, doc: Doc, places: list[Location], trigger_i: int, target_token_ids: list[int]
    ) -> Location | None:
        """The place of an event: attached by in/at/near, else nearest in the sentence, else focus country."""
        if not places:
            return None
        # a nationality word ("Syrian forces", "Israeli jets") names who acted, not where: never the place
        by_token = self._event_places_by_token(doc, places)
        # read as token indices from the document's tables (token_table, dep_tree), not tokens
        tt = token_table(doc)
        children = dep_tree(doc)[1]
        targets = [i for i in target_token_ids if 0 <= i < len(doc)]
        attached: list[Location] = []
        # a target that is itself a place ("bombed the town of Saraqib"), then places attached by
        # in/at/near to the trigger or its targets
        attached += [by_token[i] for i in targets if i in by_token]
        for head in [trigger_i, *targets]:
            for prep in children[head]:
                if tt.dep[prep] == "prep" and tt.lower[prep] in ATTACH_PREPS:
                    attached += [by_token[i] for i in subtree_ids(doc, prep) if i in by_token]
        rank = {"city": 0, "admin1": 1, "country": 2}
        usable = [p for p in attached if p.precision != "unresolved" or p.lat is not None]
        if usable:
            # the most precise place wins: "Saraqib in Idlib province" happened in Saraqib
            return min(usable, key=lambda p: (rank.get(p.precision, 3), usable.index(p)))
        start, end = sentence_bounds(doc, trigger_i)
        in_sent = [
            (abs(i - trigger_i), by_token[i])
            for i in range(start, end)
            if i in by_token and by_token[i].precision != "unresolved"
        ]
        if in_sent:
            return min(in_sent, key=lambda x: x[0])[1]
        # the document's focus country, counted once per document's list of places (a fresh Location each time)
        cached = doc.user_data.get("dossier.focus_country")
        if cached is None or cached[0] is not places:
            cached = doc.user_data["dossier.focus_country"] = (places, self.focus_country(places))
        return None if cached[1] is None else replace(cached[1])

    def _event_places_by_token(self, doc: Doc, places: list[Location]) -> dict[int, Location]:
        """Token index -> place, without nationality words; built once per document's list of places."""
        cached = doc.user_data.get("dossier.event_places_by_token")
        if cached is not None and cached[0] is places:
            return cached[1]  # type: ignore[no-any-return]
        # (each place asked about once, not once per token it covers)
        nationality = {id(p): self._nationality(p) for p in places}
        by_token = {i: p for i, p in _places_by_token(doc, places).items() if not nationality[id(p)]}
        doc.user_data["dossier.event_places_by_token"] = (places, by_token)
        return by_token

    def _nationality(self, p: Location) -> bool:
        return p.precision == "country" and self.gazetteer.demonym(p.name) is not None

    def focus_country(self, places: list[Location]) -> Location | None:
        """The most mentioned country of a document, as a country-level Location at one of its mentions."""
        counts = Counter(p.country for p in places if p.country and p.precision != "unresolved")
        if not counts:
            return None
        iso3 = max(
            counts,
            key=lambda k: (counts[k], sum(p.precision == "country" and p.country == k for p in places)),
        )
        mentions = [p for p in places if p.country == iso3]
        mention = next((p for p in mentions if p.precision == "country"), mentions[0])
        c = self.gazetteer.country(iso3)
        if c is None:
            return Location(mention.name, None, None, None, iso3, None, "country", mention.start, mention.end)
        return Location(c.name, c.geonameid, c.lat, c.lon, iso3, None, "country", mention.start, mention.end)


def _places_by_token(doc: Doc, places: list[Location]) -> dict[int, Location]:
    """Token index -> the place covering it; built once per document's list of places, not per event."""
    cached = doc.user_data.get("dossier.places_by_token")
    if cached is not None and cached[0] is places:
        return cached[1]  # type: ignore[no-any-return]
    by_token: dict[int, Location] = {}
    for p in places:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is not None:
            for t in span:
                by_token[t.i] = p
    doc.user_data["dossier.places_by_token"] = (places, by_token)
    return by_token


def _drop_strays(mentions: list[_Mention]) -> list[_Mention]:
    """Drop small towns known only by another of their names (a word of some other language, a loose
    spelling) in a country no other place of the document is in: a chance match, not a place the text
    names."""
    by_text: dict[str, Counter[str]] = {}
    for m in mentions:
        if m.best is not None and m.best.country:
            by_text.setdefault(m.text, Counter())[m.best.country] += 1
    out = []
    for m in mentions:
        b = m.best
        if b is not None and b.kind == CITY and b.match != 0 and b.population < STRAY_POP:
            others = {c for t, cs in by_text.items() if t != m.text for c in cs}
            if others and b.country not in others:
                continue
        out.append(m)
    return out


def _far_villages(mentions: list[_Mention]) -> None:
    """A village far from every town of a text about one area is most often a local place the gazetteer lacks
    that shares a faraway village's name ("the Shops at Stonewall" in a text on Gainesville, Va.): it is
    treated as unknown, and placed in the town the text is about."""
    towns = [(m.text, m.best) for m in mentions if m.best is not None and m.best.kind == CITY and m.best.match == 0]
    for m in mentions:
        b = m.best
        if b is None or b.kind != CITY or b.population >= FAR_VILLAGE_POP or m.container is not None:
            continue
        others = [o for t, o in towns if t != m.text]
        if len({o.geonameid for o in others}) < 2:
            continue
        if min(_km(b.lat, b.lon, o.lat, o.lon) for o in others) > FAR_VILLAGE_KM:
            m.best, m.candidates = None, []


def _doc_countries(mentions: list[_Mention]) -> set[str | None]:
    return {
        m.best.country for m in mentions if m.best is not None and m.best.country and m.source != "in-town"
    }


def _same(a: Candidate, b: Candidate) -> bool:
    return a.kind == b.kind and a.lat == b.lat and a.lon == b.lon


def _spread(c: Candidate, others: list[Candidate]) -> float:
    """A bonus for a town near the document's other places: within 150 km, within 500 km."""
    if c.kind != CITY:
        return 0.0
    others = [o for o in others if not _same(o, c)]  # a place does not vouch for itself
    if not others:
        return 0.0
    d = min(_km(c.lat, c.lon, o.lat, o.lon) for o in others)
    return 0.6 * (d < 150) + 0.5 * (d < 500)


def _is_town(m: _Mention) -> bool:
    words = m.text.split()
    return (
        m.best is not None
        and m.best.kind == CITY
        and (m.best.match == 0 or m.best.match == ALTERNATE and m.best.population >= 100_000)  # "CALAMBA CITY"
        and m.source != "in-town"
        and not (len(words) > 1 and words[-1].casefold().strip(".") in IN_TOWN_WORDS)
    )


def _seats(mentions: list[_Mention], text: str) -> None:
    """A site, a seat or an event put "in" or "at" a place lies there: "Super Bowl 52 in Minneapolis"."""
    for m, host in zip(mentions, mentions[1:], strict=False):
        if (
            m.source == "seat"
            and m.best is None
            and host.best is not None
            and not host.approximate
            and text[m.end : host.start].strip() in {"in", "at"}
        ):
            m.best, m.approximate = host.best, True


def _place_in_town(mentions: list[_Mention], text: str = "", hidden: list[_Mention] | None = None) -> None:
    """An unknown street, building or locality is placed in a town: the one named right after it
    ("Convention Centre, Dublin", "St Mary's Church in Navan"), else the nearest one named in the same
    sentence, else the town the document centres on (the one closest to its other places). A name the
    gazetteer lacks is most often a small place near the ones the text is about: a village, a lake, a
    district of the town."""
    towns = [m for m in mentions if _is_town(m)]
    if not towns and not hidden:
        return
    placed = [m.best for m in mentions if m.best is not None and m.best.kind in (CITY, ADMIN1)]
    # towns named only inside organisations' names ("the New Orleans Railways Company") help find the centre
    named = [m for m in mentions if m.source == "in-town" and m.best is not None and m.best.kind == CITY]
    pool = [*towns, *named, *(hidden or [])]
    placed += [h.best for h in hidden or [] if h.best is not None]
    counts = Counter(t.best.geonameid for t in pool if t.best is not None)  # (every one of them has a best)

    def spread(t: Candidate) -> float:
        # a place over 1,000 km away only says "not near": outliers (a namesake square in another
        # state, a foreign town) must not pull the centre towards themselves
        return sum(min(_km(t.lat, t.lon, o.lat, o.lon), 1000.0) for o in placed)

    # the centre is a town of the country the text names most ("Cairo", not the "Liverpool" of a club's
    # academy there), and of those the one closest to the document's other places
    by_country: Counter[str | None] = Counter(m.best.country for m in mentions if m.best is not None and m.best.country)
    top = max(by_country.values(), default=0)
    home = [t.best for t in pool if t.best is not None and by_country.get(t.best.country, 0) == top]
    centre = min(
        home or [t.best for t in pool if t.best is not None],
        key=lambda t: (spread(t), -counts[t.geonameid], -t.population),
    )
    for m in mentions:
        words = m.text.split()
        last = words[-1].casefold().strip(".") if words else ""
        if (
            len(words) > 1
            and last in IN_TOWN_WORDS
            and m.best is not None
            and m.best.kind == CITY
            and m.best.population < 100_000
            and _km(m.best.lat, m.best.lon, centre.lat, centre.lon) > 300
        ):
            # "Washington Square" as a small namesake far from the town the text is about: most towns
            # have their own square, street or park of that name
            m.best = None
        elif m.best is not None or m.candidates:
            continue
        after = next(
            (
                t
                for t in towns
                if 0 <= t.start - m.end <= 4 and text[m.end : t.start].strip() in {"", ",", "in", "at"}
            ),
            None,
        )
        if after is None:  # "London's Heathrow Animal Reception Center"
            after = next(
                (t for t in towns if 0 <= m.start - t.end <= 3 and text[t.end : m.start].strip() in {"'s", "’s"}),
                None,
            )
        m.approximate = True
        if after is not None:
            m.best = after.best
            continue
        near = [
            t
            for t in towns
            if abs(t.start - m.start) < 250
            and not re.search(r"[.!?]\s", text[min(t.end, m.end) : max(t.start, m.start)])
        ]
        near = [
            t
            for t in near
            if t.best is not None and _km(t.best.lat, t.best.lon, centre.lat, centre.lon) < 300
        ]
        if near:
            m.best = min(near, key=lambda t: abs(t.start - m.start)).best
        else:
            m.best = centre


def _location(m: _Mention) -> Location:
    c = m.best
    if c is None:
        return Location(m.text, None, None, None, None, None, "unresolved", m.start, m.end)
    if m.approximate:
        # a name no gazetteer entry has: it stays unresolved (no geonameid), with the point and country of
        # the town the text places it in or near, so maps and country filters can still use it
        return Location(m.text, None, c.lat, c.lon, c.country, c.admin1 if c.kind != COUNTRY else None,
                        "unresolved", m.start, m.end)
    return Location(
        m.text,
        c.geonameid,
        c.lat,
        c.lon,
        c.country,
        c.admin1 if c.kind != COUNTRY else None,
        c.precision,
        m.start,
        m.end,
    )


def _trim(span: Span) -> Span | None:
    """Drop a leading 'the' and a trailing possessive or punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    tt = token_table(doc)
    lower, punct, text = tt.lower, tt.punct, tt.text
    while start < end and (lower[start] in {"the"} or punct[start] and text[start] != "("):
        start += 1
    while end > start and (lower[end - 1] in {"'s", "’s", "'"} or punct[end - 1] and text[end - 1] not in {".", ")"}):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _place_context(doc: Doc, i: int, preps: set[str]) -> bool:
    lower = token_table(doc).lower
    j = i - 1
    while (
        j >= 0
        and lower[j]
        in {
            "the",
            "northern",
            "southern",
            "eastern",
            "western",
            "central",
            "rural",
            "north",
            "south",
            "east",
            "west",
            "town",
            "city",
            "village",
            "of",
        }
        and i - j < 4
    ):
        j -= 1
    return j >= 0 and lower[j] in preps


def _kind_of(doc: Doc, i: int) -> bool:
    """A name after the kind of place it is: "Cairo's gated suburb of Madinaty", "the village of Nagrig"."""
    lower = token_table(doc).lower
    return i >= 2 and lower[i - 1] == "of" and (lower[i - 2] in TOWN_WORDS or lower[i - 2] == "district")


def _residence(doc: Doc, i: int) -> bool:
    """Where a person is from: "David and Jodi Mahler of Bellmore", "Miss Abdhou, of Hayes"."""
    tt = token_table(doc)
    j = i - 1
    if j < 1 or tt.lower[j] != "of":
        return False
    j -= 1
    if tt.text[j] == "," and j > 0:
        j -= 1
    return tt.ent_type[j] == "PERSON"


def _list_context(doc: Doc, i: int, found: list[_Mention]) -> bool:
    """A name after ', ' or 'and' that follows a place mention: "in Douma, Saraqib, and Al-Lataminah"."""
    lower = token_table(doc).lower
    j = i - 1
    while j >= 0 and lower[j] in {",", "and", "or"}:
        j -= 1
    if j == i - 1 or j < 0:
        return False
    return any(m.tok_end == j + 1 for m in found)


def _is_cap(t: Token) -> bool:
    return _caps(t.doc)[t.i]


_CAP_POS = {"PROPN", "NOUN", "ADJ", "X"}


def _caps(doc: Doc) -> list[bool]:
    """Per token: a capitalised word (of the parts of speech a name can be), computed once per document."""
    caps = doc.user_data.get("dossier.caps")
    if caps is None:
        tt = token_table(doc)
        # (the part of speech first: the cheapest test, and the same answer in any order)
        caps = doc.user_data["dossier.caps"] = [
            pos in _CAP_POS and text[:1].isupper() and any(ch.isalpha() for ch in text)
            for text, pos in zip(tt.text, tt.pos, strict=True)
        ]
    return caps


def _inside_longer_entity(run: Span) -> bool:
    """A name that is only part of an organisation's or a person's name: "Cornell" in "Cornell University"."""
    doc = run.doc
    ent_type = token_table(doc).ent_type
    for i in range(run.start, run.end):
        if ent_type[i] and ent_type[i] not in PLACE_LABELS:
            ent = entity_at(doc, i)
            if ent is not None and (ent.start < run.start or ent.end > run.end):
                return True
    return False


def _capitalised_runs(doc: Doc) -> Iterator[Span]:
    for i, j in _capitalised_bounds(doc):
        yield doc[i:j]


def _capitalised_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) of each capitalised run, found once per document (three passes of the geoparser read them)."""
    bounds = doc.user_data.get("dossier.cap_runs")
    if bounds is not None:
        return bounds  # type: ignore[no-any-return]
    bounds = doc.user_data["dossier.cap_runs"] = []
    tt, caps = token_table(doc), _caps(doc)
    text, lower, space, sent_start = tt.text, tt.lower, tt.space, tt.sent_start
    i, n = 0, len(caps)
    while i < n:
        if not (
            caps[i]
            or (lower[i] in ARTICLES and i + 2 < n and text[i + 1] == "-" and not space[i])
        ):
            i += 1
            continue
        if sent_start[i] and lower[i] in {"in", "at", "near", "the"}:
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 6:
            if text[j] == "-" and not space[j - 1] and not space[j] and j + 1 < n:
                j += 2
                continue
            if caps[j]:
                j += 1
                continue
            break
        bounds.append((i, j))
        i = j
    return bounds


def _person_parts(doc: Doc) -> set[tuple[str, ...]]:
    """The words of people's longer names: "Kelly" is no place in a text that speaks of John Kelly."""
    return {
        tuple(t.lower_ for t in e[k : k + n])
        for e in doc_ents(doc)
        if e.label_ == "PERSON" and len(e) > 1
        for n in range(1, len(e))
        for k in range(len(e) - n + 1)
    }


def _prior(c: Candidate) -> float:
    """A candidate's score on its own, with no context: by population, kind and how the name matched (what
    `Geoparser._score` adds context to: with none it adds nothing)."""
    return math.log10(c.population + 10) + KIND_BONUS[c.kind] + MATCH_PENALTY[c.match]


def _top_match(cands: list[Candidate]) -> int:
    """How the likeliest candidate on its own matched the name (by population, kind and match)."""
    best = max(cands, key=_prior)
    return best.match


def _short_capitals(text: str) -> bool:
    """An acronym-like name: all capitals, five characters at most ("US", "UK", "DRC")."""
    return text.isupper() and len(text) <= 5


def _repeats(
    doc: Doc, found: list[_Mention], taken: list[bool], people: set[tuple[str, ...]]
) -> list[tuple[Span, list[Candidate]]]:
    """Other stand-alone occurrences of names already found as known places: the same words, capitalised,
    not run together with other capitalised words ("Nelson" but not "Nelson Mandela")."""
    known: dict[tuple[str, ...], list[Candidate]] = {}
    lower = token_table(doc).lower
    for m in found:
        words = tuple(lower[m.tok_start : m.tok_end])
        if (
            m.candidates
            and (
                m.source == "ent" and m.label in {"GPE", "LOC"}
                or m.source in {"ent-other", "dateline"}
                or m.source == "context" and _place_context(doc, m.tok_start, STRONG_PREPS)
            )
            and not (len(words) == 1 and words[0] in DIRECTION_WORDS)
            and words not in people
            and len("".join(words)) > 2
            and not _short_capitals(doc[m.tok_start : m.tok_end].text)
            and NOT_PLACES.isdisjoint(words)
            and _top_match(m.candidates) == 0
        ):
            known.setdefault(words, m.candidates)
    out: list[tuple[Span, list[Candidate]]] = []
    if not known:
        return out
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in known:
        by_first.setdefault(words[0], []).append(words)
    tt, caps = token_table(doc), _caps(doc)
    lower, text = tt.lower, tt.text
    n = len(doc)
    for i in range(n):
        if taken[i] or lower[i] not in by_first or not text[i][:1].isupper():
            continue
        for words in sorted(by_first[lower[i]], key=len, reverse=True):
            j = i + len(words)
            if j > n or tuple(lower[i:j]) != words or any(taken[i:j]):
                continue
            if i > 0 and caps[i - 1]:
                break  # the end of a longer name: "Lake Nelson"
            if j < n and caps[j]:
                break  # the start of a longer name: "Nelson Mandela"
            out.append((doc[i:j], known[words]))
            break
    return out


def _free_runs(doc: Doc, taken: list[bool]) -> Iterator[Span]:
    """Capitalised runs less the words already taken: "Lagos State" of "in Ikeja Lagos State"."""
    caps = _caps(doc)
    for start, end in _capitalised_bounds(doc):
        i = start
        while i < end:
            while i < end and (taken[i] or not caps[i]):
                i += 1
            j = i
            while j < end and not taken[j]:
                j += 1
            if j > i:
                yield doc[i:j]
            i = j


def _person_follows(span: Span, k: int) -> bool:
    """The rest of a name after its first k tokens is a person the document names on their own too:
    "the Holy See Mikayel Minasyan" where "Mikayel Minasyan" stands elsewhere as a person."""
    rest = span[k:]
    if not 2 <= len(rest) <= 4:
        return False
    doc = span.doc
    people = doc.user_data.get("dossier.person_names")
    if people is None:  # once per document, not per candidate name
        people = doc.user_data["dossier.person_names"] = {e.text for e in doc_ents(doc) if e.label_ == "PERSON"}
    return rest.text in people


def _could_be_unknown_place(doc: Doc, run: Span) -> bool:
    if any(t.lower_ in NOT_PLACES for t in run):
        return False
    if run.end < len(doc) and doc[run.end].lower_ in {"'s", "’s"}:
        return False
    labels = {t.ent_type_ for t in run}
    return not (labels - {"", "GPE", "LOC", "FAC", "PERSON"})


def geoparse_texts(
    items: Iterable[tuple[str, str]], nlp: Language | None = None, batch_size: int = 16
) -> Iterator[tuple[str, list[Location]]]:
    """(doc_id, text) pairs → (doc_id, places), parsing in batches through one pipeline."""
    if nlp is None:
        from ..nlp import load_nlp

        nlp = load_nlp()
    parser = Geoparser()
    for doc, doc_id in nlp.pipe(
        ((text, doc_id) for doc_id, text in items), batch_size=batch_size, as_tuples=True
    ):
        yield doc_id, parser.places(doc)
