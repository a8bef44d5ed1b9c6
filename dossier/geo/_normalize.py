"""Name keys for gazetteer look-ups: casefolded, diacritics stripped, transliteration variants folded."""

from __future__ import annotations

import re
import unicodedata

# Arabic article as romanised: al-, el-, al , and its assimilated forms (ar-Raqqah, as-Suwayda, ad-Dana).
_ARTICLE = re.compile(r"^(?:al|el|al|ar|as|ash|ad|adh|at|az|an|ath)[\s-]+(?=\w)")
_APOSTROPHES = str.maketrans("", "", "'’‘`ʼʻʾʿ´")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/.,]+")
# Letters NFKD does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans({"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"})


def normalize(name: str) -> str:
    """The exact key: casefold, strip diacritics and apostrophes, one space between words."""
    s = unicodedata.normalize("NFKD", name.casefold().translate(_SPECIAL))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.translate(_APOSTROPHES)
    return _SEPARATORS.sub(" ", s).strip()


def fold(key: str) -> str:
    """The loose key of a normalised name: no Arabic article, no final -h, doubled letters single.

    `Al-Raqqa`, `ar Raqqah` and `Raqqa` share a loose key; so do `Douma`/`Duma` via `ou`→`u`.
    """
    s = _ARTICLE.sub("", key)
    s = s.replace("ou", "u").replace("ee", "i").replace("oo", "u").replace("q", "k")
    s = re.sub(r"(\w)\1", r"\1", s)
    s = re.sub(r"(?<=[aei])h\b", "", s)
    return s.replace(" ", "")


def variants(name: str) -> tuple[str, str]:
    key = normalize(name)
    return key, fold(key)
