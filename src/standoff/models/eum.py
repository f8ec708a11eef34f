"""Bueno de Mesquita's expected utility ("challenge") model, after Scholz, Calbert & Smith (2011).

Each round, in the order of Scholz, Calbert & Smith (2011):

1. every risk exponent r_i = 1;
2. :func:`votes` v^{jk} = Σ_i c_i s_i (|x_i − x_k| − |x_i − x_j|)/R; the position that
   wins every pairwise vote is the weighted median μ (:func:`condorcet_median`);
3. :func:`utilities` U_s, U_f, U_sq, U_b, U_w of a challenge;
4. :func:`status_quo_trend` T per dyad from where μ lies relative to i and j;
5. :func:`win_probability` P_ij = Σ_k max(v_k^{ij}, 0) / Σ_k |v_k^{ij}|;
6. :func:`expected_utility` E^i(U_ij) = s_j[P U_s + (1 − P) U_f] + (1 − s_j) U_s − Q U_sq
   − (1 − Q)[T U_b + (1 − T) U_w] (eq. 25b: the s_j);
7. :func:`security_levels` Sec_i = Σ_{j≠i} E^j(U_ji) and :func:`risk_exponents`
   r_i = (1 − R_i/3)/(1 + R_i/3); steps 3-6 again with these exponents;
8. :func:`classify_dyads`: conflict, compromise, capitulation or stalemate from the signs and sizes of
   (E^i(U_ij), E^j(U_ji)) (compromise: eqs. 35-36);
9. :func:`select_offers` / :func:`apply_offers`: each actor accepts one offer (§6.2), positions move.

Every function is pure and works on arrays with a leading batch axis M (scenarios × issues, or
scenarios × issues × evaluators when actors see the world through their own perceptions).
Steps 2 and 5 use the sorted prefix-sum form (O(N² log N) per round, see
docs/models/expected-utility.md); :func:`votes_direct` and :func:`win_probability_direct` are the
O(N³) definitions, kept for testing. :class:`ExpectedUtility` only wires the steps together; every
reading of an ambiguity of the paper is one of its named parameters.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from standoff.errors import ModelError
from standoff.models.base import IssueModel, Prediction, register
from standoff.models.compromise import weighted_mean
from standoff.models.median import weighted_median

EPS = 1e-12
"""Expected utilities (and normalised vote differences) within EPS of zero count as zero."""
KEY_DECIMALS = 10
"""Offers whose moves (as a share of R) and senders' utilities agree to this many decimals tie."""

STALEMATE, CONFLICT, COMPROMISE, CAPITULATION = 0, 1, 2, 3
CLASS_NAMES = ("stalemate", "conflict", "compromise", "capitulation")
"""Offer codes: offer[i, j] is what sender i obtains from receiver j (0: nothing)."""

# Table 2 of Scholz, Calbert & Smith (2011): the EC emissions case, Q = 1, after rounds 1-8.
SCHOLZ_TABLE2_MEDIAN = (8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6)
SCHOLZ_TABLE2_MEAN = (7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6)

PRESETS: dict[str, dict[str, Any]] = {
    # The equations read as printed: probability normalised per dyad, each actor evaluates its own
    # challenges with its own exponent, an actor accepts the offer that moves it least.
    "paper": dict(probability="dyad", numerator="positive", resist_salience="target",
                  reference="median", position_range="initial", perspective="own",
                  risk="security", offer_priority="distance", capitulation=True),
    # The readings that come closest to Table 2 (see docs): the win probability normalised over all
    # position pairs, the receiver of an offer judges both challenges with its own exponent,
    # conflicts take priority over compromises over capitulations, and among compromises the one
    # with the lowest stake-weighted point is taken (the rule of the authors' program).
    "scholz2011": dict(probability="all-pairs", numerator="positive", resist_salience="target",
                       reference="median", position_range="initial", perspective="receiver",
                       risk="security", offer_priority="scholz-code", capitulation=True),
}

CHOICES = {
    "probability": ("dyad", "all-pairs"),
    "numerator": ("positive", "supporters"),
    "resist_salience": ("target", "challenger"),
    "reference": ("median", "mean"),
    "position_range": ("initial", "round"),
    "perspective": ("own", "receiver"),
    "risk": ("security", "neutral"),
    "offer_priority": ("distance", "class", "scholz-code"),
}


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
# the fast round: true positions, positive-part votes (every preset)
#
# Arrays are laid out [i, j, m] (batch last) with the actors of every column m sorted by position:
# element-wise steps are unchanged, every reduction over actors runs over a leading axis with the
# batch contiguous inside (fast for small N, and summed in the same order whatever the batch size),
# and the midpoint searches of step 5 see sorted queries. Only per-actor vectors are permuted.

SMALL_N = 32
"""Up to this many actors the midpoint counts of step 5 are N comparisons per pair (vectorised
over the batch); above it, one binary search per pair."""


class _Work:
    """Scratch arrays [N, N, M] by name, reused from round to round (and chunk to chunk) while the
    shape holds: fresh arrays of this size cost the system a page fault per 4 KiB every time."""

    def __init__(self) -> None:
        self.shape: tuple[int, ...] = ()
        self.arrays: dict[tuple[str, Any], np.ndarray] = {}

    def __call__(self, name: str, shape: tuple[int, ...], dtype: Any = float) -> np.ndarray:
        if shape != self.shape:
            self.shape, self.arrays = shape, {}
        key = (name, dtype)
        if key not in self.arrays:
            self.arrays[key] = np.empty(shape, dtype=dtype)
        return self.arrays[key]


def _midpoint_counts(u: np.ndarray, ws: _Work) -> np.ndarray:
    """k[i, j, m] = #{k: u_k < (u_i + u_j)/2} for u[N, M] sorted along axis 0, as flat indices
    k·M + m into an [N + 1, M] array (the prefix sums).

    For i < j with u_i < u_j every k ≤ i counts and no k ≥ j does, so only the actors between
    the two are compared (N³/6 comparisons, for N ≤ SMALL_N), and k is symmetric; tied pairs
    (u_i = u_j) get min(i, j) + 1, a valid index whose value is never used (their support is 0).
    Above SMALL_N, one binary search per pair."""
    n, m = u.shape
    shape = (n, n, m)
    idx = ws("idx", shape, np.intp)
    if n <= SMALL_N:
        lower = np.minimum.outer(np.arange(n), np.arange(n)) + 1  # the k ≤ min(i, j)
        mid = np.add(u[:, None, :], u[None, :, :], out=ws("mid", shape))
        mid *= 0.5
        cnt = ws("cnt", shape, np.int8)
        cnt.fill(0)
        less = ws("less", shape, bool)
        for k in range(1, n - 1):  # pairs i < k < j
            part = less[:k, :n - k - 1]
            np.less(u[k], mid[:k, k + 1:], out=part)
            cnt[:k, k + 1:] += part
        np.add(cnt, cnt.transpose(1, 0, 2), out=idx)
        idx += lower[:, :, None]
    else:
        for c in range(m):  # the midpoints increase along each row: the search reuses its bound
            uc = u[:, c]
            mid = np.add.outer(uc, uc)
            mid *= 0.5
            idx[:, :, c] = np.searchsorted(uc, mid, side="left")
    idx *= m
    idx += np.arange(m)
    return idx


def _support_sorted(u: np.ndarray, w: np.ndarray, ws: _Work | None = None) -> np.ndarray:
    """pos[i, j, m] = Σ_k w_k max(|u_k − u_j| − |u_k − u_i|, 0) for u[N, M] sorted along axis 0.

    With m = (u_i + u_j)/2, W(m) and S(m) the sums of w and w·u over the voters left of m, W the
    total weight and L_i = Σ_{u_k < u_i} w_k (u_i − u_k) (i's left moment):

        pos_ij = (u_i + u_j) W(m) − 2 S(m) − 2 L_i + W·max(u_i − u_j, 0)

    (the voters left of m support i by u_i + u_j − 2u_k, those left of i by the full u_j − u_i;
    for u_i > u_j the same sum counted from the right). 0 for tied positions."""
    ws = ws or _Work()
    n, m = u.shape
    shape = (n, n, m)
    cw = np.zeros((n + 1, m))
    cs = np.zeros((n + 1, m))
    np.cumsum(w, axis=0, out=cw[1:])
    np.cumsum(w * u, axis=0, out=cs[1:])
    left = u * cw[:n] - cs[:n]  # L_i (ties with i add nothing, so the prefix before i will do)
    left *= 2.0
    idx = _midpoint_counts(u, ws)
    pos = np.take(cw.ravel(), idx, out=ws("pos", shape))
    ui, uj = u[:, None, :], u[None, :, :]
    tmp = np.add(ui, uj, out=ws("tmp", shape))
    pos *= tmp
    s_m = np.take(cs.ravel(), idx, out=tmp)
    s_m *= 2.0
    pos -= s_m
    pos -= left[:, None, :]
    diff = np.subtract(ui, uj, out=ws("diff", shape))
    np.maximum(diff, 0.0, out=s_m)
    s_m *= cw[n]
    pos += s_m
    np.maximum(pos, 0.0, out=pos)
    pos *= np.not_equal(diff, 0.0, out=ws("ne", shape, bool))
    return pos


def _win_probability_sorted(pos: np.ndarray, probability: str, ws: _Work | None = None) -> np.ndarray:
    """P[i, j, m] from the supports (see :func:`win_probability`); 0.5 where nobody prefers either."""
    ws = ws or _Work()
    p = ws("p", pos.shape)
    if probability == "all-pairs":
        total = np.cumsum(pos.sum(axis=0), axis=0)[-1] * 2.0  # summed in a fixed order
        none = total == 0
        np.divide(pos, total + none, out=p)
        if none.any():
            p[:, :, none] = 0.5
        return p
    den = np.add(pos, pos.transpose(1, 0, 2), out=ws("den", pos.shape))
    none = np.equal(den, 0.0, out=ws("ne", pos.shape, bool))
    np.multiply(none, 0.5, out=p)
    p += pos
    den += none
    p /= den
    return p


def _reference_term(near: np.ndarray, dist: np.ndarray, rng: np.ndarray, r: np.ndarray | float,
                    trend: np.ndarray | float, q: float) -> np.ndarray:
    """(1 − Q)[T U_b + (1 − T) U_w] with e = (near + |x_i − x_j|)/(4R) (step 3), `near` the
    challenger's |x_i − μ| broadcast over the dyads."""
    e = (near + dist) * 0.25 / rng
    better = 2.0 - 4.0 * np.maximum(0.5 - e, 0.0) ** r
    worse = 2.0 - 4.0 * (0.5 + e) ** r
    return (1.0 - q) * (worse + trend * (better - worse))


def _round_sorted(x: np.ndarray, w: np.ndarray, s: np.ndarray, rng: np.ndarray, actor: np.ndarray,
                  q: float, t: float | None, opts: dict[str, Any],
                  ws: _Work | None = None) -> dict[str, np.ndarray]:
    """Steps 1-9 of one round on x, w, s [N, M] sorted along axis 0 (actor[N, M]: whose they are)
    and R [M]: the expected utilities a, b [i, j, m] (as :func:`_one_round`), the exponents
    r [N, M], the offer codes, and for every receiver the accepted sender (its place in the sorted
    order, −1: none) and its new position [N, M]. Big arrays live in the scratch `ws`."""
    ws = ws or _Work()
    n, m = x.shape
    shape = (n, n, m)
    ar = np.arange(n)
    u = x - x[0]
    u /= rng
    pos = _support_sorted(u, w, ws)
    p = _win_probability_sorted(pos, opts["probability"], ws)
    xi, xj = x[:, None, :], x[None, :, :]
    dist = np.subtract(xi, xj, out=ws("dist", shape))
    np.abs(dist, out=dist)
    d = np.divide(dist, rng, out=ws("d", shape))  # |x_i − x_j|/R, as the equations round it
    half = np.multiply(d, 0.5, out=ws("gain", shape))
    lose = np.subtract(0.5, half, out=ws("lose", shape))
    np.maximum(lose, 0.0, out=lose)
    gain = np.add(half, 0.5, out=half)
    fail = np.subtract(1.0, p, out=ws("fail", shape))  # 1 − P
    resist = s[None, :, :] if opts["resist_salience"] == "target" else s[:, None, :]
    need_mu = q != 1.0
    trend = None
    if need_mu:
        mu1 = condorcet_median(x.T, w.T)
        if t is None:
            trend = status_quo_trend(x.T, mu1, rng).transpose(1, 2, 0)
    tt = t if t is not None else trend
    # pass 1 (r = 1): U_s = 2 − 4(0.5 − d/2), U_f = 2 − 4(0.5 + d/2), U_sq = 0
    us = np.multiply(lose, -4.0, out=ws("us", shape))
    us += 2.0
    gap = np.subtract(gain, lose, out=ws("gap", shape))  # U_s − U_f = 4(gain − lose)
    gap *= 4.0
    gap *= resist
    gap *= fail
    eu = np.subtract(us, gap, out=ws("a", shape))
    if need_mu:
        eu -= _reference_term(np.abs(x - mu1)[:, None, :], dist, rng, 1.0, tt, q)
    eu[ar, ar] = 0.0
    b = ws("b", shape)
    if opts["risk"] == "security":
        r = risk_exponents(eu.sum(axis=0).T).T  # Sec_i = Σ_j E^j(U_ji)
        mu2 = (condorcet_median if opts["reference"] == "median" else weighted_mean)(x.T, w.T) \
            if need_mu else None
        if need_mu and t is None:
            tt = status_quo_trend(x.T, mu2, rng).transpose(1, 2, 0)
        own = opts["perspective"] == "own"
        re = r[:, None, :] if own else r[None, :, :]  # the evaluator's exponent
        lp = np.power(lose, re, out=us)
        gap = np.power(gain, re, out=gap)
        gap -= lp
        gap *= 4.0  # U_s − U_f
        lp *= -4.0
        us = np.add(lp, 2.0, out=lp)  # U_s = 2 − 4·lose^r
        usq = 2.0 - 4.0 * 0.5 ** re
        sq = usq * q if q != 1.0 else usq
        a = np.multiply(gap, resist, out=eu)
        a *= fail
        np.subtract(us, a, out=a)
        a -= sq
        if need_mu:
            a -= _reference_term(np.abs(x - mu2)[:, None, :], dist, rng, re, tt, q)
        a[ar, ar] = 0.0
        if own:
            np.copyto(b, a.transpose(1, 0, 2))
        else:  # b[i, j] = E^j(U_ji) with r_j: the same powers, the roles swapped
            np.multiply(gap, resist.transpose(1, 0, 2), out=b)
            b *= fail.transpose(1, 0, 2)
            np.subtract(us, b, out=b)
            b -= sq
            if need_mu:
                b -= _reference_term(np.abs(x - mu2)[None, :, :], dist, rng, re,
                                     1.0 - tt if t is None else tt, q)
            b[ar, ar] = 0.0
    else:
        r = np.ones((n, m))
        a = eu
        np.copyto(b, a.transpose(1, 0, 2))
    return {"a": a, "b": b, "r": r, **_offers_sorted(a, b, x, u, d, rng, actor, opts, ws)}


def _offers_sorted(a: np.ndarray, b: np.ndarray, x: np.ndarray, u: np.ndarray, d: np.ndarray,
                   rng: np.ndarray, actor: np.ndarray, opts: dict[str, Any],
                   ws: _Work | None = None) -> dict[str, np.ndarray]:
    """Steps 8-9 (as :func:`classify_dyads` and :func:`select_offers`) on the sorted layout;
    actor[N, M] holds the actors' own indices (the last tie-break: the first actor)."""
    ws = ws or _Work()
    n, m = x.shape
    shape = (n, n, m)
    ar = np.arange(n)
    a_pos = np.greater(a, EPS, out=ws("a_pos", shape, bool))
    b_pos = np.greater(b, EPS, out=ws("b_pos", shape, bool))
    aa = np.abs(a, out=ws("aa", shape))
    bb = np.abs(b, out=ws("bb", shape))
    tmp = np.subtract(a, b, out=ws("tmp", shape))
    conflict = np.greater(tmp, EPS, out=ws("conflict", shape, bool))  # with b > EPS: a > EPS too
    conflict &= b_pos
    one_side = np.greater(a_pos, b_pos, out=a_pos)  # a > EPS ≥ b
    np.subtract(aa, bb, out=tmp)
    compromise = np.greater(tmp, EPS, out=b_pos)
    compromise &= one_side
    code = ws("code", shape, np.int8)
    np.copyto(code, conflict.view(np.int8))
    if opts["capitulation"]:
        code += one_side.view(np.int8) * np.int8(3)
        code -= compromise.view(np.int8)
    else:
        code += compromise.view(np.int8) * np.int8(2)
    code[ar, ar] = STALEMATE
    scale = 10.0 ** KEY_DECIMALS
    xi, xj = x[:, None, :], x[None, :, :]
    move = np.multiply(d, scale, out=ws("move", shape))  # a full move takes j to x_i: |x_i − x_j|/R
    np.rint(move, out=move)
    priority = opts["offer_priority"]
    point = ws("point", shape)
    if priority == "scholz-code":  # a compromise ranks by its stake-weighted point, lowest first
        us = u * scale  # (point − min x)/R = (|a| u_i + |b| u_j)/(|a| + |b|)
        np.multiply(aa, us[:, None, :], out=point)
        point += np.multiply(bb, us[None, :, :], out=tmp)
        den = np.add(aa, bb, out=tmp)
        den += 1e-300  # 0/0 where there is no offer; no change where there is one (|a| > EPS)
        point /= den
        np.rint(point, out=point)
    else:  # a compromise moves the receiver by |x_j + (x_i − x_j)|b/a| − x_j|
        np.subtract(xi, xj, out=point)
        point *= np.divide(bb, np.maximum(aa, EPS, out=tmp), out=tmp)
        point += xj
        point -= xj
        np.abs(point, out=point)
        point /= rng
        point *= scale
        np.rint(point, out=point)
    point -= move
    point *= compromise
    move += point
    none = np.equal(code, STALEMATE, out=ws("none", shape, bool))
    if priority == "distance":  # move·4 + class; no offer: above every offer (moves ≤ 10^10)
        key = np.multiply(move, 4.0, out=move)
        key += code
    else:  # class·10^11 + move: integers below 2^53, exact
        key = np.multiply(code, 1e11, out=point)
        key += move
    key += np.multiply(none, 1e12, out=tmp)
    best = key.min(axis=0)
    has = best < 1e12
    # among the best offers the sender with the highest utility, then the first actor: one key
    # rint(a·10^10)·N + (N − 1 − actor) (|a| < 6: integers below 2^53 for N below 10^5)
    util = np.multiply(a, scale, out=aa)
    np.rint(util, out=util)
    util *= n
    util += (n - 1 - actor)[:, None, :]
    worse = np.greater(key, best, out=none)
    util -= np.multiply(worse, 1e17, out=tmp)  # the others fall below every candidate
    top = util.max(axis=0).astype(np.int64)
    first = (n - 1) - top % n
    np.clip(first, 0, n - 1, out=first)
    rank = np.empty_like(actor)  # actor index -> place in the sorted order
    cols = np.arange(m)
    rank[actor, cols] = ar[:, None]
    sender = np.take(rank.ravel(), first * m + cols)
    sender[~has] = -1
    # the receivers' new positions: the accepted offer's target
    i = np.maximum(sender, 0)
    flat = (i * n + ar[:, None]) * m + cols  # [i, j, m] of the accepted offer
    kind = np.take(code.ravel(), flat)
    x_i = np.take(x.ravel(), i * m + cols)
    share = np.abs(np.take(b.ravel(), flat)) / np.maximum(np.abs(np.take(a.ravel(), flat)), EPS)
    target = np.where(kind == COMPROMISE, (x_i - x) * share + x, x_i)  # |a| > EPS in a compromise
    new = np.where(has, target, x)
    return {"code": code, "sender": sender, "new": new, "rank": rank}


# ---------------------------------------------------------------------------------------------
# the model


def _evaluate(views: np.ndarray, dist: np.ndarray, s: np.ndarray, rng: np.ndarray, p: np.ndarray,
              r: np.ndarray | float, mu: np.ndarray, opts: dict[str, Any], q: float,
              t: float | None) -> np.ndarray:
    """E(U_ij) [M', i, j] in each view, with exponent r[M', i, j] (the evaluator's)."""
    u = utilities(views, mu, r, rng, with_reference=q != 1.0, distance=dist)
    trend = status_quo_trend(views, mu, rng) if t is None and q != 1.0 else t
    resist = s[:, None, :] if opts["resist_salience"] == "target" else s[:, :, None]
    return expected_utility(p, u, resist, trend, q)


def run_rounds(x: np.ndarray, c: np.ndarray, s: np.ndarray, *, perceived: np.ndarray | None = None,
               rounds: int = 10, tol: float = 0.0, q: float = 1.0, t: float | None = None,
               keep_dyads: bool = True, engine: str = "auto", out: dict[str, np.ndarray] | None = None,
               work: _Work | None = None, **opts: Any) -> dict[str, np.ndarray]:
    """Run the model on positions x[M, N], capability c[M, N], salience s[M, N] (0..1), and
    optionally perceived[M, N, N] (what i believes j's position is). Returns per-round arrays,
    written into `out` when given (arrays of the returned shapes, e.g. slices of a larger batch);
    `work` may pass scratch arrays kept from an earlier call.

    engine 'auto': the sorted round (:func:`_round_sorted`) where it applies (true positions,
    positive-part votes), else the step functions one by one; 'steps': always the step functions
    (the slower composition of the documented steps, kept for comparison)."""
    m, n = x.shape
    x = np.array(x, dtype=float)
    w = c * s
    offset = None
    if perceived is not None:
        offset = np.array(perceived, dtype=float) - x[:, None, :]
        offset[:, np.arange(n), np.arange(n)] = 0.0
    lo0 = x.min(axis=1)
    rng0 = x.max(axis=1) - lo0
    if engine not in ("auto", "steps"):
        raise ValueError(f"engine must be 'auto' or 'steps', not {engine!r}")
    if out is None:
        out = {"positions": np.empty((m, rounds + 1, n)), "risk": np.empty((m, rounds, n)),
               "accepted": np.empty((m, rounds, n), dtype=np.int64),
               "rounds": np.empty(m, dtype=np.int64), "converged": np.empty(m, dtype=bool)}
        if keep_dyads:
            out.update(eu_sender=np.empty((m, rounds, n, n)), eu_receiver=np.empty((m, rounds, n, n)),
                       offer=np.empty((m, rounds, n, n), dtype=np.int8))
    path, risk, chosen_all = out["positions"], out["risk"], out["accepted"]
    path[:, 0] = x
    risk.fill(np.nan)
    chosen_all.fill(-1)
    if keep_dyads:
        a_all, b_all, code_all = out["eu_sender"], out["eu_receiver"], out["offer"]
        a_all.fill(np.nan)
        b_all.fill(np.nan)
        code_all.fill(-1)
    fast = engine == "auto" and offset is None and opts["numerator"] == "positive"
    ws = _Work() if work is None else work
    active = rng0 > 0
    converged = out["converged"]
    converged[:] = ~active
    done = out["rounds"]
    done.fill(0)
    for rnd in range(rounds):
        rng_now = rng0 if opts["position_range"] == "initial" else x.max(axis=1) - x.min(axis=1)
        stuck = active & ~(rng_now > 0)
        converged |= stuck
        active &= ~stuck
        idx = np.flatnonzero(active)
        path[:, rnd + 1] = x
        if idx.size == 0:
            continue
        xa, wa, sa, rng = x[idx], w[idx], s[idx], rng_now[idx]
        if fast:
            new, chosen, r, dyad = _round_unsorted(xa, wa, sa, rng, q, t, opts, keep_dyads, ws)
            if keep_dyads:
                a, b, code = dyad
        else:
            a, b, r = _one_round(xa, wa, sa, rng, None if offset is None else offset[idx], q, t, opts)
            code, target = classify_dyads(a, b, xa, opts["capitulation"])
            chosen = select_offers(code, target, a, b, xa, rng, opts["offer_priority"])
            new = apply_offers(xa, chosen, target)
        change = np.abs(new - xa).max(axis=1) / rng
        x[idx] = new
        path[idx, rnd + 1] = new
        risk[idx, rnd] = r
        chosen_all[idx, rnd] = chosen
        if keep_dyads:
            a_all[idx, rnd], b_all[idx, rnd], code_all[idx, rnd] = a, b, code
        done[idx] += 1
        stop = change <= tol
        converged[idx[stop]] = True
        active[idx[stop]] = False
    return out


def _round_unsorted(x, w, s, rng, q, t, opts, keep_dyads, ws=None):
    """One round of :func:`_round_sorted` on x, w, s [M, N] in the actors' order: returns the new
    positions and accepted senders [M, N], the exponents [M, N] and, if asked, (a, b, code)
    [M, N, N]."""
    m, n = x.shape
    order = np.argsort(x.T, axis=0, kind="stable")  # [N, M]
    sort = lambda v: np.take_along_axis(v.T, order, axis=0)  # noqa: E731
    out = _round_sorted(sort(x), sort(w), sort(s), rng, order, q, t, opts, ws)
    back = lambda v: np.take_along_axis(v, out["rank"], axis=0).T  # noqa: E731
    sender = out["sender"]
    chosen = np.where(sender >= 0, np.take_along_axis(order, np.maximum(sender, 0), axis=0), -1)
    dyad = None
    if keep_dyads:
        rank = out["rank"].T  # [M, N]
        flat = rank[:, :, None] * n + rank[:, None, :]
        flat *= m
        flat += np.arange(m)[:, None, None]  # [m, i, j] -> [rank i, rank j, m]
        pick = lambda v: np.take(v.ravel(), flat)  # noqa: E731
        dyad = (pick(out["a"]), pick(out["b"]), pick(out["code"]))
    return back(out["new"]), back(chosen), back(out["r"]), dyad


def _one_round(x, w, s, rng, offset, q, t, opts):
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


@register
class ExpectedUtility(IssueModel):
    """Bueno de Mesquita's expected utility model as unravelled by Scholz, Calbert & Smith (2011).

    Parameters (see docs/models/expected-utility.md for each choice and its reason):

    - rounds: the most rounds to run; tol: stop once no actor moves more than tol × R in a round
      (negative: always run every round);
    - q: the probability Q that the status quo holds without a challenge; t: the probability T that
      it changes in i's favour (None: per dyad from where the median lies);
    - preset: 'paper' (the equations as printed, the default) or 'scholz2011' (closest to their
      Table 2); any named choice given explicitly overrides the preset;
    - probability: 'dyad' | 'all-pairs' normalisation of the win probability;
    - numerator: 'positive' (positive parts of the votes) | 'supporters' (c·s of the supporters);
    - resist_salience: 'target' (s_j in eq. 25b) | 'challenger' (s_i);
    - reference: 'median' | 'mean': the reference point μ of the second pass (after risk);
    - position_range: 'initial' (R fixed at the start) | 'round' (recomputed each round);
    - perspective: 'own' (each actor judges its own challenge with its own r) | 'receiver' (the
      receiver of an offer judges both challenges with its r);
    - risk: 'security' (step 7) | 'neutral' (r = 1 throughout);
    - offer_priority: 'distance' (least move first) | 'class' (conflict, compromise, capitulation)
      | 'scholz-code' (by class; compromises by their lowest stake-weighted point);
    - capitulation: whether one-sided dyads where the loser's loss is the larger compel a full move;
    - keep_dyads: keep every round's dyad arrays in the detail (turn off for large batches);
    - chunk_elements: rows are processed in chunks of about this many N×N entries (memory bound);
    - engine: 'auto' (the sorted round where it applies: true positions and positive-part votes)
      or 'steps' (the documented step functions one by one; slower, kept for comparison).
    """

    name = "eum"
    title = "Expected utility (Bueno de Mesquita, after Scholz et al. 2011)"

    def __init__(self, rounds: int = 10, tol: float = 0.0, q: float = 1.0, t: float | None = None,
                 preset: str = "paper", probability: str | None = None, numerator: str | None = None,
                 resist_salience: str | None = None, reference: str | None = None,
                 position_range: str | None = None, perspective: str | None = None,
                 risk: str | None = None, offer_priority: str | None = None,
                 capitulation: bool | None = None, keep_dyads: bool = True,
                 chunk_elements: int = 100_000, engine: str = "auto") -> None:
        self.rounds = rounds
        self.tol = tol
        self.q = q
        self.t = t
        self.preset = preset
        self.probability = probability
        self.numerator = numerator
        self.resist_salience = resist_salience
        self.reference = reference
        self.position_range = position_range
        self.perspective = perspective
        self.risk = risk
        self.offer_priority = offer_priority
        self.capitulation = capitulation
        self.keep_dyads = keep_dyads
        self.chunk_elements = chunk_elements
        self.engine = engine

    def options(self) -> dict[str, Any]:
        """The named choices in force: the preset's, overridden by those given explicitly."""
        try:
            return self._options()
        except (TypeError, ValueError) as exc:
            raise ModelError(f"bad parameter for model 'eum': {exc}", where="--param",
                             fix="see `standoff docs models/expected-utility` for the choices") from None

    def _options(self) -> dict[str, Any]:
        if self.preset not in PRESETS:
            raise ValueError(f"unknown preset {self.preset!r} (use {', '.join(PRESETS)})")
        opts = dict(PRESETS[self.preset])
        for key in list(CHOICES) + ["capitulation"]:
            value = getattr(self, key)
            if value is not None:
                if key in CHOICES and value not in CHOICES[key]:
                    raise ValueError(f"{key} must be one of {', '.join(CHOICES[key])}, not {value!r}")
                opts[key] = value
        if not isinstance(self.rounds, int) or self.rounds < 0:
            raise ValueError(f"rounds must be a whole number >= 0, not {self.rounds!r}")
        float(self.tol)  # a number (negative: run every round)
        if self.engine not in ("auto", "steps"):
            raise ValueError(f"engine must be 'auto' or 'steps', not {self.engine!r}")
        if not isinstance(self.chunk_elements, int) or self.chunk_elements < 1:
            raise ValueError(f"chunk_elements must be a whole number >= 1, not {self.chunk_elements!r}")
        if not 0.0 <= float(self.q) <= 1.0:
            raise ValueError(f"q must lie in 0..1, not {self.q!r}")
        if self.t is not None and not 0.0 <= float(self.t) <= 1.0:
            raise ValueError(f"t must lie in 0..1 or be None, not {self.t!r}")
        return opts

    def predict_issue(self, positions: np.ndarray, capability: np.ndarray, salience: np.ndarray,
                      perceived: np.ndarray | None = None) -> Prediction:
        opts = self.options()
        m, n = positions.shape
        rounds, keep = self.rounds, self.keep_dyads
        per_row = n * n * (n if perceived is not None else 1)  # the outputs are allocated once
        step = max(1, int(self.chunk_elements) // max(per_row, 1))
        out = {"positions": np.empty((m, rounds + 1, n)), "risk": np.empty((m, rounds, n)),
               "accepted": np.empty((m, rounds, n), dtype=np.int64),
               "rounds": np.empty(m, dtype=np.int64), "converged": np.empty(m, dtype=bool)}
        if keep:
            out.update(eu_sender=np.empty((m, rounds, n, n)), eu_receiver=np.empty((m, rounds, n, n)),
                       offer=np.empty((m, rounds, n, n), dtype=np.int8))
        work = _Work()  # scratch arrays shared by the chunks
        for lo in range(0, m, step):
            sl = slice(lo, lo + step)
            run_rounds(
                positions[sl], capability[sl], salience[sl],
                perceived=None if perceived is None else perceived[sl], rounds=rounds,
                tol=float(self.tol), q=float(self.q), t=None if self.t is None else float(self.t),
                keep_dyads=keep, engine=self.engine, out={k: v[sl] for k, v in out.items()},
                work=work, **opts)
        path = out["positions"]  # [M, T+1, N]
        w = capability * salience
        flat = path.reshape(-1, n)
        rep = np.repeat(w, self.rounds + 1, axis=0)
        median = condorcet_median(flat, rep).reshape(m, self.rounds + 1)
        mean = weighted_mean(flat, rep).reshape(m, self.rounds + 1)
        detail = {"mean": mean, "risk": out["risk"], "accepted": out["accepted"],
                  "class_names": list(CLASS_NAMES)}
        for key in ("eu_sender", "eu_receiver", "offer"):
            if key in out:
                detail[key] = out[key]
        return Prediction(values=median[:, -1], trajectory=median, positions_path=path,
                          converged=out["converged"], rounds=out["rounds"], detail=detail)


def dyads(scenario, actor: str, *, issue: str | None = None, round: int = 1,
          model: ExpectedUtility | None = None):
    """One actor's dyads in one round as a DataFrame (the data behind Bueno de Mesquita's quadrant
    charts): for every other actor its position, E^i(U_ij) (the actor's expected utility of
    challenging it) and E^j(U_ji) (the other's of challenging the actor), each computed by the
    actor named in the superscript with its own risk exponent, the interaction, and whether the
    resulting offer was accepted. `round` counts from 1; positions are those at the round's start."""
    import pandas as pd

    from standoff.models.base import Batch

    model = model or ExpectedUtility()
    ids = scenario.actor_ids
    a = ids.index(scenario.actor(actor).id)
    k = scenario.issue_ids.index(scenario.issue(issue).id) if issue else 0
    if not model.keep_dyads:
        model = ExpectedUtility(**{**model.get_params(), "keep_dyads": True})
    pred = model.predict(Batch.from_scenario(scenario))
    ran = int(pred.rounds[0, k])
    if not 1 <= round <= max(ran, 0):
        raise ModelError(f"round {round} was not run on issue {scenario.issue_ids[k]!r} "
                         f"({ran} round{'s' if ran != 1 else ''} ran)", where="--round",
                         fix=f"give a round from 1 to {ran}" if ran else "the actors never moved")
    t = round - 1
    d = pred.detail
    b = d["eu_receiver"][0, k, t]  # b[i, j] = E^j(U_ji)
    offer = d["offer"][0, k, t]
    accepted = d["accepted"][0, k, t]
    x = pred.positions_path[0, t, :, k]
    rows = []
    for o in range(len(ids)):
        if o == a:
            continue
        if offer[a, o] > 0:
            what, taken = f"{CLASS_NAMES[offer[a, o]]} ({ids[o]} yields)", bool(accepted[o] == a)
        elif offer[o, a] > 0:
            what, taken = f"{CLASS_NAMES[offer[o, a]]} ({ids[a]} yields)", bool(accepted[a] == o)
        else:
            what, taken = ("same position" if x[o] == x[a] else "stalemate"), False
        rows.append({"other": ids[o], "position": float(x[o]), "E^i(U_ij)": float(b[o, a]),
                     "E^j(U_ji)": float(b[a, o]), "interaction": what, "accepted": taken})
    frame = pd.DataFrame(rows)
    frame.attrs["position"] = float(x[a])
    return frame
