"""Shifting power and preventive war, disarmament, deadline bargaining for one dyad
(`standoff dynamics`, `standoff crisis --dynamic`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from standoff import lazy
from standoff.errors import ModelError
from standoff.games.dynamics import dynamics_report
from standoff.games.dynamics.inputs import read_missile_tests
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")


def to_dict(report: dict[str, Any]) -> dict[str, Any]:
    """A JSON-ready copy of a `dynamics_report`: frames as lists of records, infinities as strings."""
    def clean(obj):
        if isinstance(obj, pd.DataFrame):
            return [clean(r) for r in obj.to_dict(orient="records")]
        if isinstance(obj, dict):
            return {k: clean(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [clean(v) for v in obj]
        if isinstance(obj, (np.bool_,)):
            return bool(obj)
        if isinstance(obj, (np.integer,)):
            return int(obj)
        if isinstance(obj, (float, np.floating)):
            x = float(obj)
            return x if math.isfinite(x) else (None if math.isnan(x) else ("inf" if x > 0 else "-inf"))
        if hasattr(obj, "to_dict"):
            return clean(obj.to_dict())
        return obj
    return clean(report)


@dataclass
class DynamicsResult(Result):
    kind: ClassVar[str] = "dynamics"
    scenario: Scenario
    between: tuple[str, str]
    params: dict[str, Any]
    missile_tests: list[str]
    report: dict[str, Any] = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self.report)

    def to_frame(self) -> pd.DataFrame:
        """Shifting power, period by period."""
        return self.report["shifting_power"].frame

    def recording(self) -> Recording:
        return Recording(self.scenario, model=None, params={"between": list(self.between), **self.params,
                                                            "missile_tests": self.missile_tests},
                         results={"dynamics": self.to_dict()})


def parse_missile_tests(items: list[str]) -> dict[str, Any]:
    """`GROUP=FILE` items to each group's capability path read from a missile test record."""
    tests = {}
    for item in items:
        group, sep, file = item.partition("=")
        if not sep or not group or not file:
            raise ModelError(f"{item!r} is not GROUP=FILE", where="--missile-tests",
                             fix="write it like --missile-tests north-korea=cns-dprk-missile-tests.csv")
        tests[group] = read_missile_tests(file)
    return tests


def run(scenario: Scenario, a: str, b: str, *, missile_tests: list[str] | None = None,
        params: dict[str, Any] | None = None, progress: Progress | None = None) -> DynamicsResult:
    """The dynamics of the dyad a–b; `missile_tests` items GROUP=FILE; `params` as
    `games.dynamics.dynamics_report` takes them (delta, months, deadline, ...)."""
    tests = parse_missile_tests(missile_tests or [])
    report = dynamics_report(scenario, a, b, missile_tests=tests, **(params or {}))
    return DynamicsResult(scenario, (a, b), dict(params or {}), list(missile_tests or []), report)
