"""Reliability of everyday use: language of short texts, long documents and sentences, the CLI's
answers to mistakes (mistyped store paths, unknown formats, empty gold files), Ctrl-C, first run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dossier.ingest import detect_language, iter_documents
from dossier.model import Document
from dossier.nlp import split_for_parsing

from .conftest import dossier_cli

# Real-style wire headlines: short, full of names, the lines a feed is made of.
ENGLISH_HEADLINES = [
    "Mali expels French envoy", "Putin meets Xi in Beijing", "Sudan army shells Omdurman",
    "UN Security Council extends Libya mission", "Israel strikes Gaza after rocket fire",
    "Iran seizes oil tanker in Strait of Hormuz", "Turkey detains journalists in Istanbul",
    "Ukraine says Russian drones hit Odesa port", "Biden urges Congress to pass aid package",
    "Egypt opens Rafah crossing for aid trucks", "Ethiopia and Tigray rebels sign truce",
    "Kenya deploys police to Haiti", "North Korea fires ballistic missile into sea",
    "EU imposes new sanctions on Belarus", "Protesters clash with police in Tbilisi",
    "Niger junta closes airspace", "Saudi Arabia restores ties with Syria",
    "Hezbollah fires rockets at northern Israel", "Houthis attack ship in Red Sea",
    "Pakistan arrests former prime minister Imran Khan", "India and China hold border talks",
    "Taliban ban women from universities", "Venezuela frees five Americans in prisoner swap",
    "Colombia and ELN rebels agree ceasefire", "Armenia accuses Azerbaijan of shelling villages",
    "Myanmar junta bombs village in Sagaing", "Somalia al-Shabaab militants storm hotel",
    "Nigeria gunmen kidnap students in Kaduna", "Qatar mediates hostage deal",
    "Blinken visits Cairo for ceasefire talks", "Assad regime shells Idlib countryside",
    "Syrian opposition condemns Arab League move", "Jordan recalls ambassador from Tel Aviv",
    "Lebanon parliament fails to elect president", "Iraq expels Swedish ambassador over Koran burning",
    "Kosovo police raid Serb-run offices", "Serbia puts army on alert near Kosovo border",
    "Hamas releases two hostages", "Macron calls for humanitarian truce", "Scholz rejects Taurus missiles for Kyiv",
    "Zelensky asks allies for air defence", "Erdogan threatens to veto Sweden NATO bid",
    "Burkina Faso suspends French broadcaster", "Chad holds presidential election",
    "Tunisia jails opposition leader Ghannouchi", "Algeria cuts ties with Morocco",
    "Yemen talks resume in Muscat", "Sri Lanka declares state of emergency",
    "Bangladesh bans Jamaat-e-Islami", "Philippines protests Chinese coast guard water cannon",
    "Gaza health ministry says death toll rises", "Sudan RSF accused of ethnic killings in Darfur",
    "Putin signs decree on mobilisation", "UN envoy warns of famine in Gaza",
]
OTHER_HEADLINES = [
    ("fr", "Le président français rencontre le chancelier allemand à Berlin"),
    ("fr", "L'armée malienne annonce la mort de plusieurs jihadistes"),
    ("de", "Bundesregierung verhängt neue Sanktionen gegen Russland"),
    ("de", "Kanzler Scholz trifft den polnischen Präsidenten in Warschau"),
    ("es", "El gobierno de Colombia y el ELN firman un alto el fuego"),
    ("es", "Miles de personas protestan en Caracas contra el gobierno"),
    ("ar", "الجيش السوداني يقصف مواقع الدعم السريع في أم درمان"),
    ("ar", "وزير الخارجية السعودي يلتقي نظيره الإيراني في بكين"),
    ("ru", "Путин провёл переговоры с Си Цзиньпином в Пекине"),
    ("ru", "Украина заявила об атаке дронов на Одессу"),
    ("tr", "Cumhurbaşkanı Erdoğan İsveç'in NATO üyeliğini değerlendirdi"),
    ("tr", "İstanbul'da gazeteciler gözaltına alındı"),
    ("it", "Il governo italiano approva nuove misure sui migranti"),
    ("pt", "O presidente do Brasil visita a China para reforçar laços comerciais"),
    ("fa", "ایران نفتکش خارجی را در تنگه هرمز توقیف کرد"),
    ("zh", "中国外交部发言人回应美国制裁"),
    ("uk", "Зеленський закликав союзників посилити протиповітряну оборону"),
    ("nl", "De Nederlandse regering stuurt extra hulp naar Gaza"),
    ("pl", "Polska wzywa Unię Europejską do nowych sankcji wobec Białorusi"),
    ("he", "ראש הממשלה נפגש עם שר החוץ האמריקני בירושלים"),
    ("sv", "Sveriges regering skärper säkerheten efter koranbränningar"),
    ("id", "Presiden Indonesia bertemu dengan pemimpin ASEAN di Jakarta"),
]


# -- language ----------------------------------------------------------------------------------


def test_english_headlines_stay_english() -> None:
    assert len(ENGLISH_HEADLINES) >= 50
    wrong = {h: detect_language(h) for h in ENGLISH_HEADLINES if detect_language(h) != "en"}
    assert wrong == {}


def test_other_languages_are_still_recognised_in_one_line() -> None:
    assert len(OTHER_HEADLINES) >= 20
    found = [(lang, detect_language(h)) for lang, h in OTHER_HEADLINES]
    assert [f for f in found if f[0] != f[1]] == []


def test_feed_channel_language_is_the_prior_and_language_option_states_it(tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    items = "".join(f"<item><title>{h}</title><description>{h}.</description><guid>g{i}</guid></item>"
                    for i, h in enumerate(ENGLISH_HEADLINES[:6]))
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><language>en-gb'
                    f'</language>{items}</channel></rss>', "utf-8")
    docs = [d for d in iter_documents([feed]) if isinstance(d, Document)]
    assert [d.language for d in docs] == ["en"] * 6
    french = tmp_path / "fr.txt"
    french.write_text(OTHER_HEADLINES[0][1], "utf-8")
    assert [d.language for d in iter_documents([french])] == ["fr"]  # type: ignore[union-attr]
    assert [d.language for d in iter_documents([french], language="en")] == ["en"]  # type: ignore[union-attr]


def test_headlines_are_coded_not_dropped_as_foreign(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps({"id": f"h{i}", "text": h}) + "\n"
                            for i, h in enumerate(ENGLISH_HEADLINES[:3])), "utf-8")
    done = dossier_cli("ingest", str(path), "--db", str(tmp_path / "h.db"))
    assert done.returncode == 0, done.stderr
    assert "3 new" in done.stderr and "0 non-English" in done.stderr
    events = dossier_cli("events", "--db", str(tmp_path / "h.db"), "--format", "jsonl").stdout.splitlines()
    assert {json.loads(e)["doc_id"] for e in events} == {"h0", "h1"}  # Mali expels ..., Putin meets Xi ...


# -- long documents and sentences --------------------------------------------------------------


def test_pieces_join_to_the_text_and_respect_the_limits() -> None:
    para = "Syrian forces shelled Douma on Monday, monitors said. The UN condemned the attack.\n\n"
    text = para * 400 + "word, " * 3000 + "and " * 2000 + "x" * 7000
    pieces = split_for_parsing(text, chunk_chars=5000, max_sentence=1000)
    assert "".join(pieces) == text
    assert max(len(p) for p in pieces) <= 5000
    assert all(p.endswith("\n\n") for p in pieces[:5])  # sentence-aligned where sentences exist
    assert split_for_parsing("Short text.", chunk_chars=5000, max_sentence=1000) == ["Short text."]


def test_document_over_the_parser_limit_is_coded_with_document_wide_offsets(coder) -> None:
    import dossier.nlp as nlp_module

    para = ("Syrian government forces shelled the town of Douma on Monday. "
            "The United Nations condemned the attack.\n\n")
    text = para * 60  # ~6,000 characters, parsed below as pieces of at most 1,000 under a 2,500 limit
    saved = coder.nlp.max_length, nlp_module.CHUNK_CHARS
    coder.nlp.max_length, nlp_module.CHUNK_CHARS = 2500, 1000
    try:
        with pytest.raises(ValueError, match="E088"):
            coder.nlp(text)  # what happened before: the parser refuses the whole document
        coded = next(coder.code_many([Document(id="long", text=text, language="en")]))
    finally:
        coder.nlp.max_length, nlp_module.CHUNK_CHARS = saved
    assert len(coded.sentences) == 120
    condemned = [e for e in coded.events if e.trigger.text == "condemned"]
    assert len(condemned) == 60
    last = condemned[-1]
    assert text[last.trigger.start:last.trigger.end] == "condemned" and last.trigger.start > len(text) - len(para)
    assert text[last.actor[0].start:last.actor[0].end] == "United Nations"


def test_huge_sentence_is_cut_into_bounded_sentences(coder) -> None:
    text = "Rebels attacked the convoy near Aleppo, " * 2500  # 100,000 characters, no sentence end
    coded = next(coder.code_many([Document(id="run-on", text=text, language="en")]))
    from dossier.nlp import max_sentence_chars

    assert len(coded.sentences) >= len(text) // max_sentence_chars()
    assert max(s.end - s.start for s in coded.sentences) <= max_sentence_chars()
    assert coded.events and all(text[e.trigger.start:e.trigger.end] == "attacked" for e in coded.events)


# -- the CLI's answers to mistakes -------------------------------------------------------------


def test_read_only_commands_do_not_create_a_mistyped_store(tmp_path: Path) -> None:
    for cmd in (["events"], ["stats"], ["explain", "ev-1"], ["check"], ["backup", str(tmp_path / "b.db")]):
        done = dossier_cli(*cmd, "--db", str(tmp_path / "typo.db"))
        assert done.returncode == 2 and done.stderr.strip() == f"error: no database at {tmp_path / 'typo.db'} " \
            "(give --db the path or URL of an existing store)", (cmd, done.stderr)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_numeric_setting_is_one_line_naming_it(tmp_path: Path) -> None:
    doc = tmp_path / "a.jsonl"
    doc.write_text('{"id": "a", "text": "Mali expelled the French ambassador."}\n', "utf-8")
    for var, value in (("DOSSIER_CHUNK_CHARS", "abc"), ("DOSSIER_MAX_SENTENCE_CHARS", "0"),
                       ("DOSSIER_CODER_DOCUMENTS", "-5")):
        done = dossier_cli("ingest", str(doc), "--db", str(tmp_path / f"{var}.db"), env={var: value})
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip() == f"error: {var}={value!r}: must be a whole number of at least 1"


def test_stats_csv_and_unknown_format(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Mali expelled the French ambassador on Monday.", "utf-8")
    db = str(tmp_path / "s.db")
    assert dossier_cli("ingest", str(doc), "--db", db).returncode == 0
    rows = dossier_cli("stats", "--db", db, "--format", "csv").stdout.splitlines()
    assert rows[0] == "statistic,key,value" and "documents,,1" in rows and "by_plover,SANCTION,1" in rows
    bad = dossier_cli("stats", "--db", db, "--format", "xml")
    assert bad.returncode == 2 and bad.stderr.strip() == "error: --format must be one of table, json, csv, not 'xml'"


@pytest.mark.parametrize("content", ["[]", '[{"id": "x", "event": "DOCUMENT"}]'])
def test_eval_without_records_is_an_error(tmp_path: Path, content: str) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(content, "utf-8")
    done = dossier_cli("eval", str(gold))
    assert done.returncode == 1 and done.stderr.strip() == f"error: {gold}: no PLOVER records with text to score"


def test_ctrl_c_says_what_was_stored_and_exits_130(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):
        (docs / f"{i}.txt").write_text(f"Mali expelled the French ambassador on day {i}.", "utf-8")
    exe = Path(sys.executable).parent / "dossier"
    # Ctrl-C as a terminal sends it, whatever the test runner inherited: a run started in the background by a
    # non-interactive shell ignores SIGINT, and so would its children (Python then installs no handler)
    proc = subprocess.Popen([str(exe), "ingest", str(docs), "--db", str(tmp_path / "c.db"), "--batch-size", "2"],
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "DOSSIER_FAULT": "saved:2:sleep=60"},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:  # the second batch is committed, then the run pauses there
        seen.append(line)
        if line.startswith("fault: sleeping at saved"):
            break
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 130, seen + [rest]
    assert "interrupted; stored before the interruption: 4 new, 0 updated, 0 unchanged, 0 failed" in rest
    assert "Traceback" not in rest
    again = dossier_cli("ingest", str(docs), "--db", str(tmp_path / "c.db"))
    assert "2 new, 0 updated, 4 unchanged" in again.stderr


def test_first_run_says_it_builds_the_gazetteer(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Mali expelled the French ambassador on Monday.", "utf-8")
    started = time.monotonic()
    first = dossier_cli("ingest", str(doc), "--db", str(tmp_path / "g.db"), env={"XDG_CACHE_HOME": str(tmp_path)})
    assert first.returncode == 0, first.stderr
    lines = first.stderr.splitlines()
    assert lines[0] == "building the place gazetteer from GeoNames (first run only; about a minute)..."
    seconds = int(lines[1].removeprefix("gazetteer built in ").removesuffix(" s"))
    assert 0 <= seconds <= time.monotonic() - started
    second = dossier_cli("ingest", str(doc), "--db", str(tmp_path / "g.db"), env={"XDG_CACHE_HOME": str(tmp_path)})
    assert "gazetteer" not in second.stderr and "1 unchanged" in second.stderr
