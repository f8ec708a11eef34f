"""Calibrated forecasts: bands from out-of-sample errors, by cross-fitting, and named-outcome odds.

**Calibration scores.** A model's score on a calibration issue is its absolute error |x − y| in
points of the 0–100 scale, where the forecast x was made without using the issue's *group*:

- the DEU III fitting half (set ``eu``): a group is a proposal;
- the case library (set ``crisis``): a group is a negotiation family
  (:func:`standoff.backtest.library.family`: a negotiation and its sequels);
- set ``all``: both.

Models without fitted parameters (every registered model but the ensemble) never saw the
calibration data, so their errors are out-of-sample as they stand. The ensemble's weights are
stacked (:func:`standoff.backtest.fit.stack_weights`) on the pooled DEU fitting half and library;
its score on an issue of group g uses weights stacked with g left out (leave-one-group-out, the
residuals of jackknife+ over proposals and families). The shown ensemble uses the weights of
all the data; bands for it are therefore the jackknife residuals around the full fit (not the
full jackknife+ interval, which would need every leave-out fit at the new point).

**Bands.** On issue k with forecast x_k, the q-band is x_k ± w_q·(max − min)/100, clipped to the
scale, with w_q the ⌈(n + 1)q⌉-th smallest of the set's n scores (split conformal,
:func:`standoff.backtest.conformal.conformal_width`); a set with fewer than 19 scores has no
finite 95 % band and falls back to ``all`` (the forecast says so). If the new error is
exchangeable with the set's, it lies within w_q with probability at least q.

**Model order.** `standoff forecast` shows first the model with the smallest cross-fitted mean
absolute error on the pooled sets; when scoring a case, the choice is remade without its group.

Package data, written by ``python -m standoff.backtest.crossfit src/standoff/data/reference/deu3-train.csv``:
``calibration-scores.csv`` (every score), ``error-bands.csv`` (the band table),
``ensemble-weights.csv`` and ``calibration.json`` (the commit of the code that wrote them, the
model order). ``mc-bands.csv`` (Monte Carlo calibration) is written by the same command with
``--mc``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from standoff import lazy
from standoff.backtest import odds
from standoff.backtest.bands import LEVELS, conformal_width
from standoff.backtest.library import family
from standoff.backtest.scoring import BacktestError
from standoff.models import available, make
from standoff.models.ensemble import default_weights
from standoff.models.forecast import Forecast
from standoff.scenario import Scenario

if TYPE_CHECKING:
    from standoff.backtest.harness import Case

pd = lazy.load("pandas")

SETS = ("eu", "crisis", "all")
SET_NAMES = {"eu": "EU legislation (DEU III fitting half)",
             "crisis": "interstate negotiations (case library)", "all": "DEU III fitting half + library"}
MIN_SCORES = 19  # the fewest scores with a finite 95 % band: ⌈(n + 1)·0.95⌉ ≤ n
SCORES_FILE = "calibration-scores.csv"
BANDS_FILE = "error-bands.csv"
META_FILE = "calibration.json"
MC_FILE = "mc-bands.csv"
ENSEMBLE = "ensemble"
MC_MIN_SPREAD = 1.0  # points of 0–100: a Monte Carlo spread below this counts as this


# --- cross-fitting groups and model order -----------------------------------------------------------
def group_of(case: Case) -> str:
    """A case's cross-fitting group: its DEU III proposal, or its library family."""
    if case.half is not None:
        return case.name
    return f"family:{family(case.name)}"


def model_order(scores: pd.DataFrame, exclude: Sequence[str] = ()) -> list[str]:
    """Models by cross-fitted MAE on the pooled scores without the groups `exclude`, best first."""
    kept = scores[~scores.group.isin(list(exclude))]
    mae = kept.groupby("model").score.mean()
    return sorted(mae.index, key=lambda m: (round(mae[m], 9), m == ENSEMBLE, m))  # a tie: the member


# --- Monte Carlo, calibrated directly ----------------------------------------------------------------
@lru_cache(maxsize=1)
def mc_multipliers() -> dict[str, dict[float, float]]:
    """Model -> {level: multiplier of the Monte Carlo spread} (package data)."""
    with resources.files("standoff.data").joinpath(MC_FILE).open(encoding="utf-8") as f:
        frame = pd.read_csv(f)
    return {r["model"]: {int(c[1:]) / 100: float(r[c]) for c in frame.columns if c.startswith("q")}
            | {"n": int(r["n"])} for r in frame.to_dict("records")}


def mc_band(model: str, median: float, low: float, high: float, lo: float, hi: float,
            level: float) -> tuple[float, float] | None:
    """The calibrated Monte Carlo band: median ± q·max(p90 − p10, MC_MIN_SPREAD) on the issue's
    scale [lo, hi], clipped to it; None for a model without a fitted multiplier."""
    q = mc_multipliers().get(model, {}).get(level)
    if q is None:
        return None
    spread = max(high - low, MC_MIN_SPREAD * (hi - lo) / 100.0)
    return (max(lo, median - q * spread), min(hi, median + q * spread))


def calibrate_mc(result: dict[str, Any], scenario: Scenario, model: str) -> dict[str, Any]:
    """A Monte Carlo summary (:func:`standoff.analysis.montecarlo.to_dict`) with, per issue,
    `calibrated80`/`calibrated95` (:func:`mc_band`) and a `calibration` line; unchanged but for
    the line when the model has no fitted multiplier."""
    mult = mc_multipliers().get(model)
    if mult is None:
        return {**result, "calibration": f"no Monte Carlo calibration for {model} (not fitted)"}
    issues = []
    for r in result["issues"]:
        issue = scenario.issue(r["issue"])
        bands = {f"calibrated{round(100 * q)}": mc_band(model, r["median"], *r["p80"], issue.min,
                                                         issue.max, q) for q in LEVELS}
        issues.append({**r, **bands})
    return {**result, "issues": issues, "calibration": (
        f"median ± q·(p90 − p10), q = {mult[0.8]:.2f} (80 %) and {mult[0.95]:.2f} (95 %) fitted on "
        f"the DEU III fitting half (n = {mult['n']}, |y − median| / spread, 200 draws, noise 0.05)")}


# --- the committed calibration -----------------------------------------------------------------------
@lru_cache(maxsize=1)
def committed_scores() -> pd.DataFrame:
    with resources.files("standoff.data").joinpath(SCORES_FILE).open(encoding="utf-8") as f:
        return pd.read_csv(f)


@lru_cache(maxsize=1)
def meta() -> dict[str, Any]:
    return json.loads(resources.files("standoff.data").joinpath(META_FILE).read_text(encoding="utf-8"))


def model_first(names: Sequence[str]) -> list[str]:
    """`names` reordered so that the cross-fitted best of them comes first (the rest keep order)."""
    order = [m for m in meta().get("order", []) if m in names]
    if not order:
        return list(names)
    return [order[0], *[n for n in names if n != order[0]]]


def ensemble_note(weights: dict[str, float]) -> str | None:
    """'all weight on X' when the ensemble's weights put everything on one member."""
    top = [k for k, w in weights.items() if w > 1 - 1e-9]
    return f"all weight on {top[0]}: not an ensemble, the {top[0]} model" if top else None


@dataclasses.dataclass(frozen=True)
class Calibration:
    """The calibration set a forecast's bands come from: the scores, the set's name, notes."""

    model: str
    requested: str
    set: str
    scores: np.ndarray
    notes: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return int(self.scores.size)

    def width(self, level: float) -> float:
        return conformal_width(self.scores, level)

    def to_dict(self) -> dict[str, Any]:
        return {"set": self.set, "requested": self.requested, "name": SET_NAMES[self.set],
                "n": self.n, "w80": _finite(self.width(0.8)), "w95": _finite(self.width(0.95)),
                "source": "out-of-sample errors, cross-fitted by proposal and negotiation family",
                "commit": meta().get("commit"), "notes": list(self.notes)}


def calibration_for(model: str, requested: str = "all", exclude: Sequence[str] = (),
                    scores: pd.DataFrame | None = None) -> Calibration | None:
    """The model's calibration scores in set `requested` (eu, crisis, all) without the groups
    `exclude`; a set with fewer than 19 scores falls back to "all". None for an unknown model."""
    if requested not in SETS:
        raise BacktestError(f"calibration set {requested!r} is unknown", where="--bands",
                            fix=f"use one of {', '.join(SETS)} or none")
    frame = committed_scores() if scores is None else scores
    own = frame[(frame.model == model) & ~frame.group.isin(list(exclude))]
    if own.empty:
        return None
    chosen, notes = requested, []
    s = own.score if chosen == "all" else own.score[own.set == chosen]
    if len(s) < MIN_SCORES and chosen != "all":
        notes.append(f"the {chosen} set has {len(s)} scores for {model} (fewer than {MIN_SCORES}: "
                     "no finite 95 % band); fell back to all")
        chosen, s = "all", own.score
    if exclude:
        notes.append(f"left out: {', '.join(sorted(exclude))}")
    return Calibration(model, requested, chosen, s.to_numpy(dtype=float), tuple(notes))


def crossfit_model(model, case: Case):
    """`model` for scoring `case`: the default ensemble becomes the ensemble with the weights
    stacked with the case's group left out (`calibration.json`), so no case is scored by weights
    fitted on it; any other model (or an ensemble with given weights) is returned as it is."""
    if model.name != ENSEMBLE or getattr(model, "members", None) is not None:
        return model
    weights = meta().get("weights_by_group", {}).get(group_of(case))
    if weights is None:  # not in the fitting data (the DEU III evaluation half, a new case)
        return model
    return make(ENSEMBLE, members=tuple(weights), weights=tuple(weights.values()))


def model_p_no_deal(detail: dict[str, Any]) -> float | None:
    """The model's P(no deal) from its forecast's detail: `p_breakdown` (the expectations model)
    or `p_no_deal`; per-issue values (the consent model: 1 where an issue's consent set is empty)
    give the largest, as a package fails when any of its issues does. None when the model gives
    none."""
    for key in ("p_breakdown", "p_no_deal"):
        if detail.get(key) is not None:
            v = np.asarray(detail[key], dtype=float)
            return float(np.max(v)) if v.size else None
    return None


def _finite(x: float) -> float | None:
    return None if math.isinf(x) else float(x)


def _defaults_differ(forecast: Forecast) -> bool:
    if forecast.model not in available():
        return True
    return _plain(make(forecast.model).get_params()) != _plain(forecast.params)


def _plain(obj: Any) -> Any:
    return json.loads(json.dumps(obj, default=str))


def calibrate(scenario: Scenario, forecast: Forecast, bands: str = "all", *,
              exclude: Sequence[str] = (), scores: pd.DataFrame | None = None,
              draws: int | None = None, seed: int | None = None) -> Forecast:
    """The forecast with its 80 % and 95 % bands per issue, the calibration it used, and the
    named-outcome odds (:func:`standoff.backtest.odds.outcome_odds`). `bands` "none" gives odds
    from the "all" set without showing bands; `exclude` leaves groups out (for backtests)."""
    cal = calibration_for(forecast.model, "all" if bands == "none" else bands, exclude, scores)
    if cal is None and not scenario.outcomes:
        return forecast
    if cal is None:
        detail = {"calibration": f"no calibration scores for model {forecast.model!r}"}
        probs = odds.outcome_odds(scenario, {f.issue: f.value for f in forecast.issues},
                                  np.array([]), p_no_deal=model_p_no_deal(forecast.detail))
        return dataclasses.replace(forecast, odds=probs.probabilities,
                                   odds_detail=probs.detail | detail, calibration=None)
    notes = list(cal.notes)
    if _defaults_differ(forecast):
        notes.append("calibrated for the model's default parameters; these differ")
    if forecast.model == ENSEMBLE and forecast.params.get("members") is None:
        note = ensemble_note(default_weights())
        if note:
            notes.append(note)
    cal = dataclasses.replace(cal, notes=tuple(notes))
    issues = forecast.issues
    if bands != "none":
        issues = [dataclasses.replace(f, **{f"band{round(100 * q)}": _band(scenario, f.issue, f.value,
                                                                          cal.width(q))
                                            for q in LEVELS}) for f in forecast.issues]
    shown = cal.to_dict() if bands != "none" else None
    if not scenario.outcomes:  # nothing named: no odds to give
        return dataclasses.replace(forecast, issues=issues, calibration=shown)
    kw = {k: v for k, v in (("draws", draws), ("seed", seed)) if v is not None}
    probs = odds.outcome_odds(scenario, {f.issue: f.value for f in forecast.issues}, cal.scores,
                              p_no_deal=model_p_no_deal(forecast.detail), **kw)
    return dataclasses.replace(forecast, issues=issues, calibration=shown,
                               odds=probs.probabilities,
                               odds_detail=probs.detail | {"calibration_set": cal.set})


def _band(scenario: Scenario, issue_id: str, x: float, w: float) -> tuple[float, float] | None:
    if math.isinf(w):
        return None
    issue = scenario.issue(issue_id)
    half = w * issue.range / 100.0
    return (max(issue.min, x - half), min(issue.max, x + half))
