"""The analysis verbs as a user meets them: sensitivity, compare, levers; errors exit 2 in a line."""

import json
import sys

import pytest

from cli_process import standoff


def test_sensitivity_json_is_reproducible(tmp_path, toy_yaml):
    path = tmp_path / "toy.yaml"
    path.write_text(toy_yaml)
    args = ("sensitivity", str(path), "--as-of", "baseline", "--draws", "3000", "--sobol", "64",
            "--workers", "1", "-f", "json")
    r = standoff(*args)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["draws"] == 3000 and data["seed"] == 42 and data["uncertain_inputs"] == ["y.a.position"]
    a = data["issues"][0]
    assert 1230 / 27 <= a["p95"][0] <= a["median"] <= a["p95"][1] <= 1630 / 27
    assert data["tornado"][0]["swing"] == pytest.approx(400 / 27)
    assert data["sobol"]["indices"][0]["factor"] == "y.a.position"
    again = standoff(*args[:-4], "--workers", "2", "-f", "json")  # a process pool: same numbers
    assert json.loads(again.stdout)["issues"] == data["issues"]


def test_sensitivity_table_and_markdown():
    r = standoff("sensitivity", "ec-emissions-1994", "--noise", "--draws", "2000", "--sobol", "64")
    assert r.returncode == 0, r.stderr
    assert "80% interval" in r.stdout and "Tornado" in r.stdout and "Sobol" in r.stdout
    assert "nearest named outcome" in r.stdout
    md = standoff("sensitivity", "ec-emissions-1994", "--draws", "500", "-f", "markdown")
    assert "| emissions-date |" in md.stdout and "no value has a range" in md.stdout


def test_compare_shows_baseline_and_what_if():
    """Without Germany (weight 0.128 at 4) the compromise moves from 500.3/67.7 = 7.390 to
    (500.3 − 51.2)/(67.7 − 12.8) = 449.1/54.9 = 8.180."""
    r = standoff("compare", "ec-emissions-1994", "--what-if", "without germany", "-m", "compromise",
                 "-f", "json")
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout)["forecasts"][0]
    assert row["baseline"] == pytest.approx(500.3 / 67.7)
    assert row["what-if"] == pytest.approx(449.1 / 54.9)
    t = standoff("compare", "ec-emissions-1994", "--set", "france.capability=+20%", "--draws", "500",
                 "--noise", "-m", "compromise", "-m", "eum")  # the SMP's Monte Carlo takes minutes
    assert t.returncode == 0, t.stderr
    assert "france.capability=+20%" in t.stdout and "Monte Carlo" in t.stdout


def test_levers_for_an_actor():
    r = standoff("levers", "ec-emissions-1994", "--for", "germany", "--top", "3", "-f", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data["levers"]) == 3 and data["levers"][0]["change"] == "without uk"
    assert data["levers"][0]["gain"] >= data["levers"][1]["gain"] >= data["levers"][2]["gain"]


@pytest.mark.parametrize("args,words", [
    (("sensitivity", "ec-emissions-1994", "--set", "france.capability=abc"), "is not a number"),
    (("sensitivity", "ec-emissions-1994", "--without", "nobody"), "unknown actor 'nobody'"),
    (("sensitivity", "ec-emissions-1994", "--set", "nobody.capability=3"), "unknown actor 'nobody'"),
    (("sensitivity", "ec-emissions-1994", "--set", "france.taxes.position=3"), "unknown issue 'taxes'"),
    (("sensitivity", "ec-emissions-1994", "--set", "france.emissions-date.height=3"), "unknown field"),
    (("sensitivity", "ec-emissions-1994", "--draws", "0"), "need at least one draw"),
    (("sensitivity", "ec-emissions-1994", "--model", "nope"), "unknown model 'nope'"),
    (("compare", "ec-emissions-1994", "--what-if", "without nobody"), "unknown actor 'nobody'"),
    (("compare", "ec-emissions-1994"), "no change to compare"),
    (("sensitivity", "ec-emissions-1994", "--sobol", "1000"), "a power of 2"),
    (("levers", "ec-emissions-1994", "--for", "nobody"), "unknown actor or group 'nobody'"),
])
def test_bad_input_is_one_line_and_exit_2(args, words, monkeypatch, capsys):
    """In-process (the same entry point as the `standoff` program, without a new interpreter)."""
    from standoff.cli import run

    monkeypatch.setattr(sys, "argv", ["standoff", *args])
    monkeypatch.setenv("COLUMNS", "300")
    with pytest.raises(SystemExit) as exc:
        run()
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("bad,words", [
    ("{value: 60, low: 70, high: 50}", "range low 70 is above high 50"),
    ("{value: 80, low: 50, high: 70}", "lies outside its range"),
])
def test_bad_range_in_the_file(tmp_path, toy_yaml, bad, words):
    path = tmp_path / "bad.yaml"
    path.write_text(toy_yaml.replace("{value: 60, low: 50, high: 70}", bad))
    r = standoff("sensitivity", str(path))
    assert r.returncode == 2 and words in r.stderr and "bad.yaml:" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
