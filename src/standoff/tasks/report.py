"""The report task: run every model and analysis a report on one scenario shows, and return the
results as one bundle of plain data (:class:`ReportBundle`). Nothing here formats or writes:
:mod:`standoff.report` turns the bundle into a document and renders it as HTML or Markdown.

Parts, in order: every model's forecast, what drives each forecast, one actor's dyads (for the
models that expose the expected utilities of the dyads), belief paths, the crisis game and the
dyad's dynamics, the two-level game, and, when asked for, Monte Carlo and the sensitivity
tornado. A part the scenario cannot feed is a :class:`Skipped` that says why.

    >>> import standoff
    >>> from standoff.tasks import report
    >>> bundle = report.run(standoff.load("korea-2018", as_of="2018-05-22"))   # doctest: +SKIP
    >>> bundle.to_frame()                                                       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from standoff.analysis.drivers import IssueDrivers, explain_forecast
from standoff.analysis.executors import Executor
from standoff.analysis.memo import Memo
from standoff.analysis.montecarlo import monte_carlo as run_monte_carlo
from standoff.analysis.montecarlo import to_dict as monte_carlo_dict
from standoff.analysis.sensitivity import tornado, tornado_rows
from standoff.analysis.space import Space
from standoff.backtest.calibration import calibrate, calibrate_mc
from standoff.backtest.harness import Backtest, leaderboard, paired_bootstrap
from standoff.data import beliefs_path
from standoff.errors import StandoffError
from standoff.events.beliefs import read_beliefs, update
from standoff.games.crisis import CrisisResult, crisis, qre_curve
from standoff.games.dynamics import dynamics_report
from standoff.games.two_level import TwoLevel, analyse
from standoff.models import available, make_model
from standoff.models.forecast import Forecast
from standoff.scenario import Scenario
from standoff.tasks.base import Progress, Result
from standoff.version import __version__

#: The λ grid of the crisis game's QRE curve (the report's plot of outcome odds against λ).
QRE_LAMBDAS = np.geomspace(0.1, 1000, 200)


class ReportError(StandoffError):
    """A report that cannot be built or written (unknown model or actor, unwritable folder)."""


@dataclass(frozen=True)
class Skipped:
    """A part of the report that does not apply to the scenario, and the sentence that says why."""

    reason: str


@dataclass(frozen=True)
class BeliefPath:
    """One observer's beliefs about one target, event by event (`frame`: one row per step)."""

    title: str
    frame: pd.DataFrame
    ignored: int


@dataclass(frozen=True)
class Crisis:
    """The interaction game between the crisis dyad and its QRE outcome odds over a λ grid."""

    result: CrisisResult
    curve: pd.DataFrame


@dataclass(frozen=True)
class Dyads:
    """One model's dyads of one actor in round 1: (issue, frame) per issue where a round ran."""

    model: str
    frames: tuple[tuple[str, pd.DataFrame], ...]


@dataclass(frozen=True)
class MonteCarloRun:
    """One model's Monte Carlo summary (`monte_carlo.to_dict`) and its point forecast per issue."""

    model: str
    summary: dict[str, Any]
    point: dict[str, float]


@dataclass(frozen=True)
class Tornado:
    """One model's tornado rows (`sensitivity.tornado_rows`), largest swing first per issue."""

    model: str
    rows: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class ReportBundle(Result):
    """Everything a report on one scenario shows, computed; `steps` lists the parts that ran, in
    the report's order. `montecarlo` is None when not asked for (`draws` = 0), `sensitivity`
    likewise; a part that does not apply is a :class:`Skipped`. `model_params` pairs each model
    with the parameters it was given (None where it runs on its defaults); `options` holds the
    options as given (`params`, `actor`, `monte_carlo`, `sensitivity`), which a recorded report
    keeps; `version` is the Standoff version that computed it."""

    kind: ClassVar[str] = "report"

    scenario: Scenario
    models: tuple[str, ...]
    model_titles: dict[str, str]
    model_params: tuple[tuple[str, dict[str, Any] | None], ...]
    actor: str
    forecasts: tuple[Forecast, ...]
    drivers: tuple[tuple[str, tuple[IssueDrivers, ...]], ...]
    dyads: tuple[Dyads, ...]
    beliefs: tuple[BeliefPath, ...] | Skipped
    crisis: Crisis | Skipped
    dynamics: dict[str, Any] | Skipped
    winsets: TwoLevel | Skipped
    montecarlo: tuple[MonteCarloRun, ...] | None
    sensitivity: tuple[Tornado, ...] | Skipped | None
    draws: int
    seed: int
    steps: tuple[str, ...]
    options: dict[str, Any]
    version: str

    def skipped(self) -> dict[str, str]:
        """Each part that does not apply, and why."""
        parts = {"beliefs": self.beliefs, "crisis": self.crisis, "dynamics": self.dynamics,
                 "winsets": self.winsets, "sensitivity": self.sensitivity}
        return {k: v.reason for k, v in parts.items() if isinstance(v, Skipped)}

    def to_frame(self) -> pd.DataFrame:
        """Every model's forecast, one row per model × issue."""
        return pd.concat([f.to_frame() for f in self.forecasts], ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """The scenario, the models, their forecasts and the parts left out (the document the
        report renders holds the rest)."""
        return {"scenario": self.scenario.id, "date": str(self.scenario.date), "models": list(self.models),
                "actor": self.actor, "forecasts": [f.to_dict() for f in self.forecasts],
                "skipped": self.skipped()}


STEPS = ("scenario", "forecasts", "drivers", "trajectories", "dyads", "beliefs", "crisis", "dynamics",
         "winsets", "montecarlo", "sensitivity")

#: What each step is called in a progress report.
TITLES = {"scenario": "the scenario", "forecasts": "forecasts", "drivers": "drivers",
          "trajectories": "trajectories", "dyads": "quadrant chart", "beliefs": "belief paths",
          "crisis": "crisis game", "dynamics": "dynamics", "winsets": "win-sets",
          "montecarlo": "Monte Carlo", "sensitivity": "sensitivity"}

#: Parts whose inputs a scenario may lack: a user error there becomes the part's Skipped.
OPTIONAL = ("beliefs", "crisis", "dynamics", "winsets")

def report_steps(monte_carlo: int, sensitivity: bool) -> tuple[str, ...]:
    """The steps a report runs: all but Monte Carlo and the tornado unless asked for."""
    return tuple(st for st in STEPS
                 if (st != "montecarlo" or monte_carlo) and (st != "sensitivity" or sensitivity))


def report_units(steps: Sequence[str], models: int, monte_carlo: int) -> int:
    """How many progress units a report counts: one per step, one more per model of Monte Carlo
    after the first."""
    return len(steps) + (models - 1 if monte_carlo and "montecarlo" in steps else 0)


def check_actor(scenario: Scenario, actor: str | None) -> str:
    """The quadrant chart's actor: the one given (checked) or the scenario's first."""
    if actor is None:
        return scenario.actor_ids[0]
    if actor not in scenario.actor_ids:
        raise ReportError(f"unknown actor {actor!r} in {scenario.id}", where="--actor",
                          fix=f"use one of: {', '.join(scenario.actor_ids)}")
    return actor


def run(scenario: Scenario, *, models: Sequence[str] | None = None,
               params: dict[str, dict[str, Any]] | None = None, actor: str | None = None,
               monte_carlo: int = 0, seed: int = 42, sensitivity: bool = False,
               between: tuple[str, str] | None = None, beliefs: str | Path | None = None,
               progress: Progress | None = None) -> ReportBundle:
    """Run every chosen model (default: all registered) and the analyses that apply to `scenario`.

    `params` maps a model name to its parameters; `actor` is whose dyads the quadrant chart shows
    (default: the scenario's first actor); `monte_carlo` > 0 adds that many draws per model
    (seeded by `seed`); `sensitivity` adds the tornado; `between` names the crisis game's two
    sides (default: the first two groups); `beliefs` a belief file (default: the one shipped
    with a built-in case). `progress(label, done, total)` is told of each step as it starts, and
    of each model as Monte Carlo starts it (:func:`report_units` units in all).

    What several parts ask for is computed once per call (:class:`~standoff.analysis.memo.Memo`):
    each model's point forecast (forecasts, drivers, Monte Carlo) and its tornado (drivers and
    sensitivity)."""
    names = list(models) if models else list(available())
    for n in names:
        if n not in available():
            raise ReportError(f"unknown model {n!r}", where="--models",
                              fix=f"use some of: {', '.join(available())}")
    if monte_carlo < 0:
        raise ReportError(f"--monte-carlo {monte_carlo}: the number of draws cannot be negative",
                          where="--monte-carlo", fix="give 0 (none) or more, e.g. 1000")
    actor_id = check_actor(scenario, actor)
    built = [make_model(n, (params or {}).get(n, {})) for n in names]
    memo = Memo()  # this run's results; nothing outlives the call
    steps = report_steps(monte_carlo, sensitivity)
    total = report_units(steps, len(built), monte_carlo)
    done = 0

    def tell(label: str, first: bool = False) -> None:  # a unit ends as the next one starts
        nonlocal done
        if progress is not None:
            if not first:
                done += 1
            progress(label, done, total)
    parts: dict[str, Any] = {"montecarlo": None, "sensitivity": None}
    forecasts: list[Forecast] = []
    for n, step in enumerate(steps):
        tell(TITLES[step], first=n == 0)
        try:
            if step == "forecasts":
                forecasts = [calibrate(scenario, memo.forecast(scenario, m)) for m in built]
            elif step == "drivers":
                parts[step] = tuple((m.name, tuple(explain_forecast(scenario, m, memo=memo)))
                                    for m in built)
            elif step == "dyads":
                parts[step] = tuple(Dyads(f.model, tuple(dyad_frames(scenario, f, actor_id)))
                                    for f in forecasts if "eu_receiver" in f.detail)
            elif step == "beliefs":
                parts[step] = belief_paths(scenario, beliefs)
            elif step == "crisis":
                parts[step] = crisis_game(scenario, between)
            elif step == "dynamics":
                parts[step] = dyad_dynamics(scenario, between)
            elif step == "winsets":
                parts[step] = two_level(scenario, next((m for m in built if m.name == "compromise"),
                                                       built[0]))
            elif step == "montecarlo":
                parts[step] = tuple(
                    montecarlo_run(scenario, m, monte_carlo, seed,
                                   lambda name, k=k: tell(f"Monte Carlo: {name}", first=k == 0),
                                   memo=memo)
                    for k, m in enumerate(built))
            elif step == "sensitivity":
                parts[step] = tornadoes(scenario, built, memo=memo)
        except StandoffError as exc:  # the scenario lacks what this analysis needs
            if step not in OPTIONAL:
                raise
            parts[step] = Skipped(f"Left out: {exc}")
    if progress is not None:
        progress("done", total, total)
    return ReportBundle(
        scenario=scenario, models=tuple(names),
        model_titles={n: available()[n].title or n for n in names},
        model_params=tuple((m.name, m.get_params() if (params or {}).get(m.name) else None) for m in built),
        actor=actor_id, forecasts=tuple(forecasts), drivers=parts.get("drivers", ()),
        dyads=parts.get("dyads", ()), beliefs=parts["beliefs"], crisis=parts["crisis"],
        dynamics=parts["dynamics"], winsets=parts["winsets"], montecarlo=parts["montecarlo"],
        sensitivity=parts["sensitivity"], draws=monte_carlo, seed=seed, steps=steps,
        options={"params": dict(params or {}), "actor": actor, "monte_carlo": monte_carlo,
                 "sensitivity": sensitivity},
        version=__version__)


def dyad_frames(s: Scenario, forecast: Forecast, actor: str) -> list[tuple[str, pd.DataFrame]]:
    """From a forecast whose detail holds the expected utilities of every dyad (`eu_receiver`
    [K, T, N, N] with b[i, j] = E^j(U_ji), and the `offer` codes), one actor's dyads in round 1 on
    each issue where a round ran: other, E^i(U_ij), E^j(U_ji), interaction."""
    d = forecast.detail
    eu = np.asarray(d["eu_receiver"], dtype=float)
    offer = np.asarray(d["offer"]) if "offer" in d else None
    names = list(d.get("class_names") or ())
    ids = s.actor_ids
    a = ids.index(s.actor(actor).id)
    out = []
    for k, f in enumerate(forecast.issues):
        if f.rounds is not None and f.rounds < 1:
            continue
        b = eu[k, 0]
        rows = []
        for o in range(len(ids)):
            if o == a:
                continue
            what = "stalemate"
            if offer is not None and names:
                if offer[k, 0, a, o] > 0:
                    what = f"{names[offer[k, 0, a, o]]} ({ids[o]} yields)"
                elif offer[k, 0, o, a] > 0:
                    what = f"{names[offer[k, 0, o, a]]} ({ids[a]} yields)"
            rows.append({"other": ids[o], "E^i(U_ij)": float(b[o, a]), "E^j(U_ji)": float(b[a, o]),
                         "interaction": what})
        out.append((f.issue, pd.DataFrame(rows)))
    return out


def belief_paths(s: Scenario, beliefs: str | Path | None) -> tuple[BeliefPath, ...] | Skipped:
    """Each belief file's observer: posterior over the target's types, event by event."""
    path = Path(beliefs) if beliefs is not None else beliefs_path(s.id)
    if path is None:
        return Skipped(f"No belief file for {s.id} (see `standoff docs events` to write one).")
    if not s.events:
        return Skipped("The scenario has no events to update beliefs on.")
    out = []
    for spec in read_beliefs(path):
        bp = update(spec, s, end=s.date)
        issues = [i for i in s.issue_ids if bp.perceived(bp.table.prior, i) is not None]
        out.append(BeliefPath(spec.title or f"{spec.observer} about {spec.target}", bp.frame(issues),
                              bp.ignored))
    return tuple(out)


def crisis_game(s: Scenario, between: tuple[str, str] | None) -> Crisis | Skipped:
    """The interaction game between two sides (default: the first two groups, when the scenario
    names a crisis outcome) and its outcome odds over :data:`QRE_LAMBDAS`."""
    if between is None:
        if not any(o.kind == "crisis" for o in s.outcomes):
            return Skipped("The scenario names no crisis outcome (war, capitulation...), so the "
                           "crisis game is left out.")
        if len(s.group_ids) < 2:
            return Skipped("The crisis game needs two sides: the scenario has fewer than two groups.")
        between = (s.group_ids[0], s.group_ids[1])
    r = crisis(s, *between)
    return Crisis(r, qre_curve(r, QRE_LAMBDAS))


def dyad_dynamics(s: Scenario, between: tuple[str, str] | None) -> dict[str, Any] | Skipped:
    """Shifting power, commitment and deadline bargaining between the crisis dyad's groups (the
    sides given, or the first two groups)."""
    if between is None:
        if len(s.group_ids) < 2:
            return Skipped("The dynamics of a dyad need two groups of actors; the scenario has fewer.")
        between = (s.group_ids[0], s.group_ids[1])
    return dynamics_report(s, *between)


def two_level(s: Scenario, model) -> TwoLevel | Skipped:
    """The two-level game: each group's win-set, their intersection and the deal."""
    if len(s.group_ids) < 2:
        return Skipped("The two-level game needs two groups of actors; the scenario has fewer.")
    return analyse(s, model)


def montecarlo_run(s: Scenario, model, draws: int, seed: int,
                   on_model: Callable[[str], None] | None = None, *,
                   memo: Memo | None = None) -> MonteCarloRun:
    """One model's Monte Carlo over `draws` seeded draws, summarised, with its point forecast
    (the run's own, through `memo`, when there is one)."""
    if on_model is not None:
        on_model(model.name)
    mc = run_monte_carlo(s, model, draws=draws, seed=seed, executor=Executor(), progress=False)
    point = model.forecast(s) if memo is None else memo.forecast(s, model)
    return MonteCarloRun(model.name, calibrate_mc(monte_carlo_dict(mc), s, model.name),
                         {x.issue: x.value for x in point.issues})


def tornadoes(s: Scenario, models: Sequence, *, memo: Memo | None = None) -> tuple[Tornado, ...] | Skipped:
    """Per model, the one-at-a-time tornado of the uncertain inputs (and the expert panel's
    members where there are two or more); models with nothing to vary are left out. With a
    `memo`, the swings the drivers already computed are read from it."""
    point = Space.build(s, use_panel=False)
    panel = Space.build(s)
    if not point.size and len(panel.members) < 2:
        return Skipped("No value of the scenario has a range and there is no expert panel, so "
                       "there is nothing to vary.")
    out = []
    for m in models:
        rows = tornado_rows(tornado(point, m, panel if len(panel.members) > 1 else None, memo=memo))
        if rows:
            out.append(Tornado(m.name, tuple(rows)))
    return tuple(out)


def explain_cases(cases: Sequence, model: str) -> tuple[tuple[str, tuple[IssueDrivers, ...]], ...]:
    """For the backtest report: per case (`backtest.cases.Case`), what drives the forecast of
    `model` (on its default parameters), issue by issue (:func:`explain_forecast`)."""
    return tuple((case.name, tuple(explain_forecast(case.scenario, make_model(model)))) for case in cases)


@dataclass(frozen=True)
class BacktestReport:
    """What the backtest report shows: the backtest, its leaderboard, the paired bootstrap of each
    model's MAE against the baseline (None without numeric scores of the baseline), and what
    drives the baseline's forecast of each case asked for (:func:`explain_cases`)."""

    backtest: Backtest
    board: pd.DataFrame
    bootstrap: pd.DataFrame | None
    baseline: str
    boot_draws: int
    boot_seed: int
    explained: tuple[tuple[str, tuple[IssueDrivers, ...]], ...] = ()


def backtest_report(bt: Backtest, *, baseline: str = "compromise", boot_draws: int = 2000,
                    boot_seed: int = 0, explain: Sequence = ()) -> BacktestReport:
    """The backtest report's tables: the leaderboard, the paired bootstrap against `baseline`
    (`boot_draws` resamples, seeded by `boot_seed`) and, for the cases in `explain` (library cases
    or scenario files; not the hundreds of DEU III proposals, where it would cost N+1 forecasts
    each), what drives the baseline's forecasts."""
    boot = None
    if not bt.numeric.empty and baseline in set(bt.numeric.model):
        boot = paired_bootstrap(bt, baseline, draws=boot_draws, seed=boot_seed)
    return BacktestReport(bt, leaderboard(bt), boot, baseline, boot_draws, boot_seed,
                          explain_cases(explain, baseline) if explain else ())
