"""The per-draw loop of KTAB's Spatial Model of Politics, kept as the reference implementation.

This is the model as it was written before it ran on the batch axis (``standoff.models.smp``): one
scenario at a time, every actor's challenges one challenger at a time, each queue's election one
queue at a time, and the coalition arrays of every voter against every pair of options at once
(N³ memory). The batched model must give the same turns, positions and probabilities
(tests/models/test_smp.py). Equations in docs/models/smp.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MIN_COALITION = 1e-8  # KTAB's floor on a coalition's strength (avoids 0/0)
MIN_CONTRIBUTION = 1e-10  # floor on the principals' contributions in a challenge
MIN_GAIN = 1e-5  # expected gains at or below this are not worth a challenge
MIN_W = 1e-6  # S2P2 interpolation: keeps 0/0 away when neither side has weight
POSITION_TOL = 1e-3  # positions closer than this (0..1 scales) are one option of the PCE
TIE = 1e-12  # gains or probabilities this close are ties: the first in order wins


def vector_distance(positions: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """D[i, j] = √(Σ_k (s_ik (x_ik − x_jk))² / Σ_k s_ik²): distance of j's position from i's,
    weighted by i's saliences; positions and saliences [N, K] on 0..1."""
    diff = positions[:, None, :] - positions[None, :, :]
    num = ((diff * salience[:, None, :]) ** 2).sum(axis=2)
    den = (salience ** 2).sum(axis=1)[:, None]
    # an actor that cares about nothing is indifferent: every position is at distance 0
    return np.sqrt(np.divide(num, den, out=np.zeros_like(num), where=den > 0))


def utility(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """KTAB's scalar utility of a distance d with risk attitude r: (1 − d)(1 + d·r)."""
    return np.where(d <= 1.0, (1.0 - d) * (1.0 + d * r), (1.0 - d) * (1.0 + r))


def position_utilities(x: np.ndarray, sal: np.ndarray, r: np.ndarray, y: np.ndarray
                       ) -> np.ndarray:
    """Every actor's utility of one position y [K]: [N]."""
    num = (((x - y[None, :]) * sal) ** 2).sum(axis=1)
    den = (sal ** 2).sum(axis=1)
    d = np.sqrt(np.divide(num, den, out=np.zeros_like(num), where=den > 0))
    return utility(d, r)


def coalitions(w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """C[a, b] = floor + Σ_k max(0, w_k (u_ka − u_kb)): the strength of the coalition for option
    a against b under proportional voting; u [N actors, M options], w [N]."""
    votes = w[:, None, None] * (u[:, :, None] - u[:, None, :])  # [N, M, M]
    c = MIN_COALITION + np.clip(votes, 0.0, None).sum(axis=0)
    np.fill_diagonal(c, MIN_COALITION)
    return c


def victory_probabilities(c: np.ndarray) -> np.ndarray:
    """Linear victory probabilities P[a, b] = C[a, b] / (C[a, b] + C[b, a]); ½ on the diagonal."""
    p = c / (c + c.T)
    np.fill_diagonal(p, 0.5)
    return p


def conditional_pce(pv: np.ndarray) -> np.ndarray:
    """Conditional PCE: option a's probability ∝ Π_b P[a, b] (it beats every other option)."""
    p = np.prod(pv, axis=1)
    return p / p.sum()


def scalar_pce(w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Each option's probability of winning a conditional PCE among actors with strengths w."""
    return conditional_pce(victory_probabilities(coalitions(w, u)))


def infer_risk(distance: np.ndarray, capability: np.ndarray) -> np.ndarray:
    """Risk attitudes r_i on the Mid range: (3 p_i − (p_max + 2 p_min)) / (2 (p_max − p_min)),
    p the PCE probabilities of the actors' positions under risk-neutral utilities 1 − d."""
    p = scalar_pce(capability, utility(distance, np.zeros_like(distance)))
    lo, hi = p.min(), p.max()
    if hi - lo <= 0:
        return np.zeros_like(p)
    return (3.0 * p - (hi + 2.0 * lo)) / (2.0 * (hi - lo))


def win_probabilities(x: np.ndarray, sal: np.ndarray, cap: np.ndarray,
                      tol: float = POSITION_TOL) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's position's probability of winning (KTAB's reported probabilities): a
    conditional PCE over the distinct positions (closer than `tol`: one option), every actor
    voting its capability with its own risk-aware utilities; actors who share a position share
    its probability, so the values sum to 1 over distinct positions, not over actors.
    Returns (probability of each actor's position, its share: the probability divided by the
    number of actors there, which sums to 1)."""
    dist = vector_distance(x, sal)
    r = infer_risk(dist, cap)
    option = np.arange(len(cap))
    for i in range(len(cap)):
        for j in range(i):
            if np.linalg.norm(x[i] - x[j]) < tol:
                option[i] = option[j]
                break
    distinct = np.unique(option)
    p = scalar_pce(cap, utility(dist[:, distinct], r[:, None]))
    per_actor = p[np.searchsorted(distinct, option)]
    count = np.bincount(option, minlength=len(cap))[option]
    return per_actor, per_actor / count


def estimated_utilities(distance: np.ndarray, r: np.ndarray) -> np.ndarray:
    """U[h, i, j]: h's estimate of i's utility of j's position, with h's estimate of i's risk
    attitude (2 r_h + r_i)/3 ("one third" adjustment)."""
    r_hi = (2.0 * r[:, None] + r[None, :]) / 3.0
    return utility(distance[None, :, :], r_hi[:, :, None])


def challenges(u_h: np.ndarray, i: int, weight: np.ndarray, total_salience: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """For actor i challenging each j, i's estimates [N] (entry i is unused): the probability
    that i beats j, and the expected change of i's own utility.

    u_h = U[i] (i's utility estimates); weight = capability × total salience. The principals
    vote their weight times their utility difference; each third party n weighs the little
    contest (i, j, n) with only the principals' strengths, then votes the difference between
    joining i and joining j, semi-committed (joining the winner it keeps its own position,
    joining the loser it adopts the winner's). Then E[u_i] of the challenge =
    (1 − s_j) 2u_ii + s_j (P 2u_ii + (1 − P) 2u_ij), compared with the status quo u_ii + u_ij.
    """
    n_act = len(weight)
    v_i = weight[i] * (u_h[i, i] - u_h[i, :])  # [j]
    v_j = weight * (u_h[:, i] - np.diag(u_h))  # [j]: j's own vote
    base_ij = MIN_CONTRIBUTION + np.maximum(v_i, 0.0) + np.maximum(v_j, 0.0)
    base_ji = MIN_CONTRIBUTION + np.maximum(-v_i, 0.0) + np.maximum(-v_j, 0.0)
    u_ni = u_h[:, i][None, :]  # [1, n]
    u_nj = u_h.T  # [j, n]: u_h[n, j]
    u_nn = np.diag(u_h)[None, :]
    v_n = weight[None, :] * (u_ni - u_nj)
    a = base_ij[:, None] + np.maximum(v_n, 0.0)
    b = base_ji[:, None] + np.maximum(-v_n, 0.0)
    p_in = a / (a + b)
    join_i = p_in * (2 * u_ni + u_nn) + (1 - p_in) * (3 * u_nj)
    join_j = p_in * (3 * u_ni) + (1 - p_in) * (2 * u_nj + u_nn)
    v = weight[None, :] * (join_i - join_j)
    third = np.ones((n_act, n_act), bool)
    third[:, i] = False
    np.fill_diagonal(third, False)
    c_ij = base_ij + np.where(third, np.maximum(v, 0.0), 0.0).sum(axis=1)
    c_ji = base_ji + np.where(third, np.maximum(-v, 0.0), 0.0).sum(axis=1)
    p = c_ij / (c_ij + c_ji)
    sq = u_h[i, i] + u_h[i, :]
    win = 2 * u_h[i, i]
    contest = p * win + (1 - p) * 2 * u_h[i, :]
    return p, (1 - total_salience) * win + total_salience * contest - sq


def round4(x: np.ndarray) -> np.ndarray:
    """KTAB rounds interpolated bargains to 4 decimals on the 0..1 scale (half up)."""
    return np.floor(0.5 + x * 1e4) / 1e4


def interpolate_bargain(x_i, s_i, p_i, x_j, s_j, p_j) -> tuple[np.ndarray, np.ndarray]:
    """S2P2: per dimension weights w = s²·p²; i is offered (w_i + ε) x_i + w_j x_j over the sum,
    j is offered w_i x_i + (w_j + ε) x_j over it (ε = 1e-6)."""
    w_i = s_i ** 2 * p_i ** 2
    w_j = s_j ** 2 * p_j ** 2
    tot = w_i + MIN_W + w_j
    return (round4(((w_i + MIN_W) * x_i + w_j * x_j) / tot),
            round4((w_i * x_i + (MIN_W + w_j) * x_j) / tot))


def turn(x: np.ndarray, sal: np.ndarray, cap: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
    """One SMP turn on positions x [N, K] (0..1), saliences sal [N, K] (0..1, rows summing to
    at most 1), capabilities cap [N]: returns the new positions and what happened."""
    n_act = len(cap)
    dist = vector_distance(x, sal)
    r = infer_risk(dist, cap)
    u = estimated_utilities(dist, r)  # [h, i, j]
    total_sal = sal.sum(axis=1)
    weight = cap * total_sal
    queues: list[list[tuple[int, int, np.ndarray, np.ndarray]]] = \
        [[(k, k, x[k], x[k])] for k in range(n_act)]
    challenges_made = []
    for i in range(n_act):
        p, gain = challenges(u[i], i, weight, total_sal)
        gain[i] = -np.inf
        ok = gain > MIN_GAIN
        if not ok.any():
            continue
        best = np.where(ok, gain, -np.inf)
        j = int(np.flatnonzero(best >= best.max() - TIE)[0])  # the first of equal gains
        b_i, b_j = interpolate_bargain(x[i], sal[i], p[j], x[j], sal[j], 1.0 - p[j])
        queues[i].append((i, j, b_i, b_j))
        queues[j].append((i, j, b_i, b_j))
        challenges_made.append({"i": i, "j": j, "p": float(p[j]), "gain": float(gain[j])})
    new = x.copy()
    chosen = []
    own = u[np.arange(n_act), np.arange(n_act)]  # U[h, h, :]: h's utilities of the positions
    for k in range(n_act):
        q = queues[k]
        u_im = np.empty((n_act, len(q)))
        total = own.sum(axis=1)  # [h]: the status quo, everyone where they are
        for m, (a, b, pa, pb) in enumerate(q):
            if a == b:
                u_im[:, m] = total / n_act
            else:
                u_im[:, m] = (total - own[:, a] - own[:, b] + position_utilities(x, sal, r, pa)
                              + position_utilities(x, sal, r, pb)) / n_act
        p = scalar_pce(cap, u_im)
        m = int(np.flatnonzero(p >= p.max() - TIE)[0])  # the first of equal probabilities
        a, b, pa, pb = q[m]
        if a != b:
            new[k] = pa if k == a else pb
        chosen.append(m)
    return new, {"risk": r, "challenges": challenges_made, "chosen": chosen}


def run_smp(x0: np.ndarray, sal: np.ndarray, cap: np.ndarray, max_turns: int = 100,
            min_turns: int = 2, min_ratio: float = 0.02, min_delta: float = 1e-4):
    """Turns until the stopping rule holds: after at least `min_turns` turns, a turn whose total
    move Σ_i ‖x_i(t) − x_i(t−1)‖ is below `min_ratio` × (the first turn's + `min_delta`); at most
    `max_turns`. Returns positions [T+1, N, K], win probabilities and shares [T+1, N] (see
    :func:`win_probabilities`) and per-turn detail."""
    path = [x0.copy()]
    details = []
    first = None
    for t in range(1, max_turns + 1):
        new, detail = turn(path[-1], sal, cap)
        path.append(new)
        details.append(detail)
        step = float(np.linalg.norm(new - path[-2], axis=1).sum())
        if first is None:
            first = step + min_delta
        if t >= min_turns and step / first < min_ratio:
            break
    probs, shares = zip(*(win_probabilities(x, sal, cap) for x in path), strict=True)
    return np.stack(path), np.stack(probs), np.stack(shares), details


def reference_predict(positions, salience, capability, low, high, max_turns=100, min_turns=2,
                      min_ratio=0.02):
    """The old ``SpatialModelOfPolitics.predict`` numbers, draw by draw: positions [B, N, K] on the
    issues' scales, salience [B, N, K] (0..1), capability [B, N]. Returns (values [B, K],
    trajectory [B, T+1, K], positions_path [B, T+1, N, K], turns [B], risk [B, N],
    win probabilities [B, T+1, N]); each draw padded with its last state."""
    span = high - low
    values, paths, turns, risks, win = [], [], [], [], []
    for b in range(len(positions)):
        x0 = (positions[b] - low) / span
        sal = salience[b]
        total = sal.sum(axis=1, keepdims=True)
        sal = np.where(total > 1.0, sal / np.where(total > 0, total, 1.0), sal)
        path, probs, shares, detail = run_smp(x0, sal, capability[b], max_turns, min_turns,
                                              min_ratio)
        mean = np.einsum("tn,tnk->tk", shares, path)
        values.append(low + mean * span)
        paths.append(low + path * span)
        win.append(probs)
        turns.append(len(path) - 1)
        risks.append(detail[-1]["risk"])
    length = max(turns) + 1
    pad = lambda a: np.concatenate([a, np.repeat(a[-1:], length - len(a), axis=0)])  # noqa: E731
    trajectory = np.stack([pad(v) for v in values])
    return (trajectory[:, -1], trajectory, np.stack([pad(p) for p in paths]), np.array(turns),
            np.stack(risks), np.stack([pad(w) for w in win]))
