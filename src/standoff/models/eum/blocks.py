"""The sorted round in blocks of senders, for scenarios too large to hold every dyad at once.

:func:`blocked_round` computes what :func:`standoff.models.eum.fast.fast_round` computes, element
for element the same arithmetic, but never holds more than a block of B senders × N receivers
(× M rows) of any dyad array, besides the midpoint counts (2 bytes a dyad). A dyad needs its
mirror image (the win probability of i against j uses j's support against i; E^j(U_ji) is the
transpose of E^i(U_ij)), so each block also computes the same B actors as receivers, [N, B, M].
What a round sums over actors (the all-pairs total of the supports, the security levels) is added
row by row in the unblocked order, and the offers are the minimum and maximum of exact integer
keys, merged block by block: the results equal the unblocked round's exactly (tested).

Passes per round: (all-pairs only) the total of the supports; the first pass (r = 1) and the
security levels; the second pass and the offers. The supports are recomputed in each pass from the
stored midpoint counts (cheap next to the binary searches that find them).
"""

from __future__ import annotations

import numpy as np

from standoff.models.compromise import weighted_mean
from standoff.models.eum.fast import Work, _reference_term, offer_keys
from standoff.models.eum.steps import (
    COMPROMISE,
    EPS,
    condorcet_median,
    risk_exponents,
)

#: Bytes a round keeps per dyad in blocked mode (the midpoint counts, int16 up to 32,767 actors).
COUNT_BYTES = 2
#: Dyad arrays a block holds at once (sender and receiver sides together), for memory estimates.
BLOCK_ARRAYS = 24


def block_rows(n: int, m: int, elements: int) -> int:
    """Senders per block so that a block of dyad arrays has about `elements` entries."""
    return max(1, min(n, int(elements) // max(n * m, 1)))


class _Side:
    """Per-actor vectors [N, M] of one round in the sorted order, and the pair arrays of a block
    (senders S × receivers T) built from them with the unblocked round's operations."""

    def __init__(self, x, w, s, rng, q, t, opts):
        n, m = x.shape
        self.x, self.w, self.s, self.rng, self.q, self.t, self.opts = x, w, s, rng, q, t, opts
        self.n, self.m = n, m
        u = x - x[0]
        u /= rng
        self.u = u
        cw = np.zeros((n + 1, m))
        cs = np.zeros((n + 1, m))
        np.cumsum(w, axis=0, out=cw[1:])
        np.cumsum(w * u, axis=0, out=cs[1:])
        left = u * cw[:n] - cs[:n]
        left *= 2.0
        self.cw, self.cs, self.left = cw, cs, left
        self.flat_w, self.flat_s = cw.ravel(), cs.ravel()
        self.count = np.empty((n, n, m), dtype=np.int16 if n < 2**15 else np.int32)
        self.need_mu = q != 1.0

    # -- supports and win probabilities
    def counts(self, rows: slice) -> None:
        """k[i, j, m] = #{u_k < (u_i + u_j)/2} for the senders `rows` (binary searches, as the
        unblocked round does them above SMALL_N actors), kept for the round."""
        u = self.u
        for c in range(self.m):
            uc = u[:, c]
            mid = np.add.outer(uc[rows], uc)
            mid *= 0.5
            self.count[rows, :, c] = np.searchsorted(uc, mid, side="left")

    def support(self, send: slice | None, recv: slice | None) -> np.ndarray:
        """pos[i, j, m] for senders i in `send` and receivers j in `recv` (None: all)."""
        m = self.m
        k = self.count[send or slice(None), recv or slice(None)]
        idx = k.astype(np.intp)
        idx *= m
        idx += np.arange(m)
        ui = self.u[send or slice(None)][:, None, :]
        uj = self.u[recv or slice(None)][None, :, :]
        pos = np.take(self.flat_w, idx)
        tmp = np.add(ui, uj)
        pos *= tmp
        s_m = np.take(self.flat_s, idx, out=tmp)
        s_m *= 2.0
        pos -= s_m
        pos -= self.left[send or slice(None)][:, None, :]
        diff = np.subtract(ui, uj)
        np.maximum(diff, 0.0, out=s_m)
        s_m *= self.cw[self.n]
        pos += s_m
        np.maximum(pos, 0.0, out=pos)
        pos *= np.not_equal(diff, 0.0)
        return pos

    def probability(self, pos: np.ndarray, mirror: np.ndarray | None, total) -> np.ndarray:
        """P from the supports of a block and (dyad) its mirror image in the block's layout."""
        if self.opts["probability"] == "all-pairs":
            none = total == 0
            p = np.divide(pos, total + none)
            if none.any():
                p[:, :, none] = 0.5
            return p
        den = np.add(pos, mirror)
        none = np.equal(den, 0.0)
        p = np.multiply(none, 0.5)
        p += pos
        den += none
        p /= den
        return p

    # -- geometry of a block
    def geometry(self, send: slice | None, recv: slice | None) -> dict[str, np.ndarray]:
        xi = self.x[send or slice(None)][:, None, :]
        xj = self.x[recv or slice(None)][None, :, :]
        dist = np.subtract(xi, xj)
        np.abs(dist, out=dist)
        d = np.divide(dist, self.rng)
        half = np.multiply(d, 0.5)
        lose = np.subtract(0.5, half)
        np.maximum(lose, 0.0, out=lose)
        gain = np.add(half, 0.5, out=half)
        return {"dist": dist, "d": d, "lose": lose, "gain": gain}


def _diagonal(arr: np.ndarray, send: slice | None, recv: slice | None, value) -> None:
    """Set the entries of a block where sender and receiver are the same actor."""
    if send is None and recv is None:
        ar = np.arange(arr.shape[0])
        arr[ar, ar] = value
    elif recv is None:
        ar = np.arange(send.start, send.stop)
        arr[ar - send.start, ar] = value
    else:
        ar = np.arange(recv.start, recv.stop)
        arr[ar, ar - recv.start] = value


def _trend(side: _Side, mu, send, recv):
    """T[i, j, m] of the block (as :func:`status_quo_trend`, transposed to the [i, j, m] layout)."""
    di = np.abs(side.x.T - mu[:, None])  # [M, N]
    a = di[:, recv or slice(None)][:, None, :]
    b = di[:, send or slice(None)][:, :, None]
    gap = (a - b) / side.rng[:, None, None]
    return np.where(gap > EPS, 1.0, np.where(gap < -EPS, 0.0, 0.5)).transpose(1, 2, 0)


def _first_pass(side: _Side, g, p, send, recv, mu1, tt):
    """E(U_ij) with r = 1 on a block (pass 1 of the unblocked round)."""
    s, opts, q = side.s, side.opts, side.q
    resist = s[recv or slice(None)][None, :, :] if opts["resist_salience"] == "target" \
        else s[send or slice(None)][:, None, :]
    fail = np.subtract(1.0, p)
    us = np.multiply(g["lose"], -4.0)
    us += 2.0
    gap = np.subtract(g["gain"], g["lose"])
    gap *= 4.0
    gap *= resist
    gap *= fail
    eu = np.subtract(us, gap, out=us)
    if side.need_mu:
        near = np.abs(side.x - mu1)[send or slice(None)][:, None, :]
        eu -= _reference_term(near, g["dist"], side.rng, 1.0, tt, q)
    _diagonal(eu, send, recv, 0.0)
    return eu


def _powers(side: _Side, g, re):
    """U_s and U_s − U_f with exponent re, and the status quo term (pass 2 of the unblocked round)."""
    lp = np.power(g["lose"], re)
    gap = np.power(g["gain"], re)
    gap -= lp
    gap *= 4.0
    lp *= -4.0
    us = np.add(lp, 2.0, out=lp)
    usq = 2.0 - 4.0 * 0.5 ** re
    sq = usq * side.q if side.q != 1.0 else usq
    return us, gap, sq


def _second_pass(side: _Side, g, p, send, recv, r, mu2, tt, roles="a"):
    """E(U_ij) with the exponents r on a block: roles 'a' (the sender's challenge, as a), or for
    the receiver perspective also 'b' (the receiver's challenge judged with the same exponent)."""
    s, opts, q = side.s, side.opts, side.q
    own = opts["perspective"] == "own"
    re = r[send or slice(None)][:, None, :] if own else r[recv or slice(None)][None, :, :]
    target = opts["resist_salience"] == "target"
    resist = s[recv or slice(None)][None, :, :] if target else s[send or slice(None)][:, None, :]
    us, gap, sq = _powers(side, g, re)
    a = np.multiply(gap, resist)
    a *= np.subtract(1.0, p)
    np.subtract(us, a, out=a)
    a -= sq
    if side.need_mu:
        near = np.abs(side.x - mu2)[send or slice(None)][:, None, :]
        a -= _reference_term(near, g["dist"], side.rng, re, tt, q)
    _diagonal(a, send, recv, 0.0)
    return a, (us, gap, sq, re)


def _receiver_b(side: _Side, g, parts, p_mirror, send, recv, mu2, tt):
    """b[i, j] = E^j(U_ji) judged with r_j (the receiver perspective), from the powers of a."""
    us, gap, sq, re = parts
    s, opts, q = side.s, side.opts, side.q
    target = opts["resist_salience"] == "target"
    resist_t = s[send or slice(None)][:, None, :] if target else s[recv or slice(None)][None, :, :]
    b = np.multiply(gap, resist_t)
    b *= np.subtract(1.0, p_mirror)
    np.subtract(us, b, out=b)
    b -= sq
    if side.need_mu:
        near = np.abs(side.x - mu2)[recv or slice(None)][None, :, :]
        b -= _reference_term(near, g["dist"], side.rng, re, 1.0 - tt if side.t is None else tt, q)
    _diagonal(b, send, recv, 0.0)
    return b


def _keys(side: _Side, a, b, d, send, actor):
    """The block's offer classes, ranking keys and tie-break keys (:func:`offer_keys`)."""
    return offer_keys(a, b, d, side.x, side.u, side.rng, actor, send, side.opts, Work())


class _Offers:
    """The best offer of every receiver so far, merged block by block: the least first key, then
    the greatest second key among the senders with it (exact integers in floats)."""

    def __init__(self, n, m):
        self.best = np.full((n, m), np.inf)
        self.top = np.full((n, m), -np.inf)
        self.code = np.zeros((n, m), dtype=np.int8)
        self.a = np.zeros((n, m))
        self.b = np.zeros((n, m))

    def merge(self, code, key, util, a, b):
        bk = key.min(axis=0)
        worse = np.greater(key, bk)
        util -= np.multiply(worse, 1e17)
        loc = util.argmax(axis=0)  # [N, M]: the block's row of its best offer
        tu = np.take_along_axis(util, loc[None], axis=0)[0]
        take = (bk < self.best) | ((bk == self.best) & (tu > self.top))
        pick = lambda v: np.take_along_axis(v, loc[None], axis=0)[0]  # noqa: E731
        self.code = np.where(take, pick(code), self.code)
        self.a = np.where(take, pick(a), self.a)
        self.b = np.where(take, pick(b), self.b)
        self.top = np.where(take, tu, self.top)
        self.best = np.where(take, bk, self.best)


def blocked_round(x, w, s, rng, q, t, opts, keep_dyads, elements):
    """One round as :func:`standoff.models.eum.fast.fast_round` (the same arguments and returns),
    holding blocks of about `elements` dyad entries at a time."""
    m, n = x.shape
    order = np.argsort(x.T, axis=0, kind="stable")  # [N, M]
    sort = lambda v: np.take_along_axis(v.T, order, axis=0)  # noqa: E731
    xs, wsrt, ss = sort(x), sort(w), sort(s)
    side = _Side(xs, wsrt, ss, rng, q, t, opts)
    rank = np.empty_like(order)
    cols = np.arange(m)
    rank[order, cols] = np.arange(n)[:, None]
    step = block_rows(n, m, elements)
    blocks = [slice(lo, min(lo + step, n)) for lo in range(0, n, step)]
    for blk in blocks:
        side.counts(blk)
    total = None
    if opts["probability"] == "all-pairs":
        acc = np.zeros((n, m))
        for blk in blocks:
            pos = side.support(blk, None)
            for row in pos:  # Σ_i in the unblocked order (row by row)
                acc += row
        total = np.cumsum(acc, axis=0)[-1] * 2.0
    dyad = opts["probability"] == "dyad"
    need_mu = side.need_mu
    mu1 = condorcet_median(xs.T, wsrt.T) if need_mu else None
    security = opts["risk"] == "security"
    mu2 = ((condorcet_median if opts["reference"] == "median" else weighted_mean)(xs.T, wsrt.T)
           if need_mu and security else None)

    def probs(blk, mirror=True):
        """P of the block's senders [B, N, M], and (mirror) of its actors as receivers [N, B, M]."""
        fwd = side.support(blk, None)
        back = side.support(None, blk) if dyad or mirror else None
        p = side.probability(fwd, back.transpose(1, 0, 2) if dyad else None, total)
        if not mirror:
            return p, None
        return p, side.probability(back, fwd.transpose(1, 0, 2) if dyad else None, total)

    def trend(mu, send, recv):
        if not need_mu:
            return None
        return _trend(side, mu, send, recv) if t is None else t

    dyads = {} if keep_dyads else None
    if keep_dyads:
        dyads = {"a": np.empty((m, n, n)), "b": np.empty((m, n, n)), "code": np.empty((m, n, n), np.int8)}
    offers = _Offers(n, m)

    def finish(blk, a, b, d):
        code, key, util = _keys(side, a, b, d, blk, order)
        if keep_dyads:
            ri = order[blk][:, None, :]  # actors of the block's senders, [B, 1, M]
            rj = order[None, :, :]
            mm = cols[None, None, :]
            for name, v in (("a", a), ("b", b), ("code", code)):
                dyads[name][mm, ri, rj] = v
        offers.merge(code, key, util, a, b)

    sec = np.zeros((n, m))
    for blk in blocks:  # pass 1 (r = 1): the security levels, or (risk neutral) the offers
        p, mirror = probs(blk, mirror=not security)
        g = side.geometry(blk, None)
        eu = _first_pass(side, g, p, blk, None, mu1, trend(mu1, blk, None))
        if security:
            for row in eu:  # Σ_j E^j(U_ji) in the unblocked order (row by row)
                sec += row
        else:  # a = E(U_ij), b its transpose
            gt = side.geometry(None, blk)
            back = _first_pass(side, gt, mirror, None, blk, mu1, trend(mu1, None, blk))
            finish(blk, eu, back.transpose(1, 0, 2), g["d"])
    if security:
        r = risk_exponents(sec.T).T
        for blk in blocks:  # pass 2: the exponents, then the offers
            p, mirror = probs(blk)
            g = side.geometry(blk, None)
            tt = trend(mu2, blk, None)
            a, parts = _second_pass(side, g, p, blk, None, r, mu2, tt)
            if opts["perspective"] == "own":
                gt = side.geometry(None, blk)
                back, _ = _second_pass(side, gt, mirror, None, blk, r, mu2, trend(mu2, None, blk))
                b = back.transpose(1, 0, 2)
            else:
                b = _receiver_b(side, g, parts, mirror.transpose(1, 0, 2), blk, None, mu2, tt)
            finish(blk, a, b, g["d"])
    else:
        r = np.ones((n, m))
    has = offers.best < 1e12
    top = offers.top.astype(np.int64)
    first = (n - 1) - top % n
    np.clip(first, 0, n - 1, out=first)
    sender = np.take(rank.ravel(), first * m + cols)
    sender[~has] = -1
    i = np.maximum(sender, 0)
    kind = offers.code
    x_i = np.take(xs.ravel(), i * m + cols)
    share = np.abs(offers.b) / np.maximum(np.abs(offers.a), EPS)
    target = np.where(kind == COMPROMISE, (x_i - xs) * share + xs, x_i)
    new = np.where(has, target, xs)
    back = lambda v: np.take_along_axis(v, rank, axis=0).T  # noqa: E731
    chosen = np.where(sender >= 0, np.take_along_axis(order, np.maximum(sender, 0), axis=0), -1)
    dyad_out = None if not keep_dyads else (dyads["a"], dyads["b"], dyads["code"])
    return back(new), back(chosen), back(r), dyad_out
