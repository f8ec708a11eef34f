"""Tornado and Sobol indices against values computed by hand (the compromise model is linear in
the positions, so its variance decomposes exactly)."""

import numpy as np
import pytest

import standoff
from standoff.analysis import Space, sobol, tornado
from standoff.analysis.sensitivity import PANEL_FACTOR
from standoff.models import make
from standoff.scenario import Value, parse_yaml


def test_tornado_by_hand(toy):
    """Toy, compromise: f(Y) = (230 + 20 Y)/27 on a (see test_montecarlo). y's position at its low
    50 gives 1230/27 = 45.56, at its high 70 gives 1630/27 = 60.37: swing 400/27 = 14.81. b does
    not move."""
    rows = tornado(Space.build(toy, use_panel=False), make("compromise"))
    a = [r for r in rows if r.issue == "a"]
    assert len(a) == 1 and a[0].input == "y.a.position"
    assert (a[0].low, a[0].high) == (50, 70)
    assert a[0].forecast_low == pytest.approx(1230 / 27)
    assert a[0].forecast_high == pytest.approx(1630 / 27)
    assert a[0].swing == pytest.approx(400 / 27)
    assert a[0].base == pytest.approx(1430 / 27)
    assert [r.swing for r in rows if r.issue == "b"] == [0.0]


def test_tornado_normal_ends_are_5_and_95_percent(toy):
    """With noise η = 0.05, z's position on a is normal (90, sd 5): ends 90 ∓ 1.645·5 = 81.78 and
    98.22; z's weight 2/27 turns them into the forecast's swing, 2/27 · 16.45 = 1.218."""
    rows = tornado(Space.build(toy, noise=0.05, use_panel=False), make("compromise"))
    r = next(r for r in rows if r.issue == "a" and r.input == "z.a.position")
    assert (r.low, r.high) == pytest.approx((90 - 1.6448536 * 5, 90 + 1.6448536 * 5))
    assert r.swing == pytest.approx(2 / 27 * 2 * 1.6448536 * 5)


def ec_with_ranges():
    """EC case: France triangular (7, 9, 10), Germany (4, 5, 7), Greece normal (7, sd 0.5)."""
    s = standoff.load("ec-emissions-1994")
    ranges = {"france": Value(mode=9, low=7, high=10), "germany": Value(mode=5, low=4, high=7),
              "greece": Value(mode=7, sd=0.5)}
    actors = tuple(a.model_copy(update={"positions": {"emissions-date": ranges[a.id]}})
                   if a.id in ranges else a for a in s.actors)
    return s.model_copy(update={"actors": actors})


def test_sobol_indices_of_positions_match_the_analytic_values():
    """x* = Σ β_i x_i with β_i = c_i s_i / W, W = 0.677 (the EC weights), so V = Σ β_i² V_i and
    S_i = S_Ti = β_i² V_i / V. Triangular variance (a² + b² + c² − ab − ac − bc)/18: France
    (7, 9, 10) and Germany (4, 5, 7) both 7/18; Greece 0.5² = 0.25. β: France 0.096/0.677,
    Germany 0.128/0.677, Greece 0.056/0.677. V_i: 0.007820, 0.013902, 0.001711 (V = 0.023433):
    S = 0.3337, 0.5933, 0.0730, summing to 1 (no interactions)."""
    s = ec_with_ranges()
    w = {a.id: a.capability.mode * a.salience["emissions-date"].mode / 100 for a in s.actors}
    total = sum(w.values())
    assert total == pytest.approx(0.677)
    var = {"france": 7 / 18, "germany": 7 / 18, "greece": 0.25}
    part = {k: (w[k] / total) ** 2 * v for k, v in var.items()}
    analytic = {k: v / sum(part.values()) for k, v in part.items()}
    assert analytic["germany"] == pytest.approx(0.5933, abs=1e-4)
    res = sobol(Space.build(s), make("compromise"), n=4096, seed=11, progress=False)
    assert res.factors == ("germany.emissions-date.position", "france.emissions-date.position",
                           "greece.emissions-date.position")
    for f, name in enumerate(res.factors):
        expected = analytic[name.split(".")[0]]
        for est, conf in ((res.s1[0, f], res.s1_conf[0, f]), (res.st[0, f], res.st_conf[0, f])):
            assert abs(est - expected) < max(3 * conf, 0.02), (name, est, expected, conf)
    assert res.evaluations == 4096 * (3 + 2)


def test_sobol_of_a_nonlinear_model_runs_and_orders_inputs():
    """The weighted median is flat almost everywhere and jumps between positions: its indices
    are still finite and within [0, 1] up to sampling error."""
    res = sobol(Space.build(ec_with_ranges()), make("median"), n=512, seed=2, progress=False)
    assert np.isfinite(res.st).all()
    assert res.st.min() > -0.05 and res.st.max() < 1.05


PANEL = """
panel:
  - id: hawk
    actors:
      y: {positions: {a: 80}}
  - id: dove
    actors:
      y: {positions: {a: 40}}
"""


def test_panel_is_a_factor(toy_yaml):
    """With only the analysts disagreeing (y on a: 80 vs 40), the analyst factor carries all the
    variance of a (S1 = ST = 1), and the tornado spans f(40) = 1030/27 to f(80) = 1830/27."""
    s = parse_yaml(toy_yaml.replace("{value: 60, low: 50, high: 70}", "60") + PANEL)
    res = sobol(Space.build(s), make("compromise"), n=256, seed=1, progress=False)
    assert res.factors == (PANEL_FACTOR,)
    assert res.s1[0, 0] == pytest.approx(1.0, abs=0.05) and res.st[0, 0] == pytest.approx(1.0, abs=0.05)
    assert res.s1[1, 0] == 0.0  # b does not move
    rows = tornado(Space.build(s, use_panel=False), make("compromise"), Space.build(s))
    r = next(r for r in rows if r.issue == "a")
    assert (r.input, r.low, r.high) == (PANEL_FACTOR, "dove", "hawk")
    assert (r.forecast_low, r.forecast_high) == pytest.approx((1030 / 27, 1830 / 27))


def test_nothing_uncertain(toy_yaml):
    s = parse_yaml(toy_yaml.replace("{value: 60, low: 50, high: 70}", "60"))
    assert sobol(Space.build(s), make("compromise"), n=64, progress=False) is None
    assert tornado(Space.build(s), make("compromise")) == []
