"""Deadline bargaining: subgame-perfect offers against backward induction by hand."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standoff.errors import ModelError
from standoff.games.dynamics.deadline import agreement_period, solve_deadline


def test_three_periods_by_hand():
    """T = 3, δ = 0.9, breakdown (0.2, 0.3), A proposes in periods 1 and 3.
    t=3 (A): B's reservation 0.9 × 0.3 = 0.27, A demands 0.73.
    t=2 (B): A's reservation 0.9 × 0.73 = 0.657, B demands 0.343.
    t=1 (A): B's reservation 0.9 × 0.343 = 0.3087, A demands 0.6913; B accepts at once."""
    f = solve_deadline(3, 0.9, 0.9, 0.2, 0.3, first="a")
    assert f["demand_a"].iloc[2] == pytest.approx(0.73)
    assert f["demand_b"].iloc[1] == pytest.approx(0.343)
    assert f["demand_a"].iloc[0] == pytest.approx(0.6913)
    assert f["value_a"].tolist() == pytest.approx([0.6913, 0.657, 0.73])
    assert f["value_b"].tolist() == pytest.approx([0.3087, 0.343, 0.27])
    assert agreement_period(f) == 1


def test_three_periods_unequal_patience_by_hand():
    """δ_A = 0.8, δ_B = 0.9, same breakdown. t=3: A keeps 1 - 0.9 × 0.3 = 0.73.
    t=2 (B): A gets 0.8 × 0.73 = 0.584, B keeps 0.416. t=1 (A): B gets 0.9 × 0.416 = 0.3744,
    A keeps 0.6256."""
    f = solve_deadline(3, 0.8, 0.9, 0.2, 0.3, first="a")
    assert f["value_a"].iloc[0] == pytest.approx(0.6256)
    assert f["value_b"].iloc[1] == pytest.approx(0.416)


@given(T=st.integers(1, 25), delta=st.floats(0.01, 0.999))
@settings(max_examples=100, deadline=None)
def test_stahl_closed_form(T, delta):
    """With no breakdown value and equal discounting the first proposer gets
    (1 - (-δ)^T) / (1 + δ) (Ståhl 1972), which tends to Rubinstein's 1 / (1 + δ)."""
    f = solve_deadline(T, delta, delta, 0.0, 0.0)
    assert f["value_a"].iloc[0] == pytest.approx((1 - (-delta) ** T) / (1 + delta))


def test_optimism_about_the_last_word_delays_agreement_to_the_deadline():
    """T = 2, δ = 1, breakdown (0.3, 0.3), A opens, B holds the last word; A believes with
    probability o_A = 0.5 that it will make the last offer after all.
    t=2: both agree (0.3 + 0.3 <= 1); U_A(2) = 0.5 × 0.7 + 0.5 × 0.3 = 0.5, U_B(2) = 0.7.
    t=1: 0.5 + 0.7 = 1.2 > 1, nothing both accept: agreement only at the deadline.
    Without optimism U_A(2) = 0.3 and 0.3 + 0.7 = 1: agreement at once."""
    f = solve_deadline(2, 1.0, 1.0, 0.3, 0.3, first="a", optimism_a=0.5)
    assert f["value_a"].iloc[1] == pytest.approx(0.5) and f["value_b"].iloc[1] == pytest.approx(0.7)
    assert f["agree_if_reached"].tolist() == [False, True]
    assert agreement_period(f) == 2
    assert agreement_period(solve_deadline(2, 1.0, 1.0, 0.3, 0.3, first="a")) == 1


@given(T=st.integers(1, 12), da=st.floats(0.5, 1), db=st.floats(0.5, 1), d_a=st.floats(0, 0.5),
       d_b=st.floats(0, 0.5))
@settings(max_examples=100, deadline=None)
def test_common_prior_agrees_at_once_and_beats_breakdown(T, da, db, d_a, d_b):
    """Without optimism the sides agree in the first period, and each gets at least the
    discounted breakdown payoff (what waiting for the deadline would bring)."""
    f = solve_deadline(T, da, db, d_a, d_b)
    assert agreement_period(f) == 1
    assert f["value_a"].iloc[0] >= da ** T * d_a - 1e-12
    assert f["value_b"].iloc[0] >= db ** T * d_b - 1e-12
    assert f["value_a"].iloc[0] + f["value_b"].iloc[0] == pytest.approx(1.0)


def test_bad_inputs():
    with pytest.raises(ModelError, match="sum to at most 1"):
        solve_deadline(3, 0.9, 0.9, 0.6, 0.6)
    with pytest.raises(ModelError, match="optimism_a"):
        solve_deadline(3, 0.9, 0.9, 0.1, 0.1, optimism_a=1.0)
    with pytest.raises(ModelError, match="at least one period"):
        solve_deadline(0, 0.9, 0.9, 0.1, 0.1)
    assert np.isfinite(solve_deadline(1, 1.0, 1.0, 0.0, 0.0)["value_a"]).all()
