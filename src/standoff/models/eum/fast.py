"""The fast round of the expected utility model: the steps of one round on positions sorted per
batch column (O(N² log N) per round instead of the O(N³) definitions), for true positions and
positive-part votes (every preset). Tested against :mod:`standoff.models.eum.steps`."""

from __future__ import annotations

from typing import Any

import numpy as np

from standoff.models.compromise import weighted_mean
from standoff.models.eum.steps import (
    COMPROMISE,
    EPS,
    KEY_DECIMALS,
    STALEMATE,
    condorcet_median,
    risk_exponents,
    status_quo_trend,
)

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


class Work:
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


def _midpoint_counts(u: np.ndarray, ws: Work) -> np.ndarray:
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


def support_sorted(u: np.ndarray, w: np.ndarray, ws: Work | None = None) -> np.ndarray:
    """pos[i, j, m] = Σ_k w_k max(|u_k − u_j| − |u_k − u_i|, 0) for u[N, M] sorted along axis 0.

    With m = (u_i + u_j)/2, W(m) and S(m) the sums of w and w·u over the voters left of m, W the
    total weight and L_i = Σ_{u_k < u_i} w_k (u_i − u_k) (i's left moment):

        pos_ij = (u_i + u_j) W(m) − 2 S(m) − 2 L_i + W·max(u_i − u_j, 0)

    (the voters left of m support i by u_i + u_j − 2u_k, those left of i by the full u_j − u_i;
    for u_i > u_j the same sum counted from the right). 0 for tied positions."""
    ws = ws or Work()
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


def win_probability_sorted(pos: np.ndarray, probability: str, ws: Work | None = None) -> np.ndarray:
    """P[i, j, m] from the supports (see :func:`win_probability`); 0.5 where nobody prefers either."""
    ws = ws or Work()
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
                  ws: Work | None = None) -> dict[str, np.ndarray]:
    """Steps 1-9 of one round on x, w, s [N, M] sorted along axis 0 (actor[N, M]: whose they are)
    and R [M]: the expected utilities a, b [i, j, m] (as :func:`steps_round`), the exponents
    r [N, M], the offer codes, and for every receiver the accepted sender (its place in the sorted
    order, −1: none) and its new position [N, M]. Big arrays live in the scratch `ws`."""
    ws = ws or Work()
    n, m = x.shape
    shape = (n, n, m)
    ar = np.arange(n)
    u = x - x[0]
    u /= rng
    pos = support_sorted(u, w, ws)
    p = win_probability_sorted(pos, opts["probability"], ws)
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


def offer_keys(a: np.ndarray, b: np.ndarray, d: np.ndarray, x: np.ndarray, u: np.ndarray,
               rng: np.ndarray, actor: np.ndarray, send: slice, opts: dict[str, Any],
               ws: Work) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 8 and the keys of step 9 for the senders `send` (all of them, or a block) against every
    receiver: each dyad's offer class `code`, its ranking `key` (least first) and the sender's
    tie-break `util` (greatest first), all [len(send), N, M] on the sorted layout."""
    n = x.shape[0]
    shape = a.shape
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
    own = np.arange(n)[send]  # the senders' own dyads: no offer to oneself
    code[np.arange(len(own)), own] = STALEMATE
    scale = 10.0 ** KEY_DECIMALS
    xi, xj = x[send][:, None, :], x[None, :, :]
    move = np.multiply(d, scale, out=ws("move", shape))  # a full move takes j to x_i: |x_i − x_j|/R
    np.rint(move, out=move)
    priority = opts["offer_priority"]
    point = ws("point", shape)
    if priority == "scholz-code":  # a compromise ranks by its stake-weighted point, lowest first
        us = u * scale  # (point − min x)/R = (|a| u_i + |b| u_j)/(|a| + |b|)
        np.multiply(aa, us[send][:, None, :], out=point)
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
    # among the best offers the sender with the highest utility, then the first actor: one key
    # rint(a·10^10)·N + (N − 1 − actor) (|a| < 6: integers below 2^53 for N below 10^5)
    util = np.multiply(a, scale, out=aa)
    np.rint(util, out=util)
    util *= n
    util += (n - 1 - actor[send])[:, None, :]
    return code, key, util


def _offers_sorted(a: np.ndarray, b: np.ndarray, x: np.ndarray, u: np.ndarray, d: np.ndarray,
                   rng: np.ndarray, actor: np.ndarray, opts: dict[str, Any],
                   ws: Work | None = None) -> dict[str, np.ndarray]:
    """Steps 8-9 (as :func:`classify_dyads` and :func:`select_offers`) on the sorted layout;
    actor[N, M] holds the actors' own indices (the last tie-break: the first actor)."""
    ws = ws or Work()
    n, m = x.shape
    shape = (n, n, m)
    ar = np.arange(n)
    code, key, util = offer_keys(a, b, d, x, u, rng, actor, slice(0, n), opts, ws)
    best = key.min(axis=0)
    has = best < 1e12
    # among the best offers, the sender with the highest `util` key
    worse = np.greater(key, best, out=ws("none", shape, bool))
    util -= np.multiply(worse, 1e17, out=ws("tmp", shape))  # the others fall below every candidate
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


def fast_round(x, w, s, rng, q, t, opts, keep_dyads, ws=None):
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
