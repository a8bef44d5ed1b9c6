"""Property-based fuzzing of the OpenAPI schema with schemathesis: whatever the generated
parameters and bodies, the server never answers 5xx. Bounded examples keep it about a minute.

(Driven through schemathesis' strategies and Hypothesis directly: its pytest plugin does not
run under pytest 9.)
"""

from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("schemathesis")
import schemathesis  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

from dossier.api import create_app  # noqa: E402
from dossier.store import create_key  # noqa: E402
from tests._seed import seed  # noqa: E402

MAX_EXAMPLES = 40  # per operation


def _fuzz(operation, key: str, seen: list[int]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case) -> None:
        headers = {"Authorization": f"Bearer {key}"} if case.method == "POST" else None
        # (a generous timeout: a POST codes its document, and the test machine may be busy)
        response = case.call(headers=headers, timeout=120)
        seen.append(response.status_code)
        assert response.status_code < 500, (case.method, case.path, case.query, case.body, response.text[:300])

    check()


def test_no_operation_answers_5xx(tmp_path, coder) -> None:
    path = tmp_path / "fuzz.db"
    seed(f"sqlite:///{path}", tmp_path, coder)
    app = create_app(f"sqlite:///{path}", writes_per_minute=100_000)
    _, key = create_key(app.state.store, "fuzzer")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    statuses: dict[str, list[int]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        _fuzz(operation, key, statuses.setdefault(operation.label, []))
    app.state.store.close()
    with sqlite3.connect(path) as raw:  # the fuzzed store is still a sound database
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    total = sum(len(v) for v in statuses.values())
    print(f"schemathesis: {total} requests over {len(statuses)} operations; "
          + "; ".join(f"{k}: {sorted(set(v))}" for k, v in sorted(statuses.items())))
    assert len(statuses) >= 8 and total >= 8 * 10
    codes = [c for v in statuses.values() for c in v]
    assert any(200 <= c < 300 for c in codes) and any(c == 422 for c in codes)
