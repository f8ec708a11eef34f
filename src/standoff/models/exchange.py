"""The exchange model: actors trade support across pairs of issues (vote trading).

Stokman & Van Oosten (1994), "The exchange of voting positions", in Bueno de Mesquita & Stokman
(eds.), *European Community Decision Making*, Yale UP, pp. 105-127; the "equal gain" variant of
the Decide software (Stokman, Van Oosten, Dijkstra et al.). Equations in docs/models/exchange.md.

Steps of one round (each a function below):

1. `expected_outcome`: on every issue the capability × salience weighted mean of the positions,
   O_k = Σ_i c_i s_ik x_ik / W_k with W_k = Σ_i c_i s_ik.
2. `candidate_pairs` and `orient`: a pair of actors can trade on issues (p, q) when they are on
   opposite sides of O on both issues and their relative saliences differ; actor i, who cares
   relatively more about p (s_ip/s_iq > s_jp/s_jq), *demands* p and *supplies* q.
3. `equal_gain_shifts`: j moves towards i on p and i towards j on q, so that both gain the same
   utility (utility is salience × the shift of the outcome towards the actor):
   δ_q = r·δ_p with r = (s_ip + s_jp)/(s_iq + s_jq); δ_p as large as allowed, i.e. no actor
   moves past its partner's position and no outcome moves past the demanding actor's position;
   the gain of each is G = δ_p (s_ip s_jq − s_iq s_jp)/(s_iq + s_jq).
4. `run_round`: execute the exchange of highest gain, recompute the others with the new
   positions, drop those no longer profitable, repeat until none is left. As in Decide,
   demanders pull towards their round-start positions (their preferences), the outcome that
   caps a shift is the one the demander sees (the round-start outcome plus the moves made in
   its favour and the mover's own), and suppliers never reverse within a round.
5. Between rounds actors keep part of their move (Decide's rule):
   x' = x + ((1 − s)·salience_weight + fixed_weight)·(y − x), y the voting position.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from standoff.models.base import Batch, Model, Prediction, register
from standoff.models.labels import labelled, wanted
from standoff.models.params import Param


def expected_outcome(positions: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """O[B, K] = Σ_n w x / Σ_n w over actors, from positions and weights [B, N, K]."""
    return np.einsum("bnk,bnk->bk", positions, weights) / weights.sum(axis=1)


def candidate_pairs(n: int, k: int) -> tuple[np.ndarray, ...]:
    """Every (a, b, p, q) with actors a < b and issues p < q; issue pairs outer, actors inner."""
    a, b = np.triu_indices(n, 1)
    p, q = np.triu_indices(k, 1)
    return (np.tile(a, len(p)), np.tile(b, len(p)), np.repeat(p, len(a)), np.repeat(q, len(a)))


def orient(salience: np.ndarray, cand: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray,
                                                                         np.ndarray]:
    """(i, j, differs)[B, C]: i demands issue p (s_ip·s_jq > s_jp·s_iq), j demands q."""
    a, b, p, q = cand
    cross = salience[:, a, p] * salience[:, b, q] - salience[:, b, p] * salience[:, a, q]
    i = np.where(cross > 0, a, b)
    j = np.where(cross > 0, b, a)
    return i, j, cross != 0


def feasible(positions: np.ndarray, salience: np.ndarray, capability: np.ndarray,
             outcome: np.ndarray, cand: tuple[np.ndarray, ...], differs: np.ndarray) -> np.ndarray:
    """[B, C]: the pair is on strictly opposite sides of O on both issues, cares about both, and
    has capability; and the relative saliences differ."""
    a, b, p, q = cand
    side = np.sign(positions - outcome[:, None, :])
    ok = differs & (side[:, a, p] * side[:, b, p] < 0) & (side[:, a, q] * side[:, b, q] < 0)
    ok &= (salience[:, a, p] > 0) & (salience[:, a, q] > 0)
    ok &= (salience[:, b, p] > 0) & (salience[:, b, q] > 0)
    ok &= (capability[:, a] > 0) & (capability[:, b] > 0)
    return ok


def equal_gain_shifts(x_ip, x_jp, x_iq, x_jq, s_ip, s_jp, s_iq, s_jq, w_jp, w_iq,
                      o_p, o_q, big_w_p, big_w_q):
    """(δ_p, δ_q, gain) of the equal-gain exchange, element-wise.

    w_jp = c_j s_jp and w_iq = c_i s_iq are the movers' weights, big_w the issue totals, o the
    current outcomes. The outcome on p moves δ_p towards x_ip, on q δ_q towards x_jq.
    """
    dir_p = np.sign(x_ip - x_jp)
    dir_q = np.sign(x_jq - x_iq)
    cap_p = np.minimum(np.abs(x_ip - x_jp) * w_jp / big_w_p, np.maximum(0.0, (x_ip - o_p) * dir_p))
    cap_q = np.minimum(np.abs(x_jq - x_iq) * w_iq / big_w_q, np.maximum(0.0, (x_jq - o_q) * dir_q))
    r = (s_ip + s_jp) / (s_iq + s_jq)
    d_p = np.minimum(cap_p, cap_q / r)
    d_q = r * d_p
    gain = d_p * (s_ip * s_jq - s_iq * s_jp) / (s_iq + s_jq)
    return d_p, d_q, gain


def run_round(positions: np.ndarray, salience: np.ndarray, capability: np.ndarray,
              cand: tuple[np.ndarray, ...], tol: float, record: bool = True
              ) -> tuple[np.ndarray, np.ndarray, list[list[dict]] | None]:
    """One round of exchanges on every scenario of the batch; returns the voting positions
    [B, N, K], the number of exchanges made in each scenario [B] and, with `record`, per scenario
    the exchanges made (indices; labelled by the caller; None without `record`).

    Within the round, as in Decide:

    - preferences stay where the round started: a demander pulls towards its round-start
      position x⁰, while suppliers move their current voting positions;
    - the outcome that caps an exchange on issue p, as demander i sees it, is the round-start
      outcome plus the shifts already made in i's favour on p and the mover's own earlier moves:
      O_p = O⁰_p + Σ_{s gave way to i on p, s ≠ j} w_sp (x_sp − x⁰_sp)/W_p
      + w_jp (x_jp − x⁰_jp)/W_p;
    - a supplier never reverses: it moves only towards the other side of O⁰.

    The feasible candidates of all scenarios are kept as one flat list (scenario, candidate,
    i, j, p, q); each step drops those no longer profitable or allowed and executes, in every
    scenario at once, its candidate of highest gain (ties: the lowest candidate index). Only the
    candidates that share a mover's position or a demander's received shifts with an exchange
    just made are evaluated again; the others' gains have not changed.
    """
    x0 = positions.copy()
    x = positions.copy()
    bsz, n_act, n_iss = x.shape
    weights = capability[:, :, None] * salience
    big_w = weights.sum(axis=1)  # [B, K]: positions move, weights do not
    o0 = expected_outcome(x0, weights)
    # given[b, d, k, s]: the outcome shift on k that supplier s has made in favour of demander d
    given = np.zeros((bsz, n_act, n_iss, n_act))
    given_rows = given.reshape(-1, n_act)  # [(b, d, k), s]
    given_flat = given.reshape(-1)
    xf = x.reshape(-1)
    i, j, differs = orient(salience, cand)
    ok = feasible(x0, salience, capability, o0, cand, differs)
    bb, cc = np.nonzero(ok)
    ii, jj = i[bb, cc], j[bb, cc]
    pp, qq = cand[2][cc], cand[3][cc]
    # each feasible candidate's cells as flat indices into [B, N, K] (and [B, K]), and what stays
    # fixed within the round; the candidates still in play are `live` (indices into these)
    f_ip, f_jp = (bb * n_act + ii) * n_iss + pp, (bb * n_act + jj) * n_iss + pp
    f_iq, f_jq = (bb * n_act + ii) * n_iss + qq, (bb * n_act + jj) * n_iss + qq
    f_bp, f_bq = bb * n_iss + pp, bb * n_iss + qq
    x0f, sf, wf = x0.reshape(-1), salience.reshape(-1), weights.reshape(-1)
    x0_ip, x0_jp, x0_iq, x0_jq = x0f[f_ip], x0f[f_jp], x0f[f_iq], x0f[f_jq]
    s_ip, s_jp, s_iq, s_jq = sf[f_ip], sf[f_jp], sf[f_iq], sf[f_jq]
    w_jp_all, w_iq_all = wf[f_jp], wf[f_iq]
    o0_p, o0_q = o0.reshape(-1)[f_bp], o0.reshape(-1)[f_bq]
    big_p, big_q = big_w.reshape(-1)[f_bp], big_w.reshape(-1)[f_bq]
    toward_p, toward_q = np.sign(o0_p - x0_jp), np.sign(o0_q - x0_iq)
    made: list[list[dict]] | None = [[] for _ in range(bsz)] if record else None
    count = np.zeros(bsz, int)
    step = 0
    moved = np.zeros(x.size, bool)  # per step: the cells whose position changed
    shifted = np.zeros(x.size, bool)  # per step: the cells (demander, issue) given a shift

    def evaluate(c):
        """(δ_p, δ_q, gain, allowed) of the candidates `c` with the current positions."""
        w_jp, w_iq = w_jp_all[c], w_iq_all[c]
        e_ip, e_jq = f_ip[c], f_jq[c]
        x_jp, x_iq = xf[f_jp[c]], xf[f_iq[c]]
        o_p = (o0_p[c] + given_rows[e_ip].sum(axis=-1) - given_flat[e_ip * n_act + jj[c]]
               + w_jp * (x_jp - x0_jp[c]) / big_p[c])
        o_q = (o0_q[c] + given_rows[e_jq].sum(axis=-1) - given_flat[e_jq * n_act + ii[c]]
               + w_iq * (x_iq - x0_iq[c]) / big_q[c])
        a_ip, a_jq = x0_ip[c], x0_jq[c]
        with np.errstate(divide="ignore", invalid="ignore"):  # inactive pairs may divide by 0
            d_p, d_q, gain = equal_gain_shifts(
                a_ip, x_jp, x_iq, a_jq, s_ip[c], s_jp[c], s_iq[c], s_jq[c], w_jp, w_iq, o_p, o_q,
                big_p[c], big_q[c])
        forward_p = np.sign(a_ip - x_jp) == toward_p[c]
        forward_q = np.sign(a_jq - x_iq) == toward_q[c]
        return d_p, d_q, gain, (gain > tol) & forward_p & forward_q

    # a candidate's gain depends only on the positions of its two movers (j on p, i on q) and on
    # the shifts given to its two demanders (i on p, j on q): after each step only the candidates
    # that share one of those with the exchange made are evaluated again (the others would give
    # the same numbers)
    live = np.arange(len(bb))
    d_p, d_q, gain, allowed = evaluate(live)
    while len(live):
        live, d_p, d_q, gain = live[allowed], d_p[allowed], d_q[allowed], gain[allowed]
        if not len(live):
            break
        step += 1
        # the best of each scenario (live stays sorted by scenario, then candidate index): the
        # highest gain, of equal gains the lowest candidate index
        if bsz == 1:
            first = np.array([np.argmax(gain)])
        else:
            bl = bb[live]
            new_b = np.empty(len(bl), bool)
            new_b[0] = True
            np.not_equal(bl[1:], bl[:-1], out=new_b[1:])
            starts = np.flatnonzero(new_b)
            top = np.maximum.reduceat(gain, starts)
            best = np.flatnonzero(gain == np.repeat(top, np.diff(starts, append=len(bl))))
            bb_best = bl[best]
            keep_first = np.empty(len(best), bool)
            keep_first[0] = True
            np.not_equal(bb_best[1:], bb_best[:-1], out=keep_first[1:])
            first = best[keep_first]
        c1 = live[first]
        b, i1, j1, p1, q1 = bb[c1], ii[c1], jj[c1], pp[c1], qq[c1]
        m_jp, m_iq = f_jp[c1], f_iq[c1]
        dir_p = np.sign(x0_ip[c1] - xf[m_jp])
        dir_q = np.sign(x0_jq[c1] - xf[m_iq])
        move_j = d_p[first] * big_p[c1] / w_jp_all[c1] * dir_p
        move_i = d_q[first] * big_q[c1] / w_iq_all[c1] * dir_q
        count[b] += 1
        for m, bm in enumerate(b if made is not None else ()):
            made[bm].append({"step": step, "i": int(i1[m]), "j": int(j1[m]), "p": int(p1[m]),
                             "q": int(q1[m]), "j_from": float(xf[m_jp[m]]),
                             "j_to": float(xf[m_jp[m]] + move_j[m]),
                             "i_from": float(xf[m_iq[m]]),
                             "i_to": float(xf[m_iq[m]] + move_i[m]),
                             "shift_p": float(dir_p[m] * d_p[first][m]),
                             "shift_q": float(dir_q[m] * d_q[first][m]),
                             "gain": float(gain[first][m])})
        xf[m_jp] += move_j  # one exchange per scenario: the indices never collide
        xf[m_iq] += move_i
        given_flat[f_ip[c1] * n_act + j1] = w_jp_all[c1] * (xf[m_jp] - x0_jp[c1]) / big_p[c1]
        given_flat[f_jq[c1] * n_act + i1] = w_iq_all[c1] * (xf[m_iq] - x0_iq[c1]) / big_q[c1]
        rest = np.ones(len(live), bool)
        rest[first] = False
        live, d_p, d_q, gain = live[rest], d_p[rest], d_q[rest], gain[rest]
        # positions moved: j1 on p1, i1 on q1; shifts given to i1 on p1, j1 on q1 (all of the
        # scenario's own cells, so the flat index names the scenario too)
        moved[m_jp] = moved[m_iq] = True
        shifted[f_ip[c1]] = shifted[f_jq[c1]] = True
        dirty = moved[f_jp[live]] | moved[f_iq[live]] | shifted[f_ip[live]] | shifted[f_jq[live]]
        moved[m_jp] = moved[m_iq] = False
        shifted[f_ip[c1]] = shifted[f_jq[c1]] = False
        allowed = np.ones(len(live), bool)
        sel = np.flatnonzero(dirty)
        if len(sel):
            d_p[sel], d_q[sel], gain[sel], allowed[sel] = evaluate(live[sel])
    return x, count, made


@register
class Exchange(Model):
    """Stokman & Van Oosten's exchange model, Decide's equal-gain variant, over all issues."""

    name = "exchange"
    title = "Exchange model (equal gain, Stokman & Van Oosten)"
    params = {
        "rounds": Param(int, 10, "the most rounds of exchanges", low=1),
        "salience_weight": Param(float, 0.4, "the part of the step toward the voting position that "
                                 "shrinks with salience (× (1 − s))", low=0, high=1),
        "fixed_weight": Param(float, 0.1, "the part of that step every actor takes", low=0, high=1),
        "tol": Param(float, 1e-10, "a gain of this or less counts as none"),
        "converge": Param(bool, True, "stop a draw once no position has moved more than "
                          "converge_tol × the issue's range in two consecutive rounds; false: "
                          "only a round without exchanges stops it"),
        "converge_tol": Param(float, 1e-6, "a move of at most this share of the issue's range "
                              "counts as none", low=0, advanced=True),
    }

    def __init__(self, rounds: int = 10, salience_weight: float = 0.4, fixed_weight: float = 0.1,
                 tol: float = 1e-10, converge: bool = True, converge_tol: float = 1e-6) -> None:
        if salience_weight + fixed_weight > 1:
            raise ValueError("salience_weight and fixed_weight must be ≥ 0 with a sum ≤ 1")
        self.rounds = int(rounds)
        self.salience_weight = float(salience_weight)
        self.fixed_weight = float(fixed_weight)
        self.tol = float(tol)
        self.converge = bool(converge)
        self.converge_tol = float(converge_tol)

    def forecast(self, scenario):
        with labelled():
            return super().forecast(scenario)

    def predict(self, batch: Batch, labels: bool | None = None) -> Prediction:
        """`labels` (default: inside a forecast) fills detail["exchanges"] with every exchange made,
        labelled with actor and issue ids; without, it holds empty lists (Monte Carlo batches keep
        only the numbers)."""
        bsz, n, k = batch.shape
        record = wanted(labels)
        sal, cap = batch.salience, batch.capability
        weights = cap[:, :, None] * sal
        cand = candidate_pairs(n, k)
        start = batch.positions.astype(float).copy()
        path = [start.copy()]
        traj = [expected_outcome(start, weights)]
        exchanges: list[list[dict[str, Any]]] = [[] for _ in range(bsz)]
        done = np.zeros(bsz, bool)
        rounds = np.zeros(bsz, int)
        still = np.zeros(bsz, int)  # consecutive rounds without a move above converge_tol
        limit = self.converge_tol * (batch.high - batch.low)  # [K]
        keep = (1.0 - sal) * self.salience_weight + self.fixed_weight
        for t in range(1, self.rounds + 1):
            todo = np.flatnonzero(~done)
            if k < 2 or not len(todo):
                break
            y, count, made = run_round(start[todo], sal[todo], cap[todo], cand, self.tol, record)
            rounds[todo[count > 0]] = t
            done[todo[count == 0]] = True
            if made is not None:
                for m, b in enumerate(todo):
                    exchanges[b] += [self._label(e, t, batch) for e in made[m]]
            before = start[todo]
            start[todo] = before + keep[todo] * (y - before)
            if self.converge:
                moved = (np.abs(start[todo] - before) > limit).any(axis=(1, 2))
                still[todo] = np.where(moved, 0, still[todo] + 1)
                done[todo[still[todo] >= 2]] = True
            path.append(start.copy())
            traj.append(expected_outcome(start, weights))
            if done.all():
                break
        if k < 2:
            done[:] = True
        trajectory = np.stack(traj, axis=1)
        detail_ex = np.empty(bsz, dtype=object)
        for b in range(bsz):
            detail_ex[b] = exchanges[b]
        conv = np.broadcast_to(done[:, None], (bsz, k)).copy()
        return Prediction(values=trajectory[:, -1], trajectory=trajectory,
                          positions_path=np.stack(path, axis=1), converged=conv,
                          rounds=np.broadcast_to(rounds[:, None], (bsz, k)).copy(),
                          detail={"exchanges": detail_ex})

    @staticmethod
    def _label(e: dict[str, Any], round_: int, batch: Batch) -> dict[str, Any]:
        """An exchange with ids: i gets issue p (j moves on it), j gets issue q (i moves)."""
        a, iss = batch.actor_ids, batch.issue_ids
        return {"round": round_, "step": e["step"], "i": a[e["i"]], "j": a[e["j"]],
                "i_gets": iss[e["p"]], "j_gets": iss[e["q"]],
                "j_moves": [e["j_from"], e["j_to"]], "i_moves": [e["i_from"], e["i_to"]],
                "outcome_shift": {iss[e["p"]]: e["shift_p"], iss[e["q"]]: e["shift_q"]},
                "gain": e["gain"]}
