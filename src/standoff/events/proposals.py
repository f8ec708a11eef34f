"""Proposed effects: what a story of the news would change in a case, for the analyst to accept.

A story (:mod:`standoff.events.stories`) whose source is a named actor of the case becomes a
proposal: a scenario event carrying effects on positions, salience or capability, computed by one
documented rule from the story's quad class, Goldstein score g (−10..+10) and dyad (docs/events.md,
"Proposed effects"). With w = 1 for material stories (quads 2, 4) and w = `verbal` for verbal
ones (quads 1, 3), against the case's values on the day of the latest news:

- **position**: the source a moves on every issue k towards its target b (g > 0) or away from it
  (g < 0): Δx_a,k = `pull` · w · (g / 10) · (x_b,k − x_a,k). A target that is a group (no named
  actor) stands at its members' capability-weighted mean position;
- **salience**: a conflictual story (g < 0) raises a's salience on the issue where a and b are
  farthest apart (the first on a tie) by `salience_step` · w · |g| / 10, at most to 100;
- **capability**: a material story (quads 2, 4) towards a named actor b changes b's capability by
  `capability_step` · g / 10 (aid and concessions strengthen the receiver; sanctions, coercion and
  force weaken it), never below 0.

Every effect is a `by`, which shifts a value with its whole range (mode, low and high: the
analyst's uncertainty about where the actor stands keeps its width, and the story moves it). So a
change is cut so that no end of the range leaves its scale: a value whose range reaches the top of
the scale (Kim's sanctions relief, 80..100) takes no rise. Changes are rounded to `digits` decimals
(towards zero where cut) and those under `min_change` are dropped; a story left with no change, or
without a named source actor, a target, or a CAMEO code, gets no proposal (and a reason).

Proposals are independent: each is computed against the same values, so the analyst can accept any
subset, and the effects add up. For any subset to stay on the scale, the room to an end is shared
out in proposal order: the rises of all proposals on one value together use at most its room to the
top, their falls at most its room to the bottom (:func:`triage`).

Pure functions: stories + scenario + rule -> proposals, each with its evidence. Forecasts before
and after are the tasks layer's (standoff.tasks.update).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from standoff.errors import StandoffError
from standoff.events.codebook import QUAD_NAMES, codebook
from standoff.events.stories import Story, says_only_the_code
from standoff.scenario import Scenario
from standoff.scenario.io import slug
from standoff.scenario.schema import SALIENCE_MAX, Effect, Event, Source, Value


class ProposalRuleError(StandoffError):
    """A proposal rule parameter out of its range."""


@dataclass(frozen=True, slots=True)
class ProposalRule:
    """The parameters of the proposal rule (module docstring; docs/events.md, "Proposed effects").

    `pull`: share of the distance to the target's position a material story of Goldstein ±10 moves
    the source (0..1). `verbal`: weight of a verbal story relative to a material one (0..1).
    `salience_step`: salience points a material story of Goldstein −10 adds (0..100).
    `capability_step`: capability points a material story of Goldstein ±10 gives or takes (≥ 0).
    `min_change`: smaller changes are not proposed (≥ 0). `digits`: decimals kept (0..6).
    """

    pull: float = 0.2
    verbal: float = 0.5
    salience_step: float = 10.0
    capability_step: float = 5.0
    min_change: float = 0.5
    digits: int = 2

    def __post_init__(self) -> None:
        checks = {"pull": (0.0, 1.0), "verbal": (0.0, 1.0), "salience_step": (0.0, SALIENCE_MAX),
                  "capability_step": (0.0, float("inf")), "min_change": (0.0, float("inf")),
                  "digits": (0, 6)}
        for name, (lo, hi) in checks.items():
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
                raise ProposalRuleError(f"{name} {v!r} is outside [{lo:g}, {hi:g}]", where=name,
                                        fix=f"give {name} between {lo:g} and {hi:g}")

    def weight(self, quad: int | None) -> float:
        """w: 1 for a material story (quads 2 and 4), `verbal` for a verbal one (1 and 3)."""
        return 1.0 if quad in (2, 4) else self.verbal

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(frozen=True)
class Proposal:
    """A proposed event for the case: the effects, why (one line per effect), and the evidence.

    `event` is the scenario event to add (its `source` cites `source_entry`, which lists the
    publishers); `stories` the evidence.
    """

    id: str
    stories: tuple[Story, ...]
    event: Event
    source_entry: Source
    reasons: tuple[str, ...]

    @property
    def effects(self) -> tuple[Effect, ...]:
        return self.event.effects

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for s in self.stories for p in s.sources))

    def with_effects(self, effects: Sequence[Effect]) -> Proposal:
        """The proposal with the effects the analyst edited (each citing the same source)."""
        cited = tuple(e if e.source else e.model_copy(update={"source": self.source_entry.id})
                      for e in effects)
        return Proposal(self.id, self.stories, self.event.model_copy(update={"effects": cited}),
                        self.source_entry, self.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "date": self.event.date.isoformat(), "actor": self.event.actor,
                "target": self.event.target, "cameo": self.event.cameo,
                "description": self.event.description, "source": self.source_entry.id,
                "sources": list(self.sources),
                "effects": [e.model_dump(mode="json", exclude_none=True) for e in self.effects],
                "reasons": list(self.reasons), "stories": [s.to_dict() for s in self.stories]}


@dataclass(frozen=True)
class Skipped:
    """A story that yields no proposal, and why."""

    story: Story
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.story.to_dict(), "reason": self.reason}


# --- the rule -----------------------------------------------------------------------------------
def _position(scenario: Scenario, who: str, issue: str) -> float:
    """An actor's position; for a group, its members' capability-weighted mean."""
    if who in scenario.actor_ids:
        return scenario.actor(who).positions[issue].mode
    members = scenario.members(who)
    weights = [a.capability.mode for a in members]
    total = sum(weights)
    if total <= 0:
        return sum(a.positions[issue].mode for a in members) / len(members)
    return sum(w * a.positions[issue].mode for w, a in zip(weights, members, strict=True)) / total


def _round(x: float, digits: int) -> float:
    return round(x, digits) + 0.0  # no -0.0


Room = dict[tuple[str, str, str | None], list[float]]
"""Room left to the ends of the scale per (actor, field, issue): [down, up], used up in proposal order."""


def _room(room: Room, key: tuple[str, str, str | None], value: Value, lo: float, hi: float) -> list[float]:
    """The room a value has to its scale's ends: below its lowest end (mode or low) down to `lo`,
    above its highest end (mode or high) up to `hi`, less what earlier proposals used."""
    if key not in room:
        low = value.mode if value.low is None else min(value.mode, value.low)
        high = value.mode if value.high is None else max(value.mode, value.high)
        room[key] = [max(low - lo, 0.0), max(hi - high, 0.0)]
    return room[key]


def _cut(delta: float, left: list[float], digits: int) -> float:
    """`delta` rounded to `digits` and cut to the room left [down, up] (that room rounded towards
    zero, so that the cut value stays on the scale)."""
    scale = 10 ** digits
    down, up = (x if math.isinf(x) else math.floor(x * scale) / scale for x in left)
    return min(max(_round(delta, digits), -down), up) + 0.0


def _use(delta: float, left: list[float]) -> None:
    if delta > 0:
        left[1] -= delta
    else:
        left[0] += delta


def effects_of(story: Story, scenario: Scenario, rule: ProposalRule, *, room: Room | None = None,
               ) -> tuple[list[Effect], list[str]]:
    """The effects the rule gives a story (source and target are case ids), and the arithmetic of
    each, one line per effect; empty when it changes nothing. Each change is cut so that no end of
    the value's range leaves its scale; `room` carries what earlier proposals used (:func:`triage`)."""
    room = {} if room is None else room
    a, b, g, q = story.source, story.target, story.goldstein or 0.0, story.quad
    w = rule.weight(q)
    actor = scenario.actor(a)
    effects: list[Effect] = []
    reasons: list[str] = []
    if g == 0 or b is None:
        return effects, reasons
    gaps = {}
    for issue in scenario.issues:
        k = issue.id
        if k not in actor.positions:
            continue
        xa, xb = actor.positions[k].mode, _position(scenario, b, k)
        gaps[k] = abs(xb - xa)
        raw = rule.pull * w * (g / 10) * (xb - xa)
        left = _room(room, (a, "position", k), actor.positions[k], issue.min, issue.max)
        delta = _cut(raw, left, rule.digits)
        if abs(delta) >= rule.min_change and delta != 0:
            _use(delta, left)
            effects.append(Effect(actor=a, field="position", issue=k, by=delta))
            cut = "" if delta == _round(raw, rule.digits) else \
                f", cut to {delta:+g} (the range's end at the scale's)"
            reasons.append(f"{a} position on {k}: {rule.pull:g} × {w:g} × ({g:+.3g}/10) × "
                           f"({xb:g} − {xa:g}) = {_round(raw, rule.digits):+g}{cut}")
    if g < 0 and gaps and max(gaps.values()) > 0:
        k = max(gaps, key=lambda i: (gaps[i], -list(gaps).index(i)))
        now = actor.salience[k] if k in actor.salience else Value(mode=SALIENCE_MAX)
        raw = rule.salience_step * w * abs(g) / 10
        left = _room(room, (a, "salience", k), now, 0.0, SALIENCE_MAX)
        delta = _cut(raw, left, rule.digits)
        if delta >= rule.min_change:
            _use(delta, left)
            effects.append(Effect(actor=a, field="salience", issue=k, by=delta))
            cut = "" if delta == _round(raw, rule.digits) else \
                f", cut to {delta:+g} (at most {SALIENCE_MAX:g})"
            reasons.append(f"{a} salience on {k} (farthest from {b}): {rule.salience_step:g} × {w:g} × "
                           f"{abs(g):.3g}/10 = {_round(raw, rule.digits):+g}{cut}")
    if q in (2, 4) and b in scenario.actor_ids and b != a:
        raw = rule.capability_step * g / 10
        left = _room(room, (b, "capability", None), scenario.actor(b).capability, 0.0, math.inf)
        delta = _cut(raw, left, rule.digits)
        if abs(delta) >= rule.min_change and delta != 0:
            _use(delta, left)
            effects.append(Effect(actor=b, field="capability", by=delta))
            cut = "" if delta == _round(raw, rule.digits) else f", cut to {delta:+g} (never below 0)"
            reasons.append(f"{b} capability: {rule.capability_step:g} × ({g:+.3g}/10) = "
                           f"{_round(raw, rule.digits):+g}{cut}")
    return effects, reasons


def _why_not(story: Story, scenario: Scenario) -> str | None:
    if story.source not in scenario.actor_ids:
        return f"source {story.source!r} is not a named actor of the case"
    if story.target is None:
        return "no target"
    if story.target == story.source:
        return "the source acts on itself"
    if story.target not in scenario.actor_ids and story.target not in scenario.group_ids:
        return f"target {story.target!r} is not in the case"
    if story.target in scenario.group_ids and not scenario.members(story.target):
        return f"group {story.target!r} has no actors"
    if story.cameo is None:
        return "no CAMEO code (the case's events are CAMEO-coded)"
    return None


def source_id(story: Story, taken: set[str]) -> str:
    """An id for the source entry citing a story: `news-DATE-SOURCE-TARGET-CAMEO` (-2, -3 if taken)."""
    base = slug(f"news-{story.date.isoformat()}-{story.source}-{story.target or 'none'}-{story.cameo}")
    out, n = base, 1
    while out in taken:
        n += 1
        out = f"{base}-{n}"
    taken.add(out)
    return out


def _describe(story: Story) -> str:
    code = codebook().get(story.cameo or "")
    what = code.name if code and says_only_the_code(story.first) else story.text
    n = len(story.reports)
    by = ", ".join(story.sources) or "no publisher given"
    return f"{what} ({n} report{'s' if n != 1 else ''}: {by})"


def triage(stories: Iterable[Story], scenario: Scenario, rule: ProposalRule | None = None,
           ) -> tuple[list[Proposal], list[Skipped]]:
    """The proposals of the stories (ids p1, p2, … in story order), and the stories that yield none
    with the reason. `scenario` holds the values the rule reads (the case as of the latest news).
    The room of each value to its scale's ends is shared out in story order, so that the case with
    any subset of the proposals keeps every value, range and all, on its scale on that day."""
    rule = rule or ProposalRule()
    taken = {s.id for s in scenario.sources}
    proposals, skipped = [], []
    room: Room = {}
    for story in stories:
        why = _why_not(story, scenario)
        effects, reasons = ([], []) if why else effects_of(story, scenario, rule, room=room)
        if why is None and not effects:
            why = (f"changes nothing under the rule (Goldstein {story.goldstein or 0:+.3g}, "
                   f"{QUAD_NAMES.get(story.quad or 0, 'no quad class')})")
        if why:
            skipped.append(Skipped(story, why))
            continue
        sid = source_id(story, taken)
        entry = Source(id=sid, title=_describe(story), date=story.date,
                       publisher="; ".join(story.sources) or None,
                       note=f"{len(story.reports)} report(s): "
                            + "; ".join(r.where or r.publisher or "?" for r in story.reports))
        cited = tuple(e.model_copy(update={"source": sid, "note": f"rule: {why_}"})
                      for e, why_ in zip(effects, reasons, strict=True))
        event = Event(date=story.date, actor=story.source, target=story.target, cameo=story.cameo,
                      description=_describe(story), source=sid, effects=cited)
        proposals.append(Proposal(f"p{len(proposals) + 1}", (story,), event, entry, tuple(reasons)))
    return proposals, skipped


def propose(stories: Iterable[Story], scenario: Scenario, rule: ProposalRule | None = None) -> list[Proposal]:
    """The proposals of the stories under the rule (see :func:`triage` for the stories left out)."""
    return triage(stories, scenario, rule)[0]


def apply(scenario: Scenario, proposals: Iterable[Proposal]) -> Scenario:
    """The case with the proposals' events (and their source entries) added: events in date order,
    the case's own first within a day, then the accepted ones in proposal order. `scenario` should be
    the case as written (not as of a date), so that the file written from it keeps its baseline."""
    proposals = list(proposals)
    if not proposals:
        return scenario
    events = sorted([*scenario.events, *(p.event for p in proposals)], key=lambda e: e.date)
    sources = (*scenario.sources, *(p.source_entry for p in proposals))
    return scenario.model_copy(update={"events": tuple(events), "sources": sources})


def latest(scenario: Scenario, stories: Sequence[Story]) -> dt.date | None:
    """The day the rule reads the case's values on: the latest of its last event and the stories."""
    dates = [d for d in (scenario.last_event_date, *(s.date for s in stories)) if d is not None]
    return max(dates, default=None)
