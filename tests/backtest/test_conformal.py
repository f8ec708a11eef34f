"""Error bands from past errors: the conformal quantile by hand, its coverage guarantee by
simulation, the leaderboard's band columns, and the committed bands equal to a fresh fit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from standoff.backtest.conformal import (
    bands_on_deu,
    bands_text,
    conformal_width,
    coverage,
    default_bands,
    fit_bands,
)
from standoff.backtest.harness import NUMERIC_COLUMNS, Backtest, leaderboard
from standoff.backtest.scoring import BacktestError
from standoff.models import available


def test_width_is_the_ceil_n_plus_one_q_th_smallest_error():
    """Errors 1..9 (n = 9): at 0.8, k = ⌈10 × 0.8⌉ = 8, the width is 8; at 0.95, k = ⌈9.5⌉ = 10 > 9:
    nine errors cannot promise 95%, the band is unbounded. Signs do not matter; order does not."""
    errors = [3, -1, 9, 2, 7, -5, 4, 8, 6]
    assert conformal_width(errors, 0.8) == 8.0
    assert conformal_width(errors, 0.95) == math.inf
    assert conformal_width(range(1, 20), 0.95) == 19.0  # n = 19: k = ⌈19⌉ = 19
    assert conformal_width(range(1, 20), 0.5) == 10.0   # k = ⌈10⌉ = 10
    assert conformal_width([], 0.8) == math.inf
    with pytest.raises(BacktestError, match="not in"):
        conformal_width(errors, 1.0)


def test_coverage_of_exchangeable_errors_is_the_level():
    """With n = 19 fitting errors and a new one, all i.i.d., the new error is within the 16th
    smallest (q = 0.8) with probability exactly 16/20 = 0.8, and within the 19th (q = 0.95) with
    probability 19/20: 40,000 seeded repetitions land within 0.01 of both."""
    rng = np.random.default_rng(11)
    errors = np.abs(rng.standard_t(3, size=(40_000, 20)))
    for q, exact in ((0.8, 0.8), (0.95, 0.95)):
        k = math.ceil(20 * q)
        widths = np.sort(errors[:, :19], axis=1)[:, k - 1]
        assert np.mean(errors[:, 19] <= widths) == pytest.approx(exact, abs=0.01)
        assert conformal_width(errors[0, :19], q) == widths[0]


def _backtest(errors: dict[str, list[float]]) -> Backtest:
    rows = [{"case": f"c{k}", "half": None, "issue": "i", "model": m, "forecast": e, "actual": 0.0,
             "low": 0.0, "high": 100.0, "error": e, "abs_error": abs(e)}
            for m, es in errors.items() for k, e in enumerate(es)]
    return Backtest(pd.DataFrame(rows, columns=NUMERIC_COLUMNS),
                    pd.DataFrame(columns=["case", "model", "brier"]),
                    tuple(errors))


def test_fit_and_coverage_by_hand():
    """Model a errs 1..9 on the fitting half: w80 = 8. On new errors (2, 8, 9, 30) the band
    covers 2 of 4; a model without a band is left out."""
    fitted = fit_bands(_backtest({"a": list(range(1, 10))}), levels=(0.8,))
    assert fitted.to_dict("records") == [{"model": "a", "n": 9, "w80": 8.0}]
    cov = coverage(_backtest({"a": [2, -8, 9, 30], "b": [0.0]}), {"a": {0.8: 8.0}})
    assert cov.to_dict("records") == [{"model": "a", "band 80%": 0.5}]
    assert bands_text(fitted) == "model,n,w80\na,9,8.0000\n"


def test_the_leaderboard_shows_the_share_within_each_models_committed_band():
    bands = default_bands()
    w80, w95 = bands["compromise"][0.8], bands["compromise"][0.95]
    errors = [w80 - 1, w80 + 1, w95 + 1, 0.0]  # within 80%: 2 of 4; within 95%: 3 of 4
    row = leaderboard(_backtest({"compromise": errors, "mystery": [1.0]})).set_index("model")
    assert row.loc["compromise", "band 80%"] == 0.5
    assert row.loc["compromise", "band 95%"] == 0.75
    assert np.isnan(row.loc["mystery", "band 80%"])


def test_committed_bands_cover_every_model_and_are_the_fit_on_the_fitting_half(reference_data):
    committed = default_bands()
    assert set(committed) == set(available())
    for widths in committed.values():
        assert 0 < widths[0.8] <= widths[0.95] <= 100
    fitted = bands_on_deu(reference_data / "deu3-train.csv").set_index("model")
    for name, widths in committed.items():
        assert fitted.loc[name, "w80"] == pytest.approx(widths[0.8], abs=1e-4)
        assert fitted.loc[name, "w95"] == pytest.approx(widths[0.95], abs=1e-4)
