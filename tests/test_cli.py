"""Every command and output format, run as a user runs them: the installed `dossier` executable."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from .conftest import PLOVER_GOLD, ROOT, SAMPLE, dossier_cli, need


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """A store holding the bundled samples and the SOC statement."""
    d = tmp_path_factory.mktemp("store")
    docs = d / "docs"
    shutil.copytree(ROOT / "samples", docs)
    if SAMPLE.exists():
        shutil.copy(SAMPLE, docs / "soc-statement.txt")
    url = f"sqlite:///{d / 'test.db'}"
    r = dossier_cli("ingest", str(docs), "--db", url, "--quiet")
    assert r.returncode == 0, r.stderr
    assert "failed" in r.stderr and " 0 failed" in r.stderr
    return url


def test_ingest_reports_new_then_unchanged(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    r1 = dossier_cli("ingest", str(ROOT / "samples"), "--db", url)
    assert r1.returncode == 0, r1.stderr
    assert "6 new" in r1.stderr, r1.stderr
    r2 = dossier_cli("ingest", str(ROOT / "samples"), "--db", url)
    assert r2.returncode == 0
    assert "0 new" in r2.stderr and "6 unchanged" in r2.stderr, r2.stderr
    s1 = json.loads(dossier_cli("stats", "--db", url, "--format", "json").stdout)
    assert s1["documents"] == 6
    assert s1["non_english_documents"] == 1


def test_ingest_bad_inputs_one_line_each_and_the_rest_lands(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Turkey condemned the attack on the convoy.", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x1", "text": "Iran threatened Israel."}\nnot json\n{"id": 5}\n', encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    url = f"sqlite:///{tmp_path / 'b.db'}"
    r = dossier_cli("ingest", str(good), str(bad), str(binary), str(tmp_path / "missing.txt"), "--db", url)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 4, r.stderr
    assert any("bad.jsonl:2" in e for e in errors)
    assert any("bad.jsonl:3" in e for e in errors)
    assert any("blob.txt" in e for e in errors)
    assert any("missing.txt" in e for e in errors)
    stats = json.loads(dossier_cli("stats", "--db", url, "--format", "json").stdout)
    assert stats["documents"] == 2


def test_bad_db_url_is_one_line(tmp_path):
    r = dossier_cli("stats", "--db", "nosuchdialect://x/y")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr


def test_code_is_stateless_jsonl(tmp_path):
    docs = "\n".join(json.dumps(d) for d in [
        {"id": "d1", "text": "Syrian government forces shelled the town of Saraqib on Monday.", "date": "2020-02-03"},
        {"id": "d2", "text": "The weather was fine."},
    ])
    r = dossier_cli("code", input=docs, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines and all(e["doc_id"] == "d1" for e in lines)
    e = lines[0]
    for key in ("event_id", "doc_id", "sentence", "date", "plover", "plover_mode", "cameo", "quad_class",
                "goldstein", "actor", "recipient", "trigger", "attributed_to", "negated", "factuality", "parent",
                "rule", "coder_version"):
        assert key in e
    assert e["plover"] == "ASSAULT" and e["actor"][0]["code"].startswith("SYR")
    assert not (tmp_path / "dossier.db").exists()


def test_code_reads_file_and_reports_bad_lines(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "a", "text": "Russia expelled two British diplomats."}\n[1,2]\n', encoding="utf-8")
    r = dossier_cli("code", "--input", str(f))
    assert r.returncode == 1
    assert f"{f}:2" in r.stderr
    assert any(json.loads(x)["plover"] == "SANCTION" for x in r.stdout.splitlines())


def test_events_formats_and_filters(db):
    table = dossier_cli("events", "--db", db)
    assert table.returncode == 0 and "events" in table.stdout
    jl = dossier_cli("events", "--db", db, "--format", "jsonl")
    events = [json.loads(x) for x in jl.stdout.splitlines()]
    assert len(events) >= 10
    rows = list(csv.DictReader(io.StringIO(dossier_cli("events", "--db", db, "--format", "csv").stdout)))
    assert len(rows) == len(events)
    assert {r["event_id"] for r in rows} == {e["event_id"] for e in events}
    acc = [json.loads(x) for x in dossier_cli("events", "--db", db, "--plover", "ACCUSE", "--format",
                                              "jsonl").stdout.splitlines()]
    assert acc and all(e["plover"] == "ACCUSE" for e in acc)
    syr = [json.loads(x) for x in dossier_cli("events", "--db", db, "--actor", "SYR", "--format",
                                              "jsonl").stdout.splitlines()]
    assert syr and all(any(a["code"].startswith("SYR") for a in e["actor"]) for e in syr)
    rec = [json.loads(x) for x in dossier_cli("events", "--db", db, "--recipient", "SYRGOV", "--format",
                                              "jsonl").stdout.splitlines()]
    assert all(any(a["code"].startswith("SYRGOV") for a in e["recipient"]) for e in rec)
    cam = [json.loads(x) for x in dossier_cli("events", "--db", db, "--cameo", "1", "--format",
                                              "jsonl").stdout.splitlines()]
    assert all(e["cameo"].startswith("1") for e in cam)
    dated = [json.loads(x) for x in dossier_cli("events", "--db", db, "--since", "2024-04-10", "--until",
                                                "2024-04-11", "--format", "jsonl").stdout.splitlines()]
    assert dated and all("2024-04-10" <= e["date"] <= "2024-04-11" for e in dated)
    one = [json.loads(x) for x in dossier_cli("events", "--db", db, "--doc", "wire-003", "--format",
                                              "jsonl").stdout.splitlines()]
    assert one and {e["doc_id"] for e in one} == {"wire-003"}
    cty = [json.loads(x) for x in dossier_cli("events", "--db", db, "--country", "SDN", "--format",
                                              "jsonl").stdout.splitlines()]
    assert cty
    bad = dossier_cli("events", "--db", db, "--since", "yesterday")
    assert bad.returncode != 0 and "since" in bad.stderr and "Traceback" not in bad.stderr
    badf = dossier_cli("events", "--db", db, "--format", "xml")
    assert badf.returncode != 0 and "format" in badf.stderr


def test_events_reference_filter(db):
    need(SAMPLE)
    r = dossier_cli("events", "--db", db, "--reference", "UNSC-2254", "--format", "jsonl")
    evs = [json.loads(x) for x in r.stdout.splitlines()]
    assert evs and all(any(ref["id"] == "UNSC-2254" for ref in e["references"]) for e in evs)


def test_explain_marks_sentence_rule_and_path(db):
    evs = [json.loads(x) for x in dossier_cli("events", "--db", db, "--format", "jsonl").stdout.splitlines()]
    e = next(x for x in evs if x["actor"])
    r = dossier_cli("explain", e["event_id"], "--db", db)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert f"[{e['trigger']['text']}]" in out
    assert "rule" in out and e["rule"].split()[0] in out
    assert "trigger to actor" in out
    assert f"factuality {e['factuality']}" in out
    j = json.loads(dossier_cli("explain", e["event_id"], "--db", db, "--format", "json").stdout)
    assert j["event_id"] == e["event_id"] and j["sentence_text"]
    missing = dossier_cli("explain", "ev-nope", "--db", db)
    assert missing.returncode == 1 and "ev-nope" in missing.stderr


def test_events_by_factuality(db):
    every = [json.loads(x) for x in dossier_cli("events", "--db", db, "--format", "jsonl").stdout.splitlines()]
    r = dossier_cli("events", "--db", db, "--factuality", "asserted,reported", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    some = [json.loads(x) for x in r.stdout.splitlines()]
    assert some and all(e["factuality"] in {"asserted", "reported"} for e in some)
    assert len(some) == sum(e["factuality"] in {"asserted", "reported"} for e in every)
    bad = dossier_cli("events", "--db", db, "--factuality", "asserted,rumoured")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "'rumoured'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_stats_json(db):
    s = json.loads(dossier_cli("stats", "--db", db, "--format", "json").stdout)
    assert s["documents"] >= 6 and s["events"] >= 10
    assert sum(s["by_factuality"].values()) == s["events"]
    assert dossier_cli("stats", "--db", db).returncode == 0


def test_db_from_environment(tmp_path):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    r = dossier_cli("ingest", str(ROOT / "samples" / "wire.jsonl"), env={"DOSSIER_DB": url})
    assert r.returncode == 0, r.stderr
    assert json.loads(dossier_cli("stats", "--format", "json", env={"DOSSIER_DB": url}).stdout)["documents"] == 4


def test_eval_runs_on_gold():
    gold = need(PLOVER_GOLD)
    r = dossier_cli("eval", str(gold), "--format", "json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["records"] == 164 and 0 <= res["type"] <= 1 and "ASSAULT" in res["per_type"]


def test_geoparse_jsonl(tmp_path):
    r = dossier_cli("geoparse", input=json.dumps({"id": "g1", "text": "Fighting was reported in Aleppo, Syria."}))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert {row["text"] for row in rows} >= {"Aleppo", "Syria"}
    for row in rows:
        for key in ("doc_id", "text", "start", "end", "geonameid", "lat", "lon", "country", "admin1", "precision"):
            assert key in row


def test_help_documents_every_command():
    r = dossier_cli("--help")
    for cmd in ("ingest", "code", "events", "explain", "stats", "eval", "geoparse"):
        assert cmd in r.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for cmd in ("ingest", "code", "events", "explain", "stats", "eval", "geoparse"):
        assert f"dossier {cmd}" in readme, f"README does not document `dossier {cmd}`"


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first = text.index("make demo")
    assert first < text.index("make test") < 600




def test_both_english_pipelines_code(tmp_path):
    """DOSSIER_MODEL picks the pipeline: the default small one and en_core_web_md (with vectors) both code."""
    doc = '{"id": "m", "text": "Turkish police detained three journalists in Istanbul.", "language": "en"}\n'
    for model in ("en_core_web_sm", "en_core_web_md"):
        r = dossier_cli("code", input=doc, env={"DOSSIER_MODEL": model})
        assert r.returncode == 0, r.stderr
        events = [json.loads(line) for line in r.stdout.splitlines()]
        assert any(e["plover"] == "COERCE" and e["actor"][0]["code"] == "TURCOP" for e in events), (model, events)
