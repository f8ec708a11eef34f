"""One round of the exchange model against the round as written before its steps indexed flat
arrays of the candidates' cells (tests/models/exchange_reference.py): the same voting positions,
counts and exchanges, bit for bit."""

from __future__ import annotations

import exchange_reference as reference  # the earlier round beside this file (on sys.path)
import numpy as np
import pytest

import standoff
from standoff.models.base import Batch
from standoff.models.exchange import candidate_pairs, run_round


def _same_round(positions, salience, capability, tol=1e-10):
    cand = candidate_pairs(positions.shape[1], positions.shape[2])
    got = run_round(positions, salience, capability, cand, tol, record=True)
    want = reference.reference_run_round(positions, salience, capability, cand, tol, record=True)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    assert got[2] == want[2]
    return int(want[1].sum())


@pytest.mark.parametrize("seed", range(6))
def test_random_rounds_equal_the_earlier_round(seed):
    """Random batches (1 to 9 scenarios, 3 to 8 actors, 2 to 4 issues; positions on a 0.5 grid so
    that gains tie, some saliences and capabilities 0): every exchange, in the same order, with
    the same numbers; the batch makes exchanges at all."""
    rng = np.random.default_rng(seed)
    b, n, k = 1 + 2 * (seed % 5), 3 + seed, 2 + seed % 3
    x = (rng.uniform(0, 100, (b, n, k)) * 2).round() / 2
    s = rng.uniform(0.05, 1, (b, n, k)) * (rng.uniform(0, 1, (b, n, k)) > 0.1)
    c = rng.uniform(1, 10, (b, n)) * (rng.uniform(0, 1, (b, n)) > 0.1)
    assert _same_round(x, s, c) > 0


@pytest.mark.parametrize("case", [c for c in standoff.cases()
                                  if len(standoff.load(c).issues) > 1])
def test_built_in_cases_equal_the_earlier_round(case):
    """Each built-in case with two issues or more, at its point values and as 12 scenarios with
    noisy capabilities (one batch), gives the earlier round's exchanges."""
    base = Batch.from_scenario(standoff.load(case))
    rng = np.random.default_rng(5)
    cap = base.capability * rng.uniform(0.5, 1.5, (12, base.capability.shape[1]))
    _same_round(base.positions, base.salience, base.capability)
    _same_round(np.repeat(base.positions, 12, axis=0), np.repeat(base.salience, 12, axis=0), cap)
