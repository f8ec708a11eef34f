"""The harness on a toy scenario with recorded outcomes, and the paired bootstrap by case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from standoff.backtest.cases import resolve
from standoff.backtest.harness import Backtest, leaderboard, paired_bootstrap, run
from standoff.backtest.scoring import BacktestError
from standoff.models import make


def test_toy_case_scored_by_hand(toy_recorded_path):
    """The toy is forecast as of its last event before the outcomes (2018-03-01): x at 40 on
    a, y at 50, z's capability 5. Compromise on a: weights c·s = 10·.5, 20·1, 5·.2 = 5, 20, 1;
    (5·40 + 20·50 + 1·90)/26 = 1290/26 = 49.615, error 9.615 (scale 0–100). On b (0..10):
    weights 10·1, 20·.5, 5·.2 = 10, 10, 1; (20 + 80 + 5)/21 = 5.0, error 0. MAE = 4.808,
    RMSE = 9.615/√2 = 6.799, both within 10 points. Nearest deal of (49.6, 5.0): small (RMS
    29.8) before big (30.2); the record says small: Brier 0."""
    cases = resolve([str(toy_recorded_path)])
    assert cases[0].scenario.as_of_date.isoformat() == "2018-03-01"
    bt = run(cases, [make("compromise")], calibrated=False)
    row = leaderboard(bt).iloc[0]
    assert row["MAE"] == pytest.approx((1290 / 26 - 40) / 2)
    assert row["RMSE"] == pytest.approx((1290 / 26 - 40) / np.sqrt(2))
    assert row["within 10"] == 1.0
    cat = bt.categorical.iloc[0]
    assert (cat.model, cat.outcome, cat.brier, cat.basis) == \
        ("compromise", "small", 0.0, "nearest named outcome")


def test_toy_case_scored_by_odds_against_the_baselines(toy_recorded_path):
    """Calibrated (the default), the named outcome is scored by the odds (a distribution over
    small, big, war and other). Baselines by hand: uniform puts 1/3 on each of small, big and war:
    Brier (2/3)² + 2·(1/3)² = 2/3, log ln 3. The reversion point: only issue a has a status quo
    (20), so no named deal (both name a and b) can be measured from it: "other" gets 1, Brier
    1 + 1 = 2, log −ln 0.001."""
    bt = run(resolve([str(toy_recorded_path)]), [make("compromise")])
    cat = bt.categorical.set_index("model")
    assert cat.loc["compromise", "basis"].startswith("odds")
    assert 0 <= cat.loc["compromise", "p_outcome"] <= 1
    assert cat.loc["uniform", "brier"] == pytest.approx(2 / 3)
    assert cat.loc["uniform", "log"] == pytest.approx(np.log(3))
    assert cat.loc["reversion point", "brier"] == pytest.approx(2.0)
    assert cat.loc["reversion point", "log"] == pytest.approx(-np.log(1e-3))
    assert bt.numeric.band_set.iloc[0] == "crisis"  # a scenario file: the library's 29 scores


def test_monte_carlo_coverage_is_a_share(toy_recorded_path):
    bt = run(resolve([str(toy_recorded_path)]), [make("compromise")], draws=200, seed=3)
    assert set(bt.numeric.in80) <= {0.0, 1.0}
    assert (bt.numeric.p10 <= bt.numeric.p90).all()
    again = run(resolve([str(toy_recorded_path)]), [make("compromise")], draws=200, seed=3)
    pd.testing.assert_frame_equal(bt.numeric, again.numeric)


def _frame(rows):
    out = []
    for case, issue, model, err in rows:
        out.append({"case": case, "half": None, "issue": issue, "model": model, "forecast": err,
                    "actual": 0.0, "low": 0.0, "high": 100.0, "error": err, "abs_error": abs(err)})
    return Backtest(pd.DataFrame(out), pd.DataFrame(columns=["case", "model", "brier"]),
                    ("a", "base"))


def test_bootstrap_resamples_cases_not_issues():
    """Case X: 3 issues, model a errs 10 on each, the baseline 0; case Y: 1 issue, a errs 40.
    Resampling cases gives XX, XY or YY: ΔMAE 10, (30 + 40)/4 = 17.5 or 40, each of XX and
    YY a quarter of the time, so the 2.5% and 97.5% points are exactly 10 and 40. (Resampling
    issues would put mass between 10 and 17.5 as well.)"""
    rows = [("X", f"i{k}", "a", 10.0) for k in range(3)] + [("X", f"i{k}", "base", 0.0)
                                                             for k in range(3)]
    rows += [("Y", "j", "a", 40.0), ("Y", "j", "base", 0.0)]
    boot = paired_bootstrap(_frame(rows), "base", draws=2000, seed=1).set_index("model")
    assert boot.loc["a", "vs base"] == pytest.approx(70 / 4)
    assert boot.loc["a", "diff low"] == pytest.approx(10.0)
    assert boot.loc["a", "diff high"] == pytest.approx(40.0)
    assert boot.loc["base", "vs base"] == 0.0


def test_bootstrap_is_reproducible_with_a_seed():
    rng = np.random.default_rng(0)
    rows = [(f"c{c}", f"i{k}", m, float(rng.normal(20, 10))) for c in range(8) for k in range(3)
            for m in ("a", "base")]
    bt = _frame(rows)
    one, two = paired_bootstrap(bt, "base", seed=5), paired_bootstrap(bt, "base", seed=5)
    pd.testing.assert_frame_equal(one, two)
    assert not paired_bootstrap(bt, "base", seed=6).equals(one)


def test_bad_inputs():
    with pytest.raises(BacktestError, match="no cases"):
        run([], [make("compromise")])
    with pytest.raises(BacktestError, match="baseline"):
        paired_bootstrap(_frame([("X", "i", "a", 1.0)]), "base")


def test_crisis_game_scored_as_crisis_outcome_or_the_rest():
    """Korea 2018 names one crisis outcome (use-of-force) and records a deal. The interaction
    game's QRE probabilities collapse to {use-of-force: p, no-crisis-outcome: 1 − p} and the
    record counts as no-crisis-outcome: Brier = p² + (1 − (1 − p))² = 2p²."""
    from standoff.backtest.harness import Case
    from standoff.backtest.library import load_with_outcomes
    from standoff.games.crisis import crisis

    s = load_with_outcomes("korea-2018")
    p = crisis(s, "united-states", "north-korea").probabilities()["use-of-force"]
    bt = run([Case("korea-2018", s)], [make("compromise")])
    row = bt.categorical.set_index("model").loc["interaction-game"]
    assert row.outcome == "no-crisis-outcome"
    assert row.brier == pytest.approx(2 * p ** 2)
    assert row.p_outcome == pytest.approx(1 - p)
