"""A plain loop-by-loop reference implementation of the expected utility model (the oracle).

Written from the equations of Scholz, Calbert & Smith (2011) and docs/models/expected-utility.md,
one actor, one dyad, one voter at a time, with no vectorisation and no sorting tricks, so that
the batched implementation in ``standoff.models.eum`` can be checked against it. It takes the
same named choices as the model (see ``ExpectedUtility``); only scalars and lists are used here.
"""

from __future__ import annotations

import numpy as np

EPS = 1e-12  # expected utilities within EPS of zero count as zero (same constant as the model)
KEY_DECIMALS = 10  # offers whose moves / utilities agree to 10 decimals are equally good


def sign(v: float) -> int:
    return 1 if v > EPS else (-1 if v < -EPS else 0)


def weighted_median(x: list[float], w: list[float]) -> float:
    """The Condorcet winner by the definition: a position p with weight on each side >= W/2;
    with two such positions (a tie), their midpoint."""
    total = sum(w)
    ok = [p for p in sorted(set(x))
          if sum(wi for xi, wi in zip(x, w, strict=True) if xi <= p) >= total / 2 - 1e-12 * total
          and sum(wi for xi, wi in zip(x, w, strict=True) if xi >= p) >= total / 2 - 1e-12 * total]
    return (min(ok) + max(ok)) / 2


def vote(xk: float, wk: float, xi: float, xj: float, rng: float) -> float:
    """Voter k's vote for x_i against x_j: w_k (|x_k - x_j| - |x_k - x_i|) / R."""
    return wk * (abs(xk - xj) - abs(xk - xi)) / rng


def support(x, w, i, j, rng, opt):
    """(numerator, denominator) of P(i beats j) from the votes of every actor k, one by one."""
    num = den = 0.0
    for k in range(len(x)):
        v = vote(x[k], w[k], x[i], x[j], rng)
        if opt["numerator"] == "positive":
            num += max(v, 0.0)
            den += abs(v)
        else:  # supporters: c_k s_k of the actors preferring i, over that of all who are not indifferent
            g = (abs(x[k] - x[j]) - abs(x[k] - x[i])) / rng
            num += w[k] if g > EPS else 0.0
            den += w[k] if abs(g) > EPS else 0.0
    return num, den


def expected_utility(x, s, i, j, p, mu, r, rng, opt) -> float:
    """E(U_ij): i challenges j, evaluated with exponent r (the evaluator's)."""
    d = abs(x[i] - x[j]) / rng
    us = 2 - 4 * max(0.5 - 0.5 * d, 0.0) ** r
    uf = 2 - 4 * (0.5 + 0.5 * d) ** r
    usq = 2 - 4 * 0.5 ** r
    e = 0.25 * (abs(x[i] - mu) + abs(x[i] - x[j])) / rng
    ub = 2 - 4 * max(0.5 - e, 0.0) ** r
    uw = 2 - 4 * (0.5 + e) ** r
    if opt["t"] is None:
        gap = (abs(x[j] - mu) - abs(x[i] - mu)) / rng  # > 0: the median lies nearer i
        t = 1.0 if gap > EPS else (0.0 if gap < -EPS else 0.5)
    else:
        t = opt["t"]
    sal = s[j] if opt["resist_salience"] == "target" else s[i]
    q = opt["q"]
    return (sal * (p * us + (1 - p) * uf) + (1 - sal) * us - q * usq
            - (1 - q) * (t * ub + (1 - t) * uw))


def eu_matrix(x, c, s, r, rng, opt, mu):
    """E[i][j] = E(U_ij) evaluated with r[i] (the challenger's own exponent: own perspective)
    and with r[j] (the receiver's exponent): returns both matrices."""
    n = len(x)
    w = [c[k] * s[k] for k in range(n)]
    sup = [[support(x, w, i, j, rng, opt) for j in range(n)] for i in range(n)]
    total = sum(sup[i][j][1] for i in range(n) for j in range(n))
    own = [[0.0] * n for _ in range(n)]
    recv = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            num, den = sup[i][j]
            if opt["probability"] == "all-pairs":
                den = total
            p = 0.5 if den == 0 else num / den
            own[i][j] = expected_utility(x, s, i, j, p, mu, r[i], rng, opt)
            recv[i][j] = expected_utility(x, s, i, j, p, mu, r[j], rng, opt)
    return own, recv


def weighted_mean(x, w):
    return sum(a * b for a, b in zip(x, w, strict=True)) / sum(w)


def run(x0, c, s, *, perceived=None, **opt):
    """Run the model on one issue; returns a dict of per-round lists."""
    n = len(x0)
    x = list(map(float, x0))
    w = [c[k] * s[k] for k in range(n)]
    offset = None
    if perceived is not None:
        offset = [[0.0 if e == j else perceived[e][j] - x0[j] for j in range(n)] for e in range(n)]
    rng0 = max(x) - min(x)
    out = {"positions": [list(x)], "median": [weighted_median(x, w)], "mean": [weighted_mean(x, w)],
           "a": [], "b": [], "offer": [], "r": []}
    rounds_run, converged = 0, False
    for _ in range(opt["rounds"]):
        rng = rng0 if opt["position_range"] == "initial" else max(x) - min(x)
        if rng <= 0:
            converged = True
            break
        views = [list(x) if offset is None else [x[j] + offset[e][j] for j in range(n)]
                 for e in range(n)]
        # first pass: r = 1, reference point the median of each evaluator's view
        ones = [1.0] * n
        first = evaluate(views, c, s, ones, rng, opt, weighted_median, offset is None)
        a1 = pick(first, n, opt)
        if opt["risk"] == "security":
            sec = [sum(a1[j][i] for j in range(n) if j != i) for i in range(n)]
            hi, lo = max(sec), min(sec)
            big_r = [0.0 if hi - lo <= EPS else (2 * sec[i] - hi - lo) / (hi - lo) for i in range(n)]
            r = [(1 - R / 3) / (1 + R / 3) for R in big_r]
            ref = weighted_median if opt["reference"] == "median" else weighted_mean
            second = evaluate(views, c, s, r, rng, opt, ref, offset is None)
            a = pick(second, n, opt)
        else:
            r, a, second = ones, a1, first
        mats = second if opt["risk"] == "security" else first
        b = [[mats[j][0][j][i] for j in range(n)] for i in range(n)]  # E^j(U_ji), j's view, r_j
        offers = [[0] * n for _ in range(n)]
        target = [[None] * n for _ in range(n)]
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                sa, sb = sign(a[i][j]), sign(b[i][j])
                if sa > 0 and sb > 0 and a[i][j] - b[i][j] > EPS:
                    offers[i][j], target[i][j] = 1, x[i]
                elif sa > 0 and sb <= 0:
                    if abs(a[i][j]) - abs(b[i][j]) > EPS:
                        offers[i][j] = 2
                        target[i][j] = x[j] + (x[i] - x[j]) * abs(b[i][j] / a[i][j])
                    elif opt["capitulation"]:
                        offers[i][j], target[i][j] = 3, x[i]
        new = list(x)
        for j in range(n):
            cands = []
            for i in range(n):
                if offers[i][j]:
                    move = float(np.round(abs(target[i][j] - x[j]) / rng, KEY_DECIMALS))
                    util = float(np.round(a[i][j], KEY_DECIMALS))
                    if opt["offer_priority"] == "distance":
                        key = (move, offers[i][j], -util, i)
                    elif opt["offer_priority"] == "class" or offers[i][j] != 2:
                        key = (offers[i][j], move, -util, i)
                    else:  # scholz-code: the compromise with the lowest stake-weighted point
                        point = (abs(a[i][j]) * x[i] + abs(b[i][j]) * x[j]) / \
                            (abs(a[i][j]) + abs(b[i][j]))
                        key = (offers[i][j], float(np.round((point - min(x)) / rng, KEY_DECIMALS)),
                               -util, i)
                    cands.append((key, i))
            if cands:
                _, i = min(cands)
                new[j] = target[i][j]
        out["a"].append(a)
        out["b"].append(b)
        out["offer"].append(offers)
        out["r"].append(r)
        change = max(abs(new[k] - x[k]) for k in range(n)) / rng
        x = new
        rounds_run += 1
        out["positions"].append(list(x))
        out["median"].append(weighted_median(x, w))
        out["mean"].append(weighted_mean(x, w))
        if change <= opt["tol"]:
            converged = True
            break
    out["rounds"] = rounds_run
    out["converged"] = converged
    return out


def evaluate(views, c, s, r, rng, opt, reference, shared):
    """The (own, receiver) matrices of every evaluator's view; one computation when all views are
    the same (no perceptions)."""
    w = [c[k] * s[k] for k in range(len(c))]
    if shared:
        return [eu_matrix(views[0], c, s, r, rng, opt, reference(views[0], w))] * len(views)
    return [eu_matrix(v, c, s, r, rng, opt, reference(v, w)) for v in views]


def pick(mats, n, opt):
    """A[i][j]: the sender i's expected utility of challenging j, as the perspective rule says:
    'own': i's evaluation in i's view with r_i; 'receiver': j's evaluation in j's view with r_j."""
    if opt["perspective"] == "own":
        return [[mats[i][0][i][j] for j in range(n)] for i in range(n)]
    return [[mats[j][1][i][j] for j in range(n)] for i in range(n)]
