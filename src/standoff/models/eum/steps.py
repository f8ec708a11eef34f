"""The paper's steps, one pure function each (Scholz, Calbert & Smith 2011), and one round
composed from them (:func:`steps_round`): the definitions the fast engine is tested against.

Every function works on arrays with a leading batch axis M (scenarios × issues, or scenarios ×
issues × evaluators when actors see the world through their own perceptions).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from standoff.models.compromise import weighted_mean
from standoff.models.median import weighted_median

EPS = 1e-12
"""Expected utilities (and normalised vote differences) within EPS of zero count as zero."""
KEY_DECIMALS = 10
"""Offers whose moves (as a share of R) and senders' utilities agree to this many decimals tie."""

STALEMATE, CONFLICT, COMPROMISE, CAPITULATION = 0, 1, 2, 3
CLASS_NAMES = ("stalemate", "conflict", "compromise", "capitulation")
"""Offer codes: offer[i, j] is what sender i obtains from receiver j (0: nothing)."""


# ---------------------------------------------------------------------------------------------
# step 2: votes and the Condorcet winner


def _sorted_prefix(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions sorted per row, and prefix sums (with a leading 0) of w and w·x in that order."""
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    zero = np.zeros(x.shape[:-1] + (1,))
    cw = np.concatenate([zero, np.cumsum(ws, axis=-1)], axis=-1)
    cs = np.concatenate([zero, np.cumsum(ws * xs, axis=-1)], axis=-1)
    return xs, cw, cs


def _rowwise_searchsorted(xs: np.ndarray, q: np.ndarray, side: str, inside: bool = False) -> np.ndarray:
    """np.searchsorted for every row of xs[M, N] (sorted) with queries q[M, ...].

    Groups of rows are laid end to end on one line, each shifted by (largest span + 3), queries
    clipped to within 1 of their row's range (which changes no count), so one 1-D search serves a
    whole group. For rows spanning about 1 (positions on 0..1) a group spans at most ~1024 units,
    so the shift costs under 2.3e-13 of resolution (float ulp). `inside`: the caller promises every
    query lies within its row's range (no clipping needed)."""
    m, n = xs.shape
    lo = xs[:, :1]
    span = xs[:, -1:] - lo
    q2 = q.reshape(m, -1) - lo
    if not inside:
        q2 = np.clip(q2, -1.0, span + 1.0)
    out = np.empty(q2.shape, dtype=np.int64)
    step = float(span.max(initial=0.0)) + 3.0
    group = max(1, int(1024 // step))
    for g in range(0, m, group):
        rows = slice(g, g + group)
        k = xs[rows].shape[0]
        base = np.arange(k, dtype=float)[:, None] * step + 1.5
        flat = (xs[rows] - lo[rows] + base).ravel()
        found = np.searchsorted(flat, (q2[rows] + base).ravel(), side=side)
        out[rows] = found.reshape(k, -1) - (np.arange(k) * n)[:, None]
    return out.reshape(q.shape)


def weighted_distance_sums(x: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    """F(y) = Σ_k w_k |x_k − y| for every query y[M, ...] in O(log N) each (sorted prefix sums).

    Computed on the row's positions mapped onto 0..1 and scaled back (F is linear in the scale)."""
    lo = x.min(axis=1, keepdims=True)
    span = x.max(axis=1, keepdims=True) - lo
    span = np.where(span > 0, span, 1.0)
    u = (x - lo) / span
    shape = (-1,) + (1,) * (y.ndim - 1)
    v = (y - lo.reshape(shape)) / span.reshape(shape)
    xs, cw, cs = _sorted_prefix(u, w)
    n = x.shape[-1]
    k = _rowwise_searchsorted(xs, v, "right")  # voters at or left of y
    pick = lambda a, i: np.take_along_axis(a, i.reshape(a.shape[0], -1), axis=1).reshape(i.shape)  # noqa: E731
    wl, sl = pick(cw, k), pick(cs, k)
    wt, st = cw[:, n].reshape(shape), cs[:, n].reshape(shape)
    return ((v * wl - sl) + ((st - sl) - v * (wt - wl))) * span.reshape(shape)


def votes(x: np.ndarray, w: np.ndarray, position_range: np.ndarray) -> np.ndarray:
    """v[M, j, k] = Σ_i w_i (|x_i − x_k| − |x_i − x_j|)/R: the vote for x_j against x_k (step 2).

    Summed over voters it telescopes to (F(x_k) − F(x_j))/R with F(y) = Σ_i w_i|x_i − y|, and F at
    every actor's position costs O(N log N) with sorted prefix sums."""
    f = weighted_distance_sums(x, w, x)
    return (f[:, None, :] - f[:, :, None]) / position_range[:, None, None]


def votes_direct(x: np.ndarray, w: np.ndarray, position_range: np.ndarray) -> np.ndarray:
    """The O(N³) definition of :func:`votes`, voter by voter (for tests)."""
    d = np.abs(x[:, :, None] - x[:, None, :])  # d[m, i, j] = |x_i − x_j|
    per_voter = d[:, :, None, :] - d[:, :, :, None]  # [m, i, j, k] = |x_i − x_k| − |x_i − x_j|
    return np.einsum("mi,mijk->mjk", w, per_voter) / position_range[:, None, None]


def condorcet_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """μ[M]: the position that no other beats in the pairwise votes (step 2).

    With votes v^{jk} = (F(x_k) − F(x_j))/R, x_j beats every x_k exactly when it minimises F, that is
    at the weighted median (Black 1948); on an exact tie the midpoint of the two medians."""
    return weighted_median(x, w)


# ---------------------------------------------------------------------------------------------
# step 5: the probability that i beats j


def _pairwise_support(u: np.ndarray, w: np.ndarray, numerator: str) -> np.ndarray:
    """pos[M, i, j]: the support for i against j, Σ_k w_k max(g_k, 0) with
    g_k = |u_k − u_j| − |u_k − u_i| ('positive'), or Σ_k w_k [g_k > EPS] ('supporters').

    For u_i < u_j every voter at or left of u_i gives d = u_j − u_i and a voter between u_i and the
    midpoint m = (u_i + u_j)/2 gives u_i + u_j − 2u_k; the rest give nothing. With W(y), S(y) the
    sums of w and w·u over the voters left of y (prefix sums over the sorted positions) this is

        pos_ij = (u_i + u_j) W(m) − 2 S(m) + 2[S(≤u_i) − u_i W(≤u_i)]                 (u_i < u_j)
        pos_ij = (u_i + u_j) W(m) − 2 S(m) + (u_i − u_j) W + 2[S(<u_i) − u_i W(<u_i)]  (u_i > u_j)

    (voters exactly at m give 0 either way): one binary search per pair, for m."""
    m_rows, n = u.shape
    xs, cw, cs = _sorted_prefix(u, w)
    flat_w, flat_s = cw.ravel(), cs.ravel()
    row0 = (np.arange(m_rows) * (n + 1))[:, None]
    at = lambda flat, k: np.take(flat, k + row0.reshape((-1,) + (1,) * (k.ndim - 1)))  # noqa: E731
    mid = (u[:, :, None] + u[:, None, :]) * 0.5
    diff = u[:, :, None] - u[:, None, :]  # u_i − u_j
    if numerator == "supporters":
        # i on the left: voters with u_k < m − EPS/2; on the right: u_k > m + EPS/2
        below = at(flat_w, _rowwise_searchsorted(xs, mid - EPS / 2, "left"))
        above = cw[:, n:n + 1, None] - at(flat_w, _rowwise_searchsorted(xs, mid + EPS / 2, "right"))
        return np.where(diff < -EPS, below, np.where(diff > EPS, above, 0.0))
    le = _rowwise_searchsorted(xs, u, "right", inside=True)  # #{u_k ≤ u_i}, [M, N]
    lt = _rowwise_searchsorted(xs, u, "left", inside=True)  # #{u_k < u_i}
    own_left = 2.0 * (at(flat_s, le) - u * at(flat_w, le))  # [M, N]
    own_right = 2.0 * (at(flat_s, lt) - u * at(flat_w, lt))
    # search the midpoints of the sorted positions (row by row increasing queries search about
    # four times faster), then carry the counts back to the actors' order
    order = np.argsort(u, axis=-1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n)[None, :].repeat(m_rows, 0), axis=1)
    k_sorted = _rowwise_searchsorted(xs, (xs[:, :, None] + xs[:, None, :]) * 0.5, "left", inside=True)
    flat_pair = rank[:, :, None] * n + rank[:, None, :] + (np.arange(m_rows) * n * n)[:, None, None]
    k = np.take(k_sorted.ravel(), flat_pair)  # #{u_k < m}, [M, N, N]
    pos = (2.0 * mid) * at(flat_w, k)
    pos -= 2.0 * at(flat_s, k)
    right = diff * cw[:, n:n + 1, None]
    right += own_right[:, :, None]
    pos += np.where(diff < 0, own_left[:, :, None], right)
    np.maximum(pos, 0.0, out=pos)
    pos *= diff != 0
    return pos


def win_probability(u: np.ndarray, w: np.ndarray, *, probability: str = "dyad",
                    numerator: str = "positive") -> np.ndarray:
    """P[M, i, j]: the probability that i beats j (step 5), in O(N² log N) per row.

    'dyad': P_ij = pos_ij / (pos_ij + pos_ji), where pos_ij + pos_ji = Σ_k |v_k^{ij}| (the support
    for j against i is the opposition to i); 0.5 when nobody prefers either. 'all-pairs': the
    denominator is Σ_{a,b} Σ_k |v_k^{ab}| over every ordered pair of actors, the normalisation that
    reproduces Table 2. Positions u may be on any affine scale (the ratio does not depend on it)."""
    pos = _pairwise_support(u, w, numerator)
    den = pos + np.swapaxes(pos, 1, 2)
    if probability == "all-pairs":
        den = np.broadcast_to(den.sum(axis=(1, 2), keepdims=True), den.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, pos / np.where(den > 0, den, 1.0), 0.5)


def win_probability_direct(u: np.ndarray, w: np.ndarray, *, probability: str = "dyad",
                           numerator: str = "positive") -> np.ndarray:
    """The O(N³) definition of :func:`win_probability`, voter by voter (for tests)."""
    d = np.abs(u[:, :, None] - u[:, None, :])  # [m, k, a] = |u_k − u_a|
    g = d[:, :, None, :] - d[:, :, :, None]  # [m, k, i, j] = |u_k − u_j| − |u_k − u_i|
    if numerator == "supporters":
        num = np.einsum("mk,mkij->mij", w, (g > EPS).astype(float))
        den = np.einsum("mk,mkij->mij", w, (np.abs(g) > EPS).astype(float))
    else:
        num = np.einsum("mk,mkij->mij", w, np.maximum(g, 0.0))
        den = np.einsum("mk,mkij->mij", w, np.abs(g))
    if probability == "all-pairs":
        den = np.broadcast_to(den.sum(axis=(1, 2), keepdims=True), den.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.5)


# ---------------------------------------------------------------------------------------------
# steps 3, 4, 6: utilities, the status quo trend, expected utility


def utilities(x: np.ndarray, mu: np.ndarray, r: np.ndarray | float, position_range: np.ndarray,
              *, with_reference: bool = True, distance: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """U_s, U_f, U_sq, U_b, U_w [M, i, j] of i challenging j (step 3), with exponent r
    (broadcast to [M, i, j]: the evaluator's). d = |x_i − x_j|/R; e = (|x_i − μ| + |x_i − x_j|)/(4R):

        U_s = 2 − 4(0.5 − 0.5d)^r, U_f = 2 − 4(0.5 + 0.5d)^r, U_sq = 2 − 4·0.5^r,
        U_b = 2 − 4(0.5 − e)^r,    U_w = 2 − 4(0.5 + e)^r.

    Bases below zero (distances beyond the range, possible with perceived positions) count as 0.
    U_sq keeps the shape of r; `with_reference=False` skips U_b and U_w (not needed when Q = 1);
    `distance` may pass |x_i − x_j| [M, i, j] when it is already at hand."""
    # The operations are ordered as in the equations on purpose: with r < 1 a rounding error ε in
    # a base near 0 becomes ε^r, so every implementation must round the same way to agree.
    rng = position_range[:, None, None]
    dist = np.abs(x[:, :, None] - x[:, None, :]) if distance is None else distance
    d = dist / rng
    d *= 0.5
    r = np.asarray(r, dtype=float)
    one = r.ndim == 0 and float(r) == 1.0
    power = (lambda b: b) if one else (lambda b: b ** r)  # noqa: E731
    lose = 0.5 - d
    np.maximum(lose, 0.0, out=lose)
    out = {"success": 2.0 - 4.0 * power(lose), "failure": 2.0 - 4.0 * power(0.5 + d),
           "status_quo": 2.0 - 4.0 * 0.5 ** r}
    if with_reference:
        e = (np.abs(x - mu[:, None])[:, :, None] + dist) * 0.25 / rng
        out["better"] = 2.0 - 4.0 * power(np.maximum(0.5 - e, 0.0))
        out["worse"] = 2.0 - 4.0 * power(0.5 + e)
    return out


def status_quo_trend(x: np.ndarray, mu: np.ndarray, position_range: np.ndarray) -> np.ndarray:
    """T[M, i, j]: 1 when μ lies nearer i than j (without a challenge the pressure on j moves
    things i's way), 0 when nearer j, 0.5 when equidistant (within EPS·R)."""
    di = np.abs(x - mu[:, None])
    gap = (di[:, None, :] - di[:, :, None]) / position_range[:, None, None]
    return np.where(gap > EPS, 1.0, np.where(gap < -EPS, 0.0, 0.5))


def expected_utility(p: np.ndarray, u: dict[str, np.ndarray], resist: np.ndarray, t: np.ndarray | float,
                     q: float) -> np.ndarray:
    """E(U_ij)[M, i, j] = s[P U_s + (1 − P) U_f] + (1 − s) U_s − Q U_sq − (1 − Q)[T U_b + (1 − T) U_w]
    (step 6), s = the salience that decides whether j resists (broadcast to [M, i, j]).
    Computed as U_s − s(1 − P)(U_s − U_f) − ..., the same sum with fewer operations."""
    eu = u["success"] - u["failure"]
    eu *= resist * (1.0 - p)
    np.subtract(u["success"], eu, out=eu)
    eu -= q * u["status_quo"]
    if q != 1.0:
        eu -= (1.0 - q) * (u["worse"] + t * (u["better"] - u["worse"]))
    n = eu.shape[-1]
    eu[:, np.arange(n), np.arange(n)] = 0.0
    return eu


# ---------------------------------------------------------------------------------------------
# step 7: security levels and risk exponents


def security_levels(a: np.ndarray) -> np.ndarray:
    """Sec[M, i] = Σ_{j≠i} E^j(U_ji): what i's adversaries expect from challenging i (step 7);
    a[M, j, i] is j's expected utility of challenging i (the diagonal is 0)."""
    return a.sum(axis=1)


def risk_exponents(sec: np.ndarray) -> np.ndarray:
    """r[M, i] = (1 − R_i/3)/(1 + R_i/3) with R_i = (2 Sec_i − max Sec − min Sec)/(max Sec − min Sec)
    (step 7): r in [0.5, 2]; everyone risk neutral (r = 1) when all security levels agree
    (within EPS: the normalisation would otherwise blow rounding noise up to ±1)."""
    hi = sec.max(axis=1, keepdims=True)
    lo = sec.min(axis=1, keepdims=True)
    span = hi - lo
    spread = span > EPS  # security levels that agree within EPS leave everyone risk neutral
    big_r = np.where(spread, (2 * sec - hi - lo) / np.where(spread, span, 1.0), 0.0)
    return (1 - big_r / 3) / (1 + big_r / 3)


# ---------------------------------------------------------------------------------------------
# steps 8, 9: classify the dyads, select and apply the offers


def classify_dyads(a: np.ndarray, b: np.ndarray, x: np.ndarray,
                   capitulation: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Offer codes and target positions [M, i, j] for sender i and receiver j, from
    a = i's expected utility of challenging j and b = j's of challenging i (step 8; the
    compromise share is eqs. 35-36):

    - a > 0, b > 0, a > b: conflict; i prevails and j moves to x_i;
    - a > 0 ≥ b, |a| > |b|: compromise; j moves to x_j + (x_i − x_j)|b/a|;
    - a > 0 ≥ b, |a| ≤ |b|: capitulation (compel); j moves to x_i;

    Signs and comparisons use the tolerance EPS: values closer than that are equal.
    - otherwise no offer from i to j (both negative: stalemate).
    """
    a_pos, b_pos = a > EPS, b > EPS
    conflict = a_pos & b_pos & (a - b > EPS)
    one_side = a_pos & ~b_pos
    bigger = np.abs(a) - np.abs(b) > EPS
    compromise = one_side & bigger
    full = conflict | (one_side & ~bigger) if capitulation else conflict
    code = conflict.astype(np.int8)
    code += 2 * compromise
    if capitulation:
        code += 3 * (one_side & ~bigger)
    n = a.shape[-1]
    code[:, np.arange(n), np.arange(n)] = STALEMATE
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(compromise, np.abs(b) / np.abs(a), 0.0)
    xi, xj = x[:, :, None], x[:, None, :]
    target = (xi - xj) * share
    target += xj
    return code, np.where(full, xi, target)  # a full move lands exactly on x_i


def select_offers(code: np.ndarray, target: np.ndarray, a: np.ndarray, b: np.ndarray, x: np.ndarray,
                  position_range: np.ndarray, priority: str = "distance") -> np.ndarray:
    """The sender whose offer each receiver accepts, [M, j] (−1: none), Scholz et al. §6.2.

    'distance': the offer that moves the receiver least, then conflict before compromise before
    capitulation; 'class': the class first, then the least move; 'scholz-code': the class first,
    compromises ranked by the lowest stake-weighted point (|a| x_i + |b| x_j)/(|a| + |b|) on the
    scale (the rule of Scholz et al.'s program, which reproduces their Table 2 but is not mirror
    symmetric), other classes by the least move. Remaining ties go to the sender
    with the highest expected utility, then to the first actor. Moves (as a share of R) and
    utilities are compared to KEY_DECIMALS decimals."""
    valid = code > 0
    rng = position_range[:, None, None]
    scale = 10.0 ** KEY_DECIMALS  # rint(v·10^10) orders exactly as np.round(v, 10)
    move = np.rint(np.abs(target - x[:, None, :]) / rng * scale)  # 0 .. 10^10
    cls = code.astype(float)
    if priority == "distance":
        key = move * 4.0 + cls
    else:
        if priority == "scholz-code":  # compromises ranked by their stake-weighted point, lowest first
            aa, bb = np.abs(a), np.abs(b)
            with np.errstate(invalid="ignore", divide="ignore"):
                point = (aa * x[:, :, None] + bb * x[:, None, :]) / (aa + bb)
            lo = x.min(axis=1)[:, None, None]
            move = np.where(code == COMPROMISE, np.rint((point - lo) / rng * scale), move)
        key = cls * 1e11 + move  # integers below 2^53: exact
    best = np.where(valid, key, np.inf).min(axis=1, keepdims=True)
    cand = valid & (key == best)
    util = np.rint(a * scale)
    best = np.where(cand, util, -np.inf).max(axis=1, keepdims=True)
    cand &= util == best
    return np.where(cand.any(axis=1), np.argmax(cand, axis=1), -1)


def apply_offers(x: np.ndarray, chosen: np.ndarray, target: np.ndarray) -> np.ndarray:
    """New positions [M, j]: the accepted offer's target, or the old position without one."""
    idx = np.maximum(chosen, 0)[:, None, :]
    moved = np.take_along_axis(target, idx, axis=1)[:, 0, :]
    return np.where(chosen >= 0, moved, x)


# ---------------------------------------------------------------------------------------------
# one round from the steps (any preset, perceptions included)


def _evaluate(views: np.ndarray, dist: np.ndarray, s: np.ndarray, rng: np.ndarray, p: np.ndarray,
              r: np.ndarray | float, mu: np.ndarray, opts: dict[str, Any], q: float,
              t: float | None) -> np.ndarray:
    """E(U_ij) [M', i, j] in each view, with exponent r[M', i, j] (the evaluator's)."""
    u = utilities(views, mu, r, rng, with_reference=q != 1.0, distance=dist)
    trend = status_quo_trend(views, mu, rng) if t is None and q != 1.0 else t
    resist = s[:, None, :] if opts["resist_salience"] == "target" else s[:, :, None]
    return expected_utility(p, u, resist, trend, q)


def steps_round(x, w, s, rng, offset, q, t, opts):
    """Steps 1-8 of one round: (a, b, r) with a[M, i, j] the sender i's expected utility of
    challenging j and b[M, i, j] = E^j(U_ji), each as the perspective rule says."""
    m, n = x.shape
    lo = x.min(axis=1)
    ref = condorcet_median if opts["reference"] == "median" else weighted_mean
    if offset is None:
        views, wv, sv, rv = x, w, s, rng
    else:  # one world per evaluator e: row e of the views is what e believes
        views = (x[:, None, :] + offset).reshape(m * n, n)
        rep = lambda a: np.repeat(a, n, axis=0)  # noqa: E731
        wv, sv, rv, lo = rep(w), rep(s), np.repeat(rng, n), np.repeat(lo, n)
    u = (views - lo[:, None]) / rv[:, None]  # affine: P does not depend on the scale
    p = win_probability(u, wv, probability=opts["probability"], numerator=opts["numerator"])
    mu1 = condorcet_median(views, wv)
    dist = np.abs(views[:, :, None] - views[:, None, :])  # shared by every pass
    eu1 = _evaluate(views, dist, sv, rv, p, 1.0, mu1, opts, q, t)
    a1 = _pick(eu1, eu1, m, n, offset is not None, opts["perspective"])[0]
    if opts["risk"] == "security":
        r = risk_exponents(security_levels(a1))
        mu2 = ref(views, wv)
        if offset is None:
            own = _evaluate(views, dist, sv, rv, p, r[:, :, None], mu2, opts, q, t)
            recv = own if opts["perspective"] == "own" else \
                _evaluate(views, dist, sv, rv, p, r[:, None, :], mu2, opts, q, t)
        else:
            own = recv = _evaluate(views, dist, sv, rv, p, r.reshape(m * n, 1, 1), mu2, opts, q, t)
    else:
        r = np.ones((m, n))
        own = recv = eu1
    a, b = _pick(own, recv, m, n, offset is not None, opts["perspective"])
    return a, b, r


def _pick(own, recv, m, n, worlds, perspective):
    """(a, b) [M, i, j] from the evaluated matrices. Without perceptions `own` holds E(U_ij) with
    r_i and `recv` with r_j; with them, world e (rows e of the [M·N] batch) is e's view and exponent."""
    if not worlds:
        a = own if perspective == "own" else recv
        return a, np.swapaxes(own, 1, 2)
    eu = own.reshape(m, n, n, n)  # [m, e, i, j]
    ar = np.arange(n)
    mine = eu[:, ar, ar, :]  # [m, i, j] = E^i(U_ij) in i's view
    b = np.swapaxes(mine, 1, 2)  # b[i, j] = E^j(U_ji) in j's view
    a = mine if perspective == "own" else np.moveaxis(eu[:, ar, :, ar], 0, 2)  # [m, i, j] = world j
    return a, b
