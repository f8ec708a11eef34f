"""What some models read beyond positions, saliences and capabilities, as arrays: the groups,
and each actor's reservation points per type and the belief about its type (moved by events).

Built once per batch by :meth:`Batch.from_scenarios`; models that do not need it ignore it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from standoff.events.reservations import GRID, belief, prior_weights, reservation_grid, side_of, type_grid
from standoff.scenario import Scenario

#: Entries with a leading batch axis (repeated when a batch is replicated).
BATCHED = frozenset({"reservation", "belief", "belief_prior", "cost_of_war", "status_quo"})


def context_arrays(scenarios: list[Scenario]) -> dict[str, Any]:
    """groups (ids), group_index[N] (−1: no group), party[Gr] (role party), veto[N], setter (the
    agenda setter's actor index, −1 if none);
    per scenario reservation[B, N, K, G], belief_prior[B, N, G] (the coded distribution),
    belief[B, N, G] (after the events up to the scenario's date, docs/events.md),
    cost_of_war[B, N] (the actor's group's, 0 if none) and status_quo[B, K] (each scenario's own:
    `status_quo` effects move it, so the scenarios of a timeline differ; NaN where none)."""
    first = scenarios[0]
    groups = first.group_ids
    index = np.array([groups.index(a.group) if a.group in groups else -1 for a in first.actors],
                     dtype=np.int64)
    party = np.array([g.role == "party" for g in first.groups], dtype=bool)
    veto = np.array([any(a.id in g.veto for g in first.groups) for a in first.actors], dtype=bool)
    setter = getattr(first, "agenda_setter", None)
    setter_index = first.actor_ids.index(setter) if setter in first.actor_ids else -1
    theta = type_grid(GRID)
    prior = prior_weights(theta)
    res, post, cost = [], [], []
    for s in scenarios:
        res.append([reservation_grid(s, a, theta) for a in s.actor_ids])
        by_side: dict[str | None, np.ndarray] = {}
        rows = []
        for a in s.actor_ids:
            side = side_of(s, a)
            if side not in by_side:
                by_side[side] = belief(s, a).posterior if s.events else prior
            rows.append(by_side[side])
        post.append(rows)
        cost.append([_cost(s, a.group) for a in s.actors])
    n = len(first.actors)
    return {"groups": groups, "group_index": index, "party": party, "veto": veto, "setter": setter_index,
            "reservation": np.array(res, dtype=float).reshape(len(scenarios), n, len(first.issues), GRID),
            "belief_prior": np.broadcast_to(prior, (len(scenarios), n, GRID)).copy(),
            "belief": np.array(post, dtype=float), "cost_of_war": np.array(cost, dtype=float),
            "status_quo": np.array([[np.nan if i.status_quo is None else i.status_quo.mode
                                     for i in s.issues] for s in scenarios], dtype=float)}


def _cost(scenario: Scenario, group: str | None) -> float:
    if group is None or scenario.group(group).cost_of_war is None:
        return 0.0
    return scenario.group(group).cost_of_war.mode
