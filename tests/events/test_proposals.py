"""The proposal rule computed by hand on the two-state case (docs/events.md, "Proposed effects")."""

from __future__ import annotations

import datetime as dt

import pytest

from standoff.events.proposals import ProposalRule, ProposalRuleError, apply, latest, triage
from standoff.events.stories import Report, Story
from standoff.scenario.io import parse_yaml, to_yaml


def story(source: str, target: str | None, cameo: str, goldstein: float, n: int = 1,
          date: dt.date = dt.date(2018, 3, 1)) -> Story:
    return Story(tuple(Report(date, source, target, cameo, None, goldstein, "", f"pub{k}", f"f:{k + 2}")
                       for k in range(n)))


def test_verbal_cooperation_moves_the_source_towards_the_target(dyad):
    """kim (arms 10) offers trump (arms 100) talks, 036, Goldstein +4, verbal (w = 0.5):
    Δ = 0.2 × 0.5 × (4/10) × (100 − 10) = +3.6. No salience (g > 0), no capability (verbal).
    Three reports are one story: one proposal citing the three publishers."""
    base = dyad.as_of(latest(dyad, []) or dyad.baseline)
    (p,), skipped = triage([story("kim", "trump", "036", 4.0, n=3)], base)
    assert not skipped
    assert [(e.actor, e.field, e.issue, e.by) for e in p.effects] == [("kim", "position", "arms", 3.6)]
    assert p.sources == ("pub0", "pub1", "pub2") and p.event.source == p.source_entry.id
    assert p.source_entry.publisher == "pub0; pub1; pub2"
    assert all(e.source == p.source_entry.id for e in p.effects)
    assert p.event.description == "Express intent to meet or negotiate (3 reports: pub0, pub1, pub2)"


def test_material_conflict_raises_salience_and_cuts_the_target_capability(dyad):
    """trump sanctions kim, 163, Goldstein −8, material (w = 1): the position move away from kim,
    0.2 × 1 × (−0.8) × (10 − 100) = +14.4, is cut at the scale's end (trump is at 100): no move;
    salience on arms (the only issue) 10 × 1 × 8/10 = +8; kim's capability 5 × (−8/10) = −4."""
    (p,), _ = triage([story("trump", "kim", "163", -8.0)], dyad)
    assert [(e.actor, e.field, e.issue, e.by) for e in p.effects] == [
        ("trump", "salience", "arms", 8.0), ("kim", "capability", None, -4.0)]


def test_a_group_target_stands_at_its_members_weighted_mean(dyad):
    """moon (60) threatens the group united-states (its one member trump at 100), 172 (Goldstein −5,
    quad 4): away, 0.2 × 1 × (−0.5) × (100 − 60) = −4; salience 10 × 0.5 = +5; no capability change
    (the target is a group, not a named actor)."""
    (p,), _ = triage([story("moon", "united-states", "172", -5.0)], dyad)
    assert [(e.actor, e.field, e.by) for e in p.effects] == [("moon", "position", -4.0),
                                                              ("moon", "salience", 5.0)]


def test_stories_without_a_proposal_say_why(dyad):
    found = [story("kim", None, "150", -7.2), story("kim", "kim", "036", 4.0),
             story("north-korea", "trump", "036", 4.0), story("kim", "trump", "010", 0.0),
             story("kim", "moon", "040", 1.0)]
    proposals, skipped = triage(found, dyad, ProposalRule(min_change=1.0))
    assert not proposals
    # kim -> moon, 040 (+1, verbal): 0.2 × 0.5 × 0.1 × 50 = 0.5 < min_change 1
    assert [s.reason.split(" (")[0] for s in skipped] == [
        "no target", "the source acts on itself", "source 'north-korea' is not a named actor of the case",
        "changes nothing under the rule", "changes nothing under the rule"]


def test_applied_proposals_write_a_case_that_reads_back_equal(dyad):
    """The case with a proposal applied validates through the YAML writer, keeps its baseline, and as of
    the story's date carries the effect: kim's position 10 + 3.6."""
    (p,), _ = triage([story("kim", "trump", "036", 4.0)], dyad)
    updated = apply(dyad, [p])
    back = parse_yaml(to_yaml(updated))
    assert back.events == updated.events and back.sources == updated.sources
    assert back.baseline == dyad.baseline and len(back.events) == len(dyad.events) + 1
    assert back.as_of("2018-03-01").actor("kim").positions["arms"].mode == pytest.approx(13.6)
    assert apply(dyad, []) is dyad


def test_source_ids_are_unique(dyad):
    (p, q), _ = triage([story("kim", "trump", "036", 4.0), story("kim", "trump", "036", 4.0)], dyad)
    assert p.source_entry.id == "news-2018-03-01-kim-trump-036"
    assert q.source_entry.id == "news-2018-03-01-kim-trump-036-2"


@pytest.mark.parametrize("kwargs", [{"pull": 1.5}, {"verbal": -0.1}, {"digits": 9}, {"min_change": -1},
                                    {"salience_step": True}])
def test_bad_rule_parameters_are_user_errors(kwargs):
    with pytest.raises(ProposalRuleError):
        ProposalRule(**kwargs)



def test_a_rise_on_a_range_at_the_scale_edge_is_cut_so_the_case_validates(tmp_path):
    """moon's arms position is 94 with range 90..98 (scale 0..100); moon sanctions kim (arms 10),
    163, Goldstein −8, material (w = 1). Away from kim: 0.2 × 1 × (−0.8) × (10 − 94) = +13.44, but
    a `by` shifts the whole range and its top (98) has 2 points of room: cut to +2 (keeping only the
    mode on the scale would allow +6 and put the top at 104). Salience 10 × 0.8 = +8 (60 → 68), kim's
    capability 5 × (−0.8) = −4. The same story a day later finds the room above used up: no position
    move; salience +8, capability −4 again. Both accepted, the case validates and ends with moon's arms
    at 96 (range 92..100), salience 76, kim's capability 22."""
    from standoff.scenario import read_scenario

    from .conftest import DYAD_YAML

    path = tmp_path / "edge.yaml"
    path.write_text(DYAD_YAML.replace("positions: {arms: 60}",
                                      "positions: {arms: {mode: 94, low: 90, high: 98}}"))
    case = read_scenario(path)
    base = case.as_of(dt.date(2018, 3, 2))
    day = dt.date(2018, 3, 1)
    ps, skipped = triage([story("moon", "kim", "163", -8.0, date=day),
                          story("moon", "kim", "163", -8.0, date=day + dt.timedelta(days=1))], base)
    assert not skipped
    assert [[(e.actor, e.field, e.issue, e.by) for e in p.effects] for p in ps] == [
        [("moon", "position", "arms", 2.0), ("moon", "salience", "arms", 8.0),
         ("kim", "capability", None, -4.0)],
        [("moon", "salience", "arms", 8.0), ("kim", "capability", None, -4.0)]]
    assert "cut to +2" in ps[0].reasons[0]
    for subset in ([ps[0]], [ps[1]], ps):
        written = parse_yaml(to_yaml(apply(case, subset)))   # validates (the replay checks every end)
        assert written.events[-1].date <= dt.date(2018, 3, 2)
    end = parse_yaml(to_yaml(apply(case, ps))).as_of(dt.date(2018, 3, 2))
    arms = end.actor("moon").positions["arms"]
    assert (arms.mode, arms.low, arms.high) == (96.0, 92.0, 100.0)
    assert end.actor("moon").salience["arms"].mode == 76.0
    assert end.actor("kim").capability.mode == 22.0
