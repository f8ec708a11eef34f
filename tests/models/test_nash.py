"""The asymmetric Nash bargaining solution: hand-solved cases, scipy as the reference optimiser,
the status-quo variant's no-agreement report, and the link to the compromise model (Achen)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq, minimize, minimize_scalar

import standoff
from standoff.errors import StandoffError
from standoff.models import Batch, make
from standoff.scenario.io import build


def scenario(positions, salience, capability, lo=0.0, hi=100.0, status_quo=None):
    n, k = len(positions), len(positions[0])
    issues = [f"i{m}" for m in range(k)]
    return build({
        "id": "t", "title": "t", "baseline": "2020-01-01",
        "issues": [{"id": i, "title": i, "min": lo, "max": hi,
                    **({} if status_quo is None else {"status_quo": float(status_quo[m])})}
                   for m, i in enumerate(issues)],
        "actors": [{"id": f"a{a}", "name": f"A{a}", "capability": float(capability[a]),
                    "positions": {i: float(positions[a][m]) for m, i in enumerate(issues)},
                    "salience": {i: float(salience[a][m]) for m, i in enumerate(issues)}}
                   for a in range(n)]})


def nash(s, **params):
    return make("nash", **params).forecast(s)


@pytest.mark.parametrize("utility", ["quadratic", "linear"])
def test_symmetric_pair_splits_the_difference(utility):
    """Equal weights at 0 and 100: by symmetry the solution is 50."""
    s = scenario([[0], [100]], [[50], [50]], [1, 1])
    assert nash(s, utility=utility).value("i0") == pytest.approx(50.0)


def test_linear_weighted_pair_by_hand():
    """A at 0 (weight 2), B at 100 (weight 1); worst points 100 and 0, so on the 0..1 scale
    g_A = 1 − u, g_B = u and f = 2 log(1 − u) + log u: f' = −2/(1 − u) + 1/u = 0 at u = 1/3."""
    s = scenario([[0], [100]], [[50], [50]], [2, 1])
    assert nash(s, utility="linear").value("i0") == pytest.approx(100 / 3)


def test_quadratic_weighted_pair_by_hand():
    """Same pair, quadratic: f = 2 log(1 − u²) + log(1 − (1 − u)²); f' = 0 gives
    (1 − u)²(1 + u) = 2u²(2 − u), i.e. 3u³ − 5u² − u + 1 = 0, root ≈ 0.3977 in (0, 1); the
    compromise is 33.3, the Nash solution lies nearer the middle."""
    roots = [r.real for r in np.roots([3, -5, -1, 1]) if abs(r.imag) < 1e-12 and 0 < r.real < 1]
    s = scenario([[0], [100]], [[50], [50]], [2, 1])
    assert nash(s).value("i0") == pytest.approx(100 * roots[0], abs=1e-9)
    assert 39.7 < nash(s).value("i0") < 39.8


def test_status_quo_agreement_by_hand():
    """Actors at 20 and 40, status quo 60, equal weights. Linear: on [20, 40]
    g_1 = 40 − (x − 20) = 60 − x and g_2 = 20 − (40 − x) = x − 20; f = log(60 − x) + log(x − 20)
    rises up to x = 40, and beyond 40 g_2 = 60 − x falls: the solution is 40.
    Quadratic: the root of −(x − 20)/(1600 − (x − 20)²) − (x − 40)/(400 − (x − 40)²) in (20, 60)
    (brentq, independent of the model's bisection)."""
    s = scenario([[20], [40]], [[50], [50]], [1, 1], status_quo=[60])
    f = nash(s, utility="linear", disagreement="status-quo")
    assert f.value("i0") == pytest.approx(40.0)
    assert f.detail["agreement"] == [True]
    foc = lambda x: -(x - 20) / (1600 - (x - 20) ** 2) - (x - 40) / (400 - (x - 40) ** 2)  # noqa: E731
    x = brentq(foc, 20.0001, 59.9999, xtol=1e-13)
    assert nash(s, disagreement="status-quo").value("i0") == pytest.approx(x, abs=1e-8)


def test_status_quo_without_agreement_is_reported():
    """Actors on both sides of the status quo (20 < 50 < 80): every alternative makes one of
    them worse off, so the forecast is the status quo and the detail says who wants what."""
    s = scenario([[20, 10], [80, 30]], [[50, 50], [50, 50]], [1, 1], status_quo=[50, 60])
    f = nash(s, disagreement="status-quo")
    assert f.value("i0") == 50.0
    assert f.detail["agreement"] == [False, True]
    assert "a0 want less and a1 want more" in f.detail["no_agreement"]["i0"]
    assert "i1" not in f.detail["no_agreement"]


def test_joint_package_can_beat_the_status_quo_where_issues_cannot():
    """The same pair jointly: both want much less on i1 (10 and 30 against 60), so a package
    that gives a1 a little less than it wants on i0 and both a lot on i1 beats the status quo for
    both: joint bargaining finds an agreement that issue-by-issue bargaining cannot. Each
    actor's utility gain Σ_k s_k((sq_k − x_k)² − (v_k − x_k)²) is positive there."""
    s = scenario([[20, 10], [80, 30]], [[50, 50], [50, 50]], [1, 1], status_quo=[50, 60])
    j = nash(s, disagreement="status-quo", joint=True)
    assert j.detail["agreement"] == [True, True]
    v = np.array([f.value for f in j.issues])
    for pos in ([20, 10], [80, 30]):
        gain = ((np.array([50, 60]) - pos) ** 2 - (v - pos) ** 2).sum()
        assert gain > 0


def test_joint_without_agreement_is_reported():
    """Opposite on both issues (20, 20) and (80, 80) around (50, 50) with equal saliences: the
    directions a_i = s_i(x_i − sq) are (−.3, −.3)·.5 and (.3, .3)·.5, no v makes both positive,
    so no package beats the status quo: the forecast is the status quo, flagged."""
    s = scenario([[20, 20], [80, 80]], [[50, 50], [50, 50]], [1, 1], status_quo=[50, 50])
    j = nash(s, disagreement="status-quo", joint=True)
    assert [f.value for f in j.issues] == [50.0, 50.0]
    assert j.detail["agreement"] == [False, False]
    assert "no package" in j.detail["no_agreement"]["all"]


def test_status_quo_needs_one():
    s = scenario([[20], [80]], [[50], [50]], [1, 1])
    with pytest.raises(StandoffError, match="status quo"):
        nash(s, disagreement="status-quo")


def objective_1d(x, z, w, d, utility):
    loss = (lambda v: v * v) if utility == "quadratic" else abs
    g = [loss(di - zi) - loss(x - zi) for zi, di in zip(z, d, strict=True)]
    if min(g) <= 0:
        return np.inf
    return -sum(wi * np.log(gi) for wi, gi in zip(w, g, strict=True))


@pytest.mark.parametrize("utility", ["quadratic", "linear"])
def test_per_issue_agrees_with_scipy(utility):
    """Random 6-actor, 3-issue scenarios, batched: each issue against scipy's bounded scalar
    minimiser of −Σ w log(L(d − z) − L(x − z)) written from the definition."""
    rng = np.random.default_rng(1)
    scen = [scenario(rng.uniform(0, 100, (6, 3)).tolist(), rng.uniform(5, 100, (6, 3)).tolist(),
                     rng.uniform(1, 9, 6).tolist()) for _ in range(3)]
    pred = make("nash", utility=utility).predict(Batch.from_scenarios(scen))
    for b, sc in enumerate(scen):
        for m, issue in enumerate(sc.issue_ids):
            z = [a.positions[issue].mode / 100 for a in sc.actors]
            w = [a.capability.mode * a.salience[issue].mode for a in sc.actors]
            d = [1.0 if zi <= 0.5 else 0.0 for zi in z]
            res = minimize_scalar(objective_1d, bounds=(0, 1), method="bounded",
                                  args=(z, w, d, utility), options={"xatol": 1e-12})
            assert pred.values[b, m] == pytest.approx(100 * res.x, abs=1e-5)


def test_joint_agrees_with_scipy():
    """Joint quadratic bargaining over 3 issues against scipy's L-BFGS-B on
    −Σ_i c_i s̄_i log Σ_k (s_ik/s̄_i)(D_ik² − (x_k − z_ik)²)."""
    rng = np.random.default_rng(2)
    x, s, c = rng.uniform(0, 100, (5, 3)), rng.uniform(5, 100, (5, 3)), rng.uniform(1, 9, 5)
    got = [f.value for f in nash(scenario(x.tolist(), s.tolist(), c.tolist()), joint=True).issues]
    z, sal = x / 100, s / 100
    sbar = sal.mean(axis=1)
    rel = sal / sbar[:, None]
    big_d = np.where(z <= 0.5, 1 - z, z)

    def neg(v):
        g = (rel * (big_d ** 2 - (v - z) ** 2)).sum(axis=1)
        return np.inf if g.min() <= 0 else -(c * sbar * np.log(g)).sum()

    res = minimize(neg, np.full(3, 0.5), method="Nelder-Mead",
                   options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000})
    assert got == pytest.approx(list(100 * res.x), abs=1e-4)


def test_joint_status_quo_agrees_with_scipy():
    """Everyone wants less than the status quo (80, 90) on both issues: an agreement exists;
    the joint solution maximises the Nash product inside the intersection of the actors'
    better-than-status-quo ellipses (scipy Nelder-Mead on the same objective)."""
    x = np.array([[20.0, 30], [50, 10], [70, 60]])
    s = np.array([[80.0, 20], [30, 70], [50, 50]])
    c = np.array([1.0, 2, 1.5])
    sc = scenario(x.tolist(), s.tolist(), c.tolist(), status_quo=[80, 90])
    got = [f.value for f in nash(sc, joint=True, disagreement="status-quo").issues]
    z, sal, sq = x / 100, s / 100, np.array([0.8, 0.9])
    sbar = sal.mean(axis=1)
    rel = sal / sbar[:, None]

    def neg(v):
        g = (rel * ((sq - z) ** 2 - (v - z) ** 2)).sum(axis=1)
        return np.inf if g.min() <= 0 else -(c * sbar * np.log(g)).sum()

    res = minimize(neg, np.array([0.6, 0.5]), method="Nelder-Mead",
                   options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000})
    assert got == pytest.approx(list(100 * res.x), abs=1e-4)


def test_joint_with_one_issue_is_the_per_issue_solution():
    """With one issue the joint weights c_i·s̄_i are the per-issue weights c_i·s_i."""
    s = scenario([[10], [35], [90]], [[30], [80], [60]], [4, 1, 2])
    assert nash(s, joint=True).value("i0") == pytest.approx(nash(s).value("i0"), abs=1e-9)


def test_far_disagreement_gives_the_compromise():
    """Achen (2006): with quadratic utilities the first-order condition is
    Σ w_i (x_i − x)/g_i(x) = 0 with g_i = D_i² − (x − x_i)². When the disagreement point is far
    from every position, all g_i ≈ D², and the solution tends to the weighted mean (the
    compromise). Three positions 10 apart in the middle of ever wider scales: the gap to the
    compromise shrinks about tenfold with each tenfold widening, to under 0.001."""
    gaps = []
    for half in (1e3, 1e4, 1e5):
        pos = [[half], [half + 3], [half + 10]]
        sc = scenario(pos, [[30], [80], [60]], [4, 1, 2], lo=0, hi=2 * half)
        gaps.append(abs(nash(sc).value("i0") - standoff.forecast(sc, "compromise").value("i0")))
    assert gaps[0] > 5 * gaps[1] > 25 * gaps[2]
    assert gaps[2] < 1e-3


def test_invariants():
    """Relabelling actors changes nothing; mirroring the scale mirrors the solution;
    unanimity gives that position."""
    rng = np.random.default_rng(4)
    x, s, c = rng.uniform(0, 100, (5, 2)), rng.uniform(5, 100, (5, 2)), rng.uniform(1, 9, 5)
    for params in ({}, {"utility": "linear"}, {"joint": True}):
        a = [f.value for f in nash(scenario(x.tolist(), s.tolist(), c.tolist()), **params).issues]
        b = [f.value for f in nash(scenario(x[::-1].tolist(), s[::-1].tolist(),
                                            c[::-1].tolist()), **params).issues]
        m = [f.value for f in nash(scenario((100 - x).tolist(), s.tolist(), c.tolist()),
                                   **params).issues]
        assert a == pytest.approx(b, abs=1e-7)
        assert a == pytest.approx([100 - v for v in m], abs=1e-7)
    same = scenario([[30], [30], [30]], [[20], [50], [90]], [1, 2, 3])
    assert nash(same).value("i0") == pytest.approx(30.0)


def test_bad_parameters_are_user_errors():
    with pytest.raises(StandoffError):
        make("nash", utility="cubic")
    with pytest.raises(StandoffError):
        make("nash", utility="linear", joint=True)
    with pytest.raises(StandoffError):
        make("nash", disagreement="war")


def test_cop21_runs_joint(shared_data):
    """COP21 (13 issues): the joint solution exists with the worst-point disagreement, stays
    within every issue's range of positions, and differs from the compromise."""
    from standoff.scenario.formats import read_decide

    cop = read_decide(shared_data / "decide-cop21.csv")
    j = nash(cop, joint=True)
    comp = standoff.forecast(cop, "compromise")
    for f in j.issues:
        xs = [a.positions[f.issue].mode for a in cop.actors if a.salience[f.issue].mode > 0]
        assert min(xs) <= f.value <= max(xs)
    assert max(abs(f.value - g.value) for f, g in zip(j.issues, comp.issues, strict=True)) > 1
