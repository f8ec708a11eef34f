"""The two-level game on the built-in Korea case: invariants that hold whatever the coded values."""

from __future__ import annotations

import numpy as np
import pytest

import standoff
from standoff.games import winsets as ws
from standoff.games.two_level import analyse, states_of, wedges
from standoff.scenario.schema import DealCondition, Stake

ALLY_STAKE = Stake(when=DealCondition(issue="denuclearization", below=40), field="salience",
                   issue="us-forces", by=30, note="shorter-range missiles left untouched")


@pytest.fixture(scope="module")
def korea():
    """The case as of its last event, with Washington and Pyongyang the parties, the other states
    third parties, and Seoul and Tokyo judging the deal as a package with the stake above (set
    here, so that the tests do not depend on how the case file codes them)."""
    if "korea-2018" not in standoff.cases():
        pytest.skip("the korea-2018 case is not built in")
    s = standoff.load("korea-2018")
    s = s.as_of(s.last_event_date)
    groups = []
    for g in s.groups:
        if g.id in ("south-korea", "japan"):
            g = g.model_copy(update={"role": "third-party", "linkage": "joint", "stakes": (ALLY_STAKE,)})
        elif g.id in ("china", "russia"):
            g = g.model_copy(update={"role": "third-party"})
        groups.append(g)
    return s.model_copy(update={"groups": tuple(groups)})


def test_every_winset_end_agrees_with_the_definition(korea):
    """On the real case, each group's interval ends are members and a point just beyond is not
    (unless it is the end of the scale)."""
    for st in states_of(korea):
        for issue in korea.issues:
            i = issue.id
            x = np.array([f.positions[i] for f in st.factions])
            w = np.array([f.capability * f.salience[i] for f in st.factions])
            veto = np.array([f.id in st.veto and f.salience[i] > 0 for f in st.factions])
            q = issue.status_quo.mode
            lo, hi = ws.interval(x, w, q, issue.min, issue.max, st.quota, veto)
            args = (x, w, q, st.quota, veto)
            assert ws.brute_force_member(lo.value, *args) and ws.brute_force_member(hi.value, *args)
            assert hi.value == issue.max or not ws.brute_force_member(hi.value + 1e-3, *args)
            assert lo.value == issue.min or not ws.brute_force_member(lo.value - 1e-3, *args)


def test_third_parties_do_not_bound_the_deal_and_parties_ratify_it(korea):
    r = analyse(korea)
    roles = {s["id"]: s["role"] for s in r.states}
    assert roles["united-states"] == roles["north-korea"] == "party"
    assert {roles[g] for g in ("south-korea", "japan", "china", "russia")} == {"third-party"}
    for i in r.issues:
        assert i.low - 1e-9 <= i.deal <= i.high + 1e-9
        us, nk = r.winset("united-states", i.issue), r.winset("north-korea", i.issue)
        assert (i.low, i.high) == (max(us.low, nk.low), min(us.high, nk.high))
        if i.bounded_by is not None:
            assert i.bounded_by.group in ("united-states", "north-korea")
    assert all(v.inside for v in r.verdicts if v.role == "party")


def test_an_icbm_only_freeze_triggers_the_allies_stakes(korea):
    """With Kim's position on denuclearization at 10, his veto caps the North's win-set at 20: the
    deal is a test freeze that leaves shorter-range missiles alone (below 40), so Seoul's and
    Tokyo's stakes in US force posture rise."""
    s = korea.with_changes([{"actor": "kim-jong-un", "field": "position",
                             "issue": "denuclearization", "to": 10}])
    r = analyse(s)
    assert r.issue("denuclearization").deal == pytest.approx(20)
    applied = {v.group for v in r.verdicts if v.stakes_applied}
    assert applied == {"south-korea", "japan"}


def test_wedges_in_washington_are_ranked_and_reproducible(korea):
    found, base = wedges(korea, "united-states", top=50)
    assert [w.widening for w in found] == sorted((w.widening for w in found), reverse=True)
    assert {w.faction for w in found} <= {a.id for a in korea.members("united-states")}
    best = found[0]
    assert best.widening > 0
    assert base.deal() == analyse(korea).deal()
