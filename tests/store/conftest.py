"""Backends for the run store's tests: SQLite, and a real PostgreSQL server.

PostgreSQL comes from STANDOFF_TEST_POSTGRES_URL when set (CI starts Debian's server and sets it);
otherwise a throwaway server is started here (initdb into a temporary folder, unix socket only,
as the `postgres` user when running as root). Without either the PostgreSQL tests skip, saying
why, except under CI=1, where they fail instead.
"""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest
from postgres_server import PG_ENV, _pg_bindir, _Throwaway, _unavailable


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a PostgreSQL server whose user may create databases."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[test]')")
    given = os.environ.get(PG_ENV)
    if given:
        yield given
        return
    bindir = _pg_bindir()
    if bindir is None:
        _unavailable(f"no PostgreSQL server here (initdb, pg_ctl) and {PG_ENV} is not set")
    server = None
    try:
        server = _Throwaway(bindir)
        url = server.start()
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", None) or str(exc)
        if server is not None:
            server.stop()
        _unavailable(f"could not start a throwaway PostgreSQL server with {bindir}: "
                     f"{detail.strip().splitlines()[-1] if detail.strip() else exc}")
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the server for one test; dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from standoff.store import resolve_url

    admin_url = resolve_url(postgres_server)
    name = f"standoff_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        admin.dispose()
        _unavailable(f"cannot create a test database on {admin_url.render_as_string()}: "
                     f"{str(exc).splitlines()[0]}")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A database URL for each backend: an SQLite file, and a database on a PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'runs.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(store_url):
    from standoff.store import RunStore

    s = RunStore(store_url)
    yield s
    s.close()
