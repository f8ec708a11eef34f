"""The expectations model on DEU III: parameters chosen by cross-validation inside the fitting half,
then the evaluation half scored once with the frozen choice, beside compromise and the
status-quo-shrunk compromise q + λ(compromise − q) (λ fitted on the fitting half).

    python benchmarks/expectations_deu.py ../shared/data/deu3-train.csv [--fit-only]

Prints the commit it ran on. Errors are absolute errors on the 0–100 scale (normalised).
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pandas as pd

from standoff.backtest.cases import deu_cases
from standoff.backtest.harness import run
from standoff.backtest.provenance import commit
from standoff.models import make

GRID = {"hazard": (0.25, 0.05, 0.5, 1.0), "rounds": (3, 1, 6)}  # the defaults first: they win ties
FOLDS = 5


def errors(cases, params: dict) -> pd.DataFrame:
    """Per issue: the expectations forecast, compromise, the status quo and the outcome."""
    bt = run(cases, [make("expectations", **params), make("compromise")], crisis=False)
    frame = bt.numeric.pivot_table(index=["case", "issue"], columns="model", values="forecast")
    truth = bt.numeric.drop_duplicates(["case", "issue"]).set_index(["case", "issue"])["actual"]
    frame["actual"] = truth
    sq = {(c.name, i.id): (np.nan if i.status_quo is None else i.status_quo.mode)
          for c in cases for i in c.scenario.issues}
    frame["rp"] = [sq[k] for k in frame.index]
    return frame


def shrink_lambda(frame: pd.DataFrame) -> float:
    """λ minimising the absolute error of q + λ(compromise − q) on issues with a reversion point
    (a grid of 0.01; the absolute error is piecewise linear in λ)."""
    f = frame.dropna(subset=["rp"])
    grid = np.linspace(0, 1, 101)
    mae = [np.abs(f["rp"] + lam * (f["compromise"] - f["rp"]) - f["actual"]).mean() for lam in grid]
    return float(grid[int(np.argmin(mae))])


def scores(frame: pd.DataFrame, lam: float) -> dict[str, float]:
    shrunk = np.where(frame["rp"].notna(), frame["rp"] + lam * (frame["compromise"] - frame["rp"]),
                      frame["compromise"])
    with_rp = frame["rp"].notna()
    out = {}
    for name, pred in (("expectations", frame["expectations"]), ("compromise", frame["compromise"]),
                       ("shrunk compromise", shrunk)):
        e = np.abs(np.asarray(pred) - frame["actual"].to_numpy())
        out[f"{name} MAE"] = float(e.mean())
        out[f"{name} MAE (rp given)"] = float(e[with_rp.to_numpy()].mean())
    out["n"] = len(frame)
    out["n with rp"] = int(with_rp.sum())
    return out


def main(path: str, evaluate: bool = True) -> None:
    print(f"commit {commit()}")
    cases = deu_cases(path)
    fit = [c for c in cases if c.half == "fit"]
    ev = [c for c in cases if c.half == "eval"]
    combos = [dict(zip(GRID, v, strict=True)) for v in itertools.product(*GRID.values())]
    frames = {i: errors(fit, p) for i, p in enumerate(combos)}  # every issue of the fitting half
    folds = {c.name: k % FOLDS for k, c in enumerate(sorted(fit, key=lambda c: c.name))}

    def mae(i: int, fold: int, held: bool) -> float:
        f = frames[i]
        mask = np.array([(folds[c] == fold) == held for c, _ in f.index])
        return float(np.abs(f["expectations"] - f["actual"])[mask].mean())

    cv_err = []
    for k in range(FOLDS):
        best = min(range(len(combos)), key=lambda i: mae(i, k, held=False))
        cv_err.append(mae(best, k, held=True))
    print(f"cross-validated MAE of the selection (5 folds of the fitting half): {np.mean(cv_err):.2f}")
    fit_mae = [float((f["expectations"] - f["actual"]).abs().mean()) for f in frames.values()]
    table = pd.DataFrame([{**p, "fit MAE": fit_mae[i]} for i, p in enumerate(combos)])
    print(table.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    chosen = min(range(len(combos)), key=lambda i: table.loc[i, "fit MAE"])
    params = combos[chosen]
    lam = shrink_lambda(frames[chosen])
    print(f"chosen on the fitting half: {params}; shrinkage λ = {lam:.2f}")
    print("fitting half:", {k: round(v, 2) for k, v in scores(frames[chosen], lam).items()})
    if not evaluate:
        return
    held = errors(ev, params)
    print("evaluation half (scored once):", {k: round(v, 2) for k, v in scores(held, lam).items()})
    ratio = scores(held, lam)["expectations MAE"] / scores(held, lam)["compromise MAE"]
    print(f"expectations / compromise MAE on the evaluation half: {ratio:.3f}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--fit-only"]
    main(args[0] if args else "../shared/data/deu3-train.csv", evaluate="--fit-only" not in sys.argv)
