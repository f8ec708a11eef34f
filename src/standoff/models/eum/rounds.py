"""The rounds of the expected utility model: each round is the fast sorted round where it applies,
else the steps one by one; the per-round outputs are written into arrays allocated once."""

from __future__ import annotations

from typing import Any

import numpy as np

from standoff.models.eum.blocks import blocked_round
from standoff.models.eum.fast import SMALL_N, Work, fast_round
from standoff.models.eum.steps import apply_offers, classify_dyads, select_offers, steps_round

ENGINES = ("auto", "steps")


def allocate_outputs(m: int, rounds: int, n: int, keep_dyads: bool) -> dict[str, np.ndarray]:
    """The arrays one run writes for M rows of N actors: positions [M, T+1, N], risk and accepted
    [M, T, N], rounds and converged [M], and with `keep_dyads` eu_sender, eu_receiver and offer
    [M, T, N, N]."""
    out = {"positions": np.empty((m, rounds + 1, n)), "risk": np.empty((m, rounds, n)),
           "accepted": np.empty((m, rounds, n), dtype=np.int64),
           "rounds": np.empty(m, dtype=np.int64), "converged": np.empty(m, dtype=bool)}
    if keep_dyads:
        out.update(eu_sender=np.empty((m, rounds, n, n)), eu_receiver=np.empty((m, rounds, n, n)),
                   offer=np.empty((m, rounds, n, n), dtype=np.int8))
    return out


def run_rounds(x: np.ndarray, c: np.ndarray, s: np.ndarray, *, perceived: np.ndarray | None = None,
               rounds: int = 10, tol: float = 0.0, converge_tol: float | None = None, q: float = 1.0,
               t: float | None = None, keep_dyads: bool = True, block_elements: int | None = None,
               engine: str = "auto", out: dict[str, np.ndarray] | None = None,
               work: Work | None = None, **opts: Any) -> dict[str, np.ndarray]:
    """Run the model on positions x[M, N], capability c[M, N], salience s[M, N] (0..1), and
    optionally perceived[M, N, N] (what i believes j's position is). Returns per-round arrays,
    written into `out` when given (arrays of the returned shapes, e.g. slices of a larger batch);
    `work` may pass scratch arrays kept from an earlier call.

    `block_elements`: where the rows of a round hold more dyads than this (and more than SMALL_N
    actors), the sorted round runs in blocks of senders of about this many dyads
    (:func:`standoff.models.eum.blocks.blocked_round`: the same results, bounded memory).

    A row stops (and counts as converged) after a round in which no actor moved more than tol × R
    (a fixed point when tol = 0: the rounds after it would repeat it), or, with `converge_tol`, once
    no actor moved more than converge_tol × R in each of two consecutive rounds. Stopped rows leave
    the batch (the rest run on); their positions stay where they stopped and their per-round
    arrays keep NaN (or −1) for the rounds not run. A negative tol runs every round.

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
    if engine not in ENGINES:
        raise ValueError(f"engine must be 'auto' or 'steps', not {engine!r}")
    if out is None:
        out = allocate_outputs(m, rounds, n, keep_dyads)
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
    ws = Work() if work is None else work
    active = rng0 > 0
    converged = out["converged"]
    converged[:] = ~active
    done = out["rounds"]
    done.fill(0)
    calm = np.zeros(m, dtype=bool)  # the row's last round moved no actor more than converge_tol × R
    settle = -1.0 if converge_tol is None or tol < 0 else float(converge_tol)
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
        big = block_elements is not None and n > SMALL_N and n * n * idx.size > block_elements
        if fast and big:
            new, chosen, r, dyad = blocked_round(xa, wa, sa, rng, q, t, opts, keep_dyads, block_elements)
            if keep_dyads:
                a, b, code = dyad
        elif fast:
            new, chosen, r, dyad = fast_round(xa, wa, sa, rng, q, t, opts, keep_dyads, ws)
            if keep_dyads:
                a, b, code = dyad
        else:
            a, b, r = steps_round(xa, wa, sa, rng, None if offset is None else offset[idx], q, t, opts)
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
        if settle >= 0:
            small = change <= settle
            stop |= small & calm[idx]
            calm[idx] = small
        converged[idx[stop]] = True
        active[idx[stop]] = False
    return out
