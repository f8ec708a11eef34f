"""Tables, JSON and a plot of a dyad's dynamics report (`standoff dynamics`)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
from rich.table import Table

from standoff import lazy
from standoff.report import style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

pd = lazy.load("pandas")


def power_frame(result: dict[str, Any]) -> pd.DataFrame:
    """Per period: date, p_t, the static and dynamic ranges of A's share, and the verdicts."""
    f = result["shifting_power"].frame
    a, b = result["dyad"]["a"], result["dyad"]["b"]
    return pd.DataFrame({
        "date": f["label"], "p": f["p"],
        "static range": [f"{lo:.2f}–{hi:.2f}" for lo, hi in zip(f["static_low"], f["static_high"],
                                                                strict=True)],
        "dynamic range": [f"{lo:.2f}–{hi:.2f}" if ok else "empty"
                          for lo, hi, ok in zip(f["dynamic_low"], f["dynamic_high"], f["peace_feasible"],
                                                strict=True)],
        "Powell": np.where(f["powell_condition"], "holds", "fails"),
        "peace from here": np.where(f["peace_feasible"], "yes", "no"),
        "if reached": [f"war ({a if by == 'a' else b} strikes)" if war else "deal"
                       for war, by in zip(f["war_if_reached"], f["war_by"], strict=True)],
    })


def _finite(x: float) -> str:
    return f"{x:.2f}" if math.isfinite(x) else ("never" if x > 0 else "any")


def commitment_frame(result: dict[str, Any]) -> pd.DataFrame:
    c = result["commitment"]
    rows = c["beliefs"][["date", "precedent", "belief", "disarm_rational"]].copy()
    rows["date"] = rows["date"].fillna("")
    rows["disarm_rational"] = np.where(rows["disarm_rational"], "yes", "no")
    rows = rows.rename(columns={"disarm_rational": "disarming pays"})
    return rows


def deadline_frame(result: dict[str, Any]) -> pd.DataFrame | None:
    d = result["deadline"]
    if d is None:
        return None
    f = d["frame"]
    a, b = result["dyad"]["a"], result["dyad"]["b"]
    return pd.DataFrame({"round": f["period"], "date": f["date"],
                         "proposer": np.where(f["proposer_a_probability"] >= 0.5, a, b),
                         f"{a} demands": f["demand_a"], f"{b} demands": f["demand_b"],
                         "agree if reached": np.where(f["agree_if_reached"], "yes", "no")})


def summary_lines(result: dict[str, Any]) -> list[str]:
    c = result["commitment"]
    p = result["params"]
    return [
        f"costs of war: {result['dyad']['a']} {p['cost_a']:.2f}, {result['dyad']['b']} {p['cost_b']:.2f};"
        f" δ = {p['delta']:g} per {p['months']} months; paths: "
        + ", ".join(f"{g} {v['origin']}" for g, v in result["paths"].items()),
        f"disarmament by {c['disarming']} ({c['basis']}): power share {c['p1']:.2f} → {c['p0']:.2f}; "
        f"threshold belief {_finite(c['threshold_belief'])}; benefit needed at the current belief "
        f"{c['benefit_needed_now']:.2f} (assumed benefit {p['benefit']:g}, sanctions {p['sanctions']:g}, "
        f"loss {p['loss']:g})",
    ]


def rich_table(frame: pd.DataFrame, title: str) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for col in frame.columns:
        table.add_column(str(col), justify="right" if pd.api.types.is_numeric_dtype(frame[col]) else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
    return table


def plot(result: dict[str, Any], path: str | Path | IO[bytes] | None = None) -> Figure | Path | IO[bytes]:
    """Plot p_t, the static and dynamic bargaining ranges, and the preventive-war window."""
    plt = style.pyplot()
    f = result["shifting_power"].frame
    a, b = result["dyad"]["a"], result["dyad"]["b"]
    x = pd.to_datetime(f["label"])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.fill_between(x, f["static_low"], f["static_high"], alpha=0.2, color="tab:blue",
                    label="static range (power frozen at p_t)")
    ok = f["peace_feasible"].to_numpy()
    ax.fill_between(x, f["dynamic_low"], f["dynamic_high"], where=ok, alpha=0.35, color="tab:green",
                    step=None, label="dynamic range (credible deals)")
    ax.plot(x, f["p"], color="black", marker="o", ms=3, label=f"p_t: {a} prevails")
    window = f["war_if_reached"].to_numpy()
    for t in np.flatnonzero(window):
        ax.axvspan(x.iloc[t] - pd.Timedelta(days=45), x.iloc[t] + pd.Timedelta(days=45), color="tab:red",
                   alpha=0.15, label="preventive-war window" if t == np.flatnonzero(window)[0] else None)
    ax.set_ylim(0, 1)
    ax.set_ylabel(f"share of the stakes to {a}")
    ax.set_title(f"Shifting power: {a} vs {b}")
    ax.legend(loc="best", fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    return style.save(fig, path)
