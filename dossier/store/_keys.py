"""API keys: created once and shown once, stored as SHA-256 digests, checked in constant time.

A key reads `dsk_<prefix>_<secret>`: the prefix (public, unique) finds the row, the digest of the
whole key is compared with `hmac.compare_digest`. Keys are random (256 bits), so a fast digest
is enough; nothing that could recover a key is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ._engine import WRITE_OPTION
from ._schema import api_keys
from ._store import Store

KEY_MARK = "dsk"


@dataclass(frozen=True)
class ApiKey:
    name: str
    prefix: str
    created_at: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def create_key(store: Store, name: str) -> tuple[ApiKey, str]:
    """A new key named `name`: its record and the key itself (shown once, never stored)."""
    name = name.strip()
    if not name:
        raise StoreError("a key needs a name")
    prefix = secrets.token_hex(4)
    key = f"{KEY_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiKey(name=name, prefix=prefix, created_at=_now(), revoked_at=None)
    try:
        with store._engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                conn.execute(api_keys.insert().values(name=name, prefix=prefix, key_hash=_digest(key),
                                                      created_at=record.created_at))
    except SQLAlchemyError as exc:
        raise store._fail("cannot create key", exc) from exc
    return record, key


def list_keys(store: Store) -> list[ApiKey]:
    try:
        with store._engine.connect() as conn:
            rows = conn.execute(select(api_keys).order_by(api_keys.c.id)).all()
    except SQLAlchemyError as exc:
        raise store._fail("cannot read keys", exc) from exc
    return [ApiKey(name=r.name, prefix=r.prefix, created_at=r.created_at, revoked_at=r.revoked_at) for r in rows]


def revoke_key(store: Store, name_or_prefix: str) -> int:
    """Revoke the active keys with this name or prefix; how many were revoked."""
    target = name_or_prefix.strip()
    try:
        with store._engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                result = conn.execute(
                    update(api_keys)
                    .where((api_keys.c.name == target) | (api_keys.c.prefix == target), api_keys.c.revoked_at.is_(None))
                    .values(revoked_at=_now())
                )
                return int(result.rowcount or 0)
    except SQLAlchemyError as exc:
        raise store._fail("cannot revoke key", exc) from exc


def verify_key(store: Store, key: str) -> ApiKey | None:
    """The active key record `key` belongs to, or None."""
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_MARK or not parts[1]:
        # still spend a digest and a compare, so a malformed key takes the same path
        hmac.compare_digest(_digest(key), "0" * 64)
        return None
    try:
        with store._engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.prefix == parts[1])).first()
    except SQLAlchemyError as exc:
        raise store._fail("cannot read keys", exc) from exc
    expected = row.key_hash if row is not None else "0" * 64
    ok = hmac.compare_digest(_digest(key), expected)
    if row is None or not ok or row.revoked_at is not None:
        return None
    return ApiKey(name=row.name, prefix=row.prefix, created_at=row.created_at, revoked_at=row.revoked_at)
