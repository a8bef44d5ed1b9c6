"""Output formats shared by every command that prints events: table, JSONL, CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.table import Table

from .model import ActorMention, Event

FORMATS = ("table", "jsonl", "csv")
CSV_FIELDS = ["event_id", "doc_id", "sentence", "date", "plover", "plover_mode", "cameo", "quad_class",
              "goldstein", "actor", "actor_text", "recipient", "recipient_text", "trigger", "trigger_start",
              "trigger_end", "attributed_to", "negated", "factuality", "parent", "references", "location", "lat", "lon",
              "location_country", "rule", "coder_version"]


def _codes(ms: list[ActorMention] | None) -> str:
    return ";".join(m.code or "" for m in ms or [])


def _texts(ms: list[ActorMention] | None) -> str:
    return ";".join(m.text for m in ms or [])


def csv_row(e: Event) -> dict[str, object]:
    loc = e.location
    return {
        "event_id": e.event_id, "doc_id": e.doc_id, "sentence": e.sentence, "date": e.date or "",
        "plover": e.plover or "", "plover_mode": e.plover_mode or "", "cameo": e.cameo,
        "quad_class": e.quad_class, "goldstein": e.goldstein,
        "actor": _codes(e.actor), "actor_text": _texts(e.actor),
        "recipient": _codes(e.recipient), "recipient_text": _texts(e.recipient),
        "trigger": e.trigger.text, "trigger_start": e.trigger.start, "trigger_end": e.trigger.end,
        "attributed_to": "" if e.attributed_to is None else (_codes(e.attributed_to) or "(unnamed)"),
        "negated": str(e.negated).lower(), "factuality": e.factuality, "parent": e.parent or "",
        "references": ";".join(r.id for r in e.references),
        "location": loc.name if loc else "", "lat": loc.lat if loc and loc.lat is not None else "",
        "lon": loc.lon if loc and loc.lon is not None else "",
        "location_country": (loc.country or "") if loc else "",
        "rule": e.rule, "coder_version": e.coder_version,
    }


def write_events(events: Iterable[Event], fmt: str, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    n = 0
    if fmt == "jsonl":
        for e in events:
            out.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        w = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
        w.writeheader()
        for e in events:
            w.writerow(csv_row(e))
            n += 1
    else:
        table = Table(show_lines=False, header_style="bold")
        for col in ("date", "actor", "plover", "mode", "cameo", "recipient", "trigger", "factuality", "said by",
                    "where", "event"):
            table.add_column(col, overflow="fold")
        for e in events:
            said = "" if e.attributed_to is None else (_codes(e.attributed_to) or "(unnamed)")
            table.add_row(e.date or "", _codes(e.actor), (e.plover or "") + (" (not)" if e.negated else ""),
                          e.plover_mode or "", e.cameo, _codes(e.recipient), e.trigger.text, e.factuality, said,
                          e.location.name if e.location else "", e.event_id)
            n += 1
        Console(file=out, width=160).print(table)
        Console(file=out).print(f"{n} events")
    return n
