"""Pure-data checks of the coder's dictionaries (no spaCy model needed).

verbs.txt, cameo.tsv, cameo_plover.tsv are validated with a tiny independent parser and then
handed to the real loaders to make sure they accept them.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from dossier.coding._resources import GRID_FILES, load_cameo, load_verbs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "dossier" / "coding" / "data"
VERBS = DATA / "verbs.txt"
CAMEO = DATA / "cameo.tsv"
CAMEO_PLOVER = DATA / "cameo_plover.tsv"
SHARED = Path(os.environ.get("DOSSIER_SHARED", ROOT.parent / "shared"))
OFFICIAL_TABLE = SHARED / "benchmarks" / "cameo2plover-2021.txt"

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "ACCUSE",
    "REQUEST", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT",
}
OPTION_KEYS = {"mode", "needs", "recipient", "passive_only", "active_only", "speech", "object_not", "converse",
               "plover", "subject"}
WORD = re.compile(r"^[a-z][a-z0-9'.\-]*$")


# ---------------------------------------------------------------- tiny parsers
def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    header, body = rows[0], rows[1:]
    return [dict(zip(header, r + [""] * (len(header) - len(r)), strict=False)) for r in body]


def _verb_lines() -> list[tuple[int, str, str, dict[str, str]]]:
    out = []
    for n, raw in enumerate(VERBS.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = raw.split("\t")
        assert 2 <= len(fields) <= 3, f"verbs.txt:{n}: expected 2-3 tab-separated fields: {raw!r}"
        code, pattern = fields[0].strip(), fields[1].strip()
        opts: dict[str, str] = {}
        if len(fields) == 3:
            for kv in fields[2].split():
                assert "=" in kv, f"verbs.txt:{n}: option without '=': {kv!r}"
                k, v = kv.split("=", 1)
                opts[k] = v
        out.append((n, code, pattern, opts))
    return out


@pytest.fixture(scope="module")
def cameo() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in _tsv(CAMEO)}


@pytest.fixture(scope="module")
def plover() -> dict[str, dict[str, str]]:
    return {r["cameo"]: r for r in _tsv(CAMEO_PLOVER)}


@pytest.fixture(scope="module")
def lines():
    return _verb_lines()


# ---------------------------------------------------------------- cameo tables
def test_cameo_tables_load_with_real_loader():
    info = load_cameo(CAMEO, CAMEO_PLOVER)
    assert "190" in info and info["190"].plover == "ASSAULT"


def test_every_cameo_code_maps_to_plover(cameo, plover):
    missing = sorted(set(cameo) - set(plover))
    assert not missing, f"cameo codes without a cameo_plover row: {missing}"
    extra = sorted(set(plover) - set(cameo))
    assert not extra, f"cameo_plover rows for unknown codes: {extra}"


def test_plover_types_are_plover_08(plover):
    bad = {c: r["plover"] for c, r in plover.items() if r["plover"] and r["plover"] not in PLOVER_TYPES}
    assert not bad, bad


def test_statements_have_no_plover_type(plover):
    assert all(not r["plover"] for c, r in plover.items() if c.startswith("01"))


def test_quad_class_follows_root(cameo):
    for code, row in cameo.items():
        root = int(code[:2])
        want = 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
        assert int(row["quad_class"]) == want, f"{code}: quad_class {row['quad_class']} != {want}"


def test_goldstein_range(cameo):
    for code, row in cameo.items():
        assert -10.0 <= float(row["goldstein"]) <= 10.0, code


def _official_table() -> dict[str, set[str]]:
    # Root headers may repeat ("08: CONCEDE" and "08: RETREAT"), so a code maps to a set of types.
    table: dict[str, set[str]] = defaultdict(set)
    for raw in OFFICIAL_TABLE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(\d{2,4})\s*:\s*([A-Z]+)", line)
        if m:
            table[m.group(1)].add(m.group(2))
    return table


# Where the 2021 table and the PLOVER 0.8 event definitions disagree, the definitions win (README):
# a conviction (116, "find guilty") is SANCTION with mode `convict` in the PLOVER codebook.
DELIBERATE = {"116": "SANCTION", "163": "SANCTION"}


def test_cameo_plover_matches_official_table(plover):
    for code, ptype in DELIBERATE.items():
        assert plover[code]["plover"] == ptype
    if not OFFICIAL_TABLE.exists():
        pytest.skip(f"{OFFICIAL_TABLE} not present; official CAMEO->PLOVER table not cross-checked")
    official = _official_table()
    assert official, "could not parse the official table"
    diffs = {c: (plover[c]["plover"], sorted(t)) for c, t in official.items()
             if c in plover and plover[c]["plover"] and plover[c]["plover"] not in t and c not in DELIBERATE}
    # every event-bearing code of the official table must be an event here too
    missing = sorted(c for c in official if c in plover and not plover[c]["plover"])
    assert not missing, f"codes PLOVER-typed in the official table but empty here: {missing}"
    assert not diffs, f"cameo_plover.tsv disagrees with cameo2plover-2021.txt: {diffs}"


# ---------------------------------------------------------------- verbs.txt
def test_verbs_load_with_real_loader():
    index = load_verbs(VERBS)
    assert index
    assert any(p.cameo == "" for pats in index.values() for p in pats), "no speech verbs"


def test_verb_lines_parse(lines):
    assert len(lines) >= 700
    for n, code, pattern, opts in lines:
        assert code == "-" or re.fullmatch(r"\d{2,4}", code), f"verbs.txt:{n}: bad code {code!r}"
        words = pattern.split()
        assert words, f"verbs.txt:{n}: empty pattern"
        assert pattern == pattern.lower(), f"verbs.txt:{n}: pattern must be lowercase"
        first = words[0][2:] if words[0].startswith("n:") else words[0]
        for w in [first, *words[1:]]:
            assert WORD.match(w), f"verbs.txt:{n}: bad word {w!r}"
        assert not any(w.startswith("n:") for w in words[1:]), f"verbs.txt:{n}: n: only on the trigger"
        unknown = set(opts) - OPTION_KEYS
        assert not unknown, f"verbs.txt:{n}: unknown option(s) {unknown}"
        if "needs" in opts:
            assert set(opts["needs"].split("+")) <= {"recipient", "object"}, f"verbs.txt:{n}"
        if "object_not" in opts:
            assert opts["object_not"] == "place", f"verbs.txt:{n}"
        if "plover" in opts:
            assert opts["plover"] in PLOVER_TYPES, f"verbs.txt:{n}: unknown PLOVER type {opts['plover']!r}"
        for k in ("passive_only", "active_only", "speech", "converse", "subject"):
            if k in opts:
                assert opts[k] in {"0", "1"}, f"verbs.txt:{n}: {k}"
        assert not ("passive_only" in opts and "active_only" in opts), f"verbs.txt:{n}"


def test_verb_codes_exist_and_are_events(lines, cameo, plover):
    for n, code, pattern, _opts in lines:
        if code == "-":
            assert not pattern.startswith("n:"), f"verbs.txt:{n}: speech pattern must be a verb"
            continue
        assert code in cameo, f"verbs.txt:{n}: unknown CAMEO code {code}"
        # every code is a PLOVER event, or a CAMEO 01x statement (written with no PLOVER type, verbs.txt header)
        assert plover[code]["plover"] or code.startswith("01"), f"verbs.txt:{n}: {code} has no PLOVER type"


def _known_modes(plover) -> set[str]:
    return {r["mode"] for r in plover.values() if r["mode"]} | {"aerial", "censor", "withdraw", "demo", "riot",
                                                                "cyber", "misinformation", "resign"}


def test_modes_are_known_plover_modes(lines, plover):
    known = _known_modes(plover)
    for n, _code, _pattern, opts in lines:
        if "mode" in opts:
            assert opts["mode"] in known, f"verbs.txt:{n}: unknown mode {opts['mode']!r}"


def test_no_conflicting_duplicates(lines):
    seen: dict[str, set[str]] = defaultdict(set)
    where: dict[str, list[int]] = defaultdict(list)
    for n, code, pattern, _opts in lines:
        key = " ".join(pattern.split())
        seen[key].add(code)
        where[key].append(n)
    conflicts = {k: (sorted(v), where[k]) for k, v in seen.items() if len(v) > 1}
    assert not conflicts, conflicts


def test_relations_established_by_any_verb_of_the_family(lines):
    # CAMEO 054 is one act however it is worded: every verb of (re)establishing with either noun
    have = {(code, " ".join(pattern.split())) for _n, code, pattern, _opts in lines}
    verbs = ["establish", "restore", "normalize", "normalise", "upgrade", "resume", "renew", "reestablish",
             "re-establish", "revive"]
    missing = [f"{v} {o}" for v in verbs for o in ("relation", "tie") if ("054", f"{v} {o}") not in have]
    assert not missing, missing


def test_coverage_per_plover_type_and_root(lines, plover):
    by_type: Counter[str] = Counter()
    by_root: Counter[str] = Counter()
    for _n, code, _pattern, _opts in lines:
        if code == "-":
            continue
        by_type[plover[code]["plover"]] += 1
        by_root[code[:2]] += 1
    thin_types = {t: by_type[t] for t in PLOVER_TYPES if by_type[t] < 5}
    assert not thin_types, f"PLOVER types with < 5 patterns: {thin_types}"
    thin_roots = {r: by_root[r] for r in (f"{i:02d}" for i in range(3, 21)) if by_root[r] < 5}
    assert not thin_roots, f"CAMEO roots with < 5 patterns: {thin_roots}"


def test_frame_and_speech_verbs_present(lines):
    triggers = {(p.split()[0], c) for _, c, p, _ in lines}
    bare = {p: c for _, c, p, _ in lines if len(p.split()) == 1}
    for verb in ("threaten", "promise", "pledge", "offer", "agree", "urge", "demand", "reject", "refuse"):
        assert verb in bare, f"frame verb {verb!r} needs a bare pattern"
    for verb in ("say", "tell"):
        assert bare.get(verb) == "-"
    assert ("n:attack", "190") in triggers


def test_generic_verbs_are_not_bare(lines):
    generic = {"make", "take", "give", "get", "have", "hold", "go", "come", "use", "leave", "call", "put", "set",
               "keep", "send"}
    for n, _code, pattern, _opts in lines:
        words = pattern.split()
        if len(words) == 1 and words[0] in generic:
            pytest.fail(f"verbs.txt:{n}: generic verb {words[0]!r} used bare")
    for n, _code, pattern, opts in lines:
        if pattern in {"meet", "receive", "host", "visit", "help", "support", "back"}:
            assert opts.get("needs") == "recipient", f"verbs.txt:{n}: {pattern} needs needs=recipient"


def test_speech_verbs_have_no_coded_bare_duplicate(lines):
    speech = {p for _, c, p, _ in lines if c == "-"}
    coded_bare = {p for _, c, p, _ in lines if c != "-" and len(p.split()) == 1}
    assert not speech & coded_bare, speech & coded_bare


@pytest.mark.parametrize("name", GRID_FILES)
def test_every_grid_names_known_event_codes_modes_and_lemma_words(cameo, plover, name):
    from dossier.coding._resources import DATA_DIR, load_grid

    grid = load_grid(DATA_DIR / name)
    assert grid, f"{name} gives no pattern"
    for (trigger, _noun), pats in grid.items():
        assert WORD.match(trigger), trigger  # the verbs, and the nouns of the act (`nominals`) as noun triggers
        for p in pats:
            assert p.cameo in cameo and plover[p.cameo]["plover"], f"{p.source}: {p.cameo}"
            assert all(WORD.match(w) for w in p.items), f"{p.source}: {p.items}"
            if p.option("mode"):
                assert p.option("mode") in _known_modes(plover), f"{p.source}: unknown mode {p.option('mode')!r}"


def test_the_stopping_grid_has_the_acts_nouns():
    from dossier.coding._resources import DATA_DIR, load_grid

    grid = load_grid(DATA_DIR / "stopping.toml")
    # the nouns of the act are noun patterns: "a cessation of hostilities" is a ceasefire
    assert any(p.items == ("hostility",) and p.cameo == "0871" for p in grid[("cessation", True)])
