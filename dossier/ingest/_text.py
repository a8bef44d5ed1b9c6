"""The one text normalisation every stored document goes through.

Event offsets point into the text as returned here, so this must stay conservative:
it changes line endings, trailing whitespace and Unicode composition, nothing else.
"""

from __future__ import annotations

import unicodedata


def normalize_text(text: str) -> str:
    """NFC, `\\r\\n`/`\\r` to `\\n`, trailing whitespace removed from each line and the whole text."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()
