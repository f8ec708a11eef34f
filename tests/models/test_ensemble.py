"""The ensemble: a convex combination of other models, with fitted default weights."""

from __future__ import annotations

import numpy as np
import pytest

from standoff.errors import ModelError
from standoff.models import Batch, make
from standoff.models.ensemble import default_weights


def test_default_weights_are_a_convex_combination():
    w = default_weights()
    assert all(v >= 0 for v in w.values())
    assert sum(w.values()) == pytest.approx(1.0, abs=1e-5)
    assert "ensemble" not in w


@pytest.mark.parametrize("member", ["compromise", "median", "nash", "smp"])
def test_ensemble_of_one_model_is_that_model(toy, member):
    batch = Batch.from_scenario(toy)
    one = make("ensemble", members=[member], weights=[3.0]).predict(batch).values
    np.testing.assert_array_equal(one, make(member).predict(batch).values)


def test_weights_are_normalised(toy):
    """Weights 1 and 3 are 1/4 and 3/4: the forecast is ¼·compromise + ¾·median."""
    batch = Batch.from_scenario(toy)
    mix = make("ensemble", members="compromise, median", weights=[1, 3]).predict(batch)
    expect = 0.25 * make("compromise").predict(batch).values + 0.75 * make("median").predict(batch).values
    np.testing.assert_allclose(mix.values, expect)
    assert mix.detail["weights"] == {"compromise": 0.25, "median": 0.75}
    assert make("ensemble").forecast(toy).model == "ensemble"


@pytest.mark.parametrize(("params", "message"), [
    ({"members": ["compromise"], "weights": [-1.0]}, "≥ 0"),
    ({"members": ["compromise", "median"], "weights": [1.0]}, "2 members but 1 weights"),
    ({"members": ["ensemble"]}, "not another registered model"),
    ({"members": ["nope"]}, "not another registered model"),
    ({"weights": [1.0]}, "without members"),
])
def test_bad_parameters_are_user_errors(toy, params, message):
    with pytest.raises(ModelError, match=message):
        make("ensemble", **params).forecast(toy)
