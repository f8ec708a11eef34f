"""Plots of forecasts: each model's value on every issue scale, round-by-round trajectories, and
Bueno de Mesquita's quadrant chart of one actor's dyads (expected utility model)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from standoff.models.forecast import Forecast
from standoff.report import style
from standoff.scenario import Scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _grid(plt, k: int, width: float = 4.6, height: float = 3.4, cols: int = 2):
    cols = min(cols, k)
    rows = -(-k // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for ax in axes.flat[k:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:k])


def forecasts_plot(scenario: Scenario, forecasts: Sequence[Forecast],
                   path: str | Path | IO[bytes] | None = None) -> Figure | Path | IO[bytes]:
    """One panel per issue: the scale with its labelled points, the actors' positions (grey dots,
    size ∝ capability × salience), the status quo, and each model's forecast (one marker per model)."""
    plt = style.pyplot()
    k = len(scenario.issues)
    m = len(forecasts)
    fig, axes = plt.subplots(k, 1, figsize=(9, 0.9 + (1.05 + 0.22 * m) * k), squeeze=False)
    weight = np.array([[a.capability.mode * a.salience[i].mode for i in scenario.issue_ids]
                       for a in scenario.actors])
    weight = weight / (weight.max() or 1.0)
    markers = "oDs^vP*Xh<>"
    for n, (ax, issue) in enumerate(zip(axes[:, 0], scenario.issues, strict=True)):
        xs = [a.positions[issue.id].mode for a in scenario.actors]
        ax.scatter(xs, np.full(len(xs), m), s=20 + 140 * weight[:, n], color="#9a9a9a", alpha=0.55,
                   edgecolor="none", label="actors' positions (size: clout)", zorder=2)
        if issue.status_quo is not None:
            ax.axvline(issue.status_quo.mode, color="black", ls="--", lw=0.9, label="status quo")
        for j, f in enumerate(forecasts):
            v = f.value(issue.id)
            ax.plot([v], [m - 1 - j], markers[j % len(markers)], color=style.colour(j), ms=8,
                    label=f.model, zorder=3)
            ax.annotate(f"{v:.1f}", (v, m - 1 - j), xytext=(7, 0), textcoords="offset points",
                        va="center", fontsize=7)
        ax.set_yticks([m - 1 - j for j in range(m)] + [m], [f.model for f in forecasts] + ["actors"],
                      fontsize=8)
        ax.set_ylim(-0.7, m + 0.7)
        pad = 0.02 * issue.range
        ax.set_xlim(issue.min - pad, issue.max + pad)
        if issue.anchors:
            ax.set_xticks([a.value for a in issue.anchors],
                          [f"{a.value:g}: {_short(a.label)}" for a in issue.anchors], fontsize=7,
                          rotation=18, ha="right")
        ax.grid(axis="y", visible=False)
        ax.set_title(f"{issue.title} [{issue.min:g}–{issue.max:g}]", loc="left")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    keep = [(h, lab) for h, lab in zip(handles, labels, strict=True)
            if lab in ("actors' positions (size: clout)", "status quo")]
    if keep:
        fig.legend(*zip(*keep, strict=True), loc="lower center", ncol=2, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.35 / fig.get_figheight(), 1, 1))
    return style.save(fig, path)


def _short(label: str, width: int = 28) -> str:
    return label if len(label) <= width else label[:width - 1] + "…"


def trajectory_plot(forecast: Forecast, path: str | Path | IO[bytes] | None = None,
                    scenario: Scenario | None = None) -> Figure | Path | IO[bytes]:
    """The forecast after each round, one line per issue (round 0 = the start); the status quo of
    each issue dotted in the same colour where there is one."""
    plt = style.pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for k, f in enumerate(forecast.issues):
        if f.trajectory is None:
            continue
        ax.plot(range(len(f.trajectory)), f.trajectory, marker="o", ms=3, color=style.colour(k),
                label=f.issue)
    if scenario is not None:
        lo = min(i.min for i in scenario.issues)
        hi = max(i.max for i in scenario.issues)
        ax.set_ylim(lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo))
    ax.set_xlabel("round")
    ax.set_ylabel("forecast")
    ax.set_title(f"{forecast.model}: the forecast round by round")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return style.save(fig, path)


def quadrant_plot(frames: Sequence[tuple[str, object]], actor: str,
                  path: str | Path | IO[bytes] | None = None, title: str = "") -> Figure | Path | IO[bytes]:
    """Bueno de Mesquita's quadrant chart, one panel per issue: every other actor j at
    (E^i(U_ij), E^j(U_ji)) for the chosen actor i. Both positive: conflict; both negative:
    stalemate; one positive: the other side yields — by compromise where the winner's expected
    utility is the larger in size, by capitulation where it is not (split by the diagonal y = −x).
    Each actor keeps one colour and marker in every panel, named in one legend below.

    `frames`: (issue title, DataFrame with columns other, E^i(U_ij), E^j(U_ji)) pairs."""
    plt = style.pyplot()
    fig, axes = _grid(plt, len(frames), width=4.9, height=4.5)
    others = list(dict.fromkeys(o for _, fr in frames for o in fr["other"]))
    markers = "oDs^vP*Xh<>pd"
    look = {o: (style.colour(n), markers[(n // len(style.PALETTE) + n) % len(markers)])
            for n, o in enumerate(others)}
    for ax, (issue, frame) in zip(axes, frames, strict=True):
        x = frame["E^i(U_ij)"].to_numpy(dtype=float)
        y = frame["E^j(U_ji)"].to_numpy(dtype=float)
        r = max(float(np.max(np.abs(np.concatenate([x, y])))) if len(x) else 0.0, 1e-6) * 1.25
        ax.set_xlim(-r, r)
        ax.set_ylim(-r, r)
        ax.axhline(0, color="black", lw=0.8)
        ax.axvline(0, color="black", lw=0.8)
        ax.plot([-r, r], [r, -r], color="grey", lw=0.7, ls=":")
        ax.fill_between([0, r], 0, r, color=style.colour(3), alpha=0.07)
        ax.fill_between([-r, 0], -r, 0, color="grey", alpha=0.07)
        txt = dict(fontsize=7.5, color="#555555", ha="center", va="center", style="italic", zorder=1)
        ax.text(r / 2, r * 0.93, "conflict", **txt)
        ax.text(-r / 2, -r * 0.93, "stalemate", **txt)
        ax.text(r * 0.72, -r * 0.2, "compromise\n(j yields part)", **txt)
        ax.text(r * 0.25, -r * 0.85, "capitulation\n(j gives in)", **txt)
        ax.text(-r * 0.25, r * 0.85, f"compromise\n({actor} yields part)", **txt)
        ax.text(-r * 0.72, r * 0.2, f"capitulation\n({actor} gives in)", **txt)
        for xi, yi, o in zip(x, y, frame["other"], strict=True):
            c, mk = look[o]
            ax.plot([xi], [yi], mk, color=c, ms=7.5, mec="#333333", mew=0.5, alpha=0.9, zorder=3)
        ax.set_xlabel(rf"$E^i(U_{{ij}})$: {actor}'s expected utility of challenging j", fontsize=8)
        ax.set_ylabel(rf"$E^j(U_{{ji}})$: j's expected utility of challenging {actor}", fontsize=8)
        ax.set_title(issue, loc="left")
        ax.set_aspect("equal")
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], ls="", marker=look[o][1], color=look[o][0], ms=7.5, mec="#333333", mew=0.5)
               for o in others]
    ncol = min(len(others), 5)
    fig.legend(handles, others, loc="lower center", ncol=ncol, fontsize=8, frameon=False,
               title="j: the other actor", title_fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    rows = -(-len(others) // ncol)
    fig.tight_layout(rect=(0, (0.35 + 0.2 * rows) / fig.get_figheight(), 1, 1))
    return style.save(fig, path)
