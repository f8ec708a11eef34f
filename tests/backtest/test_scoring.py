"""Scores computed by hand on tiny examples."""

from __future__ import annotations

import math

import pytest

from standoff.backtest.scoring import (
    BacktestError,
    brier,
    coverage,
    mae,
    normalised_error,
    rmse,
    within,
)


def test_numeric_scores_by_hand():
    """Scale 0..10, forecasts 2, 5, 9 against outcomes 4, 5, 6: errors on 0–100 are
    100·(−2, 0, 3)/10 = (−20, 0, 30); MAE = 50/3 = 16.667; RMSE = √((400 + 0 + 900)/3) =
    √433.33 = 20.817; within 10 points: 1 of 3."""
    e = normalised_error([2, 5, 9], [4, 5, 6], 0, 10)
    assert list(e) == pytest.approx([-20, 0, 30])
    assert mae(e) == pytest.approx(50 / 3)
    assert rmse(e) == pytest.approx(math.sqrt(1300 / 3))
    assert within(e) == pytest.approx(1 / 3)
    assert within([10.0, -10.0, 10.5]) == pytest.approx(2 / 3)  # |e| ≤ 10 counts


def test_brier_by_hand():
    """p = (a .7, b .2, c .1). Outcome a: .3² + .2² + .1² = .09 + .04 + .01 = .14.
    Outcome d (not forecast): .7² + .2² + .1² + 1² = .49 + .04 + .01 + 1 = 1.54."""
    p = {"a": 0.7, "b": 0.2, "c": 0.1}
    assert brier(p, "a") == pytest.approx(0.14)
    assert brier(p, "d") == pytest.approx(1.54)
    assert brier({"a": 1.0}, "a") == 0.0
    assert brier({"a": 1.0}, "b") == 2.0


def test_coverage_by_hand():
    """Intervals [0, 5], [10, 15], [20, 25] and outcomes 5, 16, 20: the ends count as inside,
    so 5 and 20 are covered and 16 is not: 2/3."""
    assert coverage([0, 10, 20], [5, 15, 25], [5, 16, 20]) == pytest.approx(2 / 3)


def test_bad_inputs_are_user_errors():
    with pytest.raises(BacktestError, match="not a distribution"):
        brier({"a": 0.7, "b": 0.7}, "a")
    with pytest.raises(BacktestError, match="not a distribution"):
        brier({"a": 1.5, "b": -0.5}, "a")
    with pytest.raises(BacktestError, match="empty"):
        normalised_error(1, 2, 5, 5)
