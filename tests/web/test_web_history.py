"""The forecast history endpoint: the accepted updates of a case, as the run store holds them."""

from __future__ import annotations

import pytest

from standoff import tasks
from standoff.loading import load
from standoff.models import make

NEWS = ("date,source,target,cameo,text,origin\n"
        "2018-06-01,Kim Jong Un,Donald Trump,036,Kim offers talks,Yonhap\n"
        "2018-06-01,North Korea,United States,036,Kim offers talks,KCNA\n")


def test_history_lists_each_accepted_update_with_the_forecast_before_and_after(client, store, tmp_path):
    """One story (two publishers) proposes moves of kim-jong-un towards trump; accepting it is recorded
    and the endpoint gives back the forecast the update recorded (before and after, per issue); an
    update that accepts nothing is no part of the history."""
    news = tmp_path / "news.csv"
    news.write_text(NEWS)
    found = tasks.update.proposals(load("korea-2018"), news, model=make("compromise"))
    assert [len(s.reports) for s in found.stories] == [2] and len(found.assessed) == 1
    accepted = tasks.update.decide_all(found, "all")
    tasks.record(accepted, store, case="korea-2018")
    tasks.record(tasks.update.decide_all(found, "none"), store, case="korea-2018")
    rows = client.get("/api/cases/korea-2018/history").json()
    assert [r["issue"] for r in rows] == list(load("korea-2018").issue_ids)
    for row in rows:
        assert row["accepted"] == 1 and row["news up to"] == "2018-06-01"
        assert row["before"] == pytest.approx(accepted.before.value(row["issue"]))
        assert row["after"] == pytest.approx(accepted.after.value(row["issue"]))
    assert any(abs(r["change"]) > 0 for r in rows)
    assert client.get("/api/cases/korea-2019/history").json() == []
    assert client.get("/api/cases/no-such-case/history").status_code == 404
