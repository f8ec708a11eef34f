"""A scenario missing its required lists is reported field by field, not as a crash."""

from __future__ import annotations

import pytest

from standoff.errors import ScenarioError
from standoff.scenario.io import parse_yaml


def test_an_empty_mapping_lists_the_missing_fields():
    with pytest.raises(ScenarioError) as info:
        parse_yaml("{}")
    report = info.value.report()
    for name in ("id", "title", "baseline", "issues", "actors"):
        assert f"missing required field `{name}`" in report
