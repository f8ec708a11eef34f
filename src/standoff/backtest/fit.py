"""Fitting the ensemble's default weights on the fitting half of the DEU III split.

Stacking: with P[n, M] the members' forecasts and y[n] the recorded outcomes on the fitting
half (every issue normalised to 0–100), the weights solve

    min_w ‖P w − y‖²   subject to  w ≥ 0,  Σ_m w_m = 1.

The solution is found exactly by enumerating the supports S (the members with w > 0): on each,
the equality-constrained least squares has a closed form from its KKT system; the best
feasible one (all w_S ≥ 0) is the optimum, as the problem is a convex quadratic program.
The committed default weights are stacked on the DEU III fitting half and the case library
together, and cross-fitted (refitted without each proposal or negotiation family) for the bands
and the backtest: :mod:`standoff.backtest.calibration` writes them
(`python -m standoff.backtest.crossfit src/standoff/data/reference/deu3-train.csv`).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from standoff.backtest.cases import deu_cases
from standoff.backtest.harness import run
from standoff.backtest.scoring import BacktestError
from standoff.models import available, make


def stack_weights(P: np.ndarray, y: np.ndarray) -> np.ndarray:
    """argmin ‖P w − y‖² over w ≥ 0, Σw = 1 (module docstring); ties to the smaller support."""
    P, y = np.asarray(P, dtype=float), np.asarray(y, dtype=float)
    if P.ndim != 2 or P.shape[0] != y.shape[0] or P.shape[0] == 0:
        raise BacktestError(f"forecasts {P.shape} and outcomes {y.shape} do not match",
                            where="stacking", fix="give one row of forecasts per outcome")
    m = P.shape[1]
    best, best_loss = None, np.inf
    for size in range(1, m + 1):
        for support in itertools.combinations(range(m), size):
            A = P[:, support]
            # KKT: [2AᵀA 1; 1ᵀ 0] [w; λ] = [2Aᵀy; 1]
            kkt = np.zeros((size + 1, size + 1))
            kkt[:size, :size] = 2 * A.T @ A
            kkt[:size, size] = kkt[size, :size] = 1.0
            rhs = np.concatenate([2 * A.T @ y, [1.0]])
            sol, *_ = np.linalg.lstsq(kkt, rhs, rcond=None)
            w_s = sol[:size]
            if np.any(w_s < -1e-12):
                continue
            w = np.zeros(m)
            w[list(support)] = np.clip(w_s, 0, None)
            w /= w.sum()
            loss = float(np.sum((P @ w - y) ** 2))
            if loss < best_loss - 1e-9:
                best, best_loss = w, loss
    assert best is not None  # every single-member support is feasible
    return best


def fit_on_deu(deu_file: str | Path, members: list[str] | None = None) -> dict[str, float]:
    """Stacked weights of `members` (default: every registered model that is not built on other
    models' forecasts, i.e. not the ensemble, consent or shrunk, and that is `stacked`) on the
    fitting half."""
    members = members or [n for n, cls in available().items() if not cls.wraps and cls.stacked]
    cases = [c for c in deu_cases(deu_file) if c.half == "fit"]
    bt = run(cases, [make(n) for n in members], crisis=False)
    frame = bt.numeric.assign(f=100 * (bt.numeric.forecast - bt.numeric.low)
                              / (bt.numeric.high - bt.numeric.low),
                              y=100 * (bt.numeric.actual - bt.numeric.low)
                              / (bt.numeric.high - bt.numeric.low))
    wide = frame.pivot_table(index=["case", "issue"], columns="model", values="f")[members].dropna()
    y = frame.drop_duplicates(["case", "issue"]).set_index(["case", "issue"]).y.loc[wide.index]
    w = stack_weights(wide.to_numpy(), y.to_numpy())
    return dict(zip(members, w.tolist(), strict=True))


def weights_text(weights: dict[str, float]) -> str:
    """The weights as the package data CSV (member,weight), rounded to 6 decimals, summing to 1."""
    lines = ["member,weight"] + [f"{k},{v:.6f}" for k, v in weights.items()]
    return "\n".join(lines) + "\n"
