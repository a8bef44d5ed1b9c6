"""Verb lemmas the rule lemmatizer gets wrong.

spaCy's English rule lemmatizer strips an inflection and takes the first stem it knows: "raped" -> "rap",
"waged" -> "wag", "staged" -> "stag", "hoped" -> "hop", "decreed" -> "decreed". A verb whose lemma is none of
the verbs the coder reads, while its form is that of one of them (the stem ending in -e, plus -d or -s), takes that
verb as its lemma: "Soldiers raped women" is then an assault, "waged war" a war, "hoped that" a hope.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from . import token_table


class LemmaRepair:
    """Re-lemmatises, in place, verbs whose form is a known verb's -d or -s form."""

    def __init__(self, verbs: Iterable[str]) -> None:
        self.verbs = {v for v in verbs if v.isalpha()}

    def stem(self, lower: str, lemma: str) -> str | None:
        """The known verb `lower` is a form of, when its lemma is no known verb; else None."""
        if lemma in self.verbs:
            return None
        for suffix in ("d", "s"):
            if lower.endswith("e" + suffix) and lower[:-1] in self.verbs:
                return lower[:-1]
        return None

    def repair(self, doc: Doc) -> Doc:
        tt = token_table(doc)
        fixed = False
        for i, (pos, lower, lemma) in enumerate(zip(tt.pos, tt.lower, tt.lemma, strict=True)):
            if pos == "VERB":
                stem = self.stem(lower, lemma)
                if stem is not None:
                    doc[i].lemma_ = stem
                    fixed = True
        if fixed:
            doc.user_data.pop("dossier.tokens", None)  # the table was read before the repair
        return doc
