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


# --- named outcomes: sources, the no-agreement outcome, the reserved `other` -------------------

def _korea_2019():
    import yaml

    from standoff.data import case_path

    return yaml.safe_load(case_path("korea-2019").read_text(encoding="utf-8"))


def _problems(raw):
    from standoff.scenario.schema import ScenarioData
    from standoff.scenario.validate import check

    return [(p.where, p.message) for p in check(ScenarioData.model_validate(raw))]


def test_an_outcome_cites_a_known_source_and_one_outcome_at_most_is_no_agreement():
    raw = _korea_2019()
    assert _problems(raw) == []
    assert [o["id"] for o in raw["outcomes"] if o.get("no_agreement")] == ["no-deal"]
    raw["outcomes"][0]["source"] = "nowhere"
    raw["outcomes"][1]["no_agreement"] = True
    problems = _problems(raw)
    assert ("outcomes[0].source", "unknown source 'nowhere'") in [(w, m.split(" (")[0]) for w, m in problems]
    assert any(w == "outcomes[3].no_agreement" and "second" in m for w, m in problems)


def test_no_agreement_is_a_deal_and_other_is_reserved():
    from standoff.scenario.schema import Outcome

    with pytest.raises(ValidationError, match="reversion point"):
        Outcome.model_validate({"id": "war", "name": "War", "kind": "crisis", "no_agreement": True})
    with pytest.raises(ValidationError, match="reserved"):
        Outcome.model_validate({"id": "other", "name": "Other", "positions": {"x": 1}})


def test_a_recorded_outcome_may_be_other_but_not_an_unknown_id():
    raw = _korea_2019()
    raw["recorded"] = [{"date": "2019-02-28", "outcome": "other"}]
    assert _problems(raw) == []
    raw["recorded"] = [{"date": "2019-02-28", "outcome": "grand-bargain"}]
    [(where, message)] = _problems(raw)
    assert where == "recorded[0].outcome" and "unknown named outcome 'grand-bargain'" in message
