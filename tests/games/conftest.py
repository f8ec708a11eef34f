"""A small two-sided crisis scenario whose payoffs are worked out by hand in the tests."""

from __future__ import annotations

import pytest

CRISIS_YAML = """\
id: duel
title: Two-state duel
baseline: 2018-01-01
issues:
  - id: arms
    title: Arms programme
    min: 0
    max: 100
    status_quo: 50
groups:
  - {id: east, name: East, cost_of_war: 0.3, first_strike_advantage: 0.2}
  - {id: west, name: West, cost_of_war: 0.5}
actors:
  - {id: e1, name: East leader, group: east, capability: 30, positions: {arms: 100}, salience: {arms: 100}}
  - {id: e2, name: East army, group: east, capability: 10, positions: {arms: 100}, salience: {arms: 50}}
  - {id: w1, name: West leader, group: west, capability: 60, positions: {arms: 0}, salience: {arms: 80}}
outcomes:
  - {id: use-of-force, name: Use of force, kind: crisis}
  - {id: east-capitulates, name: East capitulates, kind: crisis}
  - {id: talks, name: Negotiated settlement, kind: crisis}
events:
  - {date: 2018-02-01, actor: e1, target: w1, cameo: "138", description: threat of force}
  - {date: 2018-03-01, actor: e2, cameo: "150", description: missile test}
  - {date: 2018-03-05, actor: e1, target: w1, cameo: "036", description: offer to meet}
"""


@pytest.fixture
def duel(tmp_path):
    from standoff.scenario import read_scenario

    path = tmp_path / "duel.yaml"
    path.write_text(CRISIS_YAML)
    return read_scenario(path)


@pytest.fixture
def duel_path(tmp_path):
    path = tmp_path / "duel.yaml"
    path.write_text(CRISIS_YAML)
    return path
