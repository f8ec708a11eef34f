"""Lever search on the toy scenario, with the compromise model, checked by hand."""

import pytest

from standoff.analysis import levers
from standoff.analysis.levers import candidates, ideal_point
from standoff.errors import ScenarioChangeError
from standoff.models import make

# Toy at its baseline, compromise: a = (5·10 + 20·60 + 2·90)/27 = 1430/27 = 52.963, b = 5.
# Party z: ideal (90, 5), stake c·s = 10·20 on both issues, so the distance is the mean of
# |a − 90| and 100·|b − 5|/10: D0 = (37.037 + 0)/2 = 18.519.


def test_ideal_point_of_a_group(toy):
    """Group g = x (c 10, s_a 50, s_b 100) and y (c 20, s_a 100, s_b 50): on a the ideal is
    (500·10 + 2000·60)/2500 = 50, on b (1000·2 + 1000·8)/2000 = 5; stakes 2500 and 2000."""
    ideal, stake = ideal_point(toy, "g")
    assert ideal.tolist() == pytest.approx([50, 5])
    assert stake.tolist() == [2500, 2000]


def test_levers_for_z_by_hand(toy):
    """y's position on a +10 (60 → 70): a = 1630/27 = 60.370, D = 29.630/2 = 14.815, gain
    100/27 = 3.704: the best single change. x's salience on a −20 (50 → 30, weight 3): a =
    1410/25 = 56.4, D = 16.8, gain 1.719: the second."""
    found, base, d0 = levers(toy, "z", make("compromise"), top=None)
    assert base == pytest.approx({"a": 1430 / 27, "b": 5.0})
    assert d0 == pytest.approx((90 - 1430 / 27) / 2)
    assert found[0].change == "y.a.position=70"
    assert found[0].gain == pytest.approx(100 / 27)
    assert found[0].values["a"] == pytest.approx(1630 / 27)
    assert found[1].change == "x.a.salience=30"
    assert found[1].gain == pytest.approx(d0 - 33.6 / 2)
    # removing x: a = 1380/22, b = 90/12 = 7.5: farther from z on both issues
    gone = next(lv for lv in found if lv.change == "without x")
    assert gone.gain == pytest.approx(d0 - ((90 - 1380 / 22) + 25) / 2)
    assert all(found[i].gain >= found[i + 1].gain for i in range(len(found) - 1))


def test_candidates(toy):
    """Per actor: positions ±step (not past the scale), saliences ±20 (clipped), capability ±20%,
    and removal for the other actors only."""
    texts = [t for t, _ in candidates(toy, "z")]
    assert "without z" not in texts and "without x" in texts
    assert "y.a.salience=80" in texts and "y.a.salience=120" not in texts
    assert "z.a.position=100" in texts and "z.a.position=80" in texts
    assert "x.capability=+20%" in texts and "x.capability=-20%" in texts


def test_unknown_party(toy):
    with pytest.raises(ScenarioChangeError, match="unknown actor or group 'nobody'"):
        levers(toy, "nobody", make("compromise"))
