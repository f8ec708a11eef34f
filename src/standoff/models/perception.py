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
                 batch.status_quo, batch.actor_ids, batch.issue_ids, perceived, batch.consent)


def views(batch: Batch) -> Batch:
    """The B × N observer views folded into the batch axis: positions[b·N + i] = perceived[b, i]."""
    if batch.perceived is None:
        raise ValueError("the batch has no perceived positions")
    b, n, k = batch.shape
    return Batch(batch.perceived.reshape(b * n, n, k), np.repeat(batch.salience, n, axis=0),
                 np.repeat(batch.capability, n, axis=0), batch.low, batch.high, batch.status_quo,
                 batch.actor_ids, batch.issue_ids, consent=batch.consent)


def forecast_as_perceived(model: Model, batch: Batch) -> np.ndarray:
    """values[B, N, K]: the outcome each actor i expects, the model run on i's view of the
    positions (everyone's true positions where `perceived` is None)."""
    b, n, k = batch.shape
    if batch.perceived is None:
        return np.repeat(model.predict(batch).values[:, None, :], n, axis=1)
    return model.predict(views(batch)).values.reshape(b, n, k)


def expected_path(scenario: Scenario, path: BeliefPath, model: Model) -> list[dict[str, float]]:
    """After each step of a belief path: the outcome the observer expects, per issue.

    At step s the scenario is replayed to the step's date (declared effects applied), the
    observer sees the target at the posterior mean of step s, and the model runs on the
    observer's view. Row 0 is the prior at the start date.
    """
    from dataclasses import replace

    ids = scenario.actor_ids
    observers = [a.id for a in scenario.actors
                 if a.id == path.spec.observer or a.group == path.spec.observer]
    if not observers:
        return []
    i = ids.index(observers[0])
    rows = []
    for n in range(len(path.steps) + 1):
        upto = replace(path, steps=path.steps[:n])
        date = path.start if n == 0 else path.steps[n - 1].date
        s = scenario.as_of(date) if date > scenario.baseline else scenario
        values = forecast_as_perceived(model, perceived_batch(s, [upto]))[0, i]
        rows.append(dict(zip(scenario.issue_ids, map(float, values), strict=True)))
    return rows
