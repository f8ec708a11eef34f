"""Tables and a plot of a two-level analysis (a `games.two_level.analyse` result and its wedges):
win-sets, their intersection, the deal, wedges."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from rich.table import Table

from standoff.errors import StandoffError
from standoff.report import style
from standoff.scenario import Scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _fmt(lo: float, hi: float, empty: bool) -> str:
    return "status quo only" if empty else f"[{lo:.1f}, {hi:.1f}]"


def winsets_table(result, scenario: Scenario) -> Table:
    """Per issue and group: position, win-set and what bounds each end; then the intersection."""
    table = Table(title=f"{scenario.title} — two-level game, as of {result.date} ({result.model})",
                  title_justify="left", header_style="bold",
                  caption="win-set: deals a group ratifies against the status quo; "
                          "(3rd) = third party, not needed to ratify", caption_justify="left")
    for col, just in (("issue", "left"), ("group", "left"), ("position", "right"),
                      ("win-set", "right"), ("low end fixed by", "left"), ("high end fixed by", "left")):
        table.add_column(col, justify=just)
    roles = {s["id"]: s["role"] for s in result.states}
    for issue in result.issues:
        rows = [w for w in result.winsets if w.issue == issue.issue]
        table.add_row(f"{issue.issue}\nstatus quo {issue.status_quo:g}", "", "", "", "", "")
        for w in rows:
            tag = " (3rd)" if roles[w.group] == "third-party" else ""
            table.add_row("", w.group + tag, f"{w.position:.1f}", _fmt(w.low, w.high, w.empty),
                          _bound(w.low_bound, w.low, w.status_quo),
                          _bound(w.high_bound, w.high, w.status_quo))
        table.add_row("", "[bold]intersection[/bold]", "",
                      f"[bold]{_fmt(issue.low, issue.high, issue.empty)}[/bold]",
                      _end(issue.low_bound, issue.low, issue.status_quo),
                      _end(issue.high_bound, issue.high, issue.status_quo), end_section=True)
    return table


def _end(b, value: float, q: float) -> str:
    return "—" if b is None or abs(value - q) < 1e-12 else b.describe()


def _bound(b, value: float, q: float) -> str:
    return "—" if abs(value - q) < 1e-12 else b.describe().split(": ", 1)[1]


def deal_table(result) -> Table:
    """Per issue: the unconstrained bargain, the feasible deal and the faction that bounds it."""
    table = Table(title="The deal", title_justify="left", header_style="bold")
    for col, just in (("issue", "left"), ("status quo", "right"), ("intersection", "right"),
                      ("bargain", "right"), ("deal", "right"), ("nearest labelled point", "left"),
                      ("bounded by", "left")):
        table.add_column(col, justify=just)
    for i in result.issues:
        table.add_row(i.issue, f"{i.status_quo:g}", _fmt(i.low, i.high, i.empty),
                      f"{i.unconstrained:.1f}", f"[bold]{i.deal:.1f}[/bold]", i.nearest_point or "",
                      i.bounded_by.describe() if i.bounded_by else "—")
    return table


def summary_lines(result) -> list[str]:
    """The joint step, the nearest named outcome, and each group's verdict on the deal."""
    lines = list(result.notes)
    if result.joint_step is not None:
        who = f", bounded by {result.joint_bound.describe()}" if result.joint_bound else ""
        lines.append(f"package ratification: the deal goes {100 * result.joint_step:.0f}% of the way "
                     f"from the status quo to the bargain{who}")
    if result.nearest_outcome:
        lines.append(f"closest named outcome: {result.nearest_outcome} "
                     f"(distance {result.nearest_outcome_distance:.1f} on 0-100 scales)")
    for v in result.verdicts:
        where = "inside" if v.inside else "OUTSIDE"
        extra = f"; off on {', '.join(v.issues_outside)}" if v.issues_outside else ""
        stakes = f"; stakes changed: {'; '.join(v.stakes_applied)}" if v.stakes_applied else ""
        lines.append(f"{v.group} ({v.role}, {v.linkage}): deal {where} its win-set "
                     f"(package support {100 * v.support:.0f}%{extra}){stakes}")
    if result.strained:
        lines.append(f"third parties left outside their win-set: {', '.join(result.strained)}")
    return lines


def markdown(result, scenario: Scenario, to_markdown) -> str:
    """The analysis as Markdown: win-sets, deal, verdicts."""
    parts = [f"**{scenario.title}** — two-level game, as of {result.date} ({result.model})\n",
             to_markdown(result.winsets_frame()), "", to_markdown(result.issues_frame()), ""]
    parts += [f"- {line}" for line in summary_lines(result)]
    return "\n".join(parts)


def wedges_table(found: Sequence, title: str) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold",
                  caption="widening: Σ over issues of the intersection's change in width, "
                          "in % of each scale; deal: change of the forecast deal per issue",
                  caption_justify="left")
    table.add_column("#", justify="right")
    table.add_column("change")
    table.add_column("widening", justify="right")
    table.add_column("deal moves")
    steps = any(w.joint_step is not None for w in found)
    if steps:
        table.add_column("package step", justify="right")
    for n, w in enumerate(found, 1):
        moves = ", ".join(f"{k} {v:+.1f}" for k, v in w.deal_shift.items() if abs(v) >= 0.05) or "—"
        extra = [f"{100 * w.joint_step:.0f}%"] if steps and w.joint_step is not None else []
        table.add_row(str(n), w.change, f"{w.widening:+.1f}", moves, *extra)
    return table


def plot(result, scenario: Scenario,
         path: str | Path | IO[bytes] | None = None) -> Figure | Path | IO[bytes]:
    """Draw each issue's scale with every group's win-set as a bar, the status quo, the
    intersection (shaded), the group positions (dots) and the deal (a star); save to `path`."""
    plt = style.pyplot()
    if isinstance(path, str):
        path = Path(path)
    groups = [s["id"] for s in result.states]
    roles = {s["id"]: s["role"] for s in result.states}
    k = len(result.issues)
    fig, axes = plt.subplots(k, 1, figsize=(8, 0.45 * len(groups) * k + 1.8 * k), squeeze=False)
    for ax, issue in zip(axes[:, 0], result.issues, strict=True):
        spec = scenario.issue(issue.issue)
        if not issue.empty:
            ax.axvspan(issue.low, issue.high, color="tab:green", alpha=0.15, label="intersection")
        ax.axvline(issue.status_quo, color="grey", ls="--", lw=1, label="status quo")
        for y, g in enumerate(groups):
            w = result.winset(g, issue.issue)
            colour = "tab:blue" if roles[g] == "party" else "tab:orange"
            if w.empty:  # the status quo alone: a short upright tick
                ax.plot([w.low], [y], "|", color=colour, ms=14, mew=3)
            else:
                ax.plot([w.low, w.high], [y, y], color=colour, lw=6, solid_capstyle="butt",
                        alpha=0.8)
            ax.plot([w.position], [y], "o", color="black", ms=4, label="position" if y == 0 else None)
        ax.plot([issue.deal], [-0.8], "*", color="tab:red", ms=12, label="deal")
        ax.set_yticks(range(len(groups)),
                      [g + (" (3rd)" if roles[g] == "third-party" else "") for g in groups])
        ax.set_ylim(-1.4, len(groups) - 0.4)
        ax.set_xlim(spec.min, spec.max)
        ax.invert_yaxis()
        ticks = [a.value for a in spec.anchors]
        if ticks:
            ax.set_xticks(ticks, [f"{a.label} ({a.value:g})" for a in spec.anchors], fontsize=7,
                          rotation=20, ha="right")
        ax.set_title(f"{spec.title}", fontsize=9, loc="left")
    from matplotlib.lines import Line2D

    handles, labels = axes[0, 0].get_legend_handles_labels()
    handles += [Line2D([], [], color="tab:blue", lw=6), Line2D([], [], color="tab:orange", lw=6)]
    labels += ["win-set (party)", "win-set (third party)"]
    fig.legend(handles, labels, loc="lower center", ncol=6, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.3 / fig.get_figheight(), 1, 1))
    try:
        return style.save(fig, path)
    except (OSError, ValueError) as exc:
        raise StandoffError(f"cannot write the plot: {exc}", file=str(path), where="--plot",
                            fix="give a writable path ending in .png, .svg or .pdf") from None
