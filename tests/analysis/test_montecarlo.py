"""Monte Carlo: hand-computed summaries, named outcome shares, panels, and bit-for-bit
reproducibility whatever the executor."""

import numpy as np
import pytest

from standoff.analysis import Executor, ProcessExecutor, Space, monte_carlo
from standoff.analysis.montecarlo import AnalysisError, issue_summary, outcome_shares, panel_summary, to_dict
from standoff.models import make
from standoff.scenario import parse_yaml

# Toy at its baseline, compromise model. Weights c·s/100 on issue a: x 10·0.5 = 5, y 20·1 = 20,
# z 10·0.2 = 2 (W = 27); on b: x 10, y 10, z 2 (W = 22). Only y's position on a is uncertain,
# triangular (50, 60, 70), so the forecast on a is f(Y) = (5·10 + 20·Y + 2·90)/27 = (230 + 20 Y)/27
# and on b always (10·2 + 10·8 + 2·5)/22 = 5.


def f(y):
    return (230 + 20 * y) / 27


def test_summary_by_hand(toy):
    """Median of Y = 60 (symmetric) → f = 1430/27; the 10% quantile of Y is 50 + √(0.1·20·10) =
    50 + √20 and the 90% one 70 − √20, so the 80% interval is [f(50 + √20), f(70 − √20)] =
    [48.87, 57.06]; the 2.5% quantile is 50 + √(0.025·200) = 50 + √5, so the 95% interval is
    [f(50 + √5), f(70 − √5)]."""
    mc = monte_carlo(toy, make("compromise"), draws=40_000, seed=7)
    a, b = issue_summary(mc)
    assert a["median"] == pytest.approx(f(60), abs=0.05)
    assert a["mean"] == pytest.approx(f(60), abs=0.05)
    assert a["p80"] == pytest.approx([f(50 + 20 ** 0.5), f(70 - 20 ** 0.5)], abs=0.08)
    assert a["p95"] == pytest.approx([f(50 + 5 ** 0.5), f(70 - 5 ** 0.5)], abs=0.08)
    assert b["median"] == b["mean"] == pytest.approx(5.0)
    frame = mc.to_frame()
    assert frame.loc[0, "p10"] == a["p80"][0] and list(frame["issue"]) == ["a", "b"]
    assert b["p95"] == pytest.approx([5.0, 5.0])
    # every forecast on a lies in [f(50), f(70)] = [45.6, 60.4]: nearest labelled point "half" (50)
    assert a["points"] == {"none": 0.0, "half": 1.0, "all": 0.0}
    # b = 5 is as near "low" (0) as "high" (10): ties go to the lower point
    assert b["points"] == {"low": 1.0, "high": 0.0}
    assert sum(a["histogram"]["counts"]) == 40_000
    assert a["histogram"]["edges"][0] == 0 and a["histogram"]["edges"][-1] == 100


def test_outcome_shares_by_hand(toy):
    """Deals: small (a 20, b 2) and big (a 80, b 8). On b both are 30 points from 5, so a draw is
    nearer small iff |f − 20| < |80 − f| iff f < 50 iff Y < 56: P = (56 − 50)² / (20 · 10) = 0.18."""
    mc = monte_carlo(toy, make("compromise"), draws=40_000, seed=3)
    shares = outcome_shares(mc)
    assert set(shares) == {"small", "big"}  # the crisis outcome "war" has no positions
    assert shares["small"] == pytest.approx(0.18, abs=0.01)
    assert sum(shares.values()) == pytest.approx(1.0)


def test_same_seed_same_draws_whatever_the_executor(toy):
    model = make("compromise")
    kw = dict(draws=10_000, seed=42, noise=0.05, chunk=1_000)
    serial = monte_carlo(toy, model, executor=Executor(), **kw)
    with ProcessExecutor(2) as pool:
        pooled = monte_carlo(toy, model, executor=pool, **kw)
    assert np.array_equal(serial.values, pooled.values)
    assert serial.values.std() > 0
    other = monte_carlo(toy, model, **{**kw, "seed": 43})
    assert not np.array_equal(serial.values, other.values)


def test_dask_local_cluster_gives_the_same_draws(toy):
    pytest.importorskip("distributed")
    from standoff.analysis import DaskExecutor

    model = make("median")
    kw = dict(draws=6_000, seed=42, noise=0.05, chunk=1_000)
    serial = monte_carlo(toy, model, **kw)
    with DaskExecutor("local", workers=2) as ex:
        assert ex.workers == 2
        dask = monte_carlo(toy, model, executor=ex, progress=False, **kw)
        again = monte_carlo(toy, model, executor=ex, progress=False, **kw)  # same data scattered twice
    assert np.array_equal(dask.values, again.values)
    assert np.array_equal(serial.values, dask.values)
    assert np.array_equal(serial.member, dask.member)


def test_a_chunk_is_one_batch_of_the_one_by_one_forecasts(toy):
    """The batched draws equal forecasting each drawn scenario on its own."""
    model = make("median")
    mc = monte_carlo(toy, model, draws=50, seed=1, noise=0.1, chunk=20)
    from standoff.analysis.montecarlo import chunk_draws

    space = mc.space
    rows = []
    for c, size in enumerate((20, 20, 10)):
        member, u = chunk_draws(space, 1, c, size)
        x = space.draw(member, u)
        for d in range(size):
            rows.append(model.predict(space.batch(x[d:d + 1])).values[0])
    assert np.array_equal(np.array(rows), mc.values)


PANEL = """
panel:
  - id: hawk
    actors:
      y: {positions: {a: 80}}
  - id: dove
    actors:
      y: {positions: {a: 40}}
"""


def test_panel_of_point_codings_explains_all_the_spread(toy_yaml):
    """Two analysts put y's position on a at 80 and 40 (points): every draw is f(80) = 1830/27 or
    f(40) = 1030/27, so the between-analyst share of the variance is exactly 1."""
    s = parse_yaml(toy_yaml + PANEL)
    mc = monte_carlo(s, make("compromise"), draws=2_000, seed=5)
    assert set(np.round(mc.values[:, 0], 9)) == {round(f(80), 9), round(f(40), 9)}
    assert np.mean(mc.member == 0) == pytest.approx(0.5, abs=0.05)
    panel = panel_summary(mc)
    assert panel["explained"]["a"] == pytest.approx(1.0)
    assert panel["explained"]["b"] == 0.0
    assert panel["disagreements"][0] == {"input": "y.a.position", "spread": 40.0,
                                         "by_analyst": {"hawk": 80.0, "dove": 40.0}}
    assert panel["median_by_analyst"]["hawk"][0] == pytest.approx(f(80))


def test_panel_share_with_ranges(toy_yaml):
    """Codings 40 (30..50) and 80 (70..90): between-analyst variance of Y 20² = 400, within
    (30² + 40² + 50² − 30·40 − 30·50 − 40·50)/18 = 300/18; η² = 400 / (400 + 16.67) = 0.96."""
    text = toy_yaml + PANEL.replace("a: 80", "a: {value: 80, low: 70, high: 90}") \
        .replace("a: 40", "a: {value: 40, low: 30, high: 50}")
    mc = monte_carlo(parse_yaml(text), make("compromise"), draws=40_000, seed=5)
    assert panel_summary(mc)["explained"]["a"] == pytest.approx(400 / (400 + 300 / 18), abs=0.01)


def test_what_if_applies_to_every_draw(toy):
    from standoff.analysis import WhatIf

    wi = WhatIf.parse(settings=["z.a.position=10"])
    mc = monte_carlo(toy, make("compromise"), draws=1000, seed=1, what_if=wi)
    # f with z at 10: (50 + 20 Y + 20)/27, Y in [50, 70]
    assert mc.values[:, 0].min() >= (70 + 1000) / 27 - 1e-9
    assert mc.values[:, 0].max() <= (70 + 1400) / 27 + 1e-9
    assert to_dict(mc)["what_if"] == "z.a.position=10"


def test_bad_settings(toy):
    with pytest.raises(AnalysisError):
        monte_carlo(toy, make("compromise"), draws=0)
    with pytest.raises(AnalysisError):
        monte_carlo(toy, make("compromise"), noise=-0.1)


def test_works_with_every_registered_model(toy):
    """Nothing is special-cased: any model of the registry runs through the same path."""
    from standoff.models import available

    for name in available():
        mc = monte_carlo(toy, make(name), draws=300, seed=2, noise=0.05)
        assert mc.values.shape == (300, 2) and np.isfinite(mc.values).all()
        assert Space.build(toy).base.shape == (1, 3, 2)
