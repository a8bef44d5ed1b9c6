"""Numeric settings read from the environment when they are used, each checked: a bad value is one line naming
the variable (a `DossierError`, so the CLI exits non-zero without a traceback), never a crash at import."""

from __future__ import annotations

import os

from .errors import DossierError


def env_int(name: str, default: int, minimum: int = 1) -> int:
    """The whole number in environment variable `name` (`default` when unset or empty), at least `minimum`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value: int | None = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise DossierError(f"{name}={raw!r}: must be a whole number of at least {minimum}")
    return value
