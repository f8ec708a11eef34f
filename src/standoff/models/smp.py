"""KTAB's Spatial Model of Politics (SMP): bargaining by probabilistic Condorcet elections.

Wise, Lester & Bankes (KAPSARC Toolkit for Behavioral Analysis, KTAB), with KTAB's default
settings: linear victory probabilities, proportional voting, conditional probabilistic Condorcet
elections (PCE), deterministic state transitions, risk attitudes inferred on the "Mid" range
[−½, 1] and adjusted by "one third", semi-committed third parties, S2P2 bargain interpolation,
bargains formed from the initiator's perspective only. Equations in docs/models/smp.md.

Each turn (the steps are functions below):

1. `vector_distance`, `position_utility`: actor i's utility of a position y is
   u = (1 − d)(1 + d·r_i), d = √(Σ_k (s_ik (x_ik − y_k))² / Σ_k s_ik²), on 0..1 scales.
2. `infer_risk`: with risk-neutral utilities, each position's chance of winning a conditional PCE
   (capability-weighted proportional votes) sets the actors' risk attitudes: the likeliest
   winner is risk-acceptant (r = 1), the least likely risk-averse (r = −½); actor h's estimate of
   actor i's attitude is (2 r_h + r_i)/3.
3. `challenge`: actor h's estimate of the probability that i beats j in a contest joined by
   semi-committed third parties, and of the change of k's utility if i challenges j.
4. every actor challenges the target with the highest expected gain; the pair's bargain is
   interpolated between their positions (S2P2: weights salience² × probability²).
5. `choose_bargain`: each actor's queue (its status quo, the bargains it proposed and those
   proposed to it) is put to a conditional PCE; it adopts its position in the likeliest bargain.
6. stop after at least 2 turns when a turn moves the actors less than 2% as much as the first
   turn did (Σ_i ‖x_i(t) − x_i(t−1)‖), or after 100 turns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from standoff.models.base import Batch, Model, Prediction, register
from standoff.models.labels import labelled, wanted
from standoff.models.params import Param

MIN_COALITION = 1e-8  # KTAB's floor on a coalition's strength (avoids 0/0)
MIN_CONTRIBUTION = 1e-10  # floor on the principals' contributions in a challenge
MIN_GAIN = 1e-5  # expected gains at or below this are not worth a challenge
MIN_W = 1e-6  # S2P2 interpolation: keeps 0/0 away when neither side has weight
POSITION_TOL = 1e-3  # positions closer than this (0..1 scales) are one option of the PCE
TIE = 1e-12  # gains or probabilities this close are ties: the first in order wins
TOL = 1e-6  # convergence: no position moves more than this (0..1 scales) in two turns
#: The most elements of one block array (challengers × actors², queues × options²): 1 MiB
BLOCK_ELEMENTS = 1 << 17


def vector_distance(positions: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """D[..., i, j] = √(Σ_k (s_ik (x_ik − x_jk))² / Σ_k s_ik²): distance of j's position from i's,
    weighted by i's saliences; positions and saliences [..., N, K] on 0..1."""
    diff = positions[..., :, None, :] - positions[..., None, :, :]
    num = ((diff * salience[..., :, None, :]) ** 2).sum(axis=-1)
    den = (salience ** 2).sum(axis=-1)[..., :, None]
    # an actor that cares about nothing is indifferent: every position is at distance 0
    return np.sqrt(np.divide(num, den, out=np.zeros_like(num), where=den > 0))


def utility(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """KTAB's scalar utility of a distance d with risk attitude r: (1 − d)(1 + d·r)."""
    return np.where(d <= 1.0, (1.0 - d) * (1.0 + d * r), (1.0 - d) * (1.0 + r))


def position_utilities(x: np.ndarray, sal: np.ndarray, r: np.ndarray, y: np.ndarray
                       ) -> np.ndarray:
    """Every actor's utility of each of M positions y [..., M, K]: [..., N, M] (x, sal [..., N, K],
    r [..., N])."""
    diff = x[..., :, None, :] - y[..., None, :, :]
    num = ((diff * sal[..., :, None, :]) ** 2).sum(axis=-1)
    den = (sal ** 2).sum(axis=-1)[..., :, None]
    d = np.sqrt(np.divide(num, den, out=np.zeros_like(num), where=den > 0))
    return utility(d, r[..., :, None])


def coalitions(w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """C[..., a, b] = floor + Σ_k max(0, w_k (u_ka − u_kb)): the strength of the coalition for
    option a against b under proportional voting; u [..., N actors, M options], w [..., N].
    The voters are added one at a time, so memory stays [..., M, M]."""
    c = np.zeros(u.shape[:-2] + (u.shape[-1], u.shape[-1]))
    vote = np.empty_like(c)
    for k in range(u.shape[-2]):
        np.subtract(u[..., k, :, None], u[..., k, None, :], out=vote)
        np.multiply(w[..., k, None, None], vote, out=vote)
        np.maximum(vote, 0.0, out=vote)
        c += vote
    c += MIN_COALITION
    diag = np.einsum("...ii->...i", c)  # a writable view of the diagonal
    diag[...] = MIN_COALITION
    return c


def victory_probabilities(c: np.ndarray) -> np.ndarray:
    """Linear victory probabilities P[a, b] = C[a, b] / (C[a, b] + C[b, a]); ½ on the diagonal."""
    p = c / (c + np.swapaxes(c, -1, -2))
    np.einsum("...ii->...i", p)[...] = 0.5
    return p


def conditional_pce(pv: np.ndarray, options: np.ndarray | None = None) -> np.ndarray:
    """Conditional PCE: option a's probability ∝ Π_b P[a, b] (it beats every other option).
    `options` [..., M] (bool) restricts the election to some options (the others get 0)."""
    if options is None:
        p = np.prod(pv, axis=-1)
    else:
        p = np.where(options[..., None, :], pv, 1.0).prod(axis=-1) * options
    return p / p.sum(axis=-1, keepdims=True)


def scalar_pce(w: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Each option's probability of winning a conditional PCE among actors with strengths w."""
    return conditional_pce(victory_probabilities(coalitions(w, u)))


def infer_risk(distance: np.ndarray, capability: np.ndarray) -> np.ndarray:
    """Risk attitudes r_i on the Mid range: (3 p_i − (p_max + 2 p_min)) / (2 (p_max − p_min)),
    p the PCE probabilities of the actors' positions under risk-neutral utilities 1 − d."""
    p = scalar_pce(capability, utility(distance, np.zeros_like(distance)))
    lo, hi = p.min(axis=-1, keepdims=True), p.max(axis=-1, keepdims=True)
    spread = hi - lo
    flat = spread <= 0
    r = (3.0 * p - (hi + 2.0 * lo)) / (2.0 * np.where(flat, 1.0, spread))
    return np.where(flat, 0.0, r)


def same_option(x: np.ndarray, tol: float = POSITION_TOL) -> np.ndarray:
    """option[..., i]: the first actor whose position is within `tol` of i's (Euclidean, 0..1),
    following the chain (i's first close predecessor's option); i itself when none is close."""
    n = x.shape[-2]
    order = np.arange(n)
    near = np.sqrt(((x[..., :, None, :] - x[..., None, :, :]) ** 2).sum(axis=-1)) < tol
    near &= order[None, :] < order[:, None]  # only earlier actors
    option = np.where(near.any(axis=-1), near.argmax(axis=-1), order)
    while True:  # pointer jumping: each step halves the longest chain
        nxt = np.take_along_axis(option, option, axis=-1)
        if np.array_equal(nxt, option):
            return option
        option = nxt


def win_probabilities(x: np.ndarray, sal: np.ndarray, cap: np.ndarray,
                      tol: float = POSITION_TOL) -> tuple[np.ndarray, np.ndarray]:
    """Each actor's position's probability of winning (KTAB's reported probabilities): a
    conditional PCE over the distinct positions (closer than `tol`: one option), every actor
    voting its capability with its own risk-aware utilities; actors who share a position share
    its probability, so the values sum to 1 over distinct positions, not over actors.
    x, sal [..., N, K], cap [..., N]. Returns (probability of each actor's position, its share:
    the probability divided by the number of actors there, which sums to 1), each [..., N]."""
    dist = vector_distance(x, sal)
    r = infer_risk(dist, cap)
    option = same_option(x, tol)
    distinct = option == np.arange(cap.shape[-1])
    pv = victory_probabilities(coalitions(cap, utility(dist, r[..., :, None])))
    p = conditional_pce(pv, distinct)
    per_actor = np.take_along_axis(p, option, axis=-1)
    count = (option[..., :, None] == option[..., None, :]).sum(axis=-1)
    return per_actor, per_actor / count


def first_best(values: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Index of the first allowed entry within TIE of the best along the last axis."""
    best = np.where(allowed, values, -np.inf)
    top = best.max(axis=-1, keepdims=True)
    return np.argmax(allowed & (best >= top - TIE), axis=-1)


def challenges(x: np.ndarray, sal: np.ndarray, dist: np.ndarray, r: np.ndarray,
               cap: np.ndarray, block: int | None = None) -> dict[str, np.ndarray]:
    """Every actor's best challenge, for a batch [B] of states.

    Actor i's estimate of actor a's utility of c's position is U_i[a, c] = u(D[a, c], r_ia),
    r_ia = (2 r_i + r_a)/3 ("one third" adjustment). For i challenging each j, with weights
    capability × total salience: the principals vote their weight times their utility difference;
    each third party n weighs the little contest (i, j, n) with only the principals' strengths,
    then votes the difference between joining i and joining j, semi-committed (joining the winner
    it keeps its own position, joining the loser it adopts the winner's). Then i's expected
    utility of the challenge is (1 − s_j) 2u_ii + s_j (P 2u_ii + (1 − P) 2u_ij), compared with the
    status quo u_ii + u_ij. i challenges the target of highest gain (the first of equal gains)
    when that gain is above MIN_GAIN.

    The challengers are taken `block` at a time so that the arrays [B, block, N, N] stay within
    ``BLOCK_ELEMENTS`` (memory N² per batch member, not N³). Returns has[B, N] (i challenges),
    target[B, N], p[B, N] (i's estimate that it beats its target), gain[B, N].
    """
    bsz, n = cap.shape
    total = sal.sum(axis=-1)
    weight = cap * total
    if block is None:
        block = max(1, BLOCK_ELEMENTS // max(1, bsz * n * n))
    out = {"has": np.zeros((bsz, n), bool), "target": np.zeros((bsz, n), int),
           "p": np.zeros((bsz, n)), "gain": np.zeros((bsz, n))}
    cols = np.arange(n)
    for lo in range(0, n, block):
        idx = np.arange(lo, min(n, lo + block))
        m = np.arange(len(idx))
        r_ia = (2.0 * r[:, idx, None] + r[:, None, :]) / 3.0  # [B, I, a]
        u = utility(dist[:, None, :, :], r_ia[:, :, :, None])  # [B, I, a, c]
        u_ii = u[:, m, idx, idx]  # [B, I]
        u_row = u[:, m, idx, :]  # [B, I, j]: u_i[i, j]
        u_col = np.moveaxis(u[:, m, :, idx], 0, 1)  # [B, I, n]: u_i[n, i]
        u_diag = np.einsum("...ii->...i", u)  # [B, I, n]: u_i[n, n]
        w_i = weight[:, idx]
        v_i = w_i[:, :, None] * (u_ii[:, :, None] - u_row)  # [B, I, j]
        v_j = weight[:, None, :] * (u_col - u_diag)  # [B, I, j]: j's own vote
        base_ij = MIN_CONTRIBUTION + np.maximum(v_i, 0.0) + np.maximum(v_j, 0.0)
        base_ji = MIN_CONTRIBUTION + np.maximum(-v_i, 0.0) + np.maximum(-v_j, 0.0)
        u_ni = u_col[:, :, None, :]  # [B, I, 1, n]
        u_nj = np.swapaxes(u, -1, -2)  # [B, I, j, n]: u_i[n, j]
        u_nn = u_diag[:, :, None, :]
        w_n = weight[:, None, None, :]
        v_n = w_n * (u_ni - u_nj)
        a = base_ij[..., None] + np.maximum(v_n, 0.0)
        b = base_ji[..., None] + np.maximum(-v_n, 0.0)
        p_in = a / (a + b)
        join_i = p_in * (2 * u_ni + u_nn) + (1 - p_in) * (3 * u_nj)
        join_j = p_in * (3 * u_ni) + (1 - p_in) * (2 * u_nj + u_nn)
        v = w_n * (join_i - join_j)
        third = (cols[None, :] != idx[:, None])[:, None, :] & (cols[:, None] != cols[None, :])
        c_ij = base_ij + np.where(third, np.maximum(v, 0.0), 0.0).sum(axis=-1)
        c_ji = base_ji + np.where(third, np.maximum(-v, 0.0), 0.0).sum(axis=-1)
        p = c_ij / (c_ij + c_ji)
        sq = u_ii[:, :, None] + u_row
        win = 2 * u_ii[:, :, None]
        contest = p * win + (1 - p) * 2 * u_row
        gain = (1 - total[:, None, :]) * win + total[:, None, :] * contest - sq
        ok = (gain > MIN_GAIN) & (cols[None, :] != idx[:, None])
        j = first_best(gain, ok)
        out["has"][:, idx] = ok.any(axis=-1)
        out["target"][:, idx] = j
        out["p"][:, idx] = np.take_along_axis(p, j[..., None], axis=-1)[..., 0]
        out["gain"][:, idx] = np.take_along_axis(gain, j[..., None], axis=-1)[..., 0]
    return out


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
    """One SMP turn on a batch of states: positions x [B, N, K] (0..1), saliences sal [B, N, K]
    (0..1, rows summing to at most 1), capabilities cap [B, N]. Returns the new positions and
    what happened (risk attitudes and the challenges, arrays [B, N]; `chosen`: the place in
    each actor's queue of the bargain it adopted, 0 = its status quo).

    Actor k's queue is its status quo, then the bargains of the challenges it made or received,
    in the challengers' order. A bargain's value to voter h is h's utility of the state where
    both principals took it, averaged over the N positions; so the options of every queue are
    among N + 1 (the status quo, the bargain of each challenger), whose pairwise coalitions are
    computed once; each queue's conditional PCE keeps its own options."""
    bsz, n, _ = x.shape
    dist = vector_distance(x, sal)
    r = infer_risk(dist, cap)
    ch = challenges(x, sal, dist, r, cap)
    rows = np.arange(bsz)[:, None]
    tgt = ch["target"]
    b_i, b_j = interpolate_bargain(x, sal, ch["p"][..., None], x[rows, tgt], sal[rows, tgt],
                                   1.0 - ch["p"][..., None])
    own = utility(dist, ((2.0 * r + r) / 3.0)[..., None])  # [B, h, c]: h's utility of c's position
    total = own.sum(axis=-1)  # [B, h]: the status quo, everyone where they are
    chal = np.arange(n)
    value = np.empty((bsz, n, n + 1))  # [B, h, option]
    value[:, :, 0] = total / n
    value[:, :, 1:] = (total[:, :, None] - own - np.take_along_axis(own, tgt[:, None, :], axis=-1)
                       + position_utilities(x, sal, r, b_i)
                       + position_utilities(x, sal, r, b_j)) / n
    pv = victory_probabilities(coalitions(cap, value))  # [B, option, option]
    # queue[B, k, option]: the status quo, and challenger i's bargain for i and its target
    queue = np.zeros((bsz, n, n + 1), bool)
    queue[:, :, 0] = True
    queue[:, :, 1:] = ch["has"][:, None, :] & ((chal[:, None] == chal[None, :])[None]
                                               | (tgt[:, None, :] == chal[None, :, None]))
    choice = np.empty((bsz, n), int)
    per = max(1, BLOCK_ELEMENTS // max(1, bsz * (n + 1) ** 2))
    for lo in range(0, n, per):
        q = queue[:, lo:lo + per]
        p = conditional_pce(pv[:, None], q)  # [B, k, option]
        choice[:, lo:lo + per] = first_best(p, q)
    new = x.copy()
    moved = choice > 0
    bb, kk = np.nonzero(moved)
    ii = choice[bb, kk] - 1
    new[bb, kk] = np.where((ii == kk)[:, None], b_i[bb, ii], b_j[bb, ii])
    place = np.take_along_axis(np.cumsum(queue, axis=-1), choice[..., None], axis=-1)[..., 0] - 1
    return new, {"risk": r, "challenged": ch["has"], "target": tgt, "p": ch["p"],
                 "gain": ch["gain"], "chosen": place}


def run_turns(x0: np.ndarray, sal: np.ndarray, cap: np.ndarray, max_turns: int = 100,
              min_turns: int = 2, min_ratio: float = 0.02, min_delta: float = 1e-4,
              converge: bool = True, tol: float = TOL, details: bool = True) -> dict[str, Any]:
    """Turns on a batch of B scenarios (x0, sal [B, N, K] on 0..1, cap [B, N]) until each one's
    stopping rule holds; stopped scenarios are masked out and the rest continue.

    With `converge` (the default) a scenario stops after at least `min_turns` turns when a turn's
    total move Σ_i ‖x_i(t) − x_i(t−1)‖ is below `min_ratio` × (the first turn's + `min_delta`)
    (KTAB's rule), or when no position has moved more than `tol` (the scales are 0..1) in two
    consecutive turns; at most `max_turns`. Without, every scenario runs `max_turns` turns.

    Returns path [B, T+1, N, K], win probabilities and shares [B, T+1, N] (see
    :func:`win_probabilities`; after its last turn a scenario repeats its final state), turns [B]
    (how many it ran), stopped [B] (a rule stopped it before the cap), risk [B, N] (the last
    turn's attitudes) and, with `details`, per turn the challenges ([B, N] arrays and the
    scenarios active in that turn)."""
    bsz, n, _ = x0.shape
    x = x0.astype(float).copy()
    path, probs, shares = [x.copy()], *[[a] for a in win_probabilities(x, sal, cap)]
    turns = np.zeros(bsz, int)
    stopped = np.zeros(bsz, bool)
    first = np.zeros(bsz)
    still = np.zeros(bsz, int)  # consecutive turns without a move above tol
    risk = np.zeros((bsz, n))
    log = []
    active = np.arange(bsz)
    for t in range(1, max_turns + 1):
        if not len(active):
            break
        xa, sa, ca = x[active], sal[active], cap[active]
        new, detail = turn(xa, sa, ca)
        step = np.linalg.norm(new - xa, axis=-1).sum(axis=-1)
        if t == 1:
            first[active] = step + min_delta
        still[active] = np.where(np.abs(new - xa).max(axis=(1, 2)) <= tol, still[active] + 1, 0)
        x[active] = new
        turns[active] = t
        risk[active] = detail["risk"]
        p, s = win_probabilities(new, sa, ca)
        prob, share = probs[-1].copy(), shares[-1].copy()
        prob[active], share[active] = p, s
        path.append(x.copy())
        probs.append(prob)
        shares.append(share)
        if details:
            log.append({"active": active} | {k: detail[k] for k in
                                             ("risk", "challenged", "target", "p", "gain", "chosen")})
        if converge:
            done = (t >= min_turns) & ((step / first[active] < min_ratio) | (still[active] >= 2))
            stopped[active[done]] = True
            active = active[~done]
    return {"path": np.stack(path, axis=1), "probs": np.stack(probs, axis=1),
            "shares": np.stack(shares, axis=1), "turns": turns, "stopped": stopped, "risk": risk,
            "log": log}


def run_smp(x0: np.ndarray, sal: np.ndarray, cap: np.ndarray, max_turns: int = 100,
            min_turns: int = 2, min_ratio: float = 0.02, min_delta: float = 1e-4,
            converge: bool = True, tol: float = TOL):
    """One scenario (x0, sal [N, K], cap [N]) through :func:`run_turns`. Returns positions
    [T+1, N, K], win probabilities and shares [T+1, N] and per turn what happened: the risk
    attitudes, the challenges made [{"i", "j", "p", "gain"}] and each actor's chosen queue place
    (0: its status quo)."""
    out = run_turns(x0[None], sal[None], cap[None], max_turns, min_turns, min_ratio, min_delta,
                    converge, tol)
    t = int(out["turns"][0])
    return (out["path"][0, :t + 1], out["probs"][0, :t + 1], out["shares"][0, :t + 1],
            [{"risk": d["risk"][0], "challenges": challenge_list(d, 0), "chosen": d["chosen"][0]}
             for d in out["log"][:t]])


def challenge_list(detail: dict[str, np.ndarray], row: int) -> list[dict[str, Any]]:
    """The challenges of one scenario in one turn (`row`: its place among the active ones):
    [{"i", "j", "p", "gain"}] in the challengers' order."""
    made = np.flatnonzero(detail["challenged"][row])
    return [{"i": int(i), "j": int(detail["target"][row, i]), "p": float(detail["p"][row, i]),
             "gain": float(detail["gain"][row, i])} for i in made]


@register
class SpatialModelOfPolitics(Model):
    """KTAB's SMP with KTAB's default settings, on every scenario of a batch at once (the turns
    are sequential; a scenario whose run has stopped is masked out while the others go on)."""

    name = "smp"
    title = "Spatial Model of Politics (KTAB)"
    params = {
        "max_turns": Param(int, 100, "the most turns to run", low=1),
        "min_turns": Param(int, 2, "the fewest turns before the run may stop", low=1),
        "min_ratio": Param(float, 0.02, "stop once a turn's total move is below this share of the "
                           "first turn's", low=0),
        "converge": Param(bool, True, "stop each draw by the stopping rules (min_ratio, or no "
                          "position moving more than tol × the issue's range in two consecutive "
                          "turns); false: every draw runs max_turns turns"),
        "tol": Param(float, TOL, "a move of at most tol × the issue's range counts as none",
                     low=0),
    }

    def __init__(self, max_turns: int = 100, min_turns: int = 2, min_ratio: float = 0.02,
                 converge: bool = True, tol: float = TOL) -> None:
        self.max_turns = int(max_turns)
        self.min_turns = int(min_turns)
        self.min_ratio = float(min_ratio)
        self.converge = bool(converge)
        self.tol = float(tol)

    def forecast(self, scenario):
        with labelled():
            return super().forecast(scenario)

    def predict(self, batch: Batch, labels: bool | None = None) -> Prediction:
        """`labels` (default: inside a forecast) adds detail["turns"], each turn's challenges
        with actor ids."""
        bsz, n, k = batch.shape
        span = batch.high - batch.low
        x0 = (batch.positions - batch.low) / span
        sal = batch.salience
        total = sal.sum(axis=-1, keepdims=True)
        # KTAB needs each actor's saliences to sum to at most 1 (its share of attention)
        sal = np.where(total > 1.0, sal / np.where(total > 0, total, 1.0), sal)
        out = run_turns(x0, sal, batch.capability.astype(float), self.max_turns, self.min_turns,
                        self.min_ratio, converge=self.converge, tol=self.tol,
                        details=wanted(labels))
        path = out["path"]
        mean = np.einsum("btn,btnk->btk", out["shares"], path)  # each state's expected outcome
        trajectory = batch.low + mean * span
        turns = out["turns"]
        detail: dict[str, Any] = {"risk": out["risk"], "win_probabilities": out["probs"]}
        if out["log"]:
            ids = batch.actor_ids
            moves = np.empty(bsz, dtype=object)
            for b in range(bsz):
                moves[b] = []
            for t, d in enumerate(out["log"], start=1):
                for row, b in enumerate(d["active"]):
                    moves[b].append({"turn": t, "challenges": [
                        {"i": ids[c["i"]], "j": ids[c["j"]], "p_i_wins": c["p"],
                         "expected_gain": c["gain"]} for c in challenge_list(d, row)]})
            detail["turns"] = moves
        return Prediction(
            values=trajectory[:, -1], trajectory=trajectory,
            positions_path=batch.low + path * span,
            converged=np.broadcast_to(out["stopped"][:, None], (bsz, k)).copy(),
            rounds=np.broadcast_to(turns[:, None], (bsz, k)).copy(), detail=detail)
