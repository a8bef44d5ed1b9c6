"""Geoparse the GeoWebNews development articles and score them with the shared scorer.

    .venv/bin/python benchmarks/geo_eval.py [GOLD.xml] [--out places.jsonl]

Prints the scorer's line (found, acc161, median_km, extra_per_doc) and the timings:
gazetteer load (or build, on a cold cache) and documents per second.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "benchmarks" / "geowebnews-dev.xml"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="?", default=str(DEFAULT_GOLD))
    ap.add_argument("--out", help="where to write the places JSONL (default: a temporary file)")
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args(argv)
    gold = Path(args.gold)
    if not gold.is_file():
        sys.exit(f"gold file not found: {gold} (GeoWebNews dev XML from the shared benchmarks)")
    scorer = gold.with_name("score_geo.py")
    if not scorer.is_file():
        sys.exit(f"scorer not found: {scorer}")

    inp = subprocess.run(
        [sys.executable, str(scorer), "input", str(gold)], check=True, capture_output=True, text=True
    ).stdout
    docs = [json.loads(line) for line in inp.splitlines() if line.strip()]

    from dossier.geo import Gazetteer, geoparse_texts, place_record
    from dossier.nlp import load_nlp

    t0 = time.perf_counter()
    Gazetteer.load()
    t_gaz = time.perf_counter() - t0
    nlp = load_nlp()
    out = Path(args.out) if args.out else Path(tempfile.mkstemp(suffix=".jsonl")[1])
    t0 = time.perf_counter()
    n_places = 0
    with open(out, "w", encoding="utf-8") as f:
        for doc_id, places in geoparse_texts(
            ((d["id"], d["text"]) for d in docs), nlp=nlp, batch_size=args.batch_size
        ):
            for p in places:
                row = place_record(doc_id, p)
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                n_places += 1
    elapsed = time.perf_counter() - t0
    print(
        f"gazetteer ready in {t_gaz:.2f}s; {len(docs)} docs, {n_places} places in {elapsed:.1f}s "
        f"({len(docs) / elapsed:.1f} docs/s incl. parsing); places in {out}"
    )
    return subprocess.run([sys.executable, str(scorer), "score", str(gold), str(out)]).returncode


if __name__ == "__main__":
    sys.exit(main())
