"""A dyad of a scenario (two groups or two actors) and its payoffs in the interaction game.

Each side's position on an issue is the capability × salience weighted mean of its members'
positions; its salience the capability-weighted mean of theirs; its capability their sum. Each
side demands its own position; utilities are linear in the salience-weighted distance to its
position, on every issue's scale normalised to 0..1. The payoffs of the eight outcomes follow
Bueno de Mesquita & Lalman (1992, ch. 2-3): see docs/models/crisis-games.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from standoff.errors import ModelError, ScenarioChangeError, did_you_mean
from standoff.games.interaction import OUTCOMES
from standoff.scenario import Scenario

DEFAULT_COST_OF_WAR = 0.3
DEFAULT_FIRST_STRIKE = 0.1
DEFAULT_CAPITULATION_COST = 0.1


@dataclass(frozen=True)
class Side:
    """One side of the dyad, reduced to what the game needs."""

    id: str
    name: str
    members: tuple[str, ...]
    position: np.ndarray  # [K], on the issues' own scales
    salience: np.ndarray  # [K], 0..1
    capability: float
    cost_of_war: float
    first_strike_advantage: float
    assumed: tuple[str, ...] = ()  # parameters taken from the defaults, not the scenario


@dataclass(frozen=True)
class Dyad:
    """Two sides, the issues at stake, and the status quo."""

    a: Side
    b: Side
    issues: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    status_quo: np.ndarray
    capitulation_cost: float = DEFAULT_CAPITULATION_COST
    notes: tuple[str, ...] = field(default=())

    def utility(self, side: Side, point: np.ndarray) -> float:
        """u(z) = 1 - Σ_k w_k |z_k - x_k| / (high_k - low_k), w = salience normalised to sum 1."""
        w = side.salience / side.salience.sum() if side.salience.sum() > 0 else \
            np.full(len(self.issues), 1 / len(self.issues))
        return float(1 - np.sum(w * np.abs(point - side.position) / (self.high - self.low)))


def _side(scenario: Scenario, key: str, cost_of_war: float | None, first_strike: float | None) -> Side:
    if key in scenario.group_ids:
        group = scenario.group(key)
        members = scenario.members(key)
        name = group.name
        if not members:
            raise ScenarioChangeError(f"group {key!r} has no actors", where="--between",
                                      fix="give the group members, or name two actors instead")
        war = group.cost_of_war.mode if group.cost_of_war is not None else None
        strike = group.first_strike_advantage.mode if group.first_strike_advantage is not None else None
    elif key in scenario.actor_ids:
        actor = scenario.actor(key)
        members, name = (actor,), actor.name
        group = scenario.group(actor.group) if actor.group in scenario.group_ids else None
        war = group.cost_of_war.mode if group and group.cost_of_war is not None else None
        strike = (group.first_strike_advantage.mode
                  if group and group.first_strike_advantage is not None else None)
    else:
        raise ScenarioChangeError(
            f"{key!r} is neither a group nor an actor of {scenario.id}", where="--between",
            fix=f"{did_you_mean(key, scenario.group_ids + scenario.actor_ids)}"
                f"use one of the groups {', '.join(scenario.group_ids) or '(none)'} "
                f"or an actor id (see `standoff show`)")
    assumed = []
    if cost_of_war is not None:
        war = cost_of_war
    elif war is None:
        war, _ = DEFAULT_COST_OF_WAR, assumed.append("cost_of_war")
    if first_strike is not None:
        strike = first_strike
    elif strike is None:
        strike, _ = DEFAULT_FIRST_STRIKE, assumed.append("first_strike_advantage")
    cap = np.array([m.capability.mode for m in members])
    sal = np.array([[m.salience[i].mode / 100.0 for i in scenario.issue_ids] for m in members])
    pos = np.array([[m.positions[i].mode for i in scenario.issue_ids] for m in members])
    weight = cap[:, None] * sal
    total = weight.sum(axis=0)
    mean_pos = np.where(total > 0, (weight * pos).sum(axis=0) / np.where(total > 0, total, 1),
                        pos.mean(axis=0))
    capability = float(cap.sum())
    salience = (cap[:, None] * sal).sum(axis=0) / capability if capability > 0 else sal.mean(axis=0)
    return Side(id=key, name=name, members=tuple(m.id for m in members), position=mean_pos,
                salience=salience, capability=capability, cost_of_war=float(war),
                first_strike_advantage=float(strike), assumed=tuple(assumed))


def dyad(scenario: Scenario, a: str, b: str, *, cost_of_war: tuple[float | None, float | None] = (None, None),
         first_strike_advantage: tuple[float | None, float | None] = (None, None),
         capitulation_cost: float = DEFAULT_CAPITULATION_COST) -> Dyad:
    """The dyad of groups (or actors) `a` and `b` of a scenario; parameters given here override
    the scenario's groups, and groups without them take the documented defaults."""
    if a == b:
        raise ScenarioChangeError(f"a crisis needs two different sides, got {a!r} twice",
                                  where="--between", fix="name two different groups")
    for what, pair in (("cost_of_war", cost_of_war), ("first_strike_advantage", first_strike_advantage)):
        for v in pair:
            if v is not None and not 0 <= v <= 1:
                raise ModelError(f"{what} {v:g} is outside 0..1", where=what, fix="give a share in 0..1")
    if capitulation_cost < 0:
        raise ModelError(f"capitulation_cost {capitulation_cost:g} is negative", where="capitulation_cost",
                         fix="give a non-negative share of the stakes")
    side_a = _side(scenario, a, cost_of_war[0], first_strike_advantage[0])
    side_b = _side(scenario, b, cost_of_war[1], first_strike_advantage[1])
    overlap = set(side_a.members) & set(side_b.members)
    if overlap:
        raise ScenarioChangeError(f"{a!r} and {b!r} share actors ({', '.join(sorted(overlap))})",
                                  where="--between", fix="name two disjoint groups or actors")
    missing = [i.id for i in scenario.issues if i.status_quo is None]
    if missing:
        raise ScenarioChangeError(
            f"issue {missing[0]!r} has no status quo, which the interaction game needs",
            file=scenario.path, where=f"issues.{missing[0]}.status_quo",
            fix="give every issue a `status_quo` in the scenario file")
    if side_a.capability + side_b.capability <= 0:
        raise ScenarioChangeError("both sides have zero capability", where="--between",
                                  fix="give the actors positive capabilities")
    return Dyad(a=side_a, b=side_b, issues=scenario.issue_ids,
                low=np.array([i.min for i in scenario.issues]),
                high=np.array([i.max for i in scenario.issues]),
                status_quo=np.array([i.status_quo.mode for i in scenario.issues]),
                capitulation_cost=capitulation_cost)


@dataclass(frozen=True)
class Terms:
    """The quantities the payoffs are built from (named as in docs/models/crisis-games.md)."""

    p: float            # A's chance of winning a war neither side started with an advantage
    p_a_first: float    # A's chance of winning when A strikes first
    p_a_second: float   # A's chance of winning when B strikes first
    stakes: np.ndarray  # [2]: S_i = u_i(Δ_i) - u_i(Δ_j)
    u_demand: np.ndarray  # [2, 2]: u_i(Δ_j)
    u_status_quo: np.ndarray  # [2]
    negotiated: np.ndarray  # [K]: N = p Δ_A + (1 - p) Δ_B


def terms(d: Dyad) -> Terms:
    """Win probabilities, stakes and the utilities of the demands and of the status quo."""
    p = d.a.capability / (d.a.capability + d.b.capability)
    sides = (d.a, d.b)
    u_demand = np.array([[d.utility(i, j.position) for j in sides] for i in sides])
    return Terms(p=p, p_a_first=p + d.a.first_strike_advantage * (1 - p),
                 p_a_second=p * (1 - d.b.first_strike_advantage),
                 stakes=np.array([u_demand[0, 0] - u_demand[0, 1], u_demand[1, 1] - u_demand[1, 0]]),
                 u_demand=u_demand,
                 u_status_quo=np.array([d.utility(s, d.status_quo) for s in sides]),
                 negotiated=p * d.a.position + (1 - p) * d.b.position)


def payoffs(d: Dyad) -> np.ndarray:
    """U[2, 8]: each side's payoff of each outcome, in :data:`OUTCOMES` order.

    With S_i the stakes, P_i the chance that i wins (given who struck first), κ_i the cost of war
    and γ the cost of capitulating (both shares of the stakes)::

        SQ      u_i(q)                    ACQ_j   u_i(Δ_i)  (j gave in to i)
        NEG     u_i(Δ_j) + p_i S_i        ACQ_i   u_i(Δ_j)
        CAP_j   u_i(Δ_i)                  CAP_i   u_i(Δ_j) - γ S_i
        WAR     u_i(Δ_j) + (P_i - κ_i) S_i
    """
    t = terms(d)
    gamma = d.capitulation_cost
    kappa = np.array([d.a.cost_of_war, d.b.cost_of_war])
    own = np.diag(t.u_demand)                     # u_i(Δ_i)
    other = np.array([t.u_demand[0, 1], t.u_demand[1, 0]])  # u_i(Δ_j)
    share = np.array([t.p, 1 - t.p])
    war_a = np.array([t.p_a_first, 1 - t.p_a_first])      # P_i when A strikes first
    war_b = np.array([t.p_a_second, 1 - t.p_a_second])    # P_i when B strikes first
    u = np.zeros((2, len(OUTCOMES)))
    col = {o: k for k, o in enumerate(OUTCOMES)}
    u[:, col["sq"]] = t.u_status_quo
    u[:, col["acq-a"]] = [other[0], own[1]]
    u[:, col["acq-b"]] = [own[0], other[1]]
    u[:, col["neg"]] = other + share * t.stakes
    u[:, col["cap-a"]] = [other[0] - gamma * t.stakes[0], own[1]]
    u[:, col["cap-b"]] = [own[0], other[1] - gamma * t.stakes[1]]
    u[:, col["war-a"]] = other + (war_a - kappa) * t.stakes
    u[:, col["war-b"]] = other + (war_b - kappa) * t.stakes
    return u
