"""The ensemble: a weighted mean of other registered models' forecasts.

    x*_k = Σ_m w_m · x*_{m,k},   w_m ≥ 0,  Σ_m w_m = 1

The weights are parameters. Their defaults (package data `ensemble-weights.csv`) are fitted by
stacking on the fitting half of the DEU III split and the case library — the constrained least
squares of :func:`standoff.backtest.fit.stack_weights` on errors normalised to 0–100, written by
:mod:`standoff.backtest.calibration` — and reported on the other half (docs/backtest.md).
Weights given without members are an error; members given without weights get equal weights.
"""

from __future__ import annotations

import csv
import io
from importlib import resources

import numpy as np

from standoff.errors import ModelError
from standoff.models.base import Batch, Model, Prediction, available, make, register
from standoff.models.params import NAMES, NUMBERS, Param

WEIGHTS_FILE = "ensemble-weights.csv"


def default_weights() -> dict[str, float]:
    """The fitted default weights (package data), member -> weight."""
    text = resources.files("standoff.data").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return {r["member"]: float(r["weight"]) for r in rows}


def _names(value) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v) for v in value)


@register
class Ensemble(Model):
    """Weighted mean of the forecasts of other models (weights ≥ 0, summing to 1)."""

    name = "ensemble"
    title = "Ensemble (stacked weights)"
    wraps = True
    params = {
        "members": Param(NAMES, None, "the models combined (default: the fitted stack)", nullable=True),
        "weights": Param(NUMBERS, None, "their weights, one per member (≥ 0, normalised to sum 1)",
                         nullable=True),
    }

    def __init__(self, members: tuple[str, ...] | str | None = None,
                 weights: tuple[float, ...] | None = None) -> None:
        self.members = _names(members)
        self.weights = None if weights is None else tuple(
            float(w) for w in (weights if isinstance(weights, (list, tuple)) else [weights]))

    def budget_members(self) -> tuple[str, ...]:
        return self.resolved()[0]

    def resolved(self) -> tuple[tuple[str, ...], np.ndarray]:
        """The member names and their weights normalised to sum to 1 (defaults filled in)."""
        if self.members is None:
            if self.weights is not None:
                raise ModelError("ensemble weights given without members", where="--param weights",
                                 fix="give members=[a, b] with weights=[wa, wb]")
            d = default_weights()
            names, w = tuple(d), np.array(list(d.values()), dtype=float)
        else:
            names = self.members
            w = np.ones(len(names)) if self.weights is None else np.array(self.weights, dtype=float)
        if not names:
            raise ModelError("an ensemble needs at least one member", where="--param members",
                             fix="e.g. members=[compromise, smp]")
        if len(w) != len(names):
            raise ModelError(f"{len(names)} members but {len(w)} weights", where="--param weights",
                             fix="give one weight per member")
        if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise ModelError(f"ensemble weights {list(w)} must be ≥ 0 with a positive sum",
                             where="--param weights", fix="e.g. weights=[0.7, 0.3]")
        for n in names:
            if n == self.name or n not in available():
                raise ModelError(f"ensemble member {n!r} is not another registered model",
                                 where="--param members",
                                 fix=f"use some of: {', '.join(m for m in available() if m != self.name)}")
        return names, w / w.sum()

    def predict(self, batch: Batch) -> Prediction:
        names, w = self.resolved()
        used = [(n, wm) for n, wm in zip(names, w, strict=True) if wm > 0]  # weight 0: not run
        values = sum(wm * np.asarray(make(n).predict(batch).values, dtype=float) for n, wm in used)
        return Prediction(values=values, detail={"weights": dict(zip(names, w.tolist(), strict=True))})
