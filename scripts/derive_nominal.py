#!/usr/bin/env python3
"""Derive event-noun patterns from the verb patterns of verbs.txt through WordNet 3.0 (build time only).

    python scripts/derive_nominal.py [--wordnet /usr/share/wordnet] [--log]

News names many acts by the noun of their verb: "announced the suspension of air links" (suspend links),
"the expulsion of two diplomats" (expel diplomat), "a withdrawal of troops" (withdraw troops). verbs.txt
writes its multi-word patterns for the verb; this script gives each one to the verb's nouns. For every
verb trigger of verbs.txt, the nouns WordNet derives from it (derivational pointers `+`) that name an act,
an event or a communication (noun.act, noun.communication, noun.event) and are written like the verb
(the same first three letters: `suspension`, not `break` from `interrupt`) take the verb's multi-word
patterns, with the same code and options, as `n:` patterns. Single-word patterns are not carried over:
the pattern's other words (the object: `aid`, `diplomat`, `troop`) are what keep a bare noun from firing
on every mention. A pattern verbs.txt already has for the noun is left out, and so are speech and frame
verbs (frames.toml recodes those from their complement) and the reviewed DROP list. Output:
dossier/coding/data/verbs-nominal.txt; the loader adds its patterns to the noun's own (it never
replaces one). WordNet is not needed at run time: the output is committed.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from derive_wordnet import DATA, EVENT_NOUN_LEXNAMES, frame_words, read_data, read_index, run  # noqa: E402

DEFAULT_OUT = DATA / "verbs-nominal.txt"

# Reviewed drops: a noun whose everyday sense in news is not the verb's act.
DROP: dict[str, str] = {
    "fire": "a blaze far more often than shooting",
    "attention": "notice or care, not attending (\"drew attention to the talks\")",
    "march": "the month",
    "back": "a body part / adverb",
    "press": "the news media",
    "release": "a press release more often than a freed prisoner, unless its object says so (kept in verbs.txt)",
    "return": "tax and financial returns",
    "move": "a generic noun",
    "run": "a generic noun",
    "turn": "a generic noun",
    "step": "a generic noun",
    "hold": "a generic noun",
    "stand": "a stance, not an act",
    "call": "a phone call; verbs.txt has the noun patterns it needs",
    "order": "an ordering; verbs.txt has the noun patterns it needs",
    "charge": "a fee or an electric charge; verbs.txt has the noun patterns it needs",
    "deal": "an agreement, not a dealing",
    "cut": "a generic noun",
    "drop": "a generic noun",
    "close": "an end, not a closure",
    "open": "an adjective",
    "use": "a generic noun",
    "work": "a generic noun",
    "set": "a generic noun",
    "show": "a performance",
    "play": "a performance",
    "sign": "a signpost or an indication",
    "process": "a procedure, not an act of processing",
    "driver": "a person", "driving": "motoring", "drive": "a campaign or a road trip",
    "performance": "a show", "performing": "a show", "building": "a thing", "place": "a location",
    "standing": "a reputation", "shipping": "an industry", "planting": "farming", "testing": "exams and trials",
    "share": "stock", "raise": "a pay rise", "beat": "a rhythm or a patrol area", "seal": "an animal or a stamp",
    "bar": "a tavern", "storm": "the weather", "burn": "an injury", "crack": "a split", "rule": "a regulation",
    "walk": "a stroll", "walking": "a stroll", "pull": "influence", "blow": "a setback", "kick": "a sport",
}
# Particles: a verb's particle ("blow up", "crack down", "kick out") has no place after its noun.
PARTICLES = {"up", "down", "out", "off", "in", "on", "over", "away", "back", "around", "about", "through"}


def verb_patterns(path: Path) -> tuple[dict[str, list[tuple[str, str, str, int]]], set[str], set[str]]:
    """verb -> [(code, items, options, line)] of its multi-word patterns; the n: patterns verbs.txt has;
    the speech verbs (code `-`)."""
    pats: dict[str, list[tuple[str, str, str, int]]] = defaultdict(list)
    nouns: set[str] = set()
    speech: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        code, words = parts[0].strip(), parts[1].strip().lower().split()
        opts = "\t".join(p.strip() for p in parts[2:] if p.strip() and not p.strip().startswith("#"))
        if words[0].startswith("n:"):
            nouns.add(" ".join([words[0][2:], *words[1:]]))
            continue
        if code in {"-", "—"}:
            speech.add(words[0])
            continue
        if len(words) > 1 and "subject=1" not in opts.split("\t"):
            # (a pattern whose words are the verb's subject has no counterpart on its noun)
            pats[words[0]].append((code, " ".join(words[1:]), opts, n))
    return pats, nouns, speech


def derive(wordnet: Path, verbs_txt: Path) -> tuple[list[str], list[str]]:
    vindex, nindex = read_index(wordnet / "index.verb"), read_index(wordnet / "index.noun")
    vdata, ndata = read_data(wordnet / "data.verb"), read_data(wordnet / "data.noun")
    pats, have, speech = verb_patterns(verbs_txt)
    frame_verbs = frame_words(verbs_txt.parent / "frames.toml")
    lines: list[str] = []
    log: list[str] = []
    for verb in sorted(pats):
        if verb in speech or verb in frame_verbs:
            continue
        nouns: set[str] = set()
        for offset in vindex.get(verb, []):
            _lex, words, ptrs = vdata[offset]
            if verb not in words:
                continue
            src = words.index(verb) + 1
            for sym, tgt, pos, s_word, t_word in ptrs:
                if sym != "+" or pos != "n" or s_word != src or tgt not in ndata:
                    continue
                lexname, nwords = ndata[tgt][0], ndata[tgt][1]
                noun = nwords[t_word - 1]
                if lexname not in EVENT_NOUN_LEXNAMES or "_" in noun or not noun.isalpha():
                    continue
                if noun[:3] != verb[:3] or noun not in nindex:
                    log.append(f"not written like the verb: {noun} ~ {verb}")
                    continue
                nouns.add(noun)
        for noun in sorted(nouns):
            if noun in DROP:
                log.append(f"reviewed drop ({DROP[noun]}): n:{noun}")
                continue
            for code, items, opts, _n in pats[verb]:
                if f"{noun} {items}" in have or items.split()[0] in PARTICLES:
                    continue
                tail = f"\t{opts}" if opts else ""
                lines.append(f"{code}\tn:{noun} {items}{tail}\t# {verb} {items} (verbs.txt)")
    return lines, log


HEADER = """\
# Derived event-noun patterns: generated by scripts/derive_nominal.py from verbs.txt and WordNet 3.0
# (Princeton University, WordNet 3.0 licence: free use with the copyright notice; see README "Lexical
# resources"). Do not edit by hand: change verbs.txt or the script's reviewed DROP list and re-run
# `make derive`. Same format as verbs.txt. The loader adds these patterns to a noun's own patterns.
# Each line: a multi-word verb pattern of verbs.txt given to a noun WordNet derives from that verb.
"""


def main(argv: list[str] | None = None) -> int:
    return run(argv, __doc__, DEFAULT_OUT, HEADER, lambda wordnet: derive(wordnet, DATA / "verbs.txt"))


if __name__ == "__main__":
    sys.exit(main())
