"""Who must consent to a deal, as the consent model reads it from a scenario.

Every group with `role: party` (and members) is a ratifier: it consents to a point when the
members who prefer it to the reversion point hold its `ratification_quota` (default ½) of the
group's weight (capability × salience, or capability alone with `quota_basis: votes`), when
`member_quota` of its members (counted one each) prefer it too, and no veto holder that cares
objects. Every actor outside any group is a party of one (as in the two-level game). A group
with `role: third-party` does not ratify. `overridden_by` (the EU's art. 293 TFEU) lets another
group adopt a point without this one, by the unanimity of that group's members who care.
"""

from __future__ import annotations

from dataclasses import dataclass

from standoff.errors import ModelError
from standoff.scenario import Scenario

DEFAULT_QUOTA = 0.5


@dataclass(frozen=True)
class Ratifier:
    """One body whose consent a deal needs; members and vetoes as actor indices."""

    id: str
    members: tuple[int, ...]
    quota: float = DEFAULT_QUOTA
    basis: str = "weight"  # weight: capability × salience; votes: capability
    member_quota: float | None = None
    veto: tuple[int, ...] = ()
    overridden_by: int | None = None  # index of the ratifier whose unanimity adopts without this one


@dataclass(frozen=True)
class ConsentRules:
    """The ratifiers of a scenario and its agenda setter (actor index), if any."""

    ratifiers: tuple[Ratifier, ...]
    setter: int | None = None


def rules_of(scenario: Scenario) -> ConsentRules:
    """The consent rules a scenario declares (module docstring)."""
    index = {a: n for n, a in enumerate(scenario.actor_ids)}
    ratifiers: list[Ratifier] = []
    position: dict[str, int] = {}
    for g in scenario.groups:
        members = tuple(index[a.id] for a in scenario.actors if a.group == g.id)
        if not members or g.role != "party":
            continue
        position[g.id] = len(ratifiers)
        ratifiers.append(Ratifier(
            g.id, members, g.ratification_quota or DEFAULT_QUOTA, g.quota_basis, g.member_quota,
            tuple(index[v] for v in g.veto if v in index)))
    for a in scenario.actors:
        if a.group is None:
            ratifiers.append(Ratifier(a.id, (index[a.id],)))
    for g in scenario.groups:
        if g.id in position and g.overridden_by is not None:
            if g.overridden_by not in position:
                raise ModelError(f"group {g.id!r} is overridden by {g.overridden_by!r}, which is not "
                                 "a ratifying group with members", where=f"groups.{g.id}.overridden_by",
                                 fix="name a group with `role: party` and members")
            r = position[g.id]
            ratifiers[r] = Ratifier(**{**ratifiers[r].__dict__,
                                       "overridden_by": position[g.overridden_by]})
    setter = None if scenario.agenda_setter is None else index.get(scenario.agenda_setter)
    return ConsentRules(tuple(ratifiers), setter)
