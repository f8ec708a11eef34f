"""Cross-reference checks on a scenario: every problem found, each with its place and its fix."""

from __future__ import annotations

from collections import Counter
from typing import Any

from standoff.errors import Problem, ScenarioError
from standoff.scenario.core import Scenario, apply_effect, apply_status_quo
from standoff.scenario.schema import OTHER_OUTCOME, SALIENCE_MAX, ScenarioData, Value

#: Largest magnitude of a capability or an issue scale's end: beyond it the models' products and
#: squares overflow (a capability of 1e308 gives an infinite weight). Capabilities are relative,
#: so any real case fits on a scale far below this.
MAX_MAGNITUDE = 1e12


def check(data: ScenarioData) -> list[Problem]:
    """Return every cross-reference problem of a scenario whose fields are individually valid."""
    problems: list[Problem] = []
    problems += _duplicates(data)
    problems += _sources(data)
    problems += _issues(data)
    problems += _groups(data)
    problems += _actors(data)
    problems += _outcomes(data)
    problems += _events(data)
    problems += _recorded(data)
    problems += _weights(data)
    problems += _stakes(data)
    problems += _panel(data)
    if not problems:
        problems += _replay(data)
    return problems


def _duplicates(data: ScenarioData) -> list[Problem]:
    out = []
    for kind in ("sources", "issues", "groups", "actors", "outcomes"):
        items = getattr(data, kind)
        counts = Counter(x.id for x in items)
        seen: set[str] = set()
        for k, item in enumerate(items):
            if counts[item.id] > 1 and item.id in seen:
                out.append(Problem(f"{kind}[{k}].id", f"duplicate id {item.id!r}",
                                   "give each entry its own id"))
            seen.add(item.id)
    groups = {g.id for g in data.groups}
    for k, actor in enumerate(data.actors):
        if actor.id in groups:
            out.append(Problem(f"actors[{k}].id", f"actor id {actor.id!r} is also a group id",
                               "name the faction differently from its state, e.g. "
                               f"{actor.id}-government"))
    return out


def _cited(data: ScenarioData):
    """Every (path, source id) the scenario cites."""
    for k, issue in enumerate(data.issues):
        if issue.status_quo is not None:
            yield f"issues[{k}].status_quo.source", issue.status_quo.source
    for k, group in enumerate(data.groups):
        yield f"groups[{k}].source", group.source
        if group.cost_of_war is not None:
            yield f"groups[{k}].cost_of_war.source", group.cost_of_war.source
        for m, point in enumerate(group.capability_path):
            yield f"groups[{k}].capability_path[{m}].source", point.source
        for m, precedent in enumerate(group.track_record):
            yield f"groups[{k}].track_record[{m}].source", precedent.source
        for m, stake in enumerate(group.stakes):
            yield f"groups[{k}].stakes[{m}].source", stake.source
        if group.first_strike_advantage is not None:
            yield f"groups[{k}].first_strike_advantage.source", group.first_strike_advantage.source
    for k, actor in enumerate(data.actors):
        yield f"actors[{k}].capability.source", actor.capability.source
        if actor.risk is not None:
            yield f"actors[{k}].risk.source", actor.risk.source
        for attr in ("positions", "salience", "reservation"):
            for issue, value in getattr(actor, attr).items():
                yield f"actors[{k}].{attr}.{issue}.source", value.source
    for k, event in enumerate(data.events):
        yield f"events[{k}].source", event.source
        for m, effect in enumerate(event.effects):
            yield f"events[{k}].effects[{m}].source", effect.source
    for k, outcome in enumerate(data.outcomes):
        yield f"outcomes[{k}].source", outcome.source
    for k, rec in enumerate(data.recorded):
        yield f"recorded[{k}].source", rec.source
    for k, coding in enumerate(data.panel):
        yield f"panel[{k}].source", coding.source


def _sources(data: ScenarioData) -> list[Problem]:
    known = {s.id for s in data.sources}
    return [Problem(path, f"unknown source {sid!r}",
                    f"add it under `sources` or cite one of: {', '.join(sorted(known)) or 'none yet'}")
            for path, sid in _cited(data) if sid is not None and sid not in known]


def _on_scale(value: float, lo: float, hi: float) -> bool:
    return lo <= value <= hi


def _value_off_scale(path: str, value: Value, lo: float, hi: float, what: str) -> list[Problem]:
    out = []
    for name, x in (("value", value.mode), ("low", value.low), ("high", value.high)):
        if x is not None and not _on_scale(x, lo, hi):
            out.append(Problem(path, f"{what} {name} {x:g} is off the scale [{lo:g}, {hi:g}]",
                               f"give a value between {lo:g} and {hi:g}"))
    return out


def _issues(data: ScenarioData) -> list[Problem]:
    out = []
    for k, issue in enumerate(data.issues):
        for end in ("min", "max"):
            value = getattr(issue, end)
            if abs(value) > MAX_MAGNITUDE:
                out.append(Problem(f"issues[{k}].{end}", f"scale end {value:g} is absurdly large "
                                   f"(beyond ±{MAX_MAGNITUDE:g})", "put the issue on a scale such as "
                                   "0 to 100"))
        if issue.status_quo is not None:
            out += _value_off_scale(f"issues[{k}].status_quo", issue.status_quo,
                                    issue.min, issue.max, "status quo")
        for m, anchor in enumerate(issue.anchors):
            if not _on_scale(anchor.value, issue.min, issue.max):
                out.append(Problem(f"issues[{k}].anchors[{m}].value",
                                   f"labelled point {anchor.value:g} is off the scale "
                                   f"[{issue.min:g}, {issue.max:g}]",
                                   f"give a value between {issue.min:g} and {issue.max:g}"))
    return out


def _groups(data: ScenarioData) -> list[Problem]:
    out = []
    for k, group in enumerate(data.groups):
        members = {a.id for a in data.actors if a.group == group.id}
        for m, actor_id in enumerate(group.veto):
            if actor_id not in members:
                out.append(Problem(f"groups[{k}].veto[{m}]",
                                   f"veto holder {actor_id!r} is not an actor of group {group.id!r}",
                                   f"use one of: {', '.join(sorted(members)) or 'no members yet'}"))
        if group.cost_of_war is not None:
            out += _value_off_scale(f"groups[{k}].cost_of_war", group.cost_of_war, 0, 1,
                                    "cost of war")
        if group.first_strike_advantage is not None:
            out += _value_off_scale(f"groups[{k}].first_strike_advantage",
                                    group.first_strike_advantage, 0, 1, "first-strike advantage")
        if group.overridden_by is not None and group.overridden_by not in \
                {g.id for g in data.groups if g.id != group.id}:
            out.append(Problem(f"groups[{k}].overridden_by", f"unknown group {group.overridden_by!r}",
                               "name another group of the scenario"))
    actors = [a.id for a in data.actors]
    if data.agenda_setter is not None and data.agenda_setter not in actors:
        out.append(Problem("agenda_setter", f"unknown agenda setter {data.agenda_setter!r}",
                           f"name one of the actors: {', '.join(actors)}"))
    return out


def _actors(data: ScenarioData) -> list[Problem]:
    out = []
    issues = {i.id: i for i in data.issues}
    groups = {g.id for g in data.groups}
    for k, actor in enumerate(data.actors):
        at = f"actors[{k}]"
        if actor.group is not None and actor.group not in groups:
            out.append(Problem(f"{at}.group", f"unknown group {actor.group!r}",
                               f"add it under `groups` or use one of: {', '.join(sorted(groups)) or 'none'}"))
        out += _nonnegative(f"{at}.capability", actor.capability, "capability")
        out += _magnitude(f"{at}.capability", actor.capability, "capability")
        for attr in ("positions", "salience"):
            values = getattr(actor, attr)
            out += _issue_values(f"{at}.{attr}", attr, values, issues)
            for issue_id in issues:
                if issue_id not in values:
                    out.append(Problem(f"{at}.{attr}", f"no {attr.rstrip('s')} on issue {issue_id!r}",
                                       f"add `{issue_id}:` under {attr} (salience 0 if it does not care)"))
        out += _issue_values(f"{at}.reservation", "reservation", actor.reservation, issues)
    return out


def _magnitude(at: str, value: Value, what: str) -> list[Problem]:
    big = [v for v in (value.mode, value.low, value.high, value.sd)
           if v is not None and abs(v) > MAX_MAGNITUDE]
    if not big:
        return []
    return [Problem(at, f"{what} {big[0]:g} is absurdly large (beyond {MAX_MAGNITUDE:g}): the models "
                    "would overflow", "give values on a common relative scale, e.g. 0 to 100")]


def _issue_values(at: str, attr: str, values: dict, issues: dict) -> list[Problem]:
    """Per-issue positions or saliences: known issues, values on the issue's scale (or 0..100)."""
    out = []
    for issue_id, value in values.items():
        path = f"{at}.{issue_id}"
        if issue_id not in issues:
            out.append(Problem(path, f"unknown issue {issue_id!r}", f"use one of: {', '.join(issues)}"))
        elif attr in ("positions", "reservation"):
            i = issues[issue_id]
            what = "position" if attr == "positions" else "reservation point"
            out += _value_off_scale(path, value, i.min, i.max, what)
        else:
            out += _value_off_scale(path, value, 0, SALIENCE_MAX, "salience")
    return out


def _nonnegative(path: str, value: Value, what: str) -> list[Problem]:
    return [Problem(path, f"{what} {name} {x:g} is negative", f"give a {what} of 0 or more")
            for name, x in (("value", value.mode), ("low", value.low)) if x is not None and x < 0]


def _outcomes(data: ScenarioData) -> list[Problem]:
    out = []
    issues = {i.id: i for i in data.issues}
    for k, outcome in enumerate(data.outcomes):
        for issue_id, x in outcome.positions.items():
            path = f"outcomes[{k}].positions.{issue_id}"
            if issue_id not in issues:
                out.append(Problem(path, f"unknown issue {issue_id!r}", f"use one of: {', '.join(issues)}"))
            elif not _on_scale(x, issues[issue_id].min, issues[issue_id].max):
                i = issues[issue_id]
                out.append(Problem(path, f"value {x:g} is off the scale [{i.min:g}, {i.max:g}]",
                                   f"give a value between {i.min:g} and {i.max:g}"))
        for issue_id, ends in outcome.region.items():
            path = f"outcomes[{k}].region.{issue_id}"
            if issue_id not in issues:
                out.append(Problem(path, f"unknown issue {issue_id!r}", f"use one of: {', '.join(issues)}"))
            elif not all(_on_scale(x, issues[issue_id].min, issues[issue_id].max) for x in ends):
                i = issues[issue_id]
                out.append(Problem(path, f"region [{ends[0]:g}, {ends[1]:g}] leaves the scale "
                                   f"[{i.min:g}, {i.max:g}]", f"give ends between {i.min:g} and {i.max:g}"))
    marked = [k for k, o in enumerate(data.outcomes) if o.no_agreement]
    for k in marked[1:]:
        out.append(Problem(f"outcomes[{k}].no_agreement", "a second outcome marked `no_agreement`",
                           f"mark only one (outcomes[{marked[0]}] already is)"))
    return out


def _events(data: ScenarioData) -> list[Problem]:
    out = []
    actors = {a.id for a in data.actors}
    parties = actors | {g.id for g in data.groups}
    issues = {i.id for i in data.issues}
    for k, event in enumerate(data.events):
        at = f"events[{k}]"
        for field in ("actor", "target"):
            who = getattr(event, field)
            if who is not None and who not in parties:
                out.append(Problem(f"{at}.{field}", f"unknown actor or group {who!r}",
                                   "use an id from `actors` or `groups`"))
        if event.effects and data.baseline and event.date < data.baseline:
            out.append(Problem(f"{at}.date", f"event of {event.date} has effects but precedes "
                               f"the baseline {data.baseline}",
                               "fold its effects into the baseline values, or drop `effects`"))
        for m, effect in enumerate(event.effects):
            path = f"{at}.effects[{m}]"
            if effect.actor not in actors:
                out.append(Problem(f"{path}.actor", f"unknown actor {effect.actor!r}",
                                   "effects apply to actors (factions), not groups"))
            if effect.issue is not None and effect.issue not in issues:
                out.append(Problem(f"{path}.issue", f"unknown issue {effect.issue!r}",
                                   f"use one of: {', '.join(sorted(issues))}"))
    return out


def _recorded(data: ScenarioData) -> list[Problem]:
    out = []
    issues = {i.id: i for i in data.issues}
    named = {o.id for o in data.outcomes}
    for k, rec in enumerate(data.recorded):
        if rec.issue is not None:
            if rec.issue not in issues:
                out.append(Problem(f"recorded[{k}].issue", f"unknown issue {rec.issue!r}",
                                   f"use one of: {', '.join(issues)}"))
            elif not _on_scale(rec.value, issues[rec.issue].min, issues[rec.issue].max):
                i = issues[rec.issue]
                out.append(Problem(f"recorded[{k}].value", f"value {rec.value:g} is off the scale "
                                   f"[{i.min:g}, {i.max:g}]",
                                   f"give a value between {i.min:g} and {i.max:g}"))
        if rec.outcome is not None and rec.outcome not in named and rec.outcome != OTHER_OUTCOME:
            out.append(Problem(f"recorded[{k}].outcome", f"unknown named outcome {rec.outcome!r}",
                               f"use one of: {', '.join(sorted(named | {OTHER_OUTCOME}))} "
                               f"({OTHER_OUTCOME!r}: none of the named outcomes)"))
    return out


def _weights(data: ScenarioData) -> list[Problem]:
    out = []
    for k, issue in enumerate(data.issues):
        total = sum(max(a.capability.mode, 0) * max(a.salience[issue.id].mode, 0)
                    for a in data.actors if issue.id in a.salience)
        if total <= 0:
            out.append(Problem(f"issues[{k}]",
                               f"no actor has both capability and salience on {issue.id!r}",
                               "give at least one actor a positive capability and salience on it"))
    return out


def _stakes(data: ScenarioData) -> list[Problem]:
    """A group's stakes name known issues, with bounds and values on their scales."""
    out = []
    issues = {i.id: i for i in data.issues}
    for k, group in enumerate(data.groups):
        for m, stake in enumerate(group.stakes):
            at = f"groups[{k}].stakes[{m}]"
            for path, issue_id in ((f"{at}.when.issue", stake.when.issue), (f"{at}.issue", stake.issue)):
                if issue_id not in issues:
                    out.append(Problem(path, f"unknown issue {issue_id!r}",
                                       f"use one of: {', '.join(issues)}"))
            if stake.when.issue in issues:
                i = issues[stake.when.issue]
                for name in ("below", "above"):
                    x = getattr(stake.when, name)
                    if x is not None and not _on_scale(x, i.min, i.max):
                        out.append(Problem(f"{at}.when.{name}", f"bound {x:g} is off the scale "
                                           f"[{i.min:g}, {i.max:g}]",
                                           f"give a value between {i.min:g} and {i.max:g}"))
            if stake.to is not None and stake.issue in issues:
                lo, hi = ((issues[stake.issue].min, issues[stake.issue].max)
                          if stake.field == "position" else (0, SALIENCE_MAX))
                if not _on_scale(stake.to, lo, hi):
                    out.append(Problem(f"{at}.to", f"{stake.field} {stake.to:g} is off the scale "
                                       f"[{lo:g}, {hi:g}]", f"give a value between {lo:g} and {hi:g}"))
    return out


def _panel(data: ScenarioData) -> list[Problem]:
    """An analyst's coding names known actors and issues, with values on their scales."""
    out = []
    issues = {i.id: i for i in data.issues}
    actors = {a.id for a in data.actors}
    seen: set[str] = set()
    for k, coding in enumerate(data.panel):
        if coding.id in seen:
            out.append(Problem(f"panel[{k}].id", f"duplicate id {coding.id!r}",
                               "give each analyst's coding its own id"))
        seen.add(coding.id)
        for actor_id, values in coding.actors.items():
            at = f"panel[{k}].actors.{actor_id}"
            if actor_id not in actors:
                out.append(Problem(at, f"unknown actor {actor_id!r}",
                                   f"use one of: {', '.join(sorted(actors))}"))
                continue
            if values.capability is not None:
                out += _nonnegative(f"{at}.capability", values.capability, "capability")
            for attr in ("positions", "salience"):
                out += _issue_values(f"{at}.{attr}", attr, getattr(values, attr), issues)
    return out


def _replay(data: ScenarioData) -> list[Problem]:
    """Apply every event's effects in order and report a value that leaves its scale."""
    out = []
    issues = {i.id: i for i in data.issues}
    actors = {a.id: a for a in data.actors}
    order = sorted(range(len(data.events)), key=lambda k: (data.events[k].date, k))
    for k in order:
        for m, effect in enumerate(data.events[k].effects):
            path = f"events[{k}].effects[{m}]"
            if effect.field == "status_quo":
                i = issues[effect.issue]
                if i.status_quo is None and effect.to is None:
                    out.append(Problem(f"{path}.by", f"issue {i.id!r} has no status quo to shift",
                                       "give the issue a `status_quo`, or write the effect with `to`"))
                    continue
                i = issues[effect.issue] = apply_status_quo(i, effect)
                out += _value_off_scale(path, i.status_quo, i.min, i.max,
                                        f"{i.id}'s status quo after this effect")
                continue
            actor = actors[effect.actor] = apply_effect(actors[effect.actor], effect,
                                                        tuple(issues.values()))
            if effect.field == "capability":
                out += _nonnegative(path, actor.capability, "capability after this effect")
            elif effect.field in ("position", "reservation"):
                i = issues[effect.issue]
                attr = "positions" if effect.field == "position" else "reservation"
                what = "position" if effect.field == "position" else "reservation point"
                out += _value_off_scale(path, getattr(actor, attr)[effect.issue], i.min, i.max,
                                        f"{effect.actor}'s {what} after this effect")
            else:
                out += _value_off_scale(path, actor.salience[effect.issue], 0, SALIENCE_MAX,
                                        f"{effect.actor}'s salience after this effect")
    return out


def edit_values(scenario: Scenario, changes: list[dict[str, Any]], *, where: str = "changes") -> Scenario:
    """The scenario with values edited as a table edits them (`{"actor", "field", "issue", "to"}`
    each): every value set to a point and checked on its scale (:meth:`Scenario.with_changes`),
    then the edited scenario passes the same checks as a file (at least one actor with weight on
    each issue...), reported as a ScenarioError on the file "(edited values)"."""
    if not changes:
        return scenario
    edited = scenario.with_changes(changes, point=True, on_scale=True, where=where)
    # the events were checked when the file was read, and replaying them would apply them twice
    problems = check(edited.model_copy(update={"events": ()}))
    if problems:
        raise ScenarioError([Problem(p.where, p.message, p.fix) for p in problems], file="(edited values)")
    return edited
