"""The application layer: one function per kind of run, returning a result object.

Each module holds the function(s) for one kind of run (`run(scenario, options..., progress=None)
-> Result`): forecast, montecarlo (sensitivity), compare, levers, crisis, winsets, dynamics,
timeline, dyads, beliefs (and explain), backtest, events, update, cases, report; `inputs` turns what
a user typed into run inputs. The CLI, the web API and the report call these; they render and record the
results (`standoff.tasks.base.record`). Tasks import the layers below (scenario, events, models,
games, analysis, backtest) and never typer, rich, fastapi or report/.

The task modules are imported on first use (`tasks.crisis` imports `standoff.tasks.crisis`), so
that a front end can name them all without paying for the scientific libraries of each at start-up.
This is the one lazy import of the command line.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from standoff.tasks.base import Progress, Recording, Result, record, to_json

MODULES = ("backtest", "beliefs", "cases", "compare", "crisis", "dyads", "dynamics", "events", "forecast",
           "inputs", "levers", "montecarlo", "report", "timeline", "update", "winsets")


def __getattr__(name: str) -> ModuleType:
    if name in MODULES:
        return importlib.import_module(f"standoff.tasks.{name}")
    raise AttributeError(f"module 'standoff.tasks' has no attribute {name!r}")


__all__ = ["MODULES", "Progress", "Recording", "Result", "record", "to_json"]
