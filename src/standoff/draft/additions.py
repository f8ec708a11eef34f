"""Add what a text reports to an existing case (`standoff draft FILE --scenario CASE`).

The case is kept whole: every key and value of it as written stays as it was, and its file's text
too (comments included) wherever the additions can be inserted as text; the draft only appends:

1. **a source** for the text (`sources`): its title, its date and the file name;
2. **events** (`events`) whose sides are both parties of the case: the actors the text names are
   matched against the case's ids, names and aliases by the rule of `standoff.events.matching`
   (an actor that declares a group's name speaks for it); a person the case lacks, of a state the
   case has, acts for that state's group. Each event carries its CAMEO code, its date (the
   sentence's, else the document's), the coder's cue and the quote with its character offsets
   (`text[start:end] “…”`), and cites the text's source. Sentences of the text that tell one
   story (`standoff.events.stories`: same ordered dyad and CAMEO root, within the story window,
   similar words) become one event quoting each of them;
3. **proposed effects** on each event, by the rule of `standoff.events.proposals` read against
   the case's values on the latest date of the case and the text (each effect cites the text's
   source and notes its arithmetic); an event dated before the case's baseline carries none (its
   effects belong in the baseline values), nor does one whose source is a group, not an actor.

What the case cannot take without numbers nobody has given is listed in the file's header, never
written into the case: actors it lacks (with `null` capability, positions and saliences to fill),
the events that involve them, and the events it already has (same day, sides and CAMEO root). So
the file validates as written (`standoff validate`), and the header says what to review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from standoff.draft.coding import Coded
from standoff.draft.draft import Analysis, _title, analyse, cite, describe, dump, event_date
from standoff.draft.gazetteer import Entity, slug
from standoff.errors import StandoffError
from standoff.events.matching import ActorMatcher, Party
from standoff.events.proposals import ProposalRule, latest, triage
from standoff.events.stories import Story, StoryRule, merge, report_of_event
from standoff.scenario import Scenario
from standoff.scenario.append import with_items
from standoff.scenario.io import parse_yaml
from standoff.scenario.schema import Event


@dataclass
class Additions:
    """What a text adds to a case: the case as a mapping with the additions, and the review notes."""

    case: dict[str, Any]                      # the case's mapping with the source and events added
    yaml: str                                 # the file to write: header, then the case
    source_id: str
    events: list[dict[str, Any]]              # the events added (also at the end of case["events"])
    matched: dict[str, str]                   # a name in the text -> the case id it was matched to
    new_actors: list[dict[str, Any]]          # actors the case lacks, numbers left null
    held: list[dict[str, Any]] = field(default_factory=list)       # events that need a new actor
    no_effects: list[tuple[int, str]] = field(default_factory=list)  # (index in events, why none)
    known: list[tuple[dict[str, Any], int]] = field(default_factory=list)  # (event, index in case)
    notes: dict[str, Any] = field(default_factory=dict)


def party_of(entity: Entity, matcher: ActorMatcher, case: Scenario) -> Party | None:
    """The case party an entity of the text is: the first of its names (in the order the text
    uses them), then its id, that the case's matcher knows; a person the case lacks whose state is
    a group of the case acts for that group; else None (an actor the case lacks)."""
    for name in (*entity.names, entity.name, entity.id):
        party = matcher.match(name)
        if party is not None:
            return party
    if entity.group is not None and entity.group in case.group_ids:
        return Party(None, entity.group)
    return None


def _who(party: Party) -> str:
    return party.actor or party.group or ""


def _unique(base: str, taken: set[str]) -> str:
    out, n = base, 1
    while out in taken:
        n += 1
        out = f"{base}-{n}"
    return out


def _event_item(e: Coded, a: Analysis, coder, actor: str, target: str | None, source: str) -> dict:
    item: dict[str, Any] = {"date": event_date(e, a.date), "actor": actor}
    if target is not None:
        item["target"] = target
    item.update({"cameo": e.code, "description": describe(e, coder, a.text), "source": source})
    return item


def add_to_case(text: str, case: Scenario, case_yaml: str, *, date: dt.date | None = None,
                coder: str | Any = "auto", name: str = "text", effects: bool = True,
                rule: ProposalRule | None = None, story_rule: StoryRule | None = None) -> Additions:
    """The case (`case`, read from `case_yaml`) with what the text adds (module docstring);
    `effects=False` adds the events without proposed effects."""
    raw = yaml.safe_load(case_yaml)
    if not isinstance(raw, dict):
        raise StandoffError("the case is not a YAML mapping", file=case.path or name,
                            fix="give a scenario file or a built-in case to --scenario")
    a = analyse(text, date=date, scenario=case, coder=coder, name=name)
    coder = a.coder
    matcher = ActorMatcher(case)
    parties = {eid: party_of(ent, matcher, case) for eid, ent in a.found.entities.items()}
    matched = {n: _who(p) + (" (its group: not an actor of the case)" if p.actor is None and
                             a.found.entities[eid].kind == "person" else "")
               for eid, p in parties.items() if p is not None for n in a.found.entities[eid].names}

    taken = {s.id for s in case.sources}
    source_id = _unique(slug(Path(name).stem)[:50].strip("-") or "draft", taken)
    source = {"id": source_id, "title": _title(a.sentences) or Path(name).name, "date": a.date,
              "note": f"Read by `standoff draft` from {Path(name).name}; each event added from it "
                      "quotes its sentence with character offsets into the file."}

    # actors the case lacks: those no name of the case matches, and people who only act for a group
    new_ids = {eid for eid, p in parties.items() if p is None or
               (p.actor is None and eid not in case.group_ids and a.found.entities[eid].kind != "state")}
    new_actors = [_new_actor(a.text, a.found.entities[eid], case) for eid in new_ids]
    new_actors.sort(key=lambda x: x["id"])
    existing = {(ev.date, ev.actor, ev.target, ev.cameo[:2]): k for k, ev in enumerate(case.events)}
    events, held, known, seen = [], [], [], set()
    for e in a.events:
        src = parties.get(e.source_entity)
        tgt = parties.get(e.target_entity) if e.target_entity is not None else None
        if src is None or (e.target_entity is not None and tgt is None):
            actor = _who(src) if src else e.source_entity
            target = (_who(tgt) if tgt else e.target_entity) if e.target_entity is not None else None
            held.append(_event_item(e, a, coder, actor, target, source_id))
            continue
        actor, target = _who(src), (_who(tgt) if tgt is not None else None)
        if target == actor:
            target = None  # a party acting on itself: an undirected action
        item = _event_item(e, a, coder, actor, target, source_id)
        key = (item["date"], actor, target, e.code[:2])
        if key in existing:
            known.append((item, existing[key]))
            continue
        if key in seen:  # the same event told twice in the text
            continue
        seen.add(key)
        events.append(item)
    events, no_effects = _stories_and_effects(events, case, source_id, effects, rule, story_rule)

    result = Additions({}, "", source_id, events, matched, new_actors, held=held, known=known,
                       no_effects=no_effects)
    result.notes = {"coder": coder.note,
                    "document_date": f"{a.date.isoformat()} (from {a.date_origin})",
                    "dates": [f"{d.label} ← {cite(text, d.start, d.end)}" for d in a.dates],
                    "unclassified_names": sorted({m.text for m in a.found.unclassified})}
    # the case with its additions validates, as promised: the proposal rule keeps every value, range
    # and all, on its scale whichever proposals are kept (standoff.events.proposals); checked here
    result.case = {**raw, "sources": [*raw.get("sources", []), source],
                   "events": [*raw.get("events", []), *events]}
    result.yaml = header(result, case, name) + with_items(case_yaml, raw, {"sources": [source],
                                                                             "events": events})
    parse_yaml(result.yaml, file=name)
    return result


def _stories_and_effects(items: list[dict], case: Scenario, source_id: str, effects: bool,
                        rule: ProposalRule | None, story_rule: StoryRule | None
                        ) -> tuple[list[dict], list[tuple[int, str]]]:
    """One event per story (its first sentence's item, quoting the others too), with the effects
    the proposal rule gives it; and, for each event without effects, why."""
    by_event: dict[int, dict] = {}
    reports = []
    for item in items:
        sentence = item["description"].rsplit("“", 1)[-1].rstrip("”")
        ev = Event(date=item["date"], actor=item["actor"], target=item.get("target"), cameo=item["cameo"],
                   description=sentence, source=source_id)
        by_event[id(ev)] = item
        reports.append(report_of_event(ev))
    stories: list[Story] = merge(reports, story_rule)
    out = []
    for story in stories:
        first, *more = (by_event[id(r.item)] for r in story.reports)
        item = dict(first)
        if more:
            item["description"] += "; the same story: " + "; ".join(
                m["description"].split(": ", 1)[-1] for m in more)
        out.append(item)
    why: list[tuple[int, str]] = []
    if not effects:
        return out, [(k, "effects not asked for (--no-effects)") for k in range(len(out))]
    on = latest(case, stories)
    now = case.as_of(on) if on is not None and (case.date is None or on >= case.date) else case
    proposals, skipped = triage(stories, now, rule)
    given = {id(p.stories[0]): p for p in proposals}
    left = {id(s.story): s.reason for s in skipped}
    for k, (story, item) in enumerate(zip(stories, out, strict=True)):
        proposal = given.get(id(story))
        if proposal is None:
            why.append((k, left.get(id(story), "no proposal")))
        elif case.date is not None and item["date"] < case.date:
            why.append((k, f"dated before the case's baseline {case.date}: fold it into the baseline"))
        else:
            item["effects"] = [e.model_copy(update={"source": source_id}).model_dump(
                mode="json", exclude_none=True) for e in proposal.effects]
    return out, why


def _new_actor(text: str, ent: Entity, case: Scenario) -> dict[str, Any]:
    first = ent.mentions[0]
    item: dict[str, Any] = {"id": f"{ent.id}-government" if ent.kind == "state" else ent.id,
                            "name": f"Government of {ent.name}" if ent.kind == "state" else ent.name}
    if ent.group is not None and ent.group in case.group_ids:
        item["group"] = ent.group
    item.update({"description": f"{ent.kind}; first {cite(text, first.start, first.end)}",
                 "aliases": [n for n in ent.names if n != item["name"]],
                 "capability": None,
                 "positions": {i: None for i in case.issue_ids},
                 "salience": {i: None for i in case.issue_ids}})
    return item


def _dump(items: Any) -> str:
    return dump(items)


def header(result: Additions, case: Scenario, name: str) -> str:
    """The review notes as a YAML comment: what was added, matched, left out, and why."""
    notes = result.notes
    lines = [f"# {case.id} with what {Path(name).name} adds (standoff draft --scenario): review before use.",
             "# Every value of the case is kept as it was; added: the source "
             f"`{result.source_id}` and {len(result.events)} events citing it.",
             f"# coder: {notes['coder']}",
             f"# document date: {notes['document_date']}",
             "# dates found: " + (", ".join(d.split(" ← ")[0] for d in notes["dates"]) or "none"),
             "# matched to the case: " + (", ".join(f"{k} → {v}" for k, v in result.matched.items())
                                          or "nothing"),
             "# unclassified names (not actors): " + (", ".join(notes["unclassified_names"]) or "none")]
    if result.known:
        lines.append("# already in the case (not added): " + ", ".join(
            f"{e['date']} {e['actor']}→{e.get('target') or '-'} {e['cameo']} = events[{k}]"
            for e, k in result.known))
    if result.new_actors:
        lines += ["# Actors the case lacks (not added: fill every null, then move them under `actors:`):"]
        lines += ["#   " + x for x in _dump(result.new_actors).rstrip("\n").split("\n")]
    rule_note = ", ".join(f"{k} {v:g}" for k, v in (ProposalRule().to_dict()).items())
    with_effects = sum(1 for e in result.events if e.get("effects"))
    lines.append(f"# proposed effects (standoff.events.proposals; rule {rule_note}): on {with_effects} "
                 f"of {len(result.events)} events; delete or edit any you do not accept. Left out:")
    for k, why in result.no_effects:
        e = result.events[k]
        lines.append(f"#   {e['date']} {e['actor']}→{e.get('target') or '-'} {e['cameo']}: {why}")
    if result.held:
        lines += ["# Events that need one of those actors (not added; move them under `events:` with it):"]
        lines += ["#   " + x for x in _dump(result.held).rstrip("\n").split("\n")]
    lines.append("# ---- the case as written; the additions close its `sources` and `events` lists")
    return "\n".join(lines) + "\n"
