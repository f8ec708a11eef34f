"""Libraries imported on first use: ``pd = lazy.load("pandas")`` at the top of a module, after its
imports, and pandas is imported the first time ``pd.<something>`` is read.

`standoff --help`, and every verb that does not need them, then starts without pandas, SciPy or
Jinja (docs/issue #20: start fast). The packages' own ``__init__`` files name their contents lazily
with ``lazy_loader.attach`` (a module ``__getattr__``, PEP 562); this module is for third-party
libraries that module code uses by name.

Why not ``lazy_loader.load``: its proxy (``importlib.util.LazyLoader``) is not safe with threads
before Python 3.12.3 — a second thread that reads the module while the first is still executing it
sees a half-built module (``module 'pandas' has no attribute 'DataFrame'``), and the web front end
runs requests in thread pools. Here the import goes through the import system, whose per-module
lock makes the second thread wait until the module is complete.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

__all__ = ["LazyModule", "load"]


class LazyModule:
    """Stands for the module `name` until an attribute is read; then imports it and forwards."""

    __slots__ = ("__module", "__name")

    def __init__(self, name: str) -> None:
        self.__name = name
        self.__module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:  # called only for names the proxy does not hold itself
        module = self.__module
        if module is None:
            module = importlib.import_module(self.__name)  # returns once the module is complete
            self.__module = module
        return getattr(module, attr)

    def __dir__(self) -> list[str]:
        return dir(importlib.import_module(self.__name))

    def __repr__(self) -> str:
        state = "imported" if self.__module is not None else "imported on first use"
        return f"<module {self.__name!r} ({state})>"


def load(name: str) -> LazyModule:
    """A stand-in for module `name` (e.g. ``"pandas"``, ``"scipy"``) that imports it on first use;
    `name` must exist (a typo fails now, not at first use)."""
    if importlib.util.find_spec(name.partition(".")[0]) is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return LazyModule(name)
