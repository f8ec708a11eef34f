"""Backends for the run store's tests: SQLite, and a real PostgreSQL server.

PostgreSQL comes from STANDOFF_TEST_POSTGRES_URL when set (CI starts Debian's server and sets it);
otherwise a throwaway server is started here (initdb into a temporary folder, unix socket only,
as the `postgres` user when running as root). Without either the PostgreSQL tests skip, saying
why, except under CI=1, where they fail instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

PG_ENV = "STANDOFF_TEST_POSTGRES_URL"


def _unavailable(reason: str):
    if os.environ.get("CI") == "1":
        pytest.fail(f"PostgreSQL is required under CI=1: {reason}", pytrace=False)
    pytest.skip(reason)


def _pg_bindir() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    dirs = [Path(found).resolve().parent] if found else []
    dirs += [Path(d) for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                     key=lambda d: int(Path(d).parent.name) if Path(d).parent.name.isdigit()
                                     else 0, reverse=True)]
    return next((d for d in dirs if (d / "initdb").exists() and (d / "pg_ctl").exists()), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Throwaway:
    """A PostgreSQL cluster in a temporary folder, listening on a unix socket only."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="standoff-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            import pwd

            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root and there is no `postgres` user to run the "
                                   "server as") from None
            os.chown(self.root, user.pw_uid, user.pw_gid)
            runuser = shutil.which("runuser")
            self.prefix = [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-c"]

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.prefix[-1:] == ["-c"]:  # su takes one shell string
            import shlex

            cmd = [*self.prefix, shlex.join(cmd)]
        else:
            cmd = [*self.prefix, *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> str:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "standoff", "-E", "UTF8",
                  "--no-sync")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-t", "60",
                  "-o", f"-k {self.root} -p {self.port} -c listen_addresses='' -F", "start")
        return f"postgresql+psycopg://standoff@/postgres?host={self.root}&port={self.port}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        except (subprocess.SubprocessError, OSError):
            pass
        shutil.rmtree(self.root, ignore_errors=True)


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
