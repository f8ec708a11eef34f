"""The weighted median and compromise models: hand-computed cases, invariants, properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import standoff
from standoff.models import Batch, available, make
from standoff.models.compromise import weighted_mean
from standoff.models.median import weighted_median


def reference_median(x, w):
    """Oracle from the definition: the positions p with weight(≤ p) ≥ W/2 and weight(≥ p) ≥ W/2;
    with two such positions (an exact tie), their midpoint."""
    total = sum(w)
    ok = [p for p in sorted(set(x))
          if sum(wi for xi, wi in zip(x, w, strict=False) if xi <= p) >= total / 2 - 1e-9 * total
          and sum(wi for xi, wi in zip(x, w, strict=False) if xi >= p) >= total / 2 - 1e-9 * total]
    return (min(ok) + max(ok)) / 2


def test_ec_emissions_by_hand():
    """Weights c·s: at 4: NL 6.4 + Lux 0.6 + De 12.8 + Dk 5 = 24.8; at 7: Be 3.2 + Ie 0.5 + Gr 5.6
    = 9.3; at 10: Fr 9.6 + It 9.6 + UK 14.4 = 33.6. W = 67.7, W/2 = 33.85; the cumulative weight
    first reaches it at 7 (34.1), so the median is 7. Mean = (24.8·4 + 9.3·7 + 33.6·10)/67.7
    = 500.3/67.7 = 7.38996."""
    ec = standoff.load("ec-emissions-1994")
    assert standoff.forecast(ec, "median").value("emissions-date") == 7
    assert standoff.forecast(ec, "compromise").value("emissions-date") == pytest.approx(500.3 / 67.7)


def test_tie_gives_the_midpoint():
    """Two actors of equal weight at 2 and 8: each side holds exactly half, median (2+8)/2 = 5."""
    x = np.array([[2.0, 8.0]])
    assert weighted_median(x, np.ones_like(x))[0] == 5.0
    # zero-weight actors do not move it
    x = np.array([[2.0, 5.0, 8.0, 9.0]])
    assert weighted_median(x, np.array([[1.0, 0.0, 1.0, 0.0]]))[0] == 5.0


def test_toy_case_forecast_labels(toy):
    """Issue a, as of 2018-03-01: x 40 (w 10·.5 = 5), y 50 (w 20·1 = 20), z 90 (w 5·.2 = 1):
    mean = (200 + 1000 + 90)/26 = 49.615 -> nearest labelled point 'half' (50); median 50.
    Issue b: x 2 (10·1 = 10), y 8 (20·.5 = 10), z 5 (5·.2 = 1): mean = (20 + 80 + 5)/21 = 5."""
    s = toy.as_of("2018-03-01")
    f = standoff.forecast(s, "compromise")
    assert f.value("a") == pytest.approx(1290 / 26)
    assert f.issues[0].nearest_point == "half"
    assert f.value("b") == pytest.approx(5.0)
    assert standoff.forecast(s, "median").value("a") == 50
    frame = f.to_frame()
    assert list(frame["issue"]) == ["a", "b"]
    assert frame.loc[0, "nearest_point_value"] == 50


def test_forecast_json_round_trip(toy):
    f = standoff.forecast(toy, "median")
    again = standoff.Forecast.from_json(f.to_json())
    assert again == f


def test_nearest_named_outcome(toy):
    """Median at the baseline. Issue a: x 10 (w 5), y 60 (20), z 90 (2); W/2 = 13.5 and the
    cumulative weight 5, 25 first passes it at y -> 60. Issue b: x 2 (10), z 5 (2), y 8 (10);
    W/2 = 11, cumulative 10, 12 -> z at 5.
    Distances on 0-100 scales: small (20, 2): sqrt(((40)^2 + (30)^2)/2) = 35.36;
    big (80, 8): sqrt((20^2 + 30^2)/2) = 25.50 -> big."""
    f = standoff.forecast(toy, "median")
    assert (f.value("a"), f.value("b")) == (60, 5)
    assert f.nearest_outcome == "big"
    assert f.nearest_outcome_distance == pytest.approx(np.sqrt((20**2 + 30**2) / 2))


@st.composite
def issue_rows(draw):
    n = draw(st.integers(1, 12))
    x = draw(st.lists(st.floats(0, 100, allow_nan=False), min_size=n, max_size=n))
    w = draw(st.lists(st.floats(0.01, 10, allow_nan=False), min_size=n, max_size=n))
    return np.array(x), np.array(w)


@settings(max_examples=200, deadline=None)
@given(issue_rows())
def test_median_agrees_with_the_definition(row):
    x, w = row
    assert weighted_median(x[None], w[None])[0] == pytest.approx(reference_median(x, w))


@settings(max_examples=100, deadline=None)
@given(issue_rows(), st.floats(0.01, 1e3), st.randoms(use_true_random=False))
def test_invariants(row, scale, rnd):
    """Permuting actors and scaling every weight by one factor change nothing; the forecast lies
    within the positions; reflecting the scale reflects the forecast."""
    x, w = row
    perm = list(range(len(x)))
    rnd.shuffle(perm)
    for f in (weighted_median, weighted_mean):
        base = f(x[None], w[None])[0]
        assert f(x[perm][None], w[perm][None])[0] == pytest.approx(base)
        assert f(x[None], (w * scale)[None])[0] == pytest.approx(base)
        assert x.min() - 1e-9 <= base <= x.max() + 1e-9
        assert f((100 - x)[None], w[None])[0] == pytest.approx(100 - base)


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 100), st.integers(1, 8))
def test_unanimity_gives_that_position(p, n):
    x = np.full((1, n), p)
    w = np.arange(1, n + 1, dtype=float)[None]
    assert weighted_median(x, w)[0] == p
    assert weighted_mean(x, w)[0] == pytest.approx(p)


def test_batch_equals_one_at_a_time(toy):
    """A batch of four scenarios gives the same values as four single runs."""
    scenarios = [toy, toy.as_of("2018-02-01"), toy.as_of("2018-03-01"),
                 toy.with_changes([{"actor": "z", "field": "capability", "to": 100}])]
    batch = Batch.from_scenarios(scenarios)
    for name in ("median", "compromise"):
        model = make(name)
        together = model.predict(batch).values
        alone = np.vstack([model.predict(Batch.from_scenario(s)).values for s in scenarios])
        np.testing.assert_array_equal(together, alone)


def test_registry_errors():
    assert {"median", "compromise"} <= set(available())
    with pytest.raises(standoff.errors.ModelError, match="unknown model 'nope'"):
        make("nope")
    with pytest.raises(standoff.errors.ModelError, match="has no parameter 'rounds'"):
        make("median", rounds=3)
