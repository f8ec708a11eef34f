"""Scores of forecasts against recorded outcomes, on issue scales normalised to 0–100.

- numeric: the error e = 100·(forecast − actual)/(max − min); MAE = mean |e|, RMSE = √mean e²,
  the share of |e| ≤ 10 ("within 10 points");
- categorical: the Brier score Σ_k (p_k − o_k)² over the outcomes named by the forecast or the
  record (o_k = 1 for the outcome that happened, else 0): 0 is a sure right forecast, 2 a sure
  wrong one (Brier 1950, the original multi-category form);
- intervals: coverage, the share of actual values inside their forecast interval [low, high].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from standoff.errors import StandoffError

WITHIN = 10.0


class BacktestError(StandoffError):
    """A case or setting that cannot be backtested (no recorded outcomes, bad probabilities...)."""


def normalised_error(forecast: float | np.ndarray, actual: float | np.ndarray, low: float,
                     high: float) -> np.ndarray:
    """100·(forecast − actual)/(high − low): the signed error in points of a 0–100 scale."""
    if not high > low:
        raise BacktestError(f"scale [{low:g}, {high:g}] is empty", where="issue scale",
                            fix="give the issue a max above its min")
    return 100.0 * (np.asarray(forecast, dtype=float) - np.asarray(actual, dtype=float)) / (high - low)


def mae(errors: Sequence[float] | np.ndarray) -> float:
    """Mean absolute error."""
    e = np.asarray(errors, dtype=float)
    return float(np.mean(np.abs(e))) if e.size else float("nan")


def rmse(errors: Sequence[float] | np.ndarray) -> float:
    """Root mean squared error."""
    e = np.asarray(errors, dtype=float)
    return float(np.sqrt(np.mean(e ** 2))) if e.size else float("nan")


def within(errors: Sequence[float] | np.ndarray, points: float = WITHIN) -> float:
    """Share of errors with |e| ≤ `points`."""
    e = np.asarray(errors, dtype=float)
    return float(np.mean(np.abs(e) <= points)) if e.size else float("nan")


def brier(probabilities: Mapping[str, float], outcome: str) -> float:
    """Σ_k (p_k − o_k)² over the named outcomes of the forecast and the one that happened."""
    p = {k: float(v) for k, v in probabilities.items()}
    if any(not np.isfinite(v) or v < 0 for v in p.values()) or abs(sum(p.values()) - 1) > 1e-6:
        raise BacktestError(f"outcome probabilities {p} are not a distribution",
                            where="outcome_probabilities", fix="give probabilities ≥ 0 summing to 1")
    keys = set(p) | {outcome}
    return float(sum((p.get(k, 0.0) - (1.0 if k == outcome else 0.0)) ** 2 for k in keys))


def coverage(low: Sequence[float] | np.ndarray, high: Sequence[float] | np.ndarray,
             actual: Sequence[float] | np.ndarray) -> float:
    """Share of actual values inside their closed interval [low, high]."""
    lo, hi, y = (np.asarray(a, dtype=float) for a in (low, high, actual))
    return float(np.mean((lo <= y) & (y <= hi))) if y.size else float("nan")
