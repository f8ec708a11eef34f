"""Named-outcome odds: one formula, by hand on a one-issue case with "other" and P(no deal) > 0;
regions, baselines, scores; every verb gets the same numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from standoff.backtest import odds
from standoff.backtest.calibration import calibrate
from standoff.models import make
from standoff.scenario import read_scenario

ONE_ISSUE = """\
id: one
title: One issue
baseline: 2020-01-01
issues:
  - {id: a, title: A, min: 0, max: 100, status_quo: 50}
actors:
  - {id: x, name: X, capability: 1, positions: {a: 10}, salience: {a: 1}}
  - {id: y, name: Y, capability: 1, positions: {a: 90}, salience: {a: 1}}
outcomes:
  - {id: low, name: Low, positions: {a: 20}}
  - {id: mid, name: Mid, positions: {a: 60}}
  - {id: war, name: War, kind: crisis}
"""


@pytest.fixture
def one(tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text(ONE_ISSUE)
    return read_scenario(path)


def test_odds_by_hand_with_other_and_p_no_deal(one):
    """Forecast 50, calibration scores {0, 45}: the outcome is 50 (p ½), 95 (¼) or 5 (¼).
    Regions (radius 20): 50 is 10 from mid -> mid; 95 is 35 from mid -> other; 5 is 15 from low ->
    low. Deal part: low ¼, mid ½, other ¼. With P(no deal) = 0.2 and P(· | crisis game) = war 0.7,
    other 0.3:  P(low) = 0.8·¼ = 0.2,  P(mid) = 0.8·½ = 0.4,  P(war) = 0.2·0.7 = 0.14,
    P(other) = 0.8·¼ + 0.2·0.3 = 0.26 — summing to 1. Estimated from 200,000 seeded draws."""
    o = odds.outcome_odds(one, {"a": 50.0}, np.array([0.0, 45.0]), p_no_deal=0.2,
                          crisis={"war": 0.7, "other": 0.3}, draws=200_000, seed=1)
    expected = {"low": 0.2, "mid": 0.4, "war": 0.14, "other": 0.26}
    assert set(o.probabilities) == set(expected)
    for k, p in expected.items():
        assert o.probabilities[k] == pytest.approx(p, abs=0.004)
    assert sum(o.probabilities.values()) == pytest.approx(1.0, abs=1e-12)
    assert o.detail["p_no_deal"] == 0.2 and o.detail["p_no_deal_source"] == "P(no deal) from the model"


def test_a_model_without_p_no_deal_uses_zero_and_says_so(one):
    """No P(no deal): the crisis outcome gets nothing; no scores: the forecast is certain, 50 lies
    in mid's region."""
    o = odds.outcome_odds(one, {"a": 50.0}, np.array([]))
    assert o.probabilities == {"low": 0.0, "mid": 1.0, "war": 0.0, "other": 0.0}
    assert "0 used" in o.detail["p_no_deal_source"]
    with pytest.raises(odds.BacktestError, match="not a probability"):
        odds.outcome_odds(one, {"a": 50.0}, np.array([]), p_no_deal=1.5)


def test_regions_nearest_deal_within_the_radius(one):
    """Points 0, 39, 41, 81 and 80: 39 is 19 from low, 21 from mid -> low; 41 -> mid; 81 is 21
    from mid -> other; 80 is exactly 20 -> mid; 0 is 20 from low -> low."""
    labels = odds.region_of(one, {"a": np.array([0.0, 39.0, 41.0, 81.0, 80.0])})
    assert list(labels) == ["low", "low", "mid", "other", "mid"]


def test_baselines_and_scores_by_hand(one):
    """Uniform: ⅓ each on low, mid, war; recorded mid: Brier (⅔)² + 2·(⅓)² = ⅔, log ln 3.
    Reversion point 50 lies in mid's region: p(mid) = 1, Brier 0, log 0; recorded low: Brier 2,
    log −ln 0.001 = 6.908. A recorded outcome the case does not name counts as other."""
    u = odds.uniform(one)
    assert u == pytest.approx({"low": 1 / 3, "mid": 1 / 3, "war": 1 / 3, "other": 0.0})
    assert odds.brier(u, "mid") == pytest.approx(2 / 3)
    assert odds.log_score(u, "mid") == pytest.approx(math.log(3))
    r = odds.reversion(one)
    assert r == {"low": 0.0, "mid": 1.0, "war": 0.0, "other": 0.0}
    assert (odds.brier(r, "mid"), odds.log_score(r, "mid")) == (0.0, 0.0)
    assert odds.brier(r, "low") == 2.0
    assert odds.log_score(r, "low") == pytest.approx(-math.log(1e-3))
    assert odds.scored_outcome(one, "treaty-of-somewhere") == "other"


def test_the_crisis_game_conditional_sums_to_one():
    """korea-2018 names use-of-force: the game's QRE probabilities fall on it and on other."""
    import standoff

    s = standoff.load("korea-2018")
    cond, source = odds.crisis_probabilities(s)
    assert sum(cond.values()) == pytest.approx(1.0)
    assert set(cond) == {o.id for o in s.outcomes} | {"other"}
    assert all(cond[o.id] == 0 for o in s.outcomes if o.kind == "deal")
    assert "interaction game" in source


def test_calibrate_uses_the_one_formula(one):
    """calibrate() (used by forecast, the web and the backtest) gives the same odds as
    outcome_odds with the forecast's calibration scores."""
    from standoff.backtest.calibration import calibration_for

    f = make("compromise").forecast(one)
    got = calibrate(one, f, "all")
    cal = calibration_for("compromise", "all")
    direct = odds.outcome_odds(one, {"a": f.value("a")}, cal.scores)
    assert got.odds == direct.probabilities
    assert sum(got.odds.values()) == pytest.approx(1.0)
    assert got.odds_detail["calibration_set"] == "all"


def test_the_no_deal_rest_goes_to_the_no_agreement_outcome(monkeypatch):
    """With a named outcome marked no_agreement (here freeze-for-freeze of korea-2018, marked by
    a stub), the crisis game's ends that are no named crisis outcome go to it instead of "other";
    use-of-force keeps its probability."""
    import standoff

    s = standoff.load("korea-2018")
    plain, _ = odds.crisis_probabilities(s)
    monkeypatch.setattr(odds, "no_agreement", lambda scenario: "freeze-for-freeze")
    routed, source = odds.crisis_probabilities(s)
    assert routed["other"] == 0.0
    assert routed["freeze-for-freeze"] == pytest.approx(plain["other"])
    assert routed["use-of-force"] == pytest.approx(plain["use-of-force"])
    assert "freeze-for-freeze" in source


def test_p_no_deal_read_from_the_models_detail():
    """Per-issue P(no deal) (the consent model: 1 where an issue's consent set is empty) gives the
    largest, 1 for (0, 1, 0); the expectations model's p_breakdown 0.3 is taken as it is; a model
    with neither gives None (0 used by the odds, and said)."""
    from standoff.backtest.calibration import model_p_no_deal

    assert model_p_no_deal({"p_no_deal": [0.0, 1.0, 0.0]}) == 1.0
    assert model_p_no_deal({"p_breakdown": 0.3}) == 0.3
    assert model_p_no_deal({"rounds": 3}) is None


def test_a_declared_region_takes_the_values_inside_it(one, tmp_path):
    """`mid` declares the region a ∈ [40, 100]; `low` keeps the nearest-deal rule (radius 20)
    among the deals without a region. By hand: 5 and 35 are 15 from low -> low; 41 and 95 are
    inside mid's box -> mid (95 would be 'other' by distance, 35 from 60); 39 is 19 from low ->
    low. Odds of forecast 50 with scores {0, 45}: the outcome is 50 (½), 95 (¼), 5 (¼) ->
    mid ¾, low ¼, other 0."""
    path = tmp_path / "boxed.yaml"
    path.write_text(ONE_ISSUE.replace("{id: mid, name: Mid, positions: {a: 60}}",
                                      "{id: mid, name: Mid, positions: {a: 60}, region: {a: [40, 100]}}"))
    s = read_scenario(path)
    labels = odds.region_of(s, {"a": np.array([5.0, 35.0, 39.0, 41.0, 95.0])})
    assert list(labels) == ["low", "low", "low", "mid", "mid"]
    # without the box, 95 is "other"
    assert list(odds.region_of(one, {"a": np.array([95.0])})) == ["other"]
    o = odds.outcome_odds(s, {"a": 50.0}, np.array([0.0, 45.0]), p_no_deal=0.0, draws=100_000, seed=3)
    assert o.probabilities["mid"] == pytest.approx(0.75, abs=0.005)
    assert o.probabilities["low"] == pytest.approx(0.25, abs=0.005)
    assert o.probabilities["other"] == 0.0


@pytest.mark.parametrize(("region", "message"), [
    ("{a: [60, 40]}", "low 60 above high 40"),
    ("{b: [0, 10]}", "unknown issue 'b'"),
    ("{a: [-5, 10]}", "leaves the scale"),
])
def test_bad_regions_are_located_errors(tmp_path, region, message):
    from standoff.errors import ScenarioError

    path = tmp_path / "bad.yaml"
    path.write_text(ONE_ISSUE.replace("{id: mid, name: Mid, positions: {a: 60}}",
                                      f"{{id: mid, name: Mid, positions: {{a: 60}}, region: {region}}}"))
    with pytest.raises(ScenarioError) as err:
        read_scenario(path)
    assert message in str(err.value) and "outcomes[1]" in str(err.value)
