"""The event record every reader yields, and the tally of what a read skipped and why."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from standoff.events.codebook import Coded

#: How many line numbers a report keeps per reason (the rest are only counted).
FIRST_LINES = 5


@dataclass(frozen=True, slots=True)
class EventRecord(Coded):
    """One coded event: who did what to whom, when, in CAMEO (and PLOVER where known).

    `source` and `target` are the actor names as the data spells them; `*_country` and
    `*_code` carry the country name and the actor code (GDELT's `USAGOV`, ISO 3166 alpha-3)
    used by actor matching. `cameo` and `goldstein` are None only for PLOVER records that
    carry no CAMEO code. `line` is the line of the file the record ends on.
    """

    date: dt.date
    source: str
    target: str
    cameo: str | None
    goldstein: float | None
    plover: str | None
    text: str
    origin: str = ""
    source_country: str = ""
    target_country: str = ""
    source_code: str = ""
    target_code: str = ""
    line: int = 0


@dataclass
class ReadReport:
    """What happened to every row of a file: kept, merged as a duplicate, malformed, unmatched."""

    path: str
    format: str
    rows: int = 0
    kept: int = 0
    duplicates: int = 0
    malformed: Counter = field(default_factory=Counter)
    malformed_lines: dict[str, list[int]] = field(default_factory=dict)
    unmatched: Counter = field(default_factory=Counter)
    unmatched_examples: dict[str, list[str]] = field(default_factory=dict)

    def bad(self, reason: str, line: int) -> None:
        """Count a malformed row under `reason`, keeping the first few line numbers."""
        self.malformed[reason] += 1
        lines = self.malformed_lines.setdefault(reason, [])
        if len(lines) < FIRST_LINES:
            lines.append(line)

    def miss(self, side: str, name: str) -> None:
        """Count a row whose `side` ('source' or 'target') matched no scenario actor."""
        self.unmatched[side] += 1
        names = self.unmatched_examples.setdefault(side, [])
        if len(names) < FIRST_LINES and name not in names:
            names.append(name)

    @property
    def n_malformed(self) -> int:
        return sum(self.malformed.values())

    @property
    def n_unmatched(self) -> int:
        return sum(self.unmatched.values())

    def to_dict(self) -> dict:
        return {
            "file": self.path, "format": self.format, "rows": self.rows, "kept": self.kept,
            "duplicates_merged": self.duplicates, "malformed": dict(self.malformed),
            "malformed_first_lines": self.malformed_lines, "unmatched": dict(self.unmatched),
            "unmatched_examples": self.unmatched_examples,
        }

    def lines(self) -> list[str]:
        """The report for people, a line per fact."""
        out = [f"{self.path} ({self.format}): {self.rows} rows read, {self.kept} events kept"]
        if self.duplicates:
            out.append(f"  {self.duplicates} two-direction duplicates merged")
        for reason, n in self.malformed.most_common():
            first = ", ".join(map(str, self.malformed_lines[reason]))
            out.append(f"  {n} malformed: {reason} (first at line {first})")
        for side, n in self.unmatched.most_common():
            ex = "; ".join(self.unmatched_examples.get(side, []))
            out.append(f"  {n} unmatched {side} (e.g. {ex})")
        return out
