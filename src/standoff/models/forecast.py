"""Forecast: what a model says about one scenario, labelled, serialisable to JSON and pandas."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from standoff import lazy
from standoff.errors import ModelError
from standoff.scenario import Scenario

pd = lazy.load("pandas")


@dataclass(frozen=True)
class IssueForecast:
    """The forecast on one issue."""

    issue: str
    title: str
    value: float
    nearest_point: str | None
    nearest_point_value: float | None
    status_quo: float | None
    trajectory: list[float] | None = None
    converged: bool | None = None
    rounds: int | None = None
    band80: tuple[float, float] | None = None
    band95: tuple[float, float] | None = None


@dataclass(frozen=True)
class Forecast:
    """A model's forecast of a scenario: per issue the value and nearest labelled point,
    trajectories and diagnostics where the model has rounds, categorical outcome
    probabilities where the model yields them, the nearest named outcome, and detail.

    Filled in by :func:`standoff.backtest.calibration.calibrate` (the models know nothing of
    past errors): per issue `band80`/`band95`, the 80 % and 95 % bands from the model's
    out-of-sample errors; `calibration`, the calibration set, its size and any fallback;
    `odds`, the probability of each named outcome and "other"; `odds_detail`, how they were
    computed (P(no deal) and its source, the predictive distribution's assumptions)."""

    scenario: str
    model: str
    params: dict[str, Any]
    date: dt.date | None
    issues: list[IssueForecast]
    nearest_outcome: str | None = None
    nearest_outcome_distance: float | None = None
    outcome_probabilities: dict[str, float] | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] | None = None
    odds: dict[str, float] | None = None
    odds_detail: dict[str, Any] | None = None

    @classmethod
    def from_prediction(cls, scenario: Scenario, model, prediction, index: int = 0) -> Forecast:
        """Label row `index` of a batch Prediction with the scenario's issues and outcomes."""
        values = prediction.values[index]
        issues = []
        for k, issue in enumerate(scenario.issues):
            anchor = nearest_anchor(issue, float(values[k]))
            traj = prediction.trajectory
            issues.append(IssueForecast(
                issue=issue.id, title=issue.title, value=float(values[k]),
                nearest_point=anchor.label if anchor else None,
                nearest_point_value=anchor.value if anchor else None,
                status_quo=issue.status_quo.mode if issue.status_quo else None,
                trajectory=None if traj is None else [float(x) for x in traj[index, :, k]],
                converged=None if prediction.converged is None
                else bool(prediction.converged[index, k]),
                rounds=None if prediction.rounds is None else int(prediction.rounds[index, k]),
            ))
        outcome, distance = nearest_outcome(scenario, {f.issue: f.value for f in issues})
        probs = None if prediction.outcome_probabilities is None else {
            k: float(np.asarray(v)[index]) for k, v in prediction.outcome_probabilities.items()}
        return cls(scenario=scenario.id, model=model.name, params=model.get_params(),
                   date=scenario.date, issues=issues, nearest_outcome=outcome,
                   nearest_outcome_distance=distance, outcome_probabilities=probs,
                   detail=_plain(_row(prediction.detail, index)))

    def value(self, issue: str) -> float:
        """The forecast value on one issue."""
        for f in self.issues:
            if f.issue == issue:
                return f.value
        raise KeyError(issue)

    def to_frame(self) -> pd.DataFrame:
        """One row per issue: issue, title, value, the 80 % and 95 % band ends (NaN without a
        calibration), nearest point, status quo, model, diagnostics, the calibration set."""
        cal = self.calibration or {}
        rows = [{"issue": f.issue, "title": f.title, "value": f.value,
                 "band80_low": _end(f.band80, 0), "band80_high": _end(f.band80, 1),
                 "band95_low": _end(f.band95, 0), "band95_high": _end(f.band95, 1),
                 "nearest_point": f.nearest_point, "nearest_point_value": f.nearest_point_value,
                 "status_quo": f.status_quo, "model": self.model, "rounds": f.rounds,
                 "converged": f.converged, "calibration_set": cal.get("set"),
                 "calibration_n": cal.get("n")} for f in self.issues]
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date.isoformat() if self.date else None
        return out

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), **{"indent": 2, **kwargs})

    def plot(self, scenario: Scenario | None = None, path: Any = None) -> Any:
        """Plot the forecast: with the scenario, each issue's scale with the actors and the forecast
        (`report.forecast_plots.forecasts_plot`); without, the forecast round by round (models
        with rounds). Returns the matplotlib Figure, or saves it to `path` (a file or a buffer)
        and returns that. Drawn by the report layer, imported here when called (matplotlib)."""
        from standoff.report import forecast_plots  # lazy: matplotlib; the one import up the layers

        if scenario is not None:
            return forecast_plots.forecasts_plot(scenario, [self], path)
        if not any(f.trajectory is not None for f in self.issues):
            raise ModelError(f"the {self.model} forecast has no rounds to plot", where="Forecast.plot",
                             fix="pass the scenario: forecast.plot(scenario)")
        return forecast_plots.trajectory_plot(self, path)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Forecast:
        data = dict(data)
        data["date"] = dt.date.fromisoformat(data["date"]) if data.get("date") else None
        data["issues"] = [IssueForecast(**{k: tuple(v) if k.startswith("band") and v is not None
                                           else v for k, v in f.items()}) for f in data["issues"]]
        return cls(**data)

    @classmethod
    def from_json(cls, text: str) -> Forecast:
        return cls.from_dict(json.loads(text))


def nearest_anchor(issue, value: float):
    """The labelled point of an issue closest to `value` (the lower one on a tie), or None."""
    if not issue.anchors:
        return None
    return min(issue.anchors, key=lambda a: (abs(a.value - value), a.value))


def nearest_outcome(scenario: Scenario, values: dict[str, float]) -> tuple[str | None, float | None]:
    """The named deal closest to the forecast: root-mean-square distance over the issues the
    outcome names, each issue's scale normalised to 0..100. Returns (id, distance)."""
    best, best_d = None, None
    for outcome in scenario.outcomes:
        if outcome.kind != "deal" or not outcome.positions:
            continue
        sq = [((values[i] - x) / scenario.issue(i).range * 100.0) ** 2
              for i, x in outcome.positions.items()]
        d = float(np.sqrt(np.mean(sq)))
        if best_d is None or d < best_d:
            best, best_d = outcome.id, d
    return best, best_d


def _end(band: tuple[float, float] | None, k: int) -> float:
    return float("nan") if band is None else float(band[k])


def _row(detail: dict[str, Any], index: int) -> dict[str, Any]:
    return {k: v[index] if isinstance(v, np.ndarray) and v.ndim >= 1 else v
            for k, v in detail.items()}


def _plain(obj: Any) -> Any:
    """Numpy values to plain Python, for JSON."""
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj
