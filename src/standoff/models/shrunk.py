"""A baseline: another model's forecast shrunk towards the reversion point.

    x*_k = q_k + λ · (x_base,k − q_k)          (x_base,k where issue k has no status quo q_k)

λ = 1 is the base model; λ = 0 always forecasts the status quo. The default λ is fitted on the
fitting half of the DEU III split only, for the compromise model as the base, by least absolute
error: min_λ Σ |y − q − λ(x_base − q)| = min_λ Σ |x_base − q| · |(y − q)/(x_base − q) − λ|, whose
solution is the weighted median of the ratios (y − q)/(x_base − q) with weights |x_base − q|
(:func:`standoff.backtest.consent.shrink_lambda`). It is the reference a consent model has to
beat: a model that only pulls towards the status quo without knowing who can block.
docs/models/consent.md.
"""

from __future__ import annotations

import numpy as np

from standoff.models.base import Batch, Model, Prediction, available, make, register
from standoff.models.params import Param

# Fitted on the 39 proposals (72 issues with a reversion point) of the DEU III fitting half, as
# printed by `python -m standoff.backtest.consent ../shared/data/deu3-train.csv`.
LAMBDA = 0.8591731266149871


@register
class Shrunk(Model):
    """The base model's forecast pulled towards the reversion point by the factor 1 − λ."""

    name = "shrunk"
    title = "Status-quo-shrunk baseline"
    wraps = True
    params = {
        "base": Param(str, "compromise", "the model whose forecast is shrunk"),
        "lam": Param(float, LAMBDA, "λ: the share of the base forecast's distance from the status quo "
                     "kept (fitted on the DEU III fitting half)"),
    }

    def __init__(self, base: str = "compromise", lam: float = LAMBDA) -> None:
        if base in ("shrunk",) or base not in available():
            raise ValueError(f"base must be another registered model, not {base!r}")
        lam = float(lam)
        if not np.isfinite(lam):
            raise ValueError(f"lam must be a finite number, not {lam!r}")
        self.base = base
        self.lam = lam

    def predict(self, batch: Batch) -> Prediction:
        x = np.asarray(make(self.base).predict(batch).values, dtype=float)
        q = batch.status_quo[None, :]
        values = np.where(np.isnan(q), x, q + self.lam * (x - q))
        return Prediction(values=np.clip(values, batch.low, batch.high), detail={"base": x})
