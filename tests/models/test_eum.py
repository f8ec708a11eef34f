"""The expected utility model: hand-computed cases, the fast forms against the definitions,
agreement with the loop-by-loop oracle, invariants, and Scholz et al.'s Table 2."""

from __future__ import annotations

import eum_reference as oracle  # the oracle beside this file (pytest puts its folder on sys.path)
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import standoff
from standoff.errors import ModelError
from standoff.models import Batch, eum, make
from standoff.models.eum import (
    CAPITULATION,
    CHOICES,
    COMPROMISE,
    CONFLICT,
    PRESETS,
    SCHOLZ_TABLE2_MEAN,
    SCHOLZ_TABLE2_MEDIAN,
    classify_dyads,
    condorcet_median,
    expected_utility,
    risk_exponents,
    run_rounds,
    security_levels,
    select_offers,
    status_quo_trend,
    utilities,
    votes,
    votes_direct,
    weighted_distance_sums,
    win_probability,
    win_probability_direct,
)

EC_X = [4, 7, 4, 4, 10, 10, 10, 7, 4, 7]
EC_C = [.08, .08, .03, .16, .16, .16, .16, .05, .05, .08]
EC_S = [.8, .4, .2, .8, .6, .6, .9, .1, 1, .7]


def arr(*rows):
    return np.array(rows, dtype=float)


# --------------------------------------------------------------------------- hand-computed cases


def test_two_actors_first_pass_by_hand():
    """x = (0, 1), c = (1, 1), s = (1, .5), R = 1, weights w = (1, .5).
    Votes for 0 against 1: actor 1 gives 1·(1 − 0) = 1, actor 2 gives .5·(0 − 1) = −.5:
    P_12 = 1/(1 + .5) = 2/3, P_21 = 1/3. Median: W/2 = .75 ≤ 1 at x = 0, so μ = 0.
    r = 1, d = 1: U_s = 2 − 4·0 = 2, U_f = 2 − 4·1 = −2, U_sq = 0.
    Q = 1: E^1(U_12) = .5(2/3·2 − 1/3·2) + .5·2 − 0 = 4/3; E^2(U_21) = 1·(1/3·2 − 2/3·2) = −2/3.
    Q = .5: e_12 = (|0 − 0| + 1)/4 = .25, U_b = 1, U_w = −1, T_12 = 1 (μ at actor 1):
    E^1(U_12) = 4/3 − .5·0 − .5·1 = 5/6; e_21 = (1 + 1)/4 = .5, U_b = 2, U_w = −2, T_21 = 0:
    E^2(U_21) = −2/3 − .5·(−2) = 1/3."""
    x, c, s = arr([0, 1]), arr([1, 1]), arr([1, .5])
    w, rng = c * s, np.array([1.0])
    p = win_probability(x, w)
    np.testing.assert_allclose(p[0], [[.5, 2 / 3], [1 / 3, .5]])
    mu = condorcet_median(x, w)
    assert mu[0] == 0
    u = utilities(x, mu, 1.0, rng)
    assert u["success"][0, 0, 1] == 2 and u["failure"][0, 0, 1] == -2 and u["status_quo"] == 0
    t = status_quo_trend(x, mu, rng)
    assert t[0, 0, 1] == 1 and t[0, 1, 0] == 0
    eu = expected_utility(p, u, s[:, None, :], t, q=1.0)
    np.testing.assert_allclose(eu[0], [[0, 4 / 3], [-2 / 3, 0]])
    eu = expected_utility(p, u, s[:, None, :], t, q=0.5)
    np.testing.assert_allclose(eu[0], [[0, 5 / 6], [1 / 3, 0]])


def test_two_actors_full_round_by_hand():
    """Continuing the case above (Q = 1). Security: Sec_1 = E^2(U_21) = −2/3, Sec_2 = 4/3; span 2:
    R_1 = (−4/3 − 4/3 + 2/3)/2 = −1 → r_1 = (1 + 1/3)/(1 − 1/3) = 2; R_2 = 1 → r_2 = (2/3)/(4/3) = .5.
    Second pass (d = 1 keeps U_s = 2, U_f = −2): U_sq = 2 − 4·.5² = 1 for actor 1 and
    2 − 4·.5^.5 = 2 − 2√2 for actor 2. E^1(U_12) = 1/3 + 1 − 1 = 1/3; E^2(U_21) = −2/3 − (2 − 2√2)
    = 2√2 − 8/3 ≈ .1618. Both positive and 1/3 > .1618: conflict, actor 1 prevails, actor 2 moves
    to 0. Round 2: everyone at 0, every expected utility 0, nobody moves: converged, 2 rounds.
    Judged by the receiver (actor 2, r = .5), actor 1's challenge is worth
    1/3 + 1 − (2 − 2√2) = 2√2 − 2/3 ≈ 2.16: the same conflict."""
    x, c, s = arr([0, 1]), arr([1, 1]), arr([1, .5])
    sec = security_levels(np.array([[[0, 4 / 3], [-2 / 3, 0]]]))
    np.testing.assert_allclose(sec[0], [-2 / 3, 4 / 3])
    np.testing.assert_allclose(risk_exponents(sec)[0], [2, .5])
    for perspective, a12 in (("own", 1 / 3), ("receiver", 2 * np.sqrt(2) - 2 / 3)):
        opt = {**PRESETS["paper"], "perspective": perspective}
        out = run_rounds(x, c, s, rounds=5, tol=0.0, q=1.0, t=None, **opt)
        np.testing.assert_allclose(out["eu_sender"][0, 0, 0, 1], a12)
        np.testing.assert_allclose(out["eu_receiver"][0, 0, 0, 1], 2 * np.sqrt(2) - 8 / 3)
        assert out["offer"][0, 0, 0, 1] == CONFLICT and out["offer"][0, 0, 1, 0] == 0
        np.testing.assert_allclose(out["risk"][0, 0], [2, .5])
        np.testing.assert_array_equal(out["positions"][0, :3], [[0, 1], [0, 0], [0, 0]])
        assert out["rounds"][0] == 2 and out["converged"][0]


def test_classes_and_compromise_share_by_hand():
    """Sender i = 0 at 0, receiver j = 1 at 10 (a = i's EU, b = j's):
    a = 2, b = −.5: compromise, j moves by (0 − 10)·|−.5/2| = −2.5 to 7.5;
    a = .5, b = −2: capitulation, j moves to 0; a = 2, b = 1: conflict, j moves to 0;
    a = 1, b = 2: no offer from i (i loses the conflict); a = −1, b = −1: stalemate."""
    x = arr([0, 10])
    cases = [(2, -.5, COMPROMISE, 7.5), (.5, -2, CAPITULATION, 0), (2, 1, CONFLICT, 0),
             (1, 2, 0, 10), (-1, -1, 0, 10)]
    for a_ij, b_ij, code, target in cases:
        a = np.array([[[0, a_ij], [0, 0]]], dtype=float)
        b = np.array([[[0, b_ij], [0, 0]]], dtype=float)
        got, tgt = classify_dyads(a, b, x)
        assert got[0, 0, 1] == code
        assert tgt[0, 0, 1] == pytest.approx(target)
    a, b = np.array([[[0, .5], [0, 0]]]), np.array([[[0, -2.0], [0, 0]]])
    assert classify_dyads(a, b, x, capitulation=False)[0][0, 0, 1] == 0


def test_offer_selection_rules():
    """Receiver 3 at 5 gets: a conflict from 0 (at 0, move 5), a compromise from 1 (at 9, a = 2,
    b = −1: move to 5 + 4·.5 = 7, move 2) and a capitulation from 2 (at 4, move 1), R = 10.
    'distance' takes the least move (capitulation to 4); 'class' the conflict (to 0);
    'scholz-code' also the conflict (class first)."""
    x = arr([0, 9, 4, 5])
    a = np.zeros((1, 4, 4))
    b = np.zeros((1, 4, 4))
    a[0, 0, 3], b[0, 0, 3] = 2, 1  # conflict
    a[0, 1, 3], b[0, 1, 3] = 2, -1  # compromise
    a[0, 2, 3], b[0, 2, 3] = .5, -2  # capitulation
    code, target = classify_dyads(a, b, x)
    assert list(code[0, :3, 3]) == [CONFLICT, COMPROMISE, CAPITULATION]
    rng = np.array([10.0])
    assert select_offers(code, target, a, b, x, rng, "distance")[0, 3] == 2
    assert select_offers(code, target, a, b, x, rng, "class")[0, 3] == 0
    assert select_offers(code, target, a, b, x, rng, "scholz-code")[0, 3] == 0


def test_scholz_code_ranks_compromises_by_lowest_weighted_point():
    """Receiver 2 at 5 gets two compromises: from 0 at 0 (a = 1, b = −.5: move to 2.5, weighted
    point (1·0 + .5·5)/1.5 = 1.67) and from 1 at 8 (a = 4, b = −.4: move to 5.3, point
    (4·8 + .4·5)/4.4 = 7.73). 'class' takes the smaller move (0.3, to 5.3); 'scholz-code' the
    lower weighted point (1.67, to 2.5)."""
    x = arr([0, 8, 5])
    a = np.zeros((1, 3, 3))
    b = np.zeros((1, 3, 3))
    a[0, 0, 2], b[0, 0, 2] = 1, -.5
    a[0, 1, 2], b[0, 1, 2] = 4, -.4
    code, target = classify_dyads(a, b, x)
    np.testing.assert_allclose(target[0, [0, 1], 2], [2.5, 5.3])
    rng = np.array([8.0])
    assert select_offers(code, target, a, b, x, rng, "class")[0, 2] == 1
    assert select_offers(code, target, a, b, x, rng, "scholz-code")[0, 2] == 0


# --------------------------------------------------------------------------- fast forms vs definitions


@st.composite
def rows(draw, max_n=30, grid=True):
    n = draw(st.integers(2, max_n))
    pos = st.integers(0, 20).map(float) if grid else st.floats(0, 100).map(lambda v: round(v, 3))
    x = draw(st.lists(pos, min_size=n, max_size=n))
    c = draw(st.lists(st.floats(.01, 1).map(lambda v: round(v, 3)), min_size=n, max_size=n))
    s = draw(st.lists(st.floats(.05, 1).map(lambda v: round(v, 3)), min_size=n, max_size=n))
    return np.array(x), np.array(c), np.array(s)


@settings(max_examples=150, deadline=None)
@given(st.lists(rows(max_n=12), min_size=1, max_size=3).filter(
    lambda rs: len({len(r[0]) for r in rs}) == 1))
def test_sorted_forms_equal_the_direct_forms(batch):
    """Votes and win probabilities by sorted prefix sums equal the O(N³) voter-by-voter sums, on
    positions with many ties, for every normalisation; F(y) equals Σ w|x − y| at any y."""
    x = np.array([r[0] for r in batch])
    w = np.array([r[1] * r[2] for r in batch])
    rng = np.maximum(np.ptp(x, axis=1), 1.0)
    np.testing.assert_allclose(votes(x, w, rng), votes_direct(x, w, rng), atol=1e-11)
    y = np.linspace(-5, 25, 7)[None].repeat(len(x), 0)
    f = np.abs(x[:, :, None] - y[:, None, :]) * w[:, :, None]
    np.testing.assert_allclose(weighted_distance_sums(x, w, y), f.sum(axis=1), atol=1e-11)
    u = (x - x.min(axis=1, keepdims=True)) / rng[:, None]
    for probability in CHOICES["probability"]:
        for numerator in CHOICES["numerator"]:
            fast = win_probability(u, w, probability=probability, numerator=numerator)
            slow = win_probability_direct(u, w, probability=probability, numerator=numerator)
            np.testing.assert_allclose(fast, slow, atol=1e-11)


@settings(max_examples=100, deadline=None)
@given(rows(max_n=12))
def test_condorcet_median_beats_every_position(row):
    """The median gets at least as many votes as any actor's position: v^{μ,k} ≥ 0."""
    x, c, s = row
    w = c * s
    mu = condorcet_median(x[None], w[None])[0]
    f = lambda y: np.sum(w * np.abs(x - y))  # noqa: E731
    assert all(f(xk) - f(mu) >= -1e-9 for xk in x)


# --------------------------------------------------------------------------- oracle agreement


@settings(max_examples=60, deadline=None)
@given(st.lists(rows(max_n=45), min_size=1, max_size=3).filter(
    lambda rs: len({len(r[0]) for r in rs}) == 1), st.sampled_from(["dyad", "all-pairs"]))
def test_sorted_round_support_equals_the_direct_form(batch, probability):
    """The sorted round's supports pos_ij = (u_i + u_j) W(m) − 2 S(m) − 2 L_i + W·max(u_i − u_j, 0)
    (midpoints counted by comparison up to SMALL_N actors, by binary search above) and its win
    probabilities equal the voter-by-voter sums, on positions with many ties."""
    x = np.array([r[0] for r in batch])
    w = np.array([r[1] * r[2] for r in batch])
    rng = np.maximum(np.ptp(x, axis=1), 1.0)
    u = (x - x.min(axis=1, keepdims=True)) / rng[:, None]
    order = np.argsort(u, axis=1, kind="stable")
    us, ws = np.take_along_axis(u, order, 1), np.take_along_axis(w, order, 1)
    uk = us[:, :, None, None]  # [m, k, i, j]: g = |u_k − u_j| − |u_k − u_i|
    g = np.abs(uk - us[:, None, None, :]) - np.abs(uk - us[:, None, :, None])
    direct = np.einsum("mk,mkij->mij", ws, np.maximum(g, 0.0))  # [m, i, j], voters k
    pos = eum.support_sorted(us.T.copy(), ws.T.copy()).transpose(2, 0, 1)
    np.testing.assert_allclose(pos, direct, atol=1e-12)
    assert np.all(pos[us[:, :, None] == us[:, None, :]] == 0)
    p = eum.win_probability_sorted(pos.transpose(1, 2, 0), probability).transpose(2, 0, 1)
    np.testing.assert_allclose(p, win_probability_direct(us, ws, probability=probability), atol=1e-12)


@st.composite
def options(draw):
    opt = {k: draw(st.sampled_from(v)) for k, v in CHOICES.items()}
    opt["capitulation"] = draw(st.booleans())
    opt["q"] = draw(st.sampled_from([1.0, .5, 0.0, .8]))
    opt["t"] = draw(st.sampled_from([None, None, .5, 1.0]))
    opt["rounds"] = draw(st.integers(1, 4))
    opt["tol"] = draw(st.sampled_from([-1.0, 0.0, 1e-3]))
    return opt


def assert_agrees(x, c, s, opt, perceived=None):
    ref = oracle.run(list(x), list(c), list(s), perceived=perceived, **opt)
    got = run_rounds(x[None], c[None], s[None], perceived=None if perceived is None
                     else np.array(perceived)[None], **opt)
    t = ref["rounds"]
    assert got["rounds"][0] == t and got["converged"][0] == ref["converged"]
    np.testing.assert_allclose(got["positions"][0, :t + 1], ref["positions"], atol=1e-9, rtol=0)
    if t:
        np.testing.assert_allclose(got["eu_sender"][0, :t], ref["a"], atol=1e-9, rtol=0)
        np.testing.assert_allclose(got["eu_receiver"][0, :t], ref["b"], atol=1e-9, rtol=0)
        np.testing.assert_array_equal(got["offer"][0, :t], ref["offer"])
        np.testing.assert_allclose(got["risk"][0, :t], ref["r"], atol=1e-9, rtol=0)


@settings(max_examples=60, deadline=None)
@given(rows(max_n=10), options())
def test_agrees_with_the_oracle_small(row, opt):
    assert_agrees(*row, opt)


@settings(max_examples=8, deadline=None)
@given(rows(max_n=30, grid=False).filter(lambda r: len(r[0]) >= 20), options())
def test_agrees_with_the_oracle_up_to_30_actors(row, opt):
    assert_agrees(*row, {**opt, "rounds": min(opt["rounds"], 2)})


@settings(max_examples=25, deadline=None)
@given(rows(max_n=6), options(), st.data())
def test_agrees_with_the_oracle_with_perceptions(row, opt, data):
    """Each actor evaluates on its own perceived positions (row e of perceived: what e believes)."""
    x = row[0]
    n = len(x)
    noise = data.draw(st.lists(st.integers(-3, 3), min_size=n * n, max_size=n * n))
    perceived = (x[None, :] + np.array(noise, dtype=float).reshape(n, n)).tolist()
    assert_agrees(*row, opt, perceived=perceived)


@settings(max_examples=12, deadline=None)
@given(rows(max_n=45).filter(lambda r: len(r[0]) >= 25), options())
def test_sorted_round_equals_the_step_functions(row, opt):
    """engine='auto' (the sorted round) and engine='steps' (the documented step functions) give
    the same paths, expected utilities and offers, also above SMALL_N actors (binary searches)."""
    x, c, s = row
    opt = {**opt, "numerator": "positive", "rounds": min(opt["rounds"], 2)}
    got = run_rounds(x[None], c[None], s[None], engine="auto", **opt)
    ref = run_rounds(x[None], c[None], s[None], engine="steps", **opt)
    for key in ("positions", "eu_sender", "eu_receiver", "risk"):
        np.testing.assert_allclose(got[key], ref[key], atol=1e-9, rtol=0)
    for key in ("offer", "accepted", "rounds", "converged"):
        np.testing.assert_array_equal(got[key], ref[key])


def test_agrees_with_the_oracle_on_the_ec_case():
    x, c, s = np.array(EC_X, float), np.array(EC_C), np.array(EC_S)
    for preset in PRESETS.values():
        for q in (1.0, .5):
            assert_agrees(x, c, s, {**preset, "q": q, "t": None, "rounds": 8, "tol": -1.0})


# --------------------------------------------------------------------------- invariants


@settings(max_examples=40, deadline=None)
@given(rows(max_n=12, grid=False), st.randoms(use_true_random=False),
       st.sampled_from(["paper", "scholz2011"]), st.floats(.1, 10), st.floats(-50, 50))
def test_invariants(row, rnd, preset, scale, shift):
    """Relabelling actors permutes the paths; scaling every capability, or moving and stretching
    the scale (x → a·x + b, a > 0), changes nothing else; positions stay within the first range;
    risk exponents lie in [0.5, 2]; mirroring the scale mirrors the paths (not for scholz-code,
    whose compromise rule looks for the lowest point)."""
    x, c, s = row
    opt = {**PRESETS[preset], "rounds": 4, "tol": -1.0, "q": 1.0, "t": None}
    base = run_rounds(x[None], c[None], s[None], **opt)
    path = base["positions"][0]
    perm = list(range(len(x)))
    rnd.shuffle(perm)
    again = run_rounds(x[perm][None], c[perm][None], s[perm][None], **opt)
    np.testing.assert_allclose(again["positions"][0], path[:, perm], atol=1e-9)
    again = run_rounds(x[None], c[None] * scale, s[None], **opt)
    np.testing.assert_allclose(again["positions"][0], path, atol=1e-9)
    again = run_rounds(x[None] * scale + shift, c[None], s[None], **opt)
    np.testing.assert_allclose(again["positions"][0], path * scale + shift, atol=1e-7)
    assert path.min() >= x.min() - 1e-9 and path.max() <= x.max() + 1e-9
    r = base["risk"][0]
    assert np.all((r[~np.isnan(r)] >= .5 - 1e-12) & (r[~np.isnan(r)] <= 2 + 1e-12))
    if preset == "paper":
        again = run_rounds(-x[None], c[None], s[None], **opt)
        np.testing.assert_allclose(again["positions"][0], -path, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 100), st.integers(1, 8), st.sampled_from(list(PRESETS)))
def test_unanimity_gives_that_position(p, n, preset):
    out = make("eum", preset=preset).predict_issue(np.full((1, n), p), np.ones((1, n)),
                                                   np.full((1, n), .5))
    assert out.values[0] == p and out.rounds[0] == 0 and out.converged[0]


def test_true_perceptions_change_nothing():
    x, c, s = np.array(EC_X, float), np.array(EC_C), np.array(EC_S)
    opt = {**PRESETS["scholz2011"], "rounds": 8, "tol": -1.0, "q": 1.0, "t": None}
    plain = run_rounds(x[None], c[None], s[None], **opt)
    seen = run_rounds(x[None], c[None], s[None], perceived=np.tile(x, (10, 1))[None], **opt)
    np.testing.assert_allclose(seen["positions"], plain["positions"], atol=1e-12)


def test_batch_equals_one_at_a_time_and_chunks_change_nothing():
    """Ten jittered EC scenarios in one batch, in chunks of one row, and one by one agree."""
    ec = standoff.load("ec-emissions-1994")
    base = Batch.from_scenario(ec)
    rnd = np.random.default_rng(7)
    cap = base.capability * rnd.uniform(.5, 1.5, (10, 10))
    rep = lambda a: np.repeat(a, 10, axis=0)  # noqa: E731
    batch = Batch(rep(base.positions), rep(base.salience), cap, base.low, base.high,
                  base.status_quo, base.actor_ids, base.issue_ids)
    for preset in PRESETS:
        together = make("eum", preset=preset).predict(batch)
        chunked = make("eum", preset=preset, chunk_elements=1).predict(batch)
        np.testing.assert_array_equal(together.positions_path, chunked.positions_path)
        for b in range(10):
            one = Batch(batch.positions[b:b + 1], batch.salience[b:b + 1], cap[b:b + 1], base.low,
                        base.high, base.status_quo, base.actor_ids, base.issue_ids)
            np.testing.assert_array_equal(make("eum", preset=preset).predict(one).values,
                                          together.values[b:b + 1])


def test_perceived_batch_goes_through_the_model_interface():
    """Batch.perceived [B, N, N, K] reaches predict_issue; beliefs equal to the truth change
    nothing, a shared misbelief about France's position changes the forecast path."""
    ec = standoff.load("ec-emissions-1994")
    base = Batch.from_scenario(ec)
    true = np.repeat(base.positions[:, None, :, :], 10, axis=1)  # [1, N, N, K]
    model = make("eum", preset="scholz2011", rounds=8, tol=-1)
    plain = model.predict(base)
    same = model.predict(Batch(base.positions, base.salience, base.capability, base.low, base.high,
                               base.status_quo, base.actor_ids, base.issue_ids, perceived=true))
    np.testing.assert_allclose(same.positions_path, plain.positions_path, atol=1e-12)
    wrong = true.copy()
    wrong[:, :, 4, 0] = 7.0  # everyone but France believes France sits at 7
    moved = model.predict(Batch(base.positions, base.salience, base.capability, base.low, base.high,
                                base.status_quo, base.actor_ids, base.issue_ids, perceived=wrong))
    assert not np.allclose(moved.positions_path, plain.positions_path)


# --------------------------------------------------------------------------- the EC case


def test_scholz_table2_is_reproduced_by_the_preset():
    """Scholz, Calbert & Smith (2011), Table 2 (EC emissions, Q = 1): the median after rounds 1-8
    is 8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6 and the mean 7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6
    from 7.0 and 7.39. The 'scholz2011' preset stays within 0.3 of every median (the largest gap is
    round 2: 9.62 against 9.9) and within 0.07 of every mean."""
    f = standoff.forecast("ec-emissions-1994", "eum", preset="scholz2011", rounds=8, tol=-1)
    median = np.array(f.issues[0].trajectory)
    mean = np.array(f.detail["mean"][0])
    assert median[0] == 7.0 and mean[0] == pytest.approx(500.3 / 67.7)
    assert np.max(np.abs(median[1:] - SCHOLZ_TABLE2_MEDIAN)) < 0.3
    assert np.max(np.abs(mean[1:] - SCHOLZ_TABLE2_MEAN)) < 0.07
    # the swing back to the middle in round 6 and the climb afterwards
    assert median[6] < 8 < median[7] < median[8]


def test_the_straight_reading_sticks_at_the_median():
    """With the win probability normalised per dyad the median voter position stays at 7.0."""
    f = standoff.forecast("ec-emissions-1994", "eum", preset="paper", rounds=8, tol=-1)
    assert f.issues[0].trajectory == [7.0] * 9


def test_ec_csv_in_reference_data_gives_the_same_run(reference_data):
    """The published table (../shared/data) and the built-in case hold the same figures, so the
    model's run on the raw table equals its run on the case."""
    import pandas as pd

    table = pd.read_csv(reference_data / "ec-emissions-1994.csv")
    x, c, s = (table[k].to_numpy(float)[None] for k in ("position", "capability", "salience"))
    opt = {**PRESETS["scholz2011"], "rounds": 8, "tol": -1.0, "q": 1.0, "t": None}
    out = run_rounds(x, c, s / 100, **opt)
    batch = Batch.from_scenario(standoff.load("ec-emissions-1994"))
    pred = make("eum", preset="scholz2011", rounds=8, tol=-1).predict(batch)
    np.testing.assert_allclose(pred.positions_path[0, :, :, 0], out["positions"][0], atol=1e-12)


def test_forecast_detail_and_errors():
    f = standoff.forecast("ec-emissions-1994", "eum", rounds=3)
    assert set(f.detail) >= {"mean", "risk", "eu_sender", "eu_receiver", "offer", "class_names"}
    assert np.array(f.detail["eu_sender"]).shape == (1, 3, 10, 10)  # issues × rounds × N × N
    with pytest.raises(ModelError, match="preset"):
        make("eum", preset="nope").forecast(standoff.load("ec-emissions-1994"))
    with pytest.raises(ModelError, match="probability must be one of"):
        make("eum", probability="sometimes").forecast(standoff.load("ec-emissions-1994"))
    for bad in ({"tol": "soon"}, {"q": 2}, {"t": -1}, {"rounds": -3}, {"chunk_elements": 0}):
        with pytest.raises(ModelError, match="bad parameter for model 'eum'"):
            make("eum", **bad).forecast(standoff.load("ec-emissions-1994"))


def test_multi_issue_runs_issue_by_issue(toy):
    """A two-issue scenario gives on each issue what a run on that issue alone gives."""
    model = make("eum", preset="paper", rounds=4, q=0.5)
    batch = Batch.from_scenario(toy)
    both = model.predict(batch)
    assert both.values.shape == (1, 2) and both.trajectory.shape == (1, 5, 2)
    assert both.positions_path.shape == (1, 5, 3, 2)
    for k in range(2):
        one = model.predict_issue(batch.positions[:, :, k], batch.capability, batch.salience[:, :, k])
        np.testing.assert_array_equal(both.positions_path[..., k], one.positions_path)
        np.testing.assert_array_equal(both.detail["eu_sender"][:, k], one.detail["eu_sender"])
    f = model.forecast(toy)
    assert [i.issue for i in f.issues] == ["a", "b"] and f.issues[0].rounds is not None


def test_models_without_perceptions_ignore_them():
    """A batch with perceived positions still runs through the median model (which has no use
    for them) and gives its usual answer."""
    ec = standoff.load("ec-emissions-1994")
    base = Batch.from_scenario(ec)
    seen = np.repeat(base.positions[:, None, :, :], 10, axis=1) + 1.0
    batch = Batch(base.positions, base.salience, base.capability, base.low, base.high,
                  base.status_quo, base.actor_ids, base.issue_ids, perceived=seen)
    assert make("median").predict(batch).values[0, 0] == 7.0
