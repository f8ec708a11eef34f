"""The dynamics of one dyad of a scenario: shifting power, the disarmament problem, the deadline.

`dynamics_report(scenario, a, b, **params)` is what `standoff dynamics CASE --between A B` prints
(and what `standoff crisis CASE --between A B --dynamic` is meant to print). It reads the groups'
capability paths, costs of war and track records from the scenario and takes the rest from the
documented parameters below; every value it assumed is listed in the result's `params`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from standoff import lazy
from standoff.errors import ModelError
from standoff.games.dynamics import commitment, deadline, inputs, shifting_power
from standoff.scenario import Scenario

pd = lazy.load("pandas")

#: parameter -> (default, meaning); None defaults are filled from the scenario or left out
PARAMETERS: dict[str, tuple[Any, str]] = {
    "delta": (0.9, "discount factor per period"),
    "months": (6, "length of a period in months"),
    "periods": (12, "number of periods from the scenario's date"),
    "cost_a": (None, "A's cost of war, share of the stakes (default: the group's cost_of_war)"),
    "cost_b": (None, "B's cost of war (default: the group's cost_of_war)"),
    "proposer": ("declining", "who makes the offers in the subgame-perfect path: a, b, rising, declining"),
    "extrapolate": (False, "extend each capability path beyond its last point along its recent trend"),
    "trend_years": (2.0, "years of a path used for its trend (and the window of missile tests)"),
    "test_share": (0.5, "share of a group's capability the successful missile tests of the last "
                        "trend_years built (with missile tests only)"),
    "disarming": (None, "group that may disarm (default: the side whose power rises)"),
    "disarm_share": (None, "share of its capability the disarming side gives up "
                           "(default: back to the first point of its path)"),
    "benefit": (0.1, "per-period benefit offered for disarming, share of the stakes"),
    "sanctions": (0.05, "per-period cost to the disarming side of keeping its capability"),
    "loss": (0.0, "extra per-period loss if the promise is broken (intervention)"),
    "restraint_prior": ([1.0, 1.0], "Beta prior (alpha, beta) on the other side keeping its promise"),
    "deadline": (None, "date of the deadline (YYYY-MM-DD); no deadline section without it"),
    "round_days": (7, "days per round of offers before the deadline"),
    "first": ("a", "who makes the first offer before the deadline: a, b or a group id"),
    "breakdown_a": (None, "A's payoff if the talks fail at the deadline (default: its war payoff now)"),
    "breakdown_b": (None, "B's payoff if the talks fail at the deadline (default: its war payoff now)"),
    "optimism_a": (0.0, "A's optimism about making the last offer, 0..1"),
    "optimism_b": (0.0, "B's optimism about making the last offer, 0..1"),
}


def parameters() -> dict[str, tuple[Any, str]]:
    """The report's parameters: name -> (default, meaning)."""
    return dict(PARAMETERS)


def _params(given: dict[str, Any]) -> dict[str, Any]:
    unknown = [k for k in given if k not in PARAMETERS]
    if unknown:
        raise ModelError(f"the dynamics models take no parameter {unknown[0]!r}", where="--param",
                         fix=f"use one of {', '.join(PARAMETERS)}")
    out = {k: v[0] for k, v in PARAMETERS.items()}
    out.update(given)
    for key in ("delta", "trend_years", "test_share", "benefit", "sanctions", "loss", "optimism_a",
                "optimism_b"):
        out[key] = _number(key, out[key])
    for key in ("months", "periods", "round_days"):
        value = _number(key, out[key])
        if value != int(value) or value < 1:
            raise ModelError(f"{key} = {out[key]!r} must be a positive whole number", where="--param")
        out[key] = int(value)
    for key in ("cost_a", "cost_b", "disarm_share", "breakdown_a", "breakdown_b"):
        if out[key] is not None:
            out[key] = _number(key, out[key])
    prior = out["restraint_prior"]
    if not isinstance(prior, (list, tuple)) or len(prior) != 2:
        raise ModelError(f"restraint_prior {prior!r} is not a pair", where="--param",
                         fix="write it like restraint_prior=[1,1]")
    out["restraint_prior"] = [_number("restraint_prior", x) for x in prior]
    return out


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ModelError(f"{key} = {value!r} is not a number", where="--param",
                         fix=f"write it like {key}=0.5")
    return float(value)


def _cost(scenario: Scenario, group: str, given: float | None, key: str) -> float:
    if given is not None:
        return given
    value = scenario.group(group).cost_of_war
    if value is None:
        raise ModelError(f"group {group!r} has no cost_of_war", where=key,
                         fix=f"add `cost_of_war:` to the group in the scenario, or pass --param {key}=0.2")
    return value.mode


def dynamics_report(scenario: Scenario, a: str, b: str,
                    missile_tests: Mapping[str, pd.DataFrame] | None = None,
                    **params: Any) -> dict[str, Any]:
    """Shifting power, commitment and deadline analyses of the dyad (groups `a`, `b`).

    `missile_tests` maps a group to its test record (`inputs.read_missile_tests`): that group's
    path is then derived from the tests of the last `trend_years` years and extrapolated along
    their trend. Returns a dict: `dyad`, `params` (every value used), `paths` (each side's capability path and
    its origin), `shifting_power` (a `ShiftingPower`, its frame indexed by period with dates),
    `commitment` (threshold belief, benefit needed, belief path), `deadline` (frame or None) and
    `notes` (plain-language findings)."""
    if a == b:
        raise ModelError("a dyad needs two different groups", where="--between")
    for g in (a, b):
        scenario.group(g)
    p = _params(params)
    for g in missile_tests or {}:
        if g not in (a, b):
            raise ModelError(f"missile tests given for {g!r}, which is not in the dyad",
                             where="--missile-tests", fix=f"give them for {a} or {b}")
    start = scenario.date
    dates = inputs.period_dates(start, p["periods"], p["months"])
    paths, origins = {}, {}
    window = int(p["trend_years"] * 365.25)
    for g in (a, b):
        if missile_tests and g in missile_tests:
            since = start - dt.timedelta(days=window)
            points = inputs.tests_path(missile_tests[g], inputs.group_capability(scenario, g), start,
                                       since, p["test_share"])
            points, origin = inputs.extrapolate(points, dates[-1], window), "missile tests"
        else:
            points, origin = inputs.capability_points(scenario, g)
            if p["extrapolate"]:
                points = inputs.extrapolate(points, dates[-1], window)
        paths[g], origins[g] = points, origin
    cap_a, cap_b = inputs.sample(paths[a], dates), inputs.sample(paths[b], dates)
    power = inputs.power_path(cap_a, cap_b)
    k_a, k_b = _cost(scenario, a, p["cost_a"], "cost_a"), _cost(scenario, b, p["cost_b"], "cost_b")
    rising = a if power[-1] > power[0] else b if power[-1] < power[0] else None
    proposer = p["proposer"]
    if proposer in ("rising", "declining"):
        if rising is None:
            side = "a"
        else:
            side = "a" if (rising == a) == (proposer == "rising") else "b"
    elif proposer in ("a", "b"):
        side = proposer
    elif proposer in (a, b):
        side = "a" if proposer == a else "b"
    else:
        raise ModelError(f"proposer {proposer!r} is not a side of the dyad", where="--param proposer",
                         fix=f"use a, b, rising, declining, {a} or {b}")
    sp = shifting_power.solve(power, k_a, k_b, p["delta"], side, labels=[d.isoformat() for d in dates])
    sp.frame.insert(2, f"capability_{a}", cap_a)
    sp.frame.insert(3, f"capability_{b}", cap_b)
    p.update({"cost_a": k_a, "cost_b": k_b, "proposer_side": side})

    result: dict[str, Any] = {
        "dyad": {"a": a, "b": b, "date": start.isoformat(), "rising": rising},
        "params": p,
        "paths": {g: {"origin": origins[g], "points": [(d.isoformat(), v) for d, v in paths[g]]}
                  for g in (a, b)},
        "shifting_power": sp,
    }
    result["commitment"] = _commitment(scenario, a, b, p, power, cap_a, cap_b, paths, rising)
    result["deadline"] = _deadline(p, a, b, k_a, k_b, power[0], start)
    result["notes"] = _notes(result)
    return result


def _commitment(scenario, a, b, p, power, cap_a, cap_b, paths, rising) -> dict[str, Any]:
    disarming = p["disarming"] or rising or b
    if disarming not in (a, b):
        raise ModelError(f"disarming group {disarming!r} is not in the dyad", where="--param disarming",
                         fix=f"use {a} or {b}")
    other = b if disarming == a else a
    # keeping: the capability at the horizon's end (or now, if higher); the other side as now
    mine = cap_a if disarming == a else cap_b
    own, theirs = max(mine[-1], mine[0]), (cap_b if disarming == a else cap_a)[0]
    p1 = own / (own + theirs) if own + theirs > 0 else 0.0
    if p["disarm_share"] is not None:
        if not 0 <= p["disarm_share"] <= 1:
            raise ModelError("disarm_share must lie in 0..1", where="--param disarm_share")
        kept = own * (1 - p["disarm_share"])
        basis = f"gives up {p['disarm_share']:.0%} of its capability"
    else:
        kept = min(paths[disarming][0][1], mine[0], own)
        basis = f"goes back to its capability of {paths[disarming][0][0].isoformat()}"
    p0 = kept / (kept + theirs) if kept + theirs > 0 else 0.0
    game = commitment.Disarmament(p1=p1, p0=p0, cost=p["cost_a"] if disarming == a else p["cost_b"],
                                  sanctions=p["sanctions"], benefit=p["benefit"], loss=p["loss"],
                                  delta=p["delta"])
    record = [(r.date.isoformat(), r.description, r.kept, r.weight)
              for r in scenario.group(other).track_record if r.date <= scenario.date]
    beliefs = commitment.belief_path(*p["restraint_prior"], record)
    q_star = commitment.threshold_belief(game)
    q_now = float(beliefs["belief"].iloc[-1])
    beliefs["disarm_rational"] = beliefs["belief"] >= q_star
    grid = np.linspace(0, 1, 11)
    benefit = pd.DataFrame({"belief": grid, "benefit_needed": commitment.required_benefit(game, grid)})
    return {"disarming": disarming, "promising": other, "basis": basis, "p1": p1, "p0": p0,
            "u_keep": game.u_keep, "u_kept": game.u_kept, "u_reneged": game.u_reneged,
            "threshold_belief": q_star, "belief": q_now, "disarm_rational": bool(q_now >= q_star),
            "benefit_needed_now": float(commitment.required_benefit(game, q_now)),
            "beliefs": beliefs, "benefit_by_belief": benefit}


def _deadline(p, a, b, k_a, k_b, p0, start: dt.date) -> dict[str, Any] | None:
    if p["deadline"] is None:
        return None
    try:
        given = p["deadline"]
        when = given if isinstance(given, dt.date) else dt.date.fromisoformat(str(given))
    except ValueError:
        raise ModelError(f"deadline {p['deadline']!r} is not a date", where="--param deadline",
                         fix="write it like deadline=2018-06-12") from None
    days = (when - start).days
    if days <= 0:
        raise ModelError(f"the deadline {when} is not after the scenario's date {start}",
                         where="--param deadline", fix="pick a later date or an earlier --as-of")
    rounds = max(1, math.ceil(days / p["round_days"]))
    per_round = p["delta"] ** (p["round_days"] / (p["months"] * 30.4375))
    d_a = max(p0 - k_a, 0.0) if p["breakdown_a"] is None else p["breakdown_a"]
    d_b = max(1 - p0 - k_b, 0.0) if p["breakdown_b"] is None else p["breakdown_b"]
    first = {a: "a", b: "b"}.get(p["first"], p["first"])
    frame = deadline.solve_deadline(rounds, per_round, per_round, d_a, d_b, first,
                                    p["optimism_a"], p["optimism_b"])
    frame.insert(1, "date", [(start + dt.timedelta(days=p["round_days"] * k)).isoformat()
                             for k in range(rounds)])
    at = deadline.agreement_period(frame)
    return {"deadline": when.isoformat(), "rounds": rounds, "delta_per_round": per_round,
            "breakdown_a": d_a, "breakdown_b": d_b, "agreement_round": at,
            "agreement_date": None if at is None else frame["date"].iloc[at - 1], "frame": frame}


def _notes(result: dict[str, Any]) -> list[str]:
    a, b = result["dyad"]["a"], result["dyad"]["b"]
    sp: shifting_power.ShiftingPower = result["shifting_power"]
    f = sp.frame
    notes = [f"p_t ({a} prevails) moves from {f['p'].iloc[0]:.2f} to {f['p'].iloc[-1]:.2f} over "
             f"{len(f)} periods ({f['label'].iloc[0]} to {f['label'].iloc[-1]})."]
    if sp.peaceful_path:
        notes.append("A peaceful division exists from every period on: the commitment problem does not "
                     "bind on this path.")
    else:
        bad = np.flatnonzero(~f["powell_condition"].to_numpy())
        notes.append("No peaceful path: the shift in power is too large for the costs of war "
                     f"(Powell's condition fails in {', '.join(f['label'].iloc[t] for t in bad)}).")
    for side, window in ((a, sp.window_a), (b, sp.window_b)):
        if window:
            notes.append(f"Preventive-war window: {side} strikes rather than accept the best offer it "
                         f"can get if the dyad reaches {', '.join(f['label'].iloc[t] for t in window)} "
                         "at peace.")
    if sp.war_period is not None:
        notes.append(f"Subgame-perfect path: war in period {sp.war_period} "
                     f"({f['label'].iloc[sp.war_period]}).")
    c = result["commitment"]
    q = c["threshold_belief"]
    if c["p0"] >= c["p1"] - 1e-12:
        notes.append(f"{c['disarming']}'s capability path gives it nothing to give up; set "
                     "--param disarm_share=0.5 (say) to ask what disarming would take.")
    elif q <= 0:
        notes.append(f"Disarmament by {c['disarming']} pays whatever it believes about {c['promising']}'s "
                     "restraint (threshold belief ≤ 0).")
    elif q > 1:
        notes.append(f"Disarmament by {c['disarming']} does not pay even if {c['promising']} surely keeps "
                     f"its promise (threshold belief {q:.2f} > 1); it needs a benefit of at least "
                     f"{c['benefit_needed_now']:.2f} per period at its current belief.")
    else:
        verdict = "rational" if c["disarm_rational"] else "not rational"
        notes.append(f"Disarmament by {c['disarming']}: needs belief ≥ {q:.2f} that {c['promising']} "
                     f"keeps its promise; belief now {c['belief']:.2f}, so disarming is {verdict}.")
    d = result["deadline"]
    if d is not None:
        if d["agreement_round"] is None:
            notes.append(f"Deadline {d['deadline']}: no agreement before it (breakdown).")
        else:
            notes.append(f"Deadline {d['deadline']}: agreement forecast in round {d['agreement_round']} "
                         f"of {d['rounds']} ({d['agreement_date']}).")
    return notes
