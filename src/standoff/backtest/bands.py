"""Error bands from past errors, the arithmetic: widths from absolute errors, their coverage,
the committed bands (see :mod:`standoff.backtest.conformal` for the method and the fitting).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from standoff import lazy
from standoff.backtest.scoring import BacktestError

if TYPE_CHECKING:
    from standoff.backtest.harness import Backtest

pd = lazy.load("pandas")

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


def default_bands(band_set: str = "eu") -> dict[str, dict[float, float]]:
    """Model -> {level: half-width} of one calibration set of the committed band table (package
    data, written by :mod:`standoff.backtest.crossfit`); "eu": the DEU III fitting half."""
    frame = _committed()
    frame = frame[frame.set == band_set].drop(columns=["set"])
    widths = [c for c in frame.columns if c.startswith("w")]
    return {row["model"]: {int(c[1:]) / 100: float(row[c]) for c in widths}
            for row in frame.to_dict("records")}
