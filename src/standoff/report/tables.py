"""Tables of forecasts and scenarios for people: rich for the terminal, Markdown, JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.table import Table

from standoff import lazy
from standoff.models.forecast import Forecast
from standoff.scenario import Scenario

pd = lazy.load("pandas")


def forecasts_frame(forecasts: Sequence[Forecast]) -> pd.DataFrame:
    """One row per model × issue."""
    return pd.concat([f.to_frame() for f in forecasts], ignore_index=True)


def forecast_table(forecasts: Sequence[Forecast], title: str = "") -> Table:
    """A rich table: issue, model, forecast value, nearest labelled point, status quo, rounds."""
    table = Table(title=title or None, title_justify="left", header_style="bold")
    table.add_column("issue")
    table.add_column("model")
    table.add_column("forecast", justify="right")
    banded = any(i.band80 is not None or i.band95 is not None for f in forecasts for i in f.issues)
    if banded:
        table.add_column("80% band", justify="right")
        table.add_column("95% band", justify="right")
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
            bands = [band_text(i.band80), band_text(i.band95)] if banded else []
            table.add_row(issue if n == 0 else "", f.model, f"{i.value:.1f}", *bands, point,
                          "" if i.status_quo is None else f"{i.status_quo:g}",
                          "" if i.rounds is None else str(i.rounds),
                          end_section=n == len(rows) - 1)
    return table


def outcome_lines(forecasts: Sequence[Forecast]) -> list[str]:
    """A line per model naming the closest named outcome."""
    return [f"{f.model}: closest named outcome {f.nearest_outcome} "
            f"(distance {f.nearest_outcome_distance:.1f} on 0-100 scales)"
            for f in forecasts if f.nearest_outcome is not None]


def band_text(band: tuple[float, float] | None) -> str:
    """'lo–hi' of a band, '' without one."""
    return "" if band is None else f"{band[0]:.1f}–{band[1]:.1f}"


def calibration_lines(forecasts: Sequence[Forecast]) -> list[str]:
    """A line per model: where its bands come from (set, size, fallback and other notes)."""
    lines = []
    for f in forecasts:
        c = f.calibration
        if c:
            notes = "; ".join(c.get("notes") or [])
            lines.append(f"{f.model}: bands from out-of-sample errors on {c['name']} "
                         f"(set {c['set']}, n = {c['n']})" + (f"; {notes}" if notes else ""))
    return lines


def odds_frame(forecasts: Sequence[Forecast]) -> pd.DataFrame:
    """Named outcomes × models: the probability of each (Forecast.odds), with P(no deal)."""
    shown = [f for f in forecasts if f.odds]
    if not shown:
        return pd.DataFrame()
    frame = pd.DataFrame({f.model: f.odds for f in shown})
    extra = pd.DataFrame({f.model: {"P(no deal)": (f.odds_detail or {}).get("p_no_deal", 0.0)}
                          for f in shown})
    return pd.concat([frame, extra]).rename_axis("outcome").reset_index()


def odds_lines(forecasts: Sequence[Forecast]) -> list[str]:
    """How the odds were made: P(no deal) source and the predictive distribution's assumption."""
    shown = [f for f in forecasts if f.odds]
    if not shown:
        return []
    d = shown[0].odds_detail or {}
    lines = [f"{f.model}: {(f.odds_detail or {}).get('p_no_deal_source', '')}" for f in shown]
    return lines + [f"odds: P(o) = P(no deal)·P(o | crisis game) + (1 − P(no deal))·P(forecast "
                    f"lands in o's region); 'other' beyond {d.get('radius', 0):g} points of every "
                    f"named deal; {d.get('assumption', '')} ({d.get('draws')} draws, seed "
                    f"{d.get('seed')})"]


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
        return " ".join(str(v).split()).replace("|", "\\|")

    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "| " + " | ".join("---:" if pd.api.types.is_numeric_dtype(frame[c]) else "---"
                             for c in frame.columns) + " |"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def to_json(obj) -> str:
    return json.dumps(obj, indent=2, default=str)


def rounds_frame(forecast: Forecast) -> pd.DataFrame:
    """One row per round (0 = the start): per issue the model's forecast after that round (for the
    expected utility model, the median) and, where the model reports it, the weighted mean."""
    means = forecast.detail.get("mean")
    columns: dict[str, list[float]] = {}
    for k, f in enumerate(forecast.issues):
        if f.trajectory is None:
            continue
        columns[f"{f.issue}"] = list(f.trajectory)
        if means is not None:
            columns[f"{f.issue} mean"] = [float(v) for v in means[k]]
    if not columns:
        return pd.DataFrame()
    frame = pd.DataFrame(columns)
    frame.insert(0, "round", range(len(frame)))
    return frame


def rounds_table(forecast: Forecast, title: str = "") -> Table:
    """A rich table of the round-by-round trajectory: round, then per issue forecast (and mean)."""
    frame = rounds_frame(forecast)
    table = Table(title=title or None, title_justify="left", header_style="bold")
    for col in frame.columns:
        table.add_column(str(col), justify="right")
    for row in frame.itertuples(index=False):
        table.add_row(str(row[0]), *[f"{v:.2f}" for v in row[1:]])
    return table


def dyads_table(frame: pd.DataFrame, title: str = "") -> Table:
    """A rich table of one actor's dyads: the other actor, positions, expected utilities both
    ways (negative in red), the interaction and whether the offer was taken."""
    table = Table(title=title or None, title_justify="left", header_style="bold")
    numeric = {"position", "E^i(U_ij)", "E^j(U_ji)"}
    for col in frame.columns:
        table.add_column(str(col), justify="right" if col in numeric else "left")
    for row in frame.itertuples(index=False):
        cells = []
        for col, v in zip(frame.columns, row, strict=True):
            if col in ("E^i(U_ij)", "E^j(U_ji)"):
                cells.append(f"[red]{v:+.3f}[/red]" if v < 0 else f"{v:+.3f}")
            elif isinstance(v, float):
                cells.append(f"{v:.2f}")
            else:
                cells.append(str(v))
        table.add_row(*cells)
    return table


def crisis_table(result) -> Table:
    """The interaction game's outcomes: named outcome, payoffs, QRE and subgame-perfect odds."""
    a, b = result.dyad.a, result.dyad.b
    table = Table(title=f"{result.scenario.title} — {a.name} (A) and {b.name} (B), as of "
                        f"{result.scenario.date}; agent logit QRE at λ = {result.lam:g}",
                  title_justify="left", header_style="bold",
                  caption="named: the scenario's crisis outcome it counts as", caption_justify="left")
    for col in ("outcome", "named", f"payoff {a.id}", f"payoff {b.id}", "QRE", "SPE"):
        table.add_column(col, justify="left" if col in ("outcome", "named") else "right")
    frame = result.outcomes
    for r in frame.itertuples(index=False):
        spe = "[bold]1[/bold]" if r.spe > 0.5 else ""
        table.add_row(r.description, r.named_outcome, f"{r[3]:.3f}", f"{r[4]:.3f}", f"{r.qre:.3f}", spe)
    return table


def provocation_table(frame: pd.DataFrame) -> Table:
    """Provocations read through the signalling game: the receiver's belief before and after."""
    table = Table(title=f"Provocations by {frame['sender'].iloc[0]} as costly signals",
                  title_justify="left", header_style="bold",
                  caption="belief: the receiver's probability that the sender is resolved",
                  caption_justify="left")
    for col in ("date", "actor", "cameo", "event", "belief before", "equilibrium", "belief after",
                "reply"):
        table.add_column(col, justify="right" if col.startswith("belief") else "left")
    for r in frame.itertuples(index=False):
        table.add_row(str(r.date), r.actor, r.cameo, r.description[:50], f"{r.belief_before:.2f}",
                      r.equilibrium, f"{r.belief_after:.2f}", r.receiver_reply)
    return table


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
