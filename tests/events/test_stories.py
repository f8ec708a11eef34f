"""Stories, not reports: the merge rule on hand-made events (docs/events.md, "Stories")."""

from __future__ import annotations

import datetime as dt

import pytest

from standoff.events import pipeline
from standoff.events.stories import (
    Report,
    StoryRule,
    StoryRuleError,
    event_stories,
    matched_stories,
    merge,
    similarity,
)
from standoff.scenario.schema import Event

HEADER = "date,source,target,cameo,text,origin\n"
#: One story (North Korea offers the US talks) from three publishers, the third a day later.
THREE_PUBLISHERS = (
    "2018-03-01,North Korea,United States,036,North Korea offers talks with the United States on its "
    "nuclear programme,Yonhap\n"
    "2018-03-01,Kim Jong-Un,Trump,036,Kim offers talks with the United States on the nuclear programme,KCNA\n"
    "2018-03-02,PRK,USA,036,North Korea offers nuclear talks with United States,Reuters\n")


def stories_of(tmp_path, dyad, rows: str, rule: StoryRule | None = None):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + rows)
    matched, _ = pipeline.matched_list(path, "csv", dyad)
    return matched_stories(matched, rule, file=path.name)


def test_one_story_from_three_publishers(tmp_path, dyad):
    """Same ordered dyad (kim -> trump through three aliases), same root 03, within a day, and texts
    alike: Jaccard of the first two = 6/9 (offers talks united states nuclear programme, of north
    korea kim ...), of the first and third 7/8; so one story with three reports and sources."""
    found = stories_of(tmp_path, dyad, THREE_PUBLISHERS)
    assert len(found) == 1
    story = found[0]
    assert (story.source, story.target, story.cameo, story.date) == ("kim", "trump", "036",
                                                                     dt.date(2018, 3, 1))
    assert story.sources == ("Yonhap", "KCNA", "Reuters")
    assert len(story.reports) == 3 and story.goldstein == 4.0
    assert [r.where for r in story.reports] == ["events.csv:2", "events.csv:3", "events.csv:4"]


def test_two_stories_on_one_day(tmp_path, dyad):
    """Same dyad and day: an offer of talks (root 03) and a missile test (root 15) are two stories;
    so are two offers of root 03 whose texts share no word (Jaccard 0 < 0.3)."""
    rows = ("2018-03-01,North Korea,United States,036,Kim offers talks,Yonhap\n"
            "2018-03-01,North Korea,United States,150,Missile launched over the sea,Yonhap\n")
    assert len(stories_of(tmp_path, dyad, rows)) == 2
    rows = ("2018-03-01,North Korea,United States,036,Kim offers talks,Yonhap\n"
            "2018-03-01,North Korea,United States,036,Pyongyang invites envoy to summit,KCNA\n")
    assert len(stories_of(tmp_path, dyad, rows)) == 2


def test_the_dyad_is_ordered_and_the_window_is_anchored_on_the_first_report(tmp_path, dyad):
    """The reverse dyad is another story; a report two days after the first is outside a one-day
    window even if a report in between was inside it (no chaining)."""
    rows = ("2018-03-01,North Korea,United States,036,talks offered,Yonhap\n"
            "2018-03-01,United States,North Korea,036,talks offered,Yonhap\n")
    assert len(stories_of(tmp_path, dyad, rows)) == 2
    rows = ("2018-03-01,North Korea,United States,036,talks offered,A\n"
            "2018-03-02,North Korea,United States,036,talks offered,B\n"
            "2018-03-03,North Korea,United States,036,talks offered,C\n")
    assert [len(s.reports) for s in stories_of(tmp_path, dyad, rows)] == [2, 1]
    assert [len(s.reports) for s in stories_of(tmp_path, dyad, rows, StoryRule(window_days=2))] == [3]
    assert [len(s.reports) for s in stories_of(tmp_path, dyad, rows, StoryRule(window_days=0))] == [1, 1, 1]


def test_quad_class_match_joins_roots_of_one_class(tmp_path, dyad):
    """036 (root 03) and 040 (root 04) are both verbal cooperation: two stories by root, one by quad
    (texts that only name their codes are not compared)."""
    rows = ("2018-03-01,North Korea,United States,036,Express intent to meet or negotiate,A\n"
            "2018-03-01,North Korea,United States,040,Consult,B\n")
    assert len(stories_of(tmp_path, dyad, rows)) == 2
    assert len(stories_of(tmp_path, dyad, rows, StoryRule(match="quad"))) == 1


def test_similarity_by_hand():
    """Jaccard: {kim offers talks} vs {kim rejects talks}: 2 shared of 4 = 0.5; stop words drop out."""
    assert similarity("Kim offers talks", "Kim rejects the talks") == pytest.approx(0.5)
    assert similarity("", "") == 1.0
    assert similarity("abc", "abd", "difflib") == pytest.approx(2 / 3)


def test_every_report_lands_in_one_story():
    reports = [Report(dt.date(2018, 1, 1 + k % 3), "a", "b" if k % 2 else "c", "036", None, 4.0, f"t{k % 4}",
                      f"pub{k}") for k in range(24)]
    found = merge(reports)
    assert sorted(id(r) for s in found for r in s.reports) == sorted(id(r) for r in reports)


def test_imported_event_descriptions_compare_without_their_provenance():
    """Events attached by `events import --attach` end in `[publisher, line N]`: that is read as the
    publisher, so ten imports of one report-text are one story with the ten publishers."""
    events = [Event(date=dt.date(2018, 6, 1), actor="kim", target="trump", cameo="040",
                    description=f"Consult [Paper {k}, line {k + 2}]") for k in range(10)]
    (story,) = event_stories(events)
    assert story.sources == tuple(f"Paper {k}" for k in range(10)) and story.text == "Consult"


@pytest.mark.parametrize("kwargs", [{"window_days": -1}, {"similarity": 1.5}, {"match": "week"},
                                    {"measure": "cosine"}])
def test_bad_rule_parameters_are_user_errors(kwargs):
    with pytest.raises(StoryRuleError):
        StoryRule(**kwargs)
