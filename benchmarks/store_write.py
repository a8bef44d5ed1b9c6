"""Time `Store.save` of synthetic coded documents (10 events each, batches of 32) on any store URL.

    .venv/bin/python benchmarks/store_write.py postgresql+psycopg://USER@HOST/DB 1000

Used to compare the batch write paths (COPY on PostgreSQL); the database should be empty.
"""

from __future__ import annotations

import sys
import time

from dossier.model import ActorMention, CodedDocument, Document, Event, Span
from dossier.store import Store

SENTENCE = "Sentence {i}: Syria's government condemned the United States."


def documents(n: int, per: int = 10) -> list[CodedDocument]:
    out = []
    for d in range(n):
        date = f"2024-01-{1 + d % 28:02d}"
        parts = [SENTENCE.format(i=i) for i in range(per)]
        text = " ".join(parts)
        sents, evs, pos = [], [], 0
        for i, s in enumerate(parts):
            start = text.index(s, pos)
            pos = start + len(s)
            sents.append(Span(s, start, pos))
            actor = ActorMention("Syria's government", "SYRGOV", "SYR", "GOV", start + 13, start + 31)
            recipient = ActorMention("the United States", "USA", "USA", None, start + 42, start + 59)
            evs.append(Event(doc_id=f"w{d}", sentence=i, plover="ACCUSE", plover_mode=None, cameo="112", quad_class=4,
                             goldstein=-2.0, actor=[actor], recipient=[recipient],
                             trigger=Span("condemned", start + 32, start + 41), rule="r", coder_version="bench",
                             date=date, attributed_to=None, negated=False, explain={"rule": "r"}))
        out.append(CodedDocument(Document(id=f"w{d}", text=text, date=date), sents, evs))
    return out


def main(argv: list[str]) -> int:
    url, n = argv[0], int(argv[1]) if len(argv) > 1 else 1000
    batch = documents(n)
    with Store(url) as store:
        t = time.perf_counter()
        for i in range(0, n, 32):
            store.save(batch[i:i + 32])
        print(f"{n} documents, {sum(len(c.events) for c in batch)} events saved in {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
