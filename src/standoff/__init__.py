"""Standoff: forecast how multi-actor negotiations and international crises end, and why.

    >>> import standoff
    >>> scenario = standoff.load("korea-2018", as_of="2018-05-22")
    >>> standoff.forecast(scenario, model="compromise").to_frame()   # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from standoff.data import case_names as cases
from standoff.errors import StandoffError
from standoff.loading import load
from standoff.models import Forecast, Model, available, make
from standoff.scenario import Scenario
from standoff.version import __version__


def forecast(scenario: Scenario | str, model: str | Model = "compromise", **params: Any) -> Forecast:
    """Forecast a scenario (or a built-in case name / file path) with a model by name."""
    if isinstance(scenario, str):
        scenario = load(scenario)
    if isinstance(model, str):
        model = make(model, **params)
    return model.forecast(scenario)


__all__ = ["Forecast", "Model", "Scenario", "StandoffError", "__version__", "available", "cases",
           "forecast", "load", "make"]
