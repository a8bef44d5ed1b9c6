"""Guards the coder's accuracy on the shared PLOVER gold records (development half).

Targets from the accuracy issue: type >= 0.85, dyad >= 0.65, events per record <= 1.5. The same
figures are computed by ../shared/benchmarks/score_plover.py; this test checks both agree.
"""

from __future__ import annotations

import json
import subprocess
import sys

from dossier.eval import gold_documents, gold_records, score

from .conftest import PLOVER_GOLD, SHARED, need


def test_dev_figures_meet_targets(coder, tmp_path):
    records = gold_records(need(PLOVER_GOLD))
    events = [e for d in gold_documents(records) for e in coder.code(d).events]
    result = score(records, events)
    print(json.dumps({k: result[k] for k in ("records", "type", "dyad", "epr")}))
    assert result["records"] == 164
    assert result["type"] >= 0.85, result
    assert result["dyad"] >= 0.65, result
    assert result["epr"] <= 1.5, result
    # the shared scorer, run on the same events, gives the same figures
    pred = tmp_path / "events.jsonl"
    pred.write_text("".join(json.dumps(e.to_dict()) + "\n" for e in events), encoding="utf-8")
    scorer = SHARED / "benchmarks" / "score_plover.py"
    out = subprocess.run([sys.executable, str(scorer), "score", str(PLOVER_GOLD), str(pred), "--json"],
                         capture_output=True, text=True, check=True).stdout
    theirs = json.loads(out[: out.rindex("}") + 1])
    assert {k: theirs[k] for k in ("type", "dyad", "epr")} == {k: result[k] for k in ("type", "dyad", "epr")}


def test_geo_dev_figures_meet_targets(tmp_path):
    """GeoWebNews development half: found >= 0.85 and acc161 >= 0.80, scored by the shared scorer."""
    from dossier.geo import geoparse_texts

    from .conftest import GEO_GOLD

    gold = need(GEO_GOLD)
    scorer = SHARED / "benchmarks" / "score_geo.py"
    docs = subprocess.run([sys.executable, str(scorer), "input", str(gold)], capture_output=True, text=True,
                          check=True).stdout
    items = [(d["id"], d["text"]) for d in map(json.loads, docs.splitlines())]
    out = tmp_path / "places.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for doc_id, places in geoparse_texts(items):
            for p in places:
                f.write(json.dumps({"doc_id": doc_id, **p.to_dict()}) + "\n")
    res = subprocess.run([sys.executable, str(scorer), "score", str(gold), str(out), "--json"],
                         capture_output=True, text=True, check=True).stdout
    figures = json.loads(res[: res.rindex("}") + 1])
    print(figures)
    assert figures["found"] >= 0.85, figures
    assert figures["acc161"] >= 0.80, figures
