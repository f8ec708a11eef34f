"""Bargaining under incomplete information: offers against a belief about the other side's
reservation point (Fearon 1995; Powell 1996, 1999; Banks 1990).

Two sides bargain over a package of issues. In each of T rounds a proposer A (fixed, or recognised
with probability proportional to its side's capability, Baron and Ferejohn 1989) makes the offer x
that maximises

    (1 − F(x))·u_A(x) + F(x)·d_A,   d_A = u_A(q) − P(force | breakdown)·c_A,

where F(x) is A's belief that the responder's reservation point makes it reject x, q the reversion
point and c_A A's cost of war. The responder R (the other side's pivotal ratifier) accepts when the
salience-weighted package is worth at least its reservation package: u_R(x) ≥ u_R(r_R). After a
rejection, bargaining breaks down with hazard h, else A's belief is truncated to the types that
rejected and the next round begins; after round T a rejection is final. The outcome is a mixture
of deals and a point mass at q; the forecast is its median per issue.

The steps, each a function on arrays with a leading batch axis:

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
from standoff.events.reservations import belief
from standoff.models.base import Batch, Model, Prediction, register
from standoff.scenario import Scenario

#: Tolerance for "at least as good as its reservation package".
TOL = 1e-12


# --- sides and their pivotal actors -------------------------------------------------------------
def sides(scenario: Scenario) -> tuple[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]]:
    """The two sides: the two groups of role `party` (in file order), or, where the scenario has a
    single such group, that group and every actor outside a group. Each as (id, member ids)."""
    parties = [g for g in scenario.groups if g.role == "party" and scenario.members(g.id)]
    if len(parties) == 2:
        return tuple((g.id, tuple(a.id for a in scenario.members(g.id))) for g in parties)  # type: ignore[return-value]
    loose = tuple(a.id for a in scenario.actors if a.group is None)
    if len(parties) == 1 and loose:
        g = parties[0]
        return ((g.id, tuple(a.id for a in scenario.members(g.id))), ("others", loose))
    raise ModelError(f"{scenario.id}: the expectations model needs two sides",
                     where="groups",
                     fix="declare two groups with role `party` (or one group and actors outside it)")


def pivotal_ratifier(scenario: Scenario, members: tuple[str, ...], group: str) -> str:
    """The side's actor whose consent a deal needs and who is hardest to satisfy.

    Stand-in rule until the consent model's pivotal ratifier is available: the sole veto holder;
    among several veto holders the one farthest (salience-weighted, scales normalised) from the
    rest of the scenario's capability × salience weighted mean; without one, the most capable
    member (file order breaks ties)."""
    vetoes = scenario.group(group).veto if group in scenario.group_ids else ()
    if len(vetoes) == 1:
        return vetoes[0]
    if not vetoes:
        return max(members, key=lambda a: (scenario.actor(a).capability.mode, -members.index(a)))
    outside = [a for a in scenario.actors if a.id not in members]

    def distance(actor_id: str) -> float:
        actor = scenario.actor(actor_id)
        total = 0.0
        for issue in scenario.issues:
            w = [o.capability.mode * o.salience[issue.id].mode for o in outside]
            ref = (np.dot(w, [o.positions[issue.id].mode for o in outside]) / sum(w)) if sum(w) > 0 \
                else actor.positions[issue.id].mode
            total += actor.salience[issue.id].mode * abs(actor.positions[issue.id].mode - ref) / issue.range
        return total

    return max(vetoes, key=lambda a: (distance(a), -vetoes.index(a)))


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


# --- the model ----------------------------------------------------------------------------------
@register
class Expectations(Model):
    """Offers under incomplete information about the other side's reservation point, with beliefs
    moved by events (docs/models/expectations.md)."""

    name = "expectations"
    title = "Expectations (bargaining under incomplete information)"

    def __init__(self, rounds: int = 3, hazard: float = 0.25, p_force: float = 0.1,
                 proposer: str = "", draws: int = 256, seed: int = 0, likelihood_ratio: float = 2.0,
                 serial_discount: float = 0.5, beliefs: bool = True) -> None:
        """rounds: T, the number of offers at most; hazard: h, P(breakdown) after a rejection
        before the last round; p_force: P(force | breakdown), which costs each side its group's
        cost of war; proposer: a side's id to fix the proposer ("" = recognition proportional to
        capability); draws: seeded draws of the proposer sequence; seed: their seed;
        likelihood_ratio: ρ, the bound of a costly action's likelihood ratio (1–4);
        serial_discount: δ for serially correlated stories; beliefs: let events move the beliefs."""
        if not (isinstance(rounds, int) and rounds >= 1):
            raise ValueError(f"rounds must be a whole number of 1 or more, got {rounds!r}")
        for name, val in (("hazard", hazard), ("p_force", p_force), ("serial_discount", serial_discount)):
            if not 0.0 <= float(val) <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1], got {val!r}")
        if not 1.0 <= float(likelihood_ratio) <= 4.0:
            raise ValueError(f"likelihood_ratio must lie in [1, 4], got {likelihood_ratio!r}")
        if not (isinstance(draws, int) and draws >= 1):
            raise ValueError(f"draws must be a whole number of 1 or more, got {draws!r}")
        self.rounds, self.hazard, self.p_force = rounds, float(hazard), float(p_force)
        self.proposer, self.draws, self.seed = proposer, draws, int(seed)
        self.likelihood_ratio, self.serial_discount = float(likelihood_ratio), float(serial_discount)
        self.beliefs = bool(beliefs)

    # -- scenario → arrays
    def prepare(self, scenarios: list[Scenario]) -> Batch:
        """The scenarios' arrays plus, per side, its pivotal actor, its reservation points per
        type, the belief about its type (moved by the events up to each scenario's date), its
        capability and its cost of war."""
        batch = Batch.from_scenarios(scenarios)
        first = scenarios[0]
        both = sides(first)
        if self.proposer and self.proposer not in (both[0][0], both[1][0]):
            raise ModelError(f"unknown proposer {self.proposer!r}", where="--param proposer",
                             fix=f"use {both[0][0]} or {both[1][0]}, or leave it empty")
        missing = [i.id for i in first.issues if i.status_quo is None]
        if missing:
            raise ModelError(f"{first.id}: no reversion point on {', '.join(missing)}",
                             where="issues.status_quo",
                             fix="give each issue a `status_quo` (docs/case-library.md)")
        pivots = [pivotal_ratifier(first, members, side) for side, members in both]
        idx = np.array([first.actor_ids.index(a) for a in pivots])
        levels, prior, cost, cap, res_mean = [], [], [], [], []
        for s in scenarios:
            beliefs = [belief(s, a, ratio=self.likelihood_ratio, discount=self.serial_discount,
                              evidence=self.beliefs) for a in pivots]
            levels.append([bel.reservation for bel in beliefs])  # [2, K, G]
            prior.append([bel.posterior for bel in beliefs])
            res_mean.append([[bel.mean()[i] for i in s.issue_ids] for bel in beliefs])
            cost.append([_cost(s, side) for side, _ in both])
            cap.append([sum(s.actor(a).capability.mode for a in members) for _, members in both])
        extra = {"pivots": idx, "sides": tuple(side for side, _ in both), "pivot_ids": tuple(pivots),
                 "reservation": np.array(levels), "belief": np.array(prior), "cost": np.array(cost),
                 "side_capability": np.array(cap), "reservation_mean": np.array(res_mean)}
        return Batch(batch.positions, batch.salience, batch.capability, batch.low, batch.high,
                     batch.status_quo, batch.actor_ids, batch.issue_ids, batch.perceived, extra)

    # -- arrays → prediction
    def predict(self, batch: Batch) -> Prediction:
        if "reservation" not in batch.extra:
            raise ModelError("the expectations model reads reservation points and beliefs from the "
                             "scenario", where="--model expectations",
                             fix="build its batch with model.prepare(scenarios)")
        ex = batch.extra
        piv = ex["pivots"]
        rng = batch.high - batch.low
        p = batch.positions[:, piv, :]  # [B, 2, K]
        sal = batch.salience[:, piv, :]
        total = sal.sum(axis=-1, keepdims=True)
        w = np.where(total > 0, sal / np.where(total > 0, total, 1.0), 0.0) / rng
        q = np.broadcast_to(batch.status_quo, p[:, 0].shape)
        res = ex["reservation"]  # [B, 2, K, G]
        levels = utilities(np.moveaxis(res, 3, 2), p[:, :, None, :], w[:, :, None, :])  # [B, 2, G]
        d = utilities(q[:, None, :], p, w) - self.p_force * ex["cost"]
        cap = ex["side_capability"]
        recognition = cap[:, 1] / np.where(cap.sum(axis=1) > 0, cap.sum(axis=1), 1.0)
        fixed = None if not self.proposer else list(ex["sides"]).index(self.proposer)
        out = bargain(p, w, q, levels, ex["belief"], d, recognition, rounds=self.rounds,
                      hazard=self.hazard, proposer=fixed, draws=self.draws, seed=self.seed)
        detail = _detail(out, ex, recognition, d)
        return Prediction(values=out["values"], detail=detail)


def _cost(scenario: Scenario, side: str) -> float:
    if side in scenario.group_ids and scenario.group(side).cost_of_war is not None:
        return scenario.group(side).cost_of_war.mode
    return 0.0


def _detail(out: dict[str, np.ndarray], ex: dict[str, Any], recognition: np.ndarray,
            d: np.ndarray) -> dict[str, Any]:
    """P(breakdown), the offer path (per round: who proposes, the mean offer when the round is
    reached, P(deal in that round)), the pivots, the breakdown payoffs and the beliefs."""
    who, deal_x, deal_mass, reached = out["who"], out["deal_x"], out["deal_mass"], out["reached"]
    b, n, t, _ = deal_x.shape
    mass = deal_mass.mean(axis=1)  # [B, T]
    p_side1 = who.mean(axis=1)  # [B, T]: how often the second side proposes
    seen = reached.sum(axis=1)  # [B, T]
    offers = np.einsum("bnt,bntk->btk", reached, deal_x) / np.where(seen > 0, seen, 1.0)[..., None]
    path = [[{"round": r + 1, "p_proposer": {ex["sides"][0]: float(1 - p_side1[i, r]),
                                             ex["sides"][1]: float(p_side1[i, r])},
              "p_reached": float(seen[i, r] / n), "offer": offers[i, r].tolist(),
              "p_deal": float(mass[i, r])}
             for r in range(t)] for i in range(b)]
    return {
        "p_breakdown": out["breakdown"],
        "p_deal": 1.0 - out["breakdown"],
        "sides": list(ex["sides"]),
        "responders": list(ex["pivot_ids"]),
        "p_side_2_proposes": recognition,
        "breakdown_payoff": d,
        "offer_path": np.array(path, dtype=object),
        "reservation_mean": ex["reservation_mean"],
    }
