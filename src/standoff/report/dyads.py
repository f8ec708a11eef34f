"""One actor's dyads in one round of the expected utility model as a table for people (the data
behind Bueno de Mesquita's quadrant charts); the rows come from
:func:`standoff.models.eum.actor_dyads`."""

from __future__ import annotations

import pandas as pd

from standoff.models.eum import ExpectedUtility, actor_dyads


def dyads(scenario, actor: str, *, issue: str | None = None, round: int = 1,
          model: ExpectedUtility | None = None) -> pd.DataFrame:
    """The rows of :func:`~standoff.models.eum.actor_dyads` as a DataFrame (other, position,
    E^i(U_ij), E^j(U_ji), interaction, accepted), the actor's own position in ``attrs["position"]``."""
    rows, position = actor_dyads(scenario, actor, issue=issue, round=round, model=model)
    frame = pd.DataFrame(rows)
    frame.attrs["position"] = position
    return frame
