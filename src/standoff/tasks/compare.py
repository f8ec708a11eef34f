"""The baseline forecast and the forecast after what-if changes, side by side (`standoff compare`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from standoff import lazy
from standoff.analysis import WhatIf, executor, monte_carlo
from standoff.analysis.montecarlo import issue_summary, outcome_shares
from standoff.errors import ModelError
from standoff.models import Forecast, Model
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")


def shares_text(shares: dict[str, float], cut: float = 0.005) -> str:
    """Named outcomes and their shares, largest first, e.g. "deal 62%, no deal 38%"."""
    items = sorted(shares.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{k} {v:.0%}" for k, v in items if v >= cut)


def compare_frame(base: list[Forecast], changed: list[Forecast]) -> pd.DataFrame:
    """Per model and issue: the baseline and the changed forecast, side by side."""
    rows = []
    for fb, fc in zip(base, changed, strict=True):
        for ib, ic in zip(fb.issues, fc.issues, strict=True):
            rows.append({"issue": ib.issue, "model": fb.model, "baseline": ib.value, "what-if": ic.value,
                         "change": ic.value - ib.value, "baseline point": ib.nearest_point or "",
                         "what-if point": ic.nearest_point or ""})
    return pd.DataFrame(rows)


@dataclass
class CompareResult(Result):
    kind: ClassVar[str] = "compare"
    scenario: Scenario
    change: WhatIf
    names: list[str]
    models: list[Model]
    baseline: list[Forecast]
    what_if: list[Forecast]
    draws: int
    seed: int
    noise: float
    monte_carlo: list[dict[str, Any]]

    def to_frame(self) -> pd.DataFrame:
        return compare_frame(self.baseline, self.what_if)

    def to_dict(self) -> dict[str, Any]:
        s = self.scenario
        return {"scenario": s.id, "date": str(s.date), "what_if": self.change.describe(),
                "forecasts": self.to_frame().to_dict("records"),
                "nearest_outcome": [{"model": b.model, "baseline": b.nearest_outcome,
                                     "what-if": c.nearest_outcome}
                                    for b, c in zip(self.baseline, self.what_if, strict=True)],
                "monte_carlo": self.monte_carlo}

    def recording(self) -> Recording:
        return Recording(self.scenario, model=",".join(self.names), seed=self.seed if self.draws else None,
                         params={**{m.name: m.get_params() for m in self.models},
                                 "what_if": self.change.describe(), "draws": self.draws, "noise": self.noise},
                         results={"baseline": [f.to_dict() for f in self.baseline],
                                  "what_if": [f.to_dict() for f in self.what_if],
                                  "monte_carlo": self.monte_carlo})


def need_change(change: WhatIf) -> None:
    """A user error when there is nothing to compare."""
    if not change:
        raise ModelError("no change to compare", where="--what-if",
                         fix="e.g. --what-if 'without bolton' or --set trump.capability=+20%")


def run(scenario: Scenario, change: WhatIf, models: list[Model], *, names: list[str] | None = None,
        draws: int = 0, seed: int = 42, noise: float = 0.0, dask: str | None = None,
        workers: int | None = None, progress: Progress | None = None) -> CompareResult:
    """Each model's forecast before and after `change`; with `draws`, also Monte Carlo medians and
    80% intervals of both (noise: sd of the point values as a share of the scale)."""
    need_change(change)
    changed = change.apply(scenario)
    base_f = [m.forecast(scenario) for m in models]
    new_f = [m.forecast(changed) for m in models]
    mc_rows = []
    if draws:
        with executor(dask, workers) as ex:
            for m in models:
                for label, wi in (("baseline", None), ("what-if", change)):
                    mc = monte_carlo(scenario, m, draws=draws, seed=seed, noise=noise, what_if=wi,
                                     executor=ex, progress=progress)
                    for r in issue_summary(mc):
                        mc_rows.append({"issue": r["issue"], "model": m.name, "run": label,
                                        "median": r["median"], "80% low": r["p80"][0],
                                        "80% high": r["p80"][1],
                                        "nearest named outcome": shares_text(outcome_shares(mc), 0.0)})
    return CompareResult(scenario, change, names or [m.name for m in models], list(models), base_f, new_f,
                         draws, seed, noise, mc_rows)
