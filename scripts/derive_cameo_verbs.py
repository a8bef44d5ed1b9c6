#!/usr/bin/env python3
"""Derive verb pattern families from PETRARCH2's CAMEO verb dictionary (CAMEO.2.0.txt, MIT).

    python scripts/derive_cameo_verbs.py [--source ../shared/resources/petrarch2/CAMEO.2.0.txt]
                                         [--out dossier/coding/data/verbs-cameo-dict.txt]

What is converted (only what Dossier's engine matches faithfully: a verb lemma plus words among its
dependents, see the header of verbs.txt):
  * verb lines with a CAMEO code of their own (`ASK [020]`, `+ASK_FOR [020]`), or a block code;
  * phrase patterns `- * WORDS (PREP NOUN) {NOUN PHRASE} [code] # VERB` whose words all follow the
    verb: the verb named in the pattern's comment (where PETRARCH2 found it) is the trigger, the words
    (determiners dropped, nouns singularised) must be its dependents; `&SET` synonym sets are expanded.
What is dropped: patterns with words before the verb (they constrain the subject, which our patterns
do not search), with `$` (a source in object position, a role reversal), codes of the form `[:code]`
(the event runs the other way), codes missing from cameo.tsv, verbs that are not in the block, and
every trigger that the hand-written verbs.txt already covers (verbs.txt is consulted first; the
loader adds derived patterns only for triggers no earlier file has), plus the reviewed list DROP below.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "dossier" / "coding" / "data"
DEFAULT_SOURCE = ROOT.parent / "shared" / "resources" / "petrarch2" / "CAMEO.2.0.txt"
DEFAULT_OUT = DATA / "verbs-cameo-dict.txt"

DETERMINERS = {"a", "an", "the"}
# words whose plural is not formed by the rules below, or that are plurals in their own right
NOT_PLURAL = {"arms", "news", "talks", "always", "as", "is", "its", "this", "has", "was", "us", "thus", "towards",
              "across", "process", "congress", "crisis", "basis", "status", "consensus", "analysis", "thesis",
              "bus", "gas", "press", "access", "progress", "success", "business", "stress", "address", "cross",
              "loss", "class", "mass", "pass", "bonus", "census", "campus", "virus", "focus", "chaos", "series",
              "species", "politics", "economics", "means", "headquarters", "himself", "itself", "themselves",
              "oneself", "hostilities", "relations", "ties", "elections", "forces", "troops", "rights"}
IRREGULAR_PLURALS = {"men": "man", "women": "woman", "people": "people", "children": "child", "feet": "foot",
                     "lives": "life", "wives": "wife", "thieves": "thief", "leaves": "leave",
                     "ties": "tie", "forces": "force", "troops": "troop", "elections": "election",
                     "relations": "relation", "rights": "right", "hostilities": "hostility"}

# Reviewed drops: (pattern as written in the output, reason). Read through the derived file, kept here
# so that a re-run reproduces the reviewed output.
DROP: list[tuple[str, str]] = [
    ("bring", "generic verb alone; only its phrases are kept"),
    ("look", "generic verb alone"),
    ("place", "generic verb alone (also a noun)"),
    ("set", "generic verb alone"),
    ("stage", "generic verb alone"),
    ("post", "generic verb alone"),
    ("base", "generic verb alone"),
    ("run", "generic verb alone"),
    ("turn", "generic verb alone"),
    ("raise", "generic verb alone"),
    ("move", "generic verb alone"),
    ("open", "generic verb alone"),
    ("pull", "generic verb alone"),
    ("hit", "sports and economic senses dominate in news (a storm hit, shares hit a low)"),
    ("strike", "labour strikes and deals (strike a deal) are as common as attacks"),
    ("fire", "dismissal from a job is as common as shooting"),
    ("charge", "prices and batteries; the legal sense needs `charge with`"),
    ("press", "the media noun and `press ahead`; requests need `press for`"),
    ("draw", "generic verb alone"),
    ("cut", "budget and price cuts are the common sense"),
    ("drop", "generic verb alone"),
    ("break", "generic verb alone"),
    ("pick", "generic verb alone"),
    ("carry", "generic verb alone"),
    ("head", "`head a delegation` is not travel"),
    ("lead", "generic verb alone"),
    ("cover", "generic verb alone"),
    ("touch", "generic verb alone"),
    ("approach", "generic verb alone"),
    ("visit", "kept out: verbs.txt codes visits with their own rules"),
    ("win parliament", "winning seats is no cooperation event"),
    ("remain close", "a state, not an intent"),
    ("challenge in election", "electoral competition, not an accusation"),
    ("deal blow", "figurative (`dealt a blow to hopes`)"),
    ("commemorate", "its subject is the event held, not who honours (tune half: `a rally to commemorate`)"),
    ("strain relation", "the subject is a cause, not an actor (tune half)"),
    ("link to attack", "`X linked to the government launched attacks`: the words need not belong together (tune half)"),
    ("link to bombing", "as `link to attack`"),
    ("link to assassination", "as `link to attack`"),
    ("link to killing", "as `link to attack`"),
    # a verb with only a particle or preposition is as general as the verb alone
    ("export to", "trade, not aid"),
    ("import from", "trade, not aid"),
    ("count on", "reliance is not an appeal"),
    ("involve for", "not news wording"),
    ("gear up", "preparing is not an intent to cooperate"),
    ("get together", "generic"),
    ("communicate with", "generic"),
    ("tie in", "generic"),
    ("link with", "generic"),
    ("head to", "travel, not an intent to cooperate"),
    ("hash out", "negotiation, not a concession"),
    ("get out", "generic"),
    ("conform to", "generic"),
    ("exonerate by", "not news wording"),
    ("glance over", "generic"),
    ("exclude from", "generic"),
    ("intrude on", "figurative far more often than force"),
    ("bridle at", "not news wording"),
]

# A verb alone (no words of its own) is the riskiest derived line: PETRARCH2's blocks give a whole
# WordNet-style synonym set the block's code (`manage`, `expect`, `die`, `face` ...). Only these,
# read one by one as unambiguous in news, are kept as single-verb patterns; the log lists the rest.
KEEP_SINGLE = {
    "solicit", "felicitate", "bankroll",
    "denigrate", "impugn", "malign", "slander", "admonish", "chastise", "chasten", "deride", "reproach",
    "pillory", "remonstrate", "implicate", "ostracise", "ostracize", "penalize", "penalise", "punish",
    "crackdown", "wrest", "usurp", "criminalise", "criminalize", "illegalise", "illegalize", "rearrest",
    "re-arrest", "blitz", "skirmish", "subjugate", "decimate",
}
# PETRARCH2 lists some inflected forms as verbs; our triggers are lemmas (`is determined` would fire on
# every `is`, matched by its surface form).
INFLECTED = {"is", "are", "was", "were", "be", "been", "being", "has", "had", "saw", "forgave", "forgiven", "went",
             "worried"}
# CAMEO 01x (public statements) has no PLOVER type; verbs.txt writes the few it codes by hand.
SKIP_CODE_PREFIXES = ("01",)

TOKEN = re.compile(r"\{[^}]*\}|\([^)]*\)|&\w+|[^\s{}()]+")


def load_cameo_codes(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = [line for line in f if line.strip() and not line.startswith("#")]
    return {r["code"] for r in csv.DictReader(rows, delimiter="\t")}


def hand_written_triggers(path: Path) -> set[tuple[str, bool]]:
    """(trigger, is_noun) of every pattern in a verbs.txt-format file."""
    out: set[tuple[str, bool]] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p for p in line.split("\t") if p.strip()]
        if len(parts) < 2:
            continue
        w = parts[1].strip().lower().split()[0]
        out.add((w[2:], True) if w.startswith("n:") else (w, False))
    return out


def singular(word: str) -> str:
    w = word.lower()
    if w in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[w]
    if w in NOT_PLURAL or len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def parse_code(cell: str) -> str | None:
    """`[042:043]` -> 042 (the source-to-target event); `[:173]`, `[---]` -> None."""
    c = cell.strip("[]").strip().rstrip("!")
    if not c or c.startswith(":") or c.startswith("-"):
        return None
    return c.split(":")[0].strip() or None


def parse_dictionary(text: str) -> tuple[dict[str, list[str]], list[dict]]:
    """Synonym sets and verb blocks of a PETRARCH2 verb dictionary."""
    synsets: dict[str, list[str]] = {}
    blocks: list[dict] = []
    current_set: str | None = None
    in_patterns = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("-") else raw.rstrip()
        comment = raw.split("#", 1)[1].strip() if "#" in raw else ""
        if raw.startswith("####### VERB PATTERNS"):
            in_patterns = True
            current_set = None
            continue
        if not line.strip():
            continue
        if not in_patterns:
            if line.startswith("&"):
                current_set = line.strip().rstrip("_")
                synsets[current_set] = []
            elif line.startswith("+") and current_set:
                synsets[current_set].append(line[1:].strip().rstrip("_").replace("_", " ").lower())
            continue
        if line.startswith("---"):
            m = re.match(r"---\s+(\S+)\s+(\[[^]]*\])", line)
            if m:
                blocks.append({"name": m.group(1).lower(), "code": parse_code(m.group(2)), "verbs": [],
                               "patterns": []})
            continue
        if not blocks:
            continue
        block = blocks[-1]
        if line.startswith("-"):
            body = line.split("#", 1)[0]
            m = re.search(r"\[([^]]*)\]\s*$", body.strip())
            if not m:
                continue
            words = body.strip()[1:]
            words = words[: words.rfind("[")].strip()
            block["patterns"].append({"words": words, "code": parse_code(m.group(0)),
                                      "verb": comment.split()[0].lower() if comment else block["name"],
                                      "raw": raw.strip()})
        else:
            m = re.match(r"(\+?)([A-Z][A-Z_'.-]*)\s*(\{[^}]*\})?\s*(\[[^]]*\])?", line.strip())
            if m:
                block["verbs"].append({"verb": m.group(2).rstrip("_").lower(),
                                       "code": parse_code(m.group(4)) if m.group(4) else None})
    return synsets, blocks


def expand(words: str, synsets: dict[str, list[str]]) -> list[list[str]] | str:
    """The item lists a pattern's words stand for, or the reason it cannot be converted."""
    if "$" in words:
        return "source in object position ($)"
    if "*" not in words:
        return "no verb marker"
    before, _, after = words.partition("*")
    if before.strip():
        return "words before the verb (subject constraint)"
    slots: list[list[list[str]]] = []
    for tok in TOKEN.findall(after):
        for piece in re.sub(r"[{}()]", " ", tok).split():
            piece = piece.strip()
            if piece in {"+", "^", "%", "$"} or not piece:
                continue
            if piece.startswith("&"):
                members = synsets.get(piece.rstrip("_"))
                if not members:
                    return f"unknown synonym set {piece}"
                # members that are model names (`f/a-18`, `mi-24vm`) never match a lemma: left out
                plain = [m for m in members if re.fullmatch(r"[a-z][a-z' -]*", m)]
                slots.append([[singular(w) for w in m.split() if w not in DETERMINERS] for m in plain])
                continue
            if not re.fullmatch(r"[A-Za-z][A-Za-z'-]*", piece):
                return f"unsupported token {piece!r}"
            w = singular(piece.lower().rstrip("_"))
            if w in DETERMINERS:
                continue
            slots.append([[w]])
    out: list[list[str]] = []
    for combo in itertools.product(*slots):
        items = [w for part in combo for w in part]
        out.append(items)
    if len(out) > 150:
        return f"synonym expansion too large ({len(out)})"
    return out


def derive(source: Path, verbs_txt: Path, cameo_tsv: Path) -> tuple[list[str], list[str]]:
    """Output lines (deterministic order) and a log of what was dropped."""
    synsets, blocks = parse_dictionary(source.read_text(encoding="utf-8", errors="replace"))
    codes = load_cameo_codes(cameo_tsv)
    covered = hand_written_triggers(verbs_txt)
    drop = {p: why for p, why in DROP}
    log: list[str] = []
    seen: set[str] = set()
    lines: list[str] = []

    def emit(code: str | None, trigger: str, items: list[str], origin: str) -> None:
        if code is None:
            return
        if code.startswith(SKIP_CODE_PREFIXES):
            return
        if not items and trigger not in KEEP_SINGLE:
            log.append(f"single verb not in KEEP_SINGLE: {origin}")
            return
        if code not in codes:
            log.append(f"code {code} not in cameo.tsv: {origin}")
            return
        if trigger in INFLECTED:
            log.append(f"trigger is an inflected form, not a lemma: {origin}")
            return
        if (trigger, False) in covered:
            return  # verbs.txt owns this trigger
        text = " ".join([trigger, *items])
        if text in drop:
            log.append(f"reviewed drop ({drop[text]}): {origin}")
            return
        if text in seen:
            return
        seen.add(text)
        lines.append(f"{code}\t{text}\t# {origin}")

    for block in blocks:
        block_verbs = {v["verb"] for v in block["verbs"]}
        for v in block["verbs"]:
            trigger, *particles = v["verb"].split("_")
            if "'" in trigger or "." in trigger:
                continue
            emit(v["code"] or block["code"], trigger, particles, f"verb {v['verb'].upper()} [{block['name']}]")
        for p in block["patterns"]:
            verb = p["verb"]
            if verb not in block_verbs:
                verb = block["name"] if block["name"] in block_verbs else ""
            if not verb:
                log.append(f"pattern verb not in block: {p['raw']}")
                continue
            if p["code"] is None:
                continue
            result = expand(p["words"], synsets)
            if isinstance(result, str):
                log.append(f"{result}: {p['raw']}")
                continue
            trigger, *particles = verb.split("_")
            for items in result:
                emit(p["code"], trigger, [*particles, *items], f"{verb.upper()} {p['words']}")
    return lines, log


HEADER = """\
# Derived verb patterns: generated by scripts/derive_cameo_verbs.py from PETRARCH2's CAMEO verb dictionary
# (CAMEO.2.0.txt, last updated 30 April 2015). The MIT License, Copyright (c) 2015 Open Event Data Alliance.
# Do not edit by hand: change the script's reviewed DROP list and re-run `make derive`.
# Same format as verbs.txt. Consulted after verbs.txt: these lines only add triggers that verbs.txt and
# a user's DOSSIER_VERBS files do not have. The comment names the PETRARCH2 verb line or pattern.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--log", action="store_true", help="print what was dropped and why")
    args = ap.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source}: not found (PETRARCH2's CAMEO.2.0.txt)", file=sys.stderr)
        return 1
    lines, log = derive(args.source, DATA / "verbs.txt", DATA / "cameo.tsv")
    args.out.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    if args.log:
        print("\n".join(log))
    print(f"{args.out}: {len(lines)} patterns ({len(log)} dropped)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
