"""Throughput of the whole pipeline on this machine: `make bench`.

Codes a corpus built from the bundled samples and (when present) the shared sample statement,
repeated with distinct ids, first statelessly (parse + code + locate), then through `ingest`
into a fresh SQLite store. Prints documents/s, sentences/s and events/s for each, plus the
one-off load time of models and dictionaries.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus(n: int) -> list[dict[str, str]]:
    texts: list[str] = []
    for p in sorted((ROOT / "samples").glob("*.txt")):
        texts.append(p.read_text(encoding="utf-8"))
    for line in (ROOT / "samples" / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d.get("language", "en") == "en":
            texts.append(d["text"])
    soc = ROOT.parent / "shared" / "samples" / "soc-statement.txt"
    if soc.exists():
        texts.append(soc.read_text(encoding="utf-8"))
    return [{"id": f"bench-{i}", "text": texts[i % len(texts)] + f"\n(item {i})"} for i in range(n)]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=300, help="documents to code")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from dossier.model import Document
    from dossier.pipeline import code_documents, default_coder

    coder = default_coder()
    load = time.perf_counter() - t0
    docs = [Document(id=d["id"], text=d["text"], language="en") for d in corpus(args.n)]
    chars = sum(len(d.text) for d in docs)
    t1 = time.perf_counter()
    coded = list(code_documents(docs, coder))
    dt = time.perf_counter() - t1
    sents = sum(len(c.sentences) for c in coded)
    evs = sum(len(c.events) for c in coded)
    print(f"load models+dictionaries+gazetteer: {load:.1f} s")
    print(f"code (stateless): {len(docs)} docs, {chars / 1e6:.2f} M chars, {sents} sentences, {evs} events "
          f"in {dt:.1f} s = {len(docs) / dt:.1f} docs/s, {sents / dt:.0f} sentences/s")

    from dossier.pipeline import ingest_paths
    from dossier.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps({"id": d.id, "text": d.text, "language": "en"}) + "\n" for d in docs),
                       encoding="utf-8")
        with Store(f"sqlite:///{tmp}/bench.db") as store:
            t2 = time.perf_counter()
            report = ingest_paths([src], store, coder)
            di = time.perf_counter() - t2
            t3 = time.perf_counter()
            again = ingest_paths([src], store, coder)
            dr = time.perf_counter() - t3
    print(f"ingest into SQLite: {report.summary()} in {di:.1f} s = {len(docs) / di:.1f} docs/s")
    print(f"re-ingest (all unchanged): {again.summary()} in {dr:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
