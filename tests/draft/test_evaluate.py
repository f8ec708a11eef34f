"""The evaluation counts, on a tiny text whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from standoff.draft.draft import analyse
from standoff.draft.evaluate import evaluate, interval

TEXT = ("Last updated: March 10, 2020\n\n"
        "On March 2, Russia threatened Ukraine. Ukraine met Poland yesterday. "
        "Officials in Warsaw said the talks would resume next week.")

GOLD = {
    "actors": [{"id": "russia", "names": ["Russia", "Kremlin"]},
               {"id": "ukraine", "names": ["Ukraine", "Kyiv"]},
               {"id": "belarus", "names": ["Belarus"]}],
    "dates": [{"cue": "March 10, 2020", "value": dt.date(2020, 3, 10)},
              {"cue": "March 2", "value": dt.date(2020, 3, 2)},
              {"cue": "yesterday", "value": dt.date(2020, 3, 9)}],
    "events": [{"source": "russia", "target": "ukraine", "root": "13", "date": dt.date(2020, 3, 2)},
               {"source": "poland", "target": "ukraine", "root": "04", "date": dt.date(2020, 3, 9)},
               {"source": "russia", "target": "ukraine", "root": "17", "date": None}],
}


def test_precision_and_recall_by_hand():
    """Document date 2020-03-10 (from the date line), keyword coder.

    actors: proposed Russia, Ukraine, Poland; gold Russia, Ukraine, Belarus
            -> precision 2/3, recall 2/3.
    dates:  found "March 10, 2020", "On March 2", "yesterday" (= 9 March), "next week";
            the first three match gold cues and values, "next week" is not in the gold
            -> precision 3/4, recall 3/3.
    events: proposed (russia, ukraine, 13, 2 March), (ukraine, poland, 04, 9 March),
            (poland, -, 01, week of 16 March); the first matches gold 1, the second gold 2
            (root 04 matches either order), the third nothing; gold 3 is missed
            -> precision 2/3, recall 2/3.
    """
    a = analyse(TEXT, coder="keyword")
    assert a.date == dt.date(2020, 3, 10)
    s = evaluate(a, GOLD)
    assert (s["actors"].precision, s["actors"].recall) == pytest.approx((2 / 3, 2 / 3))
    assert (s["dates"].precision, s["dates"].recall) == pytest.approx((3 / 4, 1.0))
    assert (s["events"].precision, s["events"].recall) == pytest.approx((2 / 3, 2 / 3))
    assert s["events"].f1 == pytest.approx(2 / 3)


def test_gold_date_intervals():
    assert interval("2018-03") == (dt.date(2018, 3, 1), dt.date(2018, 3, 31))
    assert interval("2018-12") == (dt.date(2018, 12, 1), dt.date(2018, 12, 31))
    assert interval(2003) == (dt.date(2003, 1, 1), dt.date(2003, 12, 31))
    weekend = (dt.date(2018, 5, 19), dt.date(2018, 5, 20))
    assert interval(list(weekend)) == weekend
    assert interval(None) is None
