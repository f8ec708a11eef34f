"""The dynamics of the flagship dyad, United States vs North Korea (skipped until the case exists)."""

import datetime as dt
import math

import pytest

import standoff
from standoff.games.dynamics import dynamics_report

pytestmark = pytest.mark.skipif("korea-2018" not in standoff.cases(), reason="korea-2018 case not built in")


def test_korea_dyad_reads_costs_and_track_record():
    """Costs come from the groups' cost_of_war, the belief from the United States' track record
    (Beta(1, 1) prior plus the weights of kept and broken promises), the rounds from the date to
    the 12 June summit at a week a round. If neither side's capability moves, no shift ⇒ peace."""
    s = standoff.load("korea-2018")
    s = s.as_of(s.last_event_date)
    r = dynamics_report(s, "united-states", "north-korea", deadline="2018-06-12", disarm_share=0.5)
    us, nk = s.group("united-states"), s.group("north-korea")
    assert r["params"]["cost_a"] == us.cost_of_war.mode and r["params"]["cost_b"] == nk.cost_of_war.mode
    broken = sum(p.weight for p in us.track_record if not p.kept and p.date <= s.date)
    kept = sum(p.weight for p in us.track_record if p.kept and p.date <= s.date)
    assert r["commitment"]["belief"] == pytest.approx((1 + kept) / (2 + kept + broken))
    assert r["deadline"]["rounds"] == math.ceil((dt.date(2018, 6, 12) - s.date).days / 7)
    p = r["shifting_power"].frame["p"]
    if p.max() - p.min() < 1e-12:
        assert r["shifting_power"].peaceful_path and r["shifting_power"].war_period is None


def test_crisis_dynamic_adds_the_dynamics_of_the_dyad():
    """`crisis --dynamic` gives the crisis odds and the dynamics of the dyad. The case's Libya
    precedent (a broken promise of weight 1) moves the Beta(1, 1) belief in US restraint from
    1/2 to 1/(1 + 2) = 1/3."""
    import json
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "standoff", "crisis", "korea-2018", "--between",
                        "united-states", "north-korea", "--dynamic", "-f", "json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    commitment = data["dynamics"]["commitment"]
    assert commitment["promising"] == "united-states"
    beliefs = [row["belief"] for row in commitment["beliefs"]]
    assert beliefs[0] == 0.5
    assert abs(beliefs[-1] - 1 / 3) < 1e-12
    assert data["forecast"]["outcome_probabilities"]
