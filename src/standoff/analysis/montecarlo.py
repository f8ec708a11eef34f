"""Monte Carlo over the uncertain values of a scenario, through any registered model.

The draws are cut into chunks of a fixed size; chunk c draws from its own generator,
`default_rng(SeedSequence(seed, spawn_key=(c,)))`, first the panel member of each draw, then
the uniforms of every input. Each chunk is one batch through `Model.predict`. So the result
depends on (inputs, model, seed, draws, chunk size) only, bit for bit, not on how many workers
or which executor ran the chunks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from standoff.analysis.executors import Executor, ProgressCallback
from standoff.analysis.space import Space
from standoff.errors import StandoffError
from standoff.models.base import Model, make
from standoff.scenario import Scenario

CHUNK = 2_000
QUANTILES = (0.025, 0.10, 0.50, 0.90, 0.975)


class AnalysisError(StandoffError):
    """Bad settings for an analysis (no draws, a negative noise level...)."""


@dataclass(frozen=True)
class Task:
    """One chunk: seeded (index, size) or given quantiles (member[n], u[n, P])."""

    index: int
    size: int
    seed: int | None = None
    member: np.ndarray | None = None
    u: np.ndarray | None = None


def chunk_draws(space: Space, seed: int, index: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The (member[size], u[size, P]) of chunk `index`: its own generator, members first."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
    m = len(space.members)
    member = rng.integers(m, size=size) if m > 1 else np.zeros(size, dtype=np.int64)
    return member, rng.random((size, space.size))


def run_chunk(shared: tuple[Space, Model], task: Task) -> dict[str, Any]:
    """Forecast one chunk of draws as one batch: values[n, K], outcome probabilities, and for a
    model that runs in rounds (rounds[n, K], converged[n, K])."""
    space, model = shared
    if task.seed is not None:
        member, u = chunk_draws(space, task.seed, task.index, task.size)
    else:
        member, u = task.member, task.u
    pred = model.predict(space.batch(space.draw(member, u)))
    probs = None if pred.outcome_probabilities is None else {
        k: np.asarray(v, dtype=float).reshape(task.size) for k, v in pred.outcome_probabilities.items()}
    rounds = None if pred.rounds is None or pred.converged is None else \
        (np.asarray(pred.rounds, dtype=np.int64), np.asarray(pred.converged, dtype=bool))
    return {"values": np.asarray(pred.values, dtype=float), "member": member, "probs": probs,
            "rounds": rounds}


def evaluate(space: Space, model: Model, member: np.ndarray, u: np.ndarray, *,
             executor: Executor | None = None, chunk: int = CHUNK, label: str = "forecasting",
             progress: ProgressCallback | None = None) -> np.ndarray:
    """Forecast values[n, K] at given quantiles (e.g. a Sobol design), chunk by chunk."""
    tasks = [Task(c, min(chunk, len(u) - s), member=member[s:s + chunk], u=u[s:s + chunk])
             for c, s in enumerate(range(0, len(u), chunk))]
    ex = executor or Executor()
    parts = ex.map(run_chunk, tasks, shared=(space, model), label=label, progress=progress)
    return np.concatenate([p["values"] for p in parts]) if parts else np.zeros((0, space.base.shape[2]))


@dataclass(frozen=True)
class MonteCarlo:
    """The forecasts of `draws` draws: values[D, K], the panel member of each draw, and the
    mean of any categorical outcome probabilities the model gives."""

    space: Space
    model: str
    params: dict[str, Any]
    seed: int
    draws: int
    chunk: int
    noise: float
    values: np.ndarray
    member: np.ndarray
    outcome_probabilities: dict[str, float] | None = None
    what_if: str = "no change"
    executor: str = "serial"
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def scenario(self) -> Scenario:
        return self.space.scenario

    def to_frame(self) -> pd.DataFrame:
        """One row per issue: median, mean, sd and the 80%/95% interval ends."""
        rows = [{"issue": r["issue"], "model": self.model, "median": r["median"], "mean": r["mean"],
                 "sd": r["sd"], "p10": r["p80"][0], "p90": r["p80"][1], "p2.5": r["p95"][0],
                 "p97.5": r["p95"][1]} for r in issue_summary(self)]
        return pd.DataFrame(rows)


def monte_carlo(scenario: Scenario, model: Model | str, *, draws: int = 10_000, seed: int = 42,
                noise: float = 0.0, what_if=None, executor: Executor | None = None,
                chunk: int = CHUNK, progress: ProgressCallback | None = None,
                space: Space | None = None) -> MonteCarlo:
    """Draw every uncertain value `draws` times and forecast each draw with `model` (a model or
    a registered model's name)."""
    model = make(model) if isinstance(model, str) else model
    if draws < 1:
        raise AnalysisError(f"--draws {draws}: need at least one draw", where="--draws",
                            fix="e.g. --draws 10000")
    if chunk < 1:
        raise AnalysisError(f"chunk size {chunk} is below 1", where="chunk", fix="use e.g. 2000")
    if noise < 0:
        raise AnalysisError(f"noise level {noise:g} is negative", where="--noise-level",
                            fix="give a share of the scale, e.g. 0.05")
    space = space or Space.build(scenario, noise=noise, what_if=what_if)
    tasks = [Task(c, min(chunk, draws - s), seed=seed) for c, s in enumerate(range(0, draws, chunk))]
    ex = executor or Executor()
    parts = ex.map(run_chunk, tasks, shared=(space, model), label=f"{model.name}: {draws} draws",
                   progress=progress)
    values = np.concatenate([p["values"] for p in parts])
    member = np.concatenate([p["member"] for p in parts])
    probs = None
    if parts[0]["probs"] is not None:
        probs = {k: float(np.mean(np.concatenate([p["probs"][k] for p in parts])))
                 for k in parts[0]["probs"]}
    detail = {}
    if all(p.get("rounds") is not None for p in parts):  # models with rounds: rounds[D, K], converged
        detail = {"rounds": np.concatenate([p["rounds"][0] for p in parts]),
                  "converged": np.concatenate([p["rounds"][1] for p in parts])}
    return MonteCarlo(space=space, model=model.name, params=model.get_params(), seed=seed,
                      draws=draws, chunk=chunk, noise=noise, values=values, member=member,
                      outcome_probabilities=probs,
                      what_if=what_if.describe() if what_if else "no change", executor=ex.name,
                      detail=detail)


# --- summaries ---------------------------------------------------------------------------------
def issue_summary(mc: MonteCarlo, bins: int = 20) -> list[dict[str, Any]]:
    """Per issue: median, mean, sd, 80% and 95% central intervals, histogram, labelled-point shares.

    A draw "lands near" the labelled point nearest to it (the lower one on a tie), so the shares
    partition the draws and add up to 1."""
    rows = []
    for k, issue in enumerate(mc.scenario.issues):
        x = mc.values[:, k]
        q = np.quantile(x, QUANTILES)
        counts, edges = np.histogram(x, bins=bins, range=(issue.min, issue.max))
        rows.append({
            "issue": issue.id, "title": issue.title, "median": float(q[2]), "mean": float(x.mean()),
            "sd": float(x.std(ddof=1)) if len(x) > 1 else 0.0,
            "p80": [float(q[1]), float(q[3])], "p95": [float(q[0]), float(q[4])],
            "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
            "points": point_shares(issue, x),
        })
    return rows


def rounds_summary(mc: MonteCarlo) -> list[dict[str, Any]] | None:
    """For a model that runs in rounds, per issue: the share of draws that converged (the model's
    `converged` flag: a fixed point or its convergence rule) and the rounds per draw (mean, max);
    None for other models."""
    rounds, converged = mc.detail.get("rounds"), mc.detail.get("converged")
    if rounds is None or converged is None:
        return None
    return [{"issue": issue.id, "converged": float(converged[:, k].mean()),
             "rounds_mean": float(rounds[:, k].mean()), "rounds_max": int(rounds[:, k].max())}
            for k, issue in enumerate(mc.scenario.issues)]


def rounds_line(summary: dict[str, Any]) -> str | None:
    """One line on the draws' rounds from :func:`to_dict`'s summary (None without rounds)."""
    rows = summary.get("rounds")
    if not rows:
        return None
    return "rounds: " + "; ".join(f"{r['issue']}: {r['converged']:.1%} of draws converged, "
                                  f"{r['rounds_mean']:.1f} rounds a draw (max {r['rounds_max']})"
                                  for r in rows)


def point_shares(issue, x: np.ndarray) -> dict[str, float]:
    """Share of values nearest each labelled point of an issue (ties to the lower point)."""
    anchors = sorted(issue.anchors, key=lambda a: a.value)
    if not anchors:
        return {}
    a = np.array([p.value for p in anchors])
    nearest = np.argmin(np.abs(x[:, None] - a[None, :]), axis=1)
    counts = np.bincount(nearest, minlength=len(a))
    return {p.label: float(c / len(x)) for p, c in zip(anchors, counts, strict=True)}


def outcome_shares(mc: MonteCarlo) -> dict[str, float]:
    """Share of draws whose forecast lies nearest each named deal (the distance of
    `Forecast.nearest_outcome`: RMS over the deal's issues on 0–100 scales; ties to the first)."""
    s = mc.scenario
    deals = [o for o in s.outcomes if o.kind == "deal" and o.positions]
    if not deals:
        return {}
    index = {i: k for k, i in enumerate(s.issue_ids)}
    dist = np.empty((len(mc.values), len(deals)))
    for d, o in enumerate(deals):
        sq = [((mc.values[:, index[i]] - x) / s.issue(i).range * 100.0) ** 2 for i, x in o.positions.items()]
        dist[:, d] = np.sqrt(np.mean(sq, axis=0))
    counts = np.bincount(np.argmin(dist, axis=1), minlength=len(deals))
    return {o.id: float(c / len(mc.values)) for o, c in zip(deals, counts, strict=True)}


def panel_summary(mc: MonteCarlo, top: int = 5) -> dict[str, Any] | None:
    """Where a panel's analysts disagree most, and how much of the spread that explains.

    Explained share per issue: the correlation ratio η² = Σ_m n_m (x̄_m − x̄)² / Σ_d (x_d − x̄)²,
    the between-analyst part of the variance of the forecast (its first-order Sobol index).
    Disagreement per input: the range of the analysts' point values, as % of the value's scale
    (positions: the issue's range; salience: 100; capability: the largest of the codings)."""
    space = mc.space
    m = len(space.members)
    if m < 2:
        return None
    explained = {}
    for k, issue in enumerate(mc.scenario.issues):
        x = mc.values[:, k]
        total = np.sum((x - x.mean()) ** 2)
        between = sum(np.sum(mc.member == j) * (x[mc.member == j].mean() - x.mean()) ** 2
                      for j in range(m) if np.any(mc.member == j))
        explained[issue.id] = float(between / total) if total > 0 else 0.0
    rows = []
    for p, inp in enumerate(space.inputs):
        modes = space.mode[:, p]
        if np.ptp(modes) == 0:
            continue
        if inp.field == "position":
            scale = mc.scenario.issues[inp.k].range
        elif inp.field == "salience":
            scale = 100.0
        else:
            scale = float(np.max(np.abs(modes))) or 1.0
        rows.append({"input": inp.label, "spread": float(np.ptp(modes) / scale * 100.0),
                     "by_analyst": {name: float(v) for name, v in zip(space.members, modes, strict=True)}})
    rows.sort(key=lambda r: -r["spread"])
    medians = {name: [float(np.median(mc.values[mc.member == j, k])) if np.any(mc.member == j)
                      else None for k in range(mc.values.shape[1])]
               for j, name in enumerate(space.members)}
    return {"analysts": list(space.members), "explained": explained, "disagreements": rows[:top],
            "median_by_analyst": medians}


def to_dict(mc: MonteCarlo, bins: int = 20) -> dict[str, Any]:
    """Everything a report needs, as plain data (JSON-ready)."""
    return {"scenario": mc.scenario.id, "date": str(mc.scenario.date), "model": mc.model,
            "params": mc.params, "draws": mc.draws, "seed": mc.seed, "chunk": mc.chunk,
            "noise": mc.noise, "what_if": mc.what_if, "executor": mc.executor,
            "uncertain_inputs": [i.label for i in mc.space.inputs],
            "issues": issue_summary(mc, bins), "outcomes": outcome_shares(mc),
            "outcome_probabilities": mc.outcome_probabilities, "panel": panel_summary(mc),
            "rounds": rounds_summary(mc)}
