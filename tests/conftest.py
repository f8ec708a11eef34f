"""Shared fixtures: the reference data folder beside the project, and small scenarios."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def find_shared_data() -> Path | None:
    """../shared/data beside the project (or $STANDOFF_SHARED/data), if present."""
    env = os.environ.get("STANDOFF_SHARED")
    candidates = [Path(env) / "data"] if env else []
    candidates += [p / "shared" / "data" for p in ROOT.parents]
    return next((c for c in candidates if c.is_dir()), None)


@pytest.fixture(autouse=True)
def run_store(tmp_path_factory, monkeypatch) -> Path:
    """Every test records its runs to a throwaway SQLite file, never to the user's data folder."""
    path = tmp_path_factory.mktemp("store") / "runs.sqlite"
    monkeypatch.setenv("STANDOFF_DB", str(path))
    return path


@pytest.fixture
def reference_data() -> Path:
    """The reference data sets bundled with the package (src/standoff/data/reference, NOTICE.md)."""
    from standoff.data import REFERENCE

    return REFERENCE


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, for the two reference files that are not bundled: the Decide COP21 example
    (from a GPL-3 repository) and the CNS missile test database."""
    path = find_shared_data()
    if path is None:
        pytest.skip("decide-cop21.csv and cns-dprk-missile-tests.csv are not bundled (GPL-3 / "
                    "third-party database): they are read from ../shared/data, which is absent")
    return path


TOY_YAML = """\
id: toy
title: Toy negotiation
baseline: 2018-01-01
sources:
  - {id: s1, title: A source, date: 2018-01-01}
issues:
  - id: a
    title: Issue A
    min: 0
    max: 100
    anchors: [{value: 0, label: none}, {value: 50, label: half}, {value: 100, label: all}]
    status_quo: 20
  - id: b
    title: Issue B
    min: 0
    max: 10
    anchors: [{value: 0, label: low}, {value: 10, label: high}]
groups:
  - {id: g, name: G, veto: [x]}
actors:
  - id: x
    name: X
    group: g
    capability: {value: 10, source: s1, note: rationale}
    positions: {a: 10, b: 2}
    salience: {a: 50, b: 100}
  - id: y
    name: Y
    group: g
    capability: 20
    positions: {a: {value: 60, low: 50, high: 70}, b: 8}
    salience: {a: 100, b: 50}
  - id: z
    name: Z
    capability: 10
    positions: {a: 90, b: 5}
    salience: {a: 20, b: 20}
outcomes:
  - {id: small, name: Small deal, positions: {a: 20, b: 2}}
  - {id: big, name: Big deal, positions: {a: 80, b: 8}}
  - {id: war, name: War, kind: crisis}
events:
  - date: 2018-02-01
    actor: x
    target: y
    cameo: "036"
    description: first
    effects: [{actor: x, field: position, issue: a, by: 30}]
  - date: 2018-03-01
    actor: y
    cameo: "0311"
    description: second, applied before third
    effects: [{actor: y, field: position, issue: a, to: 40}]
  - date: 2018-03-01
    actor: y
    cameo: "0311"
    description: third
    effects: [{actor: y, field: position, issue: a, by: 10}, {actor: z, field: capability, by: -5}]
"""


@pytest.fixture
def toy_yaml() -> str:
    return TOY_YAML


@pytest.fixture
def toy(tmp_path):
    from standoff.scenario import read_scenario

    path = tmp_path / "toy.yaml"
    path.write_text(TOY_YAML)
    return read_scenario(path)
