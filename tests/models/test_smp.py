"""KTAB's Spatial Model of Politics: the pieces by hand, invariants, and a replication of
KTAB's own log of a run on ktab-dummy-3dim.csv (every actor, every turn)."""

from __future__ import annotations

import re

import numpy as np
import pytest
import smp_reference as reference  # the per-draw loop beside this file (pytest puts its folder on sys.path)

import standoff
from standoff.models import Batch, make
from standoff.models.smp import (
    coalitions,
    conditional_pce,
    infer_risk,
    interpolate_bargain,
    run_smp,
    utility,
    vector_distance,
    victory_probabilities,
)


def test_utility_and_distance_by_hand():
    """u = (1 − d)(1 + d r): d = .2, r = .5 -> .8·1.1 = .88; r = −.5 -> .8·.9 = .72.
    Distance of j from i with i's saliences (.6, .8), difference (.3, 0):
    √((.6·.3)² / (.36 + .64)) = .18; with j's saliences (.8, .6): √((.8·.3)²/1) = .24."""
    assert utility(np.array(0.2), np.array(0.5)) == pytest.approx(0.88)
    assert utility(np.array(0.2), np.array(-0.5)) == pytest.approx(0.72)
    x = np.array([[0.5, 0.5], [0.2, 0.5]])
    s = np.array([[0.6, 0.8], [0.8, 0.6]])
    d = vector_distance(x, s)
    assert d[0, 1] == pytest.approx(0.18) and d[1, 0] == pytest.approx(0.24)
    assert d[0, 0] == 0


def test_pce_by_hand():
    """Two actors (capability 3 and 1), each at utility 1 of its own option and .5 of the
    other's: C[0,1] = 3·.5 = 1.5 (+1e-8), C[1,0] = .5; P[0 beats 1] = 1.5/2 = .75; the
    conditional PCE gives (.75·.5, .25·.5) normalised = (.75, .25)."""
    u = np.array([[1.0, 0.5], [0.5, 1.0]])
    c = coalitions(np.array([3.0, 1.0]), u)
    assert c[0, 1] == pytest.approx(1.5) and c[1, 0] == pytest.approx(0.5)
    pv = victory_probabilities(c)
    assert pv[0, 1] == pytest.approx(0.75) and pv[0, 0] == 0.5
    assert conditional_pce(pv) == pytest.approx([0.75, 0.25])


def test_risk_attitudes_span_the_mid_range():
    """Mid range: the likeliest position's actor gets r = 1, the least likely r = −½,
    r = (3p − (p_max + 2 p_min)) / (2 (p_max − p_min)); with p = (.75, .25) for two actors:
    (2.25 − 1.25)/1 = 1 and (.75 − 1.25)/1 = −.5."""
    d = np.array([[0.0, 0.5], [0.5, 0.0]])
    assert infer_risk(d, np.array([3.0, 1.0])) == pytest.approx([1.0, -0.5])


def test_bargain_interpolation_by_hand():
    """S2P2 on one dimension: i at .2 (salience .5, p = .8), j at .6 (salience .5, p = .2):
    w_i = .25·.64 = .16, w_j = .25·.04 = .01; i is offered (.16·.2 + .01·.6)/.17 = .038/.17
    = .22353 -> .2235 (4 decimals); j (ε = 1e-6 aside) the same point."""
    b_i, b_j = interpolate_bargain(np.array([0.2]), np.array([0.5]), 0.8,
                                   np.array([0.6]), np.array([0.5]), 0.2)
    assert b_i == pytest.approx([0.2235]) and b_j == pytest.approx([0.2235])


def test_unanimity_stops_at_once():
    """Everyone at the same point: no challenge has a gain, nobody moves, the run stops after
    the minimum 2 turns and the forecast is that point."""
    s = standoff.scenario.io.build({
        "id": "u", "title": "u", "baseline": "2020-01-01",
        "issues": [{"id": "a", "title": "a", "min": 0, "max": 100}],
        "actors": [{"id": f"x{i}", "name": f"X{i}", "capability": 1 + i, "positions": {"a": 40},
                    "salience": {"a": 50}} for i in range(3)]})
    f = make("smp").forecast(s)
    assert f.value("a") == pytest.approx(40.0)
    assert f.issues[0].rounds == 2


def parse_ktab_log(text: str):
    """Positions [T, N, K] (0..100) and winning probabilities [T, N] from KTAB's history."""
    pos, prob = {}, {}
    for m in re.finditer(r"^(\S+), Pstn(\d+):((?:\s+[\d.]+)+)", text, re.M):
        pos[(m.group(1), int(m.group(2)) - 1)] = [float(v) for v in m.group(3).split()]
    for m in re.finditer(r"^(\S+), prob :((?:\s+[\d.]+)+)", text, re.M):
        prob[m.group(1)] = [float(v) for v in m.group(2).split()]
    names = sorted(prob)
    k = 1 + max(d for _, d in pos)
    t = len(prob[names[0]])
    out = np.zeros((t, len(names), k))
    for (name, d), values in pos.items():
        out[:, names.index(name), d] = values
    return names, out, np.array([prob[n] for n in names]).T


def test_replicates_ktab_reference_run(reference_data):
    """KTAB's own log of an SMP run on ktab-dummy-3dim.csv with its defaults (the parameters
    are listed in the log): 10 turns, then the stopping rule (fractional change 0.0045 <
    0.02). Every actor's position at every turn matches to the log's printed precision (one
    decimal: within 0.05 + rounding), and so do the winning probabilities (4 decimals), the
    risk attitudes of turn 1 (3 decimals) and the first challenge (prob .7643, gain .0947)."""
    from standoff.scenario.formats import read_ktab

    names, ref_pos, ref_prob = parse_ktab_log(
        (reference_data / "ktab-ref-dummy-3dim.txt").read_text())
    s = read_ktab(reference_data / "ktab-dummy-3dim.csv")
    assert [a.name for a in s.actors] == names
    b = Batch.from_scenario(s)
    path, probs, _, detail = run_smp(b.positions[0] / 100, b.salience[0], b.capability[0])
    assert path.shape == ref_pos.shape == (11, 7, 3)
    assert np.abs(path * 100 - ref_pos).max() <= 0.05 + 1e-9
    assert np.abs(probs - ref_prob).max() <= 5e-5 + 1e-9
    assert detail[0]["risk"] == pytest.approx([-0.5, -0.459, -0.499, -0.274, 1.0, -0.232,
                                               -0.430], abs=5e-4)
    first = next(c for c in detail[0]["challenges"] if c["i"] == 0)
    assert (first["j"], round(first["p"], 4), round(first["gain"], 4)) == (6, 0.7643, 0.0947)
    f = make("smp").forecast(s)
    assert f.issues[0].rounds == 10 and f.issues[0].converged


def test_relabelling_actors_changes_nothing(reference_data):
    """Reversing the actor order of the reference case gives the same final positions."""
    from standoff.scenario.formats import read_ktab

    b = Batch.from_scenario(read_ktab(reference_data / "ktab-dummy-3dim.csv"))
    x, s, c = b.positions[0] / 100, b.salience[0], b.capability[0]
    path, *_ = run_smp(x, s, c)
    back, *_ = run_smp(x[::-1], s[::-1], c[::-1])
    assert back[-1][::-1] == pytest.approx(path[-1])


def test_batch_equals_one_at_a_time(toy):
    """Two scenarios in one batch give what each gives alone."""
    other = toy.with_changes([{"actor": "x", "field": "position", "issue": "a", "to": 70}])
    model = make("smp")
    together = model.predict(Batch.from_scenarios([toy, other])).values
    alone = [model.predict(Batch.from_scenario(s)).values[0] for s in (toy, other)]
    assert together == pytest.approx(np.array(alone))


def reference_challenge(u_h, k, i, j, weight, total_salience):
    """Oracle for one challenge, written with plain loops as KTAB states it (probEduChlg)."""
    v_i = weight[i] * (u_h[i, i] - u_h[i, j])
    v_j = weight[j] * (u_h[j, i] - u_h[j, j])
    c_ij = 1e-10 + max(v_i, 0.0) + max(v_j, 0.0)
    c_ji = 1e-10 + max(-v_i, 0.0) + max(-v_j, 0.0)
    base_ij, base_ji = c_ij, c_ji
    for n in range(len(weight)):
        if n in (i, j):
            continue
        v_n = weight[n] * (u_h[n, i] - u_h[n, j])
        a = base_ij + max(v_n, 0.0)
        b = base_ji + max(-v_n, 0.0)
        p = a / (a + b)
        # semi-commitment: sums of the utilities of i's, j's and n's positions afterwards
        join_i = p * (u_h[n, i] + u_h[n, i] + u_h[n, n]) + (1 - p) * 3 * u_h[n, j]
        join_j = p * 3 * u_h[n, i] + (1 - p) * (u_h[n, j] + u_h[n, j] + u_h[n, n])
        v = weight[n] * (join_i - join_j)
        c_ij += max(v, 0.0)
        c_ji += max(-v, 0.0)
    p = c_ij / (c_ij + c_ji)
    s_j = total_salience[j]
    value = (1 - s_j) * 2 * u_h[k, i] + s_j * (p * 2 * u_h[k, i] + (1 - p) * 2 * u_h[k, j])
    return p, value - (u_h[k, i] + u_h[k, j])


@pytest.mark.parametrize("seed", range(4))
def test_vectorised_challenges_agree_with_loop_oracle(seed):
    """Every actor's best challenge, for a batch of 3 random states at once (arrays, challengers
    in blocks of 3), against the loop oracle: the target of highest gain (the first of equal
    gains), its probability and gain."""
    from standoff.models.smp import MIN_GAIN, challenges

    rng = np.random.default_rng(seed)
    bsz, n, k = 3, 8, 3
    x, cap = rng.uniform(0, 1, (bsz, n, k)), rng.uniform(10, 200, (bsz, n))
    sal = rng.uniform(0.1, 1, (bsz, n, k))
    sal = sal / sal.sum(axis=-1, keepdims=True) * rng.uniform(0.5, 1, (bsz, n, 1))
    d = vector_distance(x, sal)
    r = infer_risk(d, cap)
    got = challenges(x, sal, d, r, cap, block=3)
    for b in range(bsz):
        u = reference.estimated_utilities(d[b], r[b])
        total = sal[b].sum(axis=1)
        for i in range(n):
            found = [(j, *reference_challenge(u[i], i, i, j, cap[b] * total, total))
                     for j in range(n) if j != i]
            best = max(g for _, _, g in found)
            assert bool(got["has"][b, i]) == (best > MIN_GAIN)
            if best > MIN_GAIN:
                j, p, g = next(f for f in found if f[2] >= best - 1e-12)
                assert got["target"][b, i] == j
                assert (got["p"][b, i], got["gain"][b, i]) == pytest.approx((p, g), rel=1e-12)


def random_smp_batch(seed: int, bsz: int, n: int, k: int) -> Batch:
    """Random scenarios on 0..100 scales: positions on a 0.1 grid (so that some coincide), a
    few actors at the same point, saliences 0..1 (some rows summing to more than 1)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, (bsz, n, k)).round(1)
    x[:, 1] = x[:, 0]  # two actors share a position (one option of the PCE)
    sal = rng.uniform(0.05, 0.6, (bsz, n, k))
    cap = rng.uniform(5, 300, (bsz, n))
    return Batch(x, sal, cap, np.zeros(k), np.full(k, 100.0), np.full(k, np.nan),
                 tuple(f"a{i}" for i in range(n)), tuple(f"i{i}" for i in range(k)))


@pytest.mark.parametrize("seed", range(5))
def test_batch_axis_equals_the_per_draw_loop(seed):
    """The batched model on 6 random scenarios at once against the per-draw loop it replaced
    (tests/models/smp_reference.py): the same number of turns per draw, and the same positions
    at every turn, win probabilities, risk attitudes and forecast."""
    b = random_smp_batch(seed, 6, 3 + seed, 1 + seed % 3)
    pred = make("smp").predict(b)
    values, traj, path, turns, risk, win = reference.reference_predict(
        b.positions, b.salience, b.capability, b.low, b.high)
    assert pred.rounds[:, 0].tolist() == turns.tolist()
    assert pred.positions_path == pytest.approx(path, abs=1e-9)
    assert pred.detail["win_probabilities"] == pytest.approx(win, abs=1e-12)
    assert pred.detail["risk"] == pytest.approx(risk, abs=1e-12)
    assert pred.trajectory == pytest.approx(traj, abs=1e-9)
    assert pred.values == pytest.approx(values, abs=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_converged_draws_equal_the_fixed_round_run(seed):
    """Without KTAB's ratio rule (min_ratio = 0) a draw stops only when no position moved more
    than tol in two consecutive turns; the state is then a fixed point of the (deterministic)
    turn, so its forecast equals the one of the run with every draw on to max_turns
    (converge=False), and the draws that did not converge have run to the cap."""
    b = random_smp_batch(10 + seed, 8, 5, 2)
    conv = make("smp", min_ratio=0.0, max_turns=40).predict(b)
    fixed = make("smp", min_ratio=0.0, max_turns=40, converge=False).predict(b)
    assert (fixed.rounds == 40).all() and not fixed.converged.any()
    done = conv.converged[:, 0]
    assert done.any()
    assert conv.values[done] == pytest.approx(fixed.values[done], abs=1e-9)
    assert (conv.rounds[~done] == 40).all()
    assert (conv.rounds[done] < 40).all()


def test_labels_only_when_asked(toy):
    """Monte Carlo batches get no per-turn labels; a forecast (or labels=True) gets them, and the
    numbers are the same either way."""
    model = make("smp")
    b = Batch.from_scenario(toy)
    bare, named = model.predict(b), model.predict(b, labels=True)
    assert "turns" not in bare.detail
    assert len(named.detail["turns"][0]) == named.rounds[0, 0]
    assert bare.positions_path == pytest.approx(named.positions_path, abs=0)
    assert "turns" in model.forecast(toy).detail


def test_an_actor_caring_about_nothing_is_indifferent():
    """Saliences all 0: every position is at distance 0 for it (utility 1), no NaN."""
    x = np.array([[0.1, 0.2], [0.9, 0.5]])
    s = np.array([[0.0, 0.0], [0.5, 0.5]])
    d = vector_distance(x, s)
    assert d[0].tolist() == [0.0, 0.0] and np.isfinite(d).all()


def test_soe_policy_case(reference_data):
    """KTAB's SOE policy example (26 actors, one dimension): the run stops by the 2% rule after
    19 turns, the forecast lies within the positions, and the likeliest final position is the
    one most actors gathered at (38.7), within half a point of the expected outcome (38.5)."""
    from standoff.scenario.formats import read_ktab

    s = read_ktab(reference_data / "ktab-soe-policy.csv")
    p = make("smp").predict(Batch.from_scenario(s))
    assert bool(p.converged[0, 0]) and p.rounds[0, 0] == 19
    xs = [a.positions["policy"].mode for a in s.actors]
    assert min(xs) <= p.values[0, 0] <= max(xs)
    final = p.positions_path[0, -1, :, 0]
    probs = p.detail["win_probabilities"][0, -1]
    assert np.all((probs >= 0) & (probs <= 1))
    assert abs(final[np.argmax(probs)] - p.values[0, 0]) < 0.5
