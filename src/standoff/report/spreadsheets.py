"""Tables as spreadsheets: a result's tables as CSV text or as an XLSX workbook, one sheet a table.

The command line (`--format csv`, `--format xlsx -o FILE`) and the web page's exports both write
through here, so the two give the same files:

    >>> from standoff.report import spreadsheets
    >>> tables = spreadsheets.result_tables(result)     # {"forecast": DataFrame, ...}, main first
    >>> spreadsheets.to_csv(tables)                      # the main table as CSV text
    >>> spreadsheets.to_xlsx(tables)                     # bytes of an .xlsx file, a sheet per table

Values are written as they are: numbers at full precision in CSV (a float read back is the same
float) and to 16 significant digits in XLSX (what openpyxl writes; Excel shows 15),
dates as dates, missing values (NaN, None) as empty cells, lists and mappings as JSON text. Text is
always written as text: a cell that starts with `=` is never a formula in the workbook.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from standoff.models.consent import summary_rows
from standoff.report import dynamics as dyn
from standoff.report import tables as report_tables

MIME_CSV = "text/csv; charset=utf-8"
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31  # Excel's limit


Tables = Callable[[Any], dict[str, pd.DataFrame]]
_TABLES: dict[str, Tables] = {}


def tables_of(name: str) -> Callable[[Tables], Tables]:
    """Register `func(result) -> {name: DataFrame}` as the tables of results of class `name` (by
    name, so that no task module loads before its verb runs)."""

    def register(func: Tables) -> Tables:
        _TABLES[name] = func
        return func

    return register


def result_tables(result: Any) -> dict[str, pd.DataFrame]:
    """Every table a task's result shows, by name, the main one (`to_frame()`) first; empty tables
    are left out. A result class without registered tables has one: `{result.kind: to_frame()}`."""
    func = _TABLES.get(type(result).__name__)
    found = func(result) if func else {getattr(result, "kind", "table"): result.to_frame()}
    main = next(iter(found))
    return {k: v for k, v in found.items() if k == main or (v is not None and len(v))}


@tables_of("ForecastResult")
def _forecast(result) -> dict[str, pd.DataFrame]:
    found = {"forecast": result.to_frame(), "odds": report_tables.odds_frame(result.forecasts)}
    for f in result.forecasts:
        if any(i.trajectory is not None for i in f.issues):
            found[f"{f.model} rounds"] = report_tables.rounds_frame(f)
        if f.model == "consent":
            found["consent"] = pd.DataFrame(summary_rows(f))
    return found


@tables_of("SensitivityResult")
def _sensitivity(result) -> dict[str, pd.DataFrame]:
    return {"monte carlo": result.to_frame(), "tornado": pd.DataFrame(result.tornado),
            "sobol": pd.DataFrame(result.sobol_rows)}


@tables_of("CompareResult")
def _compare(result) -> dict[str, pd.DataFrame]:
    return {"compare": result.to_frame(), "monte carlo": pd.DataFrame(result.monte_carlo)}


@tables_of("TimelineResult")
def _timeline(result) -> dict[str, pd.DataFrame]:
    return {"timeline": result.wide()}


@tables_of("DynamicsResult")
def _dynamics(result) -> dict[str, pd.DataFrame]:
    report = result.report
    return {"shifting power": dyn.power_frame(report), "restraint": dyn.commitment_frame(report),
            "deadline": dyn.deadline_frame(report)}


@tables_of("CrisisResult")
def _crisis(result) -> dict[str, pd.DataFrame]:
    found = {"crisis": result.to_frame()}
    for k, f in enumerate(result.signals):
        found[f"provocations {k + 1}"] = f
    if result.dynamics is not None:
        found.update(_dynamics(result.dynamics))
    return found


@tables_of("BacktestResult")
def _backtest(result) -> dict[str, pd.DataFrame]:
    return {"leaderboard": result.shown, "bootstrap": result.bootstrap}


@tables_of("BeliefsResult")
def _beliefs(result) -> dict[str, pd.DataFrame]:
    return {"beliefs": result.to_frame(), **{p.title: p.frame for p in result.paths}}


@tables_of("ShowResult")
def _show(result) -> dict[str, pd.DataFrame]:
    s = result.scenario
    issues = pd.DataFrame([{"id": i.id, "title": i.title, "min": i.min, "max": i.max,
                            "status_quo": i.status_quo.mode if i.status_quo else None} for i in s.issues])
    return {"actors": result.to_frame(), "issues": issues}


def flat(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with a meaningful index moved into columns and column labels as plain strings
    (a MultiIndex joined with spaces)."""
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    columns = [" ".join(str(p) for p in c if str(p) != "") if isinstance(c, tuple) else str(c)
               for c in frame.columns]
    if columns != list(frame.columns):
        frame = frame.set_axis(columns, axis=1)
    return frame


def to_csv(tables: Mapping[str, pd.DataFrame] | pd.DataFrame, name: str | None = None) -> str:
    """One table as CSV text (header row, comma-separated, `\\n` line ends, no index column):
    `tables[name]`, or the first table (the main one) when `name` is None; a DataFrame as it is."""
    if isinstance(tables, pd.DataFrame):
        frame = tables
    else:
        if not tables:
            raise ValueError("no table to write")
        frame = tables[name] if name is not None else next(iter(tables.values()))
    return flat(frame).to_csv(index=False, lineterminator="\n")


def sheet_names(names: list[str]) -> list[str]:
    """Valid, distinct sheet names for `names`: no `[]:*?/\\`, at most 31 characters, a number
    added to repeats (`forecast`, `forecast (2)`)."""
    used: set[str] = set()
    result = []
    for raw in names:
        base = _SHEET_BAD.sub("_", str(raw)).strip("'").strip() or "table"
        name, n = base[:SHEET_NAME_MAX], 1
        while name.lower() in used:
            n += 1
            suffix = f" ({n})"
            name = base[:SHEET_NAME_MAX - len(suffix)] + suffix
        used.add(name.lower())
        result.append(name)
    return result


def cell_value(value: Any) -> Any:
    """A value as openpyxl writes it: None for missing, Python numbers, naive datetimes, text."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None) - (value.utcoffset() or pd.Timedelta(0))
    if isinstance(value, bool | int | float | datetime | date):
        if isinstance(value, float) and math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=str)
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def to_xlsx(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """The bytes of an .xlsx workbook with one sheet per table, in order, named after the tables
    (`sheet_names`); each sheet a bold header row and a row per record."""
    wb = Workbook(write_only=True)
    for sheet, frame in zip(sheet_names(list(tables)), tables.values(), strict=True):
        ws = wb.create_sheet(sheet)
        frame = flat(frame)
        ws.append([_text(ws, c, bold=True) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            ws.append([_cell(ws, v) for v in row])
    if not tables:
        wb.create_sheet("empty")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell(ws, value: Any) -> Any:
    value = cell_value(value)
    return _text(ws, value) if isinstance(value, str) else value


def _text(ws, value: str, bold: bool = False) -> WriteOnlyCell:
    """A text cell that stays text (openpyxl reads a leading `=` as a formula)."""
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def read_xlsx(data: bytes) -> dict[str, pd.DataFrame]:
    """A workbook written by `to_xlsx` read back: sheet name → DataFrame (first row the header,
    empty cells NaN). For trusted files (tests, the round trip); scenario files are read by
    `standoff.scenario.formats.xlsx`, which checks sizes first."""
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        found = {}
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            header = [str(c) for c in rows[0]] if rows else []
            found[ws.title] = pd.DataFrame([list(r) for r in rows[1:]], columns=header)
        return found
    finally:
        wb.close()


__all__ = ["MIME_CSV", "MIME_XLSX", "cell_value", "flat", "read_xlsx", "result_tables", "sheet_names",
           "to_csv", "to_xlsx"]
