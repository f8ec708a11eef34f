"""The forecast at the baseline and at each event date, events replayed up to that day
(`standoff timeline`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from standoff import lazy
from standoff.models import Model
from standoff.models.timeline import timeline as run_timeline
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Recording, TableResult

pd = lazy.load("pandas")


@dataclass
class TimelineResult(TableResult):
    kind: ClassVar[str] = "timeline"
    scenario: Scenario
    model: Model
    until: str | None
    frame: pd.DataFrame  # long: one row per date × issue


    def wide(self) -> pd.DataFrame:
        """One row per date: each issue's forecast, P(no deal) where the model gives it, and the
        events of the day."""
        frame = self.frame
        wide = frame.pivot_table(index="date", columns="issue", values="value", sort=False).reset_index()
        wide.columns.name = None
        if "p_no_deal" in frame and frame["p_no_deal"].notna().any():
            wide["P(no deal)"] = frame.drop_duplicates("date")["p_no_deal"].to_numpy()
        wide["events"] = frame.drop_duplicates("date")["events"].to_numpy()
        return wide

    def recording(self) -> Recording:
        m = self.model
        return Recording(self.scenario, model=m.name, params={m.name: m.get_params(), "until": self.until},
                         results={"timeline": self.frame})


def run(scenario: Scenario, model: Model, *, until: str | None = None,
        progress: Progress | None = None) -> TimelineResult:
    """The model's forecast at the baseline and after each event date up to `until` (YYYY-MM-DD)."""
    frame = run_timeline(scenario, model, dt.date.fromisoformat(until) if until else None)
    return TimelineResult(scenario, model, until, frame)
