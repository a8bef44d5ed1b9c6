"""Integrity of the verb and actor files derived from outside resources (README "Lexical resources").

The derived files are committed; these tests check that every line parses, every code exists, nothing
shadows the hand-written files, the provenance header is there, the loader consults them after the
hand-written files, and that the scripts re-run to the committed output when their sources are present.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.coding._resources import (
    ACTOR_DIR,
    DATA_DIR,
    DERIVED_ACTOR_KINDS,
    DERIVED_ACTOR_SUFFIX,
    DERIVED_VERB_FILES,
    GRID_FILES,
    MERGED_VERB_FILES,
    OPT_IN_VERB_FILES,
    load_actors,
    load_resources,
    load_verbs,
)

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
PETRARCH = ROOT.parent / "shared" / "resources" / "petrarch2"
WORDNET = Path("/usr/share/wordnet")
PROVENANCE = {
    "verbs-cameo-dict.txt": ("derive_cameo_verbs.py", "Open Event Data Alliance"),
    "verbs-wordnet.txt": ("derive_wordnet.py", "WordNet 3.0"),
}
ACTOR_KINDS = ("people", "groups", "igos", "sectors")
VERB_FILES = (*DERIVED_VERB_FILES, *OPT_IN_VERB_FILES)  # in the order they are consulted
PHOENIX = [ACTOR_DIR / f"{kind}{DERIVED_ACTOR_SUFFIX}" for kind in ACTOR_KINDS]


def _cameo_codes() -> set[str]:
    with (DATA_DIR / "cameo.tsv").open(encoding="utf-8", newline="") as f:
        rows = [line for line in f if line.strip() and not line.startswith("#")]
    return {r["code"] for r in csv.DictReader(rows, delimiter="\t")}


@pytest.mark.parametrize("name", VERB_FILES)
def test_derived_verb_file_parses_with_real_codes(name):
    path = DATA_DIR / name
    head = path.read_text(encoding="utf-8").splitlines()[:5]
    script, licence = PROVENANCE[name]
    assert head[0].startswith("# Derived verb patterns"), f"{name}: no provenance header"
    assert any(script in line for line in head) and any(licence in line for line in head), head
    index = load_verbs(path)
    pats = [p for ps in index.values() for p in ps]
    assert len(pats) >= 50, f"{name}: only {len(pats)} patterns"
    codes = _cameo_codes()
    bad = [f"{p.source}: {p.cameo}" for p in pats if p.cameo not in codes]
    assert not bad, bad
    texts = [p.text for p in pats]
    assert len(texts) == len(set(texts)), f"{name}: duplicate patterns"


def test_derived_verbs_never_shadow_earlier_files():
    """A derived file only adds triggers that verbs.txt (and any earlier derived file) lacks."""
    earlier = set(load_verbs(DATA_DIR / "verbs.txt"))
    for name in VERB_FILES:
        keys = set(load_verbs(DATA_DIR / name))
        overlap = sorted(keys & earlier)
        assert not overlap, f"{name} repeats triggers of earlier files (re-run `make derive`): {overlap[:10]}"
        earlier |= keys


def test_loader_consults_hand_written_verbs_first():
    res = load_resources()
    hand = load_verbs(DATA_DIR / "verbs.txt")
    merged = tuple(f"{m}:" for m in MERGED_VERB_FILES) + tuple(f"{g} [" for g in GRID_FILES)
    for key in hand:
        # a hand-written trigger keeps its own lines, and only merged lines (event nouns', the grids') join them
        assert all(p.source.startswith(("verbs.txt:", *merged)) for p in res.verbs[key]), key
        assert all(p in res.verbs[key] for p in hand[key]), key
    for name in DERIVED_VERB_FILES:
        for key, pats in load_verbs(DATA_DIR / name).items():
            # (a grid's lines join a derived trigger's as they join a hand-written one's: "create joint venture")
            own = [p.source for p in res.verbs[key] if not p.source.startswith(merged)]
            assert own == [p.source for p in pats], key
        assert str(DATA_DIR / name) in res.data_files
    for name in OPT_IN_VERB_FILES:
        assert str(DATA_DIR / name) not in res.data_files
        opted = load_resources(extra_verb_files=(str(DATA_DIR / name),))
        for key, pats in load_verbs(DATA_DIR / name).items():
            own = [p.source for p in opted.verbs[key] if not p.source.startswith(merged)]
            assert own == [p.source for p in pats], key
        # opting in never changes a hand-written trigger
        assert all(opted.verbs[k] == res.verbs[k] for k in hand)


def test_derived_single_verbs_are_few_and_coded():
    """Verbs alone are the riskiest derived lines: they are kept only from reviewed lists."""
    singles = [p for name in VERB_FILES for ps in load_verbs(DATA_DIR / name).values() for p in ps
               if not p.items and not p.noun]
    assert 0 < len(singles) <= 200
    assert all(p.cameo for p in singles)
    assert not any(p.cameo.startswith("01") for p in singles)


@pytest.mark.parametrize("kind", ACTOR_KINDS)
def test_derived_actor_file_has_provenance(kind):
    path = ACTOR_DIR / f"{kind}{DERIVED_ACTOR_SUFFIX}"
    head = path.read_text(encoding="utf-8").splitlines()[:4]
    assert head[0].startswith("# Derived actor dictionary"), f"{path.name}: no provenance header"
    assert any("derive_phoenix_actors.py" in line for line in head)
    assert any("Open Event Data Alliance" in line for line in head)


def test_derived_actors_do_not_shadow_hand_written():
    hand_names, hand_sectors, _ = load_actors([], derived=False)
    all_names, all_sectors, _ = load_actors(PHOENIX)
    hand_lower = {s.lower() for s in hand_names}
    derived = {s for s, es in all_names.items() if any(DERIVED_ACTOR_SUFFIX in e.source for e in es)}
    assert len(derived) >= 5000
    assert not [s for s in derived if s.lower() in hand_lower]
    # a hand-written surface form keeps exactly its hand-written entries
    for s, es in hand_names.items():
        assert [e.source for e in all_names[s]] == [e.source for e in es], s
    assert all(all_sectors[w] == sec for w, sec in hand_sectors.items())
    assert len(all_sectors) > len(hand_sectors)
    # single words are too ambiguous among 18,000 names
    assert not [s for s in derived if len(s.split()) < 2]


def test_phoenix_actors_load_by_default_only_where_listed():
    names, _, _ = load_actors([])
    sources = {e.source.split(":")[0] for es in names.values() for e in es}
    assert {s for s in sources if DERIVED_ACTOR_SUFFIX in s} == {f"{k}{DERIVED_ACTOR_SUFFIX}" for k in
                                                                 DERIVED_ACTOR_KINDS if k != "sectors"}
    # opted in, a dated Phoenix person resolves like a hand-written one
    opted, _, _ = load_actors(PHOENIX)
    people = [e for es in opted.values() for e in es if e.kind == "person" and DERIVED_ACTOR_SUFFIX in e.source]
    assert len(people) >= 10000
    assert all(e.country or e.code[:3] in {"IGO", "NGO", "IMG"} for e in people)
    assert all((e.start or "0000") < (e.end or "9999") for e in people)
    assert all(e.start or e.end for e in people)  # Phoenix people are the dated entries


def _run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPTS / script), *args], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.skipif(not (PETRARCH / "CAMEO.2.0.txt").exists(),
                    reason="../shared/resources/petrarch2 (PETRARCH2 dictionaries) not present")
def test_cameo_script_reproduces_committed_file(tmp_path):
    out = tmp_path / "verbs-cameo-dict.txt"
    r = _run("derive_cameo_verbs.py", "--source", str(PETRARCH / "CAMEO.2.0.txt"), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == (DATA_DIR / "verbs-cameo-dict.txt").read_text(encoding="utf-8")


@pytest.mark.skipif(not (WORDNET / "data.verb").exists(),
                    reason="/usr/share/wordnet (Debian wordnet-base) not present")
@pytest.mark.parametrize("script,name", [("derive_wordnet.py", "verbs-wordnet.txt"),
                                         ("derive_nominal.py", "verbs-nominal.txt")])
def test_wordnet_scripts_reproduce_committed_files(tmp_path, script, name):
    out = tmp_path / name
    r = _run(script, "--wordnet", str(WORDNET), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == (DATA_DIR / name).read_text(encoding="utf-8")


@pytest.mark.skipif(not (PETRARCH / "Phoenix.agents.txt").exists(),
                    reason="../shared/resources/petrarch2 (Phoenix dictionaries) not present")
def test_phoenix_script_reproduces_committed_files(tmp_path):
    r = _run("derive_phoenix_actors.py", "--source", str(PETRARCH), "--out-dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    for kind in ACTOR_KINDS:
        name = f"{kind}{DERIVED_ACTOR_SUFFIX}"
        assert (tmp_path / name).read_text(encoding="utf-8") == (ACTOR_DIR / name).read_text(encoding="utf-8"), name


_NO_WORDNET = pytest.mark.skipif(not (WORDNET / "data.noun").exists(),
                                 reason="/usr/share/wordnet (Debian wordnet-base) not present")
_NO_PHOENIX = pytest.mark.skipif(not (PETRARCH / "Phoenix.Countries.actors.txt").exists(),
                                 reason="../shared/resources/petrarch2 (Phoenix dictionaries) not present")


@pytest.mark.parametrize("script,args,committed", [
    pytest.param("derive_person_nouns.py", ("--wordnet", str(WORDNET)), DATA_DIR / "person-nouns.txt",
                 marks=_NO_WORDNET),
    pytest.param("derive_country_spellings.py", ("--source", str(PETRARCH)), ACTOR_DIR / "countries-spellings.tsv",
                 marks=_NO_PHOENIX),
])
def test_word_list_scripts_reproduce_committed_files(tmp_path, script, args, committed):
    out = tmp_path / committed.name
    r = _run(script, *args, "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")


def test_event_nouns_take_their_verbs_patterns_after_their_own():
    """verbs-nominal.txt: every line is a multi-word pattern of a verbs.txt verb, given to a noun; the loader
    adds it to the noun's patterns unless the noun already has one with the same words."""
    path = DATA_DIR / "verbs-nominal.txt"
    assert path.read_text(encoding="utf-8").startswith("# Derived event-noun patterns"), "no provenance header"
    assert "verbs-nominal.txt" in MERGED_VERB_FILES
    derived = load_verbs(path)
    hand = load_verbs(DATA_DIR / "verbs.txt")
    codes = _cameo_codes()
    res = load_resources()
    assert len(derived) >= 50
    for (trigger, noun), pats in derived.items():
        assert noun, f"{trigger}: a derived line must be an n: pattern"
        for p in pats:
            assert p.items and p.cameo in codes, p.source
            loaded = res.verbs[(trigger, True)]
            own = [q for q in hand.get((trigger, True), []) if q.items == p.items]
            # the noun's own line with these words wins; otherwise the derived one is loaded
            assert (own[0] if own else p) in loaded, p.source
    # a hand-written noun pattern is never replaced: "n:suspension aid" stays verbs.txt's
    assert any(q.source.startswith("verbs.txt:") for q in res.verbs[("suspension", True)])
    assert any(q.source.startswith("verbs-nominal.txt:") for q in res.verbs[("suspension", True)])


def test_scripts_fail_with_one_line_on_missing_sources(tmp_path):
    for script, args in (("derive_cameo_verbs.py", ["--source", str(tmp_path / "none.txt"), "--out",
                                                    str(tmp_path / "o.txt")]),
                         ("derive_wordnet.py", ["--wordnet", str(tmp_path), "--out", str(tmp_path / "o.txt")]),
                         ("derive_nominal.py", ["--wordnet", str(tmp_path), "--out", str(tmp_path / "o.txt")]),
                         ("derive_phoenix_actors.py", ["--source", str(tmp_path), "--out-dir", str(tmp_path)])):
        r = _run(script, *args)
        assert r.returncode == 1, script
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
        assert not (tmp_path / "o.txt").exists()
