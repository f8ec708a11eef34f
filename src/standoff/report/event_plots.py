"""Plots of event data, belief paths and timelines (PNG files through matplotlib's Agg backend)."""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING

from standoff import lazy
from standoff.events.summary import COLUMNS
from standoff.report import style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

pd = lazy.load("pandas")


def _pyplot():
    return style.pyplot()


def plot_summary(frame: pd.DataFrame, path: str | Path | IO[bytes] | None = None,
                 top: int = 6) -> Figure | Path | IO[bytes]:
    """Weekly Goldstein sums of the busiest dyads, and cooperation vs conflict counts, as a PNG."""
    plt = _pyplot()
    frame = frame.assign(dyad=frame["source"] + " → " + frame["target"].replace("", "(none)"))
    busiest = frame.groupby("dyad")["events"].sum().nlargest(top).index
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
    for dyad in busiest:
        d = frame[frame["dyad"] == dyad]
        ax1.plot(pd.to_datetime(d["week"]), d["goldstein_sum"], marker="o", label=dyad)
    ax1.axhline(0, color="grey", lw=0.5)
    ax1.set_ylabel("Goldstein sum per week")
    ax1.legend(fontsize=8)
    weekly = frame.groupby("week")[COLUMNS[5:]].sum()
    weeks = pd.to_datetime(weekly.index)
    coop = weekly["verbal_cooperation"] + weekly["material_cooperation"]
    conflict = weekly["verbal_conflict"] + weekly["material_conflict"]
    ax2.bar(weeks, coop, width=5, label="cooperation (quad 1-2)", color="tab:blue")
    ax2.bar(weeks, -conflict, width=5, label="conflict (quad 3-4)", color="tab:red")
    ax2.axhline(0, color="grey", lw=0.5)
    ax2.set_ylabel("events per week")
    ax2.legend(fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    return style.save(fig, path)


def plot_beliefs(frame: pd.DataFrame, path: str | Path | IO[bytes] | None = None,
                 title: str = "") -> Figure | Path | IO[bytes]:
    """The posterior of each type (top) and the perceived positions (bottom) step by step."""
    plt = _pyplot()
    probs = [c for c in frame.columns if c.startswith("P(")]
    perceived = [c for c in frame.columns if c.startswith("perceived ") and frame[c].notna().all()]
    rows = 2 if perceived else 1
    fig, axes = plt.subplots(rows, 1, figsize=(9, 3.2 * rows + 0.5), sharex=True, squeeze=False)
    x = pd.to_datetime(frame["date"])
    for c in probs:
        axes[0, 0].step(x, frame[c], where="post", marker="o", ms=3, label=c)
    axes[0, 0].set_ylim(0, 1)
    axes[0, 0].set_ylabel("posterior")
    axes[0, 0].legend(fontsize=8)
    if title:
        axes[0, 0].set_title(title, fontsize=10)
    if perceived:
        for c in perceived:
            axes[1, 0].step(x, frame[c], where="post", marker="o", ms=3, label=c)
        axes[1, 0].set_ylabel("perceived position")
        axes[1, 0].legend(fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    return style.save(fig, path)


def plot_timeline(frame: pd.DataFrame, path: str | Path | IO[bytes] | None = None,
                  title: str = "") -> Figure | Path | IO[bytes]:
    """The forecast of each issue at each event date."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for (issue, model), d in frame.groupby(["issue", "model"], sort=False):
        ax.step(pd.to_datetime(d["date"]), d["value"], where="post", marker="o", ms=3,
                label=f"{issue} ({model})")
    ax.set_ylabel("forecast")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    fig.autofmt_xdate()
    fig.tight_layout()
    return style.save(fig, path)
