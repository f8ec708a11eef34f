"""The built-in cases, one scenario's values, and checking a scenario file (`standoff cases`,
`show`, `validate`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from standoff import lazy
from standoff.data import case_names, case_path
from standoff.errors import ScenarioError, StandoffError
from standoff.scenario import Scenario, read_scenario
from standoff.tasks.base import Result, to_json

pd = lazy.load("pandas")


@dataclass
class CasesResult(Result):
    kind: ClassVar[str] = "cases"
    rows: list[dict[str, Any]]

    def to_dict(self) -> list[dict[str, Any]]:
        return self.rows

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)


def list_cases() -> CasesResult:
    """One row per built-in case: name, title, counts of actors, issues and events, baseline."""
    rows = []
    for name in case_names():
        s = read_scenario(case_path(name))
        rows.append({"case": name, "title": s.title, "actors": len(s.actors),
                     "issues": len(s.issues), "events": len(s.events),
                     "baseline": str(s.baseline)})
    return CasesResult(rows)


@dataclass
class ShowResult(Result):
    kind: ClassVar[str] = "show"
    scenario: Scenario

    def to_json(self) -> str:
        return self.scenario.model_dump_json(indent=2, exclude={"path"})

    def to_dict(self) -> dict[str, Any]:
        return self.scenario.model_dump(mode="json", exclude={"path"})

    def to_frame(self) -> pd.DataFrame:
        """Actors × issues: group, capability, and per issue position and salience."""
        rows = []
        for a in self.scenario.actors:
            row = {"actor": a.id, "name": a.name, "group": a.group or "", "capability": a.capability.mode}
            for i in self.scenario.issue_ids:
                row[f"{i}.position"] = a.positions[i].mode
                row[f"{i}.salience"] = a.salience[i].mode
            rows.append(row)
        return pd.DataFrame(rows)


@dataclass
class ValidateResult(Result):
    """A scenario file checked: valid with its counts, or the problems found (`error`)."""

    kind: ClassVar[str] = "validate"
    file: Path
    scenario: Scenario | None
    error: ScenarioError | None = None

    @property
    def valid(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        if self.error is not None:
            return {"file": str(self.file), "valid": False, "problems": [
                {"line": p.line, "where": p.where, "message": p.message, "fix": p.fix}
                for p in self.error.problems]}
        s = self.scenario
        return {"file": str(self.file), "valid": True, "actors": len(s.actors), "issues": len(s.issues),
                "groups": len(s.groups), "events": len(s.events)}

    def to_json(self) -> str:
        return to_json(self.to_dict())

    def to_frame(self) -> pd.DataFrame:
        if self.error is not None:
            return pd.DataFrame(self.to_dict()["problems"])
        return pd.DataFrame([self.to_dict()])


def validate(file: Path) -> ValidateResult:
    """Read a scenario file (or a built-in case by name) and keep every problem found."""
    builtin = case_path(str(file)) if not file.exists() else None
    try:
        s = read_scenario(builtin or file)
    except ScenarioError as exc:
        return ValidateResult(file, None, exc)
    except StandoffError as exc:  # e.g. a file over the size limit: one problem
        return ValidateResult(file, None, ScenarioError([exc.problem], file=exc.file))
    return ValidateResult(file, s)
