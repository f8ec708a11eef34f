"""The application layer: one function per kind of run, returning a result object.

Each module holds `run(scenario, options..., progress=None) -> Result` for one kind of run
(forecast, montecarlo, compare, levers, crisis, winsets, dynamics, timeline, beliefs, backtest,
...). The CLI, the web API and the report call these; they render and record the results
(`standoff.tasks.base.record`). Tasks import the layers below (scenario, events, models, games,
analysis, backtest) and never typer, rich, fastapi or report/.
"""

from standoff.tasks.base import Progress, Recording, Result, record, to_json

__all__ = ["Progress", "Recording", "Result", "record", "to_json"]
