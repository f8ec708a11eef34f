"""Models run on perceptions: each actor forecasts from the positions it believes the others hold.

`events/` computes what each observer believes (perceived[i, j, k]); this module puts those
plain arrays into a Batch and runs any model once per observer's view. The models themselves
are unchanged: observer i's view is a scenario whose positions are row i of `perceived`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from standoff.events.beliefs import BeliefPath, perceived_positions
from standoff.models.base import Batch, Model
from standoff.scenario import Scenario


def perceived_batch(scenario: Scenario, paths: Sequence[BeliefPath]) -> Batch:
    """A one-scenario Batch whose `perceived` ([1, N, N, K]) holds the observers' beliefs."""
    batch = Batch.from_scenario(scenario)
    perceived = perceived_positions(scenario, paths)[None]
    return Batch(batch.positions, batch.salience, batch.capability, batch.low, batch.high,
                 batch.status_quo, batch.actor_ids, batch.issue_ids, perceived)


def views(batch: Batch) -> Batch:
    """The B × N observer views folded into the batch axis: positions[b·N + i] = perceived[b, i]."""
    if batch.perceived is None:
        raise ValueError("the batch has no perceived positions")
    b, n, k = batch.shape
    return Batch(batch.perceived.reshape(b * n, n, k), np.repeat(batch.salience, n, axis=0),
                 np.repeat(batch.capability, n, axis=0), batch.low, batch.high, batch.status_quo,
                 batch.actor_ids, batch.issue_ids)


def forecast_as_perceived(model: Model, batch: Batch) -> np.ndarray:
    """values[B, N, K]: the outcome each actor i expects, the model run on i's view of the
    positions (everyone's true positions where `perceived` is None)."""
    b, n, k = batch.shape
    if batch.perceived is None:
        return np.repeat(model.predict(batch).values[:, None, :], n, axis=1)
    return model.predict(views(batch)).values.reshape(b, n, k)
