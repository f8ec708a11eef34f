"""Bargaining under incomplete information: offers against a belief about the other side's
reservation point (Fearon 1995; Powell 1996, 1999; Banks 1990).

Two sides bargain over a package of issues. In each of T rounds a proposer A (fixed by a parameter
or by the scenario's agenda setter, Romer and Rosenthal 1978; else recognised with probability
proportional to its side's capability, Baron and Ferejohn 1989) makes the offer x that maximises

    (1 − F(x))·u_A(x) + F(x)·d_A,   d_A = u_A(q) − P(force | breakdown)·c_A,

where F(x) is A's belief that the responder's reservation point makes it reject x, q the reversion
point and c_A A's cost of war. The responder R (the other side's pivotal ratifier) accepts when the
salience-weighted package is worth at least its reservation package: u_R(x) ≥ u_R(r_R). After a
rejection, bargaining breaks down with hazard h, else A's belief is truncated to the types that
rejected and the next round begins; after round T a rejection is final. The outcome is a mixture
of deals and a point mass at q; the forecast is its median per issue.

The steps, each a function on arrays with a leading batch axis:

0. :func:`sides`, :func:`pivotal_ratifiers`, :func:`reversion_point`: who bargains, who answers
   for each side, and what holds without a deal;
1. :func:`utilities`: u_i(x) = 1 − Σ_k w_ik·|x_k − p_ik|, w_ik = s_ik / Σ_l s_il / range_k;
2. :func:`frontier`: the offers that give R a utility level v at the least cost to A (the issues
   conceded in the order of R's gain per unit of A's loss, Pareto-efficient for linear losses);
3. :func:`best_offers`: A's offer among the types' reservation levels (the optimum under a
   discrete belief is one of them);
4. :func:`bargain`: the rounds, the truncation of beliefs, the breakdown hazard and the mixture;
5. :func:`weighted_median`: the forecast.

The equations and a worked example are in docs/models/expectations.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from standoff.errors import ModelError
from standoff.models.base import Batch, Model, Prediction, register
from standoff.models.params import Param

#: Tolerance for "at least as good as its reservation package".
TOL = 1e-12


# --- sides, their pivotal actors and the reversion point, on arrays -------------------------------
def sides(ex: dict[str, Any], positions: np.ndarray, salience: np.ndarray, capability: np.ndarray,
          low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, tuple[str, str]]:
    """side[B, N] ∈ {0, 1, −1 (neither)} and the two sides' ids.

    The two groups of role `party` that have members; with more, the agenda setter's group (else
    the most capable) against the most capable other one (DEU III: the Commission against the
    Council); with one, that group against every actor outside a group; else two camps: the actors
    split at the capability-weighted median of their salience-weighted mean position (scales
    normalised), `lower-camp` and `upper-camp`."""
    b, n, _ = positions.shape
    index, groups = ex["group_index"], ex["groups"]
    parties = [g for g in range(len(groups)) if ex["party"][g] and np.any(index == g)]
    if len(parties) > 2:
        clout = {g: float(capability[0, index == g].sum()) for g in parties}
        setter = ex.get("setter", -1)
        first = int(index[setter]) if setter >= 0 and index[setter] in parties else \
            max(parties, key=lambda g: (clout[g], -g))
        second = max((g for g in parties if g != first), key=lambda g: (clout[g], -g))
        parties = sorted([first, second])
    if len(parties) == 2:
        side = np.where(index == parties[0], 0, np.where(index == parties[1], 1, -1))
        return np.broadcast_to(side, (b, n)).copy(), (groups[parties[0]], groups[parties[1]])
    if len(parties) == 1 and np.any(index == -1):
        side = np.where(index == parties[0], 0, np.where(index == -1, 1, -1))
        return np.broadcast_to(side, (b, n)).copy(), (groups[parties[0]], "others")
    total = salience.sum(axis=2)
    summary = ((positions - low) / (high - low) * salience).sum(axis=2) / np.where(total > 0, total, 1.0)
    median = weighted_median(summary[:, :, None], capability)[:, 0]  # [B]
    side = (summary > median[:, None] + 1e-12).astype(np.int64)
    return side, ("lower-camp", "upper-camp")


def pivotal_ratifiers(side: np.ndarray, ex: dict[str, Any], positions: np.ndarray,
                      salience: np.ndarray, capability: np.ndarray, low: np.ndarray,
                      high: np.ndarray) -> np.ndarray:
    """pivot[B, 2]: each side's actor whose consent a deal needs and who is hardest to satisfy.

    Stand-in rule until the consent model's pivotal ratifier is available: a side's sole veto
    holder; among several, the one farthest (salience-weighted, scales normalised) from the other
    actors' capability × salience weighted mean; without one, the most capable member (the first
    in file order on a tie)."""
    veto = ex["veto"]
    out = []
    for s in (0, 1):
        mine = side == s  # [B, N]
        w = capability[:, :, None] * salience * ~mine[:, :, None]  # the others' clout [B, N, K]
        wsum = w.sum(axis=1)
        ref = (w * positions).sum(axis=1) / np.where(wsum > 0, wsum, 1.0)  # [B, K]
        dist = (salience * np.abs(positions - ref[:, None, :]) / (high - low)).sum(axis=2)  # [B, N]
        score = np.where(veto[None, :], 1e9 + dist, capability)
        score = np.where(mine, score, -np.inf)
        out.append(np.argmax(score, axis=1))
    return np.stack(out, axis=1)


def reversion_point(status_quo: np.ndarray, positions: np.ndarray, capability: np.ndarray) -> np.ndarray:
    """q[B, K]: the status quo (status_quo[B or 1, K]); where an issue has none, the
    capability-weighted median position (what a majority of clout holds to without a deal)."""
    median = weighted_median(positions, capability)
    sq = np.broadcast_to(status_quo, median.shape)
    return np.where(np.isnan(sq), median, sq)


# --- the numeric core ---------------------------------------------------------------------------
def utilities(x: np.ndarray, ideal: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """u(x) = 1 − Σ_k w_k·|x_k − p_k| over the last axis (arrays broadcast)."""
    return 1.0 - (weight * np.abs(x - ideal)).sum(axis=-1)


def frontier(v: np.ndarray, p_a: np.ndarray, p_r: np.ndarray, w_a: np.ndarray,
             w_r: np.ndarray) -> np.ndarray:
    """x[..., C, K]: for each responder level v[..., C], the offer between A's ideal p_a[..., K] and
    R's ideal p_r[..., K] that gives R utility v at the least cost to A. Issues are conceded in
    decreasing order of R's gain per unit of A's loss; one issue is conceded in part."""
    gap = np.abs(p_r - p_a)
    gain, cost = w_r * gap, w_a * gap  # [..., K]: R's gain, A's loss from conceding issue k fully
    ratio = np.where(cost > 0, gain / np.where(cost > 0, cost, 1.0), np.inf)
    ratio = np.where(gain > 0, ratio, -np.inf)
    order = np.argsort(-ratio, axis=-1, kind="stable")
    g_sorted = np.take_along_axis(gain, order, axis=-1)
    before = np.cumsum(g_sorted, axis=-1) - g_sorted
    need = (v - utilities(p_a, p_r, w_r)[..., None])[..., None]  # [..., C, 1]
    safe = np.where(g_sorted > 0, g_sorted, 1.0)[..., None, :]
    f_sorted = np.where(g_sorted[..., None, :] > 0,
                        np.clip((need - before[..., None, :]) / safe, 0.0, 1.0), 0.0)
    f = np.empty_like(f_sorted)
    np.put_along_axis(f, np.broadcast_to(order[..., None, :], f.shape), f_sorted, axis=-1)
    return p_a[..., None, :] + f * (p_r - p_a)[..., None, :]


def offer_menu(p: np.ndarray, w: np.ndarray, levels: np.ndarray) -> tuple[np.ndarray, ...]:
    """For each proposer a ∈ {0, 1} (responder 1 − a): the candidate offers, sorted by what they
    give the responder. p, w [B, 2, K]; levels [B, 2, G]: the reservation utility of each type of
    each side. Returns v [B, 2, C], x [B, 2, C, K], u_a [B, 2, C], accepts [B, 2, C, G] (C = G + 1:
    A's own ideal, then one offer per type, the least that type accepts)."""
    p_r, w_r = p[:, ::-1], w[:, ::-1]
    base = utilities(p, p_r, w_r)  # [B, 2]: R's utility of A's ideal
    resp_levels = levels[:, ::-1]  # [B, 2, G]: indexed by proposer
    v = np.concatenate([base[..., None], np.clip(resp_levels, base[..., None], 1.0)], axis=-1)
    v = np.sort(v, axis=-1)
    x = frontier(v, p, p_r, w, w_r)
    u_a = utilities(x, p[:, :, None, :], w[:, :, None, :])
    accepts = resp_levels[:, :, None, :] <= v[..., None] + TOL
    return v, x, u_a, accepts


def best_offers(weights: np.ndarray, u_a: np.ndarray, accepts: np.ndarray,
                d_a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The proposer's choice. weights [..., G] (its belief about the responder's type, not
    necessarily normalised), u_a [..., C], accepts [..., C, G], d_a [...]. Returns the index of the
    offer maximising P(accept)·u_A + (1 − P(accept))·d_A (the least generous on a tie) and its
    P(accept) [...]."""
    total = weights.sum(axis=-1, keepdims=True)
    p_acc = (accepts * weights[..., None, :]).sum(axis=-1) / np.where(total > 0, total, 1.0)
    value = p_acc * u_a + (1.0 - p_acc) * d_a[..., None]
    best = np.argmax(value, axis=-1)  # the first maximum: offers are sorted by generosity
    return best, np.take_along_axis(p_acc, best[..., None], axis=-1)[..., 0]


def weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per row b and column k, the lower weighted median of values[B, A, K] with weights[B, A]."""
    order = np.argsort(values, axis=1, kind="stable")
    v = np.take_along_axis(values, order, axis=1)
    w = np.take_along_axis(np.broadcast_to(weights[..., None], values.shape), order, axis=1)
    cw = np.cumsum(w, axis=1)
    half = 0.5 * cw[:, -1:, :]
    idx = np.argmax(cw >= half - 1e-12, axis=1)  # first atom reaching half the mass
    return np.take_along_axis(v, idx[:, None, :], axis=1)[:, 0, :]


def bargain(p: np.ndarray, w: np.ndarray, q: np.ndarray, levels: np.ndarray, prior: np.ndarray,
            d: np.ndarray, recognition: np.ndarray, *, rounds: int, hazard: float,
            proposer: int | None, draws: int, seed: int) -> dict[str, np.ndarray]:
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
    # A draw's belief before round t depends only on who proposed in rounds 0..t-1, so the draws
    # of a row that share that history share one belief (≤ min(2^t, n) per row): each distinct
    # (history, proposer) is solved once and its offer handed to every draw that has it.
    belief_w = prior[:, None].copy()  # [B, S, 2, G]: the belief of each history of row b
    state = np.zeros((b, n), dtype=np.int64)  # each draw's history, an index into belief_w
    reach = np.ones((b, n))
    reached = np.zeros((b, n, rounds))
    breakdown = np.zeros((b, n))
    deal_x = np.zeros((b, n, rounds, k))
    deal_mass = np.zeros((b, n, rounds))
    rows = np.arange(b)[:, None]
    for t in range(rounds):
        a = who[:, :, t]  # [B, n]
        key = 2 * state + a  # the history up to and including round t's proposer
        seen = np.zeros((b, 2 * belief_w.shape[1]), dtype=bool)
        seen[rows, key] = True
        number = np.cumsum(seen, axis=1) - 1  # the distinct keys of each row, numbered 0, 1, ...
        hit_b, hit_key = np.nonzero(seen)
        keys = np.zeros((b, int(seen.sum(axis=1).max())), dtype=np.int64)  # unused slots: key 0
        keys[hit_b, number[hit_b, hit_key]] = hit_key
        parent, ak = keys // 2, keys % 2  # [B, S']
        rk = 1 - ak
        w_resp = belief_w[rows, parent, rk]  # [B, S', G]
        best_s, p_acc_s = best_offers(w_resp, u_a[rows, ak], accepts[rows, ak], d[rows, ak])
        rejected = ~accepts[rows, ak, best_s]  # [B, S', G]: the types that reject the offer
        belief_w = belief_w[rows, parent]
        belief_w[rows, np.arange(keys.shape[1]), rk] = w_resp * rejected
        state = number[rows, key]
        best, p_acc = best_s[rows, state], p_acc_s[rows, state]  # [B, n]
        reached[:, :, t] = reach
        deal_x[:, :, t] = x[rows, a, best]
        deal_mass[:, :, t] = reach * p_acc
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


# --- the model ----------------------------------------------------------------------------------
@register
class Expectations(Model):
    """Offers under incomplete information about the other side's reservation point, with beliefs
    moved by events (docs/models/expectations.md)."""

    name = "expectations"
    title = "Expectations (bargaining under incomplete information)"
    #: Not stacked into the ensemble by default: its inputs (reservation points, beliefs) are
    #: defaults on DEU III, and adding it would change the committed weights of the ensemble.
    stacked = False

    params = {
        "rounds": Param(int, 3, "T, the most offers made", low=1, high=50),
        "hazard": Param(float, 0.25, "h, P(breakdown) after a rejection before the last round",
                        low=0.0, high=1.0),
        "p_force": Param(float, 0.1, "P(force | breakdown): each side then loses this share of its "
                         "group's cost of war", low=0.0, high=1.0),
        "proposer": Param(str, "", "a side's id to fix the proposer (empty: the agenda setter's side, "
                          "else recognition proportional to capability)"),
        "draws": Param(int, 256, "seeded draws of the sequence of proposers", low=1, high=100_000,
                       advanced=True),
        "seed": Param(int, 0, "the seed of those draws", low=0, advanced=True),
        "beliefs": Param(bool, True, "let events move the beliefs about reservation points (false: "
                         "the coded reservation points only)"),
    }

    def __init__(self, rounds: int = 3, hazard: float = 0.25, p_force: float = 0.1,
                 proposer: str = "", draws: int = 256, seed: int = 0, beliefs: bool = True) -> None:
        """Parameters as declared in `params` (checked there, when the model is made)."""
        self.rounds, self.hazard, self.p_force = int(rounds), float(hazard), float(p_force)
        self.proposer, self.draws, self.seed = str(proposer), int(draws), int(seed)
        self.beliefs = bool(beliefs)

    def mechanism(self, forecast) -> dict[str, str]:
        """Per issue: the responders, P(breakdown) with the reversion point it leaves, and the
        expected reservation points as the other side believes them."""
        d = forecast.detail
        who = [d["responders"][side] for side in d["sides"]]
        out = {}
        for k, f in enumerate(forecast.issues):
            res = [d["expected_reservation"][s][k] for s in (0, 1)]
            out[f.issue] = (f"Offers under incomplete information between {who[0]} and {who[1]}: "
                            f"P(breakdown) {d['p_breakdown']:.2f}, which leaves the reversion point "
                            f"{d['reversion_point'][k]:.1f}; the expected reservation points, as the "
                            f"other side believes them, are {res[0]:.1f} ({who[0]}) and {res[1]:.1f} "
                            f"({who[1]}).")
        return out

    def predict(self, batch: Batch) -> Prediction:
        ex = batch.extra
        if "reservation" not in ex:
            raise ModelError("the expectations model needs the reservation points of the scenario",
                             where="--model expectations", fix="build the batch with Batch.from_scenarios")
        pos, sal, cap, lo, hi = batch.positions, batch.salience, batch.capability, batch.low, batch.high
        side, names = sides(ex, pos, sal, cap, lo, hi)
        if self.proposer and self.proposer not in names:
            raise ModelError(f"unknown proposer {self.proposer!r}", where="--param proposer",
                             fix=f"use {names[0]} or {names[1]}, or leave it empty")
        piv = pivotal_ratifiers(side, ex, pos, sal, cap, lo, hi)  # [B, 2]
        rows = np.arange(pos.shape[0])[:, None]
        p, s = pos[rows, piv], sal[rows, piv]  # [B, 2, K]
        total = s.sum(axis=-1, keepdims=True)
        w = np.where(total > 0, s / np.where(total > 0, total, 1.0), 0.0) / (hi - lo)
        q = reversion_point(ex.get("status_quo", batch.status_quo[None, :]), pos, cap)
        res = ex["reservation"][rows, piv]  # [B, 2, K, G]
        levels = utilities(np.moveaxis(res, 3, 2), p[:, :, None, :], w[:, :, None, :])  # [B, 2, G]
        d = utilities(q[:, None, :], p, w) - self.p_force * ex["cost_of_war"][rows, piv]
        side_cap = np.stack([(cap * (side == k)).sum(axis=1) for k in (0, 1)], axis=1)
        recognition = side_cap[:, 1] / np.where(side_cap.sum(axis=1) > 0, side_cap.sum(axis=1), 1.0)
        prior = ex["belief" if self.beliefs else "belief_prior"][rows, piv]
        out = bargain(p, w, q, levels, prior, d, recognition, rounds=self.rounds, hazard=self.hazard,
                      proposer=self._proposer(names, side, ex), draws=self.draws, seed=self.seed)
        mean_res = np.einsum("bskg,bsg->bsk", res, prior / prior.sum(axis=-1, keepdims=True))
        detail = _detail(out, names, [[batch.actor_ids[i] for i in r] for r in piv], recognition, d,
                         mean_res, q)
        return Prediction(values=out["values"], detail=detail)


    def _proposer(self, names: tuple[str, str], side: np.ndarray, ex: dict[str, Any]) -> int | None:
        """The fixed proposer's side: the `proposer` parameter, else the agenda setter's side
        (Romer and Rosenthal 1978), else None (recognition proportional to capability)."""
        if self.proposer:
            return names.index(self.proposer)
        setter = ex.get("setter", -1)
        if setter >= 0 and side[0, setter] in (0, 1):
            return int(side[0, setter])
        return None


def _detail(out: dict[str, np.ndarray], names: tuple[str, str], pivots: list[list[str]],
            recognition: np.ndarray, d: np.ndarray, mean_res: np.ndarray,
            q: np.ndarray) -> dict[str, Any]:
    """P(breakdown), the offer path (per round: who proposes, P(the round is reached), the mean
    offer when it is, P(deal in that round)), the responders, breakdown payoffs and beliefs."""
    who, deal_x, deal_mass, reached = out["who"], out["deal_x"], out["deal_mass"], out["reached"]
    b, n, t, _ = deal_x.shape
    mass = deal_mass.mean(axis=1)  # [B, T]
    p_side1 = who.mean(axis=1)  # [B, T]: how often the second side proposes
    seen = reached.sum(axis=1)  # [B, T]
    offers = np.einsum("bnt,bntk->btk", reached, deal_x) / np.where(seen > 0, seen, 1.0)[..., None]
    path = np.empty(b, dtype=object)
    for i in range(b):
        path[i] = [{"round": r + 1, "p_proposer": {names[0]: float(1 - p_side1[i, r]),
                                                   names[1]: float(p_side1[i, r])},
                    "p_reached": float(seen[i, r] / n), "offer": offers[i, r].tolist(),
                    "p_deal": float(mass[i, r])} for r in range(t)]
    responders = np.empty(b, dtype=object)
    for i in range(b):
        responders[i] = {names[0]: pivots[i][0], names[1]: pivots[i][1]}
    return {
        "p_breakdown": out["breakdown"],
        "p_deal": 1.0 - out["breakdown"],
        "sides": list(names),
        "responders": responders,
        "p_second_side_proposes": recognition,
        "breakdown_payoff": d,
        "reversion_point": q,
        "offer_path": path,
        "expected_reservation": mean_res,
    }
