"""`standoff dynamics` as a user meets it: formats, the plot, one-line errors."""

import json

import pytest

from cli_process import standoff

YAML = """\
id: toy-dyad
title: Toy dyad
baseline: 2018-01-01
issues:
  - {id: a, title: A, min: 0, max: 100}
groups:
  - {id: east, name: East, cost_of_war: 0.05}
  - id: west
    name: West
    cost_of_war: 0.05
    capability_path: [{date: 2018-01-01, value: 30}, {date: 2018-07-01, value: 60}]
actors:
  - {id: e1, name: E1, group: east, capability: 70, positions: {a: 10}, salience: {a: 50}}
  - {id: w1, name: W1, group: west, capability: 30, positions: {a: 90}, salience: {a: 50}}
"""




@pytest.fixture
def case(tmp_path):
    path = tmp_path / "dyad.yaml"
    path.write_text(YAML)
    return str(path)


def test_json_reports_the_window(case):
    """p = 0.7 now, 70/130 = 0.538 from July on (δ = 0.9, k = 0.05 each). East declines; Powell's
    one-step margin for east (side A): δ(1 - p_1) - (1 - p_0) - (k_A + δ k_B)
    = 0.9 × 0.4615 - 0.3 - 0.095 = 0.0204 > 0: east strikes in the first period."""
    r = standoff("dynamics", case, "--between", "east", "west", "-p", "periods=3", "-f", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    sp = data["shifting_power"]
    assert sp["periods"][0]["p"] == pytest.approx(0.7)
    assert sp["periods"][1]["p"] == pytest.approx(70 / 130)
    assert sp["periods"][0]["one_step_margin_a"] == pytest.approx(0.9 * 60 / 130 - 0.3 - 0.095)
    assert sp["window_a"] == [0] and sp["war_period"] == 0 and sp["peaceful_path"] is False


def test_table_markdown_and_plot(case, tmp_path):
    png = tmp_path / "dyad.png"
    r = standoff("dynamics", case, "--between", "east", "west", "--plot", str(png),
                 "-p", "deadline=2018-02-01")
    assert r.returncode == 0, r.stderr
    assert "Shifting power" in r.stdout and "Deadline bargaining" in r.stdout
    assert "east strikes" in r.stdout
    pytest.importorskip("matplotlib")
    assert png.read_bytes()[:4] == b"\x89PNG"
    md = standoff("dynamics", case, "--between", "east", "west", "-f", "markdown")
    assert md.stdout.startswith("**Dynamics of east vs west**") and "| date |" in md.stdout


def test_errors_are_one_line(case):
    r = standoff("dynamics", case, "--between", "east", "nowhere")
    assert r.returncode == 2 and "unknown group" in r.stderr and "Traceback" not in r.stderr
    r = standoff("dynamics", case, "--between", "east", "west", "-p", "delta=2")
    assert r.returncode == 2 and "discount factor" in r.stderr


def test_every_parameter_is_documented():
    from pathlib import Path

    from standoff.games.dynamics.dyad import PARAMETERS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "models" / "dynamics.md").read_text()
    assert [k for k in PARAMETERS if f"| `{k}` |" not in doc] == []
