"""The memo of a run (analysis.memo): what it answers is what a fresh computation gives, it files
results under the scenario's content and the model's parameters, and the tornado's evaluations
(only the distinct rows, a chunk at a time) equal one batch of every row."""

from __future__ import annotations

import json

import numpy as np
import pytest

import standoff
from standoff.analysis import Space
from standoff.analysis.drivers import explain_forecast
from standoff.analysis.memo import Memo, model_key, space_key
from standoff.analysis.sensitivity import _ends, swing_values, tornado
from standoff.analysis.space import POINT
from standoff.models import available, make_model


@pytest.fixture(scope="module")
def korea():
    return standoff.load("korea-2018", as_of="2018-05-22")


def as_json(forecast) -> str:
    """A forecast as JSON text (NaN spelt out, so that equal forecasts compare equal)."""
    return json.dumps(forecast.to_dict(), sort_keys=True, default=str)


def every_row(space: Space, model) -> np.ndarray:
    """The tornado's rows written out in full, as in one batch: the point values, then each ranged
    input at its low and its high end (no row skipped, no chunks)."""
    base = space.modes(0)
    lo, hi = _ends(space)
    rows = [base]
    for p in range(space.size):
        if space.kind[0, p] == POINT:
            continue
        for end in (lo, hi):
            x = base.copy()
            x[p] = end[p]
            rows.append(x)
    return model.predict(space.batch(np.array(rows))).values


@pytest.mark.parametrize("name", list(available()))
def test_memo_answers_what_a_fresh_forecast_gives(toy, name):
    """For every model: the first call computes (1 miss), the second answers from the memo (1 hit,
    the same object), and the forecast is the one a fresh model.forecast gives."""
    model = make_model(name)
    memo = Memo()
    first = memo.forecast(toy, model)
    again = memo.forecast(toy, model)
    fresh = make_model(name).forecast(toy)
    assert again is first
    assert (memo.misses, memo.hits, len(memo)) == (1, 1, 1)
    assert as_json(first) == as_json(fresh)
    assert [f.value for f in first.issues] == [f.value for f in fresh.issues]


def test_memo_keeps_apart_scenarios_models_and_parameters(toy):
    """Four different requests, four entries: the toy case, the toy case without z (another
    content hash), another model, and that model with another seed (expectations, seed 0 and 1).
    Each equals its fresh computation; asking each again adds only hits."""
    median = make_model("median")
    seed0, seed1 = make_model("expectations"), make_model("expectations", {"seed": 1})
    assert model_key(seed0) != model_key(seed1)
    asks = [(toy, median), (toy.without("z"), median), (toy, seed0), (toy, seed1)]
    memo = Memo()
    got = [memo.forecast(s, m) for s, m in asks]
    assert (memo.misses, memo.hits, len(memo)) == (4, 0, 4)
    for (s, m), f in zip(asks, got, strict=True):
        assert as_json(f) == as_json(m.forecast(s))
    assert [memo.forecast(s, m) for s, m in asks] == got
    assert (memo.misses, memo.hits) == (4, 4)


def test_a_memo_is_one_runs_own(toy):
    """Nothing is shared between memos: a new memo computes again."""
    model = make_model("compromise")
    a, b = Memo(), Memo()
    a.forecast(toy, model)
    b.forecast(toy, model)
    assert (a.misses, b.misses, a.hits, b.hits) == (1, 1, 0, 0)


@pytest.mark.parametrize("name", list(available()))
def test_tornado_rows_equal_one_batch_of_every_row(toy, name):
    """Toy with noise 0.05 (every value uncertain, 15 inputs, 31 rows): the distinct rows run 4 at
    a time give the same forecasts as every row in one batch, for every model; the tornado read
    through a memo is the tornado computed without one."""
    space = Space.build(toy, noise=0.05, use_panel=False)
    model = make_model(name)
    lo, hi, ranged, y = swing_values(space, model, chunk=4)
    assert len(ranged) == space.size == 15
    np.testing.assert_allclose(y, every_row(space, model), rtol=0, atol=1e-9)
    memo = Memo()
    assert tornado(space, model, memo=memo) == tornado(space, model)
    assert tornado(space, model, memo=memo) == tornado(space, model)
    assert (memo.misses, memo.hits) == (1, 1)


@pytest.mark.parametrize("name", ["eum", "expectations", "exchange"])
def test_korea_tornado_skips_ends_at_the_point_value(korea, name):
    """Korea has 54 ranged inputs; an end equal to the point value (a range starting or ending at
    its mode) is not run again, yet its row is the point row: the swings equal one batch of all
    109 rows."""
    space = Space.build(korea, use_panel=False)
    model = make_model(name)
    lo, hi, ranged, y = swing_values(space, model)
    base = space.modes(0)
    at_point = sum(int(e[p] == base[p]) for p in ranged for e in (lo, hi))
    assert at_point > 0 and y.shape == (1 + 2 * len(ranged), len(korea.issues))
    np.testing.assert_allclose(y, every_row(space, model), rtol=0, atol=1e-9)


def test_space_key_follows_the_inputs(toy):
    """The same space built twice has one key; noise (other distributions) gives another."""
    assert space_key(Space.build(toy, use_panel=False)) == space_key(Space.build(toy, use_panel=False))
    assert space_key(Space.build(toy, use_panel=False)) != space_key(
        Space.build(toy, noise=0.05, use_panel=False))


def test_explain_forecast_with_a_shared_memo_equals_without(korea):
    """The drivers of eum with a memo that already holds its forecast are those computed alone;
    the memo answers the base forecast twice (explain and leave-one-out) and files the tornado."""
    model = make_model("eum")
    memo = Memo()
    memo.forecast(korea, model)
    shared = explain_forecast(korea, model, memo=memo)
    alone = explain_forecast(korea, make_model("eum"))
    assert shared == alone
    assert (memo.hits, memo.misses) == (2, 2)
