"""Verb lemmas the rule lemmatizer gets wrong.

spaCy's English rule lemmatizer strips an inflection and takes the first stem it knows: "raped" -> "rap",
"waged" -> "wag", "staged" -> "stag", "hoped" -> "hop", "decreed" -> "decreed", "deploring" -> "deploring",
"cordoned" -> "cordone". A verb whose lemma is none of the verbs the coder reads, while its form is a regular
form of one of them (-s, -es, -d, -ed, -ing, with a final -e dropped or a consonant doubled), takes that verb as
its lemma: "Soldiers raped women" is then an assault, "waged war" a war, "hoped that" a hope.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from . import token_table

_VOWELS = set("aeiou")


def _stems(w: str) -> list[str]:
    """The stems an English verb form may come from, most likely first: hoped -> hope, hop; slamming -> slam."""
    if w.endswith("ing") and len(w) > 5:
        base = w[:-3]
        out = [base + "e", base] if base[-1] not in _VOWELS and base[-2:-1] in _VOWELS else [base, base + "e"]
        if base[-1] == base[-2:-1] and base[-1] not in _VOWELS | {"l", "s"}:
            out.append(base[:-1])  # slamming -> slam
        return out
    if w.endswith("ied") or w.endswith("ies"):
        return [w[:-3] + "y"]
    if w.endswith("ed") and len(w) > 4:
        base = w[:-2]
        out = [w[:-1], base]  # hoped -> hope; relaunched -> relaunch
        if base[-1] == base[-2:-1] and base[-1] not in _VOWELS:
            out.append(base[:-1])  # fulfilled -> fulfil; extolled -> extol
        return out
    if w.endswith("es"):
        return [w[:-1], w[:-2]]  # hopes -> hope; relaunches -> relaunch
    if w.endswith("s") and not w.endswith("ss"):
        return [w[:-1]]
    return []


class LemmaRepair:
    """Re-lemmatises, in place, verbs whose form is a regular form of a known verb."""

    def __init__(self, verbs: Iterable[str]) -> None:
        self.verbs = {v for v in verbs if v.isalpha()}

    def stem(self, lower: str, lemma: str) -> str | None:
        """The known verb `lower` is a form of, when its lemma is no known verb; else None."""
        if lemma in self.verbs or not lower.endswith(("s", "d", "g")):
            return None
        for cand in _stems(lower):
            if cand in self.verbs:
                return cand
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
