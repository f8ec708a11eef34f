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

from typing import Any

from standoff.analysis import MonteCarlo, WhatIf
from standoff.analysis import levers as _levers
from standoff.analysis import monte_carlo as _monte_carlo
from standoff.analysis.levers import Lever
from standoff.data import case_names as cases
from standoff.errors import StandoffError
from standoff.loading import load
from standoff.models import Forecast, Model, available, make
from standoff.scenario import Scenario
from standoff.version import __version__


def _inputs(scenario: Scenario | str, model: str | Model, params: dict[str, Any]) -> tuple[Scenario, Model]:
    return (load(scenario) if isinstance(scenario, str) else scenario,
            make(model, **params) if isinstance(model, str) else model)


def forecast(scenario: Scenario | str, model: str | Model = "compromise", **params: Any) -> Forecast:
    """Forecast a scenario (or a built-in case name / file path) with a model by name."""
    scenario, model = _inputs(scenario, model, params)
    return model.forecast(scenario)


def monte_carlo(scenario: Scenario | str, model: str | Model = "compromise", *, draws: int = 10_000,
                seed: int = 42, noise: float = 0.0, what_if: WhatIf | None = None,
                **params: Any) -> MonteCarlo:
    """Monte Carlo over the scenario's uncertain values (`noise`: also spread the point values, sd
    as a share of the scale): `draws` forecasts by the model, seeded."""
    scenario, model = _inputs(scenario, model, params)
    return _monte_carlo(scenario, model, draws=draws, seed=seed, noise=noise, what_if=what_if)


def levers(scenario: Scenario | str, party: str, model: str | Model = "compromise", *, step: float = 10.0,
           top: int = 10, **params: Any) -> tuple[list[Lever], dict[str, float], float]:
    """The single changes that move the model's forecast most toward `party`'s position: the
    levers (largest gain first), the baseline forecast and its distance from the party."""
    scenario, model = _inputs(scenario, model, params)
    return _levers(scenario, party, model, step=step, top=top)


__all__ = ["Forecast", "Lever", "Model", "MonteCarlo", "Scenario", "StandoffError", "WhatIf", "__version__",
           "available", "cases", "forecast", "levers", "load", "make", "monte_carlo"]
