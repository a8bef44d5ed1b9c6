#!/usr/bin/env python3
"""Derive actor dictionary additions from PETRARCH2's Phoenix dictionaries (MIT, Open Event Data Alliance).

    python scripts/derive_phoenix_actors.py [--source ../shared/resources/petrarch2] [--log]

Reads Phoenix.Countries.actors.txt, Phoenix.International.actors.txt, Phoenix.MilNonState.actors.txt
(TABARI actor format: `NAME_ [CODE]`, `+SYNONYM_` lines, dated roles `[CODE YYMMDD-YYMMDD]`, `[CODE >YYMMDD]`,
`[CODE <YYMMDD]`) and Phoenix.agents.txt (`WORD [~SECTOR]`), and writes, next to the hand-written files in
dossier/coding/data/actors/ (read after them by the loader):

  people-phoenix.tsv   named people with their dated roles (one row per role, dates as ISO, end exclusive);
  groups-phoenix.tsv   named organisations with a country or IMG code and a sector;
  igos-phoenix.tsv     organisations with IGO/NGO codes;
  sectors-phoenix.tsv  agent words (`farmer` -> AGR), priority 4 for phrases, 2 for single words.

Left out: country-level entries (country names, and the cities Phoenix codes as the country: the geoparser
places those), companies (`MNC` codes), roles with codes whose prefix or sector is not one of ours,
single-word names (too ambiguous for a dictionary of 18,000 names: `Karzai` is kept only as written by our
own people.tsv), every surface form the hand-written files already have (ours wins), surface forms Phoenix
gives to two different actors, role overlaps (two codes on one day: office roles win over `ELI`),
and the reviewed list DROP_NAMES below.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dossier.coding._resources import ACTOR_DIR, load_actors  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "resources" / "petrarch2"
ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "da", "di", "du", "van", "von", "der", "den", "la", "le", "abu"}
NON_COUNTRY_PREFIXES = {"IGO", "NGO", "IMG", "MNC"}
OUR_SECTORS = {"GOV", "MIL", "COP", "SPY", "JUD", "LEG", "OPP", "REB", "UAF", "PTY", "CRM", "NGO", "CVL", "REF",
               "BUS", "ELI", "MED", "HLH", "EDU", "LAB", "AGR", "REL", "HRI", "ENV"}
RELIGIONS = {"BUD", "CHR", "HIN", "JEW", "MUS"}  # CAMEO religion codes: our sector is REL

# Reviewed drops: (surface form as written in the output, reason).
DROP_NAMES: list[tuple[str, str]] = [
    ("Islamic State", "the hand-written groups.tsv codes it with its own periods"),
    ("United States", "a country name"),
    ("White House", "a metonym, in countries.tsv"),
    ("Chief Executive", "business title more often than Hong Kong's head of government"),
    ("Public Security", "too general as a name"),
    ("Security Forces", "a sector phrase, not a name"),
    ("Armed Forces", "a sector phrase, not a name"),
    ("Foreign Ministry", "a sector phrase, not a name"),
    ("Prime Minister", "a sector phrase, not a name"),
    ("National Assembly", "several countries' parliaments"),
    ("Supreme Court", "several countries' courts"),
    ("Constitutional Court", "several countries' courts"),
    ("Central Bank", "several countries' banks"),
    ("Liberal Party", "several countries' parties"),
    ("Labour Party", "several countries' parties"),
    ("Labor Party", "several countries' parties"),
    ("Socialist Party", "several countries' parties"),
    ("Communist Party", "several countries' parties"),
    ("Conservative Party", "several countries' parties"),
    ("Green Party", "several countries' parties"),
    ("Democratic Party", "several countries' parties"),
    ("Republican Party", "several countries' parties"),
    ("National Front", "several countries' parties"),
]
DROP_SECTOR_WORDS: list[tuple[str, str]] = [
    ("boss", "crime and business bosses alike"),
    ("chief executive", "business more often than government"),
    ("authority", "already weighted in sectors.tsv"),
    ("member", "a member of anything"),
    ("leader", "a leader of anything"),
    ("official", "a weak role noun in sectors.tsv"),
    ("spokesman", "inherits its organisation's sector"),
    ("spokeswoman", "inherits its organisation's sector"),
    ("spokesperson", "inherits its organisation's sector"),
    ("head", "a head of anything"),
    ("chief", "a chief of anything"),
    ("director", "a director of anything"),
    ("representative", "a representative of anything"),
    ("delegate", "a delegate of anything"),
    ("delegation", "a delegation of anything"),
    ("party", "a party to anything"),
    ("group", "a group of anything"),
    ("force", "a force of anything"),
    ("people", "a weak word"),
    ("man", "a weak word"),
    ("woman", "a weak word"),
    ("person", "a weak word"),
]


def iso(d: str) -> str | None:
    """TABARI dates: YYMMDD (years up to 30 are 20YY) or YYYYMMDD -> YYYY-MM-DD."""
    if re.fullmatch(r"\d{6}", d):
        yy = int(d[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        d = f"{year}{d[2:]}"
    if not re.fullmatch(r"\d{8}", d):
        return None
    y, m, day = d[:4], d[4:6], d[6:]
    if not ("01" <= m <= "12" and "01" <= day <= "31"):
        return None
    return f"{y}-{m}-{day}"


def surface(raw: str) -> str:
    """`BASHAR_AL-ASSAD_` -> `Bashar al-Assad`; parenthesised acronyms dropped."""
    s = re.sub(r"\([^)]*\)", " ", raw.strip().lstrip("+")).replace("_", " ")
    words = []
    for i, w in enumerate(s.split()):
        parts = []
        for j, part in enumerate(w.split("-")):
            low = part.lower()
            if (i > 0 or j > 0) and low in PARTICLES:
                parts.append(low)
            else:
                parts.append(low[:1].upper() + low[1:] if low else low)
        words.append("-".join(parts))
    out = " ".join(words).strip()
    return out[4:] if out.startswith("The ") else out


def parse_actor_file(text: str) -> list[dict]:
    """Entries: names (first = primary) and roles (code, start, end); undated roles have start=end=None."""
    entries: list[dict] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        stripped = line.strip()
        codes = re.findall(r"\[([^]]*)\]", stripped)
        name_part = re.sub(r"\[[^]]*\]", "", stripped).strip()
        if name_part and not name_part.startswith("+") and not raw.startswith(("\t", " ")):
            entries.append({"names": [name_part], "roles": []})
        elif name_part.startswith("+") and entries:
            entries[-1]["names"].append(name_part)
        elif name_part and entries:
            entries[-1]["names"].append(name_part)
        if not entries:
            continue
        for c in codes:
            parts = c.split()
            if not parts:
                continue
            code, start, end, ok = parts[0].strip(), None, None, True
            if len(parts) > 1:
                rng = parts[1]
                if rng.startswith(">"):
                    start = iso(rng[1:])
                    ok = start is not None
                elif rng.startswith("<"):
                    end = iso(rng[1:])
                    ok = end is not None
                elif "-" in rng:
                    a, _, b = rng.partition("-")
                    start, end = iso(a), iso(b)
                    ok = start is not None and end is not None and start < end
                else:
                    ok = False
            if ok:
                entries[-1]["roles"].append((code, start, end))
    return entries


def valid_code(code: str, countries: set[str]) -> bool:
    """Our code conventions (actors/README.md): a known prefix, then one of our sectors."""
    if not re.fullmatch(r"([A-Z]{3})+", code):
        return False
    if code[:3] in NON_COUNTRY_PREFIXES:
        return code[:3] != "MNC"
    return code[:3] in countries and (len(code) == 3 or code[3:6] in OUR_SECTORS)


def tidy_roles(roles: list[tuple[str, str | None, str | None]]) -> list[tuple[str, str | None, str | None]]:
    """Dated roles without two codes on one day and with at most one open-ended role.

    A role overlapping an already kept role with another code is dropped; office-holding roles are kept
    before `ELI` (notable) ones, then earlier ones first. Of several open-ended roles, the latest start stays open.
    """
    order = sorted(set(roles), key=lambda r: (r[0][3:6] == "ELI", r[1] or "", r[2] or "", r[0]))
    kept: list[tuple[str, str | None, str | None]] = []
    for code, start, end in order:
        lo, hi = start or "0000-00-00", end or "9999-99-99"
        if any(c != code and lo < (e or "9999-99-99") and (s or "0000-00-00") < hi for c, s, e in kept):
            continue
        kept.append((code, start, end))
    open_rows = sorted((r for r in kept if not r[2]), key=lambda r: r[1] or "")
    for code, start, end in open_rows[:-1]:
        kept.remove((code, start, end))
    return sorted(kept, key=lambda r: (r[1] or "", r[2] or "", r[0]))


def derive(source: Path) -> tuple[dict[str, list[str]], list[str]]:
    names, sectors, country_names = load_actors([], derived=False)
    ours = {s.lower() for s in names}
    countries = set(country_names) | {e.code for es in names.values() for e in es if e.kind == "country"}
    drop = {s.lower(): why for s, why in DROP_NAMES}
    log: list[str] = []
    people: list[tuple[str, list[tuple[str, str | None, str | None]], str]] = []
    orgs: list[tuple[str, list[str], str]] = []
    for fname in ACTOR_FILES:
        for entry in parse_actor_file((source / fname).read_text(encoding="utf-8", errors="replace")):
            roles = [r for r in entry["roles"] if valid_code(r[0], countries)]
            forms: list[str] = []
            for raw in entry["names"]:
                s = surface(raw)
                if not s or len(s.split()) < 2:
                    continue
                if s.lower() in ours:
                    continue  # the hand-written files win
                if s.lower() in drop:
                    log.append(f"reviewed drop ({drop[s.lower()]}): {s}")
                    continue
                if s not in forms:
                    forms.append(s)
            if not forms or not roles:
                continue
            if all(len(r[0]) == 3 and r[0] not in NON_COUNTRY_PREFIXES for r in roles):
                continue  # a country name or a city coded as its country
            if any(r[0].startswith("MNC") for r in roles):
                continue  # companies: thousands of listed firms, outside political event data
            dated = tidy_roles([r for r in roles if r[1] or r[2]])
            if dated:
                for f in forms:
                    people.append((f, dated, fname))
            else:
                codes = sorted({r[0] for r in roles if len(r[0]) >= 6 or r[0][:3] in NON_COUNTRY_PREFIXES})
                if len(codes) == 1:
                    orgs.append((codes[0], forms, fname))
                elif codes:
                    log.append(f"several undated codes {codes}: {forms[0]}")
    # a surface form Phoenix gives to two actors (two people, or a person and an organisation)
    owners: dict[str, set[str]] = defaultdict(set)
    for s, roles, _ in people:
        owners[s.lower()].add(repr(roles))
    for code, forms, _ in orgs:
        for s in forms:
            owners[s.lower()].add(code)
    ambiguous = {s for s, c in owners.items() if len(c) > 1}
    for s in sorted(ambiguous):
        log.append(f"ambiguous across actors {sorted(owners[s])}: {s}")

    out: dict[str, list[str]] = {"people": [], "groups": [], "igos": [], "sectors": []}
    seen_people: set[tuple[str, str, str | None, str | None]] = set()
    for s, roles, fname in people:
        if s.lower() in ambiguous:
            continue
        for code, start, end in roles:
            key = (s, code, start, end)
            if key in seen_people:
                continue
            seen_people.add(key)
            out["people"].append(f"{s}\t{code}\t{start or ''}\t{end or ''}\t{fname}")
    seen_org: set[str] = set()
    for code, forms, fname in orgs:
        keep = [f for f in forms if f.lower() not in ambiguous and f.lower() not in seen_org]
        seen_org.update(f.lower() for f in keep)
        if not keep:
            continue
        if code[:3] in {"IGO", "NGO"}:
            out["igos"].append(f"{code}\t{'|'.join(keep)}\t")
        else:
            out["groups"].append(f"{code}\t{'|'.join(keep)}\t{fname}")
    out["sectors"] = derive_sectors((source / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace"),
                                    sectors, log)
    return out, log


def _lemma(word: str) -> str:
    w = word.lower()
    irregular = {"men": "man", "women": "woman", "people": "people", "ministries": "ministry",
                 "police": "police", "forces": "force"}
    if w in irregular:
        return irregular[w]
    return w


def derive_sectors(text: str, ours: dict[str, str], log: list[str]) -> list[str]:
    macros: dict[str, list[str]] = {}
    rows: list[str] = []
    seen: set[str] = set(ours)
    drop = dict(DROP_SECTOR_WORDS)
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"(![A-Z]+!)\s*=\s*(.*)", line)
        if m:
            macros[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        m = re.match(r"([A-Z][A-Z_!'.-]*?)\s*(\{\})?\s*\[~([A-Z]+)\]", line)
        if not m or m.group(2):
            continue  # `{}` marks a slot (`AMBASSADOR_TO {}`): not a plain phrase
        phrase, code = m.group(1).rstrip("_"), m.group(3)
        sector = "REL" if code[:3] in RELIGIONS else code[:3]
        if sector not in OUR_SECTORS or "'" in phrase or "." in phrase:
            continue
        variants = [phrase]
        for macro, words in macros.items():
            if macro in phrase:
                # the macro's singular forms only: sectors are matched on lemmas
                variants = [phrase.replace(macro, w) for w in words if not w.endswith(("MEN", "S"))]
        for v in variants:
            words = [_lemma(w) for w in v.replace("_", " ").split()]
            if words and words[0] == "the":
                words = words[1:]
            if len(words) > 4:
                continue  # long phrases are names of one body, not sector words
            word = " ".join(words)
            if not word or word in seen:
                continue
            if word in drop:
                log.append(f"reviewed sector drop ({drop[word]}): {word}")
                continue
            seen.add(word)
            rows.append(f"{word}\t{sector}\t{4 if ' ' in word else 2}\tPhoenix.agents.txt")
    return rows


HEADERS = {
    "people": "name\tcode\tstart\tend\tnote",
    "groups": "code\tnames\tnote",
    "igos": "code\tnames\tcountry",
    "sectors": "word\tsector\tpriority\tnote",
}
PROVENANCE = """\
# Derived actor dictionary: generated by scripts/derive_phoenix_actors.py from PETRARCH2's Phoenix dictionaries
# (Phoenix.*.actors.txt, Phoenix.agents.txt). The MIT License, Copyright (c) 2014 Open Event Data Alliance.
# Do not edit by hand: change the script's reviewed lists and re-run `make derive`. Read after the hand-written
# {kind}.tsv (same format, see README.md); surface forms the hand-written files have are left out.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out-dir", type=Path, default=ACTOR_DIR)
    ap.add_argument("--log", action="store_true", help="print what was dropped and why")
    args = ap.parse_args(argv)
    missing = [f for f in (*ACTOR_FILES, "Phoenix.agents.txt") if not (args.source / f).exists()]
    if missing:
        print(f"{args.source}: missing {', '.join(missing)} (PETRARCH2's Phoenix dictionaries)", file=sys.stderr)
        return 1
    out, log = derive(args.source)
    for kind, rows in out.items():
        path = args.out_dir / f"{kind}-phoenix.tsv"
        path.write_text(PROVENANCE.format(kind=kind) + HEADERS[kind] + "\n" + "\n".join(rows) + "\n",
                        encoding="utf-8")
        print(f"{path}: {len(rows)} rows", file=sys.stderr)
    if args.log:
        print("\n".join(log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
