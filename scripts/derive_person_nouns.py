#!/usr/bin/env python3
"""Derive the nouns that name people from WordNet 3.0 (build time only).

    python scripts/derive_person_nouns.py [--wordnet /usr/share/wordnet]

Reads WordNet's noun database (Debian package `wordnet-base`: index.noun, data.noun) and writes
dossier/coding/data/person-nouns.txt: every single-word noun whose first (most frequent) sense lies under
`person.n.01` (hyponyms, transitively; not instances, which are names), plus the reviewed EXTRA words for
collections of people that WordNet files under `group` (`people`, `household`). The coder keeps such a
noun as an uncoded recipient when it is the direct object of an act and no dictionary actor is found
there ("police detained several suspects", "freed a former presidential candidate"). WordNet is not
needed at run time: the output is committed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from derive_wordnet import read_data, read_index  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "dossier" / "coding" / "data" / "person-nouns.txt"
PERSON = "00007846"  # person.n.01 in WordNet 3.0
# Reviewed additions: collections of people WordNet files under group.n.01, as news uses them for victims
EXTRA = ["people", "household", "family", "population", "community", "crew", "passenger", "tribe", "villager",
         "ally", "enemy", "driver", "fan"]
# Reviewed drops: first sense a person, but in news mostly something else or an actor word of its own
DROP = {"head", "party", "side", "state", "power", "body", "cell", "force", "unit", "host", "agent", "contact",
        "source", "interest", "authority", "guard", "giant", "star", "target", "case", "match", "sign", "tiger"}


def derive(wordnet: Path) -> list[str]:
    data, index = read_data(wordnet / "data.noun"), read_index(wordnet / "index.noun")
    under: set[str] = set()
    todo = [PERSON]
    while todo:
        o = todo.pop()
        if o in under:
            continue
        under.add(o)
        todo.extend(tgt for sym, tgt, _, _, _ in data[o][2] if sym == "~")  # hyponyms
    out = {w for o in under for w in data[o][1]
           if w.isalpha() and index.get(w, [None])[0] in under and w not in DROP}  # first sense a person
    return sorted(out | set(EXTRA))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    nouns = derive(args.wordnet)
    header = [
        "# Nouns that name people: WordNet 3.0 nouns whose first sense is under person.n.01, plus reviewed",
        "# collections of people (scripts/derive_person_nouns.py; WordNet 3.0 (c) 2006 Princeton University,",
        "# WordNet licence). Generated: edit the script's EXTRA/DROP lists, not this file.",
    ]
    args.out.write_text("\n".join(header + nouns) + "\n", encoding="utf-8")
    print(f"{len(nouns)} nouns -> {args.out}")


if __name__ == "__main__":
    main()
