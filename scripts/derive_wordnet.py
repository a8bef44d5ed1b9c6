#!/usr/bin/env python3
"""Derive synonym and event-noun families of covered verbs from WordNet 3.0 (build time only).

    python scripts/derive_wordnet.py [--wordnet /usr/share/wordnet] [--log]

Reads WordNet's own database files (Debian package `wordnet-base`: index.verb, data.verb, index.noun,
data.noun) and writes dossier/coding/data/verbs-wordnet.txt. For every single-verb pattern of verbs.txt
with a CAMEO code and no options (`111 condemn`), it takes the verb's first (most frequent) sense and adds

  * its synonyms in that sense (`denounce`, `decry`), and
  * the nouns WordNet derives from the verb in that sense (`condemnation`) as `n:` triggers,

keeping a word only when that same sense is also the word's own first sense: `fire` is a synonym of
`dismiss` in one sense, but its first sense is shooting, so it is a trap and left out. Words that two
covered verbs with different codes lead to, multi-word entries, triggers that verbs.txt or
verbs-cameo-dict.txt already has (the loader consults them first anyway) and the reviewed DROP list are
left out too. WordNet is not needed at run time: the output is committed.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "dossier" / "coding" / "data"
DEFAULT_WORDNET = Path("/usr/share/wordnet")
DEFAULT_OUT = DATA / "verbs-wordnet.txt"

# Reviewed drops: (pattern as written in the output, reason).
DROP: list[tuple[str, str]] = [
    ("off", "a particle in news"),
    ("okay", "approval, not sanctions"),
    ("plain", "an adjective"),
    ("sprinkle", "not dispersal by force"),
    ("thaw", "`relations thaw` is no unfreezing of assets"),
    ("unthaw", "weather, not assets"),
    ("dethaw", "weather, not assets"),
    ("unfit", "an adjective"),
    ("negative", "an adjective"),
    ("rationalize", "explaining is not apologising"),
    ("recede", "waters recede; not a withdrawal"),
    ("throttle", "not confinement"),
    ("stymie", "thwarting is not a blockade"),
    ("stymy", "thwarting is not a blockade"),
    ("trounce", "sports results"),
    ("whip", "party whips and sports"),
    ("welt", "not news wording"),
    ("lather", "not news wording"),
    ("wrack", "not news wording"),
    ("infest", "pests, not invasion"),
    ("undermine", "figurative far more often than sabotage"),
    ("excuse", "not a pardon in news"),
    ("n:fault", "a generic noun"),
    ("scupper", "`scupper a deal` is thwarting, not an ambush"),
    ("jug", "a noun in news"),
    ("blackjack", "a card game"),
    ("n:forbidding", "an adjective"),
    ("police", "the noun; the verb is rare"),
    ("shrive", "not news wording"),
    ("assoil", "not news wording"),
    ("quetch", "not news wording"),
    ("rase", "not news wording"),
    ("busy", "`busy oneself`, not occupation"),
    ("guy", "a noun in news"),
    ("blare", "sound, not criticism"),
    ("inhibit", "`inhibit growth`: not repression"),
    ("disregard", "ignoring is not rejecting"),
    ("loose", "an adjective in news"),
    ("action", "a noun in news"),
    ("conquer", "conquest is not repression"),
    ("n:operation", "military and medical operations alike; verbs.txt has the phrases"),
    ("n:movement", "political movements are actors, not events"),
    ("n:meeting", "hand-written rules code meetings from their verbs"),
    ("n:visit", "hand-written rules code visits"),
    ("n:talk", "hand-written rules code talks"),
    ("n:support", "a generic noun"),
    ("n:help", "a generic noun"),
    ("n:service", "a generic noun"),
    ("n:order", "a generic noun (orders of goods, the order of things)"),
    ("n:control", "a generic noun"),
    ("n:charge", "prices and batteries"),
    ("n:fire", "fires are accidents as often as shooting"),
    ("n:strike", "labour strikes"),
    ("n:return", "a generic noun"),
    ("n:rule", "a generic noun"),
    ("n:release", "press releases"),
    ("n:statement", "speech, not an event"),
    ("n:agreement", "hand-written rules code agreements from their verbs"),
    ("n:deal", "hand-written rules code deals from their verbs"),
    ("n:offer", "a frame verb's noun"),
    ("n:request", "a frame verb's noun"),
    ("n:demand", "economic demand"),
    ("n:appeal", "legal appeals and charm"),
    ("n:call", "phone calls"),
    ("n:promise", "a frame verb's noun"),
    ("n:threat", "a frame verb's noun"),
    ("n:warning", "a frame verb's noun"),
]


def read_index(path: Path) -> dict[str, list[str]]:
    """lemma -> synset offsets, most frequent sense first."""
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(" "):
            continue
        f = line.split()
        lemma, p_cnt = f[0], int(f[3])
        # lemma pos synset_cnt p_cnt ptr*p_cnt sense_cnt tagsense_cnt offsets...
        offsets = f[4 + p_cnt + 2:]
        out[lemma] = offsets
    return out


# Lexicographer files (lexnames) whose verbs and nouns name events. A verb sense about thinking, feeling,
# perceiving or being (`apprehend` = understand) is no source of event synonyms; a derived noun must be an
# act, an event or a communication (`condemnation`), not a person (`killer`) or a thing (`blowtorch`).
EVENT_VERB_LEXNAMES = {30, 32, 33, 34, 35, 36, 38, 40, 41}  # change, communication, competition, consumption,
#   contact, creation, motion, possession, social
EVENT_NOUN_LEXNAMES = {4, 10, 11}  # noun.act, noun.communication, noun.event

Synset = tuple[int, list[str], list[tuple[str, str, str, int, int]]]


def read_data(path: Path) -> dict[str, Synset]:
    """offset -> (lexname number, words, pointers (symbol, target, target pos, source word, target word))."""
    out: dict[str, Synset] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(" "):
            continue
        f = line.split(" | ")[0].split()
        offset, lexname, w_cnt = f[0], int(f[1]), int(f[3], 16)
        words = [f[4 + 2 * i].lower() for i in range(w_cnt)]
        i = 4 + 2 * w_cnt
        p_cnt = int(f[i])
        ptrs = []
        for k in range(p_cnt):
            sym, tgt, pos, st = f[i + 1 + 4 * k: i + 5 + 4 * k]
            ptrs.append((sym, tgt, pos, int(st[:2], 16), int(st[2:], 16)))
        out[offset] = (lexname, words, ptrs)
    return out


def covered(path: Path) -> tuple[set[tuple[str, bool]], list[tuple[str, str]]]:
    """Triggers of a verbs.txt-format file, and its (code, verb) single-verb patterns without options."""
    triggers: set[tuple[str, bool]] = set()
    singles: list[tuple[str, str]] = []
    if not path.exists():
        return triggers, singles
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p for p in line.split("\t") if p.strip()]
        if len(parts) < 2:
            continue
        words = parts[1].strip().lower().split()
        noun = words[0].startswith("n:")
        triggers.add((words[0][2:] if noun else words[0], noun))
        opts = [p for p in parts[2:] if not p.strip().startswith("#")]
        code = parts[0].strip()
        if not noun and len(words) == 1 and not opts and code not in {"-", "—"}:
            singles.append((code, words[0]))
    return triggers, singles


def frame_words(frames_toml: Path) -> set[str]:
    """The words frames.toml gives a role (frame, speech, light and occurrence verbs, modal words ...): a synonym or
    noun of one would not get that role. The [senses] lists (objects that choose a sense, purposes of sending
    forces) name no such verb and are left out, and so is [frames.stop]."""
    with frames_toml.open("rb") as f:
        data = tomllib.load(f)
    data.pop("senses", None)
    # verbs of stopping keep their own patterns (stopping.toml, verbs.txt: "revoke license" is 172); the stop frame
    # only reads what they govern
    data.get("frames", {}).pop("stop", None)
    out: set[str] = set()

    def walk(v: object) -> None:
        if isinstance(v, str):
            if re.fullmatch(r"[a-z]+", v):
                out.add(v)
        elif isinstance(v, dict):
            for w in v.values():
                walk(w)
        elif isinstance(v, list):
            for w in v:
                walk(w)

    walk(data)
    return out


def derive(wordnet: Path, verbs_txt: Path, earlier: list[Path]) -> tuple[list[str], list[str]]:
    vindex, nindex = read_index(wordnet / "index.verb"), read_index(wordnet / "index.noun")
    vdata = read_data(wordnet / "data.verb")
    ndata = read_data(wordnet / "data.noun")
    have, singles = covered(verbs_txt)
    frame_verbs = frame_words(verbs_txt.parent / "frames.toml")
    for p in earlier:
        have |= covered(p)[0]
    drop = dict(DROP)
    log: list[str] = []
    found: dict[str, set[str]] = defaultdict(set)  # pattern text -> codes
    origin: dict[str, str] = {}
    for code, verb in singles:
        senses = vindex.get(verb)
        if not senses:
            continue
        if verb in frame_verbs:
            continue  # frames.toml recodes these by their complement; a synonym would not be framed
        first = senses[0]
        lexname, words, ptrs = vdata[first]
        if lexname not in EVENT_VERB_LEXNAMES:
            log.append(f"first sense is not an event (lexname {lexname}): {verb}")
            continue
        for w in words:
            if w == verb or "_" in w or not w.isalpha():
                continue
            if vindex.get(w, [None])[0] != first:
                log.append(f"trap (not {w}'s first sense): {w} ~ {verb}")
                continue
            found[w].add(code)
            origin.setdefault(w, f"synonym of {verb!r} (verbs.txt {code})")
        if verb not in words:
            continue
        src = words.index(verb) + 1
        for sym, tgt, pos, s_word, t_word in ptrs:
            if sym != "+" or pos != "n" or s_word != src or tgt not in ndata:
                continue
            n_lexname, nwords = ndata[tgt][0], ndata[tgt][1]
            if n_lexname not in EVENT_NOUN_LEXNAMES:
                continue
            for n in [nwords[t_word - 1]]:
                if "_" in n or not n.isalpha():
                    continue
                if nindex.get(n, [None])[0] != tgt:
                    log.append(f"trap (not {n}'s first sense): n:{n} ~ {verb}")
                    continue
                found["n:" + n].add(code)
                origin.setdefault("n:" + n, f"noun of {verb!r} (verbs.txt {code})")
    lines = []
    for text in sorted(found):
        codes = found[text]
        trig = (text[2:], True) if text.startswith("n:") else (text, False)
        if trig in have:
            continue
        if len(codes) > 1:
            log.append(f"several codes {sorted(codes)}: {text}")
            continue
        if text in drop:
            log.append(f"reviewed drop ({drop[text]}): {text}")
            continue
        lines.append(f"{next(iter(codes))}\t{text}\t# {origin[text]}")
    return lines, log


HEADER = """\
# Derived verb patterns: generated by scripts/derive_wordnet.py from WordNet 3.0 (Princeton University,
# WordNet 3.0 licence: free use with the copyright notice; see README "Lexical resources").
# Do not edit by hand: change the script's reviewed DROP list and re-run `make derive`.
# Same format as verbs.txt. Consulted after verbs.txt and verbs-cameo-dict.txt: these lines only add
# triggers no earlier file has. Each line: a synonym, or a derived noun, of a covered verb's first sense.
"""


def run(argv: list[str] | None, doc: str, default_out: Path, header: str,
        derive_lines: Callable[[Path], tuple[list[str], list[str]]]) -> int:
    """The command line of a WordNet derivation: read the database, write `header` and the lines, log drops."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--wordnet", type=Path, default=DEFAULT_WORDNET)
    ap.add_argument("--out", type=Path, default=default_out)
    ap.add_argument("--log", action="store_true", help="print what was dropped and why")
    args = ap.parse_args(argv)
    if not (args.wordnet / "data.verb").exists():
        print(f"{args.wordnet}: WordNet 3.0 database not found (apt-get install wordnet-base)", file=sys.stderr)
        return 1
    lines, log = derive_lines(args.wordnet)
    args.out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    if args.log:
        print("\n".join(log))
    print(f"{args.out}: {len(lines)} patterns ({len(log)} dropped)", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(argv, __doc__, DEFAULT_OUT, HEADER,
               lambda wordnet: derive(wordnet, DATA / "verbs.txt", [DATA / "verbs-cameo-dict.txt"]))


if __name__ == "__main__":
    sys.exit(main())
