"""The functions `import standoff` offers: forecast, Monte Carlo and levers on a scenario (or a
built-in case name / file path) with a model (or a registered model's name and its parameters).

`standoff/__init__.py` names them and loads this module on first use, so that importing the
package (and with it the command line) does not load the models, the analyses and their libraries.
"""

from __future__ import annotations

from typing import Any

from standoff.analysis.levers import Lever
from standoff.analysis.levers import levers as _levers
from standoff.analysis.montecarlo import MonteCarlo
from standoff.analysis.montecarlo import monte_carlo as _monte_carlo
from standoff.analysis.whatif import WhatIf
from standoff.backtest.calibration import calibrate
from standoff.data import case_names as cases
from standoff.loading import load
from standoff.models import Forecast, Model, make
from standoff.scenario import Scenario


def _inputs(scenario: Scenario | str, model: str | Model, params: dict[str, Any]) -> tuple[Scenario, Model]:
    return (load(scenario) if isinstance(scenario, str) else scenario,
            make(model, **params) if isinstance(model, str) else model)


def forecast(scenario: Scenario | str, model: str | Model = "compromise", *, bands: str = "all",
             **params: Any) -> Forecast:
    """Forecast a scenario (or a built-in case name / file path) with a model by name, with its
    80 % and 95 % bands per issue and named-outcome odds from calibration set `bands` (eu,
    crisis, all, or none: docs/backtest.md)."""
    scenario, model = _inputs(scenario, model, params)
    return calibrate(scenario, model.forecast(scenario), bands)


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


__all__ = ["cases", "forecast", "levers", "monte_carlo"]
