"""Run by test_transactions.py in a child process: start recording a run and die by SIGKILL in the
middle of the write, after the run row and its first result row reached the database but before
the transaction commits.

    python kill_writer.py URL

On SQLite the page cache is kept at a few pages and the result is large (about 2 MB), so SQLite
must already write changed pages into the database file (after saving the old ones in its
rollback journal) before the kill: the file on disk is half-written when the process dies.
"""

from __future__ import annotations

import os
import signal
import sys

from sqlalchemy import event

from standoff.store import RunStore


def main(url: str) -> None:
    store = RunStore(url)
    if store.engine.dialect.name == "sqlite":
        @event.listens_for(store.engine, "connect")
        def small_cache(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA cache_size=4")

        store.engine.dispose()  # reconnect with the small cache

    seen: list[str] = []

    @event.listens_for(store.engine, "after_cursor_execute")
    def die_mid_write(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.split()[2] if statement.startswith("INSERT") else statement[:20])
        if statement.startswith("INSERT INTO standoff_results"):
            # the run row and a result row are in the database, uncommitted
            print("inserted:", ",".join(seen), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    big = [{"issue": f"issue-{k}", "value": k * 0.5, "note": "x" * 200} for k in range(8000)]
    store.record("forecast", None, model="killed", params={"q": 1}, seed=7,
                 results={"first": big, "second": big})
    print("committed (the kill did not happen)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
