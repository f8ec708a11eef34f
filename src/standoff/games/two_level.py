"""Two-level games (Putnam 1988): states as coalitions of factions, win-sets, and the deal.

Steps (docs/models/two-level.md):

1. ``group_positions``: each group's negotiating position, from an internal bargain among its
   factions run by any registered model (compromise by default) on the group's members alone.
2. ``group_winsets``: each group's win-set on each issue against the status quo, an exact interval
   (:mod:`standoff.models.winsets`), with the faction whose resistance fixes each end.
3. ``intersect``: per issue, the intersection of the win-sets of the groups that must ratify
   (``role: party``); it always holds the status quo, and is *empty* when it holds nothing else.
4. ``international_bargain``: the same model run on the groups as actors (position from step 1,
   capability Σ c_i, salience Σ c_i s_ik / Σ c_i, so that a group brings the clout of its members),
   giving the unconstrained deal.
5. ``feasible_deal``: the unconstrained deal clipped into the intersection, issue by issue; then,
   for parties whose factions judge packages (``linkage: joint``), pulled back along the segment
   from the status quo to the largest step that each of them ratifies.
6. ``after_the_deal``: each group's stakes applied on the deal's terms, and whether the deal lies
   inside the group's own (changed) win-set: the third parties it leaves outside.

:func:`analyse` wires them together; :func:`wedges` ranks single-faction changes by how much they
widen the intersection.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from standoff import lazy
from standoff.errors import ScenarioChangeError, did_you_mean
from standoff.models import winsets as ws
from standoff.models.base import Model, make
from standoff.models.forecast import nearest_anchor, nearest_outcome
from standoff.scenario import Scenario
from standoff.scenario.schema import SALIENCE_MAX, Actor, Effect, Group

pd = lazy.load("pandas")

DEFAULT_QUOTA = 0.5


@dataclass(frozen=True)
class Faction:
    """A group's member as the two-level game sees it."""

    id: str
    capability: float
    positions: dict[str, float]
    salience: dict[str, float]  # 0..1


@dataclass(frozen=True)
class State:
    """A group (or an actor outside any group, as a group of one) with its factions and rules."""

    id: str
    name: str
    role: str
    linkage: str
    quota: float
    veto: tuple[str, ...]
    factions: tuple[Faction, ...]
    group: Group | None = None

    @property
    def capability(self) -> float:
        return sum(f.capability for f in self.factions)

    def weight(self, issue: str) -> float:
        """Σ c_i s_ik: the clout the group brings to an issue."""
        return sum(f.capability * f.salience[issue] for f in self.factions)


@dataclass(frozen=True)
class Bound:
    """What fixes one end of a win-set or of the intersection."""

    group: str
    kind: str  # quota | veto | scale
    faction: str | None

    def describe(self) -> str:
        if self.kind == ws.SCALE:
            return f"{self.group}: end of the scale"
        word = "veto" if self.kind == ws.VETO else "pivot"
        return f"{self.group}: {word} {self.faction}"


class _Interval:
    """An interval [low, high] on an issue scale that always contains the status quo."""

    low: float
    high: float
    status_quo: float

    @property
    def empty(self) -> bool:
        """True when the interval holds no agreement but the status quo itself."""
        return self.high - self.low <= 1e-12 * max(1.0, abs(self.status_quo))

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class WinSet(_Interval):
    """A group's win-set on one issue: the closed interval [low, high] ∋ status quo."""

    group: str
    issue: str
    position: float
    status_quo: float
    low: float
    high: float
    low_bound: Bound
    high_bound: Bound


@dataclass(frozen=True)
class IssueDeal(_Interval):
    """Per issue: the intersection of the parties' win-sets, the deal and what bounds it."""

    issue: str
    title: str
    status_quo: float
    low: float
    high: float
    low_bound: Bound | None
    high_bound: Bound | None
    unconstrained: float
    deal: float
    bounded_by: Bound | None
    nearest_point: str | None


@dataclass(frozen=True)
class Verdict:
    """Whether a group would ratify the deal, after its stakes have reacted to the deal's terms."""

    group: str
    role: str
    linkage: str
    inside: bool
    issues_outside: list[str]
    support: float  # share of the group's weight that weakly prefers the package to the status quo
    stakes_applied: list[str]


@dataclass(frozen=True)
class TwoLevel:
    """The two-level analysis of a scenario."""

    scenario: str
    date: str | None
    model: str
    states: list[dict[str, Any]]
    winsets: list[WinSet]
    issues: list[IssueDeal]
    joint_step: float | None
    joint_bound: Bound | None
    verdicts: list[Verdict]
    nearest_outcome: str | None = None
    nearest_outcome_distance: float | None = None
    notes: list[str] = field(default_factory=list)

    def deal(self) -> dict[str, float]:
        return {i.issue: i.deal for i in self.issues}

    def winset(self, group: str, issue: str) -> WinSet:
        for w in self.winsets:
            if w.group == group and w.issue == issue:
                return w
        raise KeyError((group, issue))

    def issue(self, issue: str) -> IssueDeal:
        for i in self.issues:
            if i.issue == issue:
                return i
        raise KeyError(issue)

    @property
    def strained(self) -> list[str]:
        """Third parties left outside their own win-set by the deal."""
        return [v.group for v in self.verdicts if v.role == "third-party" and not v.inside]

    def winsets_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{
            "group": w.group, "issue": w.issue, "position": w.position, "status_quo": w.status_quo,
            "low": w.low, "high": w.high, "empty": w.empty,
            "low_bound": w.low_bound.describe(), "high_bound": w.high_bound.describe()}
            for w in self.winsets])

    def issues_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{
            "issue": i.issue, "status_quo": i.status_quo, "low": i.low, "high": i.high,
            "empty": i.empty, "unconstrained": i.unconstrained, "deal": i.deal,
            "nearest_point": i.nearest_point,
            "bounded_by": i.bounded_by.describe() if i.bounded_by else ""} for i in self.issues])

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        for w, d in zip(self.winsets, out["winsets"], strict=True):
            d["empty"] = w.empty
        for i, d in zip(self.issues, out["issues"], strict=True):
            d["empty"] = i.empty
        out["strained"] = self.strained
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, default=str)


# --- step 0: the states -----------------------------------------------------------------------
def states_of(scenario: Scenario, joint: bool = False) -> list[State]:
    """The groups with members, then each actor outside any group as a state of one."""
    out = []
    for g in scenario.groups:
        members = scenario.members(g.id)
        if not members:
            continue
        out.append(State(g.id, g.name, g.role, "joint" if joint else g.linkage,
                         g.ratification_quota or DEFAULT_QUOTA, g.veto,
                         tuple(_faction(a, scenario) for a in members), g))
    for a in scenario.actors:
        if a.group is None:
            out.append(State(a.id, a.name, "party", "joint" if joint else "per-issue", DEFAULT_QUOTA,
                             (), (_faction(a, scenario),)))
    return out


def _faction(a: Actor, scenario: Scenario) -> Faction:
    return Faction(a.id, a.capability.mode, {i: a.positions[i].mode for i in scenario.issue_ids},
                   {i: a.salience[i].mode / SALIENCE_MAX for i in scenario.issue_ids})


def status_quo(scenario: Scenario) -> dict[str, float]:
    """The status quo per issue; a win-set needs one, so its absence is a user error."""
    out = {}
    for k, issue in enumerate(scenario.issues):
        if issue.status_quo is None:
            raise ScenarioChangeError(
                f"issue {issue.id!r} has no status quo, and a win-set is measured against it",
                file=scenario.path, where=f"issues[{k}].status_quo",
                fix="add `status_quo: VALUE` to the issue (the outcome if no deal is made)")
        out[issue.id] = issue.status_quo.mode
    return out


# --- step 1: internal bargains ----------------------------------------------------------------
def group_positions(scenario: Scenario, states: list[State], model: Model) -> dict[str, dict[str, float]]:
    """Each state's negotiating position: `model` run on its factions alone.

    A state of one takes its faction's position. On an issue none of its factions cares about
    (Σ c_i s_ik = 0) a weighted model has nothing to weigh, so the position is the plain mean.
    """
    out = {}
    for st in states:
        ids = [f.id for f in st.factions]
        if len(ids) == 1:
            out[st.id] = dict(st.factions[0].positions)
            continue
        sub = scenario.model_copy(update={
            "actors": tuple(a.model_copy(update={"group": None}) for a in scenario.actors
                            if a.id in ids),
            "groups": (), "events": (), "recorded": ()})
        fc = model.forecast(sub)
        pos = {}
        for i in scenario.issue_ids:
            if st.weight(i) > 0 and np.isfinite(fc.value(i)):
                pos[i] = fc.value(i)
            else:
                pos[i] = float(np.mean([f.positions[i] for f in st.factions]))
        out[st.id] = pos
    return out


# --- step 2: win-sets -------------------------------------------------------------------------
def group_winsets(scenario: Scenario, states: list[State], positions: dict[str, dict[str, float]],
                  q: dict[str, float]) -> list[WinSet]:
    """Every state's exact win-set on every issue."""
    out = []
    for st in states:
        for issue in scenario.issues:
            out.append(state_winset(st, issue.id, q[issue.id], issue.min, issue.max,
                                    positions[st.id][issue.id]))
    return out


def state_winset(st: State, issue: str, q: float, low: float, high: float,
                 position: float = float("nan")) -> WinSet:
    """One state's win-set on one issue (weights c_i s_ik, veto holders that care)."""
    x = np.array([f.positions[issue] for f in st.factions])
    w = np.array([f.capability * f.salience[issue] for f in st.factions])
    veto = np.array([f.id in st.veto and f.salience[issue] > 0 for f in st.factions])
    lo, hi = ws.interval(x, w, q, low, high, st.quota, veto)
    name = lambda e: None if e.faction is None else st.factions[e.faction].id  # noqa: E731
    return WinSet(st.id, issue, position, q, lo.value, hi.value,
                  Bound(st.id, lo.kind, name(lo)), Bound(st.id, hi.kind, name(hi)))


# --- step 3: intersection ---------------------------------------------------------------------
def intersect(winsets: list[WinSet], parties: list[str], issue: str, low: float,
              high: float) -> tuple[float, float, Bound | None, Bound | None]:
    """The intersection of the parties' win-sets on one issue, and the win-set fixing each end
    (with no party, the whole scale [low, high], bounded by nobody)."""
    mine = [w for w in winsets if w.issue == issue and w.group in parties]
    if not mine:
        return low, high, None, None
    lo = max(mine, key=lambda w: w.low)
    hi = min(mine, key=lambda w: w.high)
    return lo.low, hi.high, lo.low_bound, hi.high_bound


# --- step 4: the international bargain --------------------------------------------------------
def international_bargain(scenario: Scenario, states: list[State],
                          positions: dict[str, dict[str, float]], model: Model) -> dict[str, float]:
    """`model` run on the states as actors: position from the internal bargain, capability Σ c_i,
    salience Σ c_i s_ik / Σ c_i (so that capability × salience is the members' total)."""
    actors = []
    for st in states:
        cap = st.capability
        sal = {i: (100.0 * st.weight(i) / cap if cap > 0 else 0.0) for i in scenario.issue_ids}
        actors.append(Actor(id=st.id, name=st.name, capability=cap,
                            positions={i: positions[st.id][i] for i in scenario.issue_ids},
                            salience=sal))
    if len(actors) == 1:
        return dict(positions[states[0].id])
    sub = scenario.model_copy(update={"actors": tuple(actors), "groups": (), "events": (),
                                      "recorded": ()})
    fc = model.forecast(sub)
    return {i: fc.value(i) for i in scenario.issue_ids}


# --- step 5: the feasible deal ----------------------------------------------------------------
def package_step(st: State, scenario: Scenario, q: dict[str, float],
                 target: dict[str, float]) -> tuple[float, str | None, str]:
    """The largest t ∈ [0, 1] such that the state ratifies q + t(target − q) as a package:
    factions weigh c_i · mean_k s_ik, each judges the package by u_i (winsets.package_utility)."""
    ids = scenario.issue_ids
    ideal = np.array([[f.positions[i] for i in ids] for f in st.factions])
    sal = np.array([[f.salience[i] for i in ids] for f in st.factions])
    scale = np.array([scenario.issue(i).range for i in ids])
    reach = ws.package_reach(np.array([q[i] for i in ids]), np.array([target[i] for i in ids]),
                             ideal, sal, scale)
    w = np.array([f.capability for f in st.factions]) * sal.mean(axis=1)
    veto = np.array([f.id in st.veto and sal[k].sum() > 0 for k, f in enumerate(st.factions)])
    end = ws.pivot(reach, w, st.quota, 1.0, veto)
    return end.value, None if end.faction is None else st.factions[end.faction].id, end.kind


def package_support(st: State, scenario: Scenario, q: dict[str, float],
                    deal: dict[str, float]) -> tuple[float, bool]:
    """Share of the state's package weight that weakly prefers `deal` to q, and whether a
    veto holder (that cares) strictly prefers q."""
    ids = scenario.issue_ids
    ideal = np.array([[f.positions[i] for i in ids] for f in st.factions])
    sal = np.array([[f.salience[i] for i in ids] for f in st.factions])
    scale = np.array([scenario.issue(i).range for i in ids])
    u_deal = ws.package_utility(np.array([deal[i] for i in ids]), ideal, sal, scale)
    u_q = ws.package_utility(np.array([q[i] for i in ids]), ideal, sal, scale)
    supports = u_deal >= u_q - 1e-9
    w = np.array([f.capability for f in st.factions]) * sal.mean(axis=1)
    share = float(w[supports].sum() / w.sum()) if w.sum() > 0 else 1.0
    vetoed = any(f.id in st.veto and sal[k].sum() > 0 and not supports[k]
                 for k, f in enumerate(st.factions))
    return share, vetoed


# --- step 6: after the deal -------------------------------------------------------------------
def with_stakes(st: State, scenario: Scenario, deal: dict[str, float]) -> tuple[State, list[str]]:
    """The state with every stake whose condition the deal meets applied to all its members."""
    if st.group is None or not st.group.stakes:
        return st, []
    factions = list(st.factions)
    applied = []
    for stake in st.group.stakes:
        if not stake.when.holds(deal[stake.when.issue]):
            continue
        change = f"{stake.field} on {stake.issue} " + (
            f"{stake.by:+g}" if stake.by is not None else f"to {stake.to:g}")
        applied.append(change + (f" ({stake.note})" if stake.note else ""))
        for k, f in enumerate(factions):
            factions[k] = _changed(f, stake.field, stake.issue, stake.by, stake.to, scenario)
    return dataclasses.replace(st, factions=tuple(factions)), applied


def _changed(f: Faction, fld: str, issue: str, by: float | None, to: float | None,
             scenario: Scenario) -> Faction:
    """A faction with its position (on the scale) or salience (0..1) changed and clipped."""
    if fld == "position":
        i = scenario.issue(issue)
        x = f.positions[issue] + by if by is not None else to
        return dataclasses.replace(f, positions={**f.positions, issue: float(np.clip(x, i.min, i.max))})
    s = f.salience[issue] * SALIENCE_MAX + by if by is not None else to
    return dataclasses.replace(f, salience={**f.salience,
                                            issue: float(np.clip(s, 0, SALIENCE_MAX)) / SALIENCE_MAX})


def verdict(st: State, scenario: Scenario, q: dict[str, float], deal: dict[str, float]) -> Verdict:
    """Whether the state, its stakes changed by the deal's terms, would ratify the deal: per issue
    (deal inside each win-set) for `per-issue` linkage, as a package for `joint` linkage."""
    changed, applied = with_stakes(st, scenario, deal)
    outside = []
    for issue in scenario.issues:
        w = state_winset(changed, issue.id, q[issue.id], issue.min, issue.max)
        tol = 1e-9 * issue.range
        if not w.low - tol <= deal[issue.id] <= w.high + tol:
            outside.append(issue.id)
    share, vetoed = package_support(changed, scenario, q, deal)
    if changed.linkage == "joint":
        inside = share >= changed.quota * (1 - 1e-9) and not vetoed
    else:
        inside = not outside
    return Verdict(st.id, st.role, changed.linkage, inside, outside, share, applied)


# --- the whole analysis -----------------------------------------------------------------------
def analyse(scenario: Scenario, model: str | Model = "compromise", joint: bool = False) -> TwoLevel:
    """The two-level game of a scenario: positions, win-sets, intersection, deal, verdicts.

    `model` runs both the internal bargains and the international one; `joint` makes every state
    judge deals as packages (otherwise each group's `linkage` decides).
    """
    m = make(model) if isinstance(model, str) else model
    q = status_quo(scenario)
    states = states_of(scenario, joint)
    positions = group_positions(scenario, states, m)
    wsets = group_winsets(scenario, states, positions, q)
    parties = [st.id for st in states if st.role == "party"]
    notes = []
    if not parties:
        notes.append("no group is a party: every group is a third party, so nothing bounds the deal")
    free = international_bargain(scenario, states, positions, m)

    # clip into the per-issue intersection (the per-issue parties), then step back for joint ones
    per_issue = [st.id for st in states if st.role == "party" and st.linkage == "per-issue"]
    scale = {i.id: (i.min, i.max) for i in scenario.issues}
    inter = {i: intersect(wsets, parties, i, *scale[i]) for i in scenario.issue_ids}
    box = {i: intersect(wsets, per_issue, i, *scale[i]) for i in scenario.issue_ids}
    clipped = {i: float(np.clip(free[i], box[i][0], box[i][1])) for i in scenario.issue_ids}
    step, step_bound = 1.0, None
    for st in states:
        if st.role == "party" and st.linkage == "joint":
            t, who, kind = package_step(st, scenario, q, clipped)
            if t < step:
                step, step_bound = t, Bound(st.id, kind, who)
    deal = {i: q[i] + step * (clipped[i] - q[i]) for i in scenario.issue_ids}

    issues = []
    for issue in scenario.issues:
        i = issue.id
        lo, hi, lo_b, hi_b = inter[i]
        blo, bhi, blo_b, bhi_b = box[i]
        if free[i] > bhi + 1e-12 * issue.range:
            bounded = bhi_b
        elif free[i] < blo - 1e-12 * issue.range:
            bounded = blo_b
        else:
            bounded = None
        if step < 1.0 and abs(clipped[i] - q[i]) > 1e-12 * issue.range:
            bounded = step_bound
        anchor = nearest_anchor(issue, deal[i])
        issues.append(IssueDeal(i, issue.title, q[i], lo, hi, lo_b, hi_b, free[i], deal[i], bounded,
                                None if anchor is None else f"{anchor.label} ({anchor.value:g})"))
    verdicts = [verdict(st, scenario, q, deal) for st in states]
    outcome, distance = nearest_outcome(scenario, deal)
    summary = [{"id": st.id, "name": st.name, "role": st.role, "linkage": st.linkage,
                "quota": st.quota, "veto": list(st.veto), "factions": [f.id for f in st.factions],
                "position": positions[st.id]} for st in states]
    has_joint = any(st.role == "party" and st.linkage == "joint" for st in states)
    return TwoLevel(scenario.id, str(scenario.date), m.name, summary, wsets, issues,
                    step if has_joint else None, step_bound, verdicts, outcome, distance, notes)


# --- wedges -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Wedge:
    """One change to one faction and what it does to the intersection and the deal."""

    change: str
    faction: str
    field: str
    issue: str | None
    widening: float  # Σ_k change of the intersection's width, in % of each issue's scale
    widths: dict[str, float]
    deal: dict[str, float]
    deal_shift: dict[str, float]
    joint_step: float | None = None  # with package parties: how far the deal goes toward the bargain


def intersection_size(result: TwoLevel, scenario: Scenario) -> float:
    """Σ_k width of the intersection on issue k, in % of its scale."""
    return sum(100.0 * i.width / scenario.issue(i.issue).range for i in result.issues)


def wedge_changes(scenario: Scenario, group: str, position_step: float = 10.0,
                  salience_step: float = 10.0, capability_step: float = 25.0) -> list[Effect]:
    """The single changes tried on each faction of `group`: capability ±capability_step %,
    salience ±salience_step points per issue, position ±position_step % of the scale per issue;
    changes that would leave the scale are clipped, and changes that do nothing are dropped."""
    if group not in scenario.group_ids:
        raise ScenarioChangeError(f"unknown group {group!r}", where="--widen",
                                  fix=f"{did_you_mean(group, scenario.group_ids)}use one of: "
                                      f"{', '.join(scenario.group_ids) or 'no groups'}")
    members = scenario.members(group)
    if not members:
        raise ScenarioChangeError(f"group {group!r} has no factions", where="--widen",
                                  fix="name a group with member actors")
    out = []
    for a in members:
        cap = a.capability.mode
        for sign in (1, -1):
            to = max(0.0, cap * (1 + sign * capability_step / 100.0))
            if to != cap:
                out.append(Effect(actor=a.id, field="capability", to=to))
        for issue in scenario.issues:
            s = a.salience[issue.id].mode
            x = a.positions[issue.id].mode
            for sign in (1, -1):
                s2 = float(np.clip(s + sign * salience_step, 0, SALIENCE_MAX))
                if s2 != s:
                    out.append(Effect(actor=a.id, field="salience", issue=issue.id, to=s2))
                x2 = float(np.clip(x + sign * position_step / 100.0 * issue.range, issue.min, issue.max))
                if x2 != x:
                    out.append(Effect(actor=a.id, field="position", issue=issue.id, to=x2))
    return out


def describe_change(e: Effect, scenario: Scenario) -> str:
    a = scenario.actor(e.actor)
    if e.field == "capability":
        return f"{e.actor} capability {a.capability.mode:g} → {e.to:g}"
    old = (a.positions if e.field == "position" else a.salience)[e.issue].mode
    return f"{e.actor} {e.field} on {e.issue} {old:g} → {e.to:g}"


def wedges(scenario: Scenario, group: str, model: str | Model = "compromise", joint: bool = False,
           top: int = 10, **steps: float) -> tuple[list[Wedge], TwoLevel]:
    """Rank single changes to one faction of `group` by how much they widen the intersection of
    the parties' win-sets (Σ_k width in % of scale), ties broken by the smaller move of the deal.
    Returns the `top` wedges and the baseline analysis."""
    m = make(model) if isinstance(model, str) else model
    base = analyse(scenario, m, joint)
    size0 = intersection_size(base, scenario)
    deal0 = base.deal()
    found = []
    for e in wedge_changes(scenario, group, **steps):
        r = analyse(scenario.with_changes([e]), m, joint)
        deal = r.deal()
        found.append(Wedge(describe_change(e, scenario), e.actor, e.field, e.issue,
                           intersection_size(r, scenario) - size0,
                           {i.issue: i.width for i in r.issues}, deal,
                           {k: deal[k] - deal0[k] for k in deal}, r.joint_step))
    found.sort(key=lambda w: (-round(w.widening, 9),
                              sum(abs(v) for v in w.deal_shift.values()), w.change))
    return found[:top], base
