"""Spatial bargaining models behind one interface, found by name in one registry.

    >>> from standoff.models import make
    >>> model = make("compromise")
    >>> forecast = model.forecast(scenario)          # doctest: +SKIP
"""

from standoff.models import compromise, eum, exchange, median, nash, smp  # noqa: F401  (registers)

# isort: split
from standoff.models import ensemble  # noqa: F401  (registers; combines the others)
from standoff.models.base import Batch, IssueModel, Model, Prediction, available, make, register, resolve
from standoff.models.forecast import Forecast, IssueForecast

__all__ = ["Batch", "Forecast", "IssueForecast", "IssueModel", "Model", "Prediction",
           "available", "make", "register", "resolve"]
