"""Bayesian expectations: what an observer believes about a target's type, event by event.

An observer (a group or actor) holds a prior over the target's types, e.g. North Korea "would
trade its arsenal for the right price" vs "keeps it whatever happens". Events are sorted into
categories. Two kinds of evidence update the belief by Bayes' rule:

- a *marked* category has a likelihood per type, L[t, c] = P(an event of the target falls in
  category c | type t); an event of that category multiplies the weight of type t by L[t, c];
- a *rate* category has a Poisson rate per type, λ[t, c] (events per 30 days). Over a stretch of
  Δ days the process contributes exp(−λ[t, c]·Δ/30) (the chance of silence), and each event of
  the category the density λ[t, c]. So silence is evidence too: months with no missile test
  favour the type whose rate is low.

The posterior after each step is p_t ∝ prior_t · Π L · Π λ · exp(−Σ λΔ/30). It moves the
observer's *perceived* position of the target: the posterior mean of the per-type positions
(:func:`perceived_positions`), handed to models as plain arrays (Batch.perceived[B, N, N, K],
built in :mod:`standoff.models.perception`).
The equations and the default table are in docs/events.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from standoff.errors import StandoffError, did_you_mean
from standoff.events.stories import Report, StoryRule, merge, report_of_event
from standoff.scenario import Scenario
from standoff.scenario.schema import Event

#: Rates are given per this many days.
RATE_DAYS = 30.0


class BeliefError(StandoffError):
    """A belief or hypothesis file that cannot be used with the scenario."""


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Category(_Spec):
    """A kind of evidence: which events belong to it, and how likely it is under each type.

    Selectors (all optional, all must hold): `cameo` code prefixes, `actor` (a group or actor id;
    default: the target), `dates` (specific days), `text` (a phrase of the description).
    Evidence: `likelihood` {type: P(event in this category | type)} or `rate` {type: events per
    30 days}; with `by_role`, the values are keyed by role and each type takes its role's value.
    """

    id: str
    name: str | None = None
    cameo: tuple[str, ...] = ()
    actor: str | None = None
    dates: tuple[dt.date, ...] = ()
    text: str | None = None
    likelihood: dict[str, float] | None = None
    rate: dict[str, float] | None = None
    by_role: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Category:
        if (self.likelihood is None) == (self.rate is None):
            raise ValueError(f"category {self.id!r} needs exactly one of `likelihood` or `rate`")
        values = self.likelihood if self.likelihood is not None else self.rate
        for key, v in values.items():
            if not (v > 0 and math.isfinite(v)):
                raise ValueError(f"category {self.id!r}: value for {key!r} must be positive, got {v}")
            if self.likelihood is not None and v > 1:
                raise ValueError(f"category {self.id!r}: likelihood for {key!r} is above 1")
        return self

    @property
    def kind(self) -> str:
        return "rate" if self.rate is not None else "likelihood"

    def values(self) -> dict[str, float]:
        return self.rate if self.rate is not None else self.likelihood  # type: ignore[return-value]


class TargetType(_Spec):
    """One type the target may be (or one rival hypothesis), with its prior and, for types,
    the target's position (and salience, 0..100) on each issue were it of this type."""

    id: str
    name: str | None = None
    prior: float = Field(gt=0)
    role: str | None = None
    positions: dict[str, float] = Field(default_factory=dict)
    salience: dict[str, float] = Field(default_factory=dict)


class BeliefSpec(_Spec):
    """Who believes what about whom: observer, target, types, categories of evidence."""

    observer: str | None = None
    target: str
    title: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    types: tuple[TargetType, ...] = Field(min_length=2)
    categories: tuple[Category, ...] = ()
    defaults: bool = True
    checkpoints: bool = True

    @model_validator(mode="before")
    @classmethod
    def _hypotheses(cls, data: Any) -> Any:
        if isinstance(data, dict) and "hypotheses" in data:
            data = dict(data)
            if "types" in data:
                raise ValueError("give `types` or `hypotheses`, not both")
            data["types"] = data.pop("hypotheses")
            data.setdefault("defaults", False)  # rival readings name their own evidence
        return data

    @property
    def type_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.types)


@cache
def default_categories() -> tuple[Category, ...]:
    """The documented default table (data/beliefs/defaults.yaml), keyed by role."""
    text = (files("standoff.data") / "beliefs" / "defaults.yaml").read_text(encoding="utf-8")
    return tuple(Category(**c, by_role=True) for c in yaml.safe_load(text)["categories"])


def read_beliefs(path: str | Path) -> list[BeliefSpec]:
    """Belief specs from a YAML file: one mapping, or `beliefs:` holding a list of them."""
    path = Path(path)
    if not path.is_file():
        raise BeliefError(f"no such file: {path}", file=str(path), fix="check the path")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BeliefError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(path),
                          line=None if mark is None else mark.line + 1,
                          fix="check indentation and quoting") from None
    items = raw.get("beliefs", [raw]) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise BeliefError("expected a mapping (or `beliefs:` with a list)", file=str(path))
    specs = []
    for k, item in enumerate(items):
        try:
            specs.append(BeliefSpec(**item))
        except (ValidationError, TypeError) as exc:
            msg = exc.errors()[0] if isinstance(exc, ValidationError) else {"msg": str(exc), "loc": ()}
            where = ".".join(str(p) for p in (("beliefs", k) if "beliefs" in raw else ()) + msg["loc"])
            raise BeliefError(msg["msg"], file=str(path), where=where,
                              fix="see `standoff docs events` for the belief file format") from None
    return specs


# --- resolving a spec against a scenario --------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """A spec resolved for a scenario: categories in matching order, with a value per type."""

    spec: BeliefSpec
    categories: tuple[Category, ...]
    values: np.ndarray  # [C, T]: likelihood or rate per category and type
    is_rate: np.ndarray  # [C] bool
    target_parties: frozenset[str]

    @property
    def prior(self) -> np.ndarray:
        p = np.array([t.prior for t in self.spec.types], dtype=float)
        return p / p.sum()


def _parties(scenario: Scenario, who: str) -> frozenset[str]:
    """An id and, for a group, its members' ids (events may name either)."""
    if who in scenario.group_ids:
        return frozenset({who, *(a.id for a in scenario.members(who))})
    if who in scenario.actor_ids:
        return frozenset({who})
    raise BeliefError(f"unknown actor or group {who!r}", where="observer/target",
                      fix=f"{did_you_mean(who, scenario.group_ids + scenario.actor_ids)}use an id of the "
                          f"scenario: {', '.join(scenario.group_ids + scenario.actor_ids)}")


def resolve(spec: BeliefSpec, scenario: Scenario) -> Table:
    """The categories of a spec (its own first, then the defaults it does not override) with a
    value for each type; checks ids against the scenario."""
    if spec.observer is not None:
        _parties(scenario, spec.observer)
    target = _parties(scenario, spec.target)
    for t in spec.types:
        for issue in (*t.positions, *t.salience):
            if issue not in scenario.issue_ids:
                raise BeliefError(f"type {t.id!r} names unknown issue {issue!r}", where=f"types.{t.id}",
                                  fix=f"{did_you_mean(issue, scenario.issue_ids)}use one of "
                                      f"{', '.join(scenario.issue_ids)}")
    own = {c.id for c in spec.categories}
    cats = [*spec.categories, *(c for c in default_categories() if spec.defaults and c.id not in own)]
    rows, kinds = [], []
    for c in cats:
        if c.actor is not None:
            _parties(scenario, c.actor)
        vals = c.values()
        row = []
        for t in spec.types:
            key = t.role if c.by_role else t.id
            if key not in vals:
                need = f"a `role` among {', '.join(vals)}" if c.by_role else f"a value for {t.id!r}"
                raise BeliefError(f"category {c.id!r} has no value for type {t.id!r}",
                                  where=f"categories.{c.id}", fix=f"give type {t.id!r} {need}")
            row.append(vals[key])
        rows.append(row)
        kinds.append(c.rate is not None)
    values = np.array(rows, dtype=float).reshape(len(cats), len(spec.types))
    return Table(spec, tuple(cats), values, np.array(kinds, dtype=bool), target)


def categorise(event: Event, table: Table, scenario: Scenario) -> int | None:
    """Index of the first category the event belongs to, or None (not evidence)."""
    for k, c in enumerate(table.categories):
        parties = table.target_parties if c.actor is None else _parties(scenario, c.actor)
        if event.actor not in parties:
            continue
        if c.cameo and not any(event.cameo.startswith(p) for p in c.cameo):
            continue
        if c.dates and event.date not in c.dates:
            continue
        if c.text and c.text.casefold() not in event.description.casefold():
            continue
        return k
    return None


# --- updating -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One update: the evidence of a day (an event, or silence up to a checkpoint)."""

    date: dt.date
    label: str
    category: str | None
    log_likelihood: np.ndarray  # [T], this step's evidence (silence since the last step included)
    posterior: np.ndarray  # [T], after this step

    def odds(self, a: int, b: int) -> float:
        """Bayes factor of this step, type a against type b."""
        return float(np.exp(self.log_likelihood[a] - self.log_likelihood[b]))


@dataclass(frozen=True)
class BeliefPath:
    """The posterior over the target's types, step by step, from the prior."""

    table: Table
    start: dt.date
    steps: tuple[Step, ...]
    ignored: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def spec(self) -> BeliefSpec:
        return self.table.spec

    @property
    def posterior(self) -> np.ndarray:
        return self.steps[-1].posterior if self.steps else self.table.prior

    def perceived(self, posterior: np.ndarray, issue: str, what: str = "positions") -> float | None:
        """The posterior mean of the types' values on an issue (None if no type gives one)."""
        vals = [getattr(t, what).get(issue) for t in self.spec.types]
        if any(v is None for v in vals):
            return None
        return float(np.dot(posterior, vals))

    def frame(self, issues: Sequence[str] = ()):
        """A row per step: date, evidence, category, P(type) per type, perceived positions."""
        import pandas as pd

        rows = [{"date": self.start, "evidence": "prior", "category": "",
                 **{f"P({t})": p for t, p in zip(self.spec.type_ids, self.table.prior, strict=True)},
                 **{f"perceived {i}": self.perceived(self.table.prior, i) for i in issues}}]
        for s in self.steps:
            rows.append({"date": s.date, "evidence": s.label, "category": s.category or "",
                         **{f"P({t})": p for t, p in zip(self.spec.type_ids, s.posterior, strict=True)},
                         **{f"perceived {i}": self.perceived(s.posterior, i) for i in issues}})
        return pd.DataFrame(rows)


def evidence(scenario: Scenario, extra: Iterable[Event] = ()) -> list[Event]:
    """The scenario's events and any imported ones, by date; same-day events keep their order
    (the scenario's own first, in file order, then imported ones in theirs)."""
    return sorted([*scenario.events, *extra], key=lambda e: e.date)


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    out, d = [], dt.date(start.year, start.month, 1)
    while True:
        d = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
        if d > end:
            return out
        out.append(d)


def update(spec: BeliefSpec, scenario: Scenario, events: Iterable[Event] | None = None,
           end: dt.date | str | None = None, stories: StoryRule | None = None) -> BeliefPath:
    """The belief path of `spec` over the scenario's events (or `events`) up to `end`.

    Steps are the categorised stories in date order (the events of one category merged into stories
    by `stories`, default :class:`StoryRule`: a story repeated by many reports counts once), plus
    (with `checkpoints`) the first of each month and the end date, where only silence is evidence.
    Uncategorised events are skipped and counted in `ignored`.
    """
    table = resolve(spec, scenario)
    events = evidence(scenario) if events is None else list(events)
    end = dt.date.fromisoformat(end) if isinstance(end, str) else end
    end = end or spec.end or scenario.as_of_date or max((e.date for e in events), default=None)
    start = spec.start or scenario.baseline
    if end is None or end < start:
        raise BeliefError(f"nothing to update on: end {end} is before the start {start}",
                          where="end", fix="give an end date after the start")
    items: list[tuple[dt.date, int, Any]] = []
    ignored = 0
    by_category: dict[int, list[Report]] = {}
    for n, e in enumerate(events):
        if not start <= e.date <= end:
            continue
        k = categorise(e, table, scenario)
        if k is None:
            ignored += 1
            continue
        by_category.setdefault(k, []).append(replace(report_of_event(e), item=(n, e)))
    # Reports of one story (docs/events.md, "Stories") are one piece of evidence: one step, at the
    # story's first report, however many publishers repeat it.
    merged = 0
    for k, reports in by_category.items():
        for story in merge(reports, stories):
            n, e = story.first.item
            items.append((e.date, n, (e, k, len(story.reports))))
            merged += len(story.reports) - 1
    marks = _month_starts(start, end) if spec.checkpoints and table.is_rate.any() else []
    if table.is_rate.any() and (not marks or marks[-1] != end):
        marks.append(end)
    # A checkpoint sorts after the events of its day (n = len(events)).
    items += [(d, len(events), None) for d in marks]
    items.sort(key=lambda x: (x[0], x[1]))

    logw = np.log(table.prior)
    rates = table.values[table.is_rate]  # [R, T]
    last = start
    steps = []
    for date, _, item in items:
        days = (date - last).days
        ll = -rates.sum(axis=0) * days / RATE_DAYS
        if item is None:
            if days == 0 and steps:
                continue
            names = ", ".join(table.categories[i].name or table.categories[i].id
                              for i in np.flatnonzero(table.is_rate))
            label = f"silence since {last}" + (f" (no {names})" if names else "")
            category = None
        else:
            event, k, reports = item
            ll = ll + np.log(table.values[k])
            label = event.description + (f" (one story, {reports} reports)" if reports > 1 else "")
            category = table.categories[k].id
        logw = logw + ll
        post = np.exp(logw - logw.max())
        steps.append(Step(date, label, category, ll, post / post.sum()))
        last = date
    notes = [f"{merged} repeated report(s) merged into their stories"] if merged else []
    return BeliefPath(table, start, tuple(steps), ignored, notes)


# --- perceived positions for models -------------------------------------------------------------
def perceived_positions(scenario: Scenario, paths: Iterable[BeliefPath],
                        what: str = "positions") -> np.ndarray:
    """perceived[i, j, k]: what actor i believes actor j's position (or salience, 0..1) on issue k is.

    Starts from the true values; for each belief path, every member i of the observer sees every
    member j of the target at the posterior mean of the types' values on the issues they give.
    """
    ids, issues = scenario.actor_ids, scenario.issue_ids
    scale = 1.0 if what == "positions" else 100.0
    true = np.array([[getattr(a, what)[k].mode / scale for k in issues] for a in scenario.actors])
    out = np.broadcast_to(true, (len(ids), *true.shape)).copy()
    for path in paths:
        if path.spec.observer is None:
            continue
        observers = [ids.index(a) for a in _parties(scenario, path.spec.observer) if a in ids]
        targets = [ids.index(a) for a in _parties(scenario, path.spec.target) if a in ids]
        for k, issue in enumerate(issues):
            v = path.perceived(path.posterior, issue, what)
            if v is not None:
                for i in observers:
                    out[i, targets, k] = v / scale
    return out
