"""Two-level games: win-set endpoints by hand, vetoes, the deal, packages, third parties, wedges."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standoff.errors import ScenarioChangeError, ScenarioError
from standoff.games import winsets as ws
from standoff.games.two_level import analyse, wedges
from standoff.scenario import parse_yaml

HEAD = """\
id: t
title: T
baseline: 2018-01-01
"""


def scenario(body: str):
    return parse_yaml(HEAD + body)


# A: a1 x=80 w=30, a2 x=60 w=10 (c=20, s=50), a3 x=40 w=20; quota 0.6. B: b1 x=30, b2 x=B2, w=50 each.
TWO = """\
issues:
  - {id: a, title: A, min: 0, max: 100, status_quo: 50}
groups:
  - {id: home, name: Home, ratification_quota: 0.6 VETO}
  - {id: away, name: Away}
actors:
  - {id: a1, name: A1, group: home, capability: 30, positions: {a: 80}, salience: {a: 100}}
  - {id: a2, name: A2, group: home, capability: 20, positions: {a: 60}, salience: {a: 50}}
  - {id: a3, name: A3, group: home, capability: 20, positions: {a: 40}, salience: {a: 100}}
  - {id: b1, name: B1, group: away, capability: 50, positions: {a: 30}, salience: {a: 100}}
  - {id: b2, name: B2, group: away, capability: 50, positions: {a: B2}, salience: {a: 100}}
"""


def two(b2: float, veto: str = "") -> str:
    return TWO.replace("B2}", f"{b2:g}}}").replace(" VETO", f", veto: [{veto}]" if veto else "")


def test_winsets_that_do_not_intersect():
    """q = 50. Home (quota 0.6 of W = 30 + 10 + 20 = 60, i.e. 36): reaches to the right are
    2x − q = 110 (a1), 70 (a2), 50 (a3, x < q); from the top, a1 holds 30 < 36, a1 + a2 hold 40 ≥ 36,
    so R = 70, fixed by a2. To the left only a3 reaches past q (2·40 − 50 = 30) with 20 < 36, so
    L = q = 50: W_home = [50, 70].
    Away (quota 0.5 of 100): to the right both reach only q, R = 50; to the left b1 reaches
    2·30 − 50 = 10 with 50 ≥ 50, so L = 10, fixed by b1: W_away = [10, 50].
    Intersection [50, 50]: the status quo only, so the deal is the status quo. The bargain is the
    weighted mean of all five (compromise of compromises):
    (80·30 + 60·10 + 40·20 + 30·50 + 45·50) / 160 = 7550 / 160 = 47.1875, below the intersection,
    whose low end is home's pivot a1 (it blocks every move down)."""
    r = analyse(scenario(two(45)))
    home, away = r.winset("home", "a"), r.winset("away", "a")
    assert (home.low, home.high) == (50, 70) and home.high_bound.faction == "a2"
    assert (away.low, away.high) == (10, 50) and away.low_bound.faction == "b1"
    assert home.position == pytest.approx(3800 / 60) and away.position == pytest.approx(37.5)
    deal = r.issue("a")
    assert deal.empty and (deal.low, deal.high) == (50, 50)
    assert deal.unconstrained == pytest.approx(7550 / 160)
    assert deal.deal == 50
    assert deal.bounded_by.group == "home" and deal.bounded_by.faction == "a1"
    assert deal.bounded_by.kind == "quota"


def test_winsets_that_intersect():
    """b2 moves to 65: away's right reaches are 50 (b1) and 2·65 − 50 = 80 (b2, 50 ≥ 50), so
    W_away = [10, 80]. The intersection with W_home = [50, 70] is [50, 70], its top fixed by home's
    pivot a2. Away's position (30 + 65)/2 = 47.5; the bargain (3800 + 47.5·100) / 160 = 53.4375 lies
    inside, so it is the deal and nothing bounds it."""
    r = analyse(scenario(two(65)))
    assert (r.winset("away", "a").low, r.winset("away", "a").high) == (10, 80)
    deal = r.issue("a")
    assert (deal.low, deal.high) == (50, 70) and not deal.empty
    assert deal.high_bound.faction == "a2" and deal.low_bound.group == "home"
    assert deal.deal == pytest.approx(8550 / 160) and deal.bounded_by is None


def test_a_veto_faction_bounds_its_states_winset():
    """With a3 (x = 40 < q = 50) a veto holder, a3 prefers q to every x > 50: R = 50, fixed by the
    veto of a3; on the left its veto would allow down to 30, but the quota already stops at 50.
    Home's win-set shrinks from [50, 70] to the status quo alone."""
    r = analyse(scenario(two(65, veto="a3")))
    home = r.winset("home", "a")
    assert (home.low, home.high) == (50, 50) and home.empty
    assert home.high_bound.kind == "veto" and home.high_bound.faction == "a3"
    assert r.issue("a").empty and r.issue("a").deal == 50


def test_a_veto_holder_that_does_not_care_blocks_nothing():
    """a3 with salience 0 is indifferent between all deals: its veto does not bind, and it also
    drops out of the weights (W = 40, quota 24: a1 alone reaches 110 → scale end 100)."""
    s = scenario(two(65, veto="a3").replace("positions: {a: 40}, salience: {a: 100}",
                                            "positions: {a: 40}, salience: {a: 0}"))
    home = analyse(s).winset("home", "a")
    assert (home.low, home.high) == (50, 100) and home.high_bound.kind == "scale"


def test_quota_endpoints_by_hand_on_the_veto_toy():
    """q = 20; dove x = 70 (w 60) reaches 120, hawk x = 30 (w 40) reaches 40. Majority (≥ 50): the
    dove alone → 120, beyond the scale → R = 100. Quota 0.7 (≥ 70) needs the hawk too → R = 40."""
    x, w = np.array([70.0, 30.0]), np.array([60.0, 40.0])
    lo, hi = ws.interval(x, w, 20, 0, 100, 0.5)
    assert (lo.value, hi.value, hi.kind) == (20, 100, "scale")
    lo, hi = ws.interval(x, w, 20, 0, 100, 0.7)
    assert (hi.value, hi.kind, hi.faction) == (40, "quota", 1)


def test_no_status_quo_is_a_user_error():
    s = scenario(two(65).replace(", status_quo: 50", ""))
    with pytest.raises(ScenarioChangeError, match="no status quo"):
        analyse(s)


# --- the exact interval against the definition --------------------------------------------------
factions = st.lists(st.tuples(st.integers(0, 100), st.integers(0, 10), st.booleans()),
                    min_size=1, max_size=7)


@settings(max_examples=150, deadline=None)
@given(factions, st.integers(0, 100), st.sampled_from([0.5, 0.6, 2 / 3, 0.75, 1.0]))
def test_interval_matches_the_definition_point_by_point(fs, q, quota):
    """Every point of a fine grid is in [L, R] exactly when the definition admits it."""
    x = np.array([f[0] for f in fs], float)
    w = np.array([f[1] for f in fs], float)
    veto = np.array([f[2] for f in fs]) & (w > 0)
    lo, hi = ws.interval(x, w, q, 0, 100, quota, veto)
    assert lo.value <= q <= hi.value
    for p in np.linspace(0, 100, 401):
        if min(abs(p - lo.value), abs(p - hi.value)) < 1e-6:
            continue
        assert ws.brute_force_member(p, x, w, q, quota, veto) == (lo.value <= p <= hi.value), p
    for end in (lo.value, hi.value):
        assert ws.brute_force_member(end, x, w, q, quota, veto)


@settings(max_examples=150, deadline=None)
@given(factions, st.integers(0, 100), st.sampled_from([0.5, 0.6, 0.75]), st.integers(1, 20),
       st.data())
def test_raising_a_wider_faction_never_shrinks_the_winset(fs, q, quota, extra, data):
    """If faction j accepts every deal of the win-set (A_j ⊇ W), raising its capability adds the
    same weight to every supporting coalition of W and to the total, so S(x) ≥ θW still holds on W:
    W can only grow."""
    x = np.array([f[0] for f in fs], float)
    w = np.array([f[1] for f in fs], float)
    veto = np.array([f[2] for f in fs]) & (w > 0)
    lo, hi = ws.interval(x, w, q, 0, 100, quota, veto)
    a_lo, a_hi = np.minimum(q, 2 * x - q), np.maximum(q, 2 * x - q)
    wider = np.flatnonzero((a_lo <= lo.value) & (a_hi >= hi.value))
    if wider.size == 0:
        return
    j = int(data.draw(st.sampled_from(list(wider))))
    w2 = w.copy()
    w2[j] += extra
    lo2, hi2 = ws.interval(x, w2, q, 0, 100, quota, veto)
    assert lo2.value <= lo.value and hi2.value >= hi.value


# --- packages ------------------------------------------------------------------------------------
def test_package_reach_by_hand():
    """q = (0, 0), target (100, 100), scales 100. Ideal (60, 0), saliences (1, 1): along the segment
    f(t) = −(|100t − 60| + 100t)/100 + 0.6 is 0 up to t = 0.6 and −2t + 1.2 after: t = 0.6.
    Ideal (80, 10), saliences (1, 1): f(0.8) = −(0 + 70)/100 + 0.9 = 0.2, f(1) = −(20 + 90)/100 + 0.9
    = −0.2, so the root is 0.8 + 0.2·0.2/0.4 = 0.9. Saliences (1, 0.5): f(1) = −(20 + 45)/100 + 0.85
    = 0.2 ≥ 0, so t = 1."""
    ideal = np.array([[60.0, 0.0], [80.0, 10.0], [80.0, 10.0]])
    sal = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 0.5]])
    t = ws.package_reach(np.zeros(2), np.array([100.0, 100.0]), ideal, sal, np.array([100.0, 100.0]))
    assert t == pytest.approx([0.6, 0.9, 1.0])


JOINT = """\
issues:
  - {id: a, title: A, min: 0, max: 100, status_quo: 0}
  - {id: b, title: B, min: 0, max: 100, status_quo: 0}
groups:
  - {id: home, name: Home, ratification_quota: QUOTA, linkage: joint}
  - {id: away, name: Away}
  - id: ally
    name: Ally
    role: third-party
    linkage: joint
    stakes:
      - {when: {issue: a, below: BELOW}, field: salience, issue: b, to: 100, note: left exposed}
actors:
  - {id: f1, name: F1, group: home, capability: 50, positions: {a: 60, b: 0}, salience: {a: 100, b: 100}}
  - {id: f2, name: F2, group: home, capability: 50, positions: {a: 80, b: 10}, salience: {a: 100, b: 100}}
  - {id: boss, name: B, group: away, capability: 1000,
     positions: {a: 100, b: 100}, salience: {a: 100, b: 100}}
  - {id: friend, name: F, group: ally, capability: 10, positions: {a: 50, b: 0}, salience: {a: 100, b: 20}}
"""


def joint(quota: float = 0.6, below: float = 70):
    return scenario(JOINT.replace("QUOTA", f"{quota:g}").replace("BELOW", f"{below:g}"))


def test_joint_linkage_steps_back_to_the_pivots_reach():
    """The median model puts the bargain at boss's (100, 100) on both issues (1000 of 1110 weight).
    Home judges packages: f1 ratifies up to t = 0.6, f2 up to t = 0.9 (test above), equal weights;
    quota 0.6 needs both → t* = 0.6, deal (60, 60) bounded by f1. Quota 0.5: f2 alone → (90, 90)."""
    r = analyse(joint(0.6), "median")
    assert r.issue("a").unconstrained == 100 and r.issue("b").unconstrained == 100
    assert r.joint_step == pytest.approx(0.6)
    assert r.deal() == pytest.approx({"a": 60, "b": 60})
    assert r.issue("a").bounded_by.faction == "f1" and r.joint_bound.group == "home"
    r = analyse(joint(0.5), "median")
    assert r.deal() == pytest.approx({"a": 90, "b": 90}) and r.joint_bound.faction == "f2"


def test_third_party_pushed_outside_its_winset_by_the_deals_terms():
    """Deal (60, 60). Friend (ideal (50, 0), saliences (1, 0.2)): u(deal) = −(10 + 0.2·60)/100 = −0.22
    against u(q) = −(50 + 0)/100 = −0.5: inside. The deal leaves a below 70, so the stake sets its
    salience on b to 100: u(deal) = −(10 + 60)/100 = −0.7 < −0.5: outside (support 0). On b alone
    the friend (x = q = 0) accepts nothing but the status quo, so b is listed either way."""
    r = analyse(joint(0.6, below=70), "median")
    friend = next(v for v in r.verdicts if v.group == "ally")
    assert not friend.inside and friend.support == 0 and friend.issues_outside == ["b"]
    assert friend.stakes_applied and "left exposed" in friend.stakes_applied[0]
    assert r.strained == ["ally"]
    r = analyse(joint(0.6, below=50), "median")  # a = 60 is not below 50: the stake stays idle
    friend = next(v for v in r.verdicts if v.group == "ally")
    assert friend.inside and friend.support == 1 and not friend.stakes_applied and r.strained == []


def test_parties_always_ratify_the_forecast_deal():
    """The deal lies in every party's win-set: per issue for per-issue parties, as a package for
    joint ones (stakes aside)."""
    for s, model in ((scenario(two(45)), "compromise"), (scenario(two(65)), "median"),
                     (joint(0.6), "median"), (joint(0.5), "compromise")):
        r = analyse(s, model)
        assert all(v.inside for v in r.verdicts if v.role == "party" and not v.stakes_applied)


def test_compromise_of_compromises_is_the_compromise_of_all():
    """Group capability Σc_i and salience Σc_i s_ik / Σc_i keep each state's clout, so the compromise
    of the groups' compromises is the compromise of all actors."""
    s = joint(0.6)
    r = analyse(s, "compromise")
    w = {a.id: a.capability.mode * np.array([a.salience["a"].mode, a.salience["b"].mode])
         for a in s.actors}
    x = {a.id: np.array([a.positions["a"].mode, a.positions["b"].mode]) for a in s.actors}
    mean = sum(w[k] * x[k] for k in w) / sum(w.values())
    assert [r.issue("a").unconstrained, r.issue("b").unconstrained] == pytest.approx(mean)


def test_bad_stakes_are_reported_with_their_place():
    bad = JOINT.replace("QUOTA", "0.6").replace("BELOW", "170").replace("issue: b, to: 100",
                                                                       "issue: c, to: 100")
    with pytest.raises(ScenarioError) as exc:
        scenario(bad)
    text = exc.value.report()
    assert "groups[2].stakes[0].issue: unknown issue 'c'" in text
    assert "groups[2].stakes[0].when.below: bound 170 is off the scale" in text


# --- wedges --------------------------------------------------------------------------------------
TOY = """\
issues:
  - {id: a, title: A, min: 0, max: 100, status_quo: 20}
groups:
  - {id: home, name: Home, veto: [hawk]}
  - {id: away, name: Away}
actors:
  - {id: dove, name: Dove, group: home, capability: 60, positions: {a: 70}, salience: {a: 100}}
  - {id: hawk, name: Hawk, group: home, capability: 40, positions: {a: 30}, salience: {a: 100}}
  - {id: rival, name: Rival, group: away, capability: 100, positions: {a: 50}, salience: {a: 100}}
"""


def test_wedge_that_moves_the_veto_holder_ranks_first():
    """q = 20. The hawk's veto caps home's win-set at 2·30 − 20 = 40; away's is [20, 80]; the
    intersection [20, 40] (20 % of the scale). Moving the hawk to 40 lifts its cap to 60: the
    intersection grows to [20, 60], +20 points. Home's position becomes (70·60 + 40·40)/100 = 58,
    the bargain (58 + 50)/2 = 54, inside [20, 60]: the deal moves from 40 to 54 (+14). Moving the
    hawk to 20 instead closes the win-set (−20); changes to the dove leave the cap alone (0)."""
    found, base = wedges(scenario(TOY), "home", top=50)
    assert base.deal() == {"a": 40}
    first = found[0]
    assert first.change == "hawk position on a 30 → 40"
    assert first.widening == pytest.approx(20) and first.deal_shift["a"] == pytest.approx(14)
    last = found[-1]
    assert last.change == "hawk position on a 30 → 20" and last.widening == pytest.approx(-20)
    assert all(w.widening == 0 for w in found if w.faction == "dove")


def test_wedges_name_an_unknown_group_as_a_user_error():
    with pytest.raises(ScenarioChangeError, match="unknown group 'nope'"):
        wedges(scenario(TOY), "nope")


def test_on_one_issue_package_and_issue_by_issue_agree():
    """With one issue, a package is the issue: the hawk's veto stops the step from q = 20 toward
    the bargain 52 where 20 + 32t = 2·30 − 20 = 40, t = 0.625, the same deal 40 as issue by issue."""
    per_issue = analyse(scenario(TOY))
    joint_ = analyse(scenario(TOY), joint=True)
    assert joint_.joint_step == pytest.approx(0.625)
    assert joint_.deal() == pytest.approx(per_issue.deal()) == {"a": 40}
    assert joint_.joint_bound.kind == "veto" and joint_.joint_bound.faction == "hawk"


def test_a_group_that_cares_about_nothing_accepts_the_whole_scale():
    """Saliences 0: Σ w = 0, so the quota (0 ≥ 0) holds everywhere (veto holders that do not care
    are masked out by the caller, see the scenario test above)."""
    lo, hi = ws.interval(np.array([10.0, 90.0]), np.zeros(2), 50, 0, 100, 0.5, np.array([False, False]))
    assert (lo.value, hi.value, lo.kind, hi.kind) == (0, 100, "scale", "scale")


def test_a_faction_at_the_status_quo_accepts_nothing_else():
    """x = q: A = {q}. With half the weight it cannot block a majority on its own (quota 0.5 is
    met by the other half, reaching 2·80 − 50 = 110 → 100), but at quota 0.6 the win-set closes."""
    x, w = np.array([50.0, 80.0]), np.array([1.0, 1.0])
    assert ws.interval(x, w, 50, 0, 100, 0.5)[1].value == 100
    lo, hi = ws.interval(x, w, 50, 0, 100, 0.6)
    assert (lo.value, hi.value) == (50, 50) and hi.faction == 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(1, 50), st.integers(0, 100),
                          st.integers(0, 100), st.integers(0, 100), st.integers(0, 100)),
                min_size=2, max_size=5),
       st.integers(0, 100), st.integers(0, 100), st.sampled_from(["compromise", "median"]),
       st.booleans())
def test_the_deal_lies_where_every_party_ratifies(rows, qa, qb, model, joint_):
    """Random two-issue, two-group scenarios: the deal is inside the intersection (issue by issue)
    or ratified as a package by every party (joint), and no party is left outside."""
    actors = []
    for k, (g, c, xa, xb, sa, sb) in enumerate(rows):
        actors.append(f"  - {{id: f{k}, name: F{k}, group: {'home' if g else 'away'}, capability: {c}, "
                      f"positions: {{a: {xa}, b: {xb}}}, salience: {{a: {sa}, b: {sb}}}}}")
    body = (f"issues:\n  - {{id: a, title: A, min: 0, max: 100, status_quo: {qa}}}\n"
            f"  - {{id: b, title: B, min: 0, max: 100, status_quo: {qb}}}\n"
            "groups:\n  - {id: home, name: Home}\n  - {id: away, name: Away}\n"
            "actors:\n" + "\n".join(actors) + "\n")
    try:
        s = scenario(body)
    except ScenarioError:  # e.g. nobody weighs on an issue
        return
    r = analyse(s, model, joint=joint_)
    if not joint_:
        for i in r.issues:
            assert i.low - 1e-9 <= i.deal <= i.high + 1e-9
    assert all(v.inside for v in r.verdicts if v.role == "party")
