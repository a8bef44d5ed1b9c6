"""Pure-data checks of the actor dictionaries (dossier/coding/data/actors/*.tsv) and the real loader.

Files named in DOSSIER_ACTORS are checked too, so a user can validate their own dictionaries.
"""

from __future__ import annotations

import csv
import os
import re
from datetime import date
from pathlib import Path

import pycountry
import pytest

from dossier.coding._resources import ACTOR_DIR, DERIVED_ACTOR_SUFFIX, SPELLINGS_SUFFIX, load_actors

KINDS = {
    "countries": ["code", "iso2", "names", "adjectives", "people", "capitals", "metonyms"],
    "igos": ["code", "names", "country"],
    "groups": ["code", "names", "note"],
    "people": ["name", "code", "start", "end", "note"],
    "sectors": ["word", "sector", "priority", "note"],
}

CODE_RE = re.compile(r"^(?:[A-Z]{3})+$")
ISO3 = {c.alpha_3 for c in pycountry.countries}
# Documented non-ISO prefixes (README.md "Code conventions").
NON_ISO_PREFIXES = {
    "IGO", "NGO", "IMG",  # organisations
    "XKX",  # Kosovo
    # regions in countries.tsv
    "ARB", "AFR", "ASA", "BLK", "CAU", "CRB", "CAS", "CAM", "CFR", "CEU", "EAF", "EEU", "EUR", "LAM",
    "MEA", "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF", "WST",
}
SECTORS = {
    "GOV", "MIL", "COP", "SPY", "JUD", "LEG", "OPP", "REB", "UAF", "PTY", "CVL", "REF", "BUS", "ELI",
    "MED", "HLH", "EDU", "LAB", "AGR", "REL", "HRI", "NGO", "ENV", "CRM",
}
# Surface forms deliberately shared by two codes in igos.tsv/groups.tsv (none at present).
SHARED_SURFACE_OK: set[str] = set()
# People surface forms deliberately valid for two codes at the same time (none at present).
PEOPLE_OVERLAP_OK: set[str] = set()


def _env_files() -> list[Path]:
    return [Path(p) for p in os.environ.get("DOSSIER_ACTORS", "").split(os.pathsep) if p]


def _files(kind: str) -> list[Path]:
    # the bundled files derived from Phoenix (scripts/derive_phoenix_actors.py) pass the same checks
    # (and the misspellings from scripts/derive_country_spellings.py)
    derived = [p for p in [ACTOR_DIR / f"{kind}{SPELLINGS_SUFFIX}", ACTOR_DIR / f"{kind}{DERIVED_ACTOR_SUFFIX}"]
               if p.exists()]
    return [ACTOR_DIR / f"{kind}.tsv", *derived, *(p for p in _env_files() if p.name.startswith(kind))]


def _read(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    with path.open(encoding="utf-8") as f:
        lines = [(n, line.rstrip("\n").rstrip("\r"))
                 for n, line in enumerate(f, 1)
                 if line.strip() and not line.startswith("#")]
    header = lines[0][1].split("\t")
    rows = []
    for n, line in lines[1:]:
        cells = line.split("\t")
        assert len(cells) <= len(header), f"{path.name}:{n}: {len(cells)} cells for {len(header)} columns"
        padded = [c.strip() for c in cells] + [""] * (len(header) - len(cells))
        rows.append((n, dict(zip(header, padded, strict=False))))
    return header, rows


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


ALL = {kind: [(p, *_read(p)) for p in _files(kind)] for kind in KINDS}


def _rows(kind: str):
    for path, _, rows in ALL[kind]:
        for n, row in rows:
            yield f"{path.name}:{n}", row


@pytest.mark.parametrize("kind", list(KINDS))
def test_header_and_parse(kind):
    for path, header, rows in ALL[kind]:
        assert header == KINDS[kind], f"{path.name}: header {header}"
        assert rows, f"{path.name}: no rows"
        # the stdlib reader the loader uses agrees on the row count
        with path.open(encoding="utf-8", newline="") as f:
            data = [line for line in f if line.strip() and not line.startswith("#")]
        assert len(list(csv.DictReader(data, delimiter="\t", quoting=csv.QUOTE_NONE))) == len(rows)


def _check_code(code: str, where: str) -> None:
    assert CODE_RE.match(code), f"{where}: malformed code {code!r}"
    prefix = code[:3]
    assert prefix in ISO3 or prefix in NON_ISO_PREFIXES, f"{where}: unknown prefix {prefix!r}"
    if prefix not in {"IGO", "NGO", "IMG"} and len(code) > 3:
        assert code[3:6] in SECTORS, f"{where}: unknown sector {code[3:6]!r}"


def test_codes_well_formed():
    for kind in ("countries", "igos", "groups", "people"):
        for where, row in _rows(kind):
            _check_code(row["code"], where)
    for where, row in _rows("igos"):
        assert row["code"][:3] in {"IGO", "NGO"}, where
    for where, row in _rows("countries"):
        assert len(row["code"]) == 3, where
        for m in _split(row["metonyms"]):
            _, _, sector = m.partition("=")
            assert not sector or sector.strip() in SECTORS, f"{where}: metonym {m!r}"
    for where, row in _rows("sectors"):
        assert row["sector"] in SECTORS, f"{where}: sector {row['sector']!r}"
        assert row["priority"] in {"1", "2", "3", "4"}, f"{where}: priority {row['priority']!r}"


def test_every_row_has_names():
    for kind, col in (("countries", "names"), ("igos", "names"), ("groups", "names"), ("people", "name")):
        for where, row in _rows(kind):
            # a row of misspellings may hold adjectives only ("Isreali")
            spelled = kind == "countries" and SPELLINGS_SUFFIX in where and _split(row["adjectives"])
            assert _split(row[col]) or spelled, f"{where}: no surface forms"


def test_misspellings_name_no_other_country():
    path = ACTOR_DIR / f"countries{SPELLINGS_SUFFIX}"
    if not path.exists():
        pytest.skip(f"{path.name} not bundled")
    own: dict[str, str] = {}
    for where, row in _rows("countries"):
        if SPELLINGS_SUFFIX not in where:
            for col in ("names", "adjectives", "people", "capitals"):
                own.update({w.lower(): row["code"] for w in _split(row[col])})
    for where, row in _rows("countries"):
        if SPELLINGS_SUFFIX in where:
            for w in _split(row["names"]) + _split(row["adjectives"]):
                assert w.lower() not in own, f"{where}: {w!r} is already {own[w.lower()]}'s word"


def _date(s: str, where: str) -> date | None:
    if not s:
        return None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", s), f"{where}: bad date {s!r}"
    return date.fromisoformat(s)


def test_people_dates():
    for where, row in _rows("people"):
        start, end = _date(row["start"], where), _date(row["end"], where)
        if start and end:
            assert start < end, f"{where}: start {start} not before end {end}"


def test_people_no_overlapping_codes():
    """A surface form may name two people or roles, but never two codes on the same day."""
    spans: dict[str, list[tuple[date, date, str, str]]] = {}
    for where, row in _rows("people"):
        start = _date(row["start"], where) or date.min
        end = _date(row["end"], where) or date.max
        for s in _split(row["name"]):
            spans.setdefault(s, []).append((start, end, row["code"], where))
    bad = []
    for s, lst in spans.items():
        if s in PEOPLE_OVERLAP_OK:
            continue
        for i, (a0, a1, ac, aw) in enumerate(lst):
            for b0, b1, bc, bw in lst[i + 1:]:
                if ac != bc and a0 < b1 and b0 < a1:
                    bad.append(f"{s!r}: {ac} ({aw}) overlaps {bc} ({bw})")
    assert not bad, "\n".join(bad)


def test_people_open_rows_unique():
    """An undated document picks the row with an empty end: at most one code per surface form."""
    open_codes: dict[str, set[str]] = {}
    for _, row in _rows("people"):
        if not row["end"]:
            for s in _split(row["name"]):
                open_codes.setdefault(s, set()).add(row["code"])
    bad = {s: c for s, c in open_codes.items() if len(c) > 1 and s not in PEOPLE_OVERLAP_OK}
    assert not bad, bad


def test_no_surface_form_with_two_codes_in_igos_groups():
    seen: dict[str, tuple[str, str]] = {}
    bad = []
    for kind in ("igos", "groups"):
        for where, row in _rows(kind):
            for s in _split(row["names"]):
                if s in seen and seen[s][0] != row["code"] and s not in SHARED_SURFACE_OK:
                    bad.append(f"{s!r}: {seen[s][0]} ({seen[s][1]}) vs {row['code']} ({where})")
                seen.setdefault(s, (row["code"], where))
    assert not bad, "\n".join(bad)


def test_people_avoid_ambiguous_bare_words():
    banned = {"King", "Rice", "Brown", "May", "Major", "Cook", "Straw", "Moon", "Park", "Lee", "Kim", "Ban",
              "Singh", "Gandhi", "Bhutto", "Sharif", "Hussein", "Begin", "Baker", "Hague", "Fox", "Howard"}
    for where, row in _rows("people"):
        hit = banned.intersection(_split(row["name"]))
        assert not hit, f"{where}: ambiguous bare form {hit}"


# ---------------------------------------------------------------- the real loader

@pytest.fixture(scope="module")
def loaded():
    return load_actors(_env_files())


def _valid(entries, when: str):
    d = date.fromisoformat(when)
    return [e for e in entries
            if (not e.start or date.fromisoformat(e.start) <= d) and (not e.end or d < date.fromisoformat(e.end))]


def test_loader_counts(loaded):
    names, sectors, country_names = loaded
    people = {e.source for es in names.values() for e in es if e.kind == "person"}
    assert len(people) >= 250
    assert len(country_names) >= 190
    assert country_names["SYR"] == "Syria"


@pytest.mark.parametrize("surface,code", [
    ("Syrian Opposition Coalition", "SYROPP"),
    ("Arab League", "IGOARL"),
    ("Organization of Islamic Cooperation", "IGOOIC"),
    ("Gulf Cooperation Council", "IGOGCC"),
    ("Organization for the Prohibition of Chemical Weapons", "IGOPCW"),
    ("Syria", "SYR"),
    ("Syrian", "SYR"),
])
def test_sample_document_actors(loaded, surface, code):
    names, _, _ = loaded
    assert surface in names, surface
    assert code in {e.code for e in names[surface]}, (surface, [e.code for e in names[surface]])


def test_sample_document_people(loaded):
    names, _, _ = loaded
    assad = _valid(names["Assad"], "2023-05-10")
    assert [e.code for e in assad] == ["SYRGOV"]
    assert assad[0].country == "SYR" and assad[0].sector == "GOV"
    assert [e.code for e in _valid(names["Assad"], "1995-01-01")] == ["SYRGOV"]
    assert [e.code for e in _valid(names["Assad"], "2025-01-01")] == []
    meslet = _valid(names["Al-Meslet"], "2023-05-10")
    assert [e.code for e in meslet] == ["SYROPP"]
    sharaa = names["Ahmed al-Sharaa"]
    assert [e.code for e in _valid(sharaa, "2020-01-01")] == ["SYRREB"]
    assert [e.code for e in _valid(sharaa, "2025-03-01")] == ["SYRGOV"]
    assert [e.code for e in _valid(names["Guterres"], "2023-05-10")] == ["IGOUNO"]


def test_sectors_cover_basics(loaded):
    _, sectors, _ = loaded
    want = {"government": "GOV", "army": "MIL", "police": "COP", "rebel": "REB", "opposition": "OPP",
            "civilian": "CVL", "refugee": "REF", "court": "JUD", "parliament": "LEG"}
    for word, sector in want.items():
        assert sectors.get(word) == sector, (word, sectors.get(word))
