"""Property tests (hypothesis) for the exchange and Nash models on random small cases."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from standoff.models import Batch
from standoff.models.exchange import Exchange
from standoff.models.nash import NashBargaining


def batch_from(seed: int, n: int, k: int, sq: bool = False) -> Batch:
    rng = np.random.default_rng(seed)
    return Batch(rng.uniform(0, 100, (1, n, k)).round(1), rng.uniform(0.05, 1, (1, n, k)),
                 rng.uniform(0.5, 10, (1, n)), np.zeros(k), np.full(k, 100.0),
                 rng.uniform(0, 100, k) if sq else np.full(k, np.nan),
                 tuple(f"a{i}" for i in range(n)), tuple(f"i{m}" for m in range(k)))


cases = st.tuples(st.integers(0, 10_000), st.integers(2, 6), st.integers(1, 4))


@settings(max_examples=30, deadline=None)
@given(cases)
def test_nash_lies_within_the_positions(case):
    """Per issue and jointly (quadratic), the solution is a positively weighted mean of the
    positions of the actors with weight, so it lies within their range."""
    b = batch_from(*case)
    lo, hi = b.positions[0].min(axis=0), b.positions[0].max(axis=0)
    for model in (NashBargaining(), NashBargaining(utility="linear"),
                  NashBargaining(joint=True)):
        v = model.predict(b).values[0]
        assert np.all(v >= lo - 1e-7) and np.all(v <= hi + 1e-7)


@settings(max_examples=30, deadline=None)
@given(cases, st.floats(0.1, 10))
def test_nash_ignores_a_common_scale_of_capabilities(case, factor):
    """Multiplying every capability by the same factor changes no weight ratio."""
    b = batch_from(*case)
    scaled = Batch(b.positions, b.salience, b.capability * factor, b.low, b.high, b.status_quo,
                   b.actor_ids, b.issue_ids)
    for model in (NashBargaining(), NashBargaining(joint=True)):
        assert np.allclose(model.predict(b).values, model.predict(scaled).values, atol=1e-7)


@settings(max_examples=30, deadline=None)
@given(cases)
def test_nash_status_quo_agreements_improve_on_it(case):
    """Where the status-quo variant reports an agreement, every actor with weight is better off
    there than at the status quo; where not, the forecast is the status quo."""
    b = batch_from(*case, sq=True)
    p = NashBargaining(disagreement="status-quo").predict(b)
    x, sq = p.values[0], b.status_quo
    for m in range(b.shape[2]):
        if p.detail["agreement"][0, m]:
            assert np.all(np.abs(x[m] - b.positions[0, :, m]) < np.abs(sq[m] - b.positions[0, :, m])
                          + 1e-9)
        else:
            assert x[m] == sq[m]


@settings(max_examples=20, deadline=None)
@given(cases)
def test_exchange_gains_are_positive_and_equal(case):
    """Every exchange: both actors gain, equally, and the movers stay within the scale."""
    b = batch_from(*case)
    p = Exchange(rounds=2).predict(b, labels=True)
    s = {a: {i: b.salience[0, n, m] for m, i in enumerate(b.issue_ids)}
         for n, a in enumerate(b.actor_ids)}
    for e in p.detail["exchanges"][0]:
        pi, qi = e["i_gets"], e["j_gets"]
        dp, dq = abs(e["outcome_shift"][pi]), abs(e["outcome_shift"][qi])
        gi = s[e["i"]][pi] * dp - s[e["i"]][qi] * dq
        gj = s[e["j"]][qi] * dq - s[e["j"]][pi] * dp
        assert e["gain"] > 0
        assert np.isclose(gi, e["gain"], rtol=1e-7, atol=1e-9)
        assert np.isclose(gj, e["gain"], rtol=1e-7, atol=1e-9)
    assert np.all(p.positions_path >= -1e-9) and np.all(p.positions_path <= 100 + 1e-9)
