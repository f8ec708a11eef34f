"""Read → deduplicate → match → write or tally: the import and summary pipelines as functions.

Everything streams: the only things held in memory are the running tallies (per dyad × week)
and, when events are attached to a scenario, the matched events themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from standoff import lazy
from standoff.events.matching import ActorMatcher, MatchedEvent, counted
from standoff.events.readers import ProgressCallback, detect_format, read_events
from standoff.events.record import EventRecord, ReadReport
from standoff.events.store import as_scenario_event, write_events_csv
from standoff.events.summary import DyadWeeks
from standoff.scenario import Scenario
from standoff.scenario.schema import Event

pd = lazy.load("pandas")


def stream(path: str | Path, fmt: str | None = None, scenario: Scenario | None = None, *,
           progress: ProgressCallback | None = None,
           ) -> tuple[Iterator[MatchedEvent] | Iterator[EventRecord], ReadReport]:
    """The events of a file (matched to the scenario's actors when one is given) and the report
    that fills in as they are consumed."""
    fmt = fmt or detect_format(path)
    report = ReadReport(str(path), fmt)
    records = read_events(path, fmt, report, progress=progress)
    if scenario is None:
        return counted(records, report), report
    return ActorMatcher(scenario).match_events(records, report), report


def import_events(path: str | Path, fmt: str | None = None, scenario: Scenario | None = None,
                  out: str | Path | None = None, *, progress: ProgressCallback | None = None) -> ReadReport:
    """Read (and match) every row; write the kept events to `out` as CSV when given."""
    events, report = stream(path, fmt, scenario, progress=progress)
    if out is not None:
        write_events_csv(events, out)
    else:
        for _ in events:
            pass
    return report


def matched_list(path: str | Path, fmt: str | None, scenario: Scenario, *,
                 progress: ProgressCallback | None = None) -> tuple[list[MatchedEvent], ReadReport]:
    events, report = stream(path, fmt, scenario, progress=progress)
    return list(events), report  # type: ignore[arg-type]


def scenario_events(path: str | Path, fmt: str | None, scenario: Scenario, *,
                    progress: ProgressCallback | None = None) -> tuple[list[Event], ReadReport]:
    """The file's events matched to the scenario, as scenario events (no effects)."""
    matched, report = matched_list(path, fmt, scenario, progress=progress)
    return [as_scenario_event(m) for m in matched if m.record.cameo is not None], report


def summarise(path: str | Path, fmt: str | None, scenario: Scenario, *,
              progress: ProgressCallback | None = None) -> tuple[pd.DataFrame, ReadReport]:
    """Per dyad and week: counts, Goldstein sums, quad classes (see :mod:`summary`)."""
    events, report = stream(path, fmt, scenario, progress=progress)
    return DyadWeeks().update(events).frame(), report  # type: ignore[arg-type]
