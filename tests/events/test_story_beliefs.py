"""The belief layer counts a story once, however many reports repeat it."""

from __future__ import annotations

import pytest

from standoff.events.beliefs import BeliefSpec, update
from standoff.events.stories import StoryRule
from standoff.tasks.beliefs import extra_events

TALK = {"id": "talk", "cameo": ["03"], "likelihood": {"a": 0.6, "b": 0.2}}


def spec():
    types = [{"id": "a", "prior": 1.0, "positions": {"arms": 70}},
             {"id": "b", "prior": 1.0, "positions": {"arms": 5}}]
    return BeliefSpec(observer="united-states", target="north-korea", types=types, categories=[TALK],
                      defaults=False, start="2018-03-01", end="2018-03-31")


def events_file(tmp_path, copies: int):
    """`copies` publishers report Kim's 2 March offer of talks (036) in the same words."""
    rows = "".join(f"2018-03-02,North Korea,United States,036,Kim offers talks to Washington,Paper {k}\n"
                   for k in range(copies))
    path = tmp_path / f"talks-{copies}.csv"
    path.write_text("date,source,target,cameo,text,origin\n" + rows)
    return path


def test_ten_repeats_of_a_story_move_the_posterior_exactly_as_once(tmp_path, dyad):
    """Prior 1/2 : 1/2; one talks offer: P(a) = 0.6 / (0.6 + 0.2) = 0.75. Ten reports of it are one
    story: still 0.75 (counted ten times it would be 0.6^10 / (0.6^10 + 0.2^10) = 0.99998)."""
    once = update(spec(), dyad, extra_events(dyad, events_file(tmp_path, 1), "csv"))
    ten = update(spec(), dyad, extra_events(dyad, events_file(tmp_path, 10), "csv"))
    assert once.posterior == pytest.approx([0.75, 0.25])
    assert ten.posterior.tolist() == once.posterior.tolist()
    assert len(ten.steps) == len(once.steps) == 1
    assert "one story, 10 reports" in ten.steps[0].label
    assert ten.notes == ["9 repeated report(s) merged into their stories"]
    # the strictest rule (same day, the same words) still merges reports in the same words
    counted = update(spec(), dyad, extra_events(dyad, events_file(tmp_path, 10), "csv"),
                     stories=StoryRule(window_days=0, similarity=1.0))
    assert counted.posterior.tolist() == once.posterior.tolist()


def test_two_stories_count_twice(tmp_path, dyad):
    """Two offers of talks in different words on one day are two stories: P(a) = 0.36 / 0.40 = 0.9."""
    path = tmp_path / "two.csv"
    path.write_text("date,source,target,cameo,text,origin\n"
                    "2018-03-02,North Korea,United States,036,Kim offers talks to Washington,A\n"
                    "2018-03-02,North Korea,United States,036,Pyongyang invites envoy for summit,B\n")
    path_ = update(spec(), dyad, extra_events(dyad, path, "csv"))
    assert path_.posterior == pytest.approx([0.9, 0.1])
