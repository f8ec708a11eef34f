"""Spatial bargaining models behind one interface, found by name in one registry.

    >>> from standoff.models import make_model
    >>> model = make_model("eum", {"rounds": 5})
    >>> forecast = model.forecast(scenario)          # doctest: +SKIP
"""

from standoff.models import compromise, eum, exchange, expectations, median, nash, smp  # noqa: F401  (registers)

# isort: split
from standoff.models import consent, ensemble, shrunk  # noqa: F401  (register; they combine others)
from standoff.models.base import (
                                  Batch,
                                  IssueModel,
                                  Model,
                                  Prediction,
                                  available,
                                  declared_parameters,
                                  make,
                                  make_model,
                                  make_models,
                                  model_class,
                                  model_params,
                                  register,
                                  resolve,
)
from standoff.models.forecast import Forecast, IssueForecast
from standoff.models.params import Param, parse_params

__all__ = ["Batch", "Forecast", "IssueForecast", "IssueModel", "Model", "Param", "Prediction",
           "available", "declared_parameters", "make", "make_model", "make_models", "model_class",
           "model_params", "parse_params", "register", "resolve"]
