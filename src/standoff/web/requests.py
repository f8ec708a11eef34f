"""What every scenario request carries, and how the API turns it into a Scenario.

A request names its scenario one of three ways: a built-in `case`, a YAML text (`scenario_yaml`,
an upload), or the page's case in progress as JSON (`scenario`: the same mapping a YAML file holds).
Each goes through the loader of `standoff validate`, so the problems are the command line's.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from standoff.errors import Problem, ScenarioError, StandoffError
from standoff.models import available
from standoff.scenario import Scenario
from standoff.scenario.io import parse_yaml
from standoff.scenario.yamlsafe import MAX_DEPTH
from standoff.web import service
from standoff.web.limits import WebLimits

AS_OF_PATTERN = r"^(baseline|\d{4}-\d{2}-\d{2})$"
#: The file name the page's case in progress has in messages.
PAGE_FILE = "(page)"

ModelName = StrEnum("ModelName", {name: name for name in available()})
ParamValue = int | float | bool | Annotated[str, Field(max_length=200)]
Params = dict[Annotated[str, Field(max_length=100)], ParamValue]


class TooLarge(StandoffError):
    """A request or a scenario over the size limit."""


class Change(BaseModel):
    """One edited value: an actor's position or salience on an issue, or its capability."""

    model_config = ConfigDict(extra="forbid")
    actor: str = Field(max_length=100, examples=["kim-jong-un"])
    field: Literal["position", "salience", "capability"]
    issue: str | None = Field(default=None, max_length=100, examples=["denuclearization"])
    to: float = Field(allow_inf_nan=False, examples=[40])


class ScenarioRequest(BaseModel):
    """A built-in case, a YAML scenario or the page's case (JSON), as of a date, with edited values."""

    model_config = ConfigDict(extra="forbid")
    case: str | None = Field(default=None, max_length=100, examples=["korea-2018"],
                             description="a built-in case (give this, `scenario_yaml` or `scenario`)")
    scenario_yaml: str | None = Field(default=None, description="a YAML scenario's text")
    scenario: dict[str, Any] | None = Field(
        default=None, description="a scenario as JSON: the mapping a YAML scenario file holds "
                                  "(`id`, `title`, `baseline`, `issues`, `actors`, ...)")
    filename: str | None = Field(default=None, max_length=200,
                                 description="the YAML file's name, for error messages")
    as_of: str | None = Field(default=None, pattern=AS_OF_PATTERN,
                              description="YYYY-MM-DD, 'baseline', or none: after the last event")
    changes: list[Change] = Field(default_factory=list, max_length=2000)

    @model_validator(mode="after")
    def _one_scenario(self) -> ScenarioRequest:
        given = [x for x in (self.case, self.scenario_yaml, self.scenario) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of `case` (a built-in case), `scenario_yaml` or `scenario`")
        return self

    def change_list(self) -> list[dict[str, Any]]:
        return [c.model_dump() for c in self.changes]


def check_size(size: int, filename: str | None) -> None:
    if size > service.MAX_SCENARIO_BYTES:
        raise TooLarge(f"scenario is over the limit of {service.MAX_SCENARIO_BYTES:,} bytes",
                       file=filename, fix="split the scenario, or run it with the command line")


def depth(value: Any) -> int:
    """How deeply lists and mappings nest in a JSON value (counted without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item)
    return deepest


def page_yaml(raw: dict[str, Any]) -> str:
    """The page's case (JSON) as the YAML text of a scenario file, refused when it nests too deep
    or is too large."""
    if depth(raw) > MAX_DEPTH:
        raise ScenarioError([Problem("", f"the scenario nests deeper than {MAX_DEPTH} levels",
                                     "a scenario needs about 6 levels; send the mapping a YAML file holds")],
                            file=PAGE_FILE)
    text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
    check_size(len(text.encode("utf-8")), PAGE_FILE)
    return text


def parse_page(raw: dict[str, Any]) -> Scenario:
    """The page's case, validated as `standoff validate` validates a file; the problems come without
    line numbers (the page has fields, not lines) and are placed by their path (`actors[1].name`)."""
    try:
        return parse_yaml(page_yaml(raw), file=PAGE_FILE)
    except ScenarioError as exc:
        raise ScenarioError([Problem(p.where, p.message, p.fix) for p in exc.problems],
                            file=PAGE_FILE) from None


def scenario_of(request: ScenarioRequest, *, dated: bool = True) -> Scenario:
    """The request's scenario (a built-in case, inline YAML or the page's JSON), as of its date
    (`dated`), else as written."""
    if request.scenario_yaml is not None:
        check_size(len(request.scenario_yaml.encode("utf-8")), request.filename)
        scenario = service.parse_upload(request.scenario_yaml.encode("utf-8"), request.filename)
    elif request.scenario is not None:
        scenario = parse_page(request.scenario)
    else:
        scenario = service.load_case(request.case)
    return service.at_date(scenario, request.as_of) if dated else scenario


def big(request: ScenarioRequest, limits: WebLimits) -> bool:
    """Whether parsing the request's inline scenario is heavy work (a long text or a large case)."""
    if request.scenario_yaml is not None:
        return len(request.scenario_yaml) > limits.heavy_bytes
    if request.scenario is not None:
        count = lambda key: len(x) if isinstance(x := request.scenario.get(key), list) else 0  # noqa: E731
        return count("actors") * max(count("issues"), 1) > limits.heavy_bytes // 100
    return False
