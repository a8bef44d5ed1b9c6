"""Time re-ingesting an unchanged corpus (`ingest_paths`, the coder loaded first and not timed), three times.

    .venv/bin/python benchmarks/reingest.py CORPUS.jsonl sqlite:///already-ingested.db

Every document should come back "unchanged"; the time is reading, hashing and the store lookups.
"""

from __future__ import annotations

import sys
import time

from dossier.pipeline import default_coder, ingest_paths
from dossier.store import Store


def main(argv: list[str]) -> int:
    corpus, url = argv[0], argv[1]
    coder = default_coder()
    with Store(url) as store:
        for _ in range(3):
            t = time.perf_counter()
            report = ingest_paths([corpus], store, coder=coder)
            print(f"{report.unchanged} unchanged, {report.new + report.updated} written, "
                  f"in {time.perf_counter() - t:.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
