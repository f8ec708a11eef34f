"""What every benchmark prints about where it ran, and how it takes a CPU time.

Imported by the benchmark scripts beside it (`python benchmarks/NAME.py` puts this folder on the
path).
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def cpu_model() -> str:
    """The processor's model name (from /proc/cpuinfo where there is one)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> str:
    return "load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg())


def machine() -> str:
    """One line: the system, the processor, its CPUs, Python and numpy, and the load average now."""
    import numpy as np

    return (f"machine: {platform.system()} {platform.release()} {platform.machine()}, {cpu_model()}, "
            f"{os.cpu_count()} CPUs; Python {platform.python_version()}, numpy {np.__version__}; "
            f"{load_average()}")


def best_cpu(fn: Callable[[], T], repeat: int) -> tuple[float, T | Any]:
    """(the least processor seconds of `repeat` calls of `fn`, the last call's result)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        out = fn()
        best = min(best, time.process_time() - start)
    return best, out
