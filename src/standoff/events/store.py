"""Writing imported events: a normalised CSV, or the events attached to a scenario.

Writes go to a temporary file beside the target, renamed into place only when complete, so an
import that fails half-way leaves no partial file behind.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from standoff.errors import StandoffError
from standoff.events.matching import MatchedEvent
from standoff.events.record import EventRecord
from standoff.scenario import Scenario
from standoff.scenario.io import to_yaml
from standoff.scenario.schema import Event

CSV_FIELDS = ["date", "source", "target", "cameo", "text", "origin", "goldstein", "plover",
              "source_actor", "source_group", "target_actor", "target_group", "line"]


@contextlib.contextmanager
def atomic_write(path: str | Path, newline: str | None = None) -> Iterator:
    """Open a temporary file beside `path`; rename it onto `path` only if the block succeeds."""
    path = Path(path)
    if not path.parent.is_dir():
        raise StandoffError(f"cannot write {path}: no folder {path.parent}", file=str(path),
                            fix="create the folder first, or write elsewhere")
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_events_csv(events: Iterable[MatchedEvent | EventRecord], path: str | Path) -> int:
    """Stream events to a CSV that `--from csv` reads back; returns the number written."""
    n = 0
    with atomic_write(path, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_FIELDS)
        for e in events:
            r, src, tgt = (e.record, e.source, e.target) if isinstance(e, MatchedEvent) else (e, None,
                                                                                              None)
            w.writerow([r.date.isoformat(), r.source, r.target, r.cameo or "", r.text, r.origin,
                        "" if r.goldstein is None else f"{r.goldstein:g}", r.plover or "",
                        src.actor if src else "", src.group if src else "",
                        tgt.actor if tgt else "", tgt.group if tgt else "", r.line])
            n += 1
    return n


def as_scenario_event(event: MatchedEvent) -> Event:
    """A matched event in the scenario's own terms (actor or group ids), without effects.

    Only events with a CAMEO code can be attached (the scenario's events are CAMEO-coded)."""
    r = event.record
    who = lambda p: None if p is None else (p.actor or p.group)  # noqa: E731
    where = f"{r.origin}, line {r.line}" if r.origin else f"imported, line {r.line}"
    return Event(date=r.date, actor=who(event.source), target=who(event.target), cameo=r.cameo,
                 description=f"{r.text or r.source} [{where}]")


def attach(scenario: Scenario, events: Iterable[MatchedEvent]) -> Scenario:
    """The scenario with imported events added, without effects, in date order.

    Order within a day is stable: the case's own events first, in file order, then the imported
    ones in the order of their file; so replay (`as_of`) is the same on every run.
    """
    added = [as_scenario_event(e) for e in events if e.record.cameo is not None]
    merged = sorted([*scenario.events, *added], key=lambda e: e.date)  # sorted() is stable
    return scenario.model_copy(update={"events": tuple(merged)})


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario as YAML, atomically."""
    with atomic_write(path) as fh:
        fh.write(to_yaml(scenario))
