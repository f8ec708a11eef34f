"""Named-outcome odds, one formula for every verb, the web and the backtest.

For a forecast x (one value per issue) with its predictive distribution F,

    P(o) = P(no deal) · P(o | crisis game) + (1 − P(no deal)) · P_F(the joint outcome falls in o's region)

- **Regions.** A deal may declare its region (`region: {issue: [low, high]}`): a joint value
  inside every interval is that deal (the first listed where declared regions overlap). Any
  other joint value y lies in the region of the nearest deal without a declared region, by the
  scenario's own metric (:func:`standoff.models.forecast.nearest_outcome`: root-mean-square
  distance over the issues o names, each scale normalised to 0–100), unless it is farther than
  `radius` (default 20 points) from every such deal: then it is "other", an outcome no named
  deal describes. Crisis outcomes (`kind: crisis`) have no region: they get probability only
  through P(no deal).
- **Predictive distribution.** Issue by issue, y_k = clip(x_k ± r, scale), with r drawn from the
  model's calibration scores (its out-of-sample absolute errors, :mod:`.calibration`) and the sign
  + or − with probability ½ each; issues independent of one another. Independence is an
  assumption: errors on the issues of one negotiation are in fact related, which makes joint
  outcomes far from the forecast on every issue likelier than this says. The probability is
  estimated from `draws` seeded draws.
- **P(no deal)** comes from the forecast when the model gives one (`detail["p_no_deal"]`);
  the spatial models give none, so it is 0 and the detail says so. **P(o | crisis game)**: the
  agent-QRE probabilities of the interaction game between the scenario's first two parties
  (:mod:`standoff.games.crisis`), summed into each named crisis outcome; the rest (the game's
  negotiated or status-quo ends, which are no named outcome) is "other", as is everything when
  the game cannot be solved. Where the case marks a named outcome `no_agreement` (the talks end
  without an agreement, positioned at the reversion point), the game's ends that are no named
  crisis outcome go to it instead of "other".

Scores (lower is better): Brier Σ_k (p_k − o_k)² over the named outcomes and "other", and the log
score −ln max(p_o, 10⁻³) of the outcome that happened. Baselines: uniform over the case's named
outcomes, and "the reversion point holds" (probability 1 on the region of the issues' status quo).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from standoff.backtest.scoring import BacktestError
from standoff.errors import StandoffError
from standoff.games.crisis import crisis
from standoff.scenario import Scenario

OTHER = "other"
RADIUS = 20.0
FLOOR = 1e-3
DRAWS = 4_000
SEED = 20_180_612
ASSUMPTION = ("per issue, the outcome is the forecast ± an out-of-sample error drawn from the "
              "calibration set (sign + or − with probability ½), issues independent of one another")


@dataclass(frozen=True)
class Odds:
    """Probabilities of the named outcomes and "other" (summing to 1) and how they were made."""

    probabilities: dict[str, float]
    detail: dict[str, Any] = field(default_factory=dict)


def deals(scenario: Scenario) -> list:
    """The scenario's named deals (outcomes with positions)."""
    return [o for o in scenario.outcomes if o.kind == "deal" and o.positions]


def outcome_ids(scenario: Scenario) -> list[str]:
    """Every named outcome of the scenario, then "other"."""
    return [o.id for o in scenario.outcomes] + [OTHER]


def region_of(scenario: Scenario, points: Mapping[str, np.ndarray], radius: float = RADIUS) -> np.ndarray:
    """The outcome whose region holds each joint value: points[issue] is an array of values
    (one per draw); returns an array of outcome ids ("other" beyond `radius` of every deal)."""
    size = len(np.atleast_1d(next(iter(points.values())))) if points else 1
    labels = _nearest(scenario, [o for o in deals(scenario) if not o.region], points, size, radius)
    for o in reversed([o for o in deals(scenario) if o.region]):  # the first listed wins an overlap
        if not all(i in points for i in o.region):
            continue
        inside = np.logical_and.reduce([(np.asarray(points[i], dtype=float) >= lo)
                                        & (np.asarray(points[i], dtype=float) <= hi)
                                        for i, (lo, hi) in o.region.items()])
        labels = np.where(inside, o.id, labels)
    return labels


def _nearest(scenario: Scenario, named: list, points: Mapping[str, np.ndarray], size: int,
             radius: float) -> np.ndarray:
    """The nearest of the deals `named` to each joint value ("other" beyond `radius`)."""
    if not named:
        return np.full(size, OTHER, dtype=object)
    dist = np.full((len(named), size), np.inf)
    for j, o in enumerate(named):
        if not all(i in points for i in o.positions):
            continue
        sq = [((np.asarray(points[i], dtype=float) - x) / scenario.issue(i).range * 100.0) ** 2
              for i, x in o.positions.items()]
        dist[j] = np.sqrt(np.mean(sq, axis=0))
    best = np.argmin(dist, axis=0)  # the first listed deal on a tie, as nearest_outcome
    ids = np.array([o.id for o in named], dtype=object)[best]
    return np.where(dist[best, np.arange(size)] <= radius, ids, OTHER)


def deal_probabilities(scenario: Scenario, values: Mapping[str, float], scores: np.ndarray, *,
                       draws: int = DRAWS, seed: int = SEED, radius: float = RADIUS) -> dict[str, float]:
    """P_F(region) for every named outcome and "other" (module docstring); `scores` are absolute
    errors in points of 0–100. With no scores the forecast is taken as certain."""
    scores = np.asarray(scores, dtype=float)
    scores = scores[np.isfinite(scores)]
    rng = np.random.default_rng(seed)
    points = {}
    for issue in scenario.issues:
        if issue.id not in values:
            continue
        x = float(values[issue.id])
        if scores.size:
            r = rng.choice(scores, size=draws) * rng.choice((-1.0, 1.0), size=draws)
            points[issue.id] = np.clip(x + r * issue.range / 100.0, issue.min, issue.max)
        else:
            points[issue.id] = np.full(draws, x)
    labels = region_of(scenario, points, radius)
    out = dict.fromkeys(outcome_ids(scenario), 0.0)
    found, counts = np.unique(labels.astype(str), return_counts=True)
    for k, c in zip(found, counts, strict=True):
        out[k] = float(c) / len(labels)
    return out


def no_agreement(scenario: Scenario) -> str | None:
    """The named outcome marked `no_agreement` (the talks end without an agreement), if any."""
    found = [o.id for o in scenario.outcomes if getattr(o, "no_agreement", False)]
    return found[0] if found else None


def crisis_probabilities(scenario: Scenario) -> tuple[dict[str, float], str]:
    """P(o | crisis game) over the named outcomes and "other", and where it came from. The
    game's ends that are no named crisis outcome (negotiation, the status quo, acquiescence...)
    go to the outcome marked `no_agreement` where the case has one, else to "other"."""
    out = dict.fromkeys(outcome_ids(scenario), 0.0)
    rest = no_agreement(scenario) or OTHER
    named = {o.id for o in scenario.outcomes if o.kind == "crisis"}
    parties = [g.id for g in scenario.groups if g.role == "party" and scenario.members(g.id)]
    if not named or len(parties) < 2:
        out[rest] = 1.0
        return out, (f"no crisis game (the scenario names no crisis outcome or fewer than two "
                     f"parties): all to {rest}")
    try:
        probs = crisis(scenario, parties[0], parties[1]).probabilities()
    except StandoffError as exc:
        out[rest] = 1.0
        return out, f"the crisis game could not be solved ({exc}): all to {rest}"
    for k, p in probs.items():
        out[k if k in named else rest] += float(p)
    return out, f"interaction game, agent QRE, {parties[0]} vs {parties[1]}; other ends to {rest}"


def outcome_odds(scenario: Scenario, values: Mapping[str, float], scores: np.ndarray, *,
                 p_no_deal: float | None = None, crisis: Mapping[str, float] | None = None,
                 draws: int = DRAWS, seed: int = SEED, radius: float = RADIUS) -> Odds:
    """P(o) for every named outcome and "other" by the formula of the module docstring.
    `p_no_deal` None means the model knows none: 0 is used and the detail says so; `crisis`
    overrides P(o | crisis game) (default: :func:`crisis_probabilities`)."""
    known = p_no_deal is not None
    q = float(p_no_deal) if known else 0.0
    if not 0.0 <= q <= 1.0:
        raise BacktestError(f"P(no deal) = {q:g} is not a probability", where="p_no_deal",
                            fix="give a number in [0, 1]")
    deal = deal_probabilities(scenario, values, scores, draws=draws, seed=seed, radius=radius)
    source = "not used (P(no deal) = 0)"
    cond = dict.fromkeys(deal, 0.0)
    if q > 0:
        if crisis is None:
            cond, source = crisis_probabilities(scenario)
        else:
            cond, source = {k: float(crisis.get(k, 0.0)) for k in deal}, "given"
            if abs(sum(cond.values()) - 1) > 1e-9:
                raise BacktestError("P(o | crisis game) does not sum to 1", where="crisis",
                                    fix="give probabilities over the named outcomes and 'other'")
    probs = {k: q * cond[k] + (1 - q) * deal[k] for k in deal}
    detail = {"p_no_deal": q,
              "p_no_deal_source": ("P(no deal) from the model" if known
                                   else "the model gives no P(no deal): 0 used"),
              "crisis_game": source, "radius": radius, "draws": draws, "seed": seed,
              "calibration_scores": int(np.isfinite(np.asarray(scores, dtype=float)).sum()),
              "assumption": ASSUMPTION}
    return Odds(probabilities=probs, detail=detail)


# --- scores and baselines --------------------------------------------------------------------------
def brier(probs: Mapping[str, float], outcome: str) -> float:
    """Σ_k (p_k − o_k)² over the outcomes of `probs` and the one that happened."""
    keys = set(probs) | {outcome}
    return float(sum((probs.get(k, 0.0) - (k == outcome)) ** 2 for k in keys))


def log_score(probs: Mapping[str, float], outcome: str, floor: float = FLOOR) -> float:
    """−ln max(p_outcome, floor): 0 for a sure right forecast, ln 1000 ≈ 6.91 at the floor."""
    return float(-math.log(max(float(probs.get(outcome, 0.0)), floor)))


def scored_outcome(scenario: Scenario, recorded: str) -> str:
    """The recorded outcome as one of the odds' keys: itself if named, else "other"."""
    return recorded if recorded in {o.id for o in scenario.outcomes} else OTHER


def uniform(scenario: Scenario) -> dict[str, float]:
    """Baseline: every named outcome equally likely, "other" 0."""
    ids = [o.id for o in scenario.outcomes]
    return {**{k: 1.0 / len(ids) for k in ids}, OTHER: 0.0} if ids else {OTHER: 1.0}


def reversion(scenario: Scenario, radius: float = RADIUS) -> dict[str, float] | None:
    """Baseline: the reversion point (every issue's status quo) holds; probability 1 on its
    region. None when no issue has a status quo."""
    sq = {i.id: np.array([i.status_quo.mode]) for i in scenario.issues if i.status_quo is not None}
    if not sq:
        return None
    label = str(region_of(scenario, sq, radius)[0])
    return {k: float(k == label) for k in outcome_ids(scenario)}


def mean_scores(rows: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Mean Brier and log score of rows with keys 'brier' and 'log'."""
    return {"brier": float(np.mean([r["brier"] for r in rows])),
            "log": float(np.mean([r["log"] for r in rows]))}
