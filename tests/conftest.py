"""Shared fixtures: one loaded coder per test session (models load once per process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DOSSIER_SHARED", ROOT.parent / "shared"))
SAMPLE = SHARED / "samples" / "soc-statement.txt"
PLOVER_GOLD = SHARED / "benchmarks" / "plover-gsr-dev.json"
GEO_GOLD = SHARED / "benchmarks" / "geowebnews-dev.xml"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not present (shared material is read from ../shared)")
    return path


@pytest.fixture(scope="session")
def coder():
    from dossier.pipeline import default_coder

    return default_coder()


@pytest.fixture(scope="session")
def code_text(coder):
    """Code one text, return its events."""
    from dossier.model import Document

    def run(text: str, date: str | None = "2023-05-01", doc_id: str = "t"):
        return coder.code(Document(id=doc_id, text=text, date=date, language="en")).events

    return run


def dossier_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None,
                cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `dossier` command as a user would."""
    exe = Path(sys.executable).parent / "dossier"
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([str(exe), *args], input=input, capture_output=True, text=True, env=full_env,
                          cwd=cwd, timeout=600)
