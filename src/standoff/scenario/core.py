"""The immutable Scenario and its pure-data transformations (as_of, without, with_changes)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from standoff.errors import ScenarioChangeError, did_you_mean
from standoff.scenario.schema import SALIENCE_MAX, Actor, Effect, Group, Issue, ScenarioData, Value


class Scenario(ScenarioData):
    """A validated scenario, as of its baseline or of a later date.

    `as_of_date` is the date through which the declared effects of events have been applied
    (None: the baseline values, as written in the file). `path` is the file it came from, for
    error messages; it is not part of the content.
    """

    as_of_date: dt.date | None = None
    path: str | None = None

    # --- look-ups ---------------------------------------------------------------------------
    @property
    def issue_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.issues)

    @property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.actors)

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.groups)

    def issue(self, issue_id: str) -> Issue:
        return _find(self.issues, issue_id, "issue", self.issue_ids)

    def actor(self, actor_id: str) -> Actor:
        return _find(self.actors, actor_id, "actor", self.actor_ids)

    def group(self, group_id: str) -> Group:
        return _find(self.groups, group_id, "group", self.group_ids)

    def members(self, group_id: str) -> tuple[Actor, ...]:
        """The actors of a group, in file order."""
        self.group(group_id)
        return tuple(a for a in self.actors if a.group == group_id)

    @property
    def date(self) -> dt.date | None:
        """The date the values describe: the as-of date, else the baseline."""
        return self.as_of_date or self.baseline

    @property
    def last_event_date(self) -> dt.date | None:
        return max((e.date for e in self.events), default=None)

    def reservation(self, actor_id: str, issue_id: str) -> Value:
        """The actor's reservation point on an issue: its declared value, else the default of
        docs/case-library.md (see :func:`default_reservation`)."""
        actor, issue = self.actor(actor_id), self.issue(issue_id)
        return actor.reservation.get(issue_id) or default_reservation(actor, issue)

    def content_hash(self) -> str:
        """SHA-256 of the content (not of the path), stable across runs and machines."""
        payload = self.model_dump(mode="json", exclude={"path"})
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    # --- transformations --------------------------------------------------------------------
    def as_of(self, date: dt.date | str) -> Scenario:
        """The scenario on `date`: the effects of every event up to and including that day
        applied, same-day events in file order.

        Effects apply forward only: a scenario already as of a later date cannot be rewound
        (load the file again for that).
        """
        date = _to_date(date)
        done = self.as_of_date or dt.date.min
        if date < done:
            raise ScenarioChangeError(
                f"this scenario is already as of {done}, after {date}",
                where="as_of", fix="reload the scenario to replay from its baseline")
        due = [e for e in self.events if done < e.date <= date]
        actors = {a.id: a for a in self.actors}
        issues = {i.id: i for i in self.issues}
        for event in due:
            for effect in event.effects:
                if effect.field == "status_quo":
                    issues[effect.issue] = apply_status_quo(issues[effect.issue], effect)
                else:
                    actors[effect.actor] = apply_effect(actors[effect.actor], effect,
                                                        tuple(issues.values()))
        return self.model_copy(update={"actors": tuple(actors.values()),
                                       "issues": tuple(issues.values()), "as_of_date": date})

    def without(self, actor_id: str) -> Scenario:
        """The scenario with one actor removed (and its vetoes and the effects on it)."""
        self.actor(actor_id)
        if len(self.actors) <= 2:
            raise ScenarioChangeError(f"cannot remove {actor_id!r}: a scenario needs two actors",
                                      where="without")
        actors = tuple(a for a in self.actors if a.id != actor_id)
        groups = tuple(g.model_copy(update={"veto": tuple(v for v in g.veto if v != actor_id)})
                       for g in self.groups)
        events = tuple(e.model_copy(update={"effects": tuple(f for f in e.effects
                                                             if f.actor != actor_id)})
                       for e in self.events)
        return self.model_copy(update={"actors": actors, "groups": groups, "events": events})

    def with_changes(self, changes: Iterable[Effect | Mapping[str, Any]], *, point: bool = False,
                     on_scale: bool = False, where: str = "with_changes",
                     label: str | None = None) -> Scenario:
        """The scenario with changes applied now, each like an event's effect:
        `{"actor": "trump", "field": "position", "issue": "denuclearization", "to": 60}`.

        The one path by which values are edited (event effects, what-if settings, levers, the web
        app's table). `point`: a value set with `to` becomes that point, its range or spread
        dropped (what an edit of the value itself means); `on_scale`: a changed value off its scale
        (a position outside the issue's range, a salience outside 0..100, a negative capability) is
        an error (saying what `label`, the change as the user wrote it, did to the value). Errors
        name the place as `where[k].part` (k: the change's index), or `where` itself when it is a
        command-line option (it starts with '-')."""
        actors = {a.id: a for a in self.actors}
        issues = {i.id: i for i in self.issues}
        for k, change in enumerate(changes):
            place = functools.partial(_place, where, k)
            effect = change if isinstance(change, Effect) else _effect(change, place)
            if effect.actor not in actors:
                raise ScenarioChangeError(f"unknown actor {effect.actor!r}", where=place("actor"),
                                          fix=f"{did_you_mean(effect.actor, actors)}use one of: "
                                              f"{', '.join(actors)}")
            if effect.issue is not None and effect.issue not in self.issue_ids:
                raise ScenarioChangeError(f"unknown issue {effect.issue!r}", where=place("issue"),
                                          fix=f"{did_you_mean(effect.issue, self.issue_ids)}use one of: "
                                              f"{', '.join(self.issue_ids)}")
            if effect.field == "status_quo":
                issue = issues[effect.issue] = apply_status_quo(issues[effect.issue], effect)
                x = issue.status_quo.mode
                if on_scale and not issue.min <= x <= issue.max:
                    raise ScenarioChangeError(
                        f"status quo {x:g} is off the scale [{issue.min:g}, {issue.max:g}]",
                        where=place("to" if effect.to is not None else "by"),
                        fix=f"give a value between {issue.min:g} and {issue.max:g}")
                continue
            actor = apply_effect(actors[effect.actor], effect, tuple(issues.values()), point=point)
            if on_scale:
                _check_on_scale(self, actor, effect, place("to" if effect.to is not None else "by"), label)
            actors[effect.actor] = actor
        return self.model_copy(update={"actors": tuple(actors.values()),
                                       "issues": tuple(issues.values())})


def _place(where: str, k: int, part: str) -> str:
    return where if where.startswith("-") else f"{where}[{k}].{part}"


def _effect(change: Mapping[str, Any], place) -> Effect:
    """A mapping read as an Effect; a malformed one is a ScenarioChangeError."""
    try:
        return Effect(**change)
    except (ValidationError, TypeError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else [{"msg": str(exc), "loc": ()}]
        first = errors[0]
        part = ".".join(str(x) for x in first.get("loc", ())) or "field"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ScenarioChangeError(message, where=place(part),
                                  fix="give actor, field (position, salience, capability, status_quo "
                                      "or reservation), the issue of all but a capability, and one of "
                                      "`to` or `by`") from None


def _check_on_scale(scenario: Scenario, actor: Actor, effect: Effect, where: str, label: str | None) -> None:
    """A ScenarioChangeError if the value the effect changed lies off its scale."""
    if effect.field == "capability":
        x, lo, hi = actor.capability.mode, 0.0, float("inf")
        if x < 0 and label is None:
            raise ScenarioChangeError(f"capability {x:g} is negative", where=where,
                                      fix="give a capability of 0 or more")
    elif effect.field in ("position", "reservation"):
        issue = scenario.issue(effect.issue)
        values = actor.positions if effect.field == "position" else actor.reservation
        x, lo, hi = values[effect.issue].mode, issue.min, issue.max
    else:
        x, lo, hi = actor.salience[effect.issue].mode, 0.0, SALIENCE_MAX
    if not lo <= x <= hi and label is not None:
        raise ScenarioChangeError(f"{label!r} puts the {effect.field} at {x:g}, off its scale "
                                  f"[{lo:g}, {hi:g}]", where=where, fix="give a value on the scale")
    if not lo <= x <= hi:
        raise ScenarioChangeError(f"{effect.field} {x:g} is off the scale [{lo:g}, {hi:g}]", where=where,
                                  fix=f"give a value between {lo:g} and {hi:g}")


def apply_status_quo(issue: Issue, effect: Effect) -> Issue:
    """The issue with its status quo (reversion point) moved by a `status_quo` effect: `to` sets it
    (keeping the width of a range), `by` shifts it; an issue without one gets it from `to`."""
    if issue.status_quo is None:
        if effect.to is None:
            raise ScenarioChangeError(
                f"issue {issue.id!r} has no status quo to shift by {effect.by:g}", where="effects",
                fix="give the issue a `status_quo`, or write the effect with `to`")
        return issue.model_copy(update={"status_quo": Value(mode=effect.to, source=effect.source,
                                                            note=effect.note)})
    q = issue.status_quo
    moved = q.shifted(effect.by) if effect.by is not None else q.set_to(effect.to)
    if effect.source is not None:
        moved = moved.model_copy(update={"source": effect.source, "note": effect.note})
    return issue.model_copy(update={"status_quo": moved})


def default_reservation(actor: Actor, issue: Issue) -> Value:
    """The stated default reservation point (docs/case-library.md, "Reservation points"): a range
    from the actor's position to the issue's reversion point (its status quo), mode at the
    midpoint; without a reversion point, the position itself (no room known)."""
    position = actor.positions[issue.id].mode
    if issue.status_quo is None:
        return Value(mode=position, note="default: the position (the issue has no reversion point)")
    q = issue.status_quo.mode
    lo, hi = min(position, q), max(position, q)
    if lo == hi:
        return Value(mode=position, note="default: the position, which is the reversion point")
    return Value(mode=(lo + hi) / 2, low=lo, high=hi,
                 note="default: between the position and the reversion point")


def apply_effect(actor: Actor, effect: Effect, issues: Iterable[Issue] = (), *,
                 point: bool = False) -> Actor:
    """The actor with one effect applied (`by` shifts the value and its range; `to` moves it, or
    with `point` sets it to that point without a range or spread). A `status_quo` effect changes an
    issue, not the actor (:func:`apply_status_quo`): the actor comes back unchanged. A reservation
    effect on an issue where the actor declares none starts from the default reservation point,
    which needs the scenario's `issues`."""

    def change(value: Value) -> Value:
        if effect.by is not None:
            return value.shifted(effect.by)
        if point:
            return value.model_copy(update={"mode": float(effect.to), "low": None, "high": None, "sd": None})
        return value.set_to(effect.to)

    if effect.field == "status_quo":
        return actor
    if effect.field == "capability":
        return actor.model_copy(update={"capability": change(actor.capability)})
    if effect.field == "reservation":
        values = dict(actor.reservation)
        if effect.issue not in values:
            issue = next(i for i in issues if i.id == effect.issue)
            values[effect.issue] = default_reservation(actor, issue)
        if effect.low is not None:
            values[effect.issue] = Value(mode=effect.to, low=effect.low, high=effect.high,
                                         source=effect.source, note=effect.note)
        else:
            values[effect.issue] = change(values[effect.issue])
        return actor.model_copy(update={"reservation": values})
    attr = "positions" if effect.field == "position" else "salience"
    values = dict(getattr(actor, attr))
    values[effect.issue] = change(values[effect.issue])
    return actor.model_copy(update={attr: values})


def _to_date(date: dt.date | str) -> dt.date:
    if isinstance(date, dt.datetime):
        return date.date()
    if isinstance(date, dt.date):
        return date
    try:
        return dt.date.fromisoformat(str(date))
    except ValueError:
        raise ScenarioChangeError(f"{date!r} is not a date", where="as_of",
                                  fix="write it as YYYY-MM-DD, e.g. 2018-05-22") from None


def _find(items, key, kind, ids):
    for item in items:
        if item.id == key:
            return item
    raise ScenarioChangeError(f"unknown {kind} {key!r}", where=kind,
                              fix=f"{did_you_mean(key, ids)}use one of {', '.join(ids)}")
