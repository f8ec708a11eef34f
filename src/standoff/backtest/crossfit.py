"""Fitting the calibration: cross-fitted scores, the band table, the ensemble's weights, the model
order, and the Monte Carlo multipliers, written to package data (method: :mod:`.calibration`).

    python -m standoff.backtest.crossfit src/standoff/data/reference/deu3-train.csv [--mc]

writes ``calibration-scores.csv``, ``error-bands.csv``, ``ensemble-weights.csv``,
``calibration.json`` (with the commit of the code that wrote them) and, with ``--mc``,
``mc-bands.csv``. Re-run it when the case library or a model changes; a test refits and compares.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from standoff import lazy
from standoff.analysis.montecarlo import issue_summary, monte_carlo
from standoff.backtest import fit as stacking
from standoff.backtest.bands import LEVELS, column, conformal_width
from standoff.backtest.calibration import (
    BANDS_FILE,
    ENSEMBLE,
    MC_FILE,
    MC_MIN_SPREAD,
    META_FILE,
    SCORES_FILE,
    SETS,
    group_of,
    model_order,
)
from standoff.backtest.cases import deu_cases, resolve
from standoff.backtest.harness import Case, recorded_values, run
from standoff.backtest.provenance import commit
from standoff.models import available, make
from standoff.models.ensemble import WEIGHTS_FILE

pd = lazy.load("pandas")


def calibration_cases(deu_file: str | Path | None) -> list[Case]:
    """The DEU III fitting half (if a file is given) and every case of the library."""
    cases = [c for c in deu_cases(deu_file) if c.half == "fit"] if deu_file else []
    return cases + resolve([], with_library=True)


def pooled(cases: Sequence[Case], members: Sequence[str]) -> pd.DataFrame:
    """Every member's forecast on every scored issue of `cases`: one row per (case, issue,
    model) with f and y on 0–100, the set ("eu" or "crisis") and the group."""
    bt = run(list(cases), [make(n) for n in members], crisis=False, calibrated=False)
    by_name = {c.name: c for c in cases}
    frame = bt.numeric.assign(
        f=100 * (bt.numeric.forecast - bt.numeric.low) / (bt.numeric.high - bt.numeric.low),
        y=100 * (bt.numeric.actual - bt.numeric.low) / (bt.numeric.high - bt.numeric.low),
        set=[("eu" if by_name[c].half is not None else "crisis") for c in bt.numeric.case],
        group=[group_of(by_name[c]) for c in bt.numeric.case])
    return frame[["case", "issue", "model", "set", "group", "f", "y"]]


def cross_fit(frame: pd.DataFrame, members: Sequence[str]) -> tuple[pd.DataFrame, dict[str, float],
                                                                    dict[str, dict[str, float]]]:
    """Stacked ensemble weights on all of `frame` and with each group left out; the ensemble's
    rows with the forecast of each issue made by the weights fitted without its group."""
    wide = frame.pivot_table(index=["case", "issue"], columns="model", values="f")[list(members)]
    wide = wide.dropna()
    first = frame.drop_duplicates(["case", "issue"]).set_index(["case", "issue"]).loc[wide.index]
    P, y, groups = wide.to_numpy(), first.y.to_numpy(), first.group.to_numpy()
    full = dict(zip(members, stacking.stack_weights(P, y).tolist(), strict=True))
    by_group, f = {}, np.empty(len(y))
    for g in sorted(set(groups)):
        out = groups == g
        w = stacking.stack_weights(P[~out], y[~out])
        by_group[g] = dict(zip(members, w.tolist(), strict=True))
        f[out] = P[out] @ w
    rows = first.reset_index()[["case", "issue", "set", "group", "y"]].assign(model=ENSEMBLE, f=f)
    return rows[frame.columns], full, by_group


def scores_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Calibration scores |f − y| (points of 0–100), one row per model, set, group and issue."""
    out = frame.assign(score=(frame.f - frame.y).abs())
    return out[["model", "set", "group", "case", "issue", "score"]].sort_values(
        ["model", "set", "group", "case", "issue"], kind="stable").reset_index(drop=True)


def band_table(scores: pd.DataFrame, levels: Sequence[float] = LEVELS) -> pd.DataFrame:
    """Per model and set (eu, crisis, all): n and the conformal width at each level."""
    rows = []
    for model in sorted(set(scores.model)):
        own = scores[scores.model == model]
        for name in SETS:
            s = own.score if name == "all" else own.score[own.set == name]
            rows.append({"model": model, "set": name, "n": len(s),
                         **{column(q): conformal_width(s.to_numpy(), q) for q in levels}})
    return pd.DataFrame(rows)


def fit(deu_file: str | Path | None, members: Sequence[str] | None = None) -> dict[str, Any]:
    """Everything the package data holds, fitted afresh: scores of every registered model but the
    ensemble, whose members (default: the models that are neither built on others nor kept out
    of the default stacking, as :func:`standoff.backtest.fit.fit_on_deu`) are stacked and
    cross-fitted; bands, weights, order."""
    names = [n for n in available() if n != ENSEMBLE]
    members = list(members or [n for n, cls in available().items() if not cls.wraps and cls.stacked])
    frame = pooled(calibration_cases(deu_file), sorted(set(names) | set(members)))
    ens, weights, by_group = cross_fit(frame[frame.model.isin(members)], members)
    scores = scores_frame(pd.concat([frame, ens], ignore_index=True))
    return {"scores": scores, "bands": band_table(scores), "weights": weights,
            "weights_by_group": by_group, "order": model_order(scores)}


def bands_text(frame: pd.DataFrame) -> str:
    widths = [c for c in frame.columns if c.startswith("w")]
    lines = [",".join(["model", "set", "n", *widths])]
    for r in frame.to_dict("records"):
        lines.append(",".join([r["model"], r["set"], str(r["n"]),
                               *("inf" if math.isinf(r[c]) else f"{r[c]:.4f}" for c in widths)]))
    return "\n".join(lines) + "\n"


def scores_text(scores: pd.DataFrame) -> str:
    return scores.to_csv(index=False, float_format="%.6f", lineterminator="\n")


# --- Monte Carlo, calibrated directly: the fit ------------------------------------------------------
def mc_scores(deu_file: str | Path, models: Sequence[str], *, draws: int = 200, noise: float = 0.05,
              seed: int = 42, half: str = "fit") -> pd.DataFrame:
    """Per model and issue of one DEU III half: the Monte Carlo median m, spread d = p90 − p10
    (at least MC_MIN_SPREAD), outcome y (all on 0–100) and the score |y − m| / d."""
    rows = []
    for case in (c for c in deu_cases(deu_file) if c.half == half):
        actual = recorded_values(case.scenario)
        if not actual:
            continue
        for name in models:
            mc = monte_carlo(case.scenario, make(name), draws=draws, seed=seed, noise=noise,
                             progress=False)
            for r in issue_summary(mc):
                if r["issue"] not in actual:
                    continue
                issue = case.scenario.issue(r["issue"])
                scale = 100.0 / issue.range
                m = (r["median"] - issue.min) * scale
                d = max((r["p80"][1] - r["p80"][0]) * scale, MC_MIN_SPREAD)
                y = (actual[r["issue"]] - issue.min) * scale
                rows.append({"model": name, "case": case.name, "issue": r["issue"], "median": m,
                             "spread": d, "y": y, "score": abs(y - m) / d,
                             "in80": float(r["p80"][0] <= actual[r["issue"]] <= r["p80"][1]),
                             "in95": float(r["p95"][0] <= actual[r["issue"]] <= r["p95"][1])})
    return pd.DataFrame(rows, columns=["model", "case", "issue", "median", "spread", "y", "score",
                                       "in80", "in95"])


def mc_table(scores: pd.DataFrame, levels: Sequence[float] = LEVELS) -> pd.DataFrame:
    """Per model: n and the conformal multiplier q of the spread at each level."""
    rows = [{"model": m, "n": int((scores.model == m).sum()),
             **{column(q).replace("w", "q"): conformal_width(scores.score[scores.model == m].to_numpy(), q)
                for q in levels}} for m in sorted(set(scores.model))]
    return pd.DataFrame(rows)


# --- writing the package data -----------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:  # pragma: no cover - run by hand
    args = sys.argv[1:] if argv is None else argv
    if not args:
        raise SystemExit("usage: python -m standoff.backtest.crossfit DEU_FILE [--mc]")
    data = Path(__file__).resolve().parents[1] / "data"
    result = fit(args[0])
    (data / SCORES_FILE).write_text(scores_text(result["scores"]), encoding="utf-8")
    (data / BANDS_FILE).write_text(bands_text(result["bands"]), encoding="utf-8")
    (data / WEIGHTS_FILE).write_text(stacking.weights_text(result["weights"]), encoding="utf-8")
    info = {"commit": commit(), "written": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "deu_file": Path(args[0]).name, "order": result["order"],
            "weights": result["weights"], "weights_by_group": result["weights_by_group"]}
    old = data / META_FILE
    if old.is_file() and "mc" in json.loads(old.read_text(encoding="utf-8")):
        info["mc"] = json.loads(old.read_text(encoding="utf-8"))["mc"]
    if "--mc" in args:
        mc = mc_scores(args[0], [m for m in available() if m != "smp"])
        text = mc_table(mc).to_csv(index=False, float_format="%.4f", lineterminator="\n")
        (data / MC_FILE).write_text(text, encoding="utf-8")
        info["mc"] = {"draws": 200, "noise": 0.05, "seed": 42, "half": "fit",
                      "models": sorted(set(mc.model))}
        print(text, end="")
    (data / META_FILE).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    print(bands_text(result["bands"]), end="")
    print(stacking.weights_text(result["weights"]), end="")
    print(f"order: {', '.join(result['order'])}; commit {info['commit']}; written to {data}")


if __name__ == "__main__":  # pragma: no cover
    main()
