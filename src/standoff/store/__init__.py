"""Run history: every forecast, report and analysis run, recorded in SQLite or any SQLAlchemy URL.

    >>> from standoff.store import RunStore
    >>> store = RunStore("sqlite://")            # in memory; RunStore() uses $STANDOFF_DB or the default file
    >>> run_id = store.record("forecast", scenario, model="eum", params={}, seed=None,
    ...                       results={"forecast": forecast.to_dict()})   # doctest: +SKIP
"""

from standoff.store.core import (
    ENV_VAR,
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
