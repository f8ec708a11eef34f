"""Turning what a user typed into run inputs: the scenario by name and date, model parameters.

    s = open_scenario("korea-2018", None)            # as of the last event
    models = [make(n, **p) for n, p in model_params(["eum"], parse_params(["rounds=3"])).items()]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from standoff.data import beliefs_path
from standoff.errors import ModelError, StandoffError
from standoff.loading import load
from standoff.models import Model, available, make
from standoff.scenario import Scenario

DEFAULT_CASE = "korea-2018"


def open_scenario(name: str | None, as_of: str | None) -> Scenario:
    """The scenario named (default: the Korea 2018 case), as of the date asked (default: the last
    event; "baseline": before any event)."""
    scenario = load(name or DEFAULT_CASE)
    if as_of == "baseline":
        return scenario
    date = as_of or scenario.last_event_date
    return scenario.as_of(date) if date is not None else scenario


def parse_params(items: list[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings to a dict, values read as YAML scalars (10 -> int, 0.5 -> float)."""
    params = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ModelError(f"parameter {item!r} is not KEY=VALUE", where="--param",
                             fix="write it like --param rounds=10")
        try:
            params[key.strip()] = yaml.safe_load(raw)
        except yaml.YAMLError:
            params[key.strip()] = raw
    return params


def params_for(model: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters meant for one model: `KEY` if it has it, or `MODEL.KEY`."""
    known = available()[model].parameters()
    picked = {k: v for k, v in params.items() if "." not in k and k in known}
    picked.update({k.split(".", 1)[1]: v for k, v in params.items() if k.startswith(model + ".")})
    return picked


def model_params(names: list[str], params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each chosen model's parameters; a user error for an unknown model or a parameter no
    chosen model takes."""
    for name in names:
        if name not in available():
            make(name)  # raises the user error naming the models
    used = {k for k in params if "." in k} | {k for n in names for k in params_for(n, params)}
    unused = [k for k in params if k not in used]
    if unused:
        raise ModelError(f"no chosen model takes parameter {unused[0]!r}", where="--param",
                         fix="check the name, or prefix it with the model: MODEL.KEY=VALUE")
    return {n: params_for(n, params) for n in names}


def model_with_params(model: str, params: dict[str, Any]) -> Model:
    """One registered model from its name and parameters (`KEY` or `MODEL.KEY`; any other key is
    a user error naming docs/models/)."""
    make(model)  # an unknown name is a user error naming the models
    picked = params_for(model, params)
    unused = [k for k in params if k not in picked and not k.startswith(model + ".")]
    if unused:
        raise ModelError(f"model {model!r} takes no parameter {unused[0]!r}", where="--param",
                         fix="check the name against docs/models/")
    return make(model, **picked)


def one_model(name: str, params: dict[str, Any]) -> Model:
    """A model by name with its parameters (unknown names or keys are user errors naming the
    model's parameters)."""
    if name not in available():
        make(name)
    mine = params_for(name, params)
    unused = [k for k in params if k not in mine and k.split(".", 1)[-1] not in mine]
    if unused:
        raise ModelError(f"model {name!r} takes no parameter {unused[0]!r}", where="--param",
                         fix=f"its parameters: {', '.join(available()[name].parameters()) or 'none'}")
    return make(name, **mine)


def spec_file(case: str | None, given: Path | None, suffix: str) -> Path:
    """A belief file (suffix "") or hypothesis file (suffix "-hypotheses"): the one given, else
    the case's built-in one."""
    if given is not None:
        return given
    found = beliefs_path(case or DEFAULT_CASE, suffix)
    if found is None:
        raise StandoffError(f"no built-in {suffix.strip('-') or 'beliefs'} file for {case!r}",
                            fix=f"give one with --{suffix.strip('-') or 'beliefs'} FILE "
                                "(format: docs/events.md)")
    return found
