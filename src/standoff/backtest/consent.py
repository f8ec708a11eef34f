"""The consent model on DEU III: cross-validation inside the fitting half, then the evaluation half.

The procedure (docs/models/consent.md, "Evaluation"):

1. **Develop on the fitting half only.** Its proposals are cut into `folds` groups by a seeded
   permutation (whole proposals, as the issues of one proposal are not independent). Each
   specification is scored on every held-out fold; a specification with a fitted parameter (the
   shrunk baseline's λ) is fitted on the other folds first. The cross-validated MAE is the mean
   absolute error over all held-out issues.
2. **Freeze** the specifications (the list :data:`SPECS`, committed), then score the evaluation
   half once per frozen specification; the commit is printed beside the figures.
3. **P(outcome = reversion point)** per issue with a reversion point: the consent model gives
   1 when the consent set is empty (no deal, so the reversion point) and 0 otherwise; any other
   model gives 1 when its forecast equals the reversion point. Every DEU III proposal was adopted,
   so "no deal" is never observed: what can be scored is whether the recorded outcome *equals*
   the reversion point (the proposal changed nothing on that issue). The Brier score
   (p − o)² is reported beside the base rate of the fitting half.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np

from standoff import lazy
from standoff.backtest.harness import Case, recorded_values
from standoff.backtest.provenance import commit
from standoff.backtest.split import SPLIT_SEED
from standoff.errors import StandoffError
from standoff.models import make

pd = lazy.load("pandas")

FOLDS = 5
SPECS: dict[str, dict] = {  # name -> (model, params); frozen before the evaluation half is scored
    "compromise": {"model": "compromise"},
    "nash": {"model": "nash"},
    "shrunk (λ fitted)": {"model": "shrunk", "fit": True},
    "consent": {"model": "consent"},
    "consent rule=setter": {"model": "consent", "params": {"rule": "setter"}},
    "consent rule=nash": {"model": "consent", "params": {"rule": "nash"}},
    "consent linkage=package": {"model": "consent", "params": {"linkage": "package"}},
    "consent empty=base": {"model": "consent", "params": {"empty": "base"}},
    "consent rule=nash empty=base": {"model": "consent", "params": {"rule": "nash", "empty": "base"}},
    "consent linkage=package empty=base": {"model": "consent",
                                           "params": {"linkage": "package", "empty": "base"}},
}


def shrink_lambda(base: np.ndarray, q: np.ndarray, y: np.ndarray) -> float:
    """argmin_λ Σ |y − q − λ(base − q)|: the weighted median of (y − q)/(base − q) with weights
    |base − q| (rows with base = q do not depend on λ and are left out); the lower weighted
    median on a tie. NaN when no row depends on λ."""
    base, q, y = (np.asarray(a, dtype=float) for a in (base, q, y))
    d = base - q
    keep = np.abs(d) > 1e-12
    if not keep.any():
        return float("nan")
    ratio, w = (y - q)[keep] / d[keep], np.abs(d[keep])
    order = np.argsort(ratio, kind="stable")
    cum = np.cumsum(w[order])
    return float(ratio[order][np.searchsorted(cum, cum[-1] / 2)])


def issue_rows(cases: Sequence[Case], name: str, spec: dict, lam: float | None = None) -> pd.DataFrame:
    """One row per scored issue: case, issue, forecast, actual, q, scale, p_rp (the model's
    P(outcome = reversion point)), the base forecast of the shrunk baseline, and the error. A case
    the model cannot forecast (rule=setter without an agenda setter) is left out."""
    params = dict(spec.get("params", {}))
    if lam is not None:
        params["lam"] = lam
    model = make(spec["model"], **params)
    rows = []
    for case in cases:
        s = case.scenario
        actual = recorded_values(s)
        if not actual:
            continue
        try:
            f = model.forecast(s)
        except StandoffError:  # e.g. rule=setter on a proposal without the Commission's positions
            continue
        for k, fi in enumerate(f.issues):
            if fi.issue not in actual:
                continue
            issue = s.issue(fi.issue)
            q = issue.status_quo.mode if issue.status_quo is not None else np.nan
            if "p_no_deal" in f.detail:
                p_rp = float(f.detail["p_no_deal"][k]) if np.isfinite(q) else np.nan
            else:
                p_rp = float(abs(fi.value - q) <= 1e-9) if np.isfinite(q) else np.nan
            rows.append({"spec": name, "case": case.name, "issue": fi.issue, "forecast": fi.value,
                         "actual": actual[fi.issue], "q": q, "low": issue.min, "high": issue.max,
                         "base": f.detail.get("base", [np.nan] * len(f.issues))[k]
                         if spec["model"] == "shrunk" else np.nan, "p_rp": p_rp})
    out = pd.DataFrame(rows)
    out["abs_error"] = 100 * (out.forecast - out.actual).abs() / (out.high - out.low)
    return out


def folds_of(cases: Sequence[Case], folds: int = FOLDS, seed: int = SPLIT_SEED) -> dict[str, int]:
    """case name -> fold: the sorted names permuted by a seeded generator, dealt round-robin."""
    names = sorted({c.name for c in cases})
    order = np.random.default_rng(seed).permutation(len(names))
    return {names[j]: rank % folds for rank, j in enumerate(order)}


def fit_lambda(cases: Sequence[Case]) -> float:
    """The shrunk baseline's λ fitted on `cases` (the compromise model as base)."""
    rows = issue_rows(cases, "shrunk", {"model": "shrunk"}, lam=1.0)
    rows = rows[rows.q.notna()]
    return shrink_lambda(rows.base.to_numpy(), rows.q.to_numpy(), rows.actual.to_numpy())


def cross_validate(cases: Sequence[Case], specs: dict[str, dict] = SPECS, folds: int = FOLDS,
                   seed: int = SPLIT_SEED) -> pd.DataFrame:
    """Held-out rows of every specification over `folds` folds of `cases` (whole proposals)."""
    fold = folds_of(cases, folds, seed)
    out = []
    for name, spec in specs.items():
        for f in range(folds):
            test = [c for c in cases if fold[c.name] == f]
            lam = fit_lambda([c for c in cases if fold[c.name] != f]) if spec.get("fit") else None
            rows = issue_rows(test, name, spec, lam)
            out.append(rows.assign(fold=f, lam=lam if lam is not None else np.nan))
    rows = pd.concat(out, ignore_index=True)
    rows["p_cal"] = np.nan
    for (name, f), part in rows.groupby(["spec", "fold"]):
        train = rows[(rows.spec == name) & (rows.fold != f)]
        rows.loc[part.index, "p_cal"] = calibrated(part, train)
    return rows


def evaluate(cases: Sequence[Case], lam: float, fitted: pd.DataFrame,
             specs: dict[str, dict] = SPECS) -> pd.DataFrame:
    """Rows of every specification on `cases` (the evaluation half), with λ and the calibration
    of P(outcome = rp) fitted beforehand on the fitting half's rows `fitted`."""
    out = []
    for name, spec in specs.items():
        rows = issue_rows(cases, name, spec, lam if spec.get("fit") else None)
        out.append(rows.assign(p_cal=calibrated(rows, fitted[fitted.spec == name])))
    return pd.concat(out, ignore_index=True)


def said_rates(rows: pd.DataFrame) -> tuple[float, float]:
    """The share of issues whose outcome equals the reversion point when the model says it will
    (p_rp ≥ ½) and when it says not: the calibration of a 0/1 P(outcome = rp), fitted on `rows`
    (NaN where there is no such issue)."""
    hit = rows[rows.q.notna()]
    o = np.abs(hit.actual - hit.q) <= 1e-9
    said = hit.p_rp >= 0.5
    rate = lambda m: float(o[m].mean()) if m.any() else float("nan")  # noqa: E731
    return rate(said), rate(~said)


def calibrated(rows: pd.DataFrame, train: pd.DataFrame) -> pd.Series:
    """P(outcome = rp) of `rows` mapped through the rates of `train` (:func:`said_rates`)."""
    yes, no = said_rates(train)
    return pd.Series(np.where(rows.p_rp >= 0.5, yes, no), index=rows.index).where(rows.q.notna())


def summary(rows: pd.DataFrame, base_rate: float, baseline: str = "compromise") -> pd.DataFrame:
    """Per specification: issues, MAE, the ratio to the baseline's MAE on the same issues, and
    on issues with a reversion point the Brier score of P(outcome = reversion point), the base
    rate's Brier score, and how often the model says "the reversion point" and is right."""
    ref = rows[rows.spec == baseline].set_index(["case", "issue"]).abs_error
    out = []
    for name, r in rows.groupby("spec", sort=False):
        e = r.set_index(["case", "issue"]).abs_error
        hit = r[r.q.notna()]
        o = (np.abs(hit.actual - hit.q) <= 1e-9).astype(float)
        said = hit.p_rp >= 0.5
        cal = hit.p_cal if "p_cal" in hit else pd.Series(np.nan, index=hit.index)
        out.append({"spec": name, "issues": len(r), "MAE": e.mean(),
                    f"÷ {baseline}": e.mean() / ref.loc[e.index].mean(),
                    "rp issues": len(hit), "Brier P(out=rp)": float(((hit.p_rp - o) ** 2).mean()),
                    "Brier calibrated": float(((cal - o) ** 2).mean()),
                    "Brier base rate": float(((base_rate - o) ** 2).mean()),
                    "says rp": int(said.sum()), "right when it does": int((said & (o == 1)).sum()),
                    "outcome = rp": int(o.sum())})
    return pd.DataFrame(out)


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - run by hand
    """`python -m standoff.backtest.consent DEU_FILE [--eval]`: cross-validation on the fitting
    half; with --eval, also the evaluation half (run once per frozen specification)."""
    from standoff.backtest.cases import deu_cases

    args = sys.argv[1:] if argv is None else argv
    cases = deu_cases(args[0])
    fit = [c for c in cases if c.half == "fit"]
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    print(f"commit {commit()}")
    lam = fit_lambda(fit)
    fit_rows = issue_rows(fit, "compromise", {"model": "compromise"})
    hit = fit_rows[fit_rows.q.notna()]
    base_rate = float((np.abs(hit.actual - hit.q) <= 1e-9).mean())
    print(f"fitting half: {len(fit)} proposals; λ = {lam:.4f}; P(outcome = rp) base rate "
          f"{base_rate:.3f} on {len(hit)} issues with a reversion point")
    cv = cross_validate(fit)
    print(f"\ncross-validation, {FOLDS} folds by proposal, inside the fitting half:")
    print(summary(cv, base_rate).round(3).to_string(index=False))
    if "--eval" in args:
        ev = [c for c in cases if c.half == "eval"]
        print(f"\nevaluation half ({len(ev)} proposals), frozen specifications, commit {commit()}:")
        fitted = pd.concat([issue_rows(fit, name, spec, lam if spec.get("fit") else None)
                            for name, spec in SPECS.items()], ignore_index=True)
        print(summary(evaluate(ev, lam, fitted), base_rate).round(3).to_string(index=False))


if __name__ == "__main__":  # pragma: no cover
    main()
