#!/usr/bin/env python3
"""Derive common misspellings of country names and adjectives from PETRARCH2's Phoenix country dictionary
(MIT, Open Event Data Alliance).

    python scripts/derive_country_spellings.py [--source ../shared/resources/petrarch2] [--log]

Reads Phoenix.Countries.actors.txt (TABARI format: a country's entry `QATAR_  [QAT]` followed by its synonyms
`+QUATAR_`) and writes dossier/coding/data/actors/countries-spellings.tsv in the format of countries.tsv: for each
country, the one-word synonyms that are a misspelling of one of our own names or adjectives of that country
(countries.tsv): within two edits (insert, delete, substitute, swap two neighbours) of it, of at least five
letters, with the same first letter, and no name or adjective of ours for any country. Such a word is written
in title case ("Quatar", "Isreali") in the names or the adjectives column, as the word it misspells. Synonyms
that are other names (cities, old names, leaders) are left to the hand-written file and the gazetteer.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dossier.coding._resources import _rows, _split  # noqa: E402

SOURCE = ROOT.parent / "shared" / "resources" / "petrarch2"
OURS = ROOT / "dossier" / "coding" / "data" / "actors" / "countries.tsv"
OUT = OURS.with_name("countries-spellings.tsv")
HEAD = re.compile(r"^([A-Z][A-Z_'-]*?)_?\s+\[([A-Z]{3})\]")
SYN = re.compile(r"^\+([A-Z][A-Z'-]*?)_?\s*(#.*)?$")
# Reviewed drops: within two edits of a name but a word or name of its own
DROP = {"NIGER", "GUINEAN", "DOMINICAN", "AUSTRIAN", "AUSTRALIA", "AUSTRIA", "IRANI", "IRAQI",
        # people, not the country
        "BRITON", "ICELANDER", "HOLLANDER", "NETHERLANDER", "LUXEMBURGER", "ETHIOP", "MONGOLIDS",
        # places in the country, a name or no word of it
        "CHILOE", "BARBUDA", "MEXICALI", "TAINAN", "ROMINA", "GUERNS", "NORDS", "SWITZ", "DROTC"}


def edits(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def our_words() -> tuple[dict[str, dict[str, set[str]]], set[str]]:
    """Per country code, its names and adjectives (upper case); and every word we know for any country."""
    per: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"names": set(), "adjectives": set()})
    known: set[str] = set()
    for _, row in _rows(OURS):
        for col in ("names", "adjectives"):
            per[row["code"]][col].update(w.upper() for w in _split(row.get(col)))
        for col in ("names", "adjectives", "people", "capitals"):
            known.update(w.upper() for w in _split(row.get(col)))
    return per, known


def derive(source: Path, log: bool = False) -> dict[str, dict[str, list[str]]]:
    per, known = our_words()
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"names": [], "adjectives": []})
    code = None
    for line in (source / "Phoenix.Countries.actors.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        m = HEAD.match(line)
        if m:
            code = m.group(2) if m.group(2) in per else None
            continue
        if not line.startswith("+"):
            if line.strip() and not line.startswith(("\t", " ", "#")):
                code = None  # a person's or a city's entry: its synonyms are not the country's
            continue
        s = SYN.match(line.strip())
        if code is None or s is None or "_" in s.group(1):
            continue
        word = s.group(1)
        if len(word) < 5 or word in known or word in DROP:
            continue
        for col in ("names", "adjectives"):
            near = [w for w in per[code][col] if " " not in w and w[0] == word[0] and edits(word, w) <= 2]
            if near:
                if word.title() not in out[code][col]:
                    out[code][col].append(word.title())
                    if log:
                        print(f"{code}\t{col}\t{word.title()}\t~ {near[0].title()}", file=sys.stderr)
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=SOURCE)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--log", action="store_true", help="print each kept spelling and the word it misspells")
    args = ap.parse_args()
    found = derive(args.source, args.log)
    lines = [
        "# Misspellings of country names and adjectives, derived by scripts/derive_country_spellings.py from",
        "# PETRARCH2's Phoenix.Countries.actors.txt (MIT, Open Event Data Alliance). Generated: edit the script.",
        "code\tiso2\tnames\tadjectives\tpeople\tcapitals\tmetonyms",
    ]
    n = 0
    for code in sorted(found):
        names, adjs = found[code]["names"], found[code]["adjectives"]
        if names or adjs:
            lines.append(f"{code}\t\t{'|'.join(names)}\t{'|'.join(adjs)}\t\t\t")
            n += len(names) + len(adjs)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{n} spellings of {len(lines) - 3} countries -> {args.out}")


if __name__ == "__main__":
    main()
