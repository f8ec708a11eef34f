"""Run every model on every case and score each forecast against the recorded outcomes.

A case is a scenario with recorded outcomes: numeric (a value on an issue) or categorical (a
named outcome). Each model goes through the shared :class:`~standoff.models.Model` interface,
never special-cased. Numeric records are scored by the error on the issue's scale normalised
to 0–100; categorical records by the Brier score of the model's outcome probabilities (a model
without probabilities puts probability 1 on its nearest named outcome), and of the interaction
game's quantal-response probabilities where the scenario names crisis outcomes. With
`draws > 0`, Monte Carlo intervals (80% and 95%) are scored by their coverage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from standoff import lazy
from standoff.backtest import odds, scoring
from standoff.backtest.calibration import calibrate, crossfit_model, group_of
from standoff.backtest.scoring import BacktestError
from standoff.errors import StandoffError
from standoff.models.base import Model
from standoff.scenario import Scenario

pd = lazy.load("pandas")

NUMERIC_COLUMNS = ["case", "half", "issue", "model", "forecast", "actual", "low", "high", "error",
                   "abs_error", "p10", "p90", "p2.5", "p97.5", "in80", "in95", "band_set", "band_n",
                   "w80", "w95"]
CATEGORICAL_COLUMNS = ["case", "half", "model", "outcome", "p_outcome", "brier", "log", "basis"]
BASELINES = ("uniform", "reversion point")
CRISIS = "interaction-game"


@dataclass(frozen=True)
class Case:
    """A scenario to score, as of its forecast date, with recorded outcomes; `half` is "fit" or
    "eval" for the DEU III split (None elsewhere). Bootstrap resampling is by case."""

    name: str
    scenario: Scenario
    half: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Backtest:
    """Every scored forecast: numeric rows (one per case, issue and model) and categorical rows
    (one per case and forecaster), with notes on what could not be scored."""

    numeric: pd.DataFrame
    categorical: pd.DataFrame
    models: tuple[str, ...]
    draws: int = 0
    seed: int = 42
    notes: tuple[str, ...] = field(default_factory=tuple)

    def only(self, half: str) -> Backtest:
        """The rows of one half of the split ("fit" or "eval")."""
        return Backtest(self.numeric[self.numeric.half == half].reset_index(drop=True),
                        self.categorical[self.categorical.half == half].reset_index(drop=True),
                        self.models, self.draws, self.seed, self.notes)


def recorded_values(scenario: Scenario) -> dict[str, float]:
    """Issue -> recorded value (the latest record of each issue)."""
    out: dict[str, tuple] = {}
    for r in scenario.recorded:
        if r.issue is not None and r.value is not None:
            if r.issue not in out or r.date >= out[r.issue][0]:
                out[r.issue] = (r.date, r.value)
    return {k: v for k, (_, v) in out.items()}


def recorded_outcome(scenario: Scenario) -> str | None:
    """The named outcome recorded last, if any."""
    named = sorted((r for r in scenario.recorded if r.outcome is not None), key=lambda r: r.date)
    return named[-1].outcome if named else None


def run(cases: Sequence[Case], models: Sequence[Model], *, draws: int = 0, seed: int = 42,
        noise: float = 0.05, crisis: bool = True, calibrated: bool = True) -> Backtest:
    """Forecast every case with every model and score it (module docstring). With `calibrated`,
    each numeric row carries the half-widths of the model's bands (:mod:`.calibration`, set "eu"
    for DEU III, "crisis" otherwise, the case's own group left out), and named outcomes are scored
    by the odds of :mod:`.odds` against the two baselines."""
    if not cases:
        raise BacktestError("no cases to backtest", where="CASES",
                            fix="name built-in cases, scenario files or a DEU III file, or use --library")
    if not models:
        raise BacktestError("no models to backtest", where="--models", fix="name at least one model")
    numeric, categorical, notes = [], [], []
    for case in cases:
        s = case.scenario
        actual = recorded_values(s)
        outcome = recorded_outcome(s)
        if not actual and outcome is None:
            notes.append(f"{case.name}: no recorded outcomes, not scored")
            continue
        for model in models:
            try:
                f = (_crossfitted(model, case) if calibrated else model).forecast(s)
            except StandoffError as exc:
                notes.append(f"{case.name}: {model.name} failed: {exc}")
                continue
            rows = _numeric_rows(case, model.name, {x.issue: x.value for x in f.issues}, actual)
            if draws and rows:
                _add_intervals(rows, case, model, draws, seed, noise)
            if calibrated:
                f = _add_bands(rows, case, f)
            numeric += rows
            if outcome is not None:
                probs, basis = f.outcome_probabilities, "model probabilities"
                if f.odds:
                    probs, basis = f.odds, f"odds, band set {(f.odds_detail or {}).get('calibration_set')}"
                if not probs:
                    probs, basis = ({f.nearest_outcome: 1.0}, "nearest named outcome") \
                        if f.nearest_outcome else (None, "")
                if probs:
                    categorical.append(_categorical_row(case, model.name, probs, outcome, basis))
        if calibrated and outcome is not None and any(o.kind == "deal" for o in s.outcomes):
            categorical += _baseline_rows(case, outcome)
        if crisis and outcome is not None:
            row = _crisis_row(case, outcome, notes)
            if row is not None:
                categorical.append(row)
    return Backtest(pd.DataFrame(numeric, columns=NUMERIC_COLUMNS),
                    pd.DataFrame(categorical, columns=CATEGORICAL_COLUMNS),
                    tuple(m.name for m in models), draws, seed, tuple(notes))


def _numeric_rows(case: Case, model: str, values: dict[str, float],
                  actual: dict[str, float]) -> list[dict]:
    rows = []
    for issue_id, y in actual.items():
        issue = case.scenario.issue(issue_id)
        e = float(scoring.normalised_error(values[issue_id], y, issue.min, issue.max))
        rows.append({"case": case.name, "half": case.half, "issue": issue_id, "model": model,
                     "forecast": values[issue_id], "actual": y, "low": issue.min, "high": issue.max,
                     "error": e, "abs_error": abs(e), "p10": np.nan, "p90": np.nan, "p2.5": np.nan,
                     "p97.5": np.nan, "in80": np.nan, "in95": np.nan, "band_set": None,
                     "band_n": np.nan, "w80": np.nan, "w95": np.nan})
    return rows


def _crossfitted(model: Model, case: Case) -> Model:
    """The ensemble with its default weights is scored with the weights stacked without the
    case's group (proposal or family: :mod:`.calibration`); every other model as it is."""
    return crossfit_model(model, case)


def _add_bands(rows: list[dict], case: Case, forecast):
    """Fill the band columns of `rows`; return the forecast with its odds (group left out)."""
    f = calibrate(case.scenario, forecast, "eu" if case.half is not None else "crisis",
                  exclude=[group_of(case)])
    cal = f.calibration
    for row in rows:
        if cal is not None:
            row.update({"band_set": cal["set"], "band_n": cal["n"],
                        "w80": np.inf if cal["w80"] is None else cal["w80"],
                        "w95": np.inf if cal["w95"] is None else cal["w95"]})
    return f


def _baseline_rows(case: Case, outcome: str) -> list[dict]:
    """The two baselines of the odds: uniform over named outcomes; the reversion point holds."""
    rows = [_categorical_row(case, "uniform", odds.uniform(case.scenario), outcome,
                             "baseline: uniform over named outcomes")]
    rev = odds.reversion(case.scenario)
    if rev is not None:
        rows.append(_categorical_row(case, "reversion point", rev, outcome,
                                     "baseline: the status quo holds"))
    return rows


def _add_intervals(rows: list[dict], case: Case, model: Model, draws: int, seed: int,
                   noise: float) -> None:
    """Monte Carlo 80% and 95% intervals per issue, and whether the actual value is inside."""
    from standoff.analysis.montecarlo import issue_summary, monte_carlo

    mc = monte_carlo(case.scenario, model, draws=draws, seed=seed, noise=noise, progress=False)
    summary = {r["issue"]: r for r in issue_summary(mc)}
    for row in rows:
        r = summary[row["issue"]]
        row["p10"], row["p90"] = r["p80"]
        row["p2.5"], row["p97.5"] = r["p95"]
        row["in80"] = float(row["p10"] <= row["actual"] <= row["p90"])
        row["in95"] = float(row["p2.5"] <= row["actual"] <= row["p97.5"])


def _categorical_row(case: Case, model: str, probs: dict[str, float], outcome: str,
                     basis: str) -> dict:
    if odds.OTHER in probs:  # odds: a recorded outcome the case does not name counts as "other"
        outcome = outcome if outcome in {o.id for o in case.scenario.outcomes} else odds.OTHER
    p = float(probs.get(outcome, 0.0))
    return {"case": case.name, "half": case.half, "model": model, "outcome": outcome,
            "p_outcome": p, "brier": scoring.brier(probs, outcome),
            "log": float(-np.log(max(p, odds.FLOOR))), "basis": basis}


NO_CRISIS = "no-crisis-outcome"


def _crisis_row(case: Case, outcome: str, notes: list[str]) -> dict | None:
    """The interaction game between the scenario's first two parties, scored if the scenario
    names crisis outcomes: its QRE probabilities are summed over the scenario's named crisis
    outcomes and the rest ("no-crisis-outcome"); a recorded deal counts as the rest."""
    s = case.scenario
    named = {o.id for o in s.outcomes if o.kind == "crisis"}
    if not named:
        return None
    parties = [g.id for g in s.groups if g.role == "party" and s.members(g.id)]
    if len(parties) < 2:
        return None
    from standoff.games.crisis import crisis

    try:
        f = crisis(s, parties[0], parties[1]).to_forecast()
    except StandoffError as exc:
        notes.append(f"{case.name}: interaction game not scored: {exc}")
        return None
    probs: dict[str, float] = {}
    for k, p in (f.outcome_probabilities or {}).items():
        key = k if k in named else NO_CRISIS
        probs[key] = probs.get(key, 0.0) + p
    return _categorical_row(case, CRISIS, probs, outcome if outcome in named else NO_CRISIS,
                            f"QRE, {parties[0]} vs {parties[1]}")


# --- summaries ---------------------------------------------------------------------------------
def leaderboard(bt: Backtest) -> pd.DataFrame:
    """One row per model: cases, issues, MAE, RMSE, share within 10 points, mean Brier and log
    scores, coverage of the Monte Carlo intervals and of the cross-fitted bands
    (:mod:`standoff.backtest.calibration`; the rows' `w80`, `w95`); sorted by MAE (models without
    numeric scores last)."""
    rows = []
    names = list(bt.models) + sorted(set(bt.categorical.model) - set(bt.models))
    for name in names:
        num = bt.numeric[bt.numeric.model == name]
        cat = bt.categorical[bt.categorical.model == name]
        rows.append({
            "model": name, "cases": int(pd.concat([num.case, cat.case]).nunique()),
            "issues": len(num), "MAE": scoring.mae(num.error), "RMSE": scoring.rmse(num.error),
            "within 10": scoring.within(num.error), "outcomes": len(cat),
            "Brier": float(cat.brier.mean()) if len(cat) else np.nan,
            "log score": float(cat.log.mean()) if len(cat) and "log" in cat else np.nan,
            "cover 80%": float(num.in80.mean()) if num.in80.notna().any() else np.nan,
            "cover 95%": float(num.in95.mean()) if num.in95.notna().any() else np.nan,
            **{f"band {q}%": float((num.abs_error[ok] <= num[f"w{q}"][ok]).mean()) if ok.any()
               else np.nan for q in (80, 95)
               for ok in [num.get(f"w{q}", pd.Series(np.nan, index=num.index)).notna()]}})
    frame = pd.DataFrame(rows)
    return frame.sort_values(["MAE", "Brier"], na_position="last", kind="stable").reset_index(drop=True)


def paired_bootstrap(bt: Backtest, baseline: str = "compromise", *, draws: int = 2000,
                     seed: int = 0, level: float = 0.95) -> pd.DataFrame:
    """Each model's MAE and its difference from `baseline`'s, with percentile bootstrap intervals
    that resample cases (DEU III: proposals), not issues.

    On the issues both models forecast, with per case c the sums A_c = Σ|e_model|,
    B_c = Σ|e_baseline| and counts n_c, a resample draws C cases with replacement and gives
    MAE = ΣA/Σn and ΔMAE = (ΣA − ΣB)/Σn. Every model uses the same resampled cases (paired)."""
    if baseline not in set(bt.numeric.model):
        raise BacktestError(f"baseline model {baseline!r} has no numeric scores", where="--baseline",
                            fix="include it in --models")
    if not 0 < level < 1:
        raise BacktestError(f"confidence level {level:g} is not in (0, 1)", where="level",
                            fix="e.g. 0.95")
    wide = bt.numeric.pivot_table(index=["case", "issue"], columns="model", values="abs_error")
    cases = sorted(set(wide.index.get_level_values(0)))
    pos = {c: k for k, c in enumerate(cases)}
    idx = np.random.default_rng(seed).integers(len(cases), size=(draws, len(cases)))
    tail = (1 - level) / 2 * 100
    rows = []
    for name in [m for m in bt.models if m in wide.columns]:
        pair = wide[list(dict.fromkeys([name, baseline]))].dropna()
        if pair.empty:
            continue
        c = np.array([pos[k] for k in pair.index.get_level_values(0)])
        a = np.bincount(c, weights=pair[name].to_numpy(), minlength=len(cases))
        b = np.bincount(c, weights=pair[baseline].to_numpy(), minlength=len(cases))
        n = np.bincount(c, minlength=len(cases)).astype(float)
        sa, sb, sn = a[idx].sum(axis=1), b[idx].sum(axis=1), n[idx].sum(axis=1)
        ok = sn > 0
        m_boot, d_boot = sa[ok] / sn[ok], (sa[ok] - sb[ok]) / sn[ok]
        rows.append({"model": name, "cases": int((n > 0).sum()), "issues": int(n.sum()),
                     "MAE": a.sum() / n.sum(),
                     "MAE low": float(np.percentile(m_boot, tail)),
                     "MAE high": float(np.percentile(m_boot, 100 - tail)),
                     f"vs {baseline}": (a.sum() - b.sum()) / n.sum(),
                     "diff low": float(np.percentile(d_boot, tail)),
                     "diff high": float(np.percentile(d_boot, 100 - tail))})
    return pd.DataFrame(rows).sort_values("MAE", kind="stable").reset_index(drop=True)
