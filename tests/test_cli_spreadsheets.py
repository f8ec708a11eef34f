"""`--format csv` and `--format xlsx -o FILE` on the verbs that print tables."""

from __future__ import annotations

import io
import json
from pathlib import Path

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


# --- scenario files: workbooks, KTAB XML, new, convert -------------------------------------------

EXAMPLE = Path(__file__).parent / "data" / "river-basin.xlsx"


def test_validate_and_forecast_a_workbook():
    """The example workbook validates and forecasts (compromise on water-share: 361000 / 10300,
    worked out in tests/scenario/test_workbooks.py)."""
    r = run("validate", str(EXAMPLE))
    assert r.returncode == 0 and "4 actors, 2 issues, 2 groups" in r.stdout
    frame = _csv(run("forecast", str(EXAMPLE), "-m", "compromise", "-f", "csv", "--no-record"))
    assert frame["value"][0] == pytest.approx(361000 / 10300, rel=1e-12)


def test_bad_workbook_and_xml_are_one_line_with_status_2(tmp_path):
    """A text in a capability cell, a missing column, and the 'billion laughs' XML: one line each
    naming the file, the cell or the construct, and the fix; exit status 2."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "actors"
    for row in (["actor", "capability", "a:position"], ["x", "lots", 2]):
        ws.append(row)
    issues = wb.create_sheet("issues")
    for row in (["id", "title", "min", "max"], ["a", "A", 0, 100]):
        issues.append(row)
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    r = run("forecast", str(path), "--no-record")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert f"{path}: actors!1:1 (header): missing column 'a:salience'" in r.stderr
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                     b"<Scenario><name>&b;</name></Scenario>")
    r = run("validate", str(bomb))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{bomb}: XML uses a forbidden construct" in r.stderr and "remove entity declarations" in r.stderr


def test_ktab_xml_forecasts_as_its_csv(reference_data):
    xml = run("forecast", str(reference_data / "ktab-dummy-3dim.xml"), "-m", "compromise", "-f", "json",
              "--no-record")
    csv = run("forecast", str(reference_data / "ktab-dummy-3dim.csv"), "-m", "compromise", "-f", "json",
              "--no-record")
    assert xml.returncode == 0, xml.stderr
    assert json.loads(xml.stdout) == json.loads(csv.stdout)


def test_new_writes_a_template_that_validates(tmp_path):
    r = run("new", "border-talks", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert run("validate", str(tmp_path / "border-talks.yaml")).returncode == 0
    again = run("new", "border-talks", cwd=tmp_path)
    assert again.returncode == 2 and "exists" in again.stderr and "--force" in again.stderr
    bad = run("new", "Border Talks", cwd=tmp_path)
    assert bad.returncode == 2 and "standoff new border-talks" in bad.stderr


def test_convert_yaml_to_workbook_and_back(tmp_path):
    """The Korea case as a workbook forecasts as the YAML at its baseline (the compromise model
    reads only the point values the workbook keeps); convert says what it left out."""
    book = tmp_path / "korea.xlsx"
    r = run("convert", "korea-2018", str(book))
    assert r.returncode == 0, r.stderr
    assert "left out: 31 events" in r.stderr
    yaml_again = tmp_path / "korea.yaml"
    assert run("convert", str(book), str(yaml_again)).returncode == 0
    a = json.loads(run("forecast", "korea-2018", "--as-of", "baseline", "-m", "compromise", "-f", "json",
                       "--bands", "none", "--no-record").stdout)
    b = json.loads(run("forecast", str(yaml_again), "-m", "compromise", "-f", "json", "--bands", "none",
                       "--no-record").stdout)
    assert [i["value"] for i in a[0]["issues"]] == [i["value"] for i in b[0]["issues"]]
    r = run("convert", "korea-2018", str(tmp_path / "k.csv"))
    assert r.returncode == 2 and "--to ktab" in r.stderr
