"""Matching event actors to scenario actors through their ids, names and declared aliases.

Each scenario actor answers to its id, its name and its `aliases` (person names, ICEWS names,
ISO codes); each group to its id and name, unless an actor declares that name as its alias (then
the actor gets it: "United States" declared by the actor `trump` means Trump speaks for the US).
Two actors declaring the same alias is an error. A side of an event is matched by trying, in order,
its actor name, its country name, its actor code, and the first three letters of the code
(GDELT codes start with the ISO 3166 alpha-3 country code: `USAGOV` -> `USA`). Names are
compared case-folded with runs of spaces collapsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from standoff.errors import StandoffError
from standoff.events.record import EventRecord, ReadReport
from standoff.scenario import Scenario


class AliasError(StandoffError):
    """Two scenario actors declare the same alias."""


def normalise(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True, slots=True)
class Party:
    """A matched side: the named actor (None when the alias belongs to a group) and its group."""

    actor: str | None
    group: str | None

    @property
    def key(self) -> str:
        """The dyad key: the group where there is one, else the actor."""
        return self.group or self.actor or ""


@dataclass(frozen=True, slots=True)
class MatchedEvent:
    """An event with both sides matched to the scenario (`target` None: the event has none)."""

    record: EventRecord
    source: Party
    target: Party | None


class ActorMatcher:
    """Look-up from names, aliases and codes to scenario actors and groups."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        table: dict[str, Party] = {}
        owner: dict[str, str] = {}
        implicit: set[str] = set()  # group ids and names: an actor's explicit alias overrides them

        def add(name: str, party: Party, who: str, group: bool = False) -> None:
            key = normalise(name)
            if not key:
                return
            if key in implicit and not group:
                implicit.discard(key)
                table[key], owner[key] = party, who
                return
            if key in table and table[key] != party:
                raise AliasError(f"{name!r} names both {owner[key]} and {who}",
                                 file=scenario.path, where=f"actors.{who}.aliases",
                                 fix="give each alias to one actor (or to the group's name)")
            table[key], owner[key] = party, who
            if group:
                implicit.add(key)

        for g in scenario.groups:
            add(g.id, Party(None, g.id), g.id, group=True)
            add(g.name, Party(None, g.id), g.id, group=True)
        for a in scenario.actors:
            party = Party(a.id, a.group)
            for name in (a.id, a.name, *a.aliases):
                add(name, party, a.id)
        self.table = table

    def match(self, name: str, country: str = "", code: str = "") -> Party | None:
        """The scenario party a side of an event names, or None."""
        for key in (name, country, code, code[:3]):
            if key:
                party = self.table.get(normalise(key))
                if party is not None:
                    return party
        return None

    def match_events(self, records: Iterable[EventRecord],
                     report: ReadReport | None = None) -> Iterator[MatchedEvent]:
        """The records whose source (and target, where there is one) match; misses are counted."""
        for r in records:
            source = self.match(r.source, r.source_country, r.source_code)
            has_target = bool(r.target or r.target_country or r.target_code)
            target = self.match(r.target, r.target_country, r.target_code) if has_target else None
            if source is None or (has_target and target is None):
                if report is not None:
                    if source is None:
                        report.miss("source", r.source or r.source_country or r.source_code)
                    else:
                        report.miss("target", r.target or r.target_country or r.target_code)
                continue
            if report is not None:
                report.kept += 1
            yield MatchedEvent(r, source, target)


def counted(records: Iterable[EventRecord], report: ReadReport) -> Iterator[EventRecord]:
    """Pass records through, counting them as kept (reads without a scenario)."""
    for r in records:
        report.kept += 1
        yield r
