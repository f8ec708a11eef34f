"""`standoff forecast` with bands and odds, and `standoff backtest --library` with the odds'
scores beside the baselines, as a user runs them."""

from __future__ import annotations

import json

import pytest

from cli_process import standoff
from standoff.backtest.calibration import calibration_for, committed_scores, meta


def test_forecast_json_carries_bands_calibration_and_odds():
    """Per issue the band is the forecast ± the conformal width of the model's 'all' scores
    (scaled to the issue, clipped); the odds sum to 1; the cross-fitted best model comes first."""
    r = standoff("forecast", "korea-2018", "-f", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out[0]["model"] == meta()["order"][0]
    for f in out:
        cal = calibration_for(f["model"], "all")
        assert f["calibration"]["set"] == "all" and f["calibration"]["n"] == cal.n
        for i in f["issues"]:  # korea-2018: every scale is 0–100
            w = cal.width(0.8)
            assert i["band80"] == pytest.approx([max(0, i["value"] - w), min(100, i["value"] + w)])
            assert i["band95"][0] <= i["band80"][0] <= i["value"] <= i["band80"][1] <= i["band95"][1]
        assert sum(f["odds"].values()) == pytest.approx(1.0)
        assert "other" in f["odds"] and 0.0 <= f["odds_detail"]["p_no_deal"] <= 1.0
        if f["model"] in ("compromise", "nash", "median", "exchange", "smp", "eum", "ensemble"):
            assert f["odds_detail"]["p_no_deal"] == 0.0  # spatial models give none: 0, and say so
            assert "0 used" in f["odds_detail"]["p_no_deal_source"]


def test_crisis_bands_name_their_set_and_size():
    """The library has 29 scores per model (at least 19: a finite 95 % band), so `--bands crisis`
    keeps its set and names it with its size; the fallback itself is tested in test_calibration."""
    n = int((committed_scores().query("model == 'nash' and set == 'crisis'")).shape[0])
    r = standoff("forecast", "korea-2018", "-m", "nash", "--bands", "crisis", "-f", "markdown")
    assert r.returncode == 0, r.stderr
    assert n >= 19 and f"(set crisis, n = {n})" in r.stdout and "band80_low" in r.stdout
    assert "fell back to all" not in r.stdout
    assert "Named outcomes" in r.stdout and "P(no deal)" in r.stdout
    r = standoff("forecast", "korea-2018", "-m", "nash", "--bands", "none", "-f", "json")
    f = json.loads(r.stdout)[0]
    assert f["issues"][0]["band80"] is None and f["calibration"] is None and f["odds"]


def test_an_ensemble_of_one_model_says_so():
    r = standoff("forecast", "korea-2018", "-m", "ensemble")
    assert r.returncode == 0, r.stderr
    weights = meta()["weights"]
    if max(weights.values()) > 1 - 1e-9:
        assert "all weight on" in r.stdout


def test_unknown_band_set_is_a_one_line_error():
    r = standoff("forecast", "korea-2018", "--bands", "everything")
    assert r.returncode == 2 and "--bands" in r.stderr and "Traceback" not in r.stderr


def test_backtest_library_shows_log_scores_and_the_baselines():
    r = standoff("backtest", "--library", "-m", "nash", "-f", "json", "--bootstrap", "10")
    assert r.returncode == 0, r.stderr
    board = {row["model"]: row for row in json.loads(r.stdout)["leaderboard"]}
    assert {"nash", "uniform", "reversion point"} <= set(board)
    assert board["nash"]["log score"] >= 0 and board["uniform"]["Brier"] >= 0
    assert 0 <= board["nash"]["band 80%"] <= board["nash"]["band 95%"] <= 1
