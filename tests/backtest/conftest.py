"""A toy scenario with recorded outcomes, for the harness and the CLI."""

from __future__ import annotations

import pytest

RECORDED = """\
recorded:
  - {date: 2018-04-01, issue: a, value: 40}
  - {date: 2018-04-01, issue: b, value: 5}
  - {date: 2018-04-01, outcome: small}
"""


@pytest.fixture
def toy_recorded_path(tmp_path, toy_yaml):
    path = tmp_path / "toy-recorded.yaml"
    path.write_text(toy_yaml + RECORDED)
    return path
