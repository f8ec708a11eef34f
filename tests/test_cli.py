"""The command line as a user meets it: output, formats, and one-line errors with exit status 2."""

import json

import pytest

from cli_process import standoff


def test_cases_lists_the_builtin_cases():
    r = standoff("cases")
    assert r.returncode == 0
    assert "ec-emissions-1994" in r.stdout


def test_forecast_json_matches_the_python_api():
    r = standoff("forecast", "ec-emissions-1994", "--model", "compromise", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data[0]["model"] == "compromise"
    assert data[0]["issues"][0]["value"] == pytest.approx(500.3 / 67.7)


def test_forecast_table_and_markdown(tmp_path, toy_yaml):
    path = tmp_path / "toy.yaml"
    path.write_text(toy_yaml)
    table = standoff("forecast", str(path), "-m", "median")
    assert table.returncode == 0, table.stderr
    assert "as of 2018-03-01" in table.stdout  # default: as of the last event
    assert "half (50)" in table.stdout
    md = standoff("forecast", str(path), "--as-of", "baseline", "-f", "markdown")
    assert "| a | compromise |" in md.stdout and "as of 2018-01-01" in md.stdout


def test_show_prints_positions_and_saliences(tmp_path, toy_yaml):
    path = tmp_path / "toy.yaml"
    path.write_text(toy_yaml)
    r = standoff("show", str(path), "--as-of", "2018-02-01")
    assert r.returncode == 0
    assert "40 (50)" in r.stdout  # x on issue a after the first event


def test_validate_reports_every_problem(tmp_path, toy_yaml):
    path = tmp_path / "bad.yaml"
    path.write_text(toy_yaml.replace("positions: {a: 90, b: 5}", "positions: {a: 190, b: -5}")
                    .replace("capability: 20", "capability: -20"))
    r = standoff("validate", str(path))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert r.stderr.count("bad.yaml:") == 3
    assert "3 problems" in r.stderr
    ok = tmp_path / "ok.yaml"
    ok.write_text(toy_yaml)
    r = standoff("validate", str(ok))
    assert r.returncode == 0 and "ok" in r.stdout


@pytest.mark.parametrize("args, message", [
    (("forecast", "no-such-case"), "no built-in case or file named 'no-such-case'"),
    (("forecast", "ec-emissions-1994", "-m", "nope"), "unknown model 'nope'"),
    (("forecast", "ec-emissions-1994", "-p", "rounds"), "is not KEY=VALUE"),
    (("forecast", "ec-emissions-1994", "-m", "median", "-p", "rounds=3"), "no chosen model takes"),
    (("forecast", "ec-emissions-1994", "--as-of", "May 22"), "is not a date"),
])
def test_user_errors_are_one_line_with_status_2(args, message):
    r = standoff(*args)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2


def test_bad_file_error_names_file_and_line(tmp_path, toy_yaml):
    path = tmp_path / "bad.yaml"
    path.write_text(toy_yaml.replace("positions: {a: 90, b: 5}", "positions: {a: 190, b: 5}"))
    r = standoff("forecast", str(path))
    assert r.returncode == 2
    assert f"{path}:36: actors[2].positions.a" in r.stderr.replace("\n", "")


def test_debug_shows_the_traceback():
    r = standoff("--debug", "forecast", "no-such-case")
    assert r.returncode != 0 and "Traceback" in r.stderr


def test_forecast_eum_rounds_prints_the_trajectory():
    """--rounds is the short form of --param rounds=N; the table shows round 0..N: the median
    and mean of the EC case under the scholz2011 preset (8.43 after round 1, 7.46 mean)."""
    r = standoff("forecast", "ec-emissions-1994", "--model", "eum", "--rounds", "3",
                 "--param", "preset=scholz2011")
    assert r.returncode == 0, r.stderr
    assert "round by round" in r.stdout
    lines = [ln for ln in r.stdout.splitlines() if ln.strip().startswith("│")]
    assert any("8.43" in ln and "7.46" in ln for ln in lines)
    j = standoff("forecast", "ec-emissions-1994", "-m", "eum", "--param", "rounds=3",
                 "--param", "preset=scholz2011", "-f", "json")
    data = json.loads(j.stdout)[0]
    assert len(data["issues"][0]["trajectory"]) == 4
    assert data["issues"][0]["trajectory"][1] == pytest.approx(8.4272, abs=1e-3)


def test_rounds_for_a_model_without_rounds_is_an_error():
    r = standoff("forecast", "ec-emissions-1994", "-m", "median", "--rounds", "3")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "no chosen model has rounds" in r.stderr


def test_dyads_verb():
    """Belgium's dyads, round 1, scholz2011: nine rows; Belgium gives way to France by compromise
    and Luxembourg to Belgium after a conflict (both accepted)."""
    r = standoff("dyads", "ec-emissions-1994", "--actor", "belgium", "--param", "preset=scholz2011",
                 "-f", "json")
    assert r.returncode == 0, r.stderr
    rows = {d["other"]: d for d in json.loads(r.stdout)["dyads"]}
    assert len(rows) == 9
    assert rows["france"]["interaction"] == "compromise (belgium yields)" and rows["france"]["accepted"]
    assert rows["luxembourg"]["interaction"].startswith("conflict") and rows["luxembourg"]["accepted"]
    md = standoff("dyads", "ec-emissions-1994", "--actor", "france", "-f", "markdown")
    assert md.returncode == 0 and "| belgium |" in md.stdout
    table = standoff("dyads", "ec-emissions-1994", "--actor", "france", "--issue", "emissions-date")
    assert table.returncode == 0 and "E^i(U_ij)" in table.stdout
    bad = standoff("dyads", "ec-emissions-1994", "--actor", "atlantis")
    assert bad.returncode == 2 and "unknown actor 'atlantis'" in bad.stderr
    assert "Traceback" not in bad.stderr
