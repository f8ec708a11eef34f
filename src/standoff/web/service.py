"""What the web API does, as plain functions from data to data (no HTTP here).

The routes in :mod:`standoff.web.app` only parse requests, call these and record runs. Everything a
user can get wrong raises a :class:`~standoff.errors.StandoffError` with the place and the fix.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from standoff import tasks
from standoff.data import case_names, case_path
from standoff.errors import ModelError, UnknownCaseError
from standoff.models import Forecast, available, declared_parameters
from standoff.models.base import Batch
from standoff.report.document import build_document, sections_view
from standoff.scenario import Scenario, read_scenario, yamlsafe
from standoff.scenario.io import parse_bytes, parse_yaml

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
    """A scenario from uploaded bytes, size-checked by the caller: a workbook (.xlsx), KTAB XML
    (.xml) or a CSV format by its name's suffix, read as `standoff validate` reads the file (sheet
    and cell limits, defusedxml); any other name is YAML: UTF-8, then validated (the shared loader
    refuses deep nesting and alias bombs before composing anything)."""
    name = filename or "upload.yaml"
    if Path(name).suffix.lower() in (".xlsx", ".xml", ".csv"):
        return parse_bytes(data, name)
    return parse_yaml(yamlsafe.decode(data, name), file=name)


def at_date(scenario: Scenario, as_of: str | None) -> Scenario:
    """The scenario as of a date: None = after its last event (as the CLI does), "baseline" = as
    written, else a YYYY-MM-DD date."""
    if as_of == "baseline":
        return scenario
    date = as_of or scenario.last_event_date
    return scenario.as_of(date) if date is not None else scenario


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
    """Every registered model: name, title, first docstring line, and its declared parameters:
    `parameters` (name -> default) and `params` (name, `type` — bool, int, float or str, "other"
    for a list the page cannot edit —, `nullable`, `default` and the one-line `description`)."""
    out = []
    for name, cls in available().items():
        doc = (cls.__doc__ or "").strip().splitlines()
        declared = declared_parameters(name)
        out.append({"name": name, "title": cls.title or name, "summary": doc[0] if doc else "",
                    "parameters": {k: spec["default"] for k, spec in declared.items()},
                    "params": [{"name": k, "type": spec["type"] if spec["type"] in _SCALARS else "other",
                                "nullable": spec["nullable"], "default": spec["default"],
                                "description": spec["doc"], "rule": spec["rule"], "low": spec["low"],
                                "high": spec["high"], "choices": spec["choices"],
                                "advanced": spec["advanced"]}
                               for k, spec in declared.items()]})
    return out


_SCALARS = ("bool", "int", "float", "str")


def web_params(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """The web's reading of a model's parameters (a JSON object), before :func:`make_model`
    checks them against the model's declaration: a whole number given for a float parameter is
    that float, and a whole-number parameter (rounds, turns) above MAX_INT_PARAM, or above its
    default where that is larger, is refused so that a run answers promptly."""
    declared = declared_parameters(name) if name in available() else {}
    out = {}
    for key, value in params.items():
        spec = declared.get(key, {})
        if spec.get("type") == "float" and type(value) is int:
            value = float(value)
        if spec.get("type") == "int" and type(value) is int:
            limit = max(MAX_INT_PARAM, spec["default"] if isinstance(spec["default"], int) else 0)
            if abs(value) > limit:
                raise ModelError(f"parameter {key}={value} is too large for the web app",
                                 where=f"params.{key}",
                                 fix=f"give at most {limit}, or run `standoff forecast` instead")
        out[key] = value
    return out


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
    models and their parameters, and its sections' tables: the report task, laid out and rendered."""
    document = build_document(tasks.report.run(scenario, models=list(names), params=params))
    return document.to_html(), sections_view(document)


def crisis_view(scenario: Scenario, between: list[str] | None, lam: float):
    """The International Interaction Game between two sides (groups or actors; default: the
    scenario's first two groups), solved at precision `lam`: the result and its JSON view."""
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
    result = tasks.crisis.run(scenario, between[0], between[1], lam=lam).solved
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
    """The model's forecast with its bands and named-outcome odds (calibration set "all"); a
    parameter the model cannot work with is reported, not crashed on."""
    try:
        return tasks.forecast.run(scenario, [model]).forecasts[0]
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError) as exc:
        raise ModelError(f"model {model.name!r} cannot run with {model.get_params()}: {exc}",
                         where="params", fix="check the parameters against docs/models/") from None


def actor_paths(model, scenario: Scenario, forecast: Forecast) -> dict[str, dict[str, list[float]]]:
    """For a model with rounds, every actor's position round by round, per issue (issue -> actor
    -> positions, round 0 first); empty for models without rounds. The model runs once more: a
    forecast keeps only the path of its value."""
    if not any(f.trajectory for f in forecast.issues):
        return {}
    path = model.predict(Batch.from_scenario(scenario)).positions_path
    if path is None:
        return {}
    path = np.asarray(path)[0]  # [T, N, K]
    return {issue: {a: [float(x) for x in path[:, n, k]] for n, a in enumerate(scenario.actor_ids)}
            for k, issue in enumerate(scenario.issue_ids)}


def forecast_view(scenario: Scenario, forecast: Forecast,
                  paths: dict[str, dict[str, list[float]]] | None = None) -> dict[str, Any]:
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
                       "converged": f.converged, "rounds": f.rounds, "actors": actors,
                       "band80": f.band80, "band95": f.band95, "paths": (paths or {}).get(f.issue)})
    return finite({
        "scenario": scenario.id, "title": scenario.title, "date": scenario.date,
        "model": forecast.model, "params": forecast.params, "issues": issues,
        "nearest_outcome": forecast.nearest_outcome,
        "nearest_outcome_distance": forecast.nearest_outcome_distance,
        "outcome_probabilities": forecast.outcome_probabilities,
        "calibration": forecast.calibration, "odds": forecast.odds, "odds_detail": forecast.odds_detail,
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
