"""Readers and writers of the Decide, KTAB and DEU III formats: hand-checked values, round trips,
errors with their place."""

from __future__ import annotations

import datetime as dt

import pytest

from standoff.errors import ScenarioError
from standoff.scenario.formats import (
    parse_decide,
    parse_deu,
    parse_ktab,
    read_decide,
    read_deu,
    read_ktab,
    to_decide,
    to_ktab,
)
from standoff.scenario.formats.decide import MISSING_NOTE


def content(s):
    return s.model_dump(mode="json", exclude={"path"})


DECIDE = """\
'#A'\t'A_one'\t'A one'\t''
'#A'\t'B'\t'B'\t'the second'
'#P'\t'tax'\t'Tax'\t'Tax rate'
'#M'\t'tax'\t0
'#M'\t'tax'\t10
'#P'\t'aid'\t'aid'\t'aid'
'#M'\t'aid'\t0
'#M'\t'aid'\t100
'#D'\t'A_one'\t'tax'\t2\t0.5\t3
'#D'\t'B'\t'tax'\t8\t0.25\t1
'#D'\t'B'\t'aid'\t40\t1.0\t1
"""


def test_decide_by_hand():
    """Saliences 0..1 become 0..100; A_one has no row on `aid`: salience 0 and the position of
    the only actor present there (40), marked as missing."""
    s = parse_decide(DECIDE, file="x.csv")
    assert s.actor_ids == ("a-one", "b") and s.issue_ids == ("tax", "aid")
    assert s.issue("tax").min == 0 and s.issue("tax").max == 10
    assert s.issue("tax").description == "Tax rate" and s.issue("aid").description is None
    a = s.actor("a-one")
    assert a.name == "A one" and a.capability.mode == 3
    assert a.positions["tax"].mode == 2 and a.salience["tax"].mode == 50
    assert a.salience["aid"].mode == 0 and a.positions["aid"].mode == 40
    assert a.positions["aid"].note == MISSING_NOTE
    assert s.actor("b").description == "the second"


def test_decide_round_trips():
    """Decide -> scenario -> Decide -> scenario gives the same scenario, and the written file
    leaves out the missing row again (3 #D rows, as read)."""
    s = parse_decide(DECIDE, file="x.csv")
    text = to_decide(s)
    assert text.count("'#D'") == 3
    assert content(parse_decide(text, file="x.csv")) == content(s)


def test_scenario_to_decide_round_trips(toy):
    """A YAML scenario written as Decide and read back keeps actors, issues and values."""
    back = parse_decide(to_decide(toy), file="toy.csv")
    assert back.actor_ids == toy.actor_ids and back.issue_ids == toy.issue_ids
    for a, b in zip(toy.actors, back.actors, strict=True):
        assert a.capability.mode == b.capability.mode
        for i in toy.issue_ids:
            assert a.positions[i].mode == b.positions[i].mode
            assert a.salience[i].mode == pytest.approx(b.salience[i].mode)


@pytest.mark.parametrize("text,message", [
    (DECIDE.replace("'#D'\t'B'\t'aid'\t40\t1.0\t1", "'#D'\t'B'\t'aid'\t40\t1.0\t2"),
     "different powers"),
    (DECIDE + "'#D'\t'C'\t'tax'\t1\t1\t1\n", "unknown actor 'C'"),
    (DECIDE.replace("\t0.5\t", "\thalf\t"), "'half' is not a number"),
])
def test_decide_errors_name_the_line(text, message):
    with pytest.raises(ScenarioError) as err:
        parse_decide(text, file="x.csv")
    assert message in err.value.report()
    assert "x.csv:" in err.value.report()


KTAB = """\
Test case,A small test,2,2,
Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,
Alpha, first, 100, 10.5, 50, 90, 20,
Beta Group, , 50, 80, 30, 0, 70,
"""


def test_ktab_by_hand():
    s = parse_ktab(KTAB, file="k.csv")
    assert s.id == "test-case" and s.description == "A small test"
    assert s.issue_ids == ("dimension-1", "dimension-2")
    assert s.actor_ids == ("alpha", "beta-group")
    assert s.actor("alpha").positions["dimension-1"].mode == 10.5
    assert s.actor("beta-group").salience["dimension-2"].mode == 70
    assert s.actor("beta-group").capability.mode == 50
    assert s.actor("alpha").description == "first"


def test_ktab_round_trips(reference_data):
    """KTAB -> scenario -> KTAB -> scenario is the identity, for both KTAB example files."""
    for name in ("ktab-dummy-3dim.csv", "ktab-soe-policy.csv"):
        s = read_ktab(reference_data / name)
        assert content(parse_ktab(to_ktab(s))) == content(s) | {"id": content(s)["id"]}
    assert read_ktab(reference_data / "ktab-soe-policy.csv").issue_ids == ("policy",)


def test_ktab_rescales_positions(toy):
    """Issue b of the toy case is 0..10: x's position 2 is written as 20 on KTAB's 0..100."""
    row = [r for r in to_ktab(toy).splitlines() if r.startswith("X,")][0].split(",")
    assert float(row[5]) == 20.0


def test_ktab_wrong_count_is_reported():
    with pytest.raises(ScenarioError, match="says 3 actors but 2"):
        parse_ktab(KTAB.replace(",2,2,", ",3,2,", 1), file="k.csv")


DEU_HEAD = ("prnr\tisnr\tprname\tproc\tcounvte\tintro\tfinact\tpcom\tpep\tpat\tpbe\tscom\tsep\t"
            "sat\tsbe\trp\tout")


def test_deu_by_hand():
    """Row 2 (weights, no prnr) is skipped. Proposal p1 has two issues; Belgium has a position
    on only one of them, so it is left out and named. Austria's missing salience is 50. The
    first outcome's finact (01-02-03) is plausible; the second's (999) is not: intro is used.
    Unanimity: the council members present (Austria) are veto holders."""
    text = "\n".join([
        DEU_HEAD,
        "\t\t\t\t\t\t\t4.1\t4.1\t0.5\t0.6\t\t\t\t\t\t",
        "p1\tp1i1\tbuses\tCOD\tUnan\t23-03-00\t01-02-03\t100\t50\t0\t10\t80\t60\t\t50\t20\t50",
        "p1\tp1i2\tbuses\tCOD\tUnan\t23-03-00\t999\t0\t100\t100\t\t70\t70\t90\t\t\t100",
        "p2\tp2i1\tcars\tCNS\tQMV\t2014-07-04\t\t0\t\t\t\t50\t\t\t\t\t0",
        "p3\tp3i1\tvans\tCNS\tQMV\t2014-07-04\t2022-05-05\t0\t10\t\t\t50\t\t\t\t\t",
    ])
    r = parse_deu(text, file="d.csv")
    assert r.skipped == {"p2": "only 1 actor(s) have positions on all 1 issues"}
    # the garbled 2014-07-04 is 14 July 2004; 2022-05-05 is 22 May 2005; blank `out`: none
    assert str(r["p3"].baseline) == "2004-07-14" and r["p3"].recorded == ()
    s = r["p1"]
    assert s.id == "deu3-p1" and s.issue_ids == ("p1i1", "p1i2")
    assert s.actor_ids == ("commission", "parliament", "austria")
    assert "Belgium" in s.description
    assert s.actor("austria").salience["p1i1"].mode == 50
    assert s.actor("austria").salience["p1i2"].mode == 90
    assert s.issue("p1i1").status_quo.mode == 20 and s.issue("p1i2").status_quo is None
    assert [(str(x.date), x.value) for x in s.recorded] == [("2003-02-01", 50.0),
                                                              ("2000-03-23", 100.0)]
    assert s.group("council").veto == ("austria",)
    assert str(s.baseline) == "2000-03-23"


def test_deu3_train(reference_data):
    """The DEU III training file: 79 proposals, 211 issues, every proposal read (the issues
    of a proposal together), each with at least two actors and an outcome per issue."""
    r = read_deu(reference_data / "deu3-train.csv")
    assert len(r.scenarios) == 79 and r.skipped == {}
    assert sum(len(s.issues) for s in r.scenarios) == 211
    assert all(len(s.actors) >= 2 for s in r.scenarios)
    # `out` is blank on 5 issues (proposals d05127 and d160397): no recorded outcome there
    assert sum(len(s.recorded) for s in r.scenarios) == 206
    # garbled introduction dates (2014-07-04 for d04167) decode into the proposal's year
    for s in r.scenarios:
        yy = int(s.id.removeprefix("deu3-")[1:3])
        assert s.baseline.year == (2000 + yy if yy < 50 else 1900 + yy), s.id
    # recorded dates lie between the proposal and the data set's publication
    assert all(s.baseline <= x.date <= dt.date(2021, 12, 31) for s in r.scenarios
               for x in s.recorded)


def test_cop21_reads(shared_data):
    """COP21: 15 actors, 13 issues on 0..100; ALBA has no rows on amb2050 and amb2100."""
    s = read_decide(shared_data / "decide-cop21.csv")
    assert len(s.actors) == 15 and len(s.issues) == 13
    assert s.actor("alba").salience["amb2050"].mode == 0
    assert s.actor("african-grp").positions["differentiation"].mode == 70
    assert s.actor("african-grp").salience["differentiation"].mode == 75
    assert s.actor("african-grp").capability.mode == 0.25
    again = parse_decide(to_decide(s), file=s.path)
    assert content(again) == content(s)


def test_read_scenario_recognises_the_formats(tmp_path, toy):
    """`standoff.load` / read_scenario tells a Decide file, a KTAB file and a one-issue table
    apart by their first lines."""
    from standoff.scenario import read_scenario
    from standoff.scenario.io import sniff_csv

    (tmp_path / "d.csv").write_text(DECIDE)
    (tmp_path / "k.csv").write_text(KTAB)
    (tmp_path / "t.csv").write_text("actor,capability,position,salience\nA,1,2,3\nB,1,5,3\n")
    assert read_scenario(tmp_path / "d.csv").actor_ids == ("a-one", "b")
    assert read_scenario(tmp_path / "k.csv").issue_ids == ("dimension-1", "dimension-2")
    assert read_scenario(tmp_path / "t.csv").issue_ids == ("issue",)
    assert [sniff_csv(t) for t in (DECIDE, KTAB, to_ktab(toy), to_decide(toy))] == \
        ["decide", "ktab", "ktab", "decide"]


DECIDE_LABELLED = """\
#O\tToll ring for the city centre
#/\tID\tFull name
#A\tCouncil\tCity council
#A\tShops\tShopkeepers' association
#P\ttoll\tShould there be a toll?
#M\ttoll\t0\tNo, never
#M\ttoll\t50\tOnly with conditions
#M\ttoll\t100\tYes
#P\tprice\tHow high?
#M\tprice\t0.5\teuro
#M\tprice\t7\teuro
#/\tactor\tissue\tposition\tsalience\tpower
#D\tCouncil\ttoll\t100\t0.95\t1
#D\tShops\ttoll\t0\t0.9\t0.6
#D\tCouncil\tprice\t3\t0.7\t1
#D\tShops\tprice\t0.5\t0.8\t0.6
"""


def test_decide_titles_comments_and_labelled_points():
    """Unquoted cells, a '#O' title, '#/' comments, and '#M' points with labels: the lowest and
    highest point are the scale's ends, labelled points become anchors; the round trip keeps
    them."""
    s = parse_decide(DECIDE_LABELLED, file="toll.txt")
    assert s.title == "Toll ring for the city centre"
    toll = s.issue("toll")
    assert (toll.min, toll.max) == (0, 100)
    assert [(a.value, a.label) for a in toll.anchors] == [(0, "No, never"),
                                                          (50, "Only with conditions"),
                                                          (100, "Yes")]
    assert (s.issue("price").min, s.issue("price").max) == (0.5, 7)
    assert s.actor("shops").capability.mode == 0.6
    assert content(parse_decide(to_decide(s), file="toll.txt")) == content(s)
