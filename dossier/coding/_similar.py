"""Triggers by similarity: a verb no pattern covers takes the code of the covered verb nearest in meaning.

Only with a pipeline that has word vectors (en_core_web_md). The candidates are the bare one-word
verb patterns of the loaded verb files ("condemn", "detain"); a multi-word pattern's code depends on
its other words and is never borrowed. The event's rule says which verb lent its code and how close
it was (`similar to "condemn" 0.81`), so `explain` still shows why.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy.vocab import Vocab

from ._resources import VerbPattern


class SimilarVerbs:
    def __init__(self, vocab: Vocab, patterns: Iterable[VerbPattern], threshold: float,
                 excluded: set[str]) -> None:
        self.vocab = vocab
        self.threshold = threshold
        self.excluded = excluded
        self.cache: dict[str, tuple[VerbPattern, float] | None] = {}
        # off (threshold 1.0, the default): no candidate vectors are gathered at start-up
        cands = [] if threshold >= 1.0 else [p for p in patterns if not p.noun and not p.items and p.cameo
                                             and not p.options and p.trigger not in excluded]
        vecs, keep = [], []
        for p in cands:
            if vocab.has_vector(p.trigger):
                vecs.append(vocab.get_vector(p.trigger))
                keep.append(p)
        self.patterns = keep
        if vecs:
            m = np.asarray(vecs, dtype="float32")
            self.matrix = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-8)
        else:
            self.matrix = np.zeros((0, 1), dtype="float32")

    @property
    def active(self) -> bool:
        return bool(self.patterns) and self.threshold < 1.0

    def nearest(self, lemma: str) -> tuple[VerbPattern, float] | None:
        """The covered verb most similar to `lemma`, when at least as similar as the threshold."""
        if lemma in self.cache:
            return self.cache[lemma]
        hit: tuple[VerbPattern, float] | None = None
        if lemma not in self.excluded and lemma.isalpha() and self.vocab.has_vector(lemma):
            v = np.asarray(self.vocab.get_vector(lemma), dtype="float32")
            v = v / max(float(np.linalg.norm(v)), 1e-8)
            sims = self.matrix @ v
            # en_core_web_md keeps 20,000 vectors and maps rarer words onto the row of a kept one: a word
            # sharing a candidate's very row ("chastise" on "absolve") says nothing about its meaning
            sims[sims > 0.999] = -1.0
            k = int(np.argmax(sims))
            if float(sims[k]) >= self.threshold:
                hit = (self.patterns[k], round(float(sims[k]), 2))
        self.cache[lemma] = hit
        return hit
