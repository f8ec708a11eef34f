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
