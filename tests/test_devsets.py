"""The development sets' check halves: floors on the figures a change must not lower.

Misses are read only in the tune halves; these floors guard the check halves (a little under the
figures measured when they were set, README "Figures"), so a change that helps one set by hurting
another fails here. They are not held-out figures: the held-out halves are scored elsewhere.
"""

from __future__ import annotations

import hashlib
import importlib.util

import pytest

from dossier.devsets import SETS, bench_dir, evaluate, half, petrarch_actor_files, petrarch_records

from .conftest import need

# set -> figure -> floor on the check half
FLOORS: dict[str, dict[str, float]] = {
    "plover": {"type": 0.88, "dyad": 0.70},
    "conflibert": {"penta_acc": 0.78, "source_F1": 0.84, "target_F1": 0.685},
    "headlines": {"type": 0.60},
    "petrarch": {"pair": 0.47},
}
CEILINGS: dict[str, dict[str, float]] = {"plover": {"epr": 1.5}}


def test_half_rule_is_the_shared_scorers():
    path = need(bench_dir() / "score_synthetic.py")
    spec = importlib.util.spec_from_file_location("score_synthetic", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for text in ("Mali expels French envoy", "Putin meets Xi in Beijing", "x" * 50, "Ünïcode ✓"):
        assert half(text) == mod.half(text)
        assert half(text) == ("check" if int(hashlib.sha1(text.encode()).hexdigest(), 16) % 2 else "tune")


@pytest.fixture(scope="module")
def results(coder):
    need(bench_dir())
    names = [n for n in SETS if n in FLOORS]
    return {r.name: r for r in evaluate(names)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_check_half_floors(results, name):
    r = results[name]
    check = r.figures["check"]
    print(name, "tune", r.figures["tune"], "check", check)
    for figure, floor in FLOORS[name].items():
        assert check[figure] >= floor, (name, figure, check)
    for figure, ceiling in CEILINGS.get(name, {}).items():
        assert check[figure] <= ceiling, (name, figure, check)
    # both halves are scored and non-empty
    assert r.figures["tune"]["records"] > 0 and check["records"] > 0


def test_petrarch_test_actors_keep_their_date_restrictions(tmp_path):
    # PETRARCH's date tests: a name's code depends on the record's date ("[HOBGOV 19950601 - 19990815]"), so the
    # adapter writes dated rows and codes each record at its own date
    need(bench_dir() / "petr-unit-tests")
    rows = {}
    for path in petrarch_actor_files(tmp_path):
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if path.name.startswith("people") and len(cells) >= 4:
                rows.setdefault(cells[0].split("|")[0], []).append(tuple(cells[1:4]))
    assert ("HOBGOV", "1995-06-01", "1999-08-15") in rows["Gollum"]
    assert ("HOBELI", "2013-01-19", "") in rows["Sam Gamgee"]
    assert rows["Sam Gamgee"][-1] == ("HOB", "", "")  # the default, after the dated rows that override it
    dates = {r["id"]: r["date"] for r in petrarch_records()}
    assert dates["DATE-14"] == "1995-11-01"
