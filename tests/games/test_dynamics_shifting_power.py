"""Shifting power (Powell 2006): hand-computed cases, limits, and the subgame-perfect oracle.

Payoffs are shares of the stream's present value: w_A = p - k_A, w_B = 1 - p - k_B, one period's
flow is worth 1 - δ, m(t) = max(w(t), δ m(t+1)).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standoff.errors import ModelError
from standoff.games.dynamics import shifting_power as sp


def test_one_step_shift_above_the_cost_bound_means_war():
    """p = 0.3 -> 0.6, δ = 0.9, k_A = k_B = 0.05.
    Powell's bound for B: δ p_1 - p_0 = 0.54 - 0.30 = 0.24 > k_B + δ k_A = 0.05 + 0.045 = 0.095.
    Minmax: m_A(0) = max(0.25, 0.9 × 0.55) = 0.495, m_B(0) = max(0.65, 0.9 × 0.35) = 0.65;
    0.495 + 0.65 = 1.145 > 1: no peaceful division at t = 0."""
    r = sp.solve([0.3, 0.6], 0.05, 0.05, 0.9, proposer="b")
    f = r.frame
    assert f["one_step_margin_b"].iloc[0] == pytest.approx(0.24 - 0.095)
    assert f["minmax_a"].iloc[0] == pytest.approx(0.495)
    assert f["minmax_b"].iloc[0] == pytest.approx(0.65)
    assert not r.peaceful_path
    assert r.window_b == (0,) and r.window_a == ()
    assert r.war_period == 0


def test_one_step_shift_below_the_cost_bound_means_peace():
    """p = 0.5 -> 0.6: δ p_1 - p_0 = 0.54 - 0.5 = 0.04 < 0.095.
    m_A(0) = max(0.45, 0.495) = 0.495, m_B(0) = max(0.45, 0.315) = 0.45: sum 0.945 <= 1.
    The declining side proposing (B): it keeps 1 - m_A(0) = 0.505 >= w_B(0) = 0.45."""
    r = sp.solve([0.5, 0.6], 0.05, 0.05, 0.9, proposer="b")
    assert r.frame["one_step_margin_b"].iloc[0] == pytest.approx(0.04 - 0.095)
    assert r.peaceful_path and r.window_b == () and r.war_period is None
    assert r.frame["value_b"].iloc[0] == pytest.approx(0.505)
    # dynamic range of A's share at t = 0: [m_A, 1 - m_B] = [0.495, 0.55]
    assert r.frame["dynamic_low"].iloc[0] == pytest.approx(0.495)
    assert r.frame["dynamic_high"].iloc[0] == pytest.approx(0.55)


def test_the_rising_side_as_proposer_cannot_buy_peace_on_the_same_path():
    """Same path, A (rising) proposes: B is held to its war payoff from t = 1 (w_B(1) = 0.35), so
    the most A can give is the whole flow now: 0.1 + 0.9 × 0.35 = 0.415 < w_B(0) = 0.45: war at 0,
    although a peaceful division exists (with B proposing)."""
    r = sp.solve([0.5, 0.6], 0.05, 0.05, 0.9, proposer="a")
    assert r.peaceful_path
    assert r.war_period == 0 and r.window_b == (0,)


def test_a_gradual_shift_can_open_the_window_though_each_step_is_below_the_bound():
    """p = 0.225, 0.295, 0.375, k = 0.025 each, δ = 0.9. One-step margins for B:
    t=0: 0.9 × 0.295 - 0.225 - 0.0475 = -0.007; t=1: 0.9 × 0.375 - 0.295 - 0.0475 = -0.005.
    But w_A = 0.2, 0.27, 0.35 gives m_A(0) = max(0.2, 0.9 × max(0.27, 0.9 × 0.35)) = 0.2835 and
    m_B(0) = w_B(0) = 0.75: 1.0335 > 1, a window at t = 0 only (t = 1: 0.315 + 0.68 = 0.995)."""
    r = sp.solve([0.225, 0.295, 0.375], 0.025, 0.025, 0.9, proposer="b")
    f = r.frame
    assert f["one_step_margin_b"].iloc[0] == pytest.approx(-0.007)
    assert f["one_step_margin_b"].iloc[1] == pytest.approx(-0.005)
    assert f["minmax_a"].iloc[0] == pytest.approx(0.2835)
    assert list(f["peace_feasible"]) == [False, True, True]
    assert list(f["powell_condition"]) == [False, True, True]
    # backward induction, B proposing: t=1 B keeps 0.1 + 0.9 × 0.65 = 0.685 >= w_B(1) = 0.68 (deal);
    # t=0 B keeps at most 0.1 + 0.9 × 0.685 = 0.7165 < w_B(0) = 0.75 (war)
    assert f["value_b"].iloc[1] == pytest.approx(0.685)
    assert r.window_b == (0,) and r.war_period == 0


def test_peace_from_here_needs_the_condition_at_every_later_period():
    """p = 0.7, 0.7, 0.0 (A collapses after period 1), k = 0.05, δ = 0.5.
    w_A = 0.65, 0.65, -0.05; w_B = 0.25, 0.25, 0.95. m_B(2) = 0.95, m_B(1) = max(0.25, 0.475) = 0.475,
    m_B(0) = max(0.25, 0.2375) = 0.25; m_A(0) = m_A(1) = 0.65, m_A(2) = 0.
    t=0: 0.65 + 0.25 = 0.9 (holds); t=1: 0.65 + 0.475 = 1.125 (fails); t=2: 0.95 (holds).
    A's one-step margin at 1: 0.5 × 1 - 0.3 - (0.05 + 0.025) = 0.125 > 0. No peace from 0 either."""
    r = sp.solve([0.7, 0.7, 0.0], 0.05, 0.05, 0.5)
    f = r.frame
    assert f["minmax_b"].tolist() == pytest.approx([0.25, 0.475, 0.95])
    assert f["one_step_margin_a"].iloc[1] == pytest.approx(0.125)
    assert list(f["powell_condition"]) == [True, False, True]
    assert list(f["peace_feasible"]) == [False, False, True]
    assert not r.peaceful_path and r.war_period is not None and r.war_period <= 1


def test_spe_offer_by_hand():
    """p = [0.5, 0.6], B proposes, δ = 0.9, k = 0.05. At t = 1 (stationary) A is held to w_A = 0.55.
    At t = 0 A needs w_A(0) - δ V_A(1) = 0.45 - 0.495 < 0, so B offers nothing: offer share 0,
    V_A(0) = 0.495, V_B(0) = 0.1 + 0.9 × 0.45 = 0.505."""
    f = sp.spe_path(np.array([0.5, 0.6]), 0.05, 0.05, 0.9, "b")
    assert f["offer_share"].iloc[0] == pytest.approx(0.0)
    assert f["value_a"].iloc[0] == pytest.approx(0.495)
    assert f["value_b"].iloc[0] == pytest.approx(0.505)


@given(p=st.floats(0, 1), k_a=st.floats(0.001, 0.5), k_b=st.floats(0.001, 0.5),
       delta=st.floats(0.05, 0.99), n=st.integers(1, 8), proposer=st.sampled_from("ab"))
@settings(max_examples=150, deadline=None)
def test_no_shift_means_peace_whenever_costs_are_positive(p, k_a, k_b, delta, n, proposer):
    """Constant p: m_A + m_B <= (p - k_A) + (1 - p - k_B) < 1 (or a side is held at 0), every
    protocol has a deal in every period."""
    r = sp.solve(np.full(n, p), k_a, k_b, delta, proposer)
    assert r.peaceful_path and r.window_a == () and r.window_b == () and r.war_period is None


@st.composite
def rising_paths(draw):
    steps = draw(st.lists(st.floats(0, 0.3), min_size=1, max_size=7))
    p0 = draw(st.floats(0, 0.5))
    return np.minimum(p0 + np.cumsum([0.0, *steps]), 1.0)


@given(p=rising_paths(), k_a=st.floats(0, 0.3), k_b=st.floats(0, 0.3), delta=st.floats(0.3, 0.99))
@settings(max_examples=200, deadline=None)
def test_subgame_perfect_war_iff_no_peaceful_path(p, k_a, k_b, delta):
    """A rising, the declining side B proposing: the backward induction has a war iff the minmax
    sum rules out a peaceful path (Powell's condition), only B ever strikes, and where there is a
    deal both get at least their war payoffs and no more than the whole stream."""
    r = sp.solve(p, k_a, k_b, delta, "b")
    f = r.frame
    assert (r.war_period is None) == r.peaceful_path
    assert r.window_a == ()
    deal = ~f["war_if_reached"].to_numpy()
    w_a, w_b = sp.war_payoffs(p, k_a, k_b)
    assert np.all(f["value_a"].to_numpy()[deal] >= w_a[deal] - 1e-9)
    assert np.all(f["value_b"].to_numpy()[deal] >= w_b[deal] - 1e-9)
    assert np.all(f["value_a"] + f["value_b"] <= 1 + 1e-9)
    # Powell's one-step bound is sufficient: a positive margin rules out peace from that period
    for t in np.flatnonzero(f["one_step_margin_b"].to_numpy()[:-1] > 1e-9):
        assert not f["peace_feasible"].iloc[t]


def test_bad_inputs_are_user_errors():
    with pytest.raises(ModelError, match="discount factor"):
        sp.solve([0.5], 0.1, 0.1, 1.0)
    with pytest.raises(ModelError, match="0..1"):
        sp.solve([1.5], 0.1, 0.1, 0.9)
    with pytest.raises(ModelError, match="cost of war"):
        sp.solve([0.5], -0.1, 0.1, 0.9)
