"""The scenario language: pydantic models of a negotiation as the analyst writes it down.

Every model here is frozen. Values that an analyst may know only roughly (positions,
saliences, capabilities, risk attitudes, costs) are a :class:`Value`: a point (`mode`) with
an optional triangular range (`low`, `high`) or a normal spread (`sd`), and the source and
rationale behind it. Point forecasts use the mode; Monte Carlo samples the range.

Cross-references (an actor's group, an effect's issue, a cited source) are checked in
:mod:`standoff.scenario.validate`, which reports every problem with its place in the file.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
OTHER_OUTCOME = "other"  # a recorded outcome that none of the case's named outcomes describes
SALIENCE_MAX = 100.0


def _number(v: Any) -> Any:
    """Accept ints and floats only (YAML `yes` or `"12"` is a mistake, not a number)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"expected a number, got {type(v).__name__} {v!r}")
    if not math.isfinite(v):
        raise ValueError(f"expected a finite number, got {v!r}")
    return float(v)


Number = Annotated[float, BeforeValidator(_number)]
Id = Annotated[str, Field(pattern=ID_PATTERN, description="lower-case words joined by hyphens")]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Value(Frozen):
    """A number an analyst gives: a point, or a range for Monte Carlo, with its source.

    Written in YAML as a bare number (`60`) or a mapping (`{value: 60, low: 50, high: 70,
    source: orchard-2018, note: "..."}`; `mode` is a synonym of `value`).
    """

    mode: Number
    low: Number | None = None
    high: Number | None = None
    sd: Number | None = Field(default=None, description="standard deviation of a normal spread")
    source: str | None = None
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, (int, float, dict)):
            raise ValueError(f"expected a number, got {type(data).__name__} {data!r}")
        if isinstance(data, (int, float)):
            return {"mode": data}
        if isinstance(data, dict) and "value" in data:
            data = dict(data)
            if "mode" in data:
                raise ValueError("give `value` or `mode`, not both")
            data["mode"] = data.pop("value")
        return data

    @model_validator(mode="after")
    def _ordered(self) -> Value:
        if (self.low is None) != (self.high is None):
            raise ValueError("a range needs both `low` and `high`")
        if self.low is not None and self.high is not None:
            if self.low > self.high:
                raise ValueError(f"range low {self.low:g} is above high {self.high:g}")
            if not self.low <= self.mode <= self.high:
                raise ValueError(f"value {self.mode:g} lies outside its range "
                                 f"[{self.low:g}, {self.high:g}]")
        if self.sd is not None and self.sd < 0:
            raise ValueError(f"sd {self.sd:g} is negative")
        if self.sd is not None and self.low is not None:
            raise ValueError("give a range (`low`, `high`) or `sd`, not both")
        return self

    @property
    def is_uncertain(self) -> bool:
        return self.low is not None or self.sd is not None

    def shifted(self, by: float) -> Value:
        """The same value moved by `by`, range and all."""
        return self.model_copy(update={
            "mode": self.mode + by,
            "low": None if self.low is None else self.low + by,
            "high": None if self.high is None else self.high + by,
        })

    def set_to(self, to: float) -> Value:
        """The value moved to `to`, keeping the width of its range around the new point."""
        return self.shifted(to - self.mode)


class Source(Frozen):
    """A document that values cite by `id`."""

    id: Id
    title: str
    publisher: str | None = None
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None


class Anchor(Frozen):
    """A labelled point on an issue scale."""

    value: Number
    label: str
    description: str | None = None


class Issue(Frozen):
    """One issue on the table: a scale from `min` to `max` with labelled points."""

    id: Id
    title: str
    description: str | None = None
    min: Number
    max: Number
    unit: str | None = None
    anchors: tuple[Anchor, ...] = ()
    status_quo: Value | None = None

    @model_validator(mode="after")
    def _scale(self) -> Issue:
        if self.min >= self.max:
            raise ValueError(f"scale min {self.min:g} must be below max {self.max:g}")
        return self

    @property
    def range(self) -> float:
        return self.max - self.min


class CapabilityPoint(Frozen):
    """A group's military capability on a date, declared or projected (see docs/models/dynamics.md)."""

    date: dt.date
    value: Number = Field(ge=0, description="capability on the scale of the members' summed capability")
    source: str | None = None
    note: str | None = None


class Precedent(Frozen):
    """A past case in which the group promised restraint to a state that gave up capability."""

    date: dt.date
    description: str
    kept: bool = Field(description="true if the promise of restraint was kept")
    weight: Number = Field(default=1.0, gt=0, le=1, description="relevance of the precedent, 0..1")
    source: str | None = None

class DealCondition(Frozen):
    """A condition on a deal's terms: its value on one issue lies below and/or above a bound."""

    issue: Id
    below: Number | None = None
    above: Number | None = None

    @model_validator(mode="after")
    def _bounded(self) -> DealCondition:
        if self.below is None and self.above is None:
            raise ValueError("a condition needs `below`, `above` or both")
        if self.below is not None and self.above is not None and self.above >= self.below:
            raise ValueError(f"`above` {self.above:g} must be less than `below` {self.below:g}")
        return self

    def holds(self, value: float) -> bool:
        """True when `value` satisfies the condition (strict inequalities)."""
        return ((self.below is None or value < self.below)
                and (self.above is None or value > self.above))


class Stake(Frozen):
    """How a group's stake depends on a deal's terms (two-level game, third parties): when the
    deal meets `when`, every member's position or salience on `issue` changes `by` or `to`."""

    when: DealCondition
    field: Literal["position", "salience"]
    issue: Id
    by: Number | None = None
    to: Number | None = None
    note: str | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _one_change(self) -> Stake:
        if (self.by is None) == (self.to is None):
            raise ValueError("a stake needs exactly one of `by` (a change) or `to` (a new value)")
        return self


class Group(Frozen):
    """A state or coalition whose members are actors (factions)."""

    id: Id
    name: str
    description: str | None = None
    cost_of_war: Value | None = Field(default=None, description="0..1, share of the stakes lost to a war")
    ratification_quota: Number | None = Field(default=None, gt=0, le=1,
                                              description="share of capability × salience needed to ratify")
    veto: tuple[Id, ...] = Field(default=(), description="ids of member actors that can block a deal")
    member_quota: Number | None = Field(
        default=None, gt=0, le=1, description="share of the members, counted one each, that must also "
                                              "consent (e.g. the EU double majority's 55% of states)")
    quota_basis: Literal["weight", "votes"] = Field(
        default="weight", description="what `ratification_quota` counts: capability × salience "
                                      "(weight), or capability alone (votes: a member votes however "
                                      "little it cares)")
    overridden_by: Id | None = Field(
        default=None, description="another group whose members, all that care agreeing, can adopt a "
                                  "deal without this group's consent (EU: art. 293 TFEU)")
    capability_path: tuple[CapabilityPoint, ...] = Field(
        default=(), description="military capability over time (dynamics models); dates increasing")
    track_record: tuple[Precedent, ...] = Field(
        default=(), description="past promises of restraint and whether they were kept (dynamics models)")
    first_strike_advantage: Value | None = Field(
        default=None, description="0..1, share of its chance of losing a war that the group "
                                  "turns into victory by striking first (crisis games)")
    source: str | None = None
    note: str | None = None
    role: Literal["party", "third-party"] = Field(
        default="party", description="two-level game: a party must ratify a deal; a third party "
                                     "weighs in on the bargain but does not ratify it")
    linkage: Literal["per-issue", "joint"] = Field(
        default="per-issue", description="two-level game: whether the factions judge a deal issue "
                                         "by issue, or as a package, trading across issues")
    stakes: tuple[Stake, ...] = Field(
        default=(), description="two-level game: changes to the members' stakes that a deal's "
                                "terms bring about")

    @model_validator(mode="after")
    def _path_in_order(self) -> Group:
        dates = [p.date for p in self.capability_path]
        for before, after in zip(dates, dates[1:], strict=False):
            if after <= before:
                raise ValueError(f"capability_path dates must increase: {after} follows {before}")
        return self


class Actor(Frozen):
    """A party at the table: its clout, and per issue its position and salience (0-100)."""

    id: Id
    name: str
    group: Id | None = None
    description: str | None = None
    capability: Value
    positions: dict[str, Value]
    salience: dict[str, Value]
    risk: Value | None = Field(default=None, description="risk attitude r (expected utility model)")
    reservation: dict[str, Value] = Field(
        default_factory=dict,
        description="per issue, the least the actor would accept rather than no deal (a point or a "
                    "range); issues left out take the default of docs/case-library.md")
    aliases: tuple[str, ...] = ()


class Outcome(Frozen):
    """A named outcome: a package deal (a point on several issues) or a crisis outcome."""

    id: Id
    name: str
    kind: Literal["deal", "crisis"] = "deal"
    description: str | None = None
    positions: dict[str, Number] = Field(default_factory=dict)
    no_agreement: bool = Field(
        default=False, description="true for the outcome in which the talks end without an "
                                   "agreement: a deal whose positions are the reversion point")
    source: str | None = Field(default=None, description="where the package was publicly discussed")
    note: str | None = None
    region: dict[str, tuple[Number, Number]] = Field(
        default_factory=dict, description="declared region of a deal, per issue [low, high]: a joint "
                                          "outcome inside every interval counts as this deal (the odds); "
                                          "without it, the deal's region is the values nearest to it")

    @model_validator(mode="after")
    def _deal_has_positions(self) -> Outcome:
        if self.kind == "deal" and not self.positions:
            raise ValueError("a deal outcome needs `positions` on at least one issue "
                             "(or set `kind: crisis`)")
        if self.no_agreement and self.kind != "deal":
            raise ValueError("`no_agreement: true` marks a deal at the reversion point: "
                             "give it `kind: deal` and the reversion point's `positions`")
        if self.region and self.kind != "deal":
            raise ValueError("only a deal has a region: drop `region` or set `kind: deal`")
        for issue_id, (low, high) in self.region.items():
            if low > high:
                raise ValueError(f"region on {issue_id}: low {low:g} above high {high:g} — give [low, high]")
        if self.id == OTHER_OUTCOME:
            raise ValueError(f"`{OTHER_OUTCOME}` is reserved for recorded outcomes that no named "
                             "outcome describes: give the outcome another id")
        return self


class Effect(Frozen):
    """A change an event makes: an actor's position, salience, reservation point or capability,
    `by` or `to`; or (`field: status_quo`) the reversion point of an issue, moved by the acting
    `actor`'s deed."""

    actor: Id
    field: Literal["position", "salience", "capability", "status_quo", "reservation"]
    issue: Id | None = None
    by: Number | None = None
    to: Number | None = None
    low: Number | None = Field(default=None, description="reservation effects with `to`: the new range")
    high: Number | None = Field(default=None, description="reservation effects with `to`: the new range")
    note: str | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _one_change(self) -> Effect:
        if (self.by is None) == (self.to is None):
            raise ValueError("an effect needs exactly one of `by` (a change) or `to` (a new value)")
        if self.low is not None or self.high is not None:
            if self.field != "reservation" or self.to is None:
                raise ValueError("`low` and `high` go only with `to` on a reservation effect")
            if self.low is None or self.high is None:
                raise ValueError("a range needs both `low` and `high`")
            if not self.low <= self.to <= self.high:
                raise ValueError(f"`to` {self.to:g} must lie in [`low` {self.low:g}, `high` {self.high:g}]")
        if self.field in ("position", "salience", "status_quo", "reservation") and self.issue is None:
            raise ValueError(f"a {self.field} effect needs an `issue`")
        if self.field == "capability" and self.issue is not None:
            raise ValueError("a capability effect applies to the actor as a whole: drop `issue`")
        return self


class Event(Frozen):
    """Something that happened: who did what to whom, coded in CAMEO, with its declared effects."""

    date: dt.date
    actor: Id
    target: Id | None = None
    cameo: str = Field(pattern=r"^\d{2,4}$", description="CAMEO event code, e.g. '036'")
    description: str
    source: str | None = None
    effects: tuple[Effect, ...] = ()


class RecordedOutcome(Frozen):
    """What really happened: a value on an issue, or one of the named outcomes."""

    date: dt.date
    issue: Id | None = None
    value: Number | None = None
    outcome: Id | None = None
    description: str | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _numeric_or_named(self) -> RecordedOutcome:
        numeric = self.issue is not None and self.value is not None
        named = self.outcome is not None
        if numeric == named or (self.issue is None) != (self.value is None):
            raise ValueError("a recorded outcome is either `issue` with `value`, or `outcome`")
        return self


class ActorCoding(Frozen):
    """One analyst's values for one actor; anything left out is the scenario's own value."""

    capability: Value | None = None
    positions: dict[str, Value] = Field(default_factory=dict)
    salience: dict[str, Value] = Field(default_factory=dict)


class PanelCoding(Frozen):
    """One analyst's coding of (some of) the actors: a value set of an expert panel.

    Monte Carlo spreads its draws evenly over the panel's codings; a coding that leaves an
    actor or a value out takes the scenario's own value there.
    """

    id: Id
    name: str | None = None
    source: str | None = None
    note: str | None = None
    actors: dict[str, ActorCoding] = Field(default_factory=dict)


class ScenarioData(Frozen):
    """The file's content, as validated field by field (cross-references are checked later)."""

    id: Id
    title: str
    description: str | None = None
    family: Id | None = Field(default=None, description="the negotiation this case belongs to, "
                              "shared with its sequels (library cross-fitting leaves a family out whole)")
    baseline: dt.date
    sources: tuple[Source, ...] = ()
    issues: tuple[Issue, ...] = Field(min_length=1)
    groups: tuple[Group, ...] = ()
    agenda_setter: Id | None = Field(
        default=None, description="the actor that makes the proposal others accept or reject "
                                  "(Romer–Rosenthal setter; consent model, `rule=setter`)")
    actors: tuple[Actor, ...] = Field(min_length=2)
    outcomes: tuple[Outcome, ...] = ()
    events: tuple[Event, ...] = ()
    recorded: tuple[RecordedOutcome, ...] = ()
    panel: tuple[PanelCoding, ...] = Field(default=(), description="analysts' codings (optional)")
