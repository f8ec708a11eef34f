"""One actor's dyads in one round of the expected utility model, as plain rows (the report side
turns them into a table: :func:`standoff.tasks.dyads.dyads`)."""

from __future__ import annotations

from typing import Any

from standoff.errors import ModelError
from standoff.models.base import Batch
from standoff.models.eum.model import ExpectedUtility
from standoff.models.eum.steps import CLASS_NAMES
from standoff.scenario import Scenario


def actor_dyads(scenario: Scenario, actor: str, *, issue: str | None = None, round: int = 1,
                model: ExpectedUtility | None = None) -> tuple[list[dict[str, Any]], float]:
    """One actor's dyads in one round as plain rows (the data behind Bueno de Mesquita's quadrant
    charts), and the actor's own position. For every other actor: its position, E^i(U_ij) (the
    actor's expected utility of challenging it) and E^j(U_ji) (the other's of challenging the
    actor), each computed by the actor named in the superscript with its own risk exponent, the
    interaction, and whether the resulting offer was accepted. `round` counts from 1; positions are
    those at the round's start. A round that was not run is a ModelError."""
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
    return rows, float(x[a])
