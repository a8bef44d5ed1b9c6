"""CPU per document of each spaCy pipeline component, as spaCy ships them or with Dossier's rule copies.

    .venv/bin/python benchmarks/components.py [--docs 300] [--rounds 3] [--spacy]

Each component runs over the whole corpus (the throughput corpus of scale.py) in turn, in batches of 32; the
first round fills the caches (the tokenizer's, the lemmatizer's) and is not counted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import corpus  # noqa: E402

from dossier.nlp import load_nlp  # noqa: E402


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--spacy", action="store_true", help="spaCy's components as shipped (no fast rule copies)")
    args = ap.parse_args(argv)
    texts = [d["text"] for d in corpus(args.docs)]
    nlp = load_nlp(fast_rules=not args.spacy)
    spent: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    for r in range(args.rounds):
        t0 = time.process_time()
        docs = [nlp.make_doc(t) for t in texts]
        if r:
            spent["tokenizer"] += time.process_time() - t0
        for name, proc in nlp.pipeline:
            t0 = time.process_time()
            docs = list(proc.pipe(docs, batch_size=32)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            if r:
                spent[name] += time.process_time() - t0
    counted = max(1, args.rounds - 1) * len(texts)
    print(f"{'component':16s} ms of CPU per document ({len(texts)} documents, {'spaCy' if args.spacy else 'Dossier'})")
    for name, s in spent.items():
        print(f"{name:16s} {s / counted * 1000:.2f}")
    print(f"{'sum':16s} {sum(spent.values()) / counted * 1000:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
