"""The provocation game: equilibria solved by hand, and every equilibrium found checked to be one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standoff.errors import ModelError
from standoff.games.provocations import read_provocations
from standoff.games.signalling import (
    SignalGame,
    equilibria,
    equilibria_frame,
    kinds,
    region_grid,
)


def test_receiver_thresholds_by_hand():
    """Defaults: concede -0.5; hold -0.8μ; escalate 0.3 - 2.3μ. Escalate beats hold below
    μ = 0.3 / 1.5 = 0.2; hold beats concede below μ = 0.5 / 0.8 = 0.625."""
    iv = SignalGame().reply_intervals()
    assert iv[2] == pytest.approx((0.0, 0.2))
    assert iv[1] == pytest.approx((0.2, 0.625))
    assert iv[0] == pytest.approx((0.625, 1.0))


def test_default_equilibria_by_hand():
    """Separating: a provocation reveals resolve (μ = 1: concede), no provocation reveals its
    absence (μ = 0: escalate). Resolved: 1 - 0.2 = 0.8 > 0.2; unresolved: -0.5 > 1 - 1.6 = -0.6,
    so neither mimics. Pooling on no provocation: μ = π = 0.4, hold (0 to both types); a
    provocation off the path must not bring the resolved type more than its cost 0.2, so the
    receiver must hold (μ in [0.2, 0.625]: resolved gets -0.2) or escalate (μ in [0, 0.2]:
    0.2 - 0.2 = 0, no gain). Pooling on provoking fails: at μ = 0.4 the receiver holds and the
    unresolved type pays 1.6 for nothing."""
    eqs = equilibria(SignalGame())
    assert [e.kind for e in eqs] == ["separating", "pooling", "pooling"]
    sep = eqs[0]
    assert sep.provoke == (1.0, 0.0) and sep.belief == (1.0, 0.0)
    assert sep.reply == ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0))
    assert sep.payoff[:2] == pytest.approx((0.8, -0.5))
    offs = sorted(tuple(e.off_path["provoke"]) for e in eqs[1:])
    assert offs == [pytest.approx((0.0, 0.2)), pytest.approx((0.2, 0.625))]
    assert all(e.provoke == (0.0, 0.0) and e.belief[1] == 0.4 for e in eqs[1:])


def test_semi_separating_by_hand():
    """Cheaper provocations for the unresolved (c_W = 1.0 < 1.5 = 1 - w_W): separating fails.
    The resolved type always provokes; the unresolved type provokes with probability q so that
    μ(provoke) = 0.625, where the receiver is indifferent between conceding and holding:
    0.4 / (0.4 + 0.6 q) = 0.625 -> q = 0.4·0.375 / (0.6·0.625) = 0.4. No provocation reveals
    the unresolved type (μ = 0: escalate, payoff -0.5), so the receiver concedes with r such that
    r·1 - 1.0 = -0.5: r = 0.5. The resolved type: 0.5 - 0.2 = 0.3 > 0.2 from not provoking."""
    g = SignalGame(cost_unresolved=1.0)
    semi = [e for e in equilibria(g) if e.kind == "semi-separating"]
    assert len(semi) == 1
    e = semi[0]
    assert e.provoke == pytest.approx((1.0, 0.4))
    assert e.belief == pytest.approx((0.625, 0.0))
    assert e.reply[0] == pytest.approx((0.5, 0.5, 0.0)) and e.reply[1] == (0.0, 0.0, 1.0)
    assert "separating" not in kinds(g)


def _is_pbe(g: SignalGame, e) -> bool:
    """Independent check: Bayes' rule on the path, receiver replies only with best replies at
    its beliefs, and no sender type gains by switching signal (ε-tolerant)."""
    pi = g.prior
    for s in range(2):
        p_r = e.provoke[0] if s == 0 else 1 - e.provoke[0]
        p_w = e.provoke[1] if s == 0 else 1 - e.provoke[1]
        total = pi * p_r + (1 - pi) * p_w
        if total > 1e-12 and abs(e.belief[s] - pi * p_r / total) > 1e-7:
            return False
        v = g.receiver(e.belief[s])
        if any(p > 1e-9 and v[k] < v.max() - 1e-7 for k, p in enumerate(e.reply[s])):
            return False
    for t in range(2):
        value = [float(np.dot(e.reply[s], g.sender(t))) - g.cost(t, s) for s in range(2)]
        sent = [e.provoke[t], 1 - e.provoke[t]]
        for s in range(2):
            if sent[s] > 1e-9 and value[s] < max(value) - 1e-7:
                return False
    return True


games = st.builds(
    SignalGame, prior=st.floats(0.02, 0.98), cost_resolved=st.floats(0, 1),
    cost_unresolved=st.floats(0, 3), war_resolved=st.floats(-1, 1), war_unresolved=st.floats(-2, 0),
    concede_cost=st.floats(0.1, 1), hold_resolved=st.floats(-1.5, 0), escalate_resolved=st.floats(-3, -0.5),
    escalate_unresolved=st.floats(0, 1))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(games)
def test_every_equilibrium_found_is_a_pbe(g):
    for e in equilibria(g):
        assert _is_pbe(g, e), e.describe()
        for sig, (lo, hi) in e.off_path.items():
            assert 0 <= lo <= hi <= 1
            k = ("provoke", "no provocation").index(sig)
            assert lo - 1e-9 <= e.belief[k] <= hi + 1e-9


def test_frame_and_region_grid():
    frame = equilibria_frame(SignalGame())
    assert list(frame["kind"]) == ["separating", "pooling", "pooling"]
    assert frame.loc[0, "concede_after_provoke"] == 1.0
    grid = region_grid(SignalGame(), "prior", np.array([0.3, 0.5]), "cost_unresolved", np.array([1.0, 1.6]))
    assert len(grid) == 4
    # c_W = 1.6 >= 1 - w_W = 1.5: separating holds at every prior
    assert all("separating" in k.split("+") for k in grid[grid.cost_unresolved == 1.6]["kinds"])
    assert all("separating" not in k.split("+") for k in grid[grid.cost_unresolved == 1.0]["kinds"])


def test_bad_parameters_are_user_errors():
    with pytest.raises(ModelError, match="prior"):
        SignalGame(prior=1.0)
    with pytest.raises(ModelError, match="non-negative"):
        SignalGame(cost_resolved=-0.1)


def test_recorded_provocations_as_moves(duel):
    """East's threat (CAMEO 138) and missile test (150) are provocations; the offer to meet (036)
    is not. Under the default separating equilibrium the first reveals resolve: belief 0.4 -> 1,
    and the receiver concedes; the second starts from that belief."""
    frame = read_provocations(duel, "east", "west")
    assert list(frame["cameo"]) == ["138", "150"]
    assert frame.loc[0, "belief_before"] == 0.4 and frame.loc[0, "belief_after"] == 1.0
    assert frame.loc[0, "equilibrium"] == "separating" and frame.loc[0, "receiver_reply"] == "concede 1.00"
    assert frame.loc[1, "belief_before"] == 1.0
    assert read_provocations(duel, "west", "east").empty


def test_a_side_may_be_named_by_its_group_id(duel):
    """An event whose actor is the group itself (`east`) counts like one by its members."""
    import datetime as dt

    from standoff.scenario.schema import Event

    extra = Event(date=dt.date(2018, 4, 1), actor="east", target="west", cameo="190",
                  description="border clash")
    s = duel.model_copy(update={"events": (*duel.events, extra)})
    assert list(read_provocations(s, "east", "west")["cameo"]) == ["138", "150", "190"]
