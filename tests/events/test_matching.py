"""Actor matching through aliases, unmatched counts, dyad-week tallies, atomic writes, attaching."""

from __future__ import annotations

import datetime as dt

import pytest

from standoff.events import pipeline
from standoff.events.matching import ActorMatcher, AliasError, Party
from standoff.events.record import EventRecord, ReadReport
from standoff.events.store import attach, write_events_csv
from standoff.events.summary import DyadWeeks, week_start
from standoff.scenario.io import parse_yaml

from .conftest import DYAD_YAML, gdelt_row


def rec(date, source, target, cameo, goldstein, **kw):
    return EventRecord(dt.date.fromisoformat(date), source, target, cameo, goldstein, None, "", **kw)


def test_aliases_names_countries_and_codes(dyad):
    """Name, then country, then actor code, then its ISO prefix; case and spaces ignored. An
    actor's alias ("United States" for trump) beats the group's own name."""
    m = ActorMatcher(dyad)
    assert m.match("Donald Trump") == Party("trump", "united-states")
    assert m.match("  kim   JONG-UN ") == Party("kim", "north-korea")
    assert m.match("Government (North Korea)", country="North Korea") == Party("kim", "north-korea")
    assert m.match("MINISTRY", code="KORGOV") == Party("moon", None)
    assert m.match("United States") == Party("trump", "united-states")
    assert m.match("Vietnam", country="Vietnam", code="VNM") is None


def test_group_name_without_alias_names_the_group():
    s = parse_yaml(DYAD_YAML.replace('aliases: [Trump, "United States", USA]', "aliases: [Trump]"))
    assert ActorMatcher(s).match("United States") == Party(None, "united-states")
    assert Party(None, "united-states").key == "united-states"


def test_alias_clash_is_an_error():
    s = parse_yaml(DYAD_YAML.replace('aliases: ["South Korea", KOR]', "aliases: [Trump]"))
    with pytest.raises(AliasError, match="'Trump' names both trump and moon"):
        ActorMatcher(s)


def test_unmatched_rows_are_counted_not_dropped(dyad):
    """4 records: matched, unknown source, unknown target, no target at all (kept)."""
    records = [rec("2018-03-01", "Trump", "Kim Jong-un", "036", 4.0),
               rec("2018-03-01", "Vietnam", "Kim Jong-un", "036", 4.0),
               rec("2018-03-01", "Trump", "Vietnam", "036", 4.0),
               rec("2018-03-02", "North Korea", "", "150", -7.2)]
    report = ReadReport("x", "csv", rows=4)
    kept = list(ActorMatcher(dyad).match_events(records, report))
    assert [(e.source.actor, e.target and e.target.actor) for e in kept] == [("trump", "kim"), ("kim", None)]
    assert dict(report.unmatched) == {"source": 1, "target": 1}
    assert report.rows == report.kept + report.n_unmatched


def test_dyad_week_tally_by_hand(dyad):
    """Week of Mon 26 Feb 2018: trump→north-korea 036 (+4.0) and 112 (−2.0): 2 events, sum 2.0,
    one verbal cooperation, one verbal conflict. Week of 5 Mar: 190 (−10), material conflict."""
    m = ActorMatcher(dyad)
    events = list(m.match_events([rec("2018-02-26", "Trump", "North Korea", "036", 4.0),
                                  rec("2018-03-04", "USA", "PRK", "112", -2.0),
                                  rec("2018-03-05", "Trump", "Kim Jong-un", "190", -10.0)]))
    frame = DyadWeeks().update(events).frame()
    assert week_start(dt.date(2018, 3, 4)) == dt.date(2018, 2, 26)
    assert frame.to_dict("records") == [
        {"source": "united-states", "target": "north-korea", "week": dt.date(2018, 2, 26), "events": 2,
         "goldstein_sum": 2.0, "verbal_cooperation": 1, "material_cooperation": 0,
         "verbal_conflict": 1, "material_conflict": 0},
        {"source": "united-states", "target": "north-korea", "week": dt.date(2018, 3, 5), "events": 1,
         "goldstein_sum": -10.0, "verbal_cooperation": 0, "material_cooperation": 0,
         "verbal_conflict": 0, "material_conflict": 1}]


def test_failed_write_leaves_no_partial_file(tmp_path):
    """A stream that breaks half-way writes nothing: no target file, no temporary left over."""
    def broken():
        yield rec("2018-03-01", "Trump", "Kim", "036", 4.0)
        raise RuntimeError("disk gone")

    out = tmp_path / "events.csv"
    with pytest.raises(RuntimeError):
        write_events_csv(broken(), out)
    assert list(tmp_path.iterdir()) == []


def test_import_writes_csv_that_reads_back(tmp_path, dyad):
    """GDELT 2.0 rows → matched CSV → read again as --from csv: same dates, codes, actors."""
    src = tmp_path / "g.tsv"
    src.write_text("\n".join([gdelt_row(61), gdelt_row(61, a1="VNM", a1name="VIETNAM"),
                              gdelt_row(61, code="036", date="20180302")]) + "\n")
    out = tmp_path / "out.csv"
    report = pipeline.import_events(src, None, dyad, out)
    assert (report.rows, report.kept, dict(report.unmatched)) == (3, 2, {"source": 1})
    again, report2 = pipeline.stream(out, "csv", dyad)
    back = list(again)
    assert [(e.record.date, e.record.cameo, e.source.actor, e.target.actor) for e in back] == [
        (dt.date(2018, 3, 1), "190", "trump", "kim"), (dt.date(2018, 3, 2), "036", "trump", "kim")]


def test_attach_keeps_same_day_order_stable(dyad):
    """Imported events go after the case's own events of the same day, in file order; replay
    before every event gives the base scenario."""
    m = ActorMatcher(dyad)
    imported = list(m.match_events([rec("2018-02-01", "Trump", "Kim", "0311", 3.0),
                                    rec("2018-01-05", "Moon Jae-in", "Kim", "040", 1.0)]))
    s = attach(dyad, imported)
    assert [(str(e.date), e.cameo) for e in s.events] == [
        ("2018-01-05", "040"), ("2018-01-10", "036"), ("2018-02-01", "112"), ("2018-02-01", "040"),
        ("2018-02-01", "0311")]
    assert all(not e.effects for e in s.events[-1:])
    assert s.as_of("2018-01-04").actors == dyad.actors
