"""What the web API does, as plain functions from data to data (no HTTP here).

The routes in :mod:`standoff.web.app` only parse requests, call these and record runs. Everything a
user can get wrong raises a :class:`~standoff.errors.StandoffError` with the place and the fix.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import types
import typing
from typing import Any

from standoff.data import case_names, case_path
from standoff.errors import ModelError, Problem, ScenarioChangeError, ScenarioError, UnknownCaseError
from standoff.models import Forecast, available, make
from standoff.scenario import Scenario, read_scenario, yamlsafe
from standoff.scenario.io import parse_yaml
from standoff.scenario.schema import SALIENCE_MAX, Actor, Value
from standoff.scenario.validate import check

#: Largest scenario file the web app accepts, in bytes (uploads and inline YAML).
MAX_SCENARIO_BYTES = 1_000_000
#: Most values (scalars, lists, mappings) a scenario may expand to through YAML aliases.
MAX_YAML_NODES = yamlsafe.MAX_YAML_NODES
#: Integer model parameters (rounds, turns) above this are refused: a run must answer promptly.
MAX_INT_PARAM = 1000


def case_list() -> list[dict[str, Any]]:
    """Every built-in case, a line each: name, title, counts, baseline and last event date."""
    rows = []
    for name in case_names():
        s = _builtin(name)
        rows.append({"case": name, "title": s.title, "actors": len(s.actors), "issues": len(s.issues),
                     "events": len(s.events), "baseline": s.baseline,
                     "last_event": s.last_event_date})
    return rows


def load_case(name: str) -> Scenario:
    """A built-in case by name (never a path: the web app reads no files it is told to)."""
    if name not in case_names():  # a name, never a path
        raise UnknownCaseError(f"no built-in case named {name!r}", where="case",
                               fix=f"use one of: {', '.join(case_names())}")
    return _builtin(name)


@functools.cache
def _builtin(name: str) -> Scenario:
    """A built-in case, read and validated once per process (package data does not change, and a
    Scenario is immutable, so every request can share it)."""
    return read_scenario(case_path(name))


def parse_upload(data: bytes, filename: str | None = None) -> Scenario:
    """A YAML scenario from uploaded bytes: size-checked by the caller, UTF-8, then validated (the
    shared loader refuses deep nesting and alias bombs before composing anything)."""
    name = filename or "upload.yaml"
    return parse_yaml(yamlsafe.decode(data, name), file=name)


def at_date(scenario: Scenario, as_of: str | None) -> Scenario:
    """The scenario as of a date: None = after its last event (as the CLI does), "baseline" = as
    written, else a YYYY-MM-DD date."""
    if as_of == "baseline":
        return scenario
    date = as_of or scenario.last_event_date
    return scenario.as_of(date) if date is not None else scenario


def apply_changes(scenario: Scenario, changes: list[dict[str, Any]]) -> Scenario:
    """The scenario with edited values (`{"actor", "field", "issue", "to"}` each), checked first:
    known actor and issue, a position on the issue's scale, a salience in 0..100, a capability ≥ 0;
    then the edited scenario passes the same checks as a file (at least one actor with weight on
    each issue...)."""
    issues = {i.id: i for i in scenario.issues}
    for k, change in enumerate(changes):
        where = f"changes[{k}]"
        if change["actor"] not in scenario.actor_ids:
            raise ScenarioChangeError(f"unknown actor {change['actor']!r}", where=f"{where}.actor",
                                      fix=f"use one of: {', '.join(scenario.actor_ids)}")
        field, issue, to = change["field"], change.get("issue"), change["to"]
        if field == "capability":
            if issue is not None:
                raise ScenarioChangeError("a capability belongs to the actor, not to an issue",
                                          where=f"{where}.issue", fix="leave `issue` out")
            if to < 0:
                raise ScenarioChangeError(f"capability {to:g} is negative", where=f"{where}.to",
                                          fix="give a capability of 0 or more")
            continue
        if issue not in issues:
            raise ScenarioChangeError(f"unknown issue {issue!r}", where=f"{where}.issue",
                                      fix=f"use one of: {', '.join(issues)}")
        lo, hi = (issues[issue].min, issues[issue].max) if field == "position" else (0, SALIENCE_MAX)
        if not lo <= to <= hi:
            raise ScenarioChangeError(f"{field} {to:g} is off the scale [{lo:g}, {hi:g}]",
                                      where=f"{where}.to", fix=f"give a value between {lo:g} and {hi:g}")
    if not changes:
        return scenario
    actors = {a.id: a for a in scenario.actors}
    for change in changes:
        actors[change["actor"]] = _set_point(actors[change["actor"]], change)
    edited = scenario.model_copy(update={"actors": tuple(actors.values())})
    # the file's checks on the edited values (e.g. every weight on an issue edited to zero); the
    # events were checked when the file was read, and replaying them again would apply them twice
    problems = check(edited.model_copy(update={"events": ()}))
    if problems:
        raise ScenarioError([Problem(p.where, p.message, p.fix) for p in problems],
                            file="(edited values)")
    return edited


def _set_point(actor: Actor, change: dict[str, Any]) -> Actor:
    """The actor with one value set to a point: the table shows and edits the value itself, so an
    edited value loses the range or spread it had (which only Monte Carlo draws from)."""
    def point(value: Value) -> Value:
        return value.model_copy(update={"mode": float(change["to"]), "low": None, "high": None,
                                        "sd": None})

    if change["field"] == "capability":
        return actor.model_copy(update={"capability": point(actor.capability)})
    attr = "positions" if change["field"] == "position" else "salience"
    values = dict(getattr(actor, attr))
    values[change["issue"]] = point(values[change["issue"]])
    return actor.model_copy(update={attr: values})


def scenario_view(scenario: Scenario) -> dict[str, Any]:
    """Actors × issues as the page's table shows them: the values (modes) each actor holds."""
    return {
        "id": scenario.id, "title": scenario.title, "description": scenario.description,
        "baseline": scenario.baseline, "date": scenario.date, "last_event": scenario.last_event_date,
        "issues": [issue_view(i) for i in scenario.issues],
        "groups": [{"id": g.id, "name": g.name} for g in scenario.groups],
        "actors": [{"id": a.id, "name": a.name, "group": a.group, "capability": a.capability.mode,
                    "positions": {i: a.positions[i].mode for i in scenario.issue_ids},
                    "salience": {i: a.salience[i].mode for i in scenario.issue_ids}}
                   for a in scenario.actors],
        "outcomes": [{"id": o.id, "name": o.name, "kind": o.kind, "positions": dict(o.positions)}
                     for o in scenario.outcomes],
    }


def issue_view(issue) -> dict[str, Any]:
    return {"id": issue.id, "title": issue.title, "min": issue.min, "max": issue.max,
            "unit": issue.unit,
            "status_quo": issue.status_quo.mode if issue.status_quo else None,
            "anchors": [{"value": a.value, "label": a.label} for a in issue.anchors]}


def model_list() -> list[dict[str, Any]]:
    """Every registered model: name, title, first docstring line, parameters with defaults
    (`parameters`: name -> default) and their types (`params`), read from the constructor."""
    out = []
    for name, cls in available().items():
        doc = (cls.__doc__ or "").strip().splitlines()
        params = {k: _json_default(p.default) for k, p in cls.parameters().items()}
        out.append({"name": name, "title": cls.title or name, "summary": doc[0] if doc else "",
                    "parameters": params, "params": param_specs(cls)})
    return out


_SCALARS = {bool: "bool", int: "int", float: "float", str: "str"}


def param_specs(cls: type) -> list[dict[str, Any]]:
    """One entry per constructor parameter of a model class: name, default, `type` (the first of
    bool/int/float/str its annotation allows, else "other": a value the page cannot edit, such
    as a tuple) and `nullable` (None allowed), from the annotations of ``__init__``."""
    try:
        hints = typing.get_type_hints(cls.__init__)
    except Exception:  # an annotation that does not resolve: the parameter is shown as "other"
        hints = {}
    specs = []
    for key, p in cls.parameters().items():
        hint = hints.get(key, p.annotation)
        args = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) \
            else (hint,)
        scalar = [_SCALARS[a] for a in args if a in _SCALARS]
        other = [a for a in args if a not in _SCALARS and a is not type(None)]
        kind = "other" if other or not scalar else scalar[0]
        specs.append({"name": key, "type": kind, "nullable": type(None) in args,
                      "default": _json_default(p.default)})
    return specs


def _check_param(model: str, spec: dict[str, Any] | None, key: str, value: Any) -> Any:
    """A parameter value checked against its declared type (an int for an int, a number for a
    float — an integer is taken as that float); a user error otherwise."""
    where = f"params.{key}"
    if spec is None:
        return value  # make() names the unknown parameter
    kind = spec["type"]
    if value is None and spec["nullable"]:
        return value
    ok = {"bool": isinstance(value, bool),
          "int": isinstance(value, int) and not isinstance(value, bool),
          "float": isinstance(value, (int, float)) and not isinstance(value, bool),
          "str": isinstance(value, str)}.get(kind, True)
    if not ok:
        wanted = {"bool": "true or false", "int": "a whole number", "float": "a number",
                  "str": "a text"}[kind]
        raise ModelError(f"parameter {key} of model {model!r} must be {wanted}, not {value!r}",
                         where=where, fix=f"give {wanted} (default: {spec['default']!r})")
    if kind == "float":
        value = float(value)
        if not math.isfinite(value):
            raise ModelError(f"parameter {key} = {value} is not a finite number", where=where,
                             fix="give a finite number")
    limit = max(MAX_INT_PARAM, spec["default"] if isinstance(spec["default"], int) else 0)
    if kind == "int" and abs(value) > limit:
        raise ModelError(f"parameter {key}={value} is too large for the web app", where=where,
                         fix=f"give at most {limit}, or run `standoff forecast` instead")
    return value


def build_model(name: str, params: dict[str, Any]):
    """A registered model with its parameters; unknown names, unknown parameters, values of the
    wrong type and oversized integers are user errors."""
    cls = available().get(name)
    specs = {s["name"]: s for s in param_specs(cls)} if cls is not None else {}
    checked = {}
    for key, value in params.items():
        checked[key] = _check_param(name, specs.get(key), key, value)
    return make(name, **checked)


def report_params(names: list[str], params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each chosen model's parameters for a report: a key goes to every chosen model that takes
    it (as `standoff report --param` does); a key no chosen model takes is a user error."""
    if not names:
        raise ModelError("no model chosen", where="models", fix=f"name some of: {', '.join(available())}")
    for name in names:
        if name not in available():
            make(name)  # the user error naming the models
    chosen = {n: {k: v for k, v in params.items() if k in available()[n].parameters()} for n in names}
    unused = [k for k in params if not any(k in c for c in chosen.values())]
    if unused:
        raise ModelError(f"no chosen model takes parameter {unused[0]!r}", where=f"params.{unused[0]}",
                         fix="check the name against GET /api/models")
    for n in names:  # type checks and construction errors, before the report's runs
        build_model(n, chosen[n])
    return chosen


def parse_params_json(text: str | None) -> dict[str, Any]:
    """Model parameters given as a JSON object of scalars (the report's `params` query)."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ModelError(f"params is not JSON: {exc}", where="params",
                         fix='give a JSON object, e.g. {"rounds": 5}') from None
    if not isinstance(value, dict) or not all(
            isinstance(v, (int, float, str, bool, type(None))) for v in value.values()):
        raise ModelError("params must be a JSON object of numbers, texts and booleans",
                         where="params", fix='give e.g. {"rounds": 5}')
    return value


@functools.lru_cache(maxsize=8)
def case_report(case: str, as_of: str | None, names: tuple[str, ...], params_json: str
                ) -> tuple[str, list[dict[str, Any]]]:
    """The HTML report of a built-in case and its sections' tables (as `standoff report` records
    them). Kept for the last few choices: with no Monte Carlo the report of a built-in case is
    the same every time, and building one takes seconds."""
    return scenario_report(at_date(load_case(case), as_of), names, json.loads(params_json))


def scenario_report(scenario: Scenario, names: tuple[str, ...] | list[str],
                    params: dict[str, dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The HTML report of any scenario (an upload, or a case with edited values) with the chosen
    models and their parameters, and its sections' tables."""
    from standoff.report.document import build_report

    result = build_report(scenario, models=list(names), params=params)
    sections = [{"id": sec.id, "title": sec.title, "note": sec.note,
                 "tables": [{"caption": t.caption, "columns": list(t.columns),
                             "rows": [list(r) for r in t.rows]} for t in sec.tables()]}
                for sec in result.sections]
    return result.to_html(), sections


def crisis_view(scenario: Scenario, between: list[str] | None, lam: float):
    """The International Interaction Game between two sides (groups or actors; default: the
    scenario's first two groups), solved at precision `lam`: the result and its JSON view."""
    from standoff.games.crisis import crisis

    if not any(o.kind == "crisis" for o in scenario.outcomes):
        raise ModelError(f"scenario {scenario.id!r} has no crisis outcomes", where="outcomes",
                         fix="add outcomes of kind `crisis` (e.g. a war) to the scenario")
    if between is None:
        if len(scenario.group_ids) < 2:
            raise ModelError(f"scenario {scenario.id!r} has {len(scenario.group_ids)} group(s); a "
                             "crisis needs two sides", where="between",
                             fix="give two groups or actors in `between`, or add a second group")
        between = list(scenario.group_ids[:2])
    known = set(scenario.group_ids) | set(scenario.actor_ids)
    for k, side in enumerate(between):
        if side not in known:
            raise ModelError(f"unknown side {side!r}", where=f"between[{k}]",
                             fix=f"use a group ({', '.join(scenario.group_ids) or 'none'}) or an actor")
    result = crisis(scenario, between[0], between[1], lam=lam)
    a, b = result.dyad.a, result.dyad.b
    rows = [{"outcome": r["outcome"], "description": r["description"],
             "named_outcome": r["named_outcome"], "payoff_a": r[f"payoff_{a.id}"],
             "payoff_b": r[f"payoff_{b.id}"], "spe": r["spe"], "qre": r["qre"]}
            for r in result.outcomes.to_dict(orient="records")]
    view = finite({
        "scenario": scenario.id, "title": scenario.title, "date": scenario.date,
        "a": {"id": a.id, "name": a.name}, "b": {"id": b.id, "name": b.name}, "lambda": result.lam,
        "outcomes": rows, "named": result.named.to_dict(orient="records"),
        "probabilities": result.probabilities(), "spe_outcome": result.mapping[result.spe_outcome()],
        "path": result.path_in_words()})
    return result, view


def run_model(model, scenario: Scenario) -> Forecast:
    """The model's forecast; a parameter the model cannot work with is reported, not crashed on."""
    try:
        return model.forecast(scenario)
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError) as exc:
        raise ModelError(f"model {model.name!r} cannot run with {model.get_params()}: {exc}",
                         where="params", fix="check the parameters against docs/models/") from None


def forecast_view(scenario: Scenario, forecast: Forecast) -> dict[str, Any]:
    """The forecast per issue and the data the page charts: each issue's scale, labelled points,
    status quo, the actors (position and weight = capability × salience/100), the forecast value
    and, for models with rounds, the trajectory."""
    issues = []
    for f in forecast.issues:
        issue = scenario.issue(f.issue)
        actors = [{"id": a.id, "name": a.name, "group": a.group, "position": a.positions[f.issue].mode,
                   "weight": a.capability.mode * a.salience[f.issue].mode / 100.0}
                  for a in scenario.actors]
        issues.append({**issue_view(issue), "value": f.value, "nearest_point": f.nearest_point,
                       "nearest_point_value": f.nearest_point_value, "trajectory": f.trajectory,
                       "converged": f.converged, "rounds": f.rounds, "actors": actors})
    return finite({
        "scenario": scenario.id, "title": scenario.title, "date": scenario.date,
        "model": forecast.model, "params": forecast.params, "issues": issues,
        "nearest_outcome": forecast.nearest_outcome,
        "nearest_outcome_distance": forecast.nearest_outcome_distance,
        "outcome_probabilities": forecast.outcome_probabilities,
    })


def finite(obj: Any) -> Any:
    """NaN and infinities to None (JSON has no such numbers); dates to ISO strings."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    return obj


def _json_default(value: Any) -> Any:
    return value if isinstance(value, (int, float, str, bool, type(None))) else repr(value)
