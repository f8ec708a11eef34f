"""`standoff events update` end to end on the two-state case: proposals by hand, accept, edit, reject,
the case file written, the forecast history, and one channel per event."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli_process import standoff
from standoff.cli import app
from standoff.events.reservations import belief
from standoff.scenario import read_scenario

from .conftest import DYAD_YAML

runner = CliRunner()

#: One story (kim -> trump, 036 "express intent to meet", Goldstein +4) from three publishers.
NEWS = ("date,source,target,cameo,text,origin\n"
        "2018-03-01,North Korea,United States,036,North Korea offers talks with the United States on its "
        "nuclear programme,Yonhap\n"
        "2018-03-01,Kim Jong-Un,Trump,036,Kim offers talks with the United States on the nuclear "
        "programme,KCNA\n"
        "2018-03-02,PRK,USA,036,North Korea offers nuclear talks with United States,Reuters\n")

#: Compromise on the two-state case: weights c·s = trump 60·80 = 4800 (x 100), kim 30·100 = 3000
#: (x 10), moon 10·60 = 600 (x 60); forecast = (480000 + 30000 + 36000) / 8400 = 65.
BEFORE = 65.0
#: The rule moves kim 0.2 × 0.5 × (4/10) × (100 − 10) = +3.6 towards trump: the forecast moves by
#: 3000 × 3.6 / 8400 = 1.285714…, to 66.285714…
AFTER = 556800 / 8400


@pytest.fixture
def case(tmp_path):
    path = tmp_path / "dyad.yaml"
    path.write_text(DYAD_YAML)
    news = tmp_path / "news.csv"
    news.write_text(NEWS)
    return path, news


def payload(res) -> dict:
    """The JSON on stdout (CliRunner echoes the piped answers there before it; a terminal does not)."""
    return json.loads(res.stdout[res.stdout.index("{"):])


def update(case, *args, input=None):
    path, news = case
    res = runner.invoke(app, ["events", "update", str(path), "--events", str(news), "--no-progress",
                              *map(str, args)], input=input, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res


def test_proposals_as_json_carry_evidence_and_the_forecast_before_and_after(case):
    res = update(case, "--format", "json")
    data = json.loads(res.stdout)
    assert (data["rows"], data["reports"], data["stories"], data["proposals"] and len(data["proposals"])) \
        == (3, 3, 1, 1)
    (p,) = data["proposals"]
    assert p["effects"] == [{"actor": "kim", "field": "position", "issue": "arms", "by": 3.6,
                             "note": "rule: kim position on arms: 0.2 × 0.5 × (+4/10) × (100 − 10) = +3.6",
                             "source": "news-2018-03-01-kim-trump-036"}]
    assert p["sources"] == ["Yonhap", "KCNA", "Reuters"]
    assert p["stories"][0]["where"] == ["news.csv:2", "news.csv:3", "news.csv:4"]
    assert p["forecast_before"]["arms"] == pytest.approx(BEFORE)
    assert p["forecast_after"]["arms"] == pytest.approx(AFTER)
    # --accept none (the default): nothing accepted, the forecast unchanged
    assert data["accepted"] == [] and data["forecast_after"] == data["forecast_before"]


def test_accepting_writes_a_case_that_validates_and_moves_the_forecast_by_hand(case, tmp_path):
    out = tmp_path / "updated.yaml"
    data = json.loads(update(case, "--accept", "all", "-o", out, "--format", "json").stdout)
    assert data["accepted"] == ["p1"] and data["written"] == str(out)
    assert data["forecast_change"]["arms"] == pytest.approx(AFTER - BEFORE)
    updated = read_scenario(out)
    original = read_scenario(case[0])
    assert updated.events[:len(original.events)] == original.events
    added = updated.events[-1]
    assert (added.date.isoformat(), added.actor, added.target, added.cameo) == ("2018-03-01", "kim", "trump",
                                                                               "036")
    assert [(e.field, e.by, e.source) for e in added.effects] == [("position", 3.6, added.source)]
    assert updated.sources[-1].id == added.source and updated.sources[-1].publisher == "Yonhap; KCNA; Reuters"
    assert updated.as_of("2018-03-01").actor("kim").positions["arms"].mode == pytest.approx(13.6)
    assert updated.actors == original.actors  # the baseline values are untouched
    # a forecast of the file written agrees
    res = runner.invoke(app, ["forecast", str(out), "-m", "compromise", "--format", "json", "--no-record"])
    assert json.loads(res.stdout)[0]["issues"][0]["value"] == pytest.approx(AFTER)


def test_rejecting_leaves_the_case_byte_identical(case, tmp_path):
    path, _ = case
    before = path.read_bytes()
    update(case, "--accept", "none")
    update(case, "--accept", "interactive", input="r\n")
    assert path.read_bytes() == before
    copy = tmp_path / "copy.yaml"
    update(case, "--accept", "interactive", "-o", copy, input="r\n")
    assert copy.read_bytes() == before


def test_interactive_accept_and_edit(case, tmp_path):
    """Accept at the prompt writes the case in place; an edit to +2 moves the forecast by
    3000 × 2 / 8400 = 0.714286 instead."""
    path, _ = case
    res = update(case, "--accept", "interactive", "--format", "json", input="e\n2\n")
    data = payload(res)
    assert data["decisions"] == {"p1": "edit"}
    assert data["forecast_change"]["arms"] == pytest.approx(3000 * 2 / 8400)
    assert "proposes: kim position on arms" in res.stderr and "Yonhap, KCNA, Reuters" in res.stderr
    (effect,) = read_scenario(path).events[-1].effects
    assert effect.by == 2.0 and effect.note == "edited from the rule's +3.6"
    path.write_text(DYAD_YAML)
    update(case, "--accept", "interactive", input="a\n")
    assert read_scenario(path).events[-1].effects[0].by == 3.6


def test_an_edit_that_drops_every_effect_rejects(case):
    path, _ = case
    before = path.read_bytes()
    data = payload(update(case, "--accept", "interactive", "--format", "json", input="e\n0\n"))
    assert data["decisions"] == {"p1": "reject"} and path.read_bytes() == before


def test_accepted_updates_make_the_forecast_history(case, tmp_path):
    """Two updates recorded: the first accepts (65 -> 66.2857), the second rejects (not history)."""
    db = tmp_path / "runs.sqlite"
    out = tmp_path / "updated.yaml"
    update(case, "--accept", "all", "-o", out, "--db", db)
    update(case, "--accept", "none", "--db", db)
    res = runner.invoke(app, ["timeline", str(out), "--history", "--db", str(db), "--format", "json"])
    (row,) = json.loads(res.stdout)
    assert (row["issue"], row["accepted"], row["news up to"], row["model"]) == ("arms", 1, "2018-03-01",
                                                                                  "compromise")
    assert row["before"] == pytest.approx(BEFORE) and row["after"] == pytest.approx(AFTER)


def test_an_accepted_event_feeds_its_effects_not_the_beliefs(case, tmp_path):
    """The accepted story declares effects, so the reservation belief about kim routes it to effects
    and counts no story for it (an event moves a forecast once)."""
    out = tmp_path / "updated.yaml"
    update(case, "--accept", "all", "-o", out)
    s = read_scenario(out).as_of("2018-03-01")
    bel = belief(s, "kim")
    added = s.events[-1]
    assert added.effects and added in bel.routed_to_effects
    assert all(added.description not in st.descriptions for st in bel.stories)


def test_a_built_in_case_needs_an_output_file():
    res = standoff("events", "update", "korea-2018", "--events", "x.csv", "--accept", "all")
    assert res.returncode == 2 and "give -o CASE.yaml" in res.stderr and "Traceback" not in res.stderr
    res = standoff("events", "update", "korea-2018", "--events", "x.csv", "-o", "out.csv")
    assert res.returncode == 2 and "not a .yaml file" in res.stderr and "Traceback" not in res.stderr


def test_bad_rule_parameters_exit_2(case):
    path, news = case
    res = standoff("events", "update", str(path), "--events", str(news), "--rule", "pull=3")
    assert res.returncode == 2 and "pull" in res.stderr and "Traceback" not in res.stderr
    res = standoff("events", "update", str(path), "--events", str(news), "--rule", "speed=1")
    assert res.returncode == 2 and "unknown rule parameter speed" in res.stderr
