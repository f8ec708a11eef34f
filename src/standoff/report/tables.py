"""Tables of forecasts and scenarios for people: rich for the terminal, Markdown, JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd
from rich.table import Table

from standoff.models.forecast import Forecast
from standoff.scenario import Scenario


def forecasts_frame(forecasts: Sequence[Forecast]) -> pd.DataFrame:
    """One row per model × issue."""
    return pd.concat([f.to_frame() for f in forecasts], ignore_index=True)


def scenario_frame(scenario: Scenario) -> pd.DataFrame:
    """Actors × issues: group, capability, and per issue position and salience."""
    rows = []
    for a in scenario.actors:
        row = {"actor": a.id, "name": a.name, "group": a.group or "", "capability": a.capability.mode}
        for i in scenario.issue_ids:
            row[f"{i}.position"] = a.positions[i].mode
            row[f"{i}.salience"] = a.salience[i].mode
        rows.append(row)
    return pd.DataFrame(rows)


def forecast_table(forecasts: Sequence[Forecast], title: str = "") -> Table:
    """A rich table: issue, model, forecast value, nearest labelled point, status quo, rounds."""
    table = Table(title=title or None, title_justify="left", header_style="bold")
    table.add_column("issue")
    table.add_column("model")
    table.add_column("forecast", justify="right")
    table.add_column("nearest labelled point")
    table.add_column("status quo", justify="right")
    table.add_column("rounds", justify="right")
    by_issue: dict[str, list] = {}
    for f in forecasts:
        for i in f.issues:
            by_issue.setdefault(i.issue, []).append((f, i))
    for issue, rows in by_issue.items():
        for n, (f, i) in enumerate(rows):
            point = "" if i.nearest_point is None else f"{i.nearest_point} ({i.nearest_point_value:g})"
            table.add_row(issue if n == 0 else "", f.model, f"{i.value:.1f}", point,
                          "" if i.status_quo is None else f"{i.status_quo:g}",
                          "" if i.rounds is None else str(i.rounds),
                          end_section=n == len(rows) - 1)
    return table


def outcome_lines(forecasts: Sequence[Forecast]) -> list[str]:
    """A line per model naming the closest named outcome."""
    return [f"{f.model}: closest named outcome {f.nearest_outcome} "
            f"(distance {f.nearest_outcome_distance:.1f} on 0-100 scales)"
            for f in forecasts if f.nearest_outcome is not None]


def scenario_table(scenario: Scenario) -> Table:
    """A rich table of actors × issues, each cell `position (salience)`."""
    table = Table(title=f"{scenario.title} — as of {scenario.date}", title_justify="left",
                  header_style="bold", caption="cell: position (salience)", caption_justify="left")
    table.add_column("actor")
    table.add_column("group")
    table.add_column("capability", justify="right")
    for issue in scenario.issues:
        table.add_column(f"{issue.id}\n[{issue.min:g}–{issue.max:g}]", justify="right")
    for a in scenario.actors:
        cells = [f"{a.positions[i].mode:g} ({a.salience[i].mode:g})" for i in scenario.issue_ids]
        table.add_row(a.id, a.group or "", f"{a.capability.mode:g}", *cells)
    return table


def to_markdown(frame: pd.DataFrame, floatfmt: str = ".1f") -> str:
    """A GitHub-flavoured Markdown table (no extra dependency)."""
    def cell(v) -> str:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return ""
        if isinstance(v, float):
            return format(v, floatfmt)
        return str(v).replace("|", "\\|")

    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "| " + " | ".join("---:" if pd.api.types.is_numeric_dtype(frame[c]) else "---"
                             for c in frame.columns) + " |"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def to_json(obj) -> str:
    return json.dumps(obj, indent=2, default=str)


def frame_table(frame: pd.DataFrame, title: str = "", floatfmt: str = ".3f") -> Table:
    """Any DataFrame as a rich table, numbers right-aligned."""
    table = Table(title=title or None, title_justify="left", header_style="bold")
    for c in frame.columns:
        table.add_column(str(c), justify="right" if pd.api.types.is_numeric_dtype(frame[c]) else "left",
                         overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*(("" if pd.isna(v) else format(v, floatfmt)) if isinstance(v, float)
                        else str(v) for v in row))
    return table
