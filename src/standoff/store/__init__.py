"""Run history: every forecast, report and analysis run, recorded in SQLite or any SQLAlchemy URL.

    >>> from standoff.store import RunStore
    >>> store = RunStore("sqlite://")            # in memory; RunStore() uses $STANDOFF_DB or the default file
    >>> run_id = store.record("forecast", scenario, model="eum", params={}, seed=None,
    ...                       results={"forecast": forecast.to_dict()})   # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader

#: The environment variable naming the run store (a file path or SQLAlchemy URL).
ENV_VAR = "STANDOFF_DB"

# SQLAlchemy loads with the first use of the store, not with `import standoff.store` (the command
# line names the store in every recorded verb's help).
__getattr__, _lazy_names, _ = lazy_loader.attach(__name__, submodules=["core", "schema", "views"],
                                                 submod_attrs={
    "core": ["IssueChange", "Run", "RunDiff", "RunNotFoundError", "RunStore", "RunSummary", "StoreError",
             "default_path", "resolve_url"],
    "schema": ["SCHEMA_VERSION"],
})


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_lazy_names()))


if TYPE_CHECKING:
    from standoff.store.core import (
        IssueChange,
        Run,
        RunDiff,
        RunNotFoundError,
        RunStore,
        RunSummary,
        StoreError,
        default_path,
        resolve_url,
    )
    from standoff.store.schema import SCHEMA_VERSION

__all__ = ["ENV_VAR", "SCHEMA_VERSION", "IssueChange", "Run", "RunDiff", "RunNotFoundError", "RunStore",
           "RunSummary", "StoreError", "default_path", "resolve_url"]
