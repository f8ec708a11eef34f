"""One actor's expected utilities against every other actor, both ways (`standoff dyads`,
expected utility model)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from standoff import lazy
from standoff.models import Model
from standoff.models.eum import ExpectedUtility, actor_dyads
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")


def dyads(scenario, actor: str, *, issue: str | None = None, round: int = 1,
          model: ExpectedUtility | None = None) -> pd.DataFrame:
    """One actor's dyads in one round as a DataFrame (the rows of
    :func:`standoff.models.eum.actor_dyads`: other, position, E^i(U_ij), E^j(U_ji), interaction,
    accepted), the actor's own position in ``attrs["position"]``."""
    rows, position = actor_dyads(scenario, actor, issue=issue, round=round, model=model)
    frame = pd.DataFrame(rows)
    frame.attrs["position"] = position
    return frame


@dataclass
class DyadsResult(Result):
    kind: ClassVar[str] = "dyads"
    scenario: Scenario
    model: Model
    actor: str
    issue: str
    round: int
    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario.id, "actor": self.actor, "issue": self.issue, "round": self.round,
                "params": self.model.get_params(), "dyads": self.frame.to_dict("records")}

    def recording(self) -> Recording:
        m = self.model
        return Recording(self.scenario, model=m.name, params={m.name: m.get_params(), "actor": self.actor,
                                                              "issue": self.issue, "round": self.round},
                         results={"dyads": self.frame})


def run(scenario: Scenario, actor: str, model: Model, *, issue: str | None = None, round: int = 1,
        progress: Progress | None = None) -> DyadsResult:
    """`actor`'s dyads on `issue` (default: the first) in round `round` of the eum `model`."""
    frame = dyads(scenario, actor, issue=issue, round=round, model=model)
    return DyadsResult(scenario, model, actor, issue or scenario.issue_ids[0], round, frame)
