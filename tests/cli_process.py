"""The `standoff` command run in a child process, as a user runs it: a wide terminal, a bare
PATH, and the throwaway run store that the autouse `run_store` fixture (tests/conftest.py) puts
in STANDOFF_DB, so that no test writes to the user's data folder."""

from __future__ import annotations

import os
import subprocess
import sys


def standoff(*args: str, cwd=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m standoff ARGS...` with its output captured as text."""
    return subprocess.run([sys.executable, "-m", "standoff", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout,
                          env={"COLUMNS": "160", "PATH": "/usr/bin:/bin",
                               "STANDOFF_DB": os.environ["STANDOFF_DB"]})
