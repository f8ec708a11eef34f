"""One edit path: Scenario.with_changes serves event effects, what-if settings and table edits."""

from __future__ import annotations

import pytest

from standoff.errors import ScenarioChangeError, ScenarioError
from standoff.scenario import Effect, apply_effect
from standoff.scenario.validate import edit_values


def test_to_keeps_the_range_width_unless_set_as_a_point(toy):
    """y's position on a is triangular (50, 60, 70): `to 40` moves it to (30, 40, 50); as a point
    it is 40 with no range."""
    moved = toy.with_changes([{"actor": "y", "field": "position", "issue": "a", "to": 40}])
    v = moved.actor("y").positions["a"]
    assert (v.low, v.mode, v.high) == (30, 40, 50)
    pointed = toy.with_changes([{"actor": "y", "field": "position", "issue": "a", "to": 40}], point=True)
    v = pointed.actor("y").positions["a"]
    assert (v.low, v.mode, v.high, v.sd) == (None, 40, None, None)
    assert apply_effect(toy.actor("y"), Effect(actor="y", field="position", issue="a", to=40),
                        point=True) == pointed.actor("y")


@pytest.mark.parametrize(("change", "where", "words"), [
    ({"actor": "y", "field": "position", "issue": "a", "to": 140}, "changes[0].to",
     "position 140 is off the scale [0, 100] — give a value between 0 and 100"),
    ({"actor": "y", "field": "salience", "issue": "a", "by": 90}, "changes[0].by",
     "is off the scale [0, 100]"),
    ({"actor": "y", "field": "capability", "to": -1}, "changes[0].to", "capability -1 is negative"),
    ({"actor": "q", "field": "capability", "to": 1}, "changes[0].actor", "unknown actor 'q' — use one of: "),
    ({"actor": "y", "field": "position", "issue": "zz", "to": 1}, "changes[0].issue", "unknown issue 'zz'"),
    ({"actor": "y", "field": "capability", "issue": "a", "to": 1}, "changes[0].", "capability effect"),
])
def test_changes_off_the_scale_or_unknown_are_named_by_place(toy, change, where, words):
    with pytest.raises(ScenarioChangeError) as info:
        toy.with_changes([change], on_scale=True, where="changes")
    assert str(info.value).startswith(where) and words in str(info.value)


def test_without_on_scale_an_effect_may_leave_the_scale(toy):
    """Event effects are checked when the file is read, not here: the value is simply moved."""
    moved = toy.with_changes([{"actor": "y", "field": "position", "issue": "a", "by": 50}])
    assert moved.actor("y").positions["a"].mode == 110


def test_edit_values_checks_the_edited_scenario_as_a_file(toy):
    """Every actor's salience on issue a edited to 0 leaves no weight on a: the file's check."""
    zero = [{"actor": a, "field": "salience", "issue": "a", "to": 0} for a in toy.actor_ids]
    with pytest.raises(ScenarioError) as info:
        edit_values(toy, zero)
    assert info.value.file == "(edited values)"
    assert edit_values(toy, []) is toy
