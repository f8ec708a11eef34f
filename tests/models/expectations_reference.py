"""The expectations model's bargaining rounds as first written: every seeded sequence of proposers
carries its own belief and is solved on its own (`reference_bargain`, the body of
`standoff.models.expectations.bargain` before the draws that share a history of proposers were
solved once). The oracle for tests/models/test_expectations.py."""

from __future__ import annotations

import numpy as np

from standoff.models.expectations import best_offers, offer_menu, weighted_median


def reference_bargain(p: np.ndarray, w: np.ndarray, q: np.ndarray, levels: np.ndarray,
                      prior: np.ndarray, d: np.ndarray, recognition: np.ndarray, *, rounds: int,
                      hazard: float, proposer: int | None, draws: int, seed: int) -> dict[str, np.ndarray]:
    """The bargaining rounds for a batch.

    p, w [B, 2, K]: the two pivotal actors' ideals and weights; q [B, K] the reversion point;
    levels [B, 2, G] each side's reservation utility per type; prior [B, 2, G] the belief about each
    side's type; d [B, 2] the breakdown payoffs; recognition [B] P(side 1 proposes). The belief is
    also the truth (types drawn from it), so the mixture is exact given a sequence of proposers;
    the sequences are `draws` seeded draws (one, exact, when the proposer is fixed).
    """
    b, _, k = p.shape
    v, x, u_a, accepts = offer_menu(p, w, levels)
    n = 1 if proposer is not None else draws
    if proposer is not None:
        who = np.full((b, n, rounds), proposer, dtype=np.int64)
    else:
        u = np.random.default_rng(np.random.SeedSequence(seed)).random((n, rounds))
        who = (u[None] < recognition[:, None, None]).astype(np.int64)  # [B, n, T]
    belief_w = np.broadcast_to(prior[:, None], (b, n, 2, prior.shape[-1])).copy()  # [B, n, 2, G]
    reach = np.ones((b, n))
    reached = np.zeros((b, n, rounds))
    breakdown = np.zeros((b, n))
    deal_x = np.zeros((b, n, rounds, k))
    deal_mass = np.zeros((b, n, rounds))
    rows = np.arange(b)[:, None]
    for t in range(rounds):
        a = who[:, :, t]  # [B, n]
        r = 1 - a
        w_resp = np.take_along_axis(belief_w, r[:, :, None, None], axis=2)[:, :, 0]  # [B, n, G]
        best, p_acc = best_offers(w_resp, u_a[rows, a], accepts[rows, a], d[rows, a])
        reached[:, :, t] = reach
        deal_x[:, :, t] = x[rows, a, best]
        deal_mass[:, :, t] = reach * p_acc
        rejected = ~accepts[rows, a, best]  # [B, n, G]: the types that reject the offer
        new = w_resp * rejected
        np.put_along_axis(belief_w, r[:, :, None, None], new[:, :, None, :], axis=2)
        left = reach * (1.0 - p_acc)
        if t < rounds - 1:
            breakdown += left * hazard
            reach = left * (1.0 - hazard)
        else:
            breakdown += left
            reach = np.zeros_like(reach)
    atoms = np.concatenate([deal_x.reshape(b, n * rounds, k), q[:, None, :]], axis=1)
    mass = np.concatenate([deal_mass.reshape(b, n * rounds), breakdown.sum(axis=1, keepdims=True)],
                          axis=1) / n
    return {"atoms": atoms, "mass": mass, "who": who, "deal_x": deal_x, "deal_mass": deal_mass,
            "reached": reached,
            "breakdown": breakdown.mean(axis=1), "values": weighted_median(atoms, mass)}
