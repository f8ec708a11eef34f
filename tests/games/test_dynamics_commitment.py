"""The disarmament game: thresholds and benefits by hand, and the track-record belief."""

import math

import numpy as np
import pytest

from standoff.errors import ModelError
from standoff.games.dynamics.commitment import (
    Disarmament,
    belief_path,
    disarm_payoffs,
    required_benefit,
    threshold_belief,
)

GAME = Disarmament(p1=0.6, p0=0.3, cost=0.1, sanctions=0.05, benefit=0.3, loss=0.1, delta=0.9)


def test_threshold_belief_by_hand():
    """u_keep = 0.6 - 0.1 - 0.05 = 0.45, u_kept = 0.3 - 0.1 + 0.3 = 0.5, u_reneged = 0.3 - 0.1 - 0.1 = 0.1.
    q* = (1.9 × 0.45 - 0.5 - 0.9 × 0.1) / (0.9 × (0.5 - 0.1)) = 0.265 / 0.36 = 0.73611."""
    assert (GAME.u_keep, GAME.u_kept, GAME.u_reneged) == pytest.approx((0.45, 0.5, 0.1))
    q = threshold_belief(GAME)
    assert q == pytest.approx(0.265 / 0.36)
    disarm, keep = disarm_payoffs(GAME, [q - 0.01, q, q + 0.01])
    assert keep == pytest.approx(0.855)
    assert disarm[0] < keep and disarm[1] == pytest.approx(keep) and disarm[2] > keep


def test_required_benefit_by_hand():
    """At q = 0.5: b* = (1.9 × 0.45 - 0.9 × 0.5 × (0.2 - 0.1)) / (1 + 0.45) - 0.2
    = 0.81 / 1.45 - 0.2 = 0.358621; and at q = q* the benefit needed is the one offered (0.3)."""
    assert required_benefit(GAME, 0.5) == pytest.approx(0.81 / 1.45 - 0.2)
    assert required_benefit(GAME, threshold_belief(GAME)) == pytest.approx(0.3)
    b = required_benefit(GAME, np.linspace(0, 1, 11))
    assert np.all(np.diff(b) < 0)  # more trust, smaller price


def test_small_benefit_means_no_belief_suffices():
    """b = 0.15: u_kept = 0.35, q* = (0.855 - 0.35 - 0.09) / (0.9 × 0.25) = 0.415 / 0.225 = 1.844 > 1."""
    game = Disarmament(p1=0.6, p0=0.3, cost=0.1, sanctions=0.05, benefit=0.15, loss=0.1, delta=0.9)
    assert threshold_belief(game) == pytest.approx(0.415 / 0.225)


def test_worthless_promise_limits():
    """b = L = 0: the belief cannot matter; disarming pays iff it pays anyway."""
    assert threshold_belief(Disarmament(p1=0.5, p0=0.5, sanctions=0.1)) == -math.inf
    assert threshold_belief(Disarmament(p1=0.6, p0=0.3)) == math.inf


def test_track_record_moves_the_belief():
    """Beta(1, 1) prior, mean 1/2; a broken promise (weight 1) gives Beta(1, 2), mean 1/3;
    a kept one of weight 0.5 then gives Beta(1.5, 2), mean 1.5 / 3.5 = 0.428571."""
    f = belief_path(1, 1, [("2011-03-19", "Libya", False, 1.0), ("2020-01-01", "other", True, 0.5)])
    assert f["belief"].tolist() == pytest.approx([0.5, 1 / 3, 1.5 / 3.5])


def test_bad_inputs():
    with pytest.raises(ModelError, match="exceeds power"):
        Disarmament(p1=0.3, p0=0.5)
    with pytest.raises(ModelError, match="0..1"):
        Disarmament(p1=0.3, p0=0.1, benefit=2)
    with pytest.raises(ModelError, match="positive"):
        belief_path(0, 1, [])


def test_own_cost_of_war_cancels_out():
    """k_D lowers u_keep, u_kept and u_reneged alike: q* and b*(q) do not depend on it."""
    for k in (0.0, 0.05, 0.2):
        game = Disarmament(p1=0.6, p0=0.3, cost=k, sanctions=0.05, benefit=0.3, loss=0.1, delta=0.9)
        assert threshold_belief(game) == pytest.approx(threshold_belief(GAME))
        assert required_benefit(game, 0.4) == pytest.approx(required_benefit(GAME, 0.4))
