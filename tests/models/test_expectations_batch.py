"""The expectations model on a batch: the rounds solved once per history of proposers equal the
per-draw loop they replaced (tests/models/expectations_reference.py), and a batch gives what each
of its rows gives alone."""

from __future__ import annotations

import expectations_reference as reference  # the per-draw loop beside this file (on sys.path)
import numpy as np
import pytest

import standoff
import standoff.models.expectations as expectations
from standoff.analysis.sensitivity import swing_values
from standoff.analysis.space import Space
from standoff.models import make
from standoff.models.base import Batch


def random_rounds(seed: int, b: int, k: int, g: int) -> tuple:
    """Random inputs of `bargain`: ideals on 0..100, weights summing to 1/100 per side, types'
    levels on a coarse grid (so that some types share a level and offers tie), priors with zeros,
    breakdown payoffs −0.5..0.5 and recognition 0..1 (both ends included)."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0, 100, (b, 2, k)).round()
    s = rng.uniform(0.1, 1, (b, 2, k))
    w = s / s.sum(axis=-1, keepdims=True) / 100.0
    q = rng.uniform(0, 100, (b, k))
    levels = rng.integers(-2, 11, (b, 2, g)) / 10.0
    prior = rng.uniform(0, 1, (b, 2, g)) * (rng.uniform(0, 1, (b, 2, g)) > 0.2)
    prior[..., 0] += 0.01  # every side keeps a type with weight
    d = rng.uniform(-0.5, 0.5, (b, 2))
    recognition = rng.uniform(0, 1, b)
    recognition[:2] = (0.0, 1.0)
    return p, w, q, levels, prior, d, recognition


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("proposer", [None, 0, 1])
def test_rounds_equal_the_per_draw_loop(seed, proposer):
    """Every output of `bargain` (atoms, masses, who proposes, the deals per draw and round, the
    rounds reached, P(breakdown), the forecast) equals the per-draw loop's bit for bit, on random
    inputs with 1 to 6 rounds (up to 64 histories, more than the 50 draws of some runs)."""
    args = random_rounds(seed, b=7, k=1 + seed % 3, g=2 + 3 * seed)
    kw = dict(rounds=1 + seed, hazard=0.15 * (seed % 3), proposer=proposer, draws=50 + 40 * seed,
              seed=seed)
    got, want = expectations.bargain(*args, **kw), reference.reference_bargain(*args, **kw)
    assert got.keys() == want.keys()
    for key in want:
        np.testing.assert_array_equal(got[key], want[key], err_msg=key)


def _rows_alone_and_together(model, batch: Batch) -> None:
    together = model.predict(batch)
    for i in range(batch.positions.shape[0]):
        one = Batch(batch.positions[i:i + 1], batch.salience[i:i + 1], batch.capability[i:i + 1],
                    batch.low, batch.high, batch.status_quo, batch.actor_ids, batch.issue_ids,
                    consent=batch.consent,
                    extra={key: v[i:i + 1] if isinstance(v, np.ndarray) and v.ndim and
                           v.shape[0] == batch.positions.shape[0] else v
                           for key, v in batch.extra.items()})
        alone = model.predict(one)
        np.testing.assert_allclose(together.values[i], alone.values[0], rtol=0, atol=1e-9)
        np.testing.assert_allclose(together.detail["p_breakdown"][i], alone.detail["p_breakdown"][0],
                                   rtol=0, atol=1e-9)


@pytest.mark.parametrize("case", standoff.cases())
def test_a_batch_gives_each_row_what_it_gives_alone(case):
    """Each built-in case with noise 0.3 on its point values: 12 seeded draws (and the point
    coding) in one batch equal each row run alone, and the rounds equal the per-draw loop."""
    space = Space.build(standoff.load(case), noise=0.3, use_panel=False)
    u = np.random.default_rng(11).random((12, space.size))
    values = np.vstack([space.modes(0), space.draw(np.zeros(12, dtype=int), u)])
    batch = space.batch(values)
    model = make("expectations", draws=40, rounds=4, seed=5)
    _rows_alone_and_together(model, batch)


def test_the_korea_tornado_rows_equal_the_per_draw_loop(monkeypatch):
    """The 109 rows of Korea's tornado (the batch the report runs) with the default parameters:
    the forecast and detail equal those of the per-draw loop bit for bit."""
    space = Space.build(standoff.load("korea-2018"), use_panel=False)
    model = make("expectations")
    _, _, _, y = swing_values(space, model, chunk=1000)
    monkeypatch.setattr(expectations, "bargain", reference.reference_bargain)
    _, _, _, want = swing_values(space, model, chunk=1000)
    np.testing.assert_array_equal(y, want)
