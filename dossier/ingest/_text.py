"""The one text normalisation every stored document goes through.

Event offsets point into the text as returned here, so this must stay conservative:
it changes line endings, trailing whitespace, Unicode composition and control characters,
nothing else.
"""

from __future__ import annotations

import re
import unicodedata

# C0/C1 control characters other than tab and newline (NUL, escape sequences, bells, ...) carry no
# text and confuse the parser; form feed and vertical tab end a line.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKING_CONTROL = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def normalize_text(text: str) -> str:
    """NFC, `\\r\\n`/`\\r` to `\\n`, control characters dropped, trailing whitespace removed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _LINE_BREAKING_CONTROL.sub("\n", text)
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()
