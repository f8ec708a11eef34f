"""What drives a forecast: a one-at-a-time tornado and variance-based Sobol indices.

Tornado: every uncertain input in turn at its low and its high end, all others at their point
values; the swing is forecast(high) − forecast(low). The ends are the range's low and high for a
triangular value and the 5% and 95% quantiles (mode ∓ 1.645 sd, clipped) for a normal one. With
an expert panel, one more row spans the analysts' point codings (lowest to highest forecast).

Sobol: first-order S_i = V(E[Y | X_i]) / V(Y) and total-order S_Ti = E(V(Y | X_~i)) / V(Y) per
issue, estimated by SALib (Saltelli's design; the first-order estimator of Saltelli et al. 2010
and Jansen's total-order one, as in that paper) on the inputs' quantiles, so
that every distribution is sampled as in the Monte Carlo. A panel enters as one more factor, the
analyst (a uniform u picks coding ⌊u·M⌋).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from standoff.analysis.executors import Executor, ProgressCallback
from standoff.analysis.memo import Memo, model_key, space_key
from standoff.analysis.montecarlo import evaluate
from standoff.analysis.space import NORMAL, POINT, Space
from standoff.models.base import Model, make

PANEL_FACTOR = "analyst (panel)"


def _ends(space: Space, member: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Low and high ends [P] of each input of one member (see the module docstring)."""
    normal = space.kind[member] == NORMAL
    u_lo = np.where(normal, 0.05, 0.0)
    u_hi = np.where(normal, 0.95, 1.0)
    m = np.array([member])
    return space.draw(m, u_lo[None, :])[0], space.draw(m, u_hi[None, :])[0]


@dataclass(frozen=True)
class TornadoRow:
    issue: str
    input: str
    low: float | str
    high: float | str
    forecast_low: float
    forecast_high: float
    base: float

    @property
    def swing(self) -> float:
        return self.forecast_high - self.forecast_low


#: Rows per call of the model in a tornado: it bounds the batch's memory; every registered model is
#: as fast or faster per row in a larger batch (Korea's 109 rows: the exchange model 0.35 s in
#: chunks of 16, 0.18 s in chunks of 64, 0.14 s in one batch).
TORNADO_CHUNK = 64


def swing_values(space: Space, model: Model, *, chunk: int = TORNADO_CHUNK
                 ) -> tuple[np.ndarray, np.ndarray, list[int], np.ndarray]:
    """The tornado's evaluations: the ends `lo`, `hi` [P] of every input, the ranged inputs (in
    order) and y [1 + 2R, K]: the forecast at the point values (row 0), then each ranged input at
    its low and at its high end (rows 1 + 2r and 2 + 2r), the others at their point values.

    An end that equals the input's point value gives the point row again, so it is not run twice;
    the distinct rows go through the model `chunk` at a time (rows of a batch are independent)."""
    base = space.modes(0)
    ranged = [p for p in range(space.size) if space.kind[0, p] != POINT]
    lo, hi = _ends(space)
    distinct = [base]
    where = [0]
    for p in ranged:
        for end in (lo, hi):
            if end[p] == base[p]:
                where.append(0)
                continue
            x = base.copy()
            x[p] = end[p]
            where.append(len(distinct))
            distinct.append(x)
    x = np.array(distinct)
    y = np.concatenate([model.predict(space.batch(x[s:s + chunk])).values
                        for s in range(0, len(x), chunk)])
    return lo, hi, ranged, y[where]


def tornado(scenario_space: Space, model: Model | str, panel_space: Space | None = None, *,
            memo: Memo | None = None) -> list[TornadoRow]:
    """One-at-a-time swings, largest first within each issue (the evaluations: :func:`swing_values`).

    low/high are the input's ends, or for the panel row the ids of the analysts whose codings
    give the lowest and highest forecast.

    `scenario_space` is built without the panel (the scenario's own values); `panel_space`, if
    the scenario has a panel, supplies its analysts' point codings for the extra row. With a
    `memo`, the evaluations of the same space and model are run once (the drivers of a report and
    its sensitivity section share them)."""
    model = make(model) if isinstance(model, str) else model
    space = scenario_space
    if memo is None:
        lo, hi, ranged, y = swing_values(space, model)
    else:
        lo, hi, ranged, y = memo.get(("tornado", space_key(space), model_key(model)),
                                     lambda: swing_values(space, model))
    panel = panel_space is not None and len(panel_space.members) > 1
    y_panel = model.predict(panel_space.batch(panel_space.mode)).values if panel else None  # [M, K]
    out = []
    for k, issue in enumerate(space.scenario.issues):
        rows = [TornadoRow(issue.id, space.inputs[p].label, float(lo[p]), float(hi[p]),
                           float(y[1 + 2 * r, k]), float(y[2 + 2 * r, k]), float(y[0, k]))
                for r, p in enumerate(ranged)]
        if y_panel is not None:
            yp = y_panel[:, k]
            j_lo, j_hi = int(np.argmin(yp)), int(np.argmax(yp))
            rows.append(TornadoRow(issue.id, PANEL_FACTOR, panel_space.members[j_lo],
                                   panel_space.members[j_hi], float(yp[j_lo]), float(yp[j_hi]),
                                   float(y[0, k])))
        rows.sort(key=lambda r: -abs(r.swing))
        out += rows
    return out


@dataclass(frozen=True)
class SobolResult:
    """Per issue and factor: S1, its 95% half-width, ST, its 95% half-width."""

    factors: tuple[str, ...]
    issues: tuple[str, ...]
    s1: np.ndarray  # [K, F]
    s1_conf: np.ndarray
    st: np.ndarray
    st_conf: np.ndarray
    n: int
    evaluations: int

    def to_rows(self) -> list[dict[str, Any]]:
        rows = []
        for k, issue in enumerate(self.issues):
            order = np.argsort(-np.nan_to_num(self.st[k], nan=-1.0), kind="stable")
            for f in order:
                rows.append({"issue": issue, "factor": self.factors[f],
                             "S1": _num(self.s1[k, f]), "S1_conf": _num(self.s1_conf[k, f]),
                             "ST": _num(self.st[k, f]), "ST_conf": _num(self.st_conf[k, f])})
        return rows


def _num(x: float) -> float | None:
    return None if not np.isfinite(x) else float(x)


def sobol(space: Space, model: Model | str, *, n: int = 1024, seed: int = 42,
          executor: Executor | None = None, progress: ProgressCallback | None = None) -> SobolResult | None:
    """First- and total-order Sobol indices of every input (and the panel) for each issue.

    `n` base samples (a power of 2) cost n·(F + 2) model evaluations for F factors. None when
    nothing is uncertain."""
    model = make(model) if isinstance(model, str) else model
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    ranged = [p for p in range(space.size) if np.any(space.kind[:, p] != POINT)]
    panel = len(space.members) > 1
    names = [space.inputs[p].label for p in ranged] + ([PANEL_FACTOR] if panel else [])
    if not names:
        return None
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    design = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    rows = len(design)
    if panel:
        member = np.minimum((design[:, -1] * len(space.members)).astype(int), len(space.members) - 1)
    else:
        member = np.zeros(rows, dtype=int)
    u = np.full((rows, space.size), 0.5)
    u[:, ranged] = design[:, :len(ranged)]
    # inputs that only differ between analysts (point codings) follow the member, not u
    y = evaluate(space, model, member, u, executor=executor, label=f"{model.name}: Sobol design",
                 progress=progress)
    k_issues = y.shape[1]
    f = len(names)
    s1, s1c, st, stc = (np.full((k_issues, f), np.nan) for _ in range(4))
    for k in range(k_issues):
        if np.ptp(y[:, k]) == 0:
            s1[k] = st[k] = s1c[k] = stc[k] = 0.0
            continue
        res = sobol_analyze.analyze(problem, y[:, k], calc_second_order=False, num_resamples=100,
                                    conf_level=0.95, print_to_console=False, seed=seed)
        s1[k], s1c[k], st[k], stc[k] = res["S1"], res["S1_conf"], res["ST"], res["ST_conf"]
    return SobolResult(tuple(names), space.scenario.issue_ids, s1, s1c, st, stc, n, rows)


def tornado_rows(rows: list[TornadoRow]) -> list[dict[str, Any]]:
    return [{"issue": r.issue, "input": r.input, "low": r.low, "high": r.high, "base": r.base,
             "forecast_low": r.forecast_low, "forecast_high": r.forecast_high, "swing": r.swing}
            for r in rows]
