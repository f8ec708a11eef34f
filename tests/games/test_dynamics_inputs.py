"""Capability paths for the dynamics models: declared, observed through events, from missile tests."""

import csv
import datetime as dt

import numpy as np
import pytest

from standoff.errors import ModelError, StandoffError
from standoff.games.dynamics import dynamics_report, inputs
from standoff.scenario import read_scenario

D = dt.date

DYAD_YAML = """\
id: toy-dyad
title: Toy dyad
baseline: 2018-01-01
sources:
  - {id: s1, title: A source}
issues:
  - {id: a, title: A, min: 0, max: 100}
groups:
  - id: east
    name: East
    cost_of_war: 0.1
    track_record:
      - {date: 2011-03-19, description: broken promise, kept: false, source: s1}
      - {date: 2030-01-01, description: a later precedent, kept: true}
  - id: west
    name: West
    cost_of_war: 0.05
    capability_path:
      - {date: 2018-01-01, value: 50, source: s1}
      - {date: 2019-01-01, value: 150}
actors:
  - {id: e1, name: E1, group: east, capability: 30, positions: {a: 10}, salience: {a: 50}}
  - {id: e2, name: E2, group: east, capability: 20, positions: {a: 20}, salience: {a: 50}}
  - {id: w1, name: W1, group: west, capability: 50, positions: {a: 90}, salience: {a: 50}}
events:
  - date: 2018-03-01
    actor: e1
    cameo: "150"
    description: a test
    effects: [{actor: e1, field: capability, by: 10}]
  - date: 2018-03-01
    actor: e2
    cameo: "150"
    description: another test the same day
    effects: [{actor: e2, field: capability, by: 5}]
"""


@pytest.fixture
def dyad(tmp_path):
    path = tmp_path / "dyad.yaml"
    path.write_text(DYAD_YAML)
    return read_scenario(path)


def test_observed_points_follow_capability_effects(dyad):
    """east = 30 + 20 = 50 at the baseline, 40 + 25 = 65 after the two tests of 1 March."""
    assert inputs.observed_points(dyad, "east") == ((D(2018, 1, 1), 50.0), (D(2018, 3, 1), 65.0))
    assert inputs.capability_points(dyad, "east")[1] == "events"
    assert inputs.capability_points(dyad, "west") == (((D(2018, 1, 1), 50.0), (D(2019, 1, 1), 150.0)),
                                                      "declared")


def test_sampling_and_power():
    """Linear between points, flat outside: 1 July 2018 is 181 of 365 days: 50 + 100 × 181/365."""
    pts = ((D(2018, 1, 1), 50.0), (D(2019, 1, 1), 150.0))
    got = inputs.sample(pts, [D(2017, 1, 1), D(2018, 7, 1), D(2020, 1, 1)])
    assert got == pytest.approx([50, 50 + 100 * 181 / 365, 150])
    assert inputs.power_path(np.array([1.0, 3.0]), np.array([3.0, 1.0])) == pytest.approx([0.25, 0.75])
    with pytest.raises(ModelError):
        inputs.power_path(np.array([0.0]), np.array([0.0]))


def test_period_dates_and_extrapolation():
    assert inputs.period_dates(D(2018, 1, 31), 3, 1) == [D(2018, 1, 31), D(2018, 2, 28), D(2018, 3, 31)]
    pts = ((D(2018, 1, 1), 10.0), (D(2019, 1, 1), 20.0))
    # slope 10 per 365 days, 365 more days: 30
    assert inputs.extrapolate(pts, D(2020, 1, 1))[-1] == (D(2020, 1, 1), pytest.approx(30.0))
    assert inputs.extrapolate(pts[:1], D(2020, 1, 1)) == pts[:1]


def test_report_on_the_toy_dyad(dyad):
    """As of the last event (1 March): east 65, west 50 + 100 × 59/365 = 66.16; p_0 = 65/131.16.
    The track record of east counts the 2011 precedent only (the 2030 one is in the future):
    Beta(1, 2), belief 1/3. The deadline a fortnight away at 7 days a round: 2 rounds."""
    s = dyad.as_of("2018-03-01")
    r = dynamics_report(s, "east", "west", periods=4, deadline="2018-03-15")
    f = r["shifting_power"].frame
    west0 = 50 + 100 * 59 / 365
    assert f["p"].iloc[0] == pytest.approx(65 / (65 + west0))
    assert r["dyad"]["rising"] == "west"
    assert r["params"]["cost_a"] == 0.1 and r["params"]["cost_b"] == 0.05
    assert r["params"]["proposer_side"] == "a"  # the declining side, east, proposes by default
    c = r["commitment"]
    assert c["disarming"] == "west" and c["promising"] == "east"
    assert c["belief"] == pytest.approx(1 / 3)
    # keeping: west at the horizon's end (150) against east now (65); disarming: back to 50
    assert c["p1"] == pytest.approx(150 / 215) and c["p0"] == pytest.approx(50 / 115)
    assert r["deadline"]["rounds"] == 2
    assert r["shifting_power"].peaceful_path == (r["shifting_power"].war_period is None)


def test_report_errors(dyad):
    with pytest.raises(ModelError, match="no parameter 'foo'"):
        dynamics_report(dyad, "east", "west", foo=1)
    with pytest.raises(StandoffError, match="unknown group"):
        dynamics_report(dyad, "east", "nowhere")
    with pytest.raises(ModelError, match="not after"):
        dynamics_report(dyad, "east", "west", deadline="2017-01-01")
    with pytest.raises(ModelError, match="cost_of_war"):
        no_cost = dyad.model_copy(update={"groups": tuple(g.model_copy(update={"cost_of_war": None})
                                                          for g in dyad.groups)})
        dynamics_report(no_cost, "east", "west")


def test_missile_tests_against_an_independent_reading(shared_data):
    """The reader against the csv module: rows with a missile type, and the weighted count of
    successful tests up to 22 May 2018."""
    path = shared_data / "cns-dprk-missile-tests.csv"
    tests = inputs.read_missile_tests(path)
    with open(path, encoding="cp1252", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Missile Type"]]
    assert len(tests) == len(rows) == 245

    def when(text):
        text = text.strip()
        for fmt in ("%d-%b-%y", "%b-%y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                pass
        raise AssertionError(text)

    cutoff = D(2018, 5, 22)
    expected = sum(inputs.DEFAULT_TEST_WEIGHTS.get(r["Missile Type"].strip(), 0.0) for r in rows
                   if r["Test Outcome"].strip() == "Success" and when(r["Date"]) <= cutoff)
    index = inputs.missile_index(tests)
    assert float(index[[d <= cutoff for d in index.index]].iloc[-1]) == pytest.approx(expected)
    points = inputs.points_from_tests(tests, base=10.0, at=cutoff, per_unit=0.1, since=D(2016, 1, 1))
    assert points[-1].value == 10.0 and points[-1].date == cutoff
    assert all(a.value <= b.value for a, b in zip(points, points[1:], strict=False))


def test_tests_path_and_report(shared_data, dyad):
    """The window's tests build `share` of today's capability: the path starts at base × (1 - share)
    on `since`, ends at base on the date, and never falls (successes only add)."""
    tests = inputs.read_missile_tests(shared_data / "cns-dprk-missile-tests.csv")
    pts = inputs.tests_path(tests, base=20.0, at=D(2018, 5, 22), since=D(2016, 5, 22), share=0.5)
    assert pts[0] == (D(2016, 5, 22), 10.0) and pts[-1] == (D(2018, 5, 22), 20.0)
    assert all(x[1] <= y[1] for x, y in zip(pts, pts[1:], strict=False))
    r = dynamics_report(dyad, "east", "west", missile_tests={"east": tests}, periods=3)
    assert r["paths"]["east"]["origin"] == "missile tests"
    with pytest.raises(ModelError, match="not in the dyad"):
        dynamics_report(dyad, "east", "west", missile_tests={"north": tests})


def test_missile_file_errors(tmp_path):
    with pytest.raises(StandoffError, match="no such file"):
        inputs.read_missile_tests(tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Missile Type,Test Outcome\n31-Foo-17,ICBM,Success\n")
    with pytest.raises(StandoffError, match=r"bad.csv:2.*unreadable date"):
        inputs.read_missile_tests(bad)


def test_group_fields_are_checked(tmp_path):
    """Dates of a capability path must increase; cited sources must exist; weights lie in (0, 1]."""
    from standoff.errors import ScenarioError

    bad = DYAD_YAML.replace("{date: 2019-01-01, value: 150}", "{date: 2017-01-01, value: 150}")
    path = tmp_path / "bad.yaml"
    path.write_text(bad)
    with pytest.raises(ScenarioError, match="capability_path dates must increase"):
        read_scenario(path)
    path.write_text(DYAD_YAML.replace("kept: false, source: s1", "kept: false, source: nowhere"))
    with pytest.raises(ScenarioError, match=r"track_record\[0\].source: unknown source 'nowhere'"):
        read_scenario(path)
    path.write_text(DYAD_YAML.replace("kept: true}", "kept: true, weight: 2}"))
    with pytest.raises(ScenarioError, match="weight"):
        read_scenario(path)
