"""Bytes to text: byte-order marks, UTF-8, then the legacy code pages news sites still use.

Order matters: a BOM is decisive (UTF-32 before UTF-16, whose BOM is a prefix of UTF-32 LE's);
valid UTF-8 is taken as UTF-8; anything else goes to charset-normalizer, whose guess is kept only
when it decodes to text that reads as text. Whatever is left is refused with one line saying why.
"""

from __future__ import annotations

import codecs

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of characters that may be control characters (other than tab and line ends) in text; stray
# escapes and bells in real text are few (and dropped later), random bytes give about a quarter.
_MAX_CONTROL_SHARE = 0.1
_SNIFF_BYTES = 200_000


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept; str(exc) says why, in one line."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for the raw bytes of a document; DecodeError when it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                                  f"(bad bytes at offset {exc.start})") from exc
    if b"\x00" in data:
        # Text in a BOM-less UTF-16/32 is not guessed at: without a BOM it looks like binary.
        raise DecodeError("binary (contains NUL bytes and no UTF-16/32 byte-order mark), not text")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        text, encoding = _guess(data, exc)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise DecodeError("binary (mostly control characters), not text")
    return text, encoding


def _guess(data: bytes, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_SNIFF_BYTES]).best()
    if best is None:
        raise DecodeError(f"not valid UTF-8 (bad byte at offset {utf8_error.start}) and no other text "
                          f"encoding fits; save it as UTF-8")
    encoding = best.encoding
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(f"not valid UTF-8 (bad byte at offset {utf8_error.start}) and not valid "
                          f"{encoding} either; save it as UTF-8") from exc


def _control_share(text: str) -> float:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return 0.0
    controls = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f") or "\x7f" <= ch < "\xa0")
    return controls / len(sample)
