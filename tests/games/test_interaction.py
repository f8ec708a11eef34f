"""The interaction game: payoffs and solutions worked out by hand, QRE invariants and limits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from standoff.errors import ScenarioChangeError
from standoff.games import crisis, dyad, payoffs
from standoff.games.dyad import terms
from standoff.games.interaction import (
    FORCE,
    OUTCOMES,
    RETALIATE,
    TREE,
    agent_qre,
    equilibrium_path,
    modal_outcome,
    subgame_perfect,
)

COL = {o: k for k, o in enumerate(OUTCOMES)}

# The duel's payoffs, by hand (see test_duel_payoffs_by_hand), rows East (A) and West (B).
DUEL = np.array([
    # sq   acq-a acq-b neg   cap-a  cap-b war-a  war-b
    [0.5, 0.0, 1.0, 0.4, -0.1, 1.0, 0.22, 0.06],
    [0.5, 1.0, 0.0, 0.6, 1.0, -0.1, -0.02, 0.14],
])


def test_duel_payoffs_by_hand(duel):
    """East: members at 100 (capability 30, salience 100; 10, salience 50), West at 0 (60, 80);
    status quo 50; one issue, so u_E(z) = z/100, u_W(z) = 1 - z/100 and both stakes are 1.
    p = 40 / (40 + 60) = 0.4. NEG: u_E = 0 + 0.4·1 = 0.4, u_W = 0.6. East strikes first (its
    first-strike advantage 0.2): P_E = 0.4 + 0.2·0.6 = 0.52, so WAR_A = (0.52 - 0.3, 0.48 - 0.5)
    = (0.22, -0.02). West strikes first (default advantage 0.1): P_E = 0.4·0.9 = 0.36, so
    WAR_B = (0.36 - 0.3, 0.64 - 0.5) = (0.06, 0.14). Capitulating costs γ = 0.1 of the stakes."""
    d = dyad(duel, "east", "west")
    assert d.a.position == pytest.approx([100.0]) and d.b.position == pytest.approx([0.0])
    assert d.a.capability == 40 and d.a.salience == pytest.approx([0.875])
    assert d.b.assumed == ("first_strike_advantage",) and d.a.assumed == ()
    np.testing.assert_allclose(payoffs(d), DUEL, atol=1e-12)


def test_negotiated_point_has_the_utility_the_payoff_formula_says(duel):
    """u_i(N) for N = p Δ_A + (1 - p) Δ_B equals u_i(Δ_j) + p_i S_i, the NEG payoff, also with
    several issues (here with a second issue added on which the sides are 30 apart)."""
    d = dyad(duel, "east", "west")
    t = terms(d)
    assert d.utility(d.a, t.negotiated) == pytest.approx(payoffs(d)[0, COL["neg"]])
    assert d.utility(d.b, t.negotiated) == pytest.approx(payoffs(d)[1, COL["neg"]])


def test_duel_subgame_perfect_by_hand():
    """Backward induction on DUEL. Crisis over West's demand (West moves first): West, attacked
    after negotiating, retaliates (-0.02 > -0.1); so East negotiates (0.4 > 0.22); East,
    attacked, retaliates (0.06 > -0.1); so West negotiates (0.6 > 0.14): NEG. East counter-demands
    (0.4 > 0 for acquiescing). West demands (NEG's 0.6 > status quo's 0.5). The crisis over
    East's demand also ends in NEG, so East is indifferent at the root (0.4 either way) and the
    tie goes to the first action: no demand. West counter-demands there (0.6 > 0)."""
    sol = subgame_perfect(DUEL)
    assert modal_outcome(sol) == "neg"
    np.testing.assert_allclose(sol.outcome, np.eye(8)[COL["neg"]])
    moves = [(n.label, a) for n, a in equilibrium_path(sol)]
    assert moves == [("A demands or not", "no demand"), ("B demands or not", "demand"),
                     ("A acquiesces or counter-demands", "counter-demand"),
                     ("crisis over B's demand: B negotiates or uses force", "negotiate"),
                     ("crisis over B's demand: A negotiates or uses force", "negotiate")]
    assert sol.value == pytest.approx([0.4, 0.6])
    assert sol.choice[2] == 1.0  # West counter-demands East's demand, off the path


def test_qre_at_lambda_zero_is_uniform_play():
    """λ = 0: every choice 1/2. Status quo 1/4, acq-b 1/4, acq-a 1/8; each crisis is reached
    with 1/4 resp. 1/8, and inside it NEG with 1/4 of that: 1/16 + 1/32 = 3/32."""
    out = agent_qre(DUEL, 0.0).outcome
    assert out[COL["sq"]] == 0.25 and out[COL["acq-b"]] == 0.25 and out[COL["acq-a"]] == 0.125
    assert out[COL["neg"]] == pytest.approx(3 / 32)


def test_qre_at_a_last_move_by_hand():
    """At λ = 2, West's last choice in the crisis over East's demand (capitulate -0.1 or retaliate
    -0.02) is logistic(2 · 0.08) = 1 / (1 + e^-0.16) = 0.539915..."""
    node = next(n for n in TREE if n.label == "crisis over A's demand: B capitulates or retaliates")
    assert agent_qre(DUEL, 2.0).choice[node.index] == pytest.approx(1 / (1 + np.exp(-0.16)))


payoff_arrays = arrays(np.float64, (2, 8), elements=st.floats(-1, 1, allow_nan=False, width=64))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(payoff_arrays, st.floats(0, 200))
def test_qre_probabilities_sum_to_one(u, lam):
    sol = agent_qre(u, lam)
    assert sol.outcome.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(sol.outcome >= 0) and np.all((sol.choice >= 0) & (sol.choice <= 1))


def _war_after_force(node) -> str:
    """The war outcome that choosing force (or retaliation) at `node` can lead to."""
    mover = "ab"[node.player]
    other = "ba"[node.player]
    return f"war-{mover}" if node.actions[1] == FORCE else f"war-{other}"


FORCE_NODES = [n for n in TREE if n.actions[1] in (FORCE, RETALIATE)]


@settings(max_examples=80, deadline=None, derandomize=True)
@given(payoff_arrays, st.floats(0.01, 50), st.sampled_from(FORCE_NODES), st.floats(0.01, 2))
def test_lowering_own_war_payoff_never_raises_own_force(u, lam, node, drop):
    """At each node where the mover may use force (or retaliate), lowering the mover's payoff of
    the war that choice starts, all else fixed, never raises its probability of choosing it."""
    lower = u.copy()
    lower[node.player, COL[_war_after_force(node)]] -= drop
    before = agent_qre(u, lam).choice[node.index]
    after = agent_qre(lower, lam).choice[node.index]
    assert after <= before + 1e-12
    assert subgame_perfect(lower).choice[node.index] <= subgame_perfect(u).choice[node.index]


def test_whole_game_war_probability_need_not_fall_with_war_costs(duel):
    """The counter-example the docs cite: at λ = 5, raising East's cost of war from 0 to 0.4
    makes war *more* likely (0.270 -> 0.303): East's own force becomes rarer, but its threat to
    retaliate loses credibility and West's force becomes more frequent."""
    def war(cost):
        r = crisis(duel, "east", "west", lam=5, cost_of_war=(cost, None))
        return r.qre.outcome[COL["war-a"]] + r.qre.outcome[COL["war-b"]], r
    (low, r0), (high, r1) = war(0.0), war(0.4)
    assert low == pytest.approx(0.270, abs=1e-3) and high == pytest.approx(0.303, abs=1e-3)
    east_first = [n.index for n in TREE if n.label == "crisis over A's demand: A negotiates or uses force"]
    assert r1.qre.choice[east_first] < r0.qre.choice[east_first]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(payoff_arrays)
def test_qre_tends_to_the_subgame_perfect_outcome(u):
    """As λ grows the QRE outcome distribution approaches the SPE's (games with a near-tie at
    some node converge slowly: skip those where some choice is still below 0.99 at λ = 1e6,
    i.e. a payoff difference below about 5e-6; the rest are exact at λ = 1e9)."""
    sol = agent_qre(u, 1e3)
    spe = subgame_perfect(u)
    gaps = []
    qre_far = agent_qre(u, 1e6)
    for node in TREE:
        gaps.append(abs(qre_far.choice[node.index] - 0.5))
    if min(gaps) < 0.49:
        return
    err = [np.abs(agent_qre(u, lam).outcome - spe.outcome).sum() for lam in (1e3, 1e5, 1e9)]
    assert err[-1] < 1e-6
    assert err[0] >= err[1] - 1e-12 >= err[2] - 2e-12
    assert np.abs(sol.outcome.sum() - 1) < 1e-12


def test_batch_of_lambdas_matches_one_at_a_time():
    lams = np.array([0.0, 0.5, 5.0, 50.0])
    batch = agent_qre(DUEL[None], lams).outcome
    for k, lam in enumerate(lams):
        np.testing.assert_allclose(batch[k], agent_qre(DUEL, lam).outcome, atol=1e-15)


def test_crisis_frames_and_named_outcomes(duel):
    """Both war outcomes count as `use-of-force`, East's capitulation as `east-capitulates`
    (it names East), West's capitulation matches no named outcome and keeps its code; the named
    probabilities sum to 1 and equal the sums of their game outcomes."""
    r = crisis(duel, "east", "west", lam=10)
    m = r.mapping
    assert m["war-a"] == m["war-b"] == "use-of-force"
    assert m["cap-a"] == "east-capitulates" and m["cap-b"] == "cap-b" and m["neg"] == "talks"
    named = r.probabilities()
    assert sum(named.values()) == pytest.approx(1.0)
    q = r.qre.outcome
    assert named["use-of-force"] == pytest.approx(q[COL["war-a"]] + q[COL["war-b"]])
    assert list(r.outcomes["spe"]) == list(np.eye(8)[COL["neg"]])
    f = r.to_forecast()
    assert f.outcome_probabilities == named and f.detail["spe_named_outcome"] == "talks"
    assert r.path_in_words()[0] == "East makes no demand."
    assert len(r.nodes) == 12


def test_crisis_errors_name_the_fix(duel):
    with pytest.raises(ScenarioChangeError, match="neither a group nor an actor"):
        crisis(duel, "east", "nobody")
    with pytest.raises(ScenarioChangeError, match="share actors"):
        crisis(duel, "east", "e1")
    with pytest.raises(ScenarioChangeError, match="two different sides"):
        crisis(duel, "east", "east")


def test_qre_curve_and_plot(duel, tmp_path):
    """qre_curve: one row per λ, rows summing to 1, the first (λ = 0) uniform play."""
    from standoff.games import qre_curve
    from standoff.report.crisis_plots import qre_plot

    r = crisis(duel, "east", "west")
    frame = qre_curve(r, np.array([0.0, 1.0, 100.0]))
    assert list(frame["lambda"]) == [0.0, 1.0, 100.0]
    np.testing.assert_allclose(frame[list(OUTCOMES)].sum(axis=1), 1.0)
    assert frame.loc[0, "sq"] == 0.25
    out = qre_plot(r, frame, tmp_path / "qre.png")
    assert out.stat().st_size > 1000
    fig = qre_plot(r, frame)  # no path: the Figure, a line per outcome
    assert [line.get_label().split(":")[0] for line in fig.axes[0].get_lines()] == list(OUTCOMES)


def test_side_names_match_whole_words_only(duel):
    """A side with the id `us` does not 'mention' itself in `use-of-force`."""
    from standoff.games import named_outcomes

    s = duel.model_copy(update={
        "groups": tuple(g.model_copy(update={"id": "us", "name": "Us"}) if g.id == "west" else g
                        for g in duel.groups),
        "actors": tuple(a.model_copy(update={"group": "us"}) if a.group == "west" else a
                        for a in duel.actors)})
    m = named_outcomes(s, "east", "us")
    assert m["war-a"] == m["war-b"] == "use-of-force"
