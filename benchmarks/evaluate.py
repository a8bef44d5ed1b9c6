"""Code and score every development set, each as a whole and as its tune and check halves.

    .venv/bin/python benchmarks/evaluate.py [SET ...] [--limit SET=N] [--json OUT.json]

SET is one of plover, conflibert, headlines, stories, petrarch, geo (default: all). The split rule,
the scorers and the parse cache are described in `dossier/devsets.py`. Read misses only in the tune
half; keep a change only if the check half gains too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from dossier.devsets import SETS, bench_dir, evaluate, format_results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="*", choices=[[], *SETS], default=list(SETS), metavar="SET")
    ap.add_argument("--limit", action="append", default=[], metavar="SET=N", help="code only the first N records")
    ap.add_argument("--json", help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    if not bench_dir().is_dir():
        print(f"skipped: {bench_dir()} not present (development sets are read from ../shared)")
        return 0
    limits = {k: int(v) for k, v in (x.split("=", 1) for x in args.limit)}
    t0 = time.perf_counter()
    results = evaluate(args.sets or SETS, limits, progress=lambda n: print(f"... {n}", file=sys.stderr))
    print(format_results(results))
    print(f"({time.perf_counter() - t0:.0f} s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({r.name: {"figures": r.figures, "notes": r.notes} for r in results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
