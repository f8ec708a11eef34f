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


#: The run kind `standoff events update` records (see standoff.tasks.update).
UPDATE_KIND = "events-update"


@dataclass
class HistoryResult(TableResult):
    """How the forecast moved as the news arrived: one row per accepted update and issue."""

    kind: ClassVar[str] = "timeline-history"
    scenario: Scenario
    frame: pd.DataFrame


def history(store, scenario: Scenario, *, model: str | None = None) -> HistoryResult:
    """The forecast history of a case: every `events update` run of it (same scenario id) in the run
    store `store` that accepted something, oldest first, with the forecast before and after it, the
    date of the latest news it read and when it was recorded; `model` keeps one model's runs."""
    rows = []
    for summary in reversed(store.runs(limit=None, kind=UPDATE_KIND)):
        if summary.scenario_id != scenario.id or (model is not None and summary.model != model):
            continue
        run = store.get(summary.id)
        update = run.results.get("update") or {}
        if not update.get("accepted"):
            continue
        before = {i["issue"]: i["value"] for i in run.results["before"]["issues"]}
        for item in run.results["after"]["issues"]:
            issue, after, was = item["issue"], item["value"], before.get(item["issue"])
            rows.append({"run": run.id, "recorded": run.created_at.isoformat(timespec="seconds"),
                         "news up to": run.as_of.isoformat() if run.as_of else None, "model": run.model,
                         "accepted": len(update["accepted"]), "issue": issue, "before": was,
                         "after": after, "change": None if was is None else after - was})
    columns = ["run", "recorded", "news up to", "model", "accepted", "issue", "before", "after", "change"]
    return HistoryResult(scenario, pd.DataFrame(rows, columns=columns))
