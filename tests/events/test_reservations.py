"""Beliefs about reservation points: the likelihood rule of docs/events.md, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from standoff.events.reservations import (
    ReservationBeliefError,
    belief,
    cameo_class,
    reservation_grid,
    type_grid,
    value_quantile,
)
from standoff.loading import load
from standoff.scenario.io import parse_yaml
from standoff.scenario.schema import Value

BASE = """\
id: pair
title: A pair
baseline: 2020-01-01
issues:
  - {id: x, title: X, min: 0, max: 100, status_quo: 100}
groups:
  - {id: red, name: Red, veto: [r]}
  - {id: blue, name: Blue, veto: [b]}
actors:
  - {id: r, name: R, group: red, capability: 1, positions: {x: 0}, salience: {x: 50}}
  - {id: b, name: B, group: blue, capability: 1, positions: {x: 100}, salience: {x: 50},
     reservation: {x: {value: 50, low: 0, high: 100}}}
"""


def scenario(*events: str):
    return parse_yaml(BASE + ("events:\n" if events else "") + "".join(f"  - {e}\n" for e in events))


RELEASE = '{date: 2020-02-01, actor: b, target: r, cameo: "0841", description: "B frees a prisoner."}'


def test_cameo_classes():
    assert [cameo_class(c) for c in ("036", "0841", "057", "150", "164", "1712", "13")] == \
        ["verbal", "conciliatory", "verbal", "hostile", "hostile", "hostile", "verbal"]


def test_triangular_quantiles():
    """Triangular (0, 50, 100): F(x) = x²/5000 below 50, so the 0.125-quantile is 25 and the
    0.875-quantile 75; a point value is its mode at every level."""
    v = Value(mode=50, low=0, high=100)
    assert value_quantile(v, np.array([0.125, 0.5, 0.875])) == pytest.approx([25.0, 50.0, 75.0])
    assert value_quantile(Value(mode=7), np.array([0.1, 0.9])) == pytest.approx([7.0, 7.0])


def test_types_run_from_tough_to_conciliatory():
    """B's position is 100, so its toughest reading of 0..100 is the high end: r(θ) decreases."""
    r = reservation_grid(scenario(), "b", type_grid(5))[0]
    assert np.all(np.diff(r) < 0)


def test_one_costly_conciliatory_act_by_hand():
    """G = 2 types, θ = 0.25 and 0.75; ρ = 2: L = 1 + θ = 1.25 and 1.75. Prior ½, ½ → posterior
    1.25/3 = 0.41667 and 1.75/3 = 0.58333."""
    bel = belief(scenario(RELEASE).as_of("2020-03-01"), "b", ratio=2.0, grid=2)
    assert bel.posterior == pytest.approx([1.25 / 3, 1.75 / 3])
    assert [s.kind for s in bel.stories] == ["conciliatory"]


def test_a_hostile_act_by_hand():
    """A test (CAMEO 150), ρ = 3: L = 1 + 2(1 − θ) = 2.5 and 1.5 → 0.625 and 0.375."""
    test = '{date: 2020-02-01, actor: b, cameo: "150", description: "B tests a missile."}'
    bel = belief(scenario(test).as_of("2020-03-01"), "b", ratio=3.0, grid=2)
    assert bel.posterior == pytest.approx([0.625, 0.375])


def test_verbal_cooperation_is_cheap_talk():
    talk = '{date: 2020-02-01, actor: b, target: r, cameo: "036", description: "B offers to meet."}'
    bel = belief(scenario(talk).as_of("2020-03-01"), "b", grid=2)
    assert bel.posterior == pytest.approx([0.5, 0.5])
    assert len(bel.cheap_talk) == 1


def test_two_reports_of_one_story_count_once():
    """Two reports of the release on the same day (same dyad and CAMEO root, similar words) count once."""
    again = RELEASE.replace("B frees a prisoner.", "Report: B's prisoner is home.")
    one = belief(scenario(RELEASE).as_of("2020-03-01"), "b", grid=2).posterior
    two = belief(scenario(RELEASE, again).as_of("2020-03-01"), "b", grid=2).posterior
    assert two == pytest.approx(one)


def test_a_story_reported_by_ten_publishers_moves_the_belief_exactly_as_once():
    """The release reported ten times (five publishers on 2020-02-01, five on 2020-02-02, within the
    story window of one day of the first) is one story under events/stories.py's rule: posterior
    1.25/3, 1.75/3 as for one report (G = 2, ρ = 2). Grouping by dyad and day made it two stories, the
    second in a run with weight ½: ∝ 1.25^1.5, 1.75^1.5, i.e. 0.3764, 0.6236."""
    reports = [RELEASE.replace("B frees a prisoner.", f"B frees a prisoner. [Pub{k}, line {k + 2}]")
               .replace("2020-02-01", "2020-02-01" if k < 5 else "2020-02-02") for k in range(10)]
    bel = belief(scenario(*reports).as_of("2020-03-01"), "b", grid=2)
    assert bel.posterior == pytest.approx([1.25 / 3, 1.75 / 3])
    (story,) = bel.stories
    assert len(story.descriptions) == 10 and story.weight == 1.0


def test_two_acts_of_one_dyad_on_one_day_are_two_stories():
    """A release (CAMEO 0841) and an aid shipment (070, another root) on the same day are two stories
    of the same class, the second in a run (weight ½): posterior ∝ 1.25^1.5, 1.75^1.5
    = (1.3975, 2.3150) → 0.3764, 0.6236 (the one-story-per-day grouping averaged them into one)."""
    aid = '{date: 2020-02-01, actor: b, target: r, cameo: "070", description: "B ships food aid."}'
    bel = belief(scenario(RELEASE, aid).as_of("2020-03-01"), "b", grid=2)
    w = np.array([1.25 ** 1.5, 1.75 ** 1.5])
    assert bel.posterior == pytest.approx(w / w.sum())
    assert [s.weight for s in bel.stories] == [1.0, 0.5]


def test_serially_correlated_stories_are_discounted():
    """A second release 10 days later is part of a run: weight ½. Posterior ∝ (1.25^1.5, 1.75^1.5)
    = (1.3975, 2.3150) → 0.3764, 0.6236. 40 days later it is a new run: (1.25², 1.75²)."""
    later = RELEASE.replace("2020-02-01", "2020-02-11")
    bel = belief(scenario(RELEASE, later).as_of("2020-03-31"), "b", grid=2)
    w = np.array([1.25 ** 1.5, 1.75 ** 1.5])
    assert bel.posterior == pytest.approx(w / w.sum())
    assert [s.weight for s in bel.stories] == [1.0, 0.5]
    far = RELEASE.replace("2020-02-01", "2020-03-12")
    w = np.array([1.25 ** 2, 1.75 ** 2])
    assert belief(scenario(RELEASE, far).as_of("2020-03-31"), "b", grid=2).posterior == \
        pytest.approx(w / w.sum())


def test_an_event_with_effects_is_not_evidence():
    """The same release, declaring a reservation effect, moves the coded value only."""
    with_effect = RELEASE.replace(
        'description: "B frees a prisoner."}',
        'description: "B frees a prisoner.", effects: [{actor: b, field: reservation, issue: x, '
        'to: 60, low: 40, high: 80}]}')
    s = scenario(with_effect).as_of("2020-03-01")
    bel = belief(s, "b", grid=2)
    assert bel.posterior == pytest.approx([0.5, 0.5]) and not bel.stories
    assert [e.description for e in bel.routed_to_effects] == ["B frees a prisoner."]
    assert s.reservation("b", "x").mode == 60


def test_korea_events_feed_effects_or_beliefs_never_both():
    """Every Korea 2018 event about a pivotal actor's side goes to exactly one channel."""
    s = load("korea-2018").as_of("2018-05-22")
    for actor in ("trump", "kim-jong-un"):
        bel = belief(s, actor)
        in_stories = {d for st in bel.stories for d in st.descriptions}
        routed = {e.description for e in bel.routed_to_effects}
        assert not in_stories & routed
        assert all(e.effects for e in bel.routed_to_effects)
        by_text = {e.description: e for e in s.events}
        assert all(not by_text[d].effects for d in in_stories)
        assert in_stories | routed == {e.description for e in s.events
                                       if s.baseline < e.date <= s.date
                                       and (s.actor(e.actor).group if e.actor in s.actor_ids else e.actor)
                                       == s.actor(actor).group}


def test_prior_sensitivity_is_reported():
    bel = belief(scenario(RELEASE).as_of("2020-03-01"), "b", with_sensitivity=True)
    sens = bel.sensitivity
    assert set(sens) >= {"coded prior", "tough prior", "conciliatory prior", "ratio 1.5", "ratio 3",
                         "spread", "moved by events"}
    # B is tough near 100: the tough prior reads a higher reservation point, the conciliatory a lower
    assert sens["tough prior"]["x"] > sens["coded prior"]["x"] > sens["conciliatory prior"]["x"]
    assert sens["spread"]["x"] == pytest.approx(sens["tough prior"]["x"] - sens["conciliatory prior"]["x"])
    assert sens["moved by events"]["x"] < 0  # the release makes B look softer


def test_bad_requests():
    with pytest.raises(ReservationBeliefError, match="unknown actor 'z'"):
        belief(scenario(), "z")
    with pytest.raises(ReservationBeliefError, match="outside"):
        belief(scenario(), "b", ratio=5.0)
