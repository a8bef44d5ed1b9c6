"""Named fault points for the durability tests: kill or stall this process at a chosen moment.

`DOSSIER_FAULT=point:n:action` makes the n-th time `point` is reached (1-based) do `action`:
`kill` sends SIGKILL to this process (nothing is flushed, as with a power cut or the OOM killer),
`sleep=SECONDS` pauses there. Unset (always, outside the tests), `fault_point` is one dict lookup.
Points: `read` (a document read), `coded` (a batch coded, not yet saved), `commit` (a batch written
inside its transaction, not yet committed), `saved` (a batch committed).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import Counter

_counts: Counter[str] = Counter()


def _plan() -> tuple[str, int, str] | None:
    spec = os.environ.get("DOSSIER_FAULT")
    if not spec:
        return None
    point, n, action = spec.split(":", 2)
    return point, int(n), action


def fault_point(name: str) -> None:
    plan = _plan()
    if plan is None or plan[0] != name:
        return
    _counts[name] += 1
    if _counts[name] != plan[1]:
        return
    action = plan[2]
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action.startswith("sleep="):
        print(f"fault: sleeping at {name}", file=sys.stderr, flush=True)  # the tests wait for this line
        time.sleep(float(action.removeprefix("sleep=")))
