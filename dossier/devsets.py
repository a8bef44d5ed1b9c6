"""Development sets, each cut into a tune half and a check half by one fixed rule, and their scores.

The rule is the shared scorers' (`score_synthetic.py --half`, `score_conflibert.py --half`): a record
whose text has an odd SHA-1 is in `check`, otherwise in `tune`. Misses are read only in `tune`; a
change is kept only if `check` gains too. Held-out halves of the same data are scored elsewhere.

Sets (read from the shared benchmarks folder, never copied into the project):
  plover      PLOVER gold records (type, dyad, epr)                       scored here, as score_plover.py
  conflibert  ConfliBERT train: real sentences, PentaClass + actor spans  score_conflibert.py
  headlines   NGEC synthetic headlines (type, source, epr)                score_synthetic.py
  stories     NGEC synthetic wire stories (recall, top, events/story)     score_synthetic.py
  petrarch    PETRARCH2 unit-test records with their fictional actors     scored here (root, dyad)
  geo         GeoWebNews articles (found, acc161)                         score_geo.py

Parses are cached on disk (`~/.cache/dossier/parses/`), keyed by the pipeline and the exact text
parsed: coding is a pure function of (document, parse, resources), so a rule change re-codes in
seconds. The cache never changes a result; delete the folder to re-parse.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Document, Event

HALVES = ("tune", "check")


def half(text: str) -> str:
    """The fixed split: 'check' when the SHA-1 of the text is odd, else 'tune'."""
    return "check" if int(hashlib.sha1(text.encode()).hexdigest(), 16) % 2 else "tune"


def shared_dir() -> Path:
    env = os.environ.get("DOSSIER_SHARED")
    return Path(env) if env else Path(__file__).resolve().parent.parent.parent / "shared"


def bench_dir() -> Path:
    return shared_dir() / "benchmarks"


# ---------------------------------------------------------------------------------- parse cache
class CachedNLP:
    """A spaCy pipeline whose `pipe` results are kept on disk by exact text (DocBin per cache file)."""

    def __init__(self, nlp: Any, name: str) -> None:
        from spacy.tokens import DocBin

        self._nlp = nlp
        meta = nlp.meta
        key = f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}-{'+'.join(nlp.pipe_names)}"
        folder = Path(os.environ.get("DOSSIER_CACHE", Path.home() / ".cache" / "dossier")) / "parses" / key
        folder.mkdir(parents=True, exist_ok=True)
        self._path = folder / f"{name}.spacy"
        self._docs: dict[str, Any] = {}
        self._new: list[Any] = []
        if self._path.exists():
            try:
                for d in DocBin().from_disk(self._path).get_docs(nlp.vocab):
                    self._docs[d.text] = d
            except Exception:  # a damaged cache is re-parsed, never trusted
                self._docs = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nlp, name)

    def __call__(self, text: str) -> Any:
        return next(iter(self.pipe([text])))

    def pipe(self, texts: Iterable[str], batch_size: int = 64, **kw: Any) -> Iterator[Any]:
        texts = list(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in self._docs))
        if missing:
            for t, d in zip(missing, self._nlp.pipe(missing, batch_size=batch_size), strict=True):
                self._docs[t] = d
                self._new.append(d)
        for t in texts:
            yield self._docs[t]

    def save(self) -> None:
        if not self._new:
            return
        from spacy.tokens import DocBin

        db = DocBin(docs=self._docs.values())
        tmp = self._path.with_suffix(f".{os.getpid()}.tmp")  # several evaluations may share the cache
        db.to_disk(tmp)
        tmp.replace(self._path)
        self._new = []


# ---------------------------------------------------------------------------------- sets
@dataclass
class SetResult:
    name: str
    figures: dict[str, dict[str, float]] = field(default_factory=dict)  # half ("all", "tune", "check") -> figures
    notes: list[str] = field(default_factory=list)


_NUM = re.compile(r"(\w+)=([0-9.]+)")


def _figures(line: str) -> dict[str, float]:
    return {k: float(v) for k, v in _NUM.findall(line)}


def _run_scorer(args: list[str]) -> list[str]:
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True).stdout
    return [ln for ln in out.splitlines() if ln.strip()]


def _scorer_input(args: list[str]) -> list[dict[str, Any]]:
    return [json.loads(ln) for ln in _run_scorer(args)]


def _write_events(events: Iterable[Event], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")


CodeFn = Callable[[list[Document]], list[Event]]


def run_plover(code: CodeFn, limit: int | None = None) -> SetResult:
    from .eval import gold_documents, gold_records, score

    records = gold_records(bench_dir() / "plover-gsr-dev.json")[:limit]
    events = code(gold_documents(records))
    res = SetResult("plover")
    res.figures["all"] = {k: v for k, v in score(records, events).items() if k != "per_type"}
    for h in HALVES:
        sub = [r for r in records if half(r["text"]) == h]
        res.figures[h] = {k: v for k, v in score(sub, events).items() if k != "per_type"}
    return res


def _docs_from_input(rows: list[dict[str, Any]]) -> list[Document]:
    return [Document(id=r["id"], text=r["text"], language="en") for r in rows]


def run_conflibert(code: CodeFn, limit: int | None = None) -> SetResult:
    base = bench_dir() / "conflibert-cameo-train"
    scorer = str(bench_dir() / "score_conflibert.py")
    cls, spans = str(base / "class-train.tsv"), str(base / "spans-train.txt")
    docs = _docs_from_input(_scorer_input([scorer, "input", cls, spans]))[:limit]
    res = SetResult("conflibert")
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "events.jsonl"
        _write_events(code(docs), pred)
        for h in ("all", *HALVES):
            extra = [] if h == "all" else ["--half", h]
            res.figures[h] = _figures(_run_scorer([scorer, "score", cls, spans, str(pred), *extra])[-1])
    return res


def _run_synthetic(kind: str, file: str, code: CodeFn, limit: int | None) -> SetResult:
    scorer = str(bench_dir() / "score_synthetic.py")
    path = str(bench_dir() / file)
    docs = _docs_from_input(_scorer_input([scorer, "input", kind, path]))[:limit]
    res = SetResult(kind)
    if limit:
        res.notes.append(f"first {len(docs)} records only")
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "events.jsonl"
        _write_events(code(docs), pred)
        if limit:  # score the coded records only: a truncated copy of the CSV (fills depend on row index only)
            import csv

            with open(path, encoding="utf-8", newline="") as f:
                rows = list(csv.reader(f))
            path = str(Path(tmp) / Path(file).name)
            with open(path, "w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows(rows[: len(docs) + 1])
        for h in ("all", *HALVES):
            extra = [] if h == "all" else ["--half", h]
            res.figures[h] = _figures(_run_scorer([scorer, "score", kind, path, str(pred), *extra])[-1])
    return res


def run_headlines(code: CodeFn, limit: int | None = None) -> SetResult:
    return _run_synthetic("headlines", "ngec-synthetic-headlines.csv", code, limit)


def run_stories(code: CodeFn, limit: int | None = None) -> SetResult:
    return _run_synthetic("stories", "ngec-synthetic-stories.csv", code, limit)


def run_geo(parse: Any, limit: int | None = None) -> SetResult:
    from .geo import Geoparser, place_record

    gold = bench_dir() / "geowebnews-dev.xml"
    scorer = str(bench_dir() / "score_geo.py")
    rows = _scorer_input([scorer, "input", str(gold)])[:limit]
    geoparser = Geoparser()
    res = SetResult("geo")
    tree = ET.parse(gold)
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "places.jsonl"
        with open(pred, "w", encoding="utf-8") as f:
            for r, doc in zip(rows, parse.pipe([r["text"] for r in rows]), strict=True):
                for p in geoparser.places(doc):
                    f.write(json.dumps(place_record(r["id"], p), ensure_ascii=False) + "\n")
        text_half = {r["text"]: half(r["text"]) for r in rows}
        for h in ("all", *HALVES):
            root = ET.fromstring(ET.tostring(tree.getroot()))
            for parent in root.iter():
                for art in [a for a in parent if a.tag == "article"]:
                    t = art.findtext("text") or ""
                    if t not in text_half or (h != "all" and text_half[t] != h):
                        parent.remove(art)
            g = Path(tmp) / f"gold-{h}.xml"
            ET.ElementTree(root).write(g, encoding="utf-8")
            lines = _run_scorer([scorer, "score", str(g), str(pred)])
            res.figures[h] = _figures(lines[-1])
    return res


# ---------------------------------------------------------------------------------- PETRARCH records
def petrarch_records() -> list[dict[str, Any]]:
    """PETRARCH2's unit-test sentences: text and expected (source, target, CAMEO) codings."""
    path = bench_dir() / "petr-unit-tests" / "PETR.UnitTest.records.xml"
    raw = path.read_text(encoding="utf-8", errors="replace")
    out = []
    for m in re.finditer(r"<Sentence\b([^>]*)>(.*?)</Sentence>", raw, re.S):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        body = m.group(2)
        text_m = re.search(r"<Text>(.*?)</Text>", body, re.S)
        if not text_m:
            continue
        text = " ".join(text_m.group(1).split())
        codings = [dict(re.findall(r'(\w+)="([^"]*)"', c)) for c in re.findall(r"<EventCoding\b([^>]*)>", body)]
        codings = [c for c in codings if c.get("eventcode")]
        if not text or "noevents" in body.lower() and not codings:
            codings = []
        out.append({"id": attrs.get("id", ""), "text": text, "codings": codings, "category": attrs.get("category"),
                    "date": _petrarch_date(attrs.get("date", ""))})
    return out


def _petrarch_date(raw: str) -> str | None:
    """A PETRARCH date (YYYYMMDD, or YYMMDD for 19YY) as ISO YYYY-MM-DD; None when it is no such date."""
    raw = raw.strip()
    if re.fullmatch(r"\d{6}", raw):
        raw = "19" + raw
    if not re.fullmatch(r"\d{8}", raw):
        return None
    return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"


def petrarch_actor_files(tmp: Path) -> list[Path]:
    """PETRARCH's fictional actors (ARN, GON, ...) as Dossier actor files, so its syntax tests can be coded.

    An entry is a name line (`GONDOR [GON]`), synonyms (`+MINAS_TIRITH`) and, indented, codes restricted by date
    (`[HOB < 950601]`, `[HOBGOV 19950601 - 19990815]`, `[HOBREB > 990816]`) or a default (`[DOL]`). Entries with a
    single code go to a groups file; entries with dated codes to a people file, one row per dated code with its
    validity, then the default (which the dated rows, read first, override where they hold)."""
    src = bench_dir() / "petr-unit-tests" / "PETR.Validate.actors.txt"
    groups = ["# derived at evaluation time from PETR.Validate.actors.txt (fictional test actors)", "code\tnames\tnote"]
    people = ["# derived at evaluation time from PETR.Validate.actors.txt (date-restricted test actors)",
              "name\tcode\tstart\tend\tnote"]
    names: list[str] = []
    default: str | None = None
    dated: list[tuple[str, str | None, str | None]] = []

    def flush() -> None:
        if not names:
            return
        surfaces = "|".join(dict.fromkeys(names))
        for code, start, end in dated:
            if code != "---":
                people.append(f"{surfaces}\t{code}\t{start or ''}\t{end or ''}\t")
        if default and default != "---":
            if dated:
                people.append(f"{surfaces}\t{default}\t\t\t")
            else:
                groups.append(f"{default}\t{surfaces}\t")

    for raw in src.read_text(encoding="utf-8", errors="replace").splitlines():
        line = re.sub(r"<!--.*?-->", "", raw.split("#")[0]).rstrip()
        block = re.match(r"^\s+\[\s*~?([A-Za-z0-9-]+)\s*([^\]]*)\]", line)
        if block and names:
            code, cond = block.group(1).upper(), block.group(2).replace(" ", "")
            rng = re.fullmatch(r"(\d{6,8})-(\d{6,8})", cond)
            if cond.startswith("<"):
                dated.append((code, None, _petrarch_date(cond[1:])))
            elif cond.startswith(">"):
                dated.append((code, _petrarch_date(cond[1:]), None))
            elif rng:
                dated.append((code, _petrarch_date(rng.group(1)), _petrarch_date(rng.group(2))))
            else:
                default = code
            continue
        m = re.match(r"^\s*(\+?)([A-Za-z0-9_'&.\-]+(?: [A-Za-z0-9_'&.\-]+)*)\s*(?:\[([^\]]*)\])?", line)
        if not m:
            continue
        word = m.group(2).replace("_", " ").strip().title()
        bracket = (m.group(3) or "").strip()
        if m.group(1):
            names.append(word)
            continue
        flush()
        names, dated = [word], []
        default = bracket.split()[0].lstrip("~").upper() if bracket else None
    flush()
    out = tmp / "groups-petrarch.tsv"
    out.write_text("\n".join(groups) + "\n", encoding="utf-8")
    dated_out = tmp / "people-petrarch.tsv"
    dated_out.write_text("\n".join(people) + "\n", encoding="utf-8")
    return [out, dated_out]


def run_petrarch(code: CodeFn, limit: int | None = None) -> SetResult:
    records = [r for r in petrarch_records() if r["codings"]][:limit]
    # each record is coded at its own date: the test actors' codes are restricted by date
    docs = [Document(id=f"petr-{i:04d}", text=r["text"], date=r["date"] or "1995-01-01", language="en")
            for i, r in enumerate(records)]
    events = code(docs)
    # the records test syntax (who did what to whom), and PETRARCH codes planned and demanded acts as events:
    # every event not negated counts, whatever its factuality
    by_doc: dict[str, list[Event]] = {}
    for e in events:
        if not e.negated:
            by_doc.setdefault(e.doc_id, []).append(e)
    res = SetResult("petrarch")
    for h in ("all", *HALVES):
        n = root_hits = pair_hits = dyad_hits = total = 0
        for d, r in zip(docs, records, strict=True):
            if h != "all" and half(r["text"]) != h:
                continue
            evs = by_doc.get(d.id, [])
            n += 1
            total += len(evs)
            c = r["codings"][0]
            src, tgt = c.get("sourcecode", "")[:3], c.get("targetcode", "")[:3]

            def pair(e: Event, src: str = src, tgt: str = tgt) -> bool:
                return (any((a.code or "")[:3] == src for a in e.actor)
                        and (tgt in ("", "---") or any((a.code or "")[:3] == tgt for a in e.recipient)))

            typed = [e for e in evs if e.cameo[:2] == c["eventcode"][:2]]
            root_hits += bool(typed)
            pair_hits += any(pair(e) for e in evs)
            dyad_hits += any(pair(e) for e in typed)
        # the records' verb codes come from PETRARCH's own test dictionary (not always CAMEO's), so the
        # syntax figure is `pair`: some event links the gold source to the gold target, whatever its code
        m = max(n, 1)
        res.figures[h] = {"records": n, "pair": round(pair_hits / m, 4), "root": round(root_hits / m, 4),
                          "dyad": round(dyad_hits / m, 4), "epr": round(total / m, 4)}
    return res


SETS = ("plover", "conflibert", "headlines", "stories", "petrarch", "geo")
HEADLINE = {"plover": "type", "conflibert": "penta_acc", "headlines": "type", "stories": "recall",
            "petrarch": "pair", "geo": "acc161"}


def evaluate(names: Iterable[str] = SETS, limits: dict[str, int] | None = None,
             progress: Callable[[str], None] | None = None) -> list[SetResult]:
    """Code and score each named set; the coder and the parse caches load once."""
    from .coding import Coder
    from .nlp import load_nlp
    from .pipeline import default_coder

    limits = limits or {}
    base = default_coder()
    nlp = load_nlp()
    results = []
    for name in names:
        if progress:
            progress(name)
        cached = CachedNLP(nlp, name)
        if name == "geo":
            results.append(run_geo(cached, limits.get(name)))
            cached.save()
            continue
        if name == "petrarch":
            from .coding import load_resources

            with tempfile.TemporaryDirectory() as tmp:  # the actor file is read once, at load
                res = load_resources(extra_actor_files=tuple(str(p) for p in petrarch_actor_files(Path(tmp))))
            coder = Coder(nlp=cached, resources=res, geoparser=base.geoparser, place_country=base.place_country,
                          is_place=base.is_place)
        else:
            coder = Coder(nlp=cached, resources=base.res, geoparser=base.geoparser, place_country=base.place_country,
                          is_place=base.is_place)

        def code(docs: list[Document], coder: Coder = coder) -> list[Event]:
            return [e for c in coder.code_many(docs, batch_size=64) for e in c.events]

        runner = {"plover": run_plover, "conflibert": run_conflibert, "headlines": run_headlines,
                  "stories": run_stories, "petrarch": run_petrarch}[name]
        results.append(runner(code, limits.get(name)))
        cached.save()
    return results


def format_results(results: list[SetResult]) -> str:
    lines = []
    for r in results:
        for h in ("all", *HALVES):
            f = r.figures.get(h, {})
            body = " ".join(f"{k}={v:g}" for k, v in f.items())
            lines.append(f"{r.name:<11} {h:<6} {body}")
        for n in r.notes:
            lines.append(f"{'':<11} note: {n}")
    return "\n".join(lines)
