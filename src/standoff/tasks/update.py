"""Keeping a case current (`standoff events update`): new events -> stories -> proposed effects, each
with the forecast before and after; the analyst's decisions -> the case with the accepted events.

    found = tasks.update.proposals(case, Path("news.tab"), model=make("compromise"))
    result = tasks.update.decide(found, {"p1": "accept", "p2": "reject"})
    text = tasks.update.case_text(result, Path("case.yaml").read_text())   # every line of the file kept
    Path("case.yaml").write_text(text)              # what the CLI does when something was accepted

Two steps so that a front end can ask the analyst in between. Nothing is applied that was not
accepted: `decide` with no decision rejects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from standoff import lazy
from standoff.errors import StandoffError
from standoff.events import pipeline
from standoff.events.proposals import Proposal, ProposalRule, Skipped, apply, latest, triage
from standoff.events.record import ReadReport
from standoff.events.stories import Story, StoryRule, matched_stories
from standoff.models import Forecast, Model
from standoff.scenario import Scenario
from standoff.scenario.append import append_items
from standoff.scenario.schema import Effect
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")

DECISIONS = ("accept", "reject")


class UpdateError(StandoffError):
    """A decision that names no proposal, or an edit the case cannot take."""


def _values(forecast: Forecast) -> dict[str, float]:
    return {f.issue: f.value for f in forecast.issues}


@dataclass(frozen=True)
class Assessed:
    """A proposal with the forecast of the case before it and with it alone accepted."""

    proposal: Proposal
    before: dict[str, float]
    after: dict[str, float]

    @property
    def change(self) -> dict[str, float]:
        return {k: self.after[k] - self.before[k] for k in self.before}

    def to_dict(self) -> dict[str, Any]:
        return {**self.proposal.to_dict(), "forecast_before": self.before, "forecast_after": self.after,
                "forecast_change": self.change}


@dataclass
class ProposalsResult(Result):
    """The stories of an event file and the proposals they give, before any decision."""

    kind: ClassVar[str] = "events-proposals"
    scenario: Scenario  # the case as written
    file: Path
    report: ReadReport
    stories: list[Story]
    assessed: list[Assessed]
    skipped: list[Skipped]
    model: Model
    date: dt.date | None  # the day the rule and the forecasts read the case on
    forecast: Forecast  # of the case on `date`, before any proposal
    story_rule: StoryRule = field(default_factory=StoryRule)
    rule: ProposalRule = field(default_factory=ProposalRule)

    @property
    def proposals(self) -> list[Proposal]:
        return [a.proposal for a in self.assessed]

    def counts(self) -> dict[str, int]:
        return {"rows": self.report.rows, "reports": self.report.kept, "stories": len(self.stories),
                "proposals": len(self.assessed), "no_proposal": len(self.skipped)}

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.scenario.id, "file": str(self.file), "model": self.model.name,
                "date": self.date.isoformat() if self.date else None, **self.counts(),
                "story_rule": {"window_days": self.story_rule.window_days, "match": self.story_rule.match,
                               "similarity": self.story_rule.similarity, "measure": self.story_rule.measure},
                "rule": self.rule.to_dict(), "forecast": _values(self.forecast),
                "proposals": [a.to_dict() for a in self.assessed],
                "no_proposal": [s.to_dict() for s in self.skipped], "read": self.report.to_dict()}

    def to_frame(self) -> pd.DataFrame:
        return proposal_frame(self.assessed)

    def on_date(self) -> Scenario:
        """The case on the day the proposals were computed for."""
        return self.scenario.as_of(self.date) if self.date else self.scenario


def proposal_frame(assessed: Sequence[Assessed], decisions: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per proposal and effect: id, date, dyad, CAMEO, reports, the change, and per proposal
    the largest forecast change (issue and amount)."""
    rows = []
    for a in assessed:
        p = a.proposal
        issue, move = max(a.change.items(), key=lambda kv: (abs(kv[1]), kv[0]), default=("", 0.0))
        for n, e in enumerate(p.effects):
            rows.append({"id": p.id if n == 0 else "", "date": p.event.date.isoformat() if n == 0 else "",
                         "dyad": f"{p.event.actor} → {p.event.target}" if n == 0 else "",
                         "cameo": p.event.cameo if n == 0 else "",
                         "reports": str(sum(len(s.reports) for s in p.stories)) if n == 0 else "",
                         "effect": f"{e.actor} {e.field}{' ' + e.issue if e.issue else ''} {e.by:+g}",
                         "forecast moves": f"{issue} {move:+.2f}" if n == 0 else "",
                         **({"decision": decisions.get(p.id, "reject") if n == 0 else ""}
                            if decisions is not None else {})})
    return pd.DataFrame(rows)


def read_stories(scenario: Scenario, file: Path, source_format: str | None = None,
                 story_rule: StoryRule | None = None, *, progress: Progress | None = None,
                 ) -> tuple[list[Story], ReadReport]:
    """The file's events matched to the case's actors, merged into stories."""
    matched, report = pipeline.matched_list(file, source_format, scenario, progress=progress)
    return matched_stories(matched, story_rule, file=Path(file).name), report


def proposals(scenario: Scenario, file: Path, *, model: Model, source_format: str | None = None,
              story_rule: StoryRule | None = None, rule: ProposalRule | None = None,
              progress: Progress | None = None) -> ProposalsResult:
    """Read an event file, merge its reports into stories, and propose effects; each proposal with
    the model's forecast of the case (on the day of the latest news) before and with it alone."""
    story_rule, rule = story_rule or StoryRule(), rule or ProposalRule()
    found, report = read_stories(scenario, file, source_format, story_rule, progress=progress)
    date = latest(scenario, found)
    base = scenario.as_of(date) if date else scenario
    made, skipped = triage(found, base, rule)
    before = model.forecast(base)
    assessed = [Assessed(p, _values(before), _values(model.forecast(_replayed(scenario, [p], date))))
                for p in made]
    return ProposalsResult(scenario, Path(file), report, found, assessed, skipped, model, date, before,
                           story_rule, rule)


def _replayed(case: Scenario, accepted: Sequence[Proposal], date: dt.date | None) -> Scenario:
    """The case with the proposals' events added, replayed to `date`: what the file written will say."""
    updated = apply(case, accepted)
    return updated.as_of(date) if date else updated


def assess(found: ProposalsResult, proposal: Proposal) -> Assessed:
    """A proposal (e.g. one the analyst edited) with the forecast before and with it alone. Its effects
    are checked through `Scenario.with_changes` (a value pushed off its scale is a located error)."""
    found.on_date().with_changes(proposal.effects, on_scale=True, where=f"{proposal.id}.effects")
    return Assessed(proposal, _values(found.forecast),
                    _values(found.model.forecast(_replayed(found.scenario, [proposal], found.date))))


@dataclass
class UpdateResult(Result):
    """The analyst's decisions and what they make of the case and its forecast."""

    kind: ClassVar[str] = "events-update"
    found: ProposalsResult
    decisions: dict[str, str]  # proposal id -> accept | edit | reject
    accepted: list[Assessed]
    updated: Scenario  # the case as written, with the accepted events
    before: Forecast
    after: Forecast
    written: Path | None = None

    @property
    def scenario(self) -> Scenario:
        return self.updated

    def change(self) -> dict[str, float]:
        b, a = _values(self.before), _values(self.after)
        return {k: a[k] - b[k] for k in b}

    def to_dict(self) -> dict[str, Any]:
        return {**self.found.to_dict(), "decisions": self.decisions,
                "accepted": [a.proposal.id for a in self.accepted],
                "accepted_proposals": [a.to_dict() for a in self.accepted],
                "forecast_before": _values(self.before), "forecast_after": _values(self.after),
                "forecast_change": self.change(), "written": str(self.written) if self.written else None}

    def to_frame(self) -> pd.DataFrame:
        return proposal_frame(self.found.assessed, self.decisions)

    def recording(self) -> Recording:
        """The forecast before and after the update, the decisions and the evidence cited: the forecast
        history `standoff timeline --history` reads."""
        f = self.found
        on = self.updated.as_of(f.date) if f.date else self.updated
        return Recording(on, model=f.model.name,
                         params={f.model.name: f.model.get_params(), "events": str(f.file),
                                 "story_rule": self.to_dict()["story_rule"], "rule": f.rule.to_dict()},
                         results={"before": self.before.to_dict(), "after": self.after.to_dict(),
                                  "update": {"accepted": [a.proposal.id for a in self.accepted],
                                             "decisions": self.decisions, **f.counts(),
                                             "events": [a.proposal.event.model_dump(mode="json")
                                                        for a in self.accepted]}})


def decide(found: ProposalsResult, decisions: Mapping[str, str],
           edits: Mapping[str, Sequence[Effect]] | None = None) -> UpdateResult:
    """The case with the accepted proposals (edited ones with the analyst's effects); a proposal with
    no decision is rejected. Returns the forecast before and after all of them together."""
    ids = {a.proposal.id for a in found.assessed}
    edits = dict(edits or {})
    for pid, what in decisions.items():
        if pid not in ids:
            raise UpdateError(f"no proposal {pid!r}", where="decisions",
                              fix=f"use one of: {', '.join(sorted(ids)) or '(none)'}")
        if what not in DECISIONS:
            raise UpdateError(f"unknown decision {what!r} for {pid}", where="decisions",
                              fix="use accept or reject")
    for pid in edits:
        if pid not in ids:
            raise UpdateError(f"no proposal {pid!r} to edit", where="edits",
                              fix=f"use one of: {', '.join(sorted(ids)) or '(none)'}")
    accepted, final = [], {}
    for a in found.assessed:
        pid = a.proposal.id
        what = decisions.get(pid, "reject")
        if what == "accept" and pid in edits:
            edited = a.proposal.with_effects(edits[pid])
            a = assess(found, edited) if edited.effects else None
            what = "edit" if a is not None else "reject"
        final[pid] = what
        if a is not None and what != "reject":
            accepted.append(a)
    updated = apply(found.scenario, [a.proposal for a in accepted])
    after = found.model.forecast(_replayed(found.scenario, [a.proposal for a in accepted], found.date)) \
        if accepted else found.forecast
    return UpdateResult(found, final, accepted, updated, found.forecast, after)


def decide_all(found: ProposalsResult, accept: str) -> UpdateResult:
    """`--accept all` or `--accept none`."""
    what = {"all": "accept", "none": "reject"}[accept]
    return decide(found, {a.proposal.id: what for a in found.assessed})


def case_text(result: UpdateResult, case_yaml: str, *, file: str = "(case)") -> str:
    """The case file's text (`case_yaml`, the file `result.found.scenario` was read from) with the
    accepted proposals' source entries appended to its `sources` and their events put into its
    `events` as text, each after the last of the case's events on or before its date, so every line
    of the file stays, comments included (standoff.scenario.append; a layout that cannot take them
    as text is written out again whole, leading comments kept). For a case whose events are in date
    order it reads back as `result.updated` (:func:`standoff.events.proposals.apply`'s order)."""
    def plain(item: Any) -> dict[str, Any]:
        return item.model_dump(mode="json", exclude_none=True, exclude_defaults=True)

    accepted = [a.proposal for a in result.accepted]
    if not accepted:
        return case_yaml
    own = result.found.scenario.events
    at = [max((k + 1 for k, e in enumerate(own) if e.date <= p.event.date), default=0) for p in accepted]
    return append_items(case_yaml, {"sources": [plain(p.source_entry) for p in accepted],
                                     "events": [plain(p.event) for p in accepted]},
                        file=file, at={"events": at})
