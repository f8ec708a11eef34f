"""Calibration figures: band coverage on the DEU III evaluation half and on the case library,
Monte Carlo calibrated directly, named-outcome odds against the baselines; prints the commit.

    python benchmarks/calibration.py src/standoff/data/reference/deu3-train.csv [--mc] [--boot 2000]

1. DEU III evaluation half (scored once per frozen specification; the commit is printed with the
   score): coverage of every model's 80 % and 95 % bands from the `eu` set (and from `all`),
   pooled over models, and per model with a 90 % percentile interval of a bootstrap that resamples
   proposals (clusters), seeded.
2. The case library: coverage of the bands fitted with each case's family left out; Brier and
   log scores of the odds against the uniform and reversion-point baselines; the model chosen by
   cross-fitting without the case's family, and its MAE.
3. With `--mc`: the Monte Carlo intervals on the evaluation half, input-only (as drawn) and
   calibrated (median ± q·spread, q fitted on the fitting half), per model.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from standoff.backtest.calibration import (
    calibration_for,
    committed_scores,
    group_of,
    mc_multipliers,
    model_order,
)
from standoff.backtest.cases import deu_cases, resolve
from standoff.backtest.crossfit import mc_scores
from standoff.backtest.harness import leaderboard, run
from standoff.backtest.provenance import commit
from standoff.models import available, make

LEVELS = (80, 95)


def clustered_interval(hit: np.ndarray, cluster: np.ndarray, *, draws: int, seed: int,
                       level: float = 0.9) -> tuple[float, float]:
    """Percentile interval of the coverage when whole clusters are resampled with replacement."""
    names, idx = np.unique(cluster, return_inverse=True)
    hits = np.bincount(idx, weights=hit, minlength=len(names))
    counts = np.bincount(idx, minlength=len(names)).astype(float)
    pick = np.random.default_rng(seed).integers(len(names), size=(draws, len(names)))
    cov = hits[pick].sum(axis=1) / counts[pick].sum(axis=1)
    tail = (1 - level) / 2 * 100
    return float(np.percentile(cov, tail)), float(np.percentile(cov, 100 - tail))


def deu_coverage(numeric: pd.DataFrame, band_set: str, *, draws: int, seed: int) -> pd.DataFrame:
    rows = []
    for model in sorted(set(numeric.model)):
        num = numeric[numeric.model == model]
        cal = calibration_for(model, band_set)
        row = {"model": model, "set": cal.set, "n cal": cal.n, "issues": len(num)}
        for q in LEVELS:
            hit = (num.abs_error <= cal.width(q / 100)).to_numpy(dtype=float)
            lo, hi = clustered_interval(hit, num.case.to_numpy(), draws=draws, seed=seed)
            row |= {f"cover {q}": hit.mean(), f"{q} low": lo, f"{q} high": hi,
                    f"{q} ok": lo <= q / 100 <= hi}
        rows.append(row)
    frame = pd.DataFrame(rows)
    pooled = {"model": "pooled", "set": band_set, "n cal": np.nan, "issues": frame.issues.sum()}
    for q in LEVELS:
        pooled[f"cover {q}"] = float((frame[f"cover {q}"] * frame.issues).sum() / frame.issues.sum())
    return pd.concat([frame, pd.DataFrame([pooled])], ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("deu_file")
    ap.add_argument("--mc", action="store_true")
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 30)
    print(f"commit {commit()}")
    models = [make(n) for n in available()]

    evals = [c for c in deu_cases(args.deu_file) if c.half == "eval"]
    bt = run(evals, models, crisis=False)
    for band_set in ("eu", "all"):
        print(f"\n1. DEU III evaluation half, bands from set {band_set} "
              f"(90 % intervals: bootstrap over proposals, {args.boot} resamples, seed {args.seed})")
        print(deu_coverage(bt.numeric, band_set, draws=args.boot, seed=args.seed)
              .to_string(index=False, float_format="%.3f"))

    lib = resolve([], with_library=True)
    lbt = run(lib, models)
    board = leaderboard(lbt).set_index("model")
    print("\n2. Case library: bands with the case's family left out; odds against the baselines")
    print(board[["issues", "MAE", "band 80%", "band 95%", "outcomes", "Brier", "log score"]]
          .to_string(float_format="%.3f"))
    cat = lbt.categorical
    common = set(cat[cat.model == "reversion point"].case)
    print(f"on the {len(common)} cases where the reversion point is defined (paired):")
    print(cat[cat.case.isin(common)].groupby("model")[["brier", "log"]].mean()
          .to_string(float_format="%.3f"))
    num = lbt.numeric[lbt.numeric.model.isin([m.name for m in models])]
    print(f"pooled over models: band 80% {float((num.abs_error <= num.w80).mean()):.3f}, "
          f"band 95% {float((num.abs_error <= num.w95).mean()):.3f} ({len(num)} scores)")
    scores = committed_scores()
    chosen = []
    for case in lib:
        first = model_order(scores, exclude=[group_of(case)])[0]
        rows = num[(num.case == case.name) & (num.model == first)]
        chosen.append({"case": case.name, "chosen without its family": first,
                       "MAE": float(rows.abs_error.mean()) if len(rows) else np.nan})
    frame = pd.DataFrame(chosen)
    print(frame.to_string(index=False, float_format="%.2f"))
    per_issue = num.merge(frame.rename(columns={"chosen without its family": "model"})[["case", "model"]])
    print(f"cross-fitted choice: MAE {per_issue.abs_error.mean():.2f} over {len(per_issue)} issues")

    if args.mc:
        mult = mc_multipliers()
        names = [m for m in mult]
        mc = mc_scores(args.deu_file, names, half="eval")
        rows = []
        for m in names:
            s = mc[mc.model == m]
            rows.append({"model": m, "issues": len(s), "input-only 80": s.in80.mean(),
                         "input-only 95": s.in95.mean(),
                         **{f"calibrated {q}": float((s.score <= mult[m][q / 100]).mean())
                            for q in LEVELS}})
        print("\n3. Monte Carlo on the DEU III evaluation half (200 draws, noise 0.05, seed 42)")
        print(pd.DataFrame(rows).to_string(index=False, float_format="%.3f"))


if __name__ == "__main__":
    main()
