"""Shared fixtures: one loaded coder per test session (models load once per process)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


# ---- a throwaway PostgreSQL server for the store's second backend -----------------------------
def _pg_bin() -> Path | None:
    import glob

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session", autouse=True)
def postgres_server(tmp_path_factory):
    """Start a private PostgreSQL cluster for the session when the server binaries are installed
    and $DOSSIER_TEST_PG_URL is not already set; tests that need it skip with a reason otherwise."""
    import shutil
    import socket
    import time

    if os.environ.get("DOSSIER_TEST_PG_URL"):
        yield os.environ["DOSSIER_TEST_PG_URL"]
        return
    bindir = _pg_bin()
    if bindir is None:
        yield None
        return
    import tempfile

    # not under pytest's 0700 tmp root: the server runs as another user and must reach its files
    base = Path(tempfile.mkdtemp(prefix="dossier-pg-"))
    data = base / "data"
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as the postgres user
        if shutil.which("runuser") is None:
            yield None
            return
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
        os.chmod(base, 0o755)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--locale=C"], check=True, capture_output=True, timeout=120)
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w",
                        "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"PostgreSQL could not be started ({exc}); PostgreSQL tests will skip")
        yield None
        return
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    os.environ["DOSSIER_TEST_PG_URL"] = url
    time.sleep(0.2)
    try:
        yield url
    finally:
        os.environ.pop("DOSSIER_TEST_PG_URL", None)
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


PG_ENV = "DOSSIER_TEST_PG_URL"


@contextmanager
def pg_schema(prefix: str) -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server ($DOSSIER_TEST_PG_URL) as a URL whose search_path is that
    schema, dropped afterwards; the test is skipped (with a message) when there is no server."""
    from sqlalchemy import create_engine, make_url

    base = os.environ.get(PG_ENV)
    if not base:
        reason = f"PostgreSQL tests skipped: set {PG_ENV}=postgresql+psycopg://user:pw@host/db to run them"
        print(reason)
        pytest.skip(reason)
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        admin.dispose()
