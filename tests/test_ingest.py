"""Ingest: every input format, ids, dates, languages and bad inputs, on real files in tmp_path."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import dossier.ingest as ingest
from dossier.errors import IngestError
from dossier.ingest import (
    date_from_text,
    detect_language,
    document_id,
    iter_documents,
    normalize_text,
    parse_date,
    path_id,
    read_jsonl,
)
from dossier.model import Document

SHARED_SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "soc-statement.txt"

ENGLISH = (
    "The President of the Syrian Opposition Coalition sent letters to the foreign ministers of Arab "
    "countries, expressing his concern about recent moves to normalise relations with the Assad regime."
)
FRENCH = (
    "Le président de la Coalition nationale syrienne a envoyé des lettres aux ministres des affaires "
    "étrangères des pays arabes pour exprimer son inquiétude face à la normalisation des relations."
)
ARABIC = (
    "بعث رئيس الائتلاف الوطني السوري رسائل إلى وزراء خارجية الدول العربية وجامعة الدول العربية "
    "أعرب فيها عن قلقه من التحركات الأخيرة لتطبيع العلاقات مع نظام الأسد."
)

ARTICLE_HTML = """<!DOCTYPE html>
<html><head>
<title>Coalition warns against normalisation | SOC News</title>
<meta property="og:title" content="Coalition warns against normalisation">
<meta property="og:url" content="https://example.org/news/normalisation">
<meta property="article:published_time" content="2023-05-04T10:00:00+03:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li>
<li><a href="/donate">Donate to our navigation campaign</a></li></ul></nav>
<article>
<h1>Coalition warns against normalisation</h1>
<p>The President of the Syrian Opposition Coalition sent letters to Arab foreign ministers on
Thursday, expressing concern about moves to normalise relations with the Assad regime.</p>
<p>He said normalisation would not lead to a political solution and urged the full implementation
of Security Council Resolution 2254 and the release of detainees.</p>
</article>
<footer><p>Copyright 2023 SOC Media. All rights reserved. Subscribe to our footer newsletter.</p></footer>
</body></html>
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>SOC News</title><link>https://example.org/</link><language>en-us</language>
<description>Statements</description>
<item>
  <title>Coalition meets UN envoy</title>
  <link>https://example.org/news/1</link>
  <guid>urn:soc:1</guid>
  <pubDate>Thu, 04 May 2023 10:00:00 GMT</pubDate>
  <description>&lt;p&gt;The coalition &lt;b&gt;met&lt;/b&gt; the UN envoy in Geneva to discuss
  the political process.&lt;/p&gt;&lt;p&gt;Talks will continue next week.&lt;/p&gt;</description>
</item>
<item>
  <title>Coalition condemns shelling</title>
  <link>https://example.org/news/2</link>
  <pubDate>Fri, 05 May 2023 08:30:00 GMT</pubDate>
  <description>The coalition condemned the shelling of civilian areas in Idlib by regime forces.</description>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>UN Press</title><id>urn:un:press</id><updated>2023-05-06T00:00:00Z</updated>
<entry>
  <id>urn:un:press:101</id>
  <title>Security Council adopts resolution</title>
  <link href="https://example.org/press/101"/>
  <published>2023-05-03T12:00:00Z</published><updated>2023-05-04T12:00:00Z</updated>
  <content type="html">&lt;p&gt;The Security Council unanimously adopted a resolution on humanitarian
  access to Syria.&lt;/p&gt;</content>
</entry>
<entry>
  <id>urn:un:press:102</id>
  <title>Envoy briefs Council</title>
  <link href="https://example.org/press/102"/>
  <updated>2023-05-05T09:00:00Z</updated>
  <summary>The Special Envoy briefed the Council on the Constitutional Committee.</summary>
</entry>
</feed>
"""


def read_all(*paths: str | Path, **kwargs: int) -> list[Document | IngestError]:
    return list(iter_documents(list(paths), **kwargs))


def only_document(results: list[Document | IngestError]) -> Document:
    assert len(results) == 1, results
    assert isinstance(results[0], Document), results[0]
    return results[0]


def only_error(results: list[Document | IngestError]) -> IngestError:
    assert len(results) == 1, results
    assert isinstance(results[0], IngestError), results[0]
    return results[0]


def write_jsonl(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", "utf-8")
    return path


# -- public surface ----------------------------------------------------------------------------


def test_exported_names_are_the_public_api() -> None:
    assert set(ingest.__all__) == {
        "SUPPORTED_SUFFIXES",
        "DecodeError",
        "ReadOptions",
        "decode_bytes",
        "html_text",
        "path_id",
        "date_from_text",
        "detect_language",
        "document_id",
        "iter_documents",
        "normalize_text",
        "parse_date",
        "read_jsonl",
        "UnchangedInput",
        "input_hash",
        "date_parser_calls",
    }


def test_normalize_text_changes_only_line_ends_trailing_space_and_composition() -> None:
    raw = "  Cafe\u0301 talks \r\nline two\t \rline three  \n\n"
    assert normalize_text(raw) == "Café talks\nline two\nline three"
    assert normalize_text("a  b\n\n\nc") == "a  b\n\n\nc"  # inner spacing kept: offsets point here


# -- plain text --------------------------------------------------------------------------------


def test_txt_document_with_title_line_and_full_text(tmp_path: Path) -> None:
    path = tmp_path / "statement.txt"
    path.write_text(f"Coalition warns against normalisation\n\n{ENGLISH}\n", "utf-8")
    doc = only_document(read_all(path))
    assert doc.title == "Coalition warns against normalisation"
    assert doc.text == f"Coalition warns against normalisation\n\n{ENGLISH}"
    assert doc.origin == str(path)
    assert doc.id == path_id(path) and doc.id.startswith("doc-") and len(doc.id) == 20
    assert doc.language == "en"
    assert doc.source is None and doc.url is None
    assert doc.date is None and doc.date_source is None


def test_txt_bom_and_crlf_are_normalised_and_no_title_without_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfFirst line\r\nSecond line   \r\n")
    doc = only_document(read_all(path))
    assert doc.text == "First line\nSecond line"
    assert doc.title is None


# -- HTML --------------------------------------------------------------------------------------


def test_html_main_text_without_navigation_or_footer(tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_text(ARTICLE_HTML, "utf-8")
    doc = only_document(read_all(path))
    assert "sent letters to Arab foreign ministers" in doc.text
    assert "Resolution 2254" in doc.text
    assert "navigation campaign" not in doc.text
    assert "footer newsletter" not in doc.text
    assert "<p>" not in doc.text
    assert doc.title is not None and doc.title.startswith("Coalition warns against normalisation")
    assert doc.url == "https://example.org/news/normalisation"
    assert (doc.date, doc.date_source) == ("2023-05-04", "metadata")
    assert doc.language == "en"


def test_html_without_main_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.htm"
    path.write_text(
        "<html><head><title>Nothing</title></head><body><script>var x = 1;</script></body></html>"
    )
    err = only_error(read_all(path))
    assert err.origin == str(path)
    assert "no main text found" in err.problem


def test_html_year_alone_in_page_is_not_taken_for_a_date(tmp_path: Path) -> None:
    # htmldate's opportunistic search would turn "Copyright 2021" into 2021-01-01.
    path = tmp_path / "undated.html"
    page = ARTICLE_HTML.replace(
        '<meta property="article:published_time" content="2023-05-04T10:00:00+03:00">', ""
    )
    path.write_text(page.replace("Copyright 2023", "Copyright 2021"), "utf-8")
    doc = only_document(read_all(path))
    assert (doc.date, doc.date_source) == (None, None)


# -- JSON Lines --------------------------------------------------------------------------------


def test_jsonl_records_with_text_and_with_html(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "batch.jsonl",
        [
            {
                "id": "a-1",
                "text": ENGLISH,
                "title": "Letters",
                "date": "May 4, 2023",
                "url": "https://example.org/1",
                "source": "SOC",
                "language": "en-US",
            },
            {"id": 42, "html": ARTICLE_HTML, "source": "SOC"},
        ],
    )
    first, second = read_all(path)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.to_dict() == {
        "id": "a-1",
        "text": ENGLISH,
        "title": "Letters",
        "date": "2023-05-04",
        "date_source": "metadata",
        "url": "https://example.org/1",
        "source": "SOC",
        "language": "en",
        "origin": f"{path}:1",
    }
    assert second.id == "42"
    assert second.origin == f"{path}:2"
    assert "foreign ministers" in second.text and "navigation campaign" not in second.text
    assert second.url == "https://example.org/news/normalisation"  # metadata from the page
    assert (second.date, second.date_source) == ("2023-05-04", "metadata")


def test_jsonl_bad_line_is_reported_with_its_line_number_and_reading_goes_on(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "mixed.jsonl", [{"text": ENGLISH}, "", "{not json", {"text": FRENCH}])
    results = read_all(path)
    assert [type(r) for r in results] == [Document, IngestError, Document]
    err = results[1]
    assert isinstance(err, IngestError)
    assert err.origin == f"{path}:3"
    assert "not valid JSON" in err.problem
    last = results[2]
    assert isinstance(last, Document) and last.origin == f"{path}:4" and last.language == "fr"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ({"id": "x", "title": "No body"}, "neither 'text' nor 'html'"),
        ('["a", "list"]', "expected a JSON object"),
        ({"text": 12}, "'text' must be a string"),
        ({"text": ENGLISH, "date": 20230504}, "'date' must be a string"),
        ({"id": ["x"], "text": ENGLISH}, "'id' must be a string or an integer"),
        ({"text": "   \n  "}, "empty document"),
    ],
)
def test_jsonl_invalid_records(tmp_path: Path, line: object, problem: str) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [line, {"id": "ok", "text": ENGLISH}])
    results = read_all(path)
    assert len(results) == 2
    err, ok = results
    assert isinstance(err, IngestError) and err.origin == f"{path}:1"
    assert problem in err.problem
    assert isinstance(ok, Document) and ok.id == "ok"


def test_jsonl_line_with_invalid_utf8_does_not_stop_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n' + json.dumps({"text": ENGLISH}).encode() + b"\n")
    err, doc = read_all(path)
    assert isinstance(err, IngestError) and err.origin == f"{path}:1" and "UTF-8" in err.problem
    assert isinstance(doc, Document) and doc.origin == f"{path}:2"


def test_read_jsonl_from_a_stream() -> None:
    stream = io.StringIO(json.dumps({"id": "s1", "text": ENGLISH}) + "\n\nnope\n")
    doc, err = read_jsonl(stream)
    assert isinstance(doc, Document) and doc.id == "s1" and doc.origin == "<stdin>:1"
    assert isinstance(err, IngestError) and err.origin == "<stdin>:3"
    named = list(read_jsonl(io.StringIO(json.dumps({"text": ENGLISH})), origin="batch"))
    assert isinstance(named[0], Document) and named[0].origin == "batch:1"


def test_read_jsonl_stream_that_is_not_utf8_ends_with_an_error() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b'{"text": "caf\xe9"}\n'), encoding="utf-8")
    results = list(read_jsonl(stream, origin="pipe"))
    assert len(results) == 1
    assert isinstance(results[0], IngestError) and "not valid UTF-8" in results[0].problem
    assert results[0].origin == "pipe"


# -- feeds -------------------------------------------------------------------------------------


def test_rss_items_become_documents(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text(RSS, "utf-8")
    first, second = read_all(path)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.id == "urn:soc:1"
    assert second.id == "https://example.org/news/2"  # no guid: the link
    assert (first.origin, second.origin) == (f"{path}#item-1", f"{path}#item-2")
    assert first.title == "Coalition meets UN envoy"
    assert (first.date, first.date_source) == ("2023-05-04", "metadata")
    assert second.date == "2023-05-05"
    assert "met the UN envoy in Geneva" in first.text
    assert "Talks will continue next week." in first.text
    assert "<" not in first.text
    assert first.url == "https://example.org/news/1"
    assert first.source == "SOC News"
    assert first.language == "en"


def test_atom_entries_become_documents_from_xml_file(tmp_path: Path) -> None:
    path = tmp_path / "press.xml"
    path.write_text(ATOM, "utf-8")
    first, second = read_all(path)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert (first.id, second.id) == ("urn:un:press:101", "urn:un:press:102")
    assert (
        first.text == "The Security Council unanimously adopted a resolution on humanitarian access to Syria."
    )
    assert first.date == "2023-05-03"  # published, not updated
    assert second.date == "2023-05-05"
    assert second.text.startswith("The Special Envoy briefed")
    assert first.url == "https://example.org/press/101"
    assert second.origin == f"{path}#item-2"


def test_malformed_feed_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("<rss version='2.0'><channel><title>Broken & <<unclosed", "utf-8")
    err = only_error(read_all(path))
    assert err.origin == str(path) and "malformed feed" in err.problem


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "config.xml"
    path.write_text("<?xml version='1.0'?><config><option name='a'>1</option></config>", "utf-8")
    assert "not an RSS or Atom feed" in only_error(read_all(path)).problem
    assert read_all(tmp_path) == []  # met while walking a directory: not ours, skipped


# -- directories -------------------------------------------------------------------------------


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a" / "2.txt").write_text(ENGLISH + " Two.", "utf-8")
    (tmp_path / "a" / "1.txt").write_text(ENGLISH + " One.", "utf-8")
    (tmp_path / "b" / "feed.atom").write_text(ATOM, "utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c", "text": FRENCH}) + "\n", "utf-8")
    (tmp_path / ".secret.txt").write_text(ENGLISH, "utf-8")
    (tmp_path / ".hidden" / "x.txt").write_text(ENGLISH, "utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4 not read")
    (tmp_path / "README").write_text("no extension", "utf-8")

    results = read_all(tmp_path)
    assert all(isinstance(r, Document) for r in results), results
    assert [r.origin for r in results] == [
        str(tmp_path / "a" / "1.txt"),
        str(tmp_path / "a" / "2.txt"),
        f"{tmp_path / 'b' / 'feed.atom'}#item-1",
        f"{tmp_path / 'b' / 'feed.atom'}#item-2",
        f"{tmp_path / 'c.jsonl'}:1",
    ]


# -- ids ---------------------------------------------------------------------------------------


def test_file_ids_follow_the_path_not_the_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("The council met.\nIt adopted a text.", "utf-8")
    (tmp_path / "b.txt").write_text("The council met.\nIt adopted a text.", "utf-8")
    one, two = read_all(tmp_path)
    assert isinstance(one, Document) and isinstance(two, Document)
    assert one.id == path_id(tmp_path / "a.txt") and two.id == path_id(tmp_path / "b.txt") and one.id != two.id
    (tmp_path / "a.txt").write_text("The council met. It rejected a text.", "utf-8")  # an edit: same document
    monkeypatch.chdir(tmp_path)
    edited = only_document(read_all(Path("a.txt")))  # named relative to another directory: same document
    assert edited.id == one.id and "rejected" in edited.text


def test_records_without_id_get_one_from_their_text(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [{"text": "The council met.\nIt adopted a text."},
                                               {"text": "  The council   met.\r\n\r\nIt adopted\ta text.  "}])
    one, two = read_all(path)
    assert isinstance(one, IngestError) is False and isinstance(two, IngestError)  # same text: repeated id
    assert isinstance(one, Document) and one.id == document_id("THE COUNCIL MET. IT ADOPTED A TEXT.")
    assert two.origin == f"{path}:2" and "repeated (first on line 1)" in two.problem


def test_given_ids_are_kept(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "ids.jsonl", [{"id": "AFP-2023-0504", "text": ENGLISH}, {"id": 7, "text": ENGLISH}]
    )
    assert [r.id for r in read_all(path) if isinstance(r, Document)] == ["AFP-2023-0504", "7"]


# -- dates -------------------------------------------------------------------------------------


def test_metadata_date_wins_over_text_date_and_text_date_is_used_otherwise(tmp_path: Path) -> None:
    dated_text = f"DAMASCUS, May 4, 2023 (AFP) – {ENGLISH}"
    path = write_jsonl(
        tmp_path / "dates.jsonl",
        [
            {"id": "m", "text": dated_text, "date": "2023-06-01"},
            {"id": "t", "text": dated_text},
            {"id": "g", "text": dated_text, "date": "not a date"},
            {"id": "n", "text": ENGLISH + " Resolution 2254 was adopted in 2015."},
        ],
    )
    meta, text, garbage, none = read_all(path)
    assert isinstance(meta, Document) and (meta.date, meta.date_source) == ("2023-06-01", "metadata")
    assert isinstance(text, Document) and (text.date, text.date_source) == ("2023-05-04", "text")
    assert isinstance(garbage, Document) and (garbage.date, garbage.date_source) == ("2023-05-04", "text")
    assert garbage.warnings == ["date 'not a date' is not a full calendar date; ignored"] and not meta.warnings
    assert isinstance(none, Document) and (none.date, none.date_source) == (None, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-05-04", "2023-05-04"),
        ("2023-05-04T23:30:00-05:00", "2023-05-04"),
        ("Tue, 04 May 2023 10:00:00 GMT", "2023-05-04"),
        ("May 4, 2023", "2023-05-04"),
        ("4 May 2023", "2023-05-04"),
        ("garbage", None),
        ("today", None),
        ("2 days ago", None),
        ("2023", None),
        ("May 2023", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "DAMASCUS, May 4, 2023 (AFP) – The Syrian government said on Thursday that talks resumed.",
            "2023-05-04",
        ),
        ("Published: 4 May 2023\n\nThe coalition said it would attend the talks.", "2023-05-04"),
        ("On 4 May 2023, the coalition met the envoy.", "2023-05-04"),
        ("The coalition called for the implementation of Resolution 2254 and Resolution 2118.", None),
        ("The Geneva Communique of 2012 remains the basis; 2254 and 2118 apply.", None),
        ("Talks resumed in May 2023 and will continue on 12 June.", None),
        ("On May 4, 23 people were killed in shelling.", None),  # no four-digit year
        ("Security Council resolution 2254 of 18 December 2015 endorsed a road map.", None),
        ("Elections are planned for 4 May 2999 under the new constitution.", None),
    ],
)
def test_date_from_text(text: str, expected: str | None) -> None:
    assert date_from_text(text) == expected


def test_date_from_text_reads_the_end_but_not_the_middle() -> None:
    filler = "The council discussed the situation at length. " * 30  # well past the first 600 chars
    assert date_from_text(filler + "Published on 4 May 2023.") == "2023-05-04"
    assert date_from_text(filler + "On 4 May 2023 the envoy spoke. " + filler) is None


# -- language ----------------------------------------------------------------------------------


def test_detect_language() -> None:
    assert detect_language(ENGLISH) == "en"
    assert detect_language(FRENCH) == "fr"
    assert detect_language(ARABIC) == "ar"
    assert detect_language("OK, 2254.") == "en"  # too few letters to tell: the prior
    assert detect_language("OK, 2254.", prior=None) is None


def test_metadata_language_wins_over_detection(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "lang.jsonl",
        [{"text": ENGLISH, "language": "fr-FR"}, {"text": ARABIC}, {"text": FRENCH, "language": "??"}],
    )
    assert [r.language for r in read_all(path) if isinstance(r, Document)] == ["fr", "ar", "fr"]


# -- bad inputs --------------------------------------------------------------------------------


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    err = only_error(read_all(path))
    assert err.origin == str(path) and "binary" in err.problem


def test_file_larger_than_max_bytes_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(ENGLISH * 10, "utf-8")
    err = only_error(read_all(path, max_bytes=100))
    assert "larger than 100 bytes" in err.problem
    only_document(read_all(path, max_bytes=10_000))


def test_missing_path_is_an_error_and_the_run_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH, "utf-8")
    missing, doc = read_all(tmp_path / "missing.txt", good)
    assert isinstance(missing, IngestError) and "no such file" in missing.problem
    assert missing.origin == str(tmp_path / "missing.txt")
    assert isinstance(doc, Document)


def test_explicit_file_of_unsupported_type_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    err = only_error(read_all(path))
    assert "unsupported file type '.pdf'" in err.problem


def test_legacy_encoded_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le président a déclaré que le gouvernement français refuse.".encode("cp1252"))
    assert only_document(read_all(path)).text == "Le président a déclaré que le gouvernement français refuse."


def test_empty_text_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\n", "utf-8")
    assert "empty file" in only_error(read_all(path)).problem


# -- the shared sample -------------------------------------------------------------------------


def test_shared_sample_statement_is_one_english_document() -> None:
    if not SHARED_SAMPLE.exists():
        pytest.skip("../shared not present")
    doc = only_document(read_all(SHARED_SAMPLE))
    assert doc.language == "en"
    assert doc.text.startswith("The President of the Syrian Opposition Coalition (SOC)")
    assert doc.text.endswith("(Source: SOC’s Media Department)")
    assert doc.date is None  # "Resolutions 2118 and 2254" and "2012" are not dates
    assert doc.id == path_id(SHARED_SAMPLE)


def test_unchanged_reingest_parses_no_date_and_identifies_no_language(tmp_path: Path, coder) -> None:
    from dossier.ingest import date_parser_calls
    from dossier.pipeline import ingest_paths
    from dossier.store import Store

    records = [{"id": f"d{i}", "date": f"May {i + 1}, 2023", "text": f"Protesters gathered in Kyiv on day {i}."}
               for i in range(4)] + [{"id": "undated", "text": "Published 4 June 2022. Officials met in Cairo."}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    def calls() -> int:
        return sum(date_parser_calls().values())

    with Store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        before = calls()
        first = ingest_paths([src], store, coder=coder)
        assert first.new == 5 and calls() > before
        assert store.get_document("undated").date == "2022-06-04"
        before = calls()
        again = ingest_paths([src], store, coder=coder)
        assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
        assert calls() == before  # known before any date was parsed (or language identified)
        records[2]["date"] = "2023-06-30"  # one input changed: only it is read through
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        third = ingest_paths([src], store, coder=coder)
        assert (third.updated, third.unchanged) == (1, 4) and calls() == before + 1
        assert store.get_document("d2").date == "2023-06-30"
    with Store(f"sqlite:///{tmp_path / 'x.db'}") as store, store._engine.begin() as conn:  # as stored before hashes
        conn.exec_driver_sql("UPDATE documents SET input_hash = NULL")
    with Store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        before = calls()
        assert ingest_paths([src], store, coder=coder).unchanged == 5 and calls() > before
        before = calls()
        assert ingest_paths([src], store, coder=coder).unchanged == 5 and calls() == before


@pytest.mark.parametrize("kept", [1_000, 1])
def test_a_document_read_twice_into_an_empty_store_is_found_unchanged_past_the_ids_kept(tmp_path: Path, coder,
                                                                                       monkeypatch, kept) -> None:
    # an ingest into an empty store remembers the ids it saved up to pipeline.FRESH_IDS_KEPT, then asks the store:
    # either way a document read a second time (another file) is found stored unchanged
    from dossier import pipeline
    from dossier.store import Store

    monkeypatch.setattr(pipeline, "FRESH_IDS_KEPT", kept)
    records = [{"id": f"d{i}", "text": f"Protesters gathered in Kyiv on day {i}."} for i in range(4)]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(records[0]) + "\n", encoding="utf-8")
    with Store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        report = pipeline.ingest_paths([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], store, coder=coder,
                                       batch_size=2)
    assert (report.new, report.unchanged, report.updated) == (4, 1, 0)
