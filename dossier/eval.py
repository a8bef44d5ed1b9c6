"""Scoring coded events against PLOVER gold-standard records.

Gives the same figures as the shared benchmark scorer (`score_plover.py`): gold labels are
PLOVER 0.5b1 and are mapped to 0.8 (DEMAND->REQUEST, DISAPPROVE->ACCUSE, INVESTIGATE->ACCUSE,
FIGHT->ASSAULT); actors are compared on their first three letters.
  type  share of records where some event of the sentence has the gold type
  dyad  ... and that event has a gold source prefix among its actors and, where the gold names a
        target, a gold target prefix among its recipients
  epr   events printed per record
Only events the text states as having happened count, as hits and in epr: factuality absent,
`asserted`, `reported` or `alleged`, and not negated (a demanded, planned or denied act is no event yet).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import DossierError
from .model import HAPPENED, Document, Event

TYPE_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
CODE_MAP = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


def gold_records(path: str | Path) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as exc:
        raise DossierError(f"{path}: cannot read gold file ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise DossierError(f"{path}: not a JSON file (line {exc.lineno})") from exc
    if not isinstance(data, list):
        raise DossierError(f"{path}: expected a JSON list of PLOVER records")
    return [r for r in data if isinstance(r, dict) and r.get("event") != "DOCUMENT" and r.get("text")]


def gold_doc_id(record: dict[str, Any]) -> str:
    """Opaque per-record document id (the gold id names the answer, so the coder never sees it)."""
    return "gsr-" + hashlib.sha1(str(record["id"]).encode()).hexdigest()[:12]


def gold_documents(records: Iterable[dict[str, Any]]) -> list[Document]:
    return [Document(id=gold_doc_id(r), text=r["text"], date=r.get("date"), language="en") for r in records]


def _prefixes(actors: Any) -> set[str]:
    if not isinstance(actors, list):
        return set()
    out = set()
    for a in actors:
        code = (a.get("code") or "").upper()[:3] if isinstance(a, dict) else ""
        if code:
            out.add(CODE_MAP.get(code, code))
    return out


def _happened(d: dict[str, Any]) -> bool:
    return not d.get("negated") and d.get("factuality", "asserted") in HAPPENED


def score(records: list[dict[str, Any]], events: Iterable[Event | dict[str, Any]]) -> dict[str, Any]:
    wanted = {gold_doc_id(r) for r in records}
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    total = 0
    for e in events:
        d = e.to_dict() if isinstance(e, Event) else e
        if d.get("doc_id") in wanted and _happened(d):
            by_doc[d["doc_id"]].append(d)
            total += 1
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    type_hits = dyad_hits = 0
    for r in records:
        want = TYPE_MAP.get(r["event"], r["event"])
        src, tgt = _prefixes(r.get("source")), _prefixes(r.get("target"))
        typed = [e for e in by_doc[gold_doc_id(r)] if e.get("plover") == want]
        t_hit = bool(typed)
        d_hit = any((_prefixes(e.get("actor")) & src) and (not tgt or _prefixes(e.get("recipient")) & tgt)
                    for e in typed)
        type_hits += t_hit
        dyad_hits += d_hit
        row = per_type[want]
        row[0] += 1
        row[1] += t_hit
        row[2] += d_hit
    n = len(records) or 1
    return {
        "records": len(records),
        "type": round(type_hits / n, 4),
        "dyad": round(dyad_hits / n, 4),
        "epr": round(total / n, 4),
        "per_type": {k: {"records": v[0], "type": round(v[1] / v[0], 3), "dyad": round(v[2] / v[0], 3)}
                     for k, v in sorted(per_type.items())},
    }
