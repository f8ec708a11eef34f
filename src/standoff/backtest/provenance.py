"""Which code produced a score or a fitted table: the git commit of the working tree, printed
beside every evaluation-half score and stamped into the committed calibration data."""

from __future__ import annotations

import subprocess
from pathlib import Path


def commit() -> str:
    """The commit of the code (with '+dirty' when the tracked files differ from it), or 'unknown'
    outside a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")
