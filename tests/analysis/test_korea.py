"""The analyses on the flagship case (skipped until the korea-2018 case is present)."""

import numpy as np
import pytest

import standoff
from standoff.analysis import ProcessExecutor, WhatIf, levers, monte_carlo
from standoff.analysis.levers import distance, ideal_point
from standoff.analysis.montecarlo import issue_summary, outcome_shares
from standoff.models import make

pytestmark = pytest.mark.skipif("korea-2018" not in standoff.cases(),
                                reason="the korea-2018 case is not in this checkout yet")


@pytest.fixture(scope="module")
def korea():
    s = standoff.load("korea-2018")
    return s.as_of(s.last_event_date) if s.last_event_date else s


def test_levers_for_north_korea_agree_with_one_by_one_forecasts(korea):
    """Each lever's gain is the party's distance at the baseline minus its distance after the
    change, the changed forecast recomputed here scenario by scenario through Model.forecast."""
    model = make("compromise")
    found, base, d0 = levers(korea, "north-korea", model, top=None)
    ideal, stake = ideal_point(korea, "north-korea")
    assert all(found[i].gain >= found[i + 1].gain for i in range(len(found) - 1))
    for lv in found[:5] + found[-3:]:
        wi = WhatIf.parse(without=[lv.change.removeprefix("without ")]) if lv.change.startswith("without") \
            else WhatIf.parse(settings=[lv.change])
        f = model.forecast(wi.apply(korea))
        values = np.array([[f.value(i) for i in korea.issue_ids]])
        assert lv.gain == pytest.approx(d0 - distance(korea, values, ideal, stake)[0])


def test_monte_carlo_on_korea_is_reproducible_and_consistent(korea):
    model = make("median")
    kw = dict(draws=4_000, seed=42, noise=0.05, chunk=1_000)
    one = monte_carlo(korea, model, **kw)
    with ProcessExecutor(2) as pool:
        two = monte_carlo(korea, model, executor=pool, **kw)
    assert np.array_equal(one.values, two.values)
    for r, issue in zip(issue_summary(one), korea.issues, strict=True):
        ends = [issue.min, r["p95"][0], r["p80"][0], r["median"], r["p80"][1], r["p95"][1], issue.max]
        assert ends == sorted(ends)
        if r["points"]:
            assert sum(r["points"].values()) == pytest.approx(1.0)
    shares = outcome_shares(one)
    if shares:
        assert sum(shares.values()) == pytest.approx(1.0)
