"""Tables as CSV and XLSX (standoff.report.spreadsheets): what is written reads back equal."""

from __future__ import annotations

import io
import math
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import standoff
from standoff import tasks
from standoff.report import spreadsheets as sp
from standoff.tasks.inputs import make_models


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "issue": ["a", "b", "=1+1", "x, \"quoted\"\nline"],
        "value": [0.1 + 0.2, 1e-17, -3.25, float("nan")],
        "n": [1, 2, 3, 4],
        "when": [datetime(2018, 5, 22), datetime(2018, 6, 12), datetime(2019, 2, 27), datetime(2019, 2, 28)],
    })


def _same(a: pd.DataFrame, b: pd.DataFrame, rel: float = 0.0) -> None:
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for col in a.columns:
        for x, y in zip(a[col], b[col], strict=True):
            if isinstance(x, float) and math.isnan(x):
                assert y is None or (isinstance(y, float) and math.isnan(y))
            elif isinstance(x, float | int):
                assert float(y) == pytest.approx(float(x), rel=rel, abs=0), (col, x, y)
            else:
                assert pd.Timestamp(y) == pd.Timestamp(x) if isinstance(x, datetime) else str(y) == str(x)


def test_csv_round_trip_is_exact():
    """0.1 + 0.2 = 0.30000000000000004 comes back as that float, not 0.3; the comma, quotes and line
    break in a text survive; NaN is an empty field."""
    frame = _frame()
    text = sp.to_csv(frame)
    assert text.splitlines()[0] == "issue,value,n,when"
    back = pd.read_csv(io.StringIO(text), parse_dates=["when"])
    _same(frame, back)
    assert back["value"][0] == 0.30000000000000004


def test_xlsx_round_trip_one_sheet_per_table():
    """Two tables give two sheets, in order, named after the tables; every value reads back equal,
    numbers to the 16 significant digits openpyxl writes (Excel itself shows 15): 0.1 + 0.2 comes
    back as 0.3, within 2e-16 relative."""
    frame = _frame()
    other = pd.DataFrame({"k": ["x"], "v": [2.5]})
    data = sp.to_xlsx({"first": frame, "second": other})
    back = sp.read_xlsx(data)
    assert list(back) == ["first", "second"]
    _same(frame, back["first"], rel=2e-16)
    _same(other, back["second"])
    assert back["first"]["value"][1] == 1e-17


def test_xlsx_text_is_never_a_formula():
    """A cell '=1+1' is the text '=1+1' in the file (data type 's'), not a formula that computes 2."""
    wb = load_workbook(io.BytesIO(sp.to_xlsx({"t": _frame()})))
    cell = wb["t"]["A4"]
    assert cell.value == "=1+1"
    assert cell.data_type == "s"


def test_sheet_names_are_valid_and_distinct():
    """Excel allows 31 characters and no []:*?/\\ ; a repeat gets ' (2)' within the 31."""
    names = sp.sheet_names(["a" * 40, "a" * 40, "x/y:z", ""])
    assert names == ["a" * 31, "a" * 27 + " (2)", "x_y_z", "table"]


def test_forecast_result_tables():
    """A forecast with the eum model (it has rounds) and consent (its consent sets) gives the main
    table (one row per model × issue: 2 models × 4 Korea issues = 8), the odds, the rounds and the
    consent sets; the main table is to_frame() and is what CSV prints."""
    s = standoff.load("korea-2018")
    names = ["eum", "consent"]
    result = tasks.forecast.run(s, make_models(names, {}), names=names)
    found = sp.result_tables(result)
    assert list(found)[0] == "forecast" and "eum rounds" in found and "consent" in found
    assert len(found["forecast"]) == 2 * len(s.issues)
    assert sp.to_csv(found) == result.to_frame().to_csv(index=False, lineterminator="\n")
    back = sp.read_xlsx(sp.to_xlsx(found))
    assert list(back) == list(found)
    for name, frame in found.items():
        assert back[name].shape == sp.flat(frame).shape


def test_cell_values():
    """Missing and infinite values, numpy scalars, aware datetimes (to UTC), lists as cells hold them."""
    assert sp.cell_value(np.float64("nan")) is None
    assert sp.cell_value(pd.NaT) is None
    assert sp.cell_value(np.int64(3)) == 3 and type(sp.cell_value(np.int64(3))) is int
    assert sp.cell_value(float("inf")) == "inf"
    assert sp.cell_value(pd.Timestamp("2018-05-22T12:00+02:00")) == datetime(2018, 5, 22, 10, 0)
    assert sp.cell_value([1, 2]) == "[1, 2]"
    assert sp.cell_value("a\x00b") == "ab"


def test_csv_needs_a_table():
    with pytest.raises(ValueError):
        sp.to_csv({})
