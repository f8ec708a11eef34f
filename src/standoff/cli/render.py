"""The one renderer: `render(result, fmt)` prints a task's result as JSON, Markdown or a table.

JSON is the result's own (`result.to_json()`); Markdown and tables come from the view registered
for the result's class with `@view("ClassName")` in the verb's module (by name, so that the task
modules load only when a verb runs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from standoff import lazy
from standoff.cli.shell import SHEETS, Format, collect_tables, err, out, record_now
from standoff.report import spreadsheets, tables
from standoff.tasks import Result

pd = lazy.load("pandas")

View = Callable[[Any, Format], None]
_VIEWS: dict[str, View] = {}


def view(name: str) -> Callable[[View], View]:
    """Register `func(result, fmt)` as the table and Markdown view of results of class `name`."""

    def register(func: View) -> View:
        _VIEWS[name] = func
        return func

    return register


def render(result: Result, fmt: Format, json_print: Callable[[str], None] = print) -> None:
    """Print `result` in `fmt`: JSON through `json_print`, csv and xlsx as its tables
    (`standoff.report.spreadsheets`, written when the verb returns), the other formats through its
    view. In a `@recorded` verb the result is written to the run store first (before any printing)."""
    record_now(result)
    if fmt in SHEETS:
        collect_tables(spreadsheets.result_tables(result))
        return
    if fmt is Format.json:
        json_print(result.to_json())
        return
    _VIEWS[type(result).__name__](result, fmt)


def print_frame(frame: pd.DataFrame, fmt: Format, title: str, floatfmt: str = ".3f") -> None:
    """A frame as JSON records, a Markdown table under a bold title, a rich table, or a table of the
    spreadsheet (csv, xlsx) named by its title."""
    if fmt in SHEETS:
        collect_tables({title: frame})
    elif fmt is Format.json:
        print(frame.to_json(orient="records", date_format="iso", indent=2))
    elif fmt is Format.markdown:
        print(f"**{title}**\n")
        print(tables.to_markdown(frame, floatfmt=floatfmt))
    else:
        out.print(tables.frame_table(frame, title=title, floatfmt=floatfmt))


def print_report(report, fmt: Format) -> None:
    """An event file's reading report on stderr (tables only)."""
    if fmt is Format.table:
        for n, line in enumerate(report.lines()):
            err.print(line if n else f"[bold]{line}[/bold]", highlight=False)


def dim(lines: list[str]) -> None:
    for line in lines:
        out.print(f"[dim]{line}[/dim]")
