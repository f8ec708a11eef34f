"""Writes are transactional: a run that fails or is killed mid-write leaves no partial record and
damages none of the earlier runs, on SQLite and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text

from standoff.store import RunStore
from standoff.store.schema import ResultRow, RunRow

KILL_WRITER = Path(__file__).with_name("kill_writer.py")


def _earlier_runs(store: RunStore, toy) -> list[int]:
    return [store.record("forecast", toy, model="compromise", params={"n": n}, seed=n,
                         results={"forecasts": [{"n": n}], "table": [[n, n + 1]]}) for n in range(2)]


def _counts(store: RunStore) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(RunRow)).scalar_one(),
                conn.execute(select(func.count()).select_from(ResultRow)).scalar_one())


def _integrity(store: RunStore) -> str:
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            return conn.execute(text("PRAGMA integrity_check")).scalar_one()
        # PostgreSQL: every result row belongs to a run (the foreign key holds)
        orphans = conn.execute(text("SELECT count(*) FROM standoff_results r LEFT JOIN standoff_runs u "
                                    "ON u.id = r.run_id WHERE u.id IS NULL")).scalar_one()
        return "ok" if orphans == 0 else f"{orphans} orphan result rows"


def test_an_exception_mid_transaction_writes_nothing(store, toy):
    """The run row is inserted, then the insert of its results fails: the run row goes too."""
    earlier = _earlier_runs(store, toy)
    seen = []

    def fail_on_results(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.split()[2])
        if statement.startswith("INSERT INTO standoff_results"):
            raise RuntimeError("injected failure")

    event.listen(store.engine, "before_cursor_execute", fail_on_results)
    with pytest.raises(RuntimeError, match="injected"):
        store.record("forecast", toy, model="x", params={}, seed=None, results={"a": 1, "b": 2})
    event.remove(store.engine, "before_cursor_execute", fail_on_results)
    assert seen[:2] == ["standoff_runs", "standoff_results"]  # the run row was already sent
    assert [r.id for r in store.runs()] == earlier[::-1]
    assert _counts(store) == (2, 4)
    assert _integrity(store) == "ok"
    # and the store goes on working
    new = store.record("forecast", toy, model="y", params={}, seed=None, results={"a": 1})
    assert store.get(new).results == {"a": 1} and _counts(store) == (3, 5)


def test_a_process_killed_mid_write_leaves_exactly_the_earlier_runs(store_url, toy):
    """A child process records a large run and SIGKILLs itself right after the run row and its
    first result row were inserted, before the commit (tests/store/kill_writer.py). The store then
    opens, passes its integrity check and holds exactly the two earlier runs, unchanged."""
    store = RunStore(store_url)
    earlier = _earlier_runs(store, toy)
    before = [store.export(i) for i in earlier]
    store.close()
    child = subprocess.run([sys.executable, str(KILL_WRITER), store_url], capture_output=True, text=True,
                           timeout=120)
    assert child.returncode == -9, child.stderr  # killed, not finished
    assert child.stdout.startswith("inserted: standoff_runs,standoff_results"), child.stdout
    if store_url.startswith("sqlite"):
        path = Path(store_url.removeprefix("sqlite:///"))
        # the kill left a hot journal: the database file itself was being changed
        assert path.with_name(path.name + "-journal").exists()
        assert path.stat().st_size > 1_000_000
    reopened = RunStore(store_url)
    assert _integrity(reopened) == "ok"
    assert [r.id for r in reopened.runs()] == earlier[::-1]
    assert [reopened.export(i) for i in earlier] == before
    assert _counts(reopened) == (2, 4)
    reopened.close()
