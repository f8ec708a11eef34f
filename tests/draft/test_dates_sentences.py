"""Sentence splitting and date resolution, checked against dates worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from standoff.draft.dates import document_date, find_dates, parse_date_option
from standoff.draft.sentences import split_sentences
from standoff.errors import StandoffError

BASE = dt.date(2018, 5, 22)  # a Tuesday


def one(phrase: str, base: dt.date = BASE):
    found = find_dates(phrase, base)
    assert len(found) == 1, found
    return found[0]


def test_month_and_day_resolves_in_the_document_year():
    """'May 15' read on 2018-05-22 is 2018-05-15 (same year, a day)."""
    d = one("Talks collapsed on May 15.")
    assert (d.first, d.last, d.precision, d.text) == (dt.date(2018, 5, 15), dt.date(2018, 5, 15), "day",
                                                      "on May 15")


def test_last_week_is_the_previous_monday_to_sunday():
    """2018-05-22 is a Tuesday; its week starts Monday 21, so last week is 14..20 May."""
    d = one("the envoy visited last week")
    assert (d.first, d.last, d.precision) == (dt.date(2018, 5, 14), dt.date(2018, 5, 20), "week")


def test_since_march_is_the_whole_month_of_march_2018():
    d = one("signals since March")
    assert (d.first, d.last, d.precision, d.label) == (dt.date(2018, 3, 1), dt.date(2018, 3, 31), "month",
                                                       "2018-03")


def test_relative_phrases_by_hand():
    """yesterday = 21 May; three days ago = 19 May; last weekend = Sat 19 and Sun 20 May;
    this week = Mon 21..Sun 27 May; 'in 2003' = the year 2003; a month with a year."""
    assert one("yesterday").first == dt.date(2018, 5, 21)
    assert one("three days ago").first == dt.date(2018, 5, 19)
    w = one("last weekend")
    assert (w.first, w.last) == (dt.date(2018, 5, 19), dt.date(2018, 5, 20))
    t = one("this week")
    assert (t.first, t.last) == (dt.date(2018, 5, 21), dt.date(2018, 5, 27))
    assert one("a deal in 2003").label == "2003"
    assert one("a test in September 2017").label == "2017-09"


def test_that_day_refers_back_to_the_last_day_named():
    found = find_dates("On June 3 the talks opened. Later that day they broke down.", BASE)
    assert [d.first for d in found] == [dt.date(2018, 6, 3)] * 2


def test_document_date_needs_a_year_and_the_option_is_iso():
    assert document_date("Headline\nPublished: March 10, 2020\n\nText.") == dt.date(2020, 3, 10)
    assert document_date("Headline\nLast updated: May 22\n\nText.") is None
    assert parse_date_option("2018-05-22") == BASE
    with pytest.raises(StandoffError, match="YYYY-MM-DD"):
        parse_date_option("22/05/2018")


def test_sentences_keep_offsets_and_skip_abbreviations():
    text = "Title line\n\nThe U.S. envoy met Gen. Smith. He left! Then what? Nothing."
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["Title line", "The U.S. envoy met Gen. Smith.", "He left!",
                                       "Then what?", "Nothing."]
    assert all(text[s.start:s.end] == s.text for s in sents)
    assert sents[0].paragraph != sents[1].paragraph


def test_a_weekday_without_a_year_is_the_nearest_on_or_before_the_document():
    """2018-05-22 is a Tuesday: "on Monday" = 21 May, "Tuesday" = the day itself (22 May),
    "on Friday" = 18 May; "last Tuesday" excludes the day itself (15 May); "next Monday" = 28 May;
    a weekday before a full date is left to the date ("Monday, June 11, 2018" = 11 June 2018)."""
    assert one("Kim spoke on Monday.").first == dt.date(2018, 5, 21)
    assert one("Kim spoke Tuesday.").first == dt.date(2018, 5, 22)
    assert one("They met on Friday.").first == dt.date(2018, 5, 18)
    assert one("They met last Tuesday.").first == dt.date(2018, 5, 15)
    assert one("They meet next Monday.").first == dt.date(2018, 5, 28)
    d = one("The summit opened Monday, June 11, 2018.")
    assert (d.first, d.text) == (dt.date(2018, 6, 11), "June 11, 2018")


def test_a_month_without_a_year_is_the_nearest_on_or_before_the_document():
    """Read on 2019-01-09: "in November" = November 2018 (the previous year); "in January" = the
    document's own month, January 2019; "by March" is a deadline, so the next March, 2019-03.
    Read on 2018-05-22 (BASE): "since March" = 2018-03, "by June" = 2018-06 (the seed's cues)."""
    jan9 = dt.date(2019, 1, 9)
    assert one("Talks stalled in November.", jan9).label == "2018-11"
    assert one("Talks resumed in January.", jan9).label == "2019-01"
    assert one("a deal by March", jan9).label == "2019-03"
    assert one("signals since March").label == "2018-03"
    assert one("a deal by June").label == "2018-06"


def test_a_month_and_day_without_a_year_is_the_nearest_such_day():
    """Read on 2019-01-09: "December 28" = 2018-12-28 (12 days before; 2019's is 353 days after);
    "June 12" = 2019-06-12 (154 days after; 2018's is 211 days before). Read on 2018-05-22:
    "June 12" = 2018-06-12, the scheduled summit."""
    jan9 = dt.date(2019, 1, 9)
    assert one("They met on December 28.", jan9).first == dt.date(2018, 12, 28)
    assert one("a summit on June 12", jan9).first == dt.date(2019, 6, 12)
    assert one("the June 12 summit").first == dt.date(2018, 6, 12)
