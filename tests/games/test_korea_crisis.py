"""The crisis games on the built-in Korea 2018 case (skipped until the case is on the branch)."""

from __future__ import annotations

import numpy as np
import pytest

import standoff
from standoff.games import crisis, read_provocations
from standoff.games.interaction import OUTCOMES

pytestmark = pytest.mark.skipif("korea-2018" not in standoff.cases(),
                                reason="the korea-2018 case is not built in on this branch")

COL = {o: k for k, o in enumerate(OUTCOMES)}


@pytest.fixture(scope="module")
def korea():
    s = standoff.load("korea-2018")
    return s.as_of(s.last_event_date) if s.last_event_date else s


def test_both_wars_count_as_use_of_force(korea):
    r = crisis(korea, "united-states", "north-korea")
    assert r.mapping["war-a"] == r.mapping["war-b"] == "use-of-force"
    named = r.probabilities()
    assert sum(named.values()) == pytest.approx(1.0)
    q = r.qre.outcome
    assert named["use-of-force"] == pytest.approx(q[COL["war-a"]] + q[COL["war-b"]])


def test_payoff_structure_holds_on_the_case(korea):
    """Each side values getting its own demand at 1 (u_i(Δ_i) = 1), capitulating below
    acquiescing by γ·S_i, and negotiation between the two demands."""
    r = crisis(korea, "united-states", "north-korea")
    u = r.payoffs
    assert u[0, COL["acq-b"]] == pytest.approx(1.0) and u[1, COL["acq-a"]] == pytest.approx(1.0)
    stakes = np.array([1 - u[0, COL["acq-a"]], 1 - u[1, COL["acq-b"]]])
    assert u[0, COL["cap-a"]] == pytest.approx(u[0, COL["acq-a"]] - 0.1 * stakes[0])
    assert u[0, COL["acq-a"]] <= u[0, COL["neg"]] <= u[0, COL["acq-b"]]
    assert u[1, COL["acq-b"]] <= u[1, COL["neg"]] <= u[1, COL["acq-a"]]


def test_qre_approaches_the_subgame_perfect_outcome_on_the_case(korea):
    r = crisis(korea, "united-states", "north-korea")
    spe = r.spe.outcome
    far = crisis(korea, "united-states", "north-korea", lam=1e5).qre.outcome
    assert np.abs(far - spe).max() < 1e-3 or np.isclose(r.qre.choice, 0.5).any()


def test_provocations_read_as_signals(korea):
    frame = read_provocations(korea, "north-korea", "united-states")
    assert (frame["belief_after"].between(0, 1)).all()
    if len(frame) > 1:
        before, after = frame["belief_before"].to_numpy(), frame["belief_after"].to_numpy()
        assert (before[1:] == after[:-1]).all()
