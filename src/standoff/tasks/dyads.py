"""One actor's expected utilities against every other actor, both ways (`standoff dyads`,
expected utility model)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd

from standoff.errors import ModelError
from standoff.models import Model
from standoff.models.base import Batch
from standoff.models.eum import CLASS_NAMES, ExpectedUtility
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Recording, Result


def dyads(scenario, actor: str, *, issue: str | None = None, round: int = 1,
          model: ExpectedUtility | None = None):
    """One actor's dyads in one round as a DataFrame (the data behind Bueno de Mesquita's quadrant
    charts): for every other actor its position, E^i(U_ij) (the actor's expected utility of
    challenging it) and E^j(U_ji) (the other's of challenging the actor), each computed by the
    actor named in the superscript with its own risk exponent, the interaction, and whether the
    resulting offer was accepted. `round` counts from 1; positions are those at the round's start."""
    model = model or ExpectedUtility()
    ids = scenario.actor_ids
    a = ids.index(scenario.actor(actor).id)
    k = scenario.issue_ids.index(scenario.issue(issue).id) if issue else 0
    if not model.keep_dyads:
        model = ExpectedUtility(**{**model.get_params(), "keep_dyads": True})
    pred = model.predict(Batch.from_scenario(scenario))
    ran = int(pred.rounds[0, k])
    if not 1 <= round <= max(ran, 0):
        raise ModelError(f"round {round} was not run on issue {scenario.issue_ids[k]!r} "
                         f"({ran} round{'s' if ran != 1 else ''} ran)", where="--round",
                         fix=f"give a round from 1 to {ran}" if ran else "the actors never moved")
    t = round - 1
    d = pred.detail
    b = d["eu_receiver"][0, k, t]  # b[i, j] = E^j(U_ji)
    offer = d["offer"][0, k, t]
    accepted = d["accepted"][0, k, t]
    x = pred.positions_path[0, t, :, k]
    rows = []
    for o in range(len(ids)):
        if o == a:
            continue
        if offer[a, o] > 0:
            what, taken = f"{CLASS_NAMES[offer[a, o]]} ({ids[o]} yields)", bool(accepted[o] == a)
        elif offer[o, a] > 0:
            what, taken = f"{CLASS_NAMES[offer[o, a]]} ({ids[a]} yields)", bool(accepted[a] == o)
        else:
            what, taken = ("same position" if x[o] == x[a] else "stalemate"), False
        rows.append({"other": ids[o], "position": float(x[o]), "E^i(U_ij)": float(b[o, a]),
                     "E^j(U_ji)": float(b[a, o]), "interaction": what, "accepted": taken})
    frame = pd.DataFrame(rows)
    frame.attrs["position"] = float(x[a])
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
