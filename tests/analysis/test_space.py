"""Drawing uncertain values: inverse distribution functions, the inputs found, noise, panels."""

import numpy as np
import pytest
from scipy import stats

from standoff.analysis.space import NORMAL, POINT, TRIANGULAR, Space, inverse_cdf, panel_members
from standoff.errors import ScenarioError
from standoff.scenario import parse_yaml, to_yaml

ONE = np.array(1.0)


def tri(a, c, b, u):
    return inverse_cdf(np.array(TRIANGULAR), np.array(a), np.array(c), np.array(b), np.array(0.0),
                       np.asarray(u, dtype=float))


def test_triangular_quantiles_by_hand():
    """(a, c, b) = (0, 1, 2): F(c) = 1/2. u = 1/8 < 1/2: x = 0 + √(1/8 · 2 · 1) = 1/2;
    u = 1/2: x = 2 − √(1/2 · 2 · 1) = 1; u = 7/8: x = 2 − √(1/8 · 2 · 1) = 3/2."""
    assert tri(0, 1, 2, [0.125, 0.5, 0.875]) == pytest.approx([0.5, 1.0, 1.5])
    assert tri(0, 1, 2, [0.0, 1.0]) == pytest.approx([0.0, 2.0], abs=1e-5)
    assert tri(3, 3, 3, [0.2, 0.9]) == pytest.approx([3.0, 3.0])  # degenerate range: the point


@pytest.mark.parametrize("a,c,b", [(8, 10, 12), (2, 4, 7), (0, 0, 5), (1, 5, 5)])
def test_triangular_agrees_with_scipy(a, c, b):
    """An independent implementation: scipy.stats.triang.ppf with c' = (c − a)/(b − a)."""
    u = np.linspace(0.001, 0.999, 997)
    ref = stats.triang.ppf(u, (c - a) / (b - a), loc=a, scale=b - a)
    assert tri(a, c, b, u) == pytest.approx(ref, abs=1e-9)


def test_normal_and_point():
    """Normal (5, sd 2) at u = Φ(1) is 7; a point ignores u."""
    u = np.array([stats.norm.cdf(1.0), 0.3])
    x = inverse_cdf(np.array([NORMAL, POINT]), np.array([0.0, 0]), np.array([5.0, 4]),
                    np.array([0.0, 0]), np.array([2.0, 0]), u)
    assert x == pytest.approx([7.0, 4.0])


def test_inputs_of_the_toy_scenario(toy):
    """Only y's position on a has a range; without noise it is the one input."""
    space = Space.build(toy)
    assert [i.label for i in space.inputs] == ["y.a.position"]
    assert space.kind.tolist() == [[TRIANGULAR]]
    assert (space.low[0, 0], space.mode[0, 0], space.high[0, 0]) == (50, 60, 70)


def test_noise_spreads_every_point_value(toy):
    """3 actors × (capability + 2 issues × (position, salience)) = 15 inputs; with η = 0.05 the
    sd of a position on a (0..100) is 5, on b (0..10) 0.5; saliences 5; x's capability 10 → 0.5."""
    space = Space.build(toy, noise=0.05)
    assert space.size == 15
    sd = {i.label: space.sd[0, p] for p, i in enumerate(space.inputs)}
    assert sd["x.a.position"] == pytest.approx(5.0)
    assert sd["x.b.position"] == pytest.approx(0.5)
    assert sd["z.b.salience"] == pytest.approx(5.0)
    assert sd["x.capability"] == pytest.approx(0.5)
    assert sd["y.a.position"] == 0.0  # its own triangular range wins over noise


def test_draws_are_clipped_to_the_scales(toy):
    space = Space.build(toy, noise=2.0)  # sd twice the scale: many draws fall off
    u = np.random.default_rng(1).random((5000, space.size))
    x = space.draw(np.zeros(5000, dtype=int), u)
    lo = np.array([i.lo for i in space.inputs])
    hi = np.array([i.hi for i in space.inputs])
    assert np.all(x >= lo) and np.all(x <= hi)
    batch = space.batch(x)
    assert batch.salience.max() <= 1.0 and batch.capability.min() >= 0.0


PANEL = """
panel:
  - id: hawk
    name: A hawkish analyst
    actors:
      x: {positions: {a: 20}}
      y: {capability: 30, positions: {a: {value: 80, low: 70, high: 90}}}
  - id: dove
    actors:
      y: {positions: {a: {value: 40, low: 30, high: 50}}}
"""


def test_panel_codings_replay_events(toy_yaml):
    """x.a is coded 20 by the hawk; the event of 2018-02-01 moves x by +30, so as of 2018-02-15
    the hawk's x.a is 50, while the dove keeps the file's 10 + 30 = 40."""
    s = parse_yaml(toy_yaml + PANEL).as_of("2018-02-15")
    members = dict(panel_members(s))
    assert list(members) == ["hawk", "dove"]
    assert members["hawk"].actor("x").positions["a"].mode == 50
    assert members["dove"].actor("x").positions["a"].mode == 40
    assert members["hawk"].actor("y").capability.mode == 30
    assert members["dove"].actor("y").capability.mode == 20


def test_panel_inputs_include_disagreements(toy_yaml):
    s = parse_yaml(toy_yaml + PANEL)
    space = Space.build(s)
    labels = [i.label for i in space.inputs]
    assert labels == ["x.a.position", "y.capability", "y.a.position"]
    assert space.members == ("hawk", "dove")
    assert space.mode[:, labels.index("y.capability")].tolist() == [30, 20]


def test_panel_with_unknown_actor_or_off_scale_value_is_refused(toy_yaml):
    bad = toy_yaml + "panel:\n  - id: a1\n    actors:\n      nobody: {capability: 3}\n" \
                     "      x: {positions: {a: 130}}\n"
    with pytest.raises(ScenarioError) as exc:
        parse_yaml(bad)
    text = " ".join(p.render() for p in exc.value.problems)
    assert "unknown actor 'nobody'" in text and "off the scale" in text


def test_panel_survives_a_round_trip(toy_yaml):
    s = parse_yaml(toy_yaml + PANEL)
    assert parse_yaml(to_yaml(s)).panel == s.panel
