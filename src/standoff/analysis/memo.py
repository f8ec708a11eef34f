"""Results a run computes once and reads many times: a memo of forecasts and tornado swings.

A report asks for the same thing more than once (the forecasts section, the drivers and the
Monte Carlo section all want the point forecast of each model; the drivers and the sensitivity
section both run the one-at-a-time tornado). A :class:`Memo` made for one such run answers the
repeats from the first computation. A result is filed under what determines it:

- the scenario's content hash (:meth:`Scenario.content_hash`: every value, event and date),
- the model's name and every parameter (a seed, the number of draws, ... are parameters),
- for the tornado, the fingerprint of the inputs varied (their kinds and ends).

There is no module-level cache: a memo lives as long as the run that made it holds it, so nothing
leaks from one run (or test) into the next, and a function given no memo computes afresh.

    >>> memo = Memo()
    >>> f = memo.forecast(scenario, model)          # doctest: +SKIP
    >>> memo.forecast(scenario, model) is f         # doctest: +SKIP
    True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from standoff.models.base import Model
from standoff.models.forecast import Forecast
from standoff.scenario import Scenario

T = TypeVar("T")


def model_key(model: Model) -> tuple[str, str]:
    """A model's name and its parameters (every one, sorted, as JSON; values JSON cannot hold by
    their repr)."""
    return model.name, json.dumps(model.get_params(), sort_keys=True, default=repr)


def space_key(space: Any) -> str:
    """A fingerprint of a :class:`~standoff.analysis.space.Space`: its scenario's content hash,
    the members, the inputs and the distribution of each (kind, low, mode, high, sd)."""
    h = hashlib.sha256(space.scenario.content_hash().encode())
    h.update(json.dumps([list(space.members), [i.label for i in space.inputs]]).encode())
    for a in (space.kind, space.low, space.mode, space.high, space.sd):
        h.update(a.astype(float).tobytes())
    return h.hexdigest()


class Memo:
    """The results of one run, each computed once (see the module docstring). `hits` and
    `misses` count the answers given from the memo and those computed."""

    def __init__(self) -> None:
        self._results: dict[Hashable, Any] = {}
        self._hashes: dict[int, tuple[Scenario, str]] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._results)

    def scenario_hash(self, scenario: Scenario) -> str:
        """The scenario's content hash, computed once per scenario object (the memo keeps the
        object, so its id cannot be reused by another while the memo lives)."""
        known = self._hashes.get(id(scenario))
        if known is None or known[0] is not scenario:
            known = (scenario, scenario.content_hash())
            self._hashes[id(scenario)] = known
        return known[1]

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result filed under `key`, computed by `compute()` the first time."""
        if key in self._results:
            self.hits += 1
            return self._results[key]
        self.misses += 1
        value = compute()
        self._results[key] = value
        return value

    def forecast(self, scenario: Scenario, model: Model) -> Forecast:
        """`model.forecast(scenario)`, once per scenario content and model with its parameters."""
        return self.get(("forecast", self.scenario_hash(scenario), model_key(model)),
                        lambda: model.forecast(scenario))


def forecast(memo: Memo | None, scenario: Scenario, model: Model) -> Forecast:
    """The model's forecast of the scenario, through the memo when there is one."""
    return model.forecast(scenario) if memo is None else memo.forecast(scenario, model)
