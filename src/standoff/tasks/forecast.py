"""Forecast a scenario with one or more models (`standoff forecast`), optionally with what drives
each forecast (`--explain`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from standoff import lazy
from standoff.analysis.drivers import explain_forecast
from standoff.backtest.calibration import SETS, calibrate
from standoff.errors import ModelError
from standoff.models import Forecast, Model
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")


@dataclass
class ForecastResult(Result):
    kind: ClassVar[str] = "forecast"
    scenario: Scenario
    names: list[str]
    models: list[Model]
    forecasts: list[Forecast]
    drivers: list[list[Any]] | None = field(default=None)

    def to_dict(self) -> list[dict[str, Any]]:
        dicts = [r.to_dict() for r in self.forecasts]
        for d, found in zip(dicts, self.drivers or [], strict=False):
            d["drivers"] = [x.to_dict() for x in found]
        return dicts

    def to_frame(self) -> pd.DataFrame:
        """One row per model × issue."""
        return pd.concat([f.to_frame() for f in self.forecasts], ignore_index=True)

    def recording(self) -> Recording:
        drivers = self.drivers
        return Recording(self.scenario, model=",".join(self.names),
                         params={r.model: r.params for r in self.forecasts},
                         results={"forecasts": [r.to_dict() for r in self.forecasts]}
                         | ({"drivers": [[x.to_dict() for x in found] for found in drivers]}
                            if drivers else {}))


def run(scenario: Scenario, models: list[Model], *, names: list[str] | None = None, explain: bool = False,
        bands: str = "all", progress: Progress | None = None) -> ForecastResult:
    """Each model's forecast of the scenario, with its 80 % and 95 % bands per issue and the
    named-outcome odds from calibration set `bands` (eu, crisis, all or none:
    :func:`standoff.backtest.calibration.calibrate`); with `explain`, per model the drivers of each
    issue's forecast (the actors whose removal moves it most, the uncertain inputs it is most
    sensitive to)."""
    if bands not in (*SETS, "none"):
        raise ModelError(f"--bands {bands}: unknown calibration set", where="--bands",
                         fix=f"use one of {', '.join(SETS)} or none")
    results = [calibrate(scenario, m.forecast(scenario), bands) for m in models]
    drivers = [explain_forecast(scenario, m) for m in models] if explain else None
    return ForecastResult(scenario, names or [m.name for m in models], list(models), results, drivers)
