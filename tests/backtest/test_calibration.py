"""Calibrated forecasts: the band of a forecast by hand, the fallback to "all", coverage by
simulation with its finite-sample guarantee, cross-fitting that never uses the scored case or its
family, and the committed calibration equal to a fresh fit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from standoff.backtest import calibration, crossfit, fit
from standoff.backtest.calibration import (
    calibrate,
    calibration_for,
    committed_scores,
    crossfit_model,
    group_of,
    meta,
    model_order,
)
from standoff.backtest.cases import resolve
from standoff.backtest.crossfit import band_table, cross_fit
from standoff.backtest.harness import Case, run
from standoff.backtest.library import family, library
from standoff.models import available, make
from standoff.models.ensemble import default_weights
from standoff.models.forecast import Forecast


def _scores(eu: list[float], crisis: list[float], model: str = "compromise") -> pd.DataFrame:
    rows = [{"model": model, "set": "eu", "group": f"p{k}", "case": f"p{k}", "issue": "i", "score": s}
            for k, s in enumerate(eu)]
    rows += [{"model": model, "set": "crisis", "group": f"family:f{k % 2}", "case": f"c{k}",
              "issue": "i", "score": s} for k, s in enumerate(crisis)]
    return pd.DataFrame(rows)


def test_band_of_a_forecast_by_hand(toy):
    """eu scores 1..20 (n = 20): w80 is the ⌈21·0.8⌉ = 17th smallest, 17; w95 the ⌈19.95⌉ = 20th,
    20. The toy's compromise forecast x on issue a (0–100) gets x ± 17 and x ± 20, clipped to the
    scale; on issue b (0–10) x ± 1.7 and x ± 2."""
    scores = _scores(list(range(1, 21)), [])
    f = calibrate(toy, make("compromise").forecast(toy), "eu", scores=scores)
    a, b = f.issues
    assert a.band80 == pytest.approx((max(0, a.value - 17), min(100, a.value + 17)))
    assert a.band95 == pytest.approx((max(0, a.value - 20), min(100, a.value + 20)))
    assert b.band80 == pytest.approx((max(0, b.value - 1.7), min(10, b.value + 1.7)))
    assert f.calibration["set"] == "eu" and f.calibration["n"] == 20
    assert f.calibration["w80"] == 17.0 and f.calibration["w95"] == 20.0
    assert sum(f.odds.values()) == pytest.approx(1.0)
    frame = f.to_frame()
    assert frame.band80_low.iloc[0] == pytest.approx(a.band80[0])
    assert (frame.calibration_set == "eu").all()
    assert Forecast.from_json(f.to_json()) == f


def test_a_scenario_without_named_outcomes_gets_bands_but_no_odds(toy):
    bare = toy.model_copy(update={"outcomes": ()})
    f = calibrate(bare, make("compromise").forecast(bare), "eu", scores=_scores(list(range(1, 21)), []))
    assert f.odds is None and f.issues[0].band80 is not None


def test_a_set_under_19_scores_falls_back_to_all_and_says_so():
    """crisis: 5 scores, ⌈6·0.95⌉ = 6 > 5, no finite 95 % band: the set becomes all (20 + 5 = 25
    scores) with a note. eu with 20 scores stays. Leaving out family f0 (crisis scores 0, 2, 4)
    leaves 22 scores."""
    scores = _scores(list(range(1, 21)), [1, 2, 3, 4, 5])
    cal = calibration_for("compromise", "crisis", scores=scores)
    assert (cal.set, cal.n) == ("all", 25)
    assert "fell back to all" in cal.notes[0]
    assert calibration_for("compromise", "eu", scores=scores).set == "eu"
    assert calibration_for("compromise", "all", exclude=["family:f0"], scores=scores).n == 22
    assert calibration_for("nobody", "all", scores=scores) is None
    table = band_table(scores).set_index(["model", "set"])
    assert math.isinf(table.loc[("compromise", "crisis"), "w95"])
    assert table.loc[("compromise", "all"), "n"] == 25


def test_coverage_by_simulation_meets_the_finite_sample_guarantee():
    """Split conformal with n exchangeable continuous scores: q ≤ P(new ≤ w_q) ≤ q + 1/(n + 1).
    With n = 30 calibration errors (|t₃| draws) per repetition and 20,000 seeded repetitions,
    q = 0.8: k = ⌈24.8⌉ = 25, P = 25/31 = 0.806; q = 0.95: k = ⌈29.45⌉ = 30, P = 30/31 = 0.968.
    The calibration goes through calibration_for (set eu) and the simulated shares land within
    0.01 of k/(n + 1), inside [q, q + 1/31]."""
    rng = np.random.default_rng(2026)
    errors = np.abs(rng.standard_t(3, size=(20_000, 31)))
    for q in (0.8, 0.95):
        k = math.ceil(31 * q)
        widths = np.sort(errors[:, :30], axis=1)[:, k - 1]
        share = float(np.mean(errors[:, 30] <= widths))
        assert share == pytest.approx(k / 31, abs=0.01)
        assert q - 0.01 <= share <= q + 1 / 31 + 0.01
    cal = calibration_for("compromise", "eu", scores=_scores(list(errors[0, :30]), []))
    assert cal.width(0.8) == np.sort(errors[0, :30])[24]


def test_cross_fitting_never_uses_the_left_out_group(monkeypatch):
    """Each leave-out stacking sees no row of its group: outcomes encode the group (y = 1000·g +
    issue), and the stub records the outcomes of every call. The ensemble's forecast of a group's
    issues comes from the weights fitted without it."""
    rng = np.random.default_rng(3)
    rows = []
    for g in range(4):
        for i in range(3):
            for m in ("a", "b"):
                rows.append({"case": f"c{g}", "issue": f"i{i}", "model": m, "set": "eu",
                             "group": f"g{g}", "f": float(rng.uniform(0, 100)), "y": 1000.0 * g + i})
    frame = pd.DataFrame(rows)
    seen = []
    real = fit.stack_weights

    def spy(P, y):
        seen.append(sorted({int(v // 1000) for v in y}))
        return real(P, y)

    monkeypatch.setattr(fit, "stack_weights", spy)
    ens, full, by_group = cross_fit(frame, ["a", "b"])
    assert seen[0] == [0, 1, 2, 3]  # the full fit
    assert seen[1:] == [[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]]  # g0, g1, g2, g3 left out
    wide = frame.pivot_table(index=["case", "issue"], columns="model", values="f")
    for row in ens.itertuples():
        w = by_group[row.group]
        assert row.f == pytest.approx(w["a"] * wide.loc[(row.case, row.issue), "a"]
                                      + w["b"] * wide.loc[(row.case, row.issue), "b"])


def test_library_cases_are_scored_without_their_family():
    """Families: both Korea cases are one family. A library case's bands are fitted without its
    family's scores (band_n = the set's scores minus those of the family: the crisis set, or all
    where fewer than 19 library scores remain), and the ensemble
    scoring it uses the weights stacked without the family."""
    assert family("korea-2018") == family("korea-2019") != family("iran-2015")
    cases = [c for c in resolve([], with_library=True) if c.name == "korea-2019"]
    bt = run(cases, [make("nash")], crisis=False)
    scores = committed_scores()
    own = scores[scores.model == "nash"]
    korea = group_of(cases[0])
    crisis = own[own.set == "crisis"]  # the library's scores; 'all' where fewer than 19 remain
    expected = "crisis" if len(crisis) - (crisis.group == korea).sum() >= 19 else "all"
    pool = crisis if expected == "crisis" else own
    assert (bt.numeric.band_n == len(pool) - (pool.group == korea).sum()).all()
    assert (bt.numeric.band_set == expected).all()
    model = crossfit_model(make("ensemble"), cases[0])
    assert dict(zip(model.members, model.weights, strict=True)) == \
        meta()["weights_by_group"][korea]
    deu_case = Case("deu3-not-fitted", cases[0].scenario, half="eval")
    assert crossfit_model(make("ensemble"), deu_case).members is None
    # the model shown first for a case is chosen without its family
    assert model_order(scores, exclude=[korea]) == model_order(scores[scores.group != korea])


def test_every_library_case_has_a_group_and_the_scores_cover_it():
    groups = set(committed_scores().group)
    for name in library():
        assert group_of(Case(name, None)) in groups


def test_the_forecast_order_puts_the_cross_fitted_best_first():
    """The committed order is the models by pooled mean score; ties put the ensemble after the
    member it equals."""
    scores = committed_scores()
    mae = scores.groupby("model").score.mean()
    order = meta()["order"]
    assert [round(mae[m], 9) for m in order] == sorted(round(v, 9) for v in mae)
    assert calibration.model_first(list(available()))[0] == order[0]


def test_committed_calibration_is_a_fresh_fit(reference_data):
    """Scores, band table, weights (all and by group) and order as the package data holds them."""
    result = crossfit.fit(reference_data / "deu3-train.csv")
    committed = committed_scores()
    fresh = result["scores"]
    assert list(fresh.columns) == list(committed.columns)
    assert len(fresh) == len(committed)
    np.testing.assert_allclose(fresh.score.to_numpy(), committed.score.to_numpy(), atol=1e-5)
    assert (fresh[["model", "set", "group", "case", "issue"]].to_numpy()
            == committed[["model", "set", "group", "case", "issue"]].to_numpy()).all()
    assert result["weights"] == pytest.approx(default_weights(), abs=1e-6)
    assert result["order"] == meta()["order"]
    for g, w in result["weights_by_group"].items():
        assert w == pytest.approx(meta()["weights_by_group"][g], abs=1e-9)
