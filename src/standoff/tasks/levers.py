"""Rank the single changes that serve a goal (`standoff levers`): move the forecast toward a party
(`run_for`), or widen the intersection of the parties' win-sets (`run_widen`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from standoff import lazy
from standoff.analysis.levers import levers as find_levers
from standoff.errors import ModelError
from standoff.games.two_level import TwoLevel, Wedge, wedges
from standoff.models import Model
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")


def levers_frame(levers: Sequence[Any]) -> pd.DataFrame:
    """One row per lever: rank, change, gain, distance, the forecast values after it."""
    return pd.DataFrame([{"rank": n + 1, "change": lv.change, "gain": lv.gain, "distance": lv.distance,
                          **{f"{k}": v for k, v in lv.values.items()}} for n, lv in enumerate(levers)])


def wedges_frame(found: Sequence[Wedge]) -> pd.DataFrame:
    """One row per wedge: the change, the widening of the intersection, the deal's moves."""
    rows = []
    for w in found:
        row = {"change": w.change, "faction": w.faction, "widening": w.widening}
        row.update({f"{k}.deal": v for k, v in w.deal.items()})
        row.update({f"{k}.shift": v for k, v in w.deal_shift.items()})
        if w.joint_step is not None:
            row["joint_step"] = w.joint_step
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass
class LeversResult(Result):
    """`levers --for PARTY`: single changes ranked by how far they move the forecast toward it."""

    kind: ClassVar[str] = "levers"
    scenario: Scenario
    party: str
    model: Model
    step: float
    top: int
    levers: list[Any]
    baseline: dict[str, float]
    baseline_distance: float

    def to_frame(self) -> pd.DataFrame:
        return levers_frame(self.levers)

    def to_dict(self) -> dict[str, Any]:
        s = self.scenario
        return {"scenario": s.id, "date": str(s.date), "for": self.party, "model": self.model.name,
                "baseline": self.baseline, "baseline_distance": self.baseline_distance,
                "levers": self.to_frame().to_dict("records")}

    def recording(self) -> Recording:
        m = self.model
        return Recording(self.scenario, model=m.name, params={m.name: m.get_params(), "for": self.party,
                                                              "step": self.step, "top": self.top},
                         results={"baseline": self.baseline, "baseline_distance": self.baseline_distance,
                                  "levers": self.to_frame()})


@dataclass
class WedgesResult(Result):
    """`levers --widen GROUP`: single-faction changes ranked by how much they widen the
    intersection of the parties' win-sets."""

    kind: ClassVar[str] = "levers"
    scenario: Scenario
    group: str
    model: Model
    joint: bool
    top: int
    wedges: list[Wedge]
    base: TwoLevel

    def to_frame(self) -> pd.DataFrame:
        return wedges_frame(self.wedges)

    def to_dict(self) -> dict[str, Any]:
        s, base = self.scenario, self.base
        return {"scenario": s.id, "date": str(s.date), "widen": self.group, "model": base.model,
                "deal": base.deal(), "intersection": {i.issue: [i.low, i.high] for i in base.issues},
                "wedges": self.to_frame().to_dict("records")}

    def recording(self) -> Recording:
        m = self.model
        return Recording(self.scenario, model=m.name, params={m.name: m.get_params(), "widen": self.group,
                                                              "joint": self.joint, "top": self.top},
                         results={"deal": self.base.deal(), "wedges": self.to_frame()})


def run_for(scenario: Scenario, party: str, model: Model, *, step: float = 10.0, top: int = 10,
            progress: Progress | None = None) -> LeversResult:
    """The `top` single changes (positions moved by `step` % of the scale, actors removed, ...)
    that move the model's forecast most toward `party`'s position."""
    if not 0 < step <= 100 or top < 1:
        raise ModelError("--step must lie in (0, 100] and --top be 1 or more", where="--step/--top",
                         fix="e.g. --step 10 --top 10")
    found, base, d0 = find_levers(scenario, party, model, step=step, top=top)
    return LeversResult(scenario, party, model, step, top, found, base, d0)


def run_widen(scenario: Scenario, group: str, model: Model, *, joint: bool = False, top: int = 10,
              progress: Progress | None = None) -> WedgesResult:
    """The `top` changes to one faction of `group` that most widen the win-sets' intersection."""
    found, base = wedges(scenario, group, model, joint=joint, top=top)
    return WedgesResult(scenario, group, model, joint, top, found, base)
