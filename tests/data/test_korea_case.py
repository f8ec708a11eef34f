"""The flagship Korea 2018 case: complete, sourced, dated no later than 22 May 2018, and replayable.

The replay checks use values worked out by hand from the case file; each test's docstring shows
the arithmetic (baseline value, then every declared effect up to the date).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
import yaml

from standoff.scenario import read_scenario

CASE = Path(__file__).parents[2] / "src/standoff/data/cases/korea-2018.yaml"
AS_OF = dt.date(2018, 5, 22)
BASELINE = dt.date(2018, 1, 1)

REQUIRED_GROUPS = {"united-states", "north-korea", "south-korea", "japan", "china", "russia"}
REQUIRED_ACTORS = {
    "trump": "united-states",
    "bolton": "united-states",
    "pompeo": "united-states",
    "mattis": "united-states",
    "us-congress": "united-states",
    "kim-jong-un": "north-korea",
    "north-korean-hardliners": "north-korea",
    "moon-jae-in": "south-korea",
    "shinzo-abe": "japan",
    "xi-jinping": "china",
    "vladimir-putin": "russia",
}
REQUIRED_ISSUES = {"denuclearization", "sanctions-relief", "us-forces", "security-guarantees"}
REQUIRED_DEALS = {"libya-model", "phased-denuclearization", "freeze-for-freeze", "nuclear-north-korea"}
REQUIRED_EVENT_DATES = ["2018-01-01", "2018-02-09", "2018-03-08", "2018-04-21", "2018-04-27",
                        "2018-05-09", "2018-05-16", "2018-05-17"]


@pytest.fixture(scope="module")
def case():
    return read_scenario(CASE)


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(CASE.read_text(encoding="utf-8"))


def test_the_case_loads_and_is_a_built_in_case(case):
    from standoff.data import case_names

    assert case.id == "korea-2018"
    assert case.baseline == BASELINE
    assert "korea-2018" in case_names()


def test_actors_and_groups(case):
    assert len(case.actors) >= 10
    assert REQUIRED_GROUPS <= set(case.group_ids)
    for actor_id, group_id in REQUIRED_ACTORS.items():
        assert case.actor(actor_id).group == group_id, actor_id
    assert not set(case.actor_ids) & set(case.group_ids)
    assert "trump" in case.group("united-states").veto
    assert "kim-jong-un" in case.group("north-korea").veto
    for group_id in ("united-states", "north-korea"):
        group = case.group(group_id)
        assert len(case.members(group_id)) >= 2
        assert group.cost_of_war is not None and 0 <= group.cost_of_war.mode <= 1
        assert group.ratification_quota is not None
    for actor in case.actors:
        assert actor.aliases, f"{actor.id} has no aliases for matching event data"


def test_issues_are_0_to_100_scales_with_anchors_and_status_quo(case):
    assert len(case.issues) >= 4
    assert REQUIRED_ISSUES <= set(case.issue_ids)
    for issue in case.issues:
        assert (issue.min, issue.max) == (0, 100), issue.id
        assert 4 <= len(issue.anchors) <= 6, issue.id
        assert all(a.label for a in issue.anchors)
        values = [a.value for a in issue.anchors]
        assert values == sorted(values) and len(set(values)) == len(values), issue.id
        assert {0, 100} <= set(values), f"{issue.id}: label both ends of the scale"
        assert issue.status_quo is not None, issue.id
        assert issue.description and "0 =" in issue.description and "100 =" in issue.description


def test_denuclearization_ends_at_the_libya_model(case):
    anchors = {a.value: a.label for a in case.issue("denuclearization").anchors}
    assert "Libya" in anchors[100]
    assert "freeze" in anchors[20]


def test_named_outcomes(case):
    outcomes = {o.id: o for o in case.outcomes}
    assert REQUIRED_DEALS <= set(outcomes)
    for outcome_id in REQUIRED_DEALS:
        outcome = outcomes[outcome_id]
        assert outcome.kind == "deal"
        assert set(outcome.positions) == set(case.issue_ids), outcome_id
    assert outcomes["libya-model"].positions["denuclearization"] == 100
    force = outcomes["use-of-force"]
    assert force.kind == "crisis" and not force.positions


def test_every_source_is_dated_no_later_than_the_analysis(case):
    assert case.sources
    for source in case.sources:
        assert source.date is not None, source.id
        assert source.date <= AS_OF, f"{source.id} is dated {source.date}, after {AS_OF}"
    assert "orchard-2018" in {s.id for s in case.sources}


def test_no_recorded_outcomes(case, raw):
    """Outcomes after 22 May would be informed by later sources: the case records none."""
    assert "recorded" not in raw
    assert case.recorded == ()


def test_every_value_and_effect_has_a_note_and_a_source(case):
    missing = []
    for actor in case.actors:
        values = [("capability", actor.capability)]
        values += [(f"positions.{i}", v) for i, v in actor.positions.items()]
        values += [(f"salience.{i}", v) for i, v in actor.salience.items()]
        missing += [f"{actor.id}.{where}" for where, v in values if not (v.note and v.source)]
    for issue in case.issues:
        if not (issue.status_quo.note and issue.status_quo.source):
            missing.append(f"{issue.id}.status_quo")
    for group in case.groups:
        if group.cost_of_war is not None and not (group.cost_of_war.note and group.cost_of_war.source):
            missing.append(f"{group.id}.cost_of_war")
    for event in case.events:
        if not event.source:
            missing.append(f"event {event.date} {event.actor}")
        missing += [f"effect of {event.date} on {f.actor}" for f in event.effects
                    if not (f.note and f.source)]
    assert not missing, missing


def test_effects_start_on_or_after_the_baseline_and_events_are_in_date_order(case):
    dates = [e.date for e in case.events]
    assert dates == sorted(dates)
    assert all(e.date >= case.baseline for e in case.events if e.effects)
    assert max(dates) <= AS_OF


def test_cameo_codes_exist_in_the_codebook(case, reference_data):
    path = reference_data.parent / "cameo" / "cameo-codes.csv"
    if not path.is_file():
        pytest.skip(f"{path} (the CAMEO codebook) is absent")
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        codes = {row["code"] for row in csv.DictReader(f)}
    unknown = [(str(e.date), e.cameo) for e in case.events if e.cameo not in codes]
    assert not unknown, unknown


@pytest.mark.parametrize("date", REQUIRED_EVENT_DATES)
def test_required_events_exist(case, date):
    assert any(e.date == dt.date.fromisoformat(date) for e in case.events), date


def test_key_events_are_coded(case):
    by_date = {}
    for e in case.events:
        by_date.setdefault(str(e.date), []).append(e)
    assert any(e.cameo == "057" for e in by_date["2018-04-27"])        # Panmunjom declaration signed
    assert any(e.cameo == "0841" for e in by_date["2018-05-09"])       # detainees released
    assert {e.cameo for e in by_date["2018-05-16"]} >= {"164", "134"}  # talks halted, summit threatened


# --- replay -----------------------------------------------------------------------------------

def test_as_of_the_baseline_is_the_file(case, raw):
    """The New Year address (1 Jan) carries no effects, and nothing else happens before 9 Jan."""
    for date in ("2018-01-01", "2018-01-08"):
        assert case.as_of(date).actors == case.actors
    trump = next(a for a in raw["actors"] if a["id"] == "trump")
    assert case.actor("trump").positions["denuclearization"].mode == \
        trump["positions"]["denuclearization"]["value"] == 95


def test_bolton_gains_clout_when_named_and_installed(case):
    """Bolton's capability: 10 in January (outside hawk); +20 when named on 22 March -> 30;
    +15 on taking office on 9 April -> 45; -5 when Trump disowns the Libya model on 17 May -> 40."""
    expected = {"2018-03-01": 10, "2018-03-21": 10, "2018-03-22": 30, "2018-04-08": 30,
                "2018-04-09": 45, "2018-05-16": 45, "2018-05-17": 40, "2018-05-22": 40}
    for date, value in expected.items():
        assert case.as_of(date).actor("bolton").capability.mode == value, date
    cap = case.as_of("2018-05-22").actor("bolton").capability
    assert (cap.low, cap.high) == (35, 45)  # the range 5..15 moves with the value


def test_pompeo_gains_clout_from_cia_to_state(case):
    """30 (CIA director) +10 nominated 13 Mar +5 Pyongyang trip confirmed 18 Apr
    +15 confirmed 26 Apr = 60."""
    expected = {"2018-03-12": 30, "2018-03-13": 40, "2018-04-18": 45, "2018-04-25": 45,
                "2018-04-26": 60, "2018-05-22": 60}
    for date, value in expected.items():
        assert case.as_of(date).actor("pompeo").capability.mode == value, date


def test_trump_moves_toward_a_deal(case):
    """denuclearization 95 -5 (freeze, 21 Apr) -10 (Libya model disowned, 17 May) -5 (22 May) = 75;
    security guarantees 10 +10 (8 Mar) +10 (27 Apr) +5 (9 May) +15 (17 May) = 50;
    sanctions relief 5 +10 (17 May) = 15."""
    may22 = case.as_of("2018-05-22").actor("trump")
    assert may22.positions["denuclearization"].mode == 75
    assert may22.positions["security-guarantees"].mode == 50
    assert may22.positions["sanctions-relief"].mode == 15
    assert may22.positions["us-forces"].mode == case.actor("trump").positions["us-forces"].mode
    assert case.as_of("2018-05-16").actor("trump").positions["denuclearization"].mode == 90
    assert case.as_of("2018-04-30").actor("trump").positions["security-guarantees"].mode == 30


def test_kim_concedes_little(case):
    """denuclearization 0 +15 (envoys, 5 Mar) +5 (test freeze, 21 Apr) = 20, the freeze point;
    US forces 15 +15 (5 Mar) -10 (Max Thunder, 16 May) = 20."""
    kim = lambda date: case.as_of(date).actor("kim-jong-un")  # noqa: E731
    assert kim("2018-03-04").positions["denuclearization"].mode == 0
    assert kim("2018-03-05").positions["denuclearization"].mode == 15
    assert kim("2018-05-22").positions["denuclearization"].mode == 20
    assert kim("2018-05-15").positions["us-forces"].mode == 30
    assert kim("2018-05-22").positions["us-forces"].mode == 20
    assert kim("2018-05-22").salience["sanctions-relief"].mode == 35
    freeze = {a.value: a.label for a in case.issue("denuclearization").anchors}[20]
    assert "freeze" in freeze


def test_mattis_opens_then_closes_the_garrison_question(case):
    """US forces 85; -5 on 27 Apr (left to the diplomats) -> 80; +5 on 9 May (not on the table) -> 85.
    On 27 Apr the Panmunjom event comes first in the file, then Mattis's remark."""
    us_forces = lambda date: case.as_of(date).actor("mattis").positions["us-forces"].mode  # noqa: E731
    assert [us_forces(d) for d in ("2018-04-26", "2018-04-27", "2018-05-08", "2018-05-09")] == \
        [85, 80, 80, 85]


def test_moon_and_xi_gain_clout(case):
    """Moon 45 +5 (9 Jan) +5 (9 Feb) +5 (8 Mar) = 60; Xi 65 +10 (26 Mar) +5 (8 May) = 80."""
    may22 = case.as_of("2018-05-22")
    assert may22.actor("moon-jae-in").capability.mode == 60
    assert may22.actor("xi-jinping").capability.mode == 80


def test_replay_matches_an_independent_replay_of_the_file(case, raw):
    """Apply every effect of the raw YAML by hand, in date order (same day: file order), and
    compare every actor's capability, positions, saliences and declared reservation points, and
    every issue's status quo (the reversion point, moved by `status_quo` effects), on each event
    date."""
    def value(v):
        return v["value"] if isinstance(v, dict) else v

    sq = {i["id"]: value(i["status_quo"]) for i in raw["issues"]}

    state = {a["id"]: {("capability", None): value(a["capability"]),
                       **{("position", i): value(v) for i, v in a["positions"].items()},
                       **{("salience", i): value(v) for i, v in a["salience"].items()},
                       **{("reservation", i): value(v) for i, v in a.get("reservation", {}).items()}}
             for a in raw["actors"]}
    events = sorted(enumerate(raw["events"]), key=lambda kv: (kv[1]["date"], kv[0]))
    dates = sorted({e["date"] for _, e in events})
    for date in dates:
        for _, event in (kv for kv in events if kv[1]["date"] == date):
            for f in event.get("effects", []):
                if f["field"] == "status_quo":
                    sq[f["issue"]] = f["to"] if "to" in f else sq[f["issue"]] + f["by"]
                    continue
                key = (f["field"], f.get("issue"))
                state[f["actor"]][key] = f["to"] if "to" in f else state[f["actor"]][key] + f["by"]
        scenario = case.as_of(date)
        assert {i.id: i.status_quo.mode for i in scenario.issues} == pytest.approx(sq), date
        for actor in scenario.actors:
            got = {("capability", None): actor.capability.mode,
                   **{("position", i): v.mode for i, v in actor.positions.items()},
                   **{("salience", i): v.mode for i, v in actor.salience.items()},
                   **{("reservation", i): v.mode for i, v in actor.reservation.items()}}
            assert got == pytest.approx(state[actor.id]), (date, actor.id)


def test_stepwise_replay_equals_direct_replay(case):
    stepped = case
    for date in ("2018-02-01", "2018-03-22", "2018-04-27", "2018-05-16", "2018-05-22"):
        stepped = stepped.as_of(date)
    assert stepped.actors == case.as_of("2018-05-22").actors


def test_the_file_is_unchanged_by_replay(case):
    before = case.content_hash()
    case.as_of("2018-05-22")
    assert case.content_hash() == before
    assert case.actor("bolton").capability.mode == 10


def test_the_test_moratorium_moves_the_reversion_point(case):
    """docs/case-library.md: denuclearization's status quo is 0 until the plenum of 21 April 2018
    declares the moratorium on nuclear and ICBM tests, then 20 ("freeze on nuclear and ICBM
    tests"); the other issues' reversion points do not move before 22 May."""
    before, after = case.as_of("2018-04-20"), case.as_of("2018-04-21")
    assert before.issue("denuclearization").status_quo.mode == 0
    assert after.issue("denuclearization").status_quo.mode == 20
    assert after.issue("denuclearization").status_quo.source == "kcna-2018-04-21"
    may22 = case.as_of("2018-05-22")
    assert [may22.issue(i).status_quo.mode for i in ("sanctions-relief", "us-forces",
                                                      "security-guarantees")] == [10, 85, 5]
