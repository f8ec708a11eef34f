"""`standoff runs ...` and the recording of the verbs, as a user meets them. Every test records to
the throwaway STANDOFF_DB of the autouse `run_store` fixture (tests/conftest.py)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli_process import standoff
from standoff.cli import app
from standoff.store import RunStore

runner = CliRunner()


def cli(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, (result.output, result.exception)
    return result




@pytest.fixture
def toy_file(tmp_path, toy_yaml):
    path = tmp_path / "toy.yaml"
    path.write_text(toy_yaml)
    return str(path)


def test_forecast_records_its_run_with_the_printed_results(toy_file, run_store):
    printed = json.loads(cli("forecast", toy_file, "-m", "compromise", "-m", "median", "-f", "json").stdout)
    [summary] = RunStore(str(run_store)).runs()
    assert (summary.kind, summary.case, summary.model) == ("forecast", toy_file, "compromise,median")
    shown = json.loads(cli("runs", "show", str(summary.id), "-f", "json").stdout)
    assert shown["results"]["forecasts"] == printed
    assert shown["params"] == {"compromise": {}, "median": {}}
    assert shown["as_of"] == "2018-03-01"  # the default: as of the last event


def test_no_record_records_nothing_and_db_chooses_the_store(toy_file, run_store, tmp_path):
    cli("forecast", toy_file, "-m", "median", "--no-record")
    assert not run_store.exists() or RunStore(str(run_store)).runs() == []
    other = tmp_path / "other.sqlite"
    cli("forecast", toy_file, "-m", "median", "--db", str(other))
    assert len(RunStore(str(other)).runs()) == 1
    assert RunStore(str(run_store)).runs() == []


def test_runs_list_in_three_formats(toy_file):
    cli("forecast", toy_file, "-m", "median")
    cli("forecast", toy_file, "-m", "compromise", "--as-of", "baseline")
    listed = json.loads(cli("runs", "list", "-f", "json").stdout)
    assert [r["model"] for r in listed] == ["compromise", "median"]  # newest first
    assert [r["as_of"] for r in listed] == ["2018-01-01", "2018-03-01"]
    assert len(json.loads(cli("runs", "list", "-n", "1", "-f", "json").stdout)) == 1
    markdown = cli("runs", "list", "-f", "markdown").stdout
    assert "| id | time (UTC) | kind |" in markdown and "| compromise |" in markdown
    table = cli("runs", "list", "--kind", "forecast").stdout
    assert "median" in table and "compromise" in table


def test_runs_diff_shows_the_changed_parameter_and_forecasts(toy_file):
    """eum with q=1 vs q=0.5 on the same scenario: the only differing input is eum.q; each issue's
    difference is the second forecast minus the first, as printed by `forecast`."""
    one = json.loads(cli("forecast", toy_file, "-m", "eum", "-p", "q=1", "-f", "json").stdout)[0]
    two = json.loads(cli("forecast", toy_file, "-m", "eum", "-p", "q=0.5", "-f", "json").stdout)[0]
    diff = json.loads(cli("runs", "diff", "1", "2", "-f", "json").stdout)
    assert diff["inputs"] == {} and diff["params"] == {"eum.q": {"a": 1.0, "b": 0.5}}
    for row, f1, f2 in zip(diff["issues"], one["issues"], two["issues"], strict=True):
        assert row["issue"] == f1["issue"]
        assert row["difference"] == pytest.approx(f2["value"] - f1["value"])
    assert "eum.q" in cli("runs", "diff", "1", "2").stdout
    assert "| param eum.q | 1 | 0.5 |" in cli("runs", "diff", "1", "2", "-f", "markdown").stdout


def test_export_to_a_file_and_import_gives_the_same_run(toy_file, tmp_path):
    cli("forecast", toy_file, "-m", "compromise")
    out = tmp_path / "run.json"
    cli("runs", "export", "1", "-o", str(out))
    exported = json.loads(out.read_text())
    assert exported["format"] == "standoff-run" and exported["id"] == 1
    assert json.loads(cli("runs", "export", "1").stdout) == exported
    assert cli("runs", "import", str(out)).stdout.strip() == "2"
    again = json.loads(cli("runs", "export", "2").stdout)
    assert {k: v for k, v in again.items() if k != "id"} == {k: v for k, v in exported.items() if k != "id"}
    assert "Forecast values" in cli("runs", "show", "2").stdout


@pytest.mark.parametrize("args, kind, seed", [
    (["compare", "-w", "without z", "-m", "compromise"], "compare", None),
    (["sensitivity", "-m", "compromise", "-n", "64", "--sobol", "0", "--workers", "1", "--seed", "7"],
     "sensitivity", 7),
])
def test_analysis_verbs_record_their_kind_and_seed(toy_file, args, kind, seed):
    cli(*args[:1], toy_file, *args[1:], "-f", "json")
    [run] = json.loads(cli("runs", "list", "-f", "json").stdout)
    assert (run["kind"], run["seed"], run["model"]) == (kind, seed, "compromise")


def test_a_missing_run_and_a_bad_store_are_one_line_errors(tmp_path, toy_file):
    r = standoff("runs", "show", "42")
    assert r.returncode == 2 and "run 42" in r.stderr and "standoff runs list" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    bad = tmp_path / "notes.txt"
    bad.write_text("my notes, not a database\n")
    for args in (["runs", "list", "--db", str(bad)], ["forecast", toy_file, "--db", str(bad)]):
        r = standoff(*args)
        assert r.returncode == 2 and str(bad) in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert r.stdout == ""  # the forecast is refused before any work or output
    assert bad.read_text() == "my notes, not a database\n"
