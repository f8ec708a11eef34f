"""`standoff backtest` as a user meets it: formats, the report, DEU III halves, one-line errors."""

from __future__ import annotations

import json
import os

import pytest

from cli_process import standoff


def test_json_leaderboard_of_the_toy(toy_recorded_path):
    """Compromise MAE 4.808 as computed by hand in test_harness. The weighted median (weights
    c·s as there): on a, x 40 (5), y 50 (20), z 90 (1): 50, error 10; on b, 2 (10), 5 (1),
    8 (10) of total 21: the cumulative weight passes 10.5 at 5, error 0. MAE 5."""
    r = standoff("backtest", str(toy_recorded_path), "-m", "compromise,median", "-f", "json")
    assert r.returncode == 0, r.stderr
    board = {row["model"]: row for row in json.loads(r.stdout)["leaderboard"]}
    assert board["compromise"]["MAE"] == pytest.approx((1290 / 26 - 40) / 2)
    assert board["median"]["MAE"] == pytest.approx(5.0)
    assert board["compromise"]["cover 80%"] is None  # no draws: null, not NaN
    # the run store holds the same leaderboard
    from standoff.store import RunStore

    [run] = RunStore(os.environ["STANDOFF_DB"]).runs(kind="backtest")
    assert run.model == "compromise,median"
    results = RunStore(os.environ["STANDOFF_DB"]).get(run.id).results
    stored = {row["model"]: row for row in results["leaderboard"]}
    assert stored["compromise"]["MAE"] == pytest.approx(board["compromise"]["MAE"])


def test_report_writes_markdown_and_plots(toy_recorded_path, tmp_path):
    out = tmp_path / "report"
    r = standoff("backtest", str(toy_recorded_path), "-m", "compromise", "-m", "median",
                 "--report", str(out), "-f", "markdown")
    assert r.returncode == 0, r.stderr
    text = (out / "backtest.md").read_text()
    assert "## Leaderboard" in text and "predicted-vs-actual.png" in text
    assert "## What drives the compromise forecasts" in text and "rests mostly on" in text
    for png in ("predicted-vs-actual.png", "error-by-model.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| compromise |" in r.stdout


def test_deu_file_scores_the_evaluation_half(reference_data):
    r = standoff("backtest", str(reference_data / "deu3-train.csv"), "-m", "compromise,nash",
                 "-f", "markdown")
    assert r.returncode == 0, r.stderr
    assert "39 proposals in the fitting half, 40 in the evaluation half; scored: eval" in r.stdout
    assert "| nash | 38 | 105 |" in r.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("backtest", "no-such-case"), "no built-in case or file named 'no-such-case'"),
    (("backtest", "ec-emissions-1994", "-m", "nope"), "unknown model 'nope'"),
    (("backtest", "ec-emissions-1994", "-p", "rounds=3", "-m", "median"), "no chosen model takes"),
    (("backtest",), "no cases to backtest"),
])
def test_user_errors_are_one_line_with_status_2(args, message):
    r = standoff(*args)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2


def test_a_scenario_without_records_is_a_user_error(tmp_path, toy_yaml):
    path = tmp_path / "toy.yaml"
    path.write_text(toy_yaml)
    r = standoff("backtest", str(path))
    assert r.returncode == 2 and "has no recorded outcomes" in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2
