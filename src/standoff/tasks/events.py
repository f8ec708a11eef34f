"""Event files: import (read, merge duplicates, match actors, write) and the per-dyad weekly
summary (`standoff events import|summary`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from standoff import lazy
from standoff.errors import StandoffError
from standoff.events import pipeline, store
from standoff.events.record import ReadReport
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Result, TableResult

pd = lazy.load("pandas")


@dataclass
class ImportResult(Result):
    kind: ClassVar[str] = "events-import"
    report: ReadReport
    written: list[Path]

    def to_dict(self) -> dict[str, Any]:
        return self.report.to_dict()

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.report.to_dict()])


def import_file(file: Path, source_format: str | None = None, scenario: Scenario | None = None, *,
                out: Path | None = None, attach: Path | None = None,
                progress: Progress | None = None) -> ImportResult:
    """Read an event file (matched to the scenario's actors when given); write the kept events to
    `out` as CSV, and with `attach` the scenario with the matched events added to that YAML file."""
    if attach is not None:
        if scenario is None:
            raise StandoffError("--attach needs a scenario", where="--attach", fix="add --scenario CASE")
        matched, report = pipeline.matched_list(file, source_format, scenario, progress=progress)
        if out is not None:
            store.write_events_csv(matched, out)
        store.save_scenario(store.attach(scenario, matched), attach)
    else:
        report = pipeline.import_events(file, source_format, scenario, out, progress=progress)
    return ImportResult(report, [p for p in (out, attach) if p is not None])


@dataclass
class SummaryResult(TableResult):
    kind: ClassVar[str] = "events-summary"
    file: Path
    report: ReadReport
    frame: pd.DataFrame


def summary(file: Path, scenario: Scenario, source_format: str | None = None, *,
            progress: Progress | None = None) -> SummaryResult:
    """Per dyad and week: event counts, Goldstein sums, cooperation vs conflict."""
    frame, report = pipeline.summarise(file, source_format, scenario, progress=progress)
    return SummaryResult(file, report, frame)
