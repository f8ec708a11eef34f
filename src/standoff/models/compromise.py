"""The compromise model: the capability × salience weighted mean of the positions.

    x* = Σ_i c_i·s_i·x_i / Σ_i c_i·s_i

Achen (2006), "Evaluating political decision-making models", and Thomson et al. (2006),
*The European Union Decides*, where it is the best single predictor of EU legislative outcomes.
It is the position that minimises the weighted sum of squared distances to the actors: the
Nash bargaining solution with quadratic utilities (see docs/models/compromise.md).
"""

from __future__ import annotations

import numpy as np

from standoff.models.base import IssueModel, Prediction, register


def weighted_mean(positions: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise weighted mean of positions[M, N] with weights[M, N] ≥ 0 (rows sum > 0)."""
    return np.einsum("mn,mn->m", positions, weights) / weights.sum(axis=1)


@register
class Compromise(IssueModel):
    """Capability × salience weighted mean position per issue."""

    name = "compromise"
    title = "Compromise (weighted mean)"

    def __init__(self) -> None:
        pass

    def predict_issue(self, positions, capability, salience) -> Prediction:
        return Prediction(values=weighted_mean(positions, capability * salience))
