"""A small corpus for the API and browser tests: the project's samples plus documents about
Saudi Arabia and the Syrian government spread over months, and one document full of markup."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RELATIONS = [
    ("rel-2023-01", "2023-01-15", "Saudi Arabia condemned the Syrian government for the shelling of Idlib."),
    ("rel-2023-02", "2023-02-10", "Saudi Arabia sent humanitarian aid to the Syrian government after the earthquake."),
    ("rel-2023-03", "2023-03-22",
     "Saudi Arabia agreed to reopen its embassy in Damascus and to restore relations with the Syrian government."),
    ("rel-2023-04", "2023-04-18", "The Saudi foreign minister met President Bashar al-Assad in Damascus."),
    ("rel-2023-05", "2023-05-07", "The Syrian government praised Saudi Arabia for its support in Riyadh."),
    ("rel-2023-06", "2023-06-30", "Human Rights Watch accused the Syrian government of torturing detainees in Homs."),
    ("ref-2023-08", "2023-08-12", "France urged Iran to respect Resolution 2231."),
]

MARKUP_TITLE = '<script>window.__pwned = 1</script><b>bold</b> title'
MARKUP_TEXT = ('<img src=x onerror="window.__pwned=2"> Turkish troops attacked Kurdish fighters in Afrin '
               'on Monday. <script>window.__pwned = 3</script>')
MARKUP_URL = 'javascript:window.__pwned=4'


def write_corpus(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    lines = [{"id": i, "date": d, "title": f"Relations {d[:7]}", "source": "test wire", "text": t,
              "url": f"https://example.org/{i}"} for i, d, t in RELATIONS]
    lines.append({"id": "markup", "date": "2023-07-01", "title": MARKUP_TITLE, "text": MARKUP_TEXT,
                  "url": MARKUP_URL, "language": "en"})
    path = directory / "seed.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return [ROOT / "samples", path]


def seed(url: str, directory: Path, coder: object) -> None:
    from dossier.pipeline import ingest_paths
    from dossier.store import Store

    with Store(url) as store:
        report = ingest_paths(write_corpus(directory), store, coder=coder)  # type: ignore[arg-type]
        assert report.ok, report.failed
