"""The Value type: points, ranges, spreads, and what is refused."""

import pytest
from pydantic import ValidationError

from standoff.scenario import Value


def test_bare_number_is_a_point():
    v = Value.model_validate(60)
    assert (v.mode, v.low, v.high, v.is_uncertain) == (60, None, None, False)


def test_mapping_with_value_or_mode():
    assert Value.model_validate({"value": 5, "low": 1, "high": 9}).mode == 5
    assert Value.model_validate({"mode": 5}).mode == 5
    with pytest.raises(ValidationError, match="not both"):
        Value.model_validate({"mode": 5, "value": 5})


@pytest.mark.parametrize("bad", [True, "12", None, float("nan"), float("inf")])
def test_refuses_non_numbers(bad):
    with pytest.raises(ValidationError):
        Value.model_validate(bad)


def test_range_rules():
    with pytest.raises(ValidationError, match="both `low` and `high`"):
        Value.model_validate({"value": 5, "low": 1})
    with pytest.raises(ValidationError, match="outside its range"):
        Value.model_validate({"value": 10, "low": 1, "high": 9})
    with pytest.raises(ValidationError, match="negative"):
        Value.model_validate({"value": 10, "sd": -1})


def test_shift_and_set_keep_the_range_width():
    v = Value.model_validate({"value": 5, "low": 2, "high": 9})
    assert v.shifted(3) == Value(mode=8, low=5, high=12)
    assert v.set_to(0) == Value(mode=0, low=-3, high=4)
