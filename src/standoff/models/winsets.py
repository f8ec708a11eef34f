"""Exact win-sets against the status quo: the numeric core of the two-level game.

A faction i with ideal point x_i and linear single-peaked utility u_i(x) = −|x − x_i| weakly
prefers a deal x to the status quo q exactly on the closed interval between q and its mirror
image 2x_i − q:

    A_i = [min(q, 2x_i − q), max(q, 2x_i − q)]          (A_i = {q} when x_i = q)

Every A_i contains q, so the supporting weight S(x) = Σ_i w_i [x ∈ A_i] never rises as x moves
away from q, and the group's win-set {x : S(x) ≥ θ·W, no veto holder prefers q} is one closed
interval [L, R] ∋ q. Its right end is found by sorting the factions' reaches r_i = max(q, 2x_i − q)
from the highest down and stopping where the cumulative weight first reaches θ·W (the pivot), then
taking the lowest reach of any veto holder that cares, then the end of the scale; the left end by
symmetry. The same pivot rule gives the largest step t ∈ [0, 1] from q toward a package deal that
a group ratifies when its factions judge packages jointly (:func:`package_reach`).
See docs/models/two-level.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

QUOTA = "quota"
VETO = "veto"
SCALE = "scale"
RTOL = 1e-12


@dataclass(frozen=True)
class End:
    """One end of a win-set: its value, what fixes it (quota pivot, veto, scale end), and whom."""

    value: float
    kind: str
    faction: int | None


def pivot(reach: np.ndarray, weight: np.ndarray, quota: float, limit: float,
          veto: np.ndarray | None = None) -> End:
    """The largest value v ≤ limit such that factions with reach ≥ v hold ≥ quota of the weight,
    and no veto holder's reach is below v.

    reach[n] ≥ the starting point, weight[n] ≥ 0, veto[n] bool (veto holders that care). Ties
    between the three bounds go to the veto, then the quota, then `limit`; among factions whose
    reach equals the pivot's, the heaviest is named (the first in order on a tie).
    """
    reach = np.asarray(reach, dtype=float)
    weight = np.asarray(weight, dtype=float)
    total = weight.sum()
    by_quota = End(limit, SCALE, None)
    if total > 0:
        order = np.argsort(-reach, kind="stable")
        cum = np.cumsum(weight[order])
        k = int(np.argmax(cum >= quota * total * (1 - RTOL)))
        value = reach[order[k]]
        if value <= limit:
            # several factions may stop at the pivot's reach: name the heaviest of them
            tied = np.flatnonzero(np.abs(reach - value) <= RTOL * max(1.0, abs(value)))
            who = int(tied[np.argmax(weight[tied])])
            by_quota = End(float(value), QUOTA, who)
    best = by_quota
    if veto is not None and np.any(veto):
        idx = np.flatnonzero(veto)
        j = int(idx[np.argmin(reach[idx])])
        if reach[j] <= best.value:
            best = End(float(reach[j]), VETO, j)
    return best


def interval(positions: np.ndarray, weight: np.ndarray, q: float, low: float, high: float,
             quota: float = 0.5, veto: np.ndarray | None = None) -> tuple[End, End]:
    """A group's win-set [L, R] on one issue against the status quo q, on the scale [low, high].

    positions[n], weight[n] = capability × salience of the group's factions; veto[n] marks the
    veto holders that care about the issue (salience > 0). Returns the two ends.
    """
    x = np.asarray(positions, dtype=float)
    right = np.maximum(q, 2 * x - q)
    left = np.maximum(-q, -(2 * x - q))  # mirror: reaches to the left, as distances on −x
    hi = pivot(right, weight, quota, high, veto)
    lo = pivot(left, weight, quota, -low, veto)
    return End(-lo.value, lo.kind, lo.faction), hi


def brute_force_member(x: float, positions: np.ndarray, weight: np.ndarray, q: float,
                       quota: float = 0.5, veto: np.ndarray | None = None) -> bool:
    """Whether one point x is in the win-set, by the definition (the oracle for :func:`interval`)."""
    pos = np.asarray(positions, dtype=float)
    w = np.asarray(weight, dtype=float)
    tol = 1e-9
    supports = np.abs(x - pos) <= np.abs(q - pos) + tol
    if w.sum() > 0 and w[supports].sum() < quota * w.sum() * (1 - 1e-9):
        return False
    if veto is not None and np.any(veto & ~supports):
        return False
    return True


def package_utility(x: np.ndarray, ideal: np.ndarray, salience: np.ndarray,
                    scale: np.ndarray) -> np.ndarray:
    """u_i(x) = −Σ_k s_ik |x_k − x_ik| / (max_k − min_k): salience-weighted linear loss over the
    issues, each scale stretched to one unit. x[K]; ideal, salience [n, K]; returns [n]."""
    return -(salience * np.abs(np.asarray(x)[None, :] - ideal) / scale[None, :]).sum(axis=1)


def package_reach(q: np.ndarray, target: np.ndarray, ideal: np.ndarray, salience: np.ndarray,
                  scale: np.ndarray) -> np.ndarray:
    """Per faction, t_i = max{t ∈ [0, 1] : u_i(q + t(target − q)) ≥ u_i(q)}.

    Along the segment, f_i(t) = u_i(q + t(target − q)) − u_i(q) is concave and piecewise linear with
    f_i(0) = 0, so {t ≥ 0 : f_i(t) ≥ 0} is an interval [0, t_i]; t_i is found exactly from f_i at
    its breakpoints (where the segment crosses x_ik) and linear interpolation.
    """
    q = np.asarray(q, dtype=float)
    d = np.asarray(target, dtype=float) - q
    n = ideal.shape[0]
    base = package_utility(q, ideal, salience, scale)
    out = np.ones(n)
    moving = np.abs(d) > 0
    for i in range(n):
        cuts = (ideal[i, moving] - q[moving]) / d[moving]
        ts = np.unique(np.concatenate([[0.0, 1.0], cuts[(cuts > 0) & (cuts < 1)]]))
        f = np.array([package_utility(q + t * d, ideal[i:i + 1], salience[i:i + 1], scale)[0]
                      for t in ts]) - base[i]
        tol = 1e-12 * max(1.0, float(np.abs(base[i])))
        if f[-1] >= -tol:
            continue
        # last point with f ≥ 0 (f[0] = 0), then the crossing on the next piece
        k = int(np.flatnonzero(f >= -tol)[-1])
        out[i] = ts[k] + (ts[k + 1] - ts[k]) * f[k] / (f[k] - f[k + 1]) if f[k] > tol else ts[k]
    return out


# --- the same arithmetic on arrays: many win-sets at once (the consent model) --------------------
KINDS = (SCALE, QUOTA, VETO)  # codes 0, 1, 2 of the batched ends


@dataclass(frozen=True)
class Ends:
    """Batched ends: value[M], kind[M] (index into KINDS), who[M] (member index, −1: none)."""

    value: np.ndarray
    kind: np.ndarray
    who: np.ndarray


def pivot_batch(reach: np.ndarray, weight: np.ndarray, quota: np.ndarray, limit: np.ndarray,
                veto: np.ndarray | None = None) -> Ends:
    """:func:`pivot` on M rows at once: reach, weight, veto [M, n]; quota, limit [M].

    A reach of +inf (a member that does not care and so supports any point) is never a pivot.
    Same ties as :func:`pivot` (veto, then quota, then the limit; the heaviest tied member)."""
    reach = np.asarray(reach, dtype=float)
    weight = np.asarray(weight, dtype=float)
    m = reach.shape[0]
    rows = np.arange(m)
    quota = np.broadcast_to(np.asarray(quota, dtype=float), (m,))
    limit = np.broadcast_to(np.asarray(limit, dtype=float), (m,))
    total = weight.sum(axis=1)
    order = np.argsort(-reach, axis=1, kind="stable")
    cum = np.cumsum(np.take_along_axis(weight, order, axis=1), axis=1)
    k = np.argmax(cum >= (quota * total * (1 - RTOL))[:, None], axis=1)
    value = np.take_along_axis(reach, order, axis=1)[rows, k]
    has = (total > 0) & (value <= limit)
    with np.errstate(invalid="ignore"):
        tied = np.abs(reach - value[:, None]) <= RTOL * np.maximum(1.0, np.abs(value))[:, None]
    who = np.argmax(np.where(tied, weight, -np.inf), axis=1)
    val = np.where(has, value, limit)
    kind = np.where(has, 1, 0)
    who = np.where(has, who, -1)
    if veto is not None:
        vreach = np.where(np.asarray(veto, dtype=bool), reach, np.inf)
        j = np.argmin(vreach, axis=1)
        vmin = vreach[rows, j]
        use = vmin <= val
        val, kind, who = np.where(use, vmin, val), np.where(use, 2, kind), np.where(use, j, who)
    return Ends(val.astype(float), kind.astype(int), who.astype(int))


def interval_batch(positions: np.ndarray, weight: np.ndarray, q: np.ndarray, low: np.ndarray,
                   high: np.ndarray, quota: np.ndarray, veto: np.ndarray | None = None,
                   care: np.ndarray | None = None) -> tuple[Ends, Ends]:
    """:func:`interval` on M rows: positions, weight, veto, care [M, n]; q, low, high, quota [M].
    A member that does not care (care False) supports every point: its reach is the whole scale."""
    x = np.asarray(positions, dtype=float)
    q = np.asarray(q, dtype=float)[:, None]
    care = np.ones(x.shape, dtype=bool) if care is None else np.asarray(care, dtype=bool)
    right = np.where(care, np.maximum(q, 2 * x - q), np.inf)
    left = np.where(care, np.maximum(-q, -(2 * x - q)), np.inf)
    v = None if veto is None else np.asarray(veto, dtype=bool) & care
    hi = pivot_batch(right, weight, quota, high, v)
    lo = pivot_batch(left, weight, quota, -np.asarray(low, dtype=float), v)
    return Ends(-lo.value, lo.kind, lo.who), hi
