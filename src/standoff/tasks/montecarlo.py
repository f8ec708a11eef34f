"""How sure a forecast is and what drives it (`standoff sensitivity`): Monte Carlo over the
uncertain inputs, the one-at-a-time tornado, Sobol indices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from standoff import lazy
from standoff.analysis import Space, WhatIf, executor, monte_carlo, sobol, tornado
from standoff.analysis.montecarlo import MonteCarlo, to_dict
from standoff.analysis.sensitivity import SobolResult, tornado_rows
from standoff.backtest.calibration import calibrate_mc
from standoff.errors import ModelError
from standoff.models import Model
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")


@dataclass
class SensitivityResult(Result):
    kind: ClassVar[str] = "sensitivity"
    scenario: Scenario
    model: Model
    draws: int
    seed: int
    noise: float
    bins: int
    sobol_n: int
    what_if: WhatIf | None
    mc: MonteCarlo
    summary: dict[str, Any]
    tornado: list[dict[str, Any]]
    sobol: SobolResult | None

    @property
    def sobol_rows(self) -> list[dict[str, Any]]:
        return self.sobol.to_rows() if self.sobol else []

    def _sobol_dict(self) -> dict[str, Any]:
        sob = self.sobol
        return {"n": sob.n if sob else 0, "evaluations": sob.evaluations if sob else 0,
                "indices": self.sobol_rows}

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary, "tornado": self.tornado, "sobol": self._sobol_dict()}

    def to_frame(self) -> pd.DataFrame:
        """One row per issue: the Monte Carlo summary."""
        return pd.DataFrame(self.summary["issues"])

    def recording(self) -> Recording:
        m = self.model
        return Recording(self.scenario, model=m.name, seed=self.seed, params={
            m.name: m.get_params(), "draws": self.draws, "noise": self.noise, "sobol": self.sobol_n,
            "bins": self.bins, "what_if": self.what_if.describe() if self.what_if else None},
            results={"monte_carlo": self.summary, "tornado": self.tornado, "sobol": self._sobol_dict()})


def run(scenario: Scenario, model: Model, *, draws: int = 10_000, seed: int = 42, noise: float = 0.0,
        what_if: WhatIf | None = None, sobol_n: int = 1024, bins: int = 20, dask: str | None = None,
        workers: int | None = None, with_tornado: bool = True,
        progress: Progress | None = None) -> SensitivityResult:
    """Monte Carlo of `draws` draws (noise: sd of the point values as a share of the scale; per
    issue also the band calibrated on DEU III, :func:`standoff.backtest.calibration.calibrate_mc`), the
    tornado of every uncertain input, and Sobol indices from a base sample of `sobol_n` (0: none).
    `dask`/`workers` choose where the draws run (`standoff.analysis.executor`); `with_tornado=False`
    leaves the tornado out (an empty list)."""
    if what_if is not None:
        what_if.apply(scenario)  # unknown actors or issues fail here, before any work starts
    if bins < 1 or sobol_n < 0 or (sobol_n & (sobol_n - 1)):
        raise ModelError("--bins must be 1 or more and --sobol 0 or a power of 2", where="--bins/--sobol",
                         fix="e.g. --bins 20 --sobol 1024")
    with executor(dask, workers) as ex:
        mc = monte_carlo(scenario, model, draws=draws, seed=seed, noise=noise, what_if=what_if, executor=ex,
                         progress=progress)
        if with_tornado:
            point = Space.build(scenario, noise=noise, what_if=what_if, use_panel=False)
            rows = tornado_rows(tornado(point, model, mc.space if len(mc.space.members) > 1 else None))
        else:
            rows = []
        sob = (sobol(mc.space, model, n=sobol_n, seed=seed, executor=ex, progress=progress)
               if sobol_n else None)
    return SensitivityResult(scenario, model, draws, seed, noise, bins, sobol_n, what_if, mc,
                             calibrate_mc(to_dict(mc, bins), scenario, model.name), rows, sob)
