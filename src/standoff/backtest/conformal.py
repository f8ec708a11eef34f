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
own past errors. The committed band table (``error-bands.csv``: per model and calibration set)
is written by :mod:`standoff.backtest.crossfit`, which cross-fits the errors (the ensemble's
weights are refitted without each proposal or negotiation family); :func:`default_bands` reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from standoff import lazy
from standoff.backtest.bands import (
    BANDS_FILE,
    LEVELS,
    bands_text,
    column,
    conformal_width,
    coverage,
    default_bands,
    fit_bands,
)
from standoff.backtest.cases import deu_cases
from standoff.backtest.harness import run
from standoff.models import available, make

pd = lazy.load("pandas")

__all__ = ["BANDS_FILE", "LEVELS", "bands_on_deu", "bands_text", "column", "conformal_width", "coverage",
           "default_bands", "fit_bands"]


def bands_on_deu(deu_file: str | Path, models: Sequence[str] | None = None,
                 levels: Sequence[float] = LEVELS) -> pd.DataFrame:
    """The bands of `models` (default: every registered model) fitted on the fitting half."""
    cases = [c for c in deu_cases(deu_file) if c.half == "fit"]
    bt = run(cases, [make(n) for n in (models or list(available()))], crisis=False)
    return fit_bands(bt, levels)
