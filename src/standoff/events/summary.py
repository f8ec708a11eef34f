"""Per dyad and week: event counts, Goldstein sums, cooperation vs conflict (CAMEO quad classes).

The tally is a running aggregate (one small row per dyad × week), so summarising a file of any
length takes memory in proportion to the dyads and weeks, not the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from standoff import lazy
from standoff.events.matching import MatchedEvent

pd = lazy.load("pandas")

COLUMNS = ["source", "target", "week", "events", "goldstein_sum", "verbal_cooperation",
           "material_cooperation", "verbal_conflict", "material_conflict"]


def week_start(date: dt.date) -> dt.date:
    """The Monday of the ISO week holding `date`."""
    return date - dt.timedelta(days=date.weekday())


class DyadWeeks:
    """A running tally of matched events by (source, target, week)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[str, str, dt.date], list[float]] = {}

    def add(self, event: MatchedEvent) -> None:
        r = event.record
        key = (event.source.key, event.target.key if event.target else "", week_start(r.date))
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = [0, 0.0, 0, 0, 0, 0]
        cell[0] += 1
        cell[1] += r.goldstein or 0.0
        if r.quad is not None:
            cell[1 + r.quad] += 1

    def update(self, events: Iterable[MatchedEvent]) -> DyadWeeks:
        for e in events:
            self.add(e)
        return self

    def frame(self) -> pd.DataFrame:
        """One row per dyad × week, sorted by dyad then week."""
        rows = [(s, t, w, int(c[0]), round(c[1], 6), *map(int, c[2:]))
                for (s, t, w), c in self.cells.items()]
        frame = pd.DataFrame(rows, columns=COLUMNS)
        return frame.sort_values(["source", "target", "week"], ignore_index=True)
