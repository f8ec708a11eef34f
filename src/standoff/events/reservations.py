"""Beliefs about reservation points, moved by events under the one likelihood rule.

The target actor j's reservation points (the least it would accept rather than no deal) are known
only within their coded ranges. A type θ ∈ (0, 1) reads every issue's range at its θ-quantile,
counted from the end nearest j's position: θ → 0 is the toughest reading, θ → 1 the most
conciliatory. The belief is a weight on a grid of types; the prior, uniform in θ, is the coded
distribution itself. Events are evidence under the likelihood rule of docs/events.md:

- only events of j's side that declare no effects (an event feeds declared effects or beliefs,
  never both);
- verbal events (CAMEO roots 01–05, 09–14) are cheap talk, likelihood 1; costly conciliatory acts
  (06–08) have likelihood 1 + (ρ − 1)·θ, costly hostile acts (15–20) 1 + (ρ − 1)·(1 − θ), ρ ≤ 4;
- reports of one story count once: the events are merged into stories by the rule of
  :mod:`standoff.events.stories` (same ordered dyad and CAMEO root, within the story window of
  the first report, similar text; :class:`~standoff.events.stories.StoryRule`), and a story's
  log-likelihood is the mean of its reports' (all of one class when they share the root);
- the m-th story of a run of same-class stories of a dyad, each within 30 days of the last,
  counts with weight δ^m.

Pure functions on scenario data; the arrays go to the expectations model through its Batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

from standoff.errors import StandoffError, did_you_mean
from standoff.events.stories import StoryRule, event_stories
from standoff.scenario import Scenario
from standoff.scenario.schema import Event, Value

#: Number of types on the grid (θ_g = (g + ½)/G).
GRID = 41
#: The largest likelihood ratio one story may carry.
MAX_RATIO = 4.0
#: Stories of one class and dyad closer than this many days form a run (serially correlated).
RUN_DAYS = 30

VERBAL = "verbal"
CONCILIATORY = "conciliatory"
HOSTILE = "hostile"


class ReservationBeliefError(StandoffError):
    """A request for a belief the scenario cannot give (unknown actor, bad rule parameter)."""


def type_grid(size: int = GRID) -> np.ndarray:
    """θ_g = (g + ½)/G, g = 0..G−1: the midpoints of G equal slices of (0, 1)."""
    return (np.arange(size) + 0.5) / size


def value_quantile(value: Value, q: np.ndarray) -> np.ndarray:
    """The q-quantiles of a coded value: a point, a triangular (low, mode, high), or a normal."""
    q = np.asarray(q, dtype=float)
    if value.sd is not None and value.sd > 0:
        inv = np.vectorize(NormalDist(value.mode, value.sd).inv_cdf)
        return inv(q)
    if value.low is None or value.high is None or value.high == value.low:
        return np.full(q.shape, value.mode)
    a, c, b = value.low, value.mode, value.high
    split = (c - a) / (b - a)
    left = a + np.sqrt(q * (b - a) * (c - a))
    right = b - np.sqrt((1 - q) * (b - a) * (b - c))
    return np.where(q < split, left, right)


def reservation_grid(scenario: Scenario, actor_id: str, theta: np.ndarray) -> np.ndarray:
    """r[K, G]: actor's reservation point on each issue under each type θ_g (toughest first).

    On each issue the θ-quantile of the coded value (declared or default) is counted from the end
    of its range nearest the actor's position, so a larger θ is a more conciliatory reading."""
    actor = scenario.actor(actor_id)
    rows = []
    for issue in scenario.issue_ids:
        value = scenario.reservation(actor_id, issue)
        p = actor.positions[issue].mode
        lo = value.low if value.low is not None else value.mode
        hi = value.high if value.high is not None else value.mode
        upward = abs(lo - p) <= abs(hi - p)  # the tough end is `low`
        rows.append(value_quantile(value, theta if upward else 1.0 - theta))
    return np.array(rows, dtype=float).reshape(len(scenario.issue_ids), len(theta))


def cameo_class(cameo: str) -> str:
    """The class of a CAMEO code under the likelihood rule: verbal, conciliatory or hostile."""
    root = int(cameo[:2])
    if 6 <= root <= 8:
        return CONCILIATORY
    if root >= 15:
        return HOSTILE
    return VERBAL


def likelihood(kind: str, theta: np.ndarray, ratio: float) -> np.ndarray:
    """L(θ) of one event of a class: 1 (verbal), 1 + (ρ−1)θ (conciliatory), 1 + (ρ−1)(1−θ)."""
    if kind == CONCILIATORY:
        return 1.0 + (ratio - 1.0) * theta
    if kind == HOSTILE:
        return 1.0 + (ratio - 1.0) * (1.0 - theta)
    return np.ones_like(theta)


@dataclass(frozen=True)
class Story:
    """One piece of evidence: the events that report one story (events/stories.py's rule), and the
    weight it counts with; `descriptions` has one entry per report."""

    date: dt.date
    side: str
    counterpart: str | None
    kind: str
    descriptions: tuple[str, ...]
    weight: float
    log_likelihood: np.ndarray  # [G], weighted
    posterior: np.ndarray  # [G], after this story


@dataclass(frozen=True)
class ReservationBelief:
    """The belief about one actor's reservation points, story by story, from the prior."""

    actor: str
    issues: tuple[str, ...]
    theta: np.ndarray  # [G]
    reservation: np.ndarray  # [K, G]
    prior: np.ndarray  # [G]
    stories: tuple[Story, ...]
    routed_to_effects: tuple[Event, ...] = ()
    cheap_talk: tuple[Event, ...] = ()
    sensitivity: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def posterior(self) -> np.ndarray:
        return self.stories[-1].posterior if self.stories else self.prior

    def mean(self, weights: np.ndarray | None = None) -> dict[str, float]:
        """The mean reservation point per issue under `weights` (default: the posterior)."""
        w = self.posterior if weights is None else weights
        return dict(zip(self.issues, map(float, self.reservation @ w), strict=True))


def side_of(scenario: Scenario, who: str | None) -> str | None:
    """The group an actor belongs to (or the group itself); an ungrouped actor is its own side."""
    if who is None:
        return None
    if who in scenario.group_ids:
        return who
    if who in scenario.actor_ids:
        return scenario.actor(who).group or who
    return who


def stories(scenario: Scenario, actor_id: str, *, theta: np.ndarray, ratio: float, discount: float,
            prior: np.ndarray, rule: StoryRule | None = None) -> tuple[list[Story], list[Event], list[Event]]:
    """The stories about `actor_id`'s side between the baseline and the scenario's date, the events
    left to their declared effects, and the cheap talk (evidence with likelihood ratio 1). The
    evidence is merged into stories by `rule` (default :class:`StoryRule`): a story told by ten
    reports moves the belief exactly as one report of it does."""
    side = side_of(scenario, actor_id)
    end = scenario.date
    routed, talk, evidence = [], [], []
    for e in scenario.events:
        if not (scenario.baseline < e.date <= end) or side_of(scenario, e.actor) != side:
            continue
        if e.effects:
            routed.append(e)
            continue
        if cameo_class(e.cameo) == VERBAL:
            talk.append(e)
        evidence.append(e)
    merged = [(story.date, side_of(scenario, story.target), [r.item for r in story.reports])
              for story in event_stories(evidence, rule)]
    out: list[Story] = []
    last: dict[str | None, tuple[dt.date, str, int]] = {}  # per counterpart: date, class, run index
    logw = np.log(prior)
    for date, counterpart, events in sorted(merged, key=lambda x: (x[0], str(x[1]))):
        kinds = [cameo_class(e.cameo) for e in events]
        ll = np.mean([np.log(likelihood(k, theta, ratio)) for k in kinds], axis=0)
        kind = kinds[0] if len(set(kinds)) == 1 else "mixed"
        prev = last.get(counterpart)
        m = prev[2] + 1 if prev and prev[1] == kind and (date - prev[0]).days <= RUN_DAYS else 0
        last[counterpart] = (date, kind, m)
        weight = 1.0 if kind == VERBAL else discount ** m
        logw = logw + weight * ll
        post = np.exp(logw - logw.max())
        out.append(Story(date, side, counterpart, kind, tuple(e.description for e in events),
                         weight, weight * ll, post / post.sum()))
    return out, routed, talk


def prior_weights(theta: np.ndarray, prior: str = "coded") -> np.ndarray:
    """Prior weights on the type grid: `coded` (uniform in θ: the coded distribution),
    `tough` (density 2(1 − θ)) or `conciliatory` (density 2θ)."""
    dens = {"coded": np.ones_like(theta), "tough": 2 * (1 - theta), "conciliatory": 2 * theta}
    if prior not in dens:
        raise ReservationBeliefError(f"unknown prior {prior!r}", where="prior",
                                     fix="use coded, tough or conciliatory")
    return dens[prior] / dens[prior].sum()


def belief(scenario: Scenario, actor_id: str, *, ratio: float = 2.0, discount: float = 0.5,
           prior: str = "coded", grid: int = GRID, evidence: bool = True,
           with_sensitivity: bool = False, story_rule: StoryRule | None = None) -> ReservationBelief:
    """What the other side believes about `actor_id`'s reservation points at the scenario's date.

    `evidence=False` gives the prior (the coded reservation points). With `with_sensitivity`,
    the posterior mean per issue under the three priors and ρ = 1.5 and 3, and the spread.
    `story_rule` merges the events into stories (default :class:`StoryRule`)."""
    if actor_id not in scenario.actor_ids:
        raise ReservationBeliefError(f"unknown actor {actor_id!r}", where="actor",
                                     fix=f"{did_you_mean(actor_id, scenario.actor_ids)}use one of: "
                                         f"{', '.join(scenario.actor_ids)}")
    if not 1.0 <= ratio <= MAX_RATIO:
        raise ReservationBeliefError(f"likelihood ratio {ratio:g} is outside [1, {MAX_RATIO:g}]",
                                     where="likelihood_ratio", fix="give a ratio from 1 to 4")
    if not 0.0 <= discount <= 1.0:
        raise ReservationBeliefError(f"serial discount {discount:g} is outside [0, 1]",
                                     where="serial_discount", fix="give a discount from 0 to 1")
    theta = type_grid(grid)
    pi = prior_weights(theta, prior)
    r = reservation_grid(scenario, actor_id, theta)
    found, routed, talk = stories(scenario, actor_id, theta=theta, ratio=ratio, discount=discount,
                                  prior=pi, rule=story_rule) if evidence else ([], [], [])
    out = ReservationBelief(actor_id, scenario.issue_ids, theta, r, pi, tuple(found),
                            tuple(routed), tuple(talk))
    if not with_sensitivity:
        return out
    runs = {"coded prior": out.mean()}
    for name in ("tough", "conciliatory"):
        runs[f"{name} prior"] = belief(scenario, actor_id, ratio=ratio, discount=discount, prior=name,
                                       grid=grid, evidence=evidence, story_rule=story_rule).mean()
    for rho in (1.5, 3.0):
        runs[f"ratio {rho:g}"] = belief(scenario, actor_id, ratio=rho, discount=discount, grid=grid,
                                        evidence=evidence, story_rule=story_rule).mean()
    spread = {i: max(v[i] for v in runs.values()) - min(v[i] for v in runs.values())
              for i in scenario.issue_ids}
    moved = {i: out.mean()[i] - out.mean(out.prior)[i] for i in scenario.issue_ids}
    sens = {**runs, "spread": spread, "moved by events": moved}
    return ReservationBelief(actor_id, scenario.issue_ids, theta, r, pi, tuple(found), tuple(routed),
                             tuple(talk), sens)
