"""Error bands from past errors: split-conformal intervals fitted on the DEU III fitting half.

A model's forecast x on an issue gets the band x ± w_q (points of the issue's scale normalised to
0–100), where w_q is the k-th smallest of the n absolute errors |e_1| ≤ … ≤ |e_n| the model made on
the fitting half, with

    k = ⌈(n + 1) q⌉     (w_q = ∞ when k > n).

If a new outcome's error is exchangeable with those n, P(|e| ≤ w_q) ≥ q (split conformal
prediction: Vovk, Gammerman & Shafer 2005; Lei, G'Sell, Rinaldo, Tibshirani & Wasserman 2018,
JASA 113:1094). The guarantee needs exchangeability, which DEU III issues do not quite have (issues
of one proposal are related) and the case library's negotiations, from other fields, may not have
at all: the evaluation half and the library are where the bands are checked, by their coverage.

The Monte Carlo intervals of :mod:`standoff.analysis.montecarlo` carry only the uncertainty of the
inputs, and on DEU III cover far fewer outcomes than they claim; these bands carry the models'
own past errors. Fitted once, like the ensemble's weights:
``python -m standoff.backtest.conformal src/standoff/data/reference/deu3-train.csv`` writes the package data
file that :func:`default_bands` reads.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from standoff.backtest.harness import Backtest
from standoff.backtest.scoring import BacktestError

LEVELS = (0.8, 0.95)
BANDS_FILE = "error-bands.csv"


def column(level: float) -> str:
    """The name of a band's column: 'w80' for 0.8."""
    return f"w{round(100 * level):d}"


def conformal_width(abs_errors: Sequence[float] | np.ndarray, level: float) -> float:
    """The ⌈(n + 1)·level⌉-th smallest absolute error, or ∞ when there are too few errors."""
    if not 0 < level < 1:
        raise BacktestError(f"band level {level:g} is not in (0, 1)", where="level", fix="e.g. 0.8")
    e = np.sort(np.abs(np.asarray(abs_errors, dtype=float)))
    e = e[np.isfinite(e)]
    k = math.ceil((len(e) + 1) * level)
    return float(e[k - 1]) if 1 <= k <= len(e) else math.inf


def fit_bands(bt: Backtest, levels: Sequence[float] = LEVELS) -> pd.DataFrame:
    """One row per model of `bt`: the number of scored issues and the band half-width at each level."""
    rows = []
    for name in bt.models:
        errors = bt.numeric.loc[bt.numeric.model == name, "abs_error"].to_numpy(dtype=float)
        if len(errors):
            rows.append({"model": name, "n": len(errors),
                         **{column(q): conformal_width(errors, q) for q in levels}})
    return pd.DataFrame(rows, columns=["model", "n", *(column(q) for q in levels)])


def bands_on_deu(deu_file: str | Path, models: Sequence[str] | None = None,
                 levels: Sequence[float] = LEVELS) -> pd.DataFrame:
    """The bands of `models` (default: every registered model) fitted on the fitting half."""
    from standoff.backtest.cases import deu_cases
    from standoff.backtest.harness import run
    from standoff.models import available, make

    cases = [c for c in deu_cases(deu_file) if c.half == "fit"]
    bt = run(cases, [make(n) for n in (models or list(available()))], crisis=False)
    return fit_bands(bt, levels)


def coverage(bt: Backtest, bands: Mapping[str, Mapping[float, float]]) -> pd.DataFrame:
    """Per model of `bt` with a band: the share of its scored errors within the band, per level."""
    rows = []
    for name in bt.models:
        if name not in bands:
            continue
        errors = bt.numeric.loc[bt.numeric.model == name, "abs_error"].to_numpy(dtype=float)
        if len(errors):
            rows.append({"model": name, **{f"band {round(100 * q):d}%": float(np.mean(errors <= w))
                                           for q, w in bands[name].items()}})
    return pd.DataFrame(rows, columns=["model"] if not rows else None)


def bands_text(frame: pd.DataFrame) -> str:
    """The bands as the package data CSV, widths rounded to 4 decimals."""
    widths = [c for c in frame.columns if c.startswith("w")]
    lines = [",".join(["model", "n", *widths])]
    for row in frame.itertuples(index=False):
        r = row._asdict()
        lines.append(",".join([r["model"], str(r["n"]), *(f"{r[c]:.4f}" for c in widths)]))
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def _committed() -> pd.DataFrame:
    with resources.files("standoff.data").joinpath(BANDS_FILE).open(encoding="utf-8") as f:
        return pd.read_csv(f)


def default_bands() -> dict[str, dict[float, float]]:
    """Model -> {level: half-width}, as fitted on the DEU III fitting half (package data)."""
    frame = _committed()
    widths = [c for c in frame.columns if c.startswith("w")]
    return {row["model"]: {int(c[1:]) / 100: float(row[c]) for c in widths}
            for row in frame.to_dict("records")}


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - run once by hand
    args = sys.argv[1:] if argv is None else argv
    text = bands_text(bands_on_deu(args[0]))
    out = Path(__file__).resolve().parents[1] / "data" / BANDS_FILE
    out.write_text(text, encoding="utf-8")
    print(text, end="")
    print(f"written to {out}")


if __name__ == "__main__":  # pragma: no cover
    main()
