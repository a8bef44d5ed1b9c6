"""A hostile corpus, generated here: every input is either read correctly or refused with one line
naming it, never a traceback, and everything else in the same run still lands."""

from __future__ import annotations

import json
import os
import random
import sqlite3
from pathlib import Path

import pytest

from dossier.errors import IngestError
from dossier.ingest import decode_bytes, html_text, iter_documents
from dossier.model import Document

from .conftest import dossier_cli

ARABIC = ("أعلن وزير الخارجية السعودي أن المملكة ستعيد فتح سفارتها في دمشق بعد انقطاع دام أكثر من عشر سنوات، "
          "وقال إن القرار يأتي في إطار الجهود العربية لإنهاء الأزمة.")
FRENCH = ("Le président français a déclaré jeudi que la réunion à Genève « n’a pas abouti » et qu’il fallait "
          "« rétablir le dialogue » — sans préciser de date.")
ENGLISH = "Mali expelled the French ambassador on Monday, the government said in a statement."

ENCODED = {
    "utf8.txt": ENGLISH.encode("utf-8"),
    "utf8-bom.txt": ENGLISH.encode("utf-8-sig"),
    "utf16-le.txt": FRENCH.encode("utf-16"),  # Python writes a BOM, little-endian here
    "utf16-be.txt": b"\xfe\xff" + FRENCH.encode("utf-16-be"),
    "utf32.txt": ARABIC.encode("utf-32"),
    "cp1252.txt": FRENCH.encode("cp1252"),
    "cp1256.txt": ARABIC.encode("cp1256"),
    "iso8859-6.txt": ARABIC.replace("،", ",").encode("iso-8859-6"),
}


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_encodings_are_detected_and_decoded(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(ENCODED[name])
    (doc,) = iter_documents([path])
    assert isinstance(doc, Document), doc
    expected = {"utf8": ENGLISH, "utf16": FRENCH, "cp1252": FRENCH}.get(name.split("-")[0].split(".")[0], ARABIC)
    if name.startswith("iso8859-6"):
        expected = ARABIC.replace("،", ",")
    assert doc.text == expected
    assert doc.language == {ENGLISH: "en", FRENCH: "fr"}.get(expected, "ar")


def test_binary_and_broken_bytes_are_refused_in_one_line() -> None:
    rng = random.Random(11)
    noise = bytes(rng.randrange(256) for _ in range(4096))
    for data, why in [(noise, "binary"), (b"\xff\xfe" + b"\x00\xd8" * 3, "utf-16 byte-order mark"),
                      (b"Ordinary text\x00with a NUL", "binary"), (bytes(range(1, 32)) * 50, "control characters")]:
        with pytest.raises(ValueError, match=why) as info:
            decode_bytes(data)
        assert "\n" not in str(info.value)


def test_deeply_nested_html_still_gives_its_text_and_never_scripts() -> None:
    depth = 100_000
    page = ("<html><head><style>p {color: red}</style><script>var secret = 'script text';</script></head><body>"
            + "<div>" * depth + "<p>The Security Council condemned the attack on the convoy.</p>" + "</div>" * depth
            + "<p>The envoy met ministers &amp; officials.</p><script>alert('x')</script></body></html>")
    assert html_text(page) == ("The Security Council condemned the attack on the convoy.\n\n"
                               "The envoy met ministers & officials.")


def _hostile_corpus(root: Path) -> tuple[dict[str, str], set[str]]:
    """Write the corpus; return {input name: words its one-line error must contain} and the names
    of the inputs that must be stored."""
    corpus = root / "corpus"
    corpus.mkdir()
    refused: dict[str, str] = {}
    stored: set[str] = set()

    def put(name: str, data: bytes | str, problem: str | None = None) -> None:
        path = corpus / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if problem:
            refused[name] = problem
        else:
            stored.add(name)

    for name, data in ENCODED.items():
        put(name, data)
    put("empty.txt", b"", "empty file")
    put("blank.txt", b" \n\t\r\n", "empty file")
    rng = random.Random(3)
    put("noise.txt", bytes(rng.randrange(256) for _ in range(8192)), "binary")
    put("noise-no-nul.txt", bytes(rng.randrange(1, 256) for _ in range(8192)), "no other text encoding fits")
    put("nul-inside.txt", ENGLISH.encode() + b"\x00\x00" + ENGLISH.encode(), "binary")
    put("controls.txt", "\x1b[31mAlert:\x1b[0m\x07 " + ENGLISH + "\x08\x0c" + ENGLISH)
    put("bad-utf16.txt", b"\xff\xfe" + b"\x00\xd8", "utf-16 byte-order mark")
    depth = 100_000
    put("deep.html", "<html><body>" + "<div>" * depth + f"<p>{ENGLISH}</p>" + "</div>" * depth + "</body></html>")
    put("scripts.html", f"<html><head><script>document.write('{FRENCH}')</script><style>body{{}}</style></head>"
                        f"<body><article><p>{ENGLISH}</p><p>{ENGLISH}</p></article></body></html>")
    put("only-script.html", "<html><body><script>var a = 1;</script></body></html>", "no main text found")
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
            + ']><rss version="2.0"><channel><title>&lol9;</title><item><title>x</title>'
            "<description>&lol9;</description></item></channel></rss>")
    put("bomb.rss", bomb)  # read without expanding the entities: a few bytes, not gigabytes
    put("external.rss", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                        '<rss version="2.0"><channel><title>t</title><item><title>Mali expels envoy</title>'
                        f"<description>&xxe; {ENGLISH}</description><guid>ext-1</guid></item></channel></rss>")
    put("broken.jsonl", "\n".join([json.dumps({"id": "j1", "text": ENGLISH}), '{"id": "j2", "text": "unterminated',
                                   json.dumps({"id": "j3", "text": ENGLISH, "date": "2025-13-45"}),
                                   json.dumps({"id": "j1", "text": "the same id again"}), "[1, 2]",
                                   "\x00\x00", json.dumps({"id": "j4", "text": FRENCH})]) + "\n",
        "not valid JSON")
    put("weird name ☃ \u202e.txt", ENGLISH)
    put("-starts-with-dash.txt", ENGLISH)
    put("new\nline.txt", ENGLISH)
    return refused, stored


def test_hostile_corpus_run_reports_each_bad_input_and_stores_the_rest(tmp_path: Path) -> None:
    refused, stored = _hostile_corpus(tmp_path)
    corpus = tmp_path / "corpus"
    too_long = tmp_path / ("n" * 300 + ".txt")  # ENAMETOOLONG: an unreadable path, even for root
    missing = tmp_path / "missing.txt"
    explicit = [str(too_long), str(missing)]
    locked = tmp_path / "locked"
    if os.geteuid() != 0:  # a directory we may not enter; root can enter any, so only as a user
        locked.mkdir()
        (locked / "in.txt").write_text(ENGLISH, "utf-8")
        locked.chmod(0)
        explicit.append(str(locked / "in.txt"))
    db = tmp_path / "h.db"
    try:
        done = dossier_cli("ingest", str(corpus), *explicit, "--db", str(db))
    finally:
        if locked.exists():
            locked.chmod(0o755)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    for name, problem in refused.items():
        mine = [line for line in errors if line.startswith(f"error: {corpus / name}")]
        assert mine and all(problem in line or "broken.jsonl" in name for line in mine), (name, errors)
    jsonl_errors = [line for line in errors if "broken.jsonl:" in line]
    assert [line.split("broken.jsonl:")[1].split(":")[0] for line in jsonl_errors] == ["2", "4", "5", "6"]
    assert "repeated (first on line 1)" in jsonl_errors[1]
    assert any(line.startswith(f"error: {too_long}: cannot read: File name too long") for line in errors)
    assert f"error: {missing}: no such file or directory" in errors
    assert f"warning: {corpus}/broken.jsonl:3: date '2025-13-45' is not a full calendar date; ignored" in lines
    assert all("\n" not in line for line in lines)

    conn = sqlite3.connect(db)
    origins = {o for (o,) in conn.execute("SELECT origin FROM documents")}
    texts = {o: t for o, t in conn.execute("SELECT origin, text FROM documents")}
    conn.close()
    assert {o for o in origins if "#" not in o and ".jsonl:" not in o} == {
        str(corpus / n).replace("\n", "\\n").replace("\u202e", "\\u202e") for n in stored
        if not n.endswith((".rss", ".jsonl"))}
    assert {o.rsplit(":", 1)[1] for o in origins if ".jsonl:" in o} == {"1", "3", "7"}
    bomb = [t for o, t in texts.items() if o.startswith(str(corpus / "bomb.rss"))]
    assert bomb and len(bomb[0]) < 100 and "lollol" not in bomb[0]
    external = [t for o, t in texts.items() if o.startswith(str(corpus / "external.rss"))]
    assert external and "root:" not in external[0]  # the external entity was never read
    assert texts[str(corpus / "controls.txt")] == f"[31mAlert:[0m {ENGLISH}\n{ENGLISH}"  # controls dropped
    assert texts[str(corpus / "deep.html")] == ENGLISH
    assert texts[str(corpus / "scripts.html")] == f"{ENGLISH}\n{ENGLISH}" or FRENCH not in texts[
        str(corpus / "scripts.html")]
    check = dossier_cli("check", "--db", str(db))
    assert check.returncode == 0 and check.stdout.strip().endswith("ok"), check.stdout + check.stderr


def test_edited_file_is_an_update_not_a_second_document(tmp_path: Path) -> None:
    doc = tmp_path / "statement.txt"
    doc.write_text("Mali expelled the French ambassador on Monday.", "utf-8")
    db = str(tmp_path / "e.db")
    assert "1 new" in dossier_cli("ingest", str(doc), "--db", db).stderr
    doc.write_text("Mali expelled the French ambassador on Monday. Sudan shelled Omdurman on Tuesday.", "utf-8")
    done = dossier_cli("ingest", str(doc), "--db", db)
    assert "0 new, 1 updated" in done.stderr
    conn = sqlite3.connect(tmp_path / "e.db")
    assert conn.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM sentences").fetchone() == (2,)
    doc_ids = {d for (d,) in conn.execute("SELECT DISTINCT doc_id FROM events")}
    conn.close()
    assert len(doc_ids) == 1


def test_unreadable_file_among_good_ones_does_not_stop_the_run(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH, "utf-8")
    items = list(iter_documents([tmp_path / ("x" * 400 + ".txt"), good, tmp_path / "a-directory.txt"]))
    assert isinstance(items[0], IngestError) and "File name too long" in items[0].problem
    assert isinstance(items[1], Document)
    assert isinstance(items[2], IngestError) and items[2].problem == "no such file or directory"
