"""The case library: built-in cases whose real outcomes are recorded, each in its own file.

A case (``data/cases/NAME.yaml``) holds only what was public on its as-of date. What happened
afterwards lives apart, in ``data/outcomes/NAME.yaml``: the as-of date, the recorded outcomes
(a value on an issue, or one of the case's named outcomes) and the dated sources behind them.
Keeping the two apart means a case's inputs can never quote its own outcome; the tests check
that every source of a case is dated on or before its as-of date and every outcome source after
it (see docs/case-library.md).

    from standoff.backtest.library import library, load_with_outcomes
    for name in library():
        s = load_with_outcomes(name)      # the case as of its as-of date, `recorded` filled in
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError

from standoff.data import case_names
from standoff.errors import Problem, ScenarioError, UnknownCaseError
from standoff.loading import load
from standoff.scenario import Scenario
from standoff.scenario.io import line_map, locate_problem, problem_from_pydantic
from standoff.scenario.schema import Frozen, Id, RecordedOutcome, ScenarioData, Source
from standoff.scenario.validate import check

OUTCOMES = files("standoff.data") / "outcomes"


class CaseOutcomes(Frozen):
    """An outcome file: what happened after a case's as-of date, and the sources that say so."""

    case: Id
    as_of: dt.date = Field(description="the date the case describes; its forecasts are made then")
    retrospective: bool = Field(
        default=False, description="true when the case's figures were published after the "
                                   "decision (a replication), so they are not a forecast")
    note: str | None = None
    sources: tuple[Source, ...] = ()
    recorded: tuple[RecordedOutcome, ...] = Field(min_length=1)


def outcomes_path(name: str) -> Path | None:
    """The outcome file of a built-in case, or None when its outcome is not recorded."""
    path = Path(str(OUTCOMES / f"{name}.yaml"))
    return path if path.is_file() else None


def library() -> list[str]:
    """Names of the built-in cases that have recorded outcomes, sorted."""
    return [n for n in case_names() if outcomes_path(n) is not None]


@lru_cache(maxsize=64)
def _read(path: str) -> CaseOutcomes:
    text = Path(path).read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ScenarioError([Problem("", f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                     "fix the syntax (indentation, colons, quotes)",
                                     mark.line + 1 if mark else None)], file=path) from None
    if not isinstance(raw, Mapping):
        raise ScenarioError([Problem("", "not an outcome file: expected a mapping with `case`, "
                                     "`as_of` and `recorded`", "see `standoff docs case-library`")],
                            file=path)
    try:
        return CaseOutcomes.model_validate(raw)
    except ValidationError as exc:
        lines = line_map(node) if node is not None else {}
        raise ScenarioError([problem_from_pydantic(e, lines) for e in exc.errors()], file=path) from None


def family(name: str) -> str:
    """The negotiation family of a library case (the case's `family`, or its own name): a
    negotiation and its sequels, which cross-fitting leaves out together."""
    from standoff.loading import load

    return load(name).family or name


def read_outcomes(name: str) -> CaseOutcomes:
    """The outcome file of a library case, validated field by field."""
    path = outcomes_path(name)
    if path is None:
        raise UnknownCaseError(f"no recorded outcomes for {name!r}",
                               fix=f"library cases: {', '.join(library())}")
    found = _read(str(path))
    if found.case != name:
        raise ScenarioError([Problem("case", f"the file is named for {name!r} but says "
                                     f"case: {found.case!r}", f"write `case: {name}`")],
                            file=str(path))
    return found


def load_with_outcomes(name: str) -> Scenario:
    """A library case as of its as-of date, with `recorded` (and the outcome sources) filled in.

    The recorded outcomes are checked against the case like any scenario's (their issue,
    named outcome and source must exist, values on the scale); a problem is reported at its
    place in the outcome file.
    """
    outcomes = read_outcomes(name)
    scenario = load(name)
    path = str(outcomes_path(name))
    clash = {s.id for s in outcomes.sources} & {s.id for s in scenario.sources}
    if clash:
        raise ScenarioError([Problem("sources", f"source id {sorted(clash)[0]!r} is also a source "
                                     "of the case", "give the outcome's source another id")],
                            file=path)
    fields: dict[str, Any] = {k: getattr(scenario, k) for k in ScenarioData.model_fields}
    fields["sources"] = scenario.sources + outcomes.sources
    fields["recorded"] = outcomes.recorded
    data = ScenarioData(**fields)
    problems = [p for p in check(data) if p.where.startswith("recorded")]
    if problems:
        text = Path(path).read_text(encoding="utf-8")
        lines = line_map(yaml.compose(text, Loader=yaml.SafeLoader))
        raise ScenarioError([locate_problem(p, lines) for p in problems], file=path)
    merged = Scenario(**dict(data), path=scenario.path)
    return merged.as_of(outcomes.as_of)
