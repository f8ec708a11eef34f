"""What every task shares: the result base, the one way to record a run, the progress callback.

A task is a function `run(scenario, options..., progress=None) -> Result`: it loads nothing from
the command line, prints nothing and writes no run; it computes and returns a result object. The
front ends (the CLI, the web API, the report) call tasks, render the result (`to_dict()` is the
JSON, `to_frame()` a table) and record it with `record(result, store, kind=..., case=...)`.

    result = tasks.forecast.run(scenario, ["compromise"])
    print(json.dumps(result.to_dict()))
    record(result, RunStore(), kind="forecast", case="korea-2018")
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from standoff.store import RunStore


class Progress(Protocol):
    """How a task reports progress: `progress(label, done, total)`.

    `done` counts units of work (draws, forecasts, bytes read) out of `total`; the last call of a
    piece of work has `done == total`. The shell supplies the callback (the CLI draws a rich bar on
    stderr after a second); None means no reporting. Lower layers take the same callable.
    """

    def __call__(self, label: str, done: int, total: int) -> None: ...


@dataclass(frozen=True)
class Recording:
    """What the run store keeps of a result: the fields of `RunStore.record`."""

    scenario: Any
    model: str | None
    params: dict[str, Any]
    results: dict[str, Any]
    seed: int | None = None


class Result:
    """Base of every task's result: plain data (subclasses are dataclasses).

    Subclasses give `kind` (the run kind recorded), `to_dict()` (exactly what `--format json`
    prints, as JSON-able data), `to_frame()` (the main table) and `recording()` (what the run store
    keeps; by default the scenario, no model, no parameters and `to_dict()` under `kind`).
    """

    kind: ClassVar[str] = "run"

    def to_dict(self) -> Any:
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:
        raise NotImplementedError

    def to_json(self) -> str:
        """The text `--format json` prints (`to_json(self.to_dict())` unless a verb printed
        otherwise before this layer existed)."""
        return to_json(self.to_dict())

    def recording(self) -> Recording:
        return Recording(scenario=getattr(self, "scenario", None), model=None, params={},
                         results={self.kind: self.to_dict()})


class TableResult(Result):
    """A result that is one table (its subclass's `frame` field): the JSON is the table's records."""

    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def to_json(self) -> str:
        return self.frame.to_json(orient="records", date_format="iso", indent=2)

    def to_dict(self) -> list[dict[str, Any]]:
        return json.loads(self.to_json())


def record(result: Result, store: RunStore | None, *, kind: str | None = None,
           case: str | None = None) -> int | None:
    """Write `result` to the run store as one run; returns its id (None when `store` is None).

    `kind` defaults to the result's own; `case` is the case name or file the user gave (default:
    the scenario's id).
    """
    if store is None:
        return None
    rec = result.recording()
    return store.record(kind or result.kind, rec.scenario, model=rec.model, params=rec.params,
                        seed=rec.seed, results=rec.results, case=case)


def to_json(obj: Any) -> str:
    """The JSON the front ends print: two-space indent, anything unknown (dates) as str."""
    return json.dumps(obj, indent=2, default=str)
