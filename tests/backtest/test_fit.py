"""Stacking weights: non-negative, summing to 1, exact on small problems, and the committed
defaults are what fitting on the fitting half gives."""

from __future__ import annotations

import numpy as np
import pytest

from standoff.backtest.fit import fit_on_deu, stack_weights
from standoff.models.ensemble import default_weights


def test_recovers_an_exact_mixture():
    """y = 0.3·a + 0.7·b exactly: the weights are (0.3, 0.7, 0)."""
    rng = np.random.default_rng(0)
    P = rng.uniform(0, 100, size=(30, 3))
    y = 0.3 * P[:, 0] + 0.7 * P[:, 1]
    np.testing.assert_allclose(stack_weights(P, y), [0.3, 0.7, 0.0], atol=1e-9)


def test_constraints_bind():
    """Forecasts a = (0, 0), b = (10, 10) and outcomes (20, 20): the unconstrained fit puts
    weight 2 on b; with w ≥ 0 and Σw = 1 the best is all weight on b (loss 2·10² = 200)."""
    P = np.array([[0.0, 10.0], [0.0, 10.0]])
    np.testing.assert_allclose(stack_weights(P, np.array([20.0, 20.0])), [0.0, 1.0])


def test_weights_are_a_convex_combination_on_random_problems():
    rng = np.random.default_rng(1)
    for _ in range(20):
        P = rng.uniform(0, 100, size=(15, 4))
        y = rng.uniform(0, 100, size=15)
        w = stack_weights(P, y)
        assert (w >= 0).all() and w.sum() == pytest.approx(1.0)
        # no convex combination on a grid does better
        for v in rng.dirichlet(np.ones(4), size=200):
            assert np.sum((P @ w - y) ** 2) <= np.sum((P @ v - y) ** 2) + 1e-6


def test_committed_defaults_are_the_fit_on_the_fitting_half(reference_data):
    fitted = fit_on_deu(reference_data / "deu3-train.csv")
    committed = default_weights()
    assert list(fitted) == list(committed)
    assert [fitted[k] for k in fitted] == pytest.approx([committed[k] for k in committed], abs=1e-6)
