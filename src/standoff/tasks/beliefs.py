"""Belief paths (`standoff events beliefs`) and rival explanations scored by the likelihood of
the observed events (`standoff explain`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from standoff import lazy
from standoff.events import pipeline
from standoff.events.beliefs import BeliefSpec, evidence, read_beliefs, update
from standoff.events.explain import Explanation
from standoff.models import make
from standoff.models.perception import expected_path
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")


def extra_events(scenario: Scenario, events_file: Path | None, source_format: str | None,
                 note=None) -> list | None:
    """The events of `events_file` matched to the scenario, as evidence; `note(line)` receives the
    first line of the reading report."""
    if events_file is None:
        return None
    extra, report = pipeline.scenario_events(events_file, source_format, scenario)
    if note is not None:
        note(report.lines()[0])
    return evidence(scenario, extra)


@dataclass
class BeliefPath:
    title: str
    observer: str
    target: str
    frame: pd.DataFrame
    ignored: int


@dataclass
class BeliefsResult(Result):
    kind: ClassVar[str] = "beliefs"
    scenario: Scenario
    model: str | None
    until: str | None
    events_file: Path | None
    beliefs_file: Path | None
    paths: list[BeliefPath]

    def to_dict(self) -> list[dict[str, Any]]:
        return [{"title": p.title, "observer": p.observer, "target": p.target, "ignored_events": p.ignored,
                 "steps": p.frame.to_dict(orient="records")} for p in self.paths]

    def to_frame(self) -> pd.DataFrame:
        return pd.concat([p.frame.assign(path=p.title) for p in self.paths], ignore_index=True)

    def recording(self) -> Recording:
        return Recording(self.scenario, model=self.model,
                         params={"until": self.until, "events": self.events_file,
                                 "beliefs": self.beliefs_file},
                         results={"beliefs": [{"title": p.title, "observer": p.observer, "target": p.target,
                                               "ignored_events": p.ignored, "steps": p.frame}
                                              for p in self.paths]})


def run(scenario: Scenario, beliefs: Path | list[BeliefSpec], *, events: list | None = None,
        until: str | None = None, model: str | None = None, events_file: Path | None = None,
        given_file: Path | None = None, progress: Progress | None = None) -> BeliefsResult:
    """Each observer's posterior over a target's types, event by event (`beliefs`: a belief file
    or its specs read); with `model` (a name), per step the outcome the observer expects.
    `events_file`/`given_file` are only recorded (the events file read into `events`, the belief
    file the user named)."""
    specs = read_beliefs(beliefs) if isinstance(beliefs, Path) else beliefs
    paths = []
    for spec in specs:
        path = update(spec, scenario, events, end=until)
        issues = [i for i in scenario.issue_ids if path.perceived(path.table.prior, i) is not None]
        title = spec.title or f"{spec.observer} about {spec.target}"
        frame = path.frame(issues)
        if model is not None:
            expected = expected_path(scenario, path, make(model))
            for issue in scenario.issue_ids if expected else ():
                frame[f"expected {issue} ({model})"] = [row[issue] for row in expected]
        paths.append(BeliefPath(title, spec.observer, spec.target, frame, path.ignored))
    return BeliefsResult(scenario, model, until, events_file, given_file,
                         paths)


@dataclass
class ExplainResult(Result):
    kind: ClassVar[str] = "explain"
    scenario: Scenario
    until: str | None
    events_file: Path | None
    hypotheses_file: Path | None
    explanations: list[Explanation]

    def to_dict(self) -> list[dict[str, Any]]:
        return [{"title": r.spec.title, "steps": r.frame().to_dict(orient="records"),
                 "sentences": r.sentences()} for r in self.explanations]

    def to_frame(self) -> pd.DataFrame:
        return pd.concat([r.frame().assign(title=r.spec.title) for r in self.explanations], ignore_index=True)

    def recording(self) -> Recording:
        return Recording(self.scenario, model=None, params={"until": self.until, "events": self.events_file,
                                                            "hypotheses": self.hypotheses_file},
                         results={"explanations": [{"title": r.spec.title, "steps": r.frame(),
                                                    "sentences": r.sentences()} for r in self.explanations]})


def explain(scenario: Scenario, hypotheses: Path | list[BeliefSpec], *, events: list | None = None,
            until: str | None = None, events_file: Path | None = None, given_file: Path | None = None,
            progress: Progress | None = None) -> ExplainResult:
    """Each rival explanation (`hypotheses`: a hypothesis file or its specs read) scored by the
    likelihood of the observed events."""
    specs = read_beliefs(hypotheses) if isinstance(hypotheses, Path) else hypotheses
    results = [Explanation(update(spec, scenario, events, end=until)) for spec in specs]
    return ExplainResult(scenario, until, events_file, given_file, results)
