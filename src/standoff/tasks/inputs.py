"""Turning what a user typed into run inputs: the scenario by name and date, model parameters.

    s = open_scenario("korea-2018", None)            # as of the last event
    models = make_models(["eum"], parse_params(["rounds=3"]))

The model helpers are the models layer's (`standoff.models`: parse_params, model_params,
make_models), re-exported here for the front ends.
"""

from __future__ import annotations

from pathlib import Path

from standoff.data import beliefs_path
from standoff.errors import StandoffError
from standoff.loading import load
from standoff.models import make_models, model_params, parse_params
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


def spec_file(case: str | None, given: Path | None, suffix: str) -> Path:
    """A belief file (suffix "") or hypothesis file (suffix "-hypotheses"): the one given, else
    the case's built-in one."""
    if given is not None:
        return given
    found = beliefs_path(case or DEFAULT_CASE, suffix)
    if found is None:
        raise StandoffError(f"no built-in {suffix.strip('-') or 'beliefs'} file for {case!r}",
                            fix=f"give one with --{suffix.strip('-') or 'beliefs'} FILE "
                                "(format: `standoff docs events`)")
    return found


__all__ = ["DEFAULT_CASE", "make_models", "model_params", "open_scenario", "parse_params", "spec_file"]
