"""Lever search: the single changes, by or to one actor, that move a forecast most toward a
party's own position.

The party is an actor or a group (a state whose factions are actors). Its ideal point on issue k
is the capability × salience weighted mean of its members' positions, x̂_k, and its stake in the
issue is w_k = Σ c_i s_ik over its members. The distance of a forecast x from what it wants is

    D(x) = Σ_k w_k · 100 |x_k − x̂_k| / (max_k − min_k)  /  Σ_k w_k        (0..100 scale points)

and a lever's gain is D(baseline) − D(changed): positive when the change helps the party.
The single changes tried, for every actor j (the party's own members included):

- its position on each issue moved by ±step % of the scale (clipped to the scale);
- its salience on each issue ±`salience_step` points (clipped to 0..100);
- its capability ±`capability_step` %;
- j removed from the table (not the party's own members, and only while three or more remain).

Each change is a `--set`/`--without` expression that `standoff compare --what-if` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from standoff.analysis.whatif import WhatIf
from standoff.errors import ScenarioChangeError, did_you_mean
from standoff.models.base import Batch, Model, make
from standoff.scenario import Scenario
from standoff.scenario.schema import SALIENCE_MAX


@dataclass(frozen=True)
class Lever:
    """One single change and its effect on the forecast and on the party's distance."""

    change: str
    actor: str
    kind: str
    gain: float
    distance: float
    values: dict[str, float]


def party_members(scenario: Scenario, party: str) -> tuple[str, ...]:
    """The actor ids of a party: the actor itself, or the members of a group."""
    if party in scenario.actor_ids:
        return (party,)
    if party in scenario.group_ids:
        members = tuple(a.id for a in scenario.members(party))
        if not members:
            raise ScenarioChangeError(f"group {party!r} has no actors", where="--for",
                                      fix="name a group with member actors, or an actor")
        return members
    raise ScenarioChangeError(f"unknown actor or group {party!r}", where="--for",
                              fix=f"{did_you_mean(party, scenario.group_ids + scenario.actor_ids)}"
                                  f"use one of: {', '.join(scenario.group_ids + scenario.actor_ids)}")


def ideal_point(scenario: Scenario, party: str) -> tuple[np.ndarray, np.ndarray]:
    """(x̂[K], w[K]): the party's weighted mean position and its stake on each issue."""
    members = [scenario.actor(a) for a in party_members(scenario, party)]
    x = np.array([[a.positions[i].mode for i in scenario.issue_ids] for a in members])
    w = np.array([[a.capability.mode * a.salience[i].mode for i in scenario.issue_ids] for a in members])
    stake = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ideal = np.where(stake > 0, (w * x).sum(axis=0) / np.where(stake > 0, stake, 1), x.mean(axis=0))
    return ideal, stake


def distance(scenario: Scenario, values: np.ndarray, ideal: np.ndarray, stake: np.ndarray) -> np.ndarray:
    """D(x) for forecasts values[B, K] (see the module docstring)."""
    ranges = np.array([i.range for i in scenario.issues])
    gaps = 100.0 * np.abs(values - ideal) / ranges
    weights = stake if stake.sum() > 0 else np.ones_like(stake)
    return gaps @ weights / weights.sum()


def candidates(scenario: Scenario, party: str, *, step: float = 10.0, salience_step: float = 20.0,
               capability_step: float = 20.0) -> list[tuple[str, WhatIf]]:
    """Every single change tried, as (`--set`/`--without` text, WhatIf)."""
    own = set(party_members(scenario, party))
    out: list[tuple[str, WhatIf]] = []
    for a in scenario.actors:
        for issue in scenario.issues:
            x, d = a.positions[issue.id].mode, step / 100.0 * issue.range
            for sign in (+1, -1):
                new = min(max(x + sign * d, issue.min), issue.max)
                if new != x:
                    text = f"{a.id}.{issue.id}.position={new:g}"
                    out.append((text, WhatIf.parse(settings=[text])))
            s = a.salience[issue.id].mode
            for sign in (+1, -1):
                new = min(max(s + sign * salience_step, 0.0), SALIENCE_MAX)
                if new != s:
                    text = f"{a.id}.{issue.id}.salience={new:g}"
                    out.append((text, WhatIf.parse(settings=[text])))
        if a.capability.mode > 0:
            for sign in ("+", "-"):
                text = f"{a.id}.capability={sign}{capability_step:g}%"
                out.append((text, WhatIf.parse(settings=[text])))
        if a.id not in own and len(scenario.actors) > 2:
            out.append((f"without {a.id}", WhatIf(without=(a.id,))))
    return out


def levers(scenario: Scenario, party: str, model: Model | str, *, step: float = 10.0,
           salience_step: float = 20.0, capability_step: float = 20.0,
           top: int | None = 10) -> tuple[list[Lever], dict[str, float], float]:
    """Rank the single changes by their gain for `party` (largest first).

    Returns (levers, baseline forecast per issue, baseline distance). Changes that keep the
    actors run as one batch; removals run one by one (they change the batch's shape)."""
    model = make(model) if isinstance(model, str) else model
    ideal, stake = ideal_point(scenario, party)
    base = model.predict(Batch.from_scenario(scenario)).values
    d0 = float(distance(scenario, base, ideal, stake)[0])
    same, removed = [], []
    for text, wi in candidates(scenario, party, step=step, salience_step=salience_step,
                               capability_step=capability_step):
        (removed if wi.without else same).append((text, wi))
    results: list[tuple[str, str, np.ndarray]] = []
    if same:
        changed = [wi.apply(scenario) for _, wi in same]
        values = model.predict(Batch.from_scenarios(changed)).values
        for (text, wi), v in zip(same, values, strict=True):
            results.append((text, wi.settings[0].actor, v))
    for text, wi in removed:
        v = model.predict(Batch.from_scenario(wi.apply(scenario))).values[0]
        results.append((text, wi.without[0], v))
    out = []
    for text, actor, v in results:
        d = float(distance(scenario, v[None, :], ideal, stake)[0])
        kind = "removal" if text.startswith("without") else text.split("=")[0].rsplit(".", 1)[1]
        out.append(Lever(text, actor, kind, d0 - d, d, dict(zip(scenario.issue_ids, map(float, v),
                                                               strict=True))))
    out.sort(key=lambda lv: (-lv.gain, lv.change))
    return (out[:top] if top else out), dict(zip(scenario.issue_ids, map(float, base[0]), strict=True)), d0
