"""Two-level game: each group's position and win-set, their intersection and the deal
(`standoff winsets`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from standoff import lazy
from standoff.games.two_level import TwoLevel, analyse
from standoff.models import Model
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")


@dataclass
class WinsetsResult(Result):
    kind: ClassVar[str] = "winsets"
    scenario: Scenario
    model: Model
    joint: bool
    analysis: TwoLevel

    def to_dict(self) -> dict[str, Any]:
        return json.loads(self.analysis.to_json())

    def to_json(self) -> str:
        return self.analysis.to_json()

    def to_frame(self) -> pd.DataFrame:
        """One row per issue: the intersection of the win-sets and the deal."""
        return pd.DataFrame([{"issue": i.issue, "low": i.low, "high": i.high} for i in self.analysis.issues])

    def recording(self) -> Recording:
        m = self.model
        return Recording(self.scenario, model=m.name, params={m.name: m.get_params(), "joint": self.joint},
                         results={"winsets": self.to_dict()})


def run(scenario: Scenario, model: Model, *, joint: bool = False,
        progress: Progress | None = None) -> WinsetsResult:
    """Each group's internal bargain and win-set, the international bargain, the deal; `joint`:
    every group judges deals as a package."""
    return WinsetsResult(scenario, model, joint, analyse(scenario, model, joint=joint))
