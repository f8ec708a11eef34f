"""Tables for the uncertainty, sensitivity, what-if and lever analyses (rich and Markdown)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
from rich.table import Table

from standoff import lazy
from standoff.report import style
from standoff.tasks.compare import shares_text as _shares

if TYPE_CHECKING:
    from matplotlib.figure import Figure

pd = lazy.load("pandas")

BLOCKS = " ▁▂▃▄▅▆▇█"


def sparkline(counts: Sequence[int]) -> str:
    """A histogram as one line of block characters (empty bins blank)."""
    top = max(counts) if counts else 0
    if top == 0:
        return ""
    return "".join(BLOCKS[0] if c == 0 else BLOCKS[max(1, round(c / top * 8))] for c in counts)


def uncertainty_frame(result: dict[str, Any]) -> pd.DataFrame:
    """One row per issue: median, mean, intervals, histogram, labelled-point shares."""
    return pd.DataFrame([{
        "issue": r["issue"], "median": r["median"], "mean": r["mean"],
        "80% interval": f"{r['p80'][0]:.1f}–{r['p80'][1]:.1f}",
        "95% interval": f"{r['p95'][0]:.1f}–{r['p95'][1]:.1f}",
        **({f"{q}% calibrated": f"{r[f'calibrated{q}'][0]:.1f}–{r[f'calibrated{q}'][1]:.1f}"
            for q in (80, 95)} if r.get("calibrated80") else {}),
        "histogram": sparkline(r["histogram"]["counts"]),
        "near labelled point": _shares(r["points"])} for r in result["issues"]])


def uncertainty_table(result: dict[str, Any], title: str = "") -> Table:
    table = Table(title=title or None, title_justify="left", header_style="bold",
                  caption=f"histogram over the whole scale, {len(result['issues'][0]['histogram']['counts'])}"
                          " bins" if result["issues"] else None, caption_justify="left")
    frame = uncertainty_frame(result)
    for col in frame.columns:
        table.add_column(col, justify="right" if col in ("median", "mean") else "left",
                         no_wrap=col in ("histogram", "80% interval", "95% interval",
                                         "80% calibrated", "95% calibrated"))
    for row in frame.itertuples(index=False):
        table.add_row(row[0], f"{row[1]:.1f}", f"{row[2]:.1f}", *map(str, row[3:]))
    return table


def calibration_line(result: dict[str, Any]) -> str:
    """What the intervals are: the inputs' spread only, and the calibrated band if fitted."""
    line = ("intervals: the spread of the inputs' ranges only, not the model's own error; "
            "they cover far fewer outcomes than they say (docs/backtest.md)")
    cal = result.get("calibration")
    return line + (f"; calibrated: {cal}" if cal else "")


def outcome_line(result: dict[str, Any]) -> str | None:
    if not result.get("outcomes"):
        return None
    return "nearest named outcome: " + _shares(result["outcomes"], cut=0.0)


def panel_lines(result: dict[str, Any]) -> list[str]:
    panel = result.get("panel")
    if not panel:
        return []
    lines = [f"expert panel of {len(panel['analysts'])} ({', '.join(panel['analysts'])}): "
             "share of the forecast's variance explained by which analyst's coding is used — "
             + ", ".join(f"{k} {v:.0%}" for k, v in panel["explained"].items())]
    for d in panel["disagreements"]:
        by = ", ".join(f"{k} {v:g}" for k, v in d["by_analyst"].items())
        lines.append(f"  disagree on {d['input']}: {by} (spread {d['spread']:.0f}% of the scale)")
    return lines


def tornado_table(rows: list[dict[str, Any]], top: int = 8, title: str = "") -> Table:
    """Per issue, the `top` largest one-at-a-time swings, each with a bar."""
    table = Table(title=title or None, title_justify="left", header_style="bold")
    for col, just in (("issue", "left"), ("input", "left"), ("low → high", "left"),
                      ("at low", "right"), ("at high", "right"), ("swing", "right"), ("", "left")):
        table.add_column(col, justify=just, no_wrap=col in ("input", "", "low → high"))
    by_issue: dict[str, list] = {}
    for r in rows:
        by_issue.setdefault(r["issue"], []).append(r)
    for issue, items in by_issue.items():
        items = items[:top]
        widest = max((abs(r["swing"]) for r in items), default=0) or 1.0
        for n, r in enumerate(items):
            bar = "█" * max(1, round(abs(r["swing"]) / widest * 10)) if r["swing"] else ""
            ends = " → ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in (r["low"], r["high"]))
            table.add_row(issue if n == 0 else "", r["input"], ends,
                          f"{r['forecast_low']:.2f}", f"{r['forecast_high']:.2f}", f"{r['swing']:+.2f}",
                          bar, end_section=n == len(items) - 1)
    return table


def sobol_table(rows: list[dict[str, Any]], top: int = 8, title: str = "") -> Table:
    table = Table(title=title or None, title_justify="left", header_style="bold",
                  caption="S1: share of variance from the input alone; ST: with all its interactions; "
                          "± 95% bootstrap half-width", caption_justify="left")
    for col in ("issue", "factor", "S1", "ST"):
        table.add_column(col, justify="left" if col in ("issue", "factor") else "right",
                         no_wrap=col != "issue")
    by_issue: dict[str, list] = {}
    for r in rows:
        by_issue.setdefault(r["issue"], []).append(r)
    fmt = lambda v, c: "—" if v is None else f"{v:.2f} ± {c or 0:.2f}"  # noqa: E731
    for issue, items in by_issue.items():
        items = items[:top]
        for n, r in enumerate(items):
            table.add_row(issue if n == 0 else "", r["factor"], fmt(r["S1"], r["S1_conf"]),
                          fmt(r["ST"], r["ST_conf"]), end_section=n == len(items) - 1)
    return table


def compare_table(frame: pd.DataFrame, title: str = "") -> Table:
    table = Table(title=title or None, title_justify="left", header_style="bold")
    for col in frame.columns:
        table.add_column(col, justify="right" if pd.api.types.is_numeric_dtype(frame[col]) else "left",
                         no_wrap=col in ("issue", "model"))
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:+.1f}" if c == "change" else f"{v:.1f}" if isinstance(v, float) else str(v)
                        for c, v in zip(frame.columns, row, strict=True)])
    return table


def levers_table(frame: pd.DataFrame, title: str = "") -> Table:
    table = Table(title=title or None, title_justify="left", header_style="bold",
                  caption="gain: how much closer the forecast comes to the party's position "
                          "(stake-weighted, 0–100 scale points)", caption_justify="left")
    for col in frame.columns:
        table.add_column(str(col), justify="left" if col == "change" else "right",
                         no_wrap=col == "change")
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:+.2f}" if c == "gain" else f"{v:.1f}" if isinstance(v, float) else str(v)
                        for c, v in zip(frame.columns, row, strict=True)])
    return table


# --- plots -----------------------------------------------------------------------------------
def histogram_plot(result: dict[str, Any], path: str | Path | IO[bytes] | None = None, scenario=None,
                   point: dict[str, float] | None = None) -> Figure | Path | IO[bytes]:
    """One panel per issue: the Monte Carlo histogram of the forecast (a `montecarlo.to_dict`
    result) over the whole scale, the median, the 80% interval shaded and, if given, the point
    forecast; the labelled points of the scale as ticks."""
    plt = style.pyplot()
    issues = result["issues"]
    cols = min(2, len(issues))
    rows = -(-len(issues) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.7 * cols, 3.1 * rows), squeeze=False)
    for ax in axes.flat[len(issues):]:
        ax.set_visible(False)
    for ax, r in zip(axes.flat, issues, strict=False):
        edges = np.asarray(r["histogram"]["edges"])
        counts = np.asarray(r["histogram"]["counts"], dtype=float)
        share = counts / max(counts.sum(), 1.0)
        ax.bar(edges[:-1], share, width=np.diff(edges), align="edge", color=style.colour(0), alpha=0.75,
               edgecolor="white", linewidth=0.5)
        ax.axvspan(*r["p80"], color=style.colour(1), alpha=0.18, zorder=0, label="80% interval")
        ax.axvline(r["median"], color=style.colour(3), lw=1.5, label="median")
        head = f"median {r['median']:.1f}"
        if point and r["issue"] in point:
            ax.axvline(point[r["issue"]], color="black", ls="--", lw=1, label="point forecast")
            head += f", point {point[r['issue']]:.1f}"
        ax.set_xlim(edges[0], edges[-1])
        ax.set_ylabel("share of draws")
        ax.set_title(f"{r.get('title') or r['issue']}\n{head}", loc="left", fontsize=9)
        if scenario is not None:
            spec = scenario.issue(r["issue"])
            if spec.anchors:
                ax.set_xticks([a.value for a in spec.anchors], [f"{a.value:g}" for a in spec.anchors])
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8, frameon=False)
    fig.suptitle(f"{result['model']}: Monte Carlo, {result['draws']} draws, seed {result['seed']}",
                 fontsize=10)
    fig.tight_layout(rect=(0, 0.3 / fig.get_figheight(), 1, 1))
    return style.save(fig, path)


def tornado_plot(rows: list[dict[str, Any]], path: str | Path | IO[bytes] | None = None, top: int = 8,
                 title: str = "") -> Figure | Path | IO[bytes]:
    """One panel per issue: the `top` largest one-at-a-time swings as horizontal bars from the point
    forecast to the forecast at the input's low end (blue) and at its high end (orange). Inputs that
    move nothing are left out."""
    plt = style.pyplot()
    by_issue: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_issue.setdefault(r["issue"], [])
        if abs(r["forecast_low"] - r["base"]) > 1e-9 or abs(r["forecast_high"] - r["base"]) > 1e-9:
            by_issue[r["issue"]].append(r)
    k = len(by_issue)
    sizes = [max(1, min(len(v), top)) for v in by_issue.values()]
    fig, axes = plt.subplots(k, 1, figsize=(8.5, 0.9 * k + 0.3 * sum(sizes) + 0.9), squeeze=False,
                             gridspec_kw={"height_ratios": [s + 1.5 for s in sizes]})
    for ax, (issue, items) in zip(axes[:, 0], by_issue.items(), strict=True):
        items = items[:top][::-1]
        base = next((r["base"] for r in rows if r["issue"] == issue), 0.0)
        ax.axvline(base, color="black", lw=0.9)
        ax.set_title(f"{issue} (point forecast {base:.1f})", loc="left")
        ax.grid(axis="y", visible=False)
        if not items:
            ax.set_yticks([])
            ax.text(0.5, 0.5, "no uncertain input moves this forecast", transform=ax.transAxes,
                    ha="center", va="center", fontsize=8, style="italic", color="#555555")
            continue
        for y, r in enumerate(items):
            ax.barh(y, r["forecast_low"] - base, left=base, color=style.colour(0), height=0.6,
                    label="input at its low end" if y == 0 else None)
            ax.barh(y, r["forecast_high"] - base, left=base, color=style.colour(1), height=0.32,
                    alpha=0.85, label="input at its high end" if y == 0 else None)
        ends = [base] + [r[c] for r in items for c in ("forecast_low", "forecast_high")]
        pad = 0.08 * (max(ends) - min(ends) or 1.0)
        ax.set_xlim(min(ends) - pad, max(ends) + pad)
        ax.set_yticks(range(len(items)), [r["input"] for r in items], fontsize=7)
    axes[-1, 0].set_xlabel("forecast")
    handles, labels = [], []
    for ax in axes[:, 0]:
        h, lab = ax.get_legend_handles_labels()
        if h:
            handles, labels = h, lab
            break
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8, frameon=False)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout(rect=(0, 0.3 / fig.get_figheight(), 1, 1 - (0.3 if title else 0) / fig.get_figheight()))
    return style.save(fig, path)
