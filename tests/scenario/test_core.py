"""Scenario transformations: as_of replay, without, with_changes, content hash."""

import datetime as dt

import pytest

from standoff.errors import ScenarioChangeError


def test_baseline_values_are_the_file_values(toy):
    assert toy.as_of_date is None
    assert toy.date == dt.date(2018, 1, 1)
    assert toy.actor("x").positions["a"].mode == 10


def test_as_of_before_every_event_is_the_baseline(toy):
    early = toy.as_of("2018-01-15")
    assert early.actors == toy.actors
    assert early.date == dt.date(2018, 1, 15)


def test_as_of_applies_effects_up_to_the_day(toy):
    """x.a: 10 + 30 = 40 from 1 Feb. On 1 Mar, in file order: y.a set to 40 (range 50..70 of
    width 20 moves to 30..50), then y.a by +10 -> 50 (40..60); z's capability 10 - 5 = 5."""
    feb = toy.as_of(dt.date(2018, 2, 1))
    assert feb.actor("x").positions["a"].mode == 40
    assert feb.actor("y").positions["a"].mode == 60
    mar = toy.as_of("2018-03-01")
    y = mar.actor("y").positions["a"]
    assert (y.low, y.mode, y.high) == (40, 50, 60)
    assert mar.actor("z").capability.mode == 5
    assert toy.actor("y").positions["a"].mode == 60  # the original is untouched


def test_as_of_is_idempotent_and_forward_only(toy):
    mar = toy.as_of("2018-03-01")
    assert mar.as_of("2018-03-01") == mar
    assert toy.as_of("2018-02-15").as_of("2018-03-01").actors == mar.actors
    with pytest.raises(ScenarioChangeError, match="reload"):
        mar.as_of("2018-02-01")


def test_as_of_rejects_a_non_date(toy):
    with pytest.raises(ScenarioChangeError, match="YYYY-MM-DD"):
        toy.as_of("22 May")


def test_without_removes_the_actor_its_veto_and_effects_on_it(toy):
    s = toy.without("x")
    assert s.actor_ids == ("y", "z")
    assert s.group("g").veto == ()
    assert all(f.actor != "x" for e in s.events for f in e.effects)
    with pytest.raises(ScenarioChangeError, match="unknown actor"):
        toy.without("nobody")


def test_with_changes(toy):
    s = toy.with_changes([{"actor": "z", "field": "position", "issue": "a", "to": 70},
                          {"actor": "z", "field": "salience", "issue": "b", "by": 10}])
    assert s.actor("z").positions["a"].mode == 70
    assert s.actor("z").salience["b"].mode == 30
    with pytest.raises(ScenarioChangeError, match="unknown issue"):
        toy.with_changes([{"actor": "z", "field": "position", "issue": "nope", "to": 1}])


def test_content_hash_depends_on_content_only(toy, tmp_path, toy_yaml):
    from standoff.scenario import read_scenario

    other = tmp_path / "elsewhere.yaml"
    other.write_text(toy_yaml)
    assert read_scenario(other).content_hash() == toy.content_hash()
    assert toy.as_of("2018-03-01").content_hash() != toy.content_hash()


def test_members(toy):
    assert [a.id for a in toy.members("g")] == ["x", "y"]
