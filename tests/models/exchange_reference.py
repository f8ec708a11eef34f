"""One round of the exchange model as written before each step indexed flat arrays of the
candidates' cells (`reference_run_round`, the body of `standoff.models.exchange.run_round` then).
The oracle for tests/models/test_exchange_round.py."""

from __future__ import annotations

import numpy as np

from standoff.models.exchange import equal_gain_shifts, expected_outcome, feasible, orient


def reference_run_round(positions: np.ndarray, salience: np.ndarray, capability: np.ndarray,
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
    i, j, differs = orient(salience, cand)
    ok = feasible(x0, salience, capability, o0, cand, differs)
    bb, cc = np.nonzero(ok)
    ii, jj = i[bb, cc], j[bb, cc]
    pp, qq = cand[2][cc], cand[3][cc]
    made: list[list[dict]] | None = [[] for _ in range(bsz)] if record else None
    count = np.zeros(bsz, int)
    step = 0

    def evaluate(sel):
        """(δ_p, δ_q, gain, allowed) of the candidates `sel` with the current positions."""
        b, i_, j_, p_, q_ = bb[sel], ii[sel], jj[sel], pp[sel], qq[sel]
        w_jp, w_iq = weights[b, j_, p_], weights[b, i_, q_]
        o_p = (o0[b, p_] + given[b, i_, p_].sum(axis=-1) - given[b, i_, p_, j_]
               + w_jp * (x[b, j_, p_] - x0[b, j_, p_]) / big_w[b, p_])
        o_q = (o0[b, q_] + given[b, j_, q_].sum(axis=-1) - given[b, j_, q_, i_]
               + w_iq * (x[b, i_, q_] - x0[b, i_, q_]) / big_w[b, q_])
        with np.errstate(divide="ignore", invalid="ignore"):  # inactive pairs may divide by 0
            d_p, d_q, gain = equal_gain_shifts(
                x0[b, i_, p_], x[b, j_, p_], x[b, i_, q_], x0[b, j_, q_],
                salience[b, i_, p_], salience[b, j_, p_], salience[b, i_, q_],
                salience[b, j_, q_], w_jp, w_iq, o_p, o_q, big_w[b, p_], big_w[b, q_])
        forward_p = np.sign(x0[b, i_, p_] - x[b, j_, p_]) == np.sign(o0[b, p_] - x0[b, j_, p_])
        forward_q = np.sign(x0[b, j_, q_] - x[b, i_, q_]) == np.sign(o0[b, q_] - x0[b, i_, q_])
        return d_p, d_q, gain, (gain > tol) & forward_p & forward_q

    # a candidate's gain depends only on the positions of its two movers (j on p, i on q) and on
    # the shifts given to its two demanders (i on p, j on q): after each step only the candidates
    # that share one of those with the exchange made are evaluated again (the others would give
    # the same numbers)
    d_p, d_q, gain, allowed = evaluate(slice(None))
    while len(bb):
        bb, cc, ii, jj, pp, qq = bb[allowed], cc[allowed], ii[allowed], jj[allowed], pp[allowed], \
            qq[allowed]
        d_p, d_q, gain = d_p[allowed], d_q[allowed], gain[allowed]
        if not len(bb):
            break
        step += 1
        # the best of each scenario (bb stays sorted, and cc within it): the highest gain, of
        # equal gains the lowest candidate index
        starts = np.flatnonzero(np.r_[True, bb[1:] != bb[:-1]])
        top = np.maximum.reduceat(gain, starts)
        best = np.flatnonzero(gain == np.repeat(top, np.diff(np.r_[starts, len(bb)])))
        first = best[np.r_[True, bb[best][1:] != bb[best][:-1]]]
        b, i1, j1, p1, q1 = bb[first], ii[first], jj[first], pp[first], qq[first]
        dir_p = np.sign(x0[b, i1, p1] - x[b, j1, p1])
        dir_q = np.sign(x0[b, j1, q1] - x[b, i1, q1])
        move_j = d_p[first] * big_w[b, p1] / weights[b, j1, p1] * dir_p
        move_i = d_q[first] * big_w[b, q1] / weights[b, i1, q1] * dir_q
        count[b] += 1
        for m, bm in enumerate(b if made is not None else ()):
            made[bm].append({"step": step, "i": int(i1[m]), "j": int(j1[m]), "p": int(p1[m]),
                             "q": int(q1[m]), "j_from": float(x[bm, j1[m], p1[m]]),
                             "j_to": float(x[bm, j1[m], p1[m]] + move_j[m]),
                             "i_from": float(x[bm, i1[m], q1[m]]),
                             "i_to": float(x[bm, i1[m], q1[m]] + move_i[m]),
                             "shift_p": float(dir_p[m] * d_p[first][m]),
                             "shift_q": float(dir_q[m] * d_q[first][m]),
                             "gain": float(gain[first][m])})
        x[b, j1, p1] += move_j  # one exchange per scenario: the indices never collide
        x[b, i1, q1] += move_i
        given[b, i1, p1, j1] = weights[b, j1, p1] * (x[b, j1, p1] - x0[b, j1, p1]) / big_w[b, p1]
        given[b, j1, q1, i1] = weights[b, i1, q1] * (x[b, i1, q1] - x0[b, i1, q1]) / big_w[b, q1]
        rest = np.ones(len(bb), bool)
        rest[first] = False
        bb, cc, ii, jj, pp, qq = bb[rest], cc[rest], ii[rest], jj[rest], pp[rest], qq[rest]
        d_p, d_q, gain = d_p[rest], d_q[rest], gain[rest]
        # the exchange made in each candidate's scenario (every scenario left made one)
        e_i, e_j, e_p, e_q = (np.empty(bsz, int) for _ in range(4))
        e_i[b], e_j[b], e_p[b], e_q[b] = i1, j1, p1, q1
        e_i, e_j, e_p, e_q = e_i[bb], e_j[bb], e_p[bb], e_q[bb]
        dirty = np.zeros(len(bb), bool)
        for actor, issue in ((e_j, e_p), (e_i, e_q)):  # positions moved: j1 on p1, i1 on q1
            dirty |= ((jj == actor) & (pp == issue)) | ((ii == actor) & (qq == issue))
        for actor, issue in ((e_i, e_p), (e_j, e_q)):  # shifts given to i1 on p1, j1 on q1
            dirty |= ((ii == actor) & (pp == issue)) | ((jj == actor) & (qq == issue))
        allowed = np.ones(len(bb), bool)
        sel = np.flatnonzero(dirty)
        if len(sel):
            d_p[sel], d_q[sel], gain[sel], allowed[sel] = evaluate(sel)
    return x, count, made
