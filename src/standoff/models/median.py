"""The weighted median: Black's median voter, each actor weighted by capability × salience.

For positions x_1 ≤ … ≤ x_N with weights w_i = c_i·s_i and W = Σ w_i, the weighted median is
the position x_m such that the actors at or left of it hold at least W/2 and the actors at or
right of it hold at least W/2. When the left part holds exactly W/2 (a tie between two
positions) the median is the midpoint of the two, so that relabelling the scale end for end
mirrors the forecast. Black (1948), "On the rationale of group decision-making".
"""

from __future__ import annotations

import numpy as np

from standoff.models.base import IssueModel, Prediction, register


def weighted_median(positions: np.ndarray, weights: np.ndarray, rtol: float = 1e-12) -> np.ndarray:
    """Row-wise weighted median of positions[M, N] with weights[M, N] ≥ 0 (rows sum > 0)."""
    order = np.argsort(positions, axis=1, kind="stable")
    x = np.take_along_axis(positions, order, axis=1)
    w = np.take_along_axis(weights, order, axis=1)
    cum = np.cumsum(w, axis=1)
    half = cum[:, -1:] / 2.0
    tol = rtol * cum[:, -1:]
    lower = np.argmax(cum >= half - tol, axis=1)
    upper = np.argmax(cum > half + tol, axis=1)
    rows = np.arange(x.shape[0])
    return (x[rows, lower] + x[rows, upper]) / 2.0


@register
class WeightedMedian(IssueModel):
    """Weighted median position per issue (weights: capability × salience)."""

    name = "median"
    title = "Weighted median (median voter)"

    def __init__(self) -> None:
        pass

    def predict_issue(self, positions, capability, salience) -> Prediction:
        return Prediction(values=weighted_median(positions, capability * salience))
