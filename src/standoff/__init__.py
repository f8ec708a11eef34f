"""Standoff: forecast how multi-actor negotiations and international crises end, and why.

    >>> import standoff
    >>> scenario = standoff.load("korea-2018", as_of="2018-05-22")
    >>> standoff.forecast(scenario, model="compromise").to_frame()   # doctest: +SKIP
    >>> standoff.monte_carlo(scenario, model="eum", draws=1000, seed=1)   # doctest: +SKIP
    >>> standoff.forecast(scenario, model="eum").plot()                   # doctest: +SKIP

Every function takes a scenario or a built-in case name / file path, and a model or a registered
model's name with its parameters as keywords.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader

from standoff.version import __version__

# Everything else loads on first use (`standoff.load`, `standoff.Forecast`, ...): `import standoff`,
# and every `import standoff.x` with it, stays light (the command line starts from here).
__getattr__, _lazy_names, _ = lazy_loader.attach(__name__, submodules=[
    "analysis", "api", "backtest", "cli", "data", "draft", "errors", "events", "games", "loading", "models",
    "report", "scenario", "store", "tasks", "web"], submod_attrs={
    "analysis": ["MonteCarlo", "WhatIf"],
    "analysis.levers": ["Lever"],
    "api": ["cases", "forecast", "levers", "monte_carlo"],
    "errors": ["StandoffError"],
    "loading": ["load"],
    "models": ["Forecast", "Model", "available", "make"],
    "scenario": ["Scenario"],
})


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_lazy_names()))


if TYPE_CHECKING:
    from standoff.analysis import MonteCarlo, WhatIf
    from standoff.analysis.levers import Lever
    from standoff.api import cases, forecast, levers, monte_carlo
    from standoff.errors import StandoffError
    from standoff.loading import load
    from standoff.models import Forecast, Model, available, make
    from standoff.scenario import Scenario

__all__ = ["Forecast", "Lever", "Model", "MonteCarlo", "Scenario", "StandoffError", "WhatIf", "__version__",
           "available", "cases", "forecast", "levers", "load", "make", "monte_carlo"]
