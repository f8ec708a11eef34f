"""`--format csv` and `--format xlsx -o FILE` on the verbs that print tables."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

import standoff
from cli_process import standoff as run
from standoff.loading import case_names


def _csv(r) -> pd.DataFrame:
    assert r.returncode == 0, r.stderr
    return pd.read_csv(io.StringIO(r.stdout))


def test_forecast_csv_is_the_json_table():
    """The compromise forecast of the EC case is 500.3 / 67.7 (salience- and capability-weighted
    mean, as test_cli checks through JSON); the CSV row holds that value exactly."""
    r = run("forecast", "ec-emissions-1994", "-m", "compromise", "-f", "csv", "--no-record")
    frame = _csv(r)
    assert list(frame.columns[:3]) == ["issue", "title", "value"]
    assert frame["value"][0] == pytest.approx(500.3 / 67.7, rel=1e-12)
    j = json.loads(run("forecast", "ec-emissions-1994", "-m", "compromise", "-f", "json",
                       "--no-record").stdout)
    assert list(frame["value"]) == [i["value"] for i in j[0]["issues"]]  # exact: CSV keeps every digit


def test_forecast_xlsx_writes_a_sheet_per_table(tmp_path):
    """Two models on Korea: the forecast (2 models × 4 issues = 8 rows), the named-outcome odds,
    the eum rounds and the consent sets, in that order; the values are the CSV's to 16 digits."""
    path = tmp_path / "korea.xlsx"
    args = ("forecast", "korea-2018", "-m", "eum", "-m", "consent", "--no-record")
    r = run(*args, "-f", "xlsx", "-o", str(path))
    assert r.returncode == 0, r.stderr
    assert f"wrote {path}" in r.stderr and r.stdout == ""
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == ["forecast", "odds", "eum rounds", "consent"]
    rows = list(wb["forecast"].iter_rows(values_only=True))
    wb.close()
    csv = _csv(run(*args, "-f", "csv"))
    assert len(rows) == 1 + 8 == 1 + len(csv)
    assert list(rows[0]) == list(csv.columns)
    values = [row[list(csv.columns).index("value")] for row in rows[1:]]
    assert values == pytest.approx(list(csv["value"]), rel=1e-15)


def test_xlsx_without_output_is_one_line_with_the_fix():
    r = run("forecast", "korea-2018", "-f", "xlsx", "--no-record")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "--format xlsx" in r.stderr and "add -o FILE.xlsx" in r.stderr


def test_output_needs_a_spreadsheet_format(tmp_path):
    r = run("cases", "-o", str(tmp_path / "cases.txt"))
    assert r.returncode == 2 and "--output writes csv or xlsx" in r.stderr
    assert not (tmp_path / "cases.txt").exists()


def test_csv_to_a_file_and_other_verbs(tmp_path):
    """`cases` has a row per built-in case; `show` a row per actor with the scenario's columns;
    `dyads` nine rows for Belgium's nine partners (test_cli's count)."""
    out = tmp_path / "cases.csv"
    r = run("cases", "-f", "csv", "-o", str(out))
    assert r.returncode == 0 and r.stdout == ""
    cases = pd.read_csv(out)
    assert list(cases["case"]) == list(case_names())
    korea = standoff.load("korea-2018", as_of="last")  # the command line's default date
    show = _csv(run("show", "korea-2018", "-f", "csv"))
    assert list(show["actor"]) == [a.id for a in korea.actors]
    assert show["capability"].tolist() == [a.capability.mode for a in korea.actors]
    dyads = _csv(run("dyads", "ec-emissions-1994", "--actor", "belgium", "-f", "csv", "--no-record"))
    assert len(dyads) == 9 and "belgium" not in set(dyads["other"])


def test_runs_diff_csv_keeps_notes_off_stdout(tmp_path):
    """The 'only in run N' lines go to stderr so that stdout stays one CSV table."""
    db = str(tmp_path / "runs.db")
    assert run("winsets", "korea-2018", "--db", db).returncode == 0
    assert run("forecast", "korea-2018", "-m", "compromise", "--db", db).returncode == 0
    r = run("runs", "diff", "1", "2", "--db", db, "-f", "csv")
    frame = _csv(r)
    assert list(frame.columns) == ["what", "run 1", "run 2"]
    assert "only in run" in r.stderr and "only in run" not in r.stdout
