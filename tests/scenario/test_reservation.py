"""Reservation points in the scenario language: the default, effects, and located errors."""

from __future__ import annotations

import pytest
from tests.cli_process import standoff

from standoff.errors import ScenarioError
from standoff.scenario.io import parse_yaml

CASE = """\
id: pair
title: A pair
baseline: 2020-01-01
issues:
  - {id: x, title: X, min: 0, max: 100, status_quo: 80}
  - {id: y, title: Y, min: 0, max: 10}
groups:
  - {id: red, name: Red, veto: [r]}
  - {id: blue, name: Blue, veto: [b]}
actors:
  - {id: r, name: R, group: red, capability: 1, positions: {x: 20, y: 3}, salience: {x: 50, y: 50}}
  - id: b
    name: B
    group: blue
    capability: 1
    positions: {x: 100, y: 9}
    salience: {x: 50, y: 50}
    reservation: {x: {value: 60, low: 50, high: 90, source: s1, note: floated}}
sources:
  - {id: s1, title: A statement, date: 2019-12-01}
events:
  - {date: 2020-02-01, actor: r, cameo: "036", description: R floats more.,
     effects: [{actor: r, field: reservation, issue: x, by: -10}]}
"""


def test_the_default_reservation_point():
    """R: position 20, reversion 80 → range 20–80, mode 50. Issue y has no reversion point, so the
    default is the position, 3. B's declared value is kept."""
    s = parse_yaml(CASE)
    r = s.reservation("r", "x")
    assert (r.mode, r.low, r.high) == (50, 20, 80)
    assert s.reservation("r", "y").mode == 3 and s.reservation("r", "y").low is None
    assert s.reservation("b", "x").mode == 60


def test_a_reservation_effect_starts_from_the_default():
    """by −10 on the default 50 (20–80) → 40 (10–70), on 1 February and not before."""
    s = parse_yaml(CASE)
    assert s.as_of("2020-01-31").reservation("r", "x").mode == 50
    after = s.as_of("2020-02-01").reservation("r", "x")
    assert (after.mode, after.low, after.high) == (40, 10, 70)


@pytest.mark.parametrize("old, new, message", [
    ("low: 50, high: 90", "low: 50, high: 120", "actors[1].reservation.x: reservation point high 120 is off "
                                                  "the scale [0, 100]"),
    ("value: 60, low: 50, high: 90", "value: 60, low: 70, high: 50", "range low 70 is above high 50"),
    ("{actor: r, field: reservation", "{actor: q, field: reservation", "events[0].effects[0].actor: unknown "
                                                                      "actor 'q'"),
    ("issue: x, by: -10", "issue: x, by: -60", "r's reservation point after this effect low -40 is off"),
    ("reservation: {x:", "reservation: {z:", "actors[1].reservation.z: unknown issue 'z'"),
])
def test_bad_reservation_points_are_located(old, new, message):
    text = CASE.replace(old, new)
    assert text != CASE
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text)
    assert message in str(info.value) or message in info.value.report()


def test_the_command_line_says_where_in_one_line_and_exits_2(tmp_path):
    path = tmp_path / "pair.yaml"
    path.write_text(CASE.replace("low: 50, high: 90", "low: 50, high: 120"), encoding="utf-8")
    out = standoff("forecast", str(path), "-m", "expectations")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr + out.stdout
    assert f"{path}:" in out.stderr and "reservation point high 120 is off the scale" in out.stderr
    good = tmp_path / "good.yaml"
    good.write_text(CASE, encoding="utf-8")
    out = standoff("forecast", str(good), "-m", "expectations", "-p", "proposer=green")
    assert out.returncode == 2 and "unknown proposer 'green'" in out.stderr
