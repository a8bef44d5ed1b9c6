"""The event store: SQLite by default, PostgreSQL through the same SQLAlchemy URL.

with Store(resolve_db_url(None)) as store:
    statuses = store.save(batch)
    for ev in store.events(EventQuery(actor="SYR", since="2024-01")):
        ...
"""

from ._analytics import INTERVALS, actor_counts, event_stats, map_points, relations
from ._engine import DEFAULT_DB_URL, resolve_db_url
from ._keys import ApiKey, create_key, list_keys, revoke_key, verify_key
from ._maintenance import CheckReport, backup_store, check_store, sqlite_path
from ._migrations import LATEST_VERSION, MIGRATIONS, Migration, migrate
from ._query import EventQuery
from ._store import Store, content_hash

__all__ = [
    "CheckReport",
    "backup_store",
    "check_store",
    "sqlite_path",
    "INTERVALS",
    "ApiKey",
    "actor_counts",
    "create_key",
    "event_stats",
    "list_keys",
    "map_points",
    "relations",
    "revoke_key",
    "verify_key",
    "DEFAULT_DB_URL",
    "LATEST_VERSION",
    "MIGRATIONS",
    "EventQuery",
    "Migration",
    "Store",
    "content_hash",
    "migrate",
    "resolve_db_url",
]
