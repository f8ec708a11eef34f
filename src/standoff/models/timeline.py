"""A forecast at every event date: how the predicted outcome moves as events are replayed."""

from __future__ import annotations

import datetime as dt

from standoff import lazy
from standoff.models.base import Batch, Model
from standoff.models.forecast import Forecast
from standoff.scenario import Scenario

pd = lazy.load("pandas")


def event_dates(scenario: Scenario, until: dt.date | None = None) -> list[dt.date]:
    """The baseline, then each distinct event date after it (up to `until`), in order."""
    dates = sorted({e.date for e in scenario.events if e.date > scenario.baseline
                    and (until is None or e.date <= until)})
    return [scenario.baseline, *dates]


def timeline(scenario: Scenario, model: Model, until: dt.date | None = None) -> pd.DataFrame:
    """A row per date × issue: the forecast with the effects of every event up to that date,
    and the events of that day (and P(no deal) where the model gives it). Same-day events are
    applied together, in file order."""
    dates = event_dates(scenario, until)
    scenarios = [scenario.as_of(d) if d > scenario.baseline else scenario for d in dates]
    forecasts = []
    for run in _same_status_quo(scenarios):  # the dates of one reversion point in one batch
        prediction = model.predict(Batch.from_scenarios(run))
        forecasts += [Forecast.from_prediction(s, model, prediction, index=b) for b, s in enumerate(run)]
    rows = []
    for date, f in zip(dates, forecasts, strict=True):
        todays = "; ".join(e.description for e in scenario.events if e.date == date)
        for i in f.issues:
            rows.append({"date": date, "issue": i.issue, "model": f.model, "value": i.value,
                         "nearest_point": i.nearest_point, "events": todays,
                         "p_no_deal": f.detail.get("p_breakdown")})
    return pd.DataFrame(rows)


def _same_status_quo(scenarios: list[Scenario]) -> list[list[Scenario]]:
    """Consecutive runs of scenarios that share every issue's status quo: a batch carries one
    status quo per issue, and `status_quo` effects move it between dates."""
    key = lambda s: tuple(None if i.status_quo is None else i.status_quo.mode  # noqa: E731
                          for i in s.issues)
    runs: list[list[Scenario]] = []
    for s in scenarios:
        if runs and key(runs[-1][-1]) == key(s):
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs
