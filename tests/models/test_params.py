"""Model parameters declared once on the class, checked when a model is made, read from strings."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import standoff
from standoff.errors import ModelError
from standoff.models import (
    Model,
    Param,
    Prediction,
    available,
    declared_parameters,
    make,
    make_model,
    model_params,
    parse_params,
    register,
)
from standoff.models import base as models_base
from standoff.models.params import NAMES, NUMBERS


@pytest.mark.parametrize("name", list(available()))
def test_every_model_declares_exactly_its_constructor_parameters(name):
    """The declaration and the constructor name the same parameters with the same defaults, and
    each default passes its own check."""
    cls = available()[name]
    sig = {k: p.default for k, p in cls.parameters().items()}
    assert list(cls.params) == list(sig)
    for key, spec in cls.params.items():
        assert spec.default == sig[key], key
        assert spec.problem(spec.default) is None, key
        assert spec.doc and "\n" not in spec.doc, key


@pytest.mark.parametrize(("params", "words"), [
    ({"q": 2.0}, "q must be a number in [0, 1], not 2.0"),
    ({"q": -0.1}, "q must be a number in [0, 1], not -0.1"),
    ({"t": 1.5}, "t must be a number in [0, 1] or null, not 1.5"),
    ({"rounds": -1}, "rounds must be a whole number >= 0, not -1"),
    ({"rounds": 2.5}, "rounds must be a whole number, not 2.5"),
    ({"rounds": True}, "rounds must be a whole number, not True"),
    ({"chunk_elements": 0}, "chunk_elements must be a whole number >= 1, not 0"),
    ({"preset": "nope"}, "preset must be one of paper, scholz2011, not 'nope'"),
    ({"engine": "fast"}, "engine must be one of auto, steps, not 'fast'"),
    ({"keep_dyads": 1}, "keep_dyads must be true or false, not 1"),
    ({"tol": float("nan")}, "tol must be a number, not nan"),
])
def test_a_bad_value_fails_when_the_model_is_made(params, words):
    """The check runs in make_model (not later, at predict): the message names the parameter, the
    rule and the default, the place is `--param KEY`."""
    with pytest.raises(ModelError) as info:
        make_model("eum", params)
    key = next(iter(params))
    assert str(info.value).startswith(f"--param {key}: bad parameter for model 'eum': {words} — give ")
    with pytest.raises(ModelError, match="bad parameter for model 'eum'"):
        standoff.models.eum.ExpectedUtility(**params)  # constructed directly: the same check


def test_bounds_are_inclusive_unless_declared_open():
    """q = 0 and q = 1 lie in [0, 1]; a Param closed only at the low end refuses its high bound."""
    assert make_model("eum", {"q": 0}).q == 0.0 and make_model("eum", {"q": 1}).q == 1.0
    half_open = Param(float, 0.5, "a share", low=0, high=1, closed="low")
    assert half_open.rule() == "a number in [0, 1)"
    assert half_open.problem(0.0) is None and half_open.problem(1.0) == "bounds"
    assert Param(int, 1, "a count", low=0, closed="neither").rule() == "a whole number > 0"


def test_valid_values_are_kept_as_given():
    """tol = 1 passes as a number for a float parameter and stays the int 1 (recorded as given)."""
    m = make_model("eum", {"tol": 1, "q": 0})
    assert (m.tol, m.q) == (1, 0) and isinstance(m.tol, int)


def test_unknown_key_and_unknown_model_messages():
    with pytest.raises(ModelError, match="model 'eum' has no parameter 'speed' — its parameters: rounds, "):
        make_model("eum", {"speed": 3})
    with pytest.raises(ModelError, match="unknown model 'nope' — use one of: compromise"):
        make_model("nope", {})
    with pytest.raises(ModelError, match="^params.rounds: bad parameter"):
        make_model("exchange", {"rounds": 0}, where="params")


def test_strings_are_read_by_the_declaration():
    """'10' is the int 10, '0.5' the float, 'yes'/'1' true for a bool, 'null' None where None is
    allowed, a text stays a text even where YAML would read a number or a bool."""
    decl = available()["eum"].params
    got = parse_params(["rounds=10", "q=0.5", "keep_dyads=1", "t=null", "preset=paper", "eum.tol=-1"], decl)
    assert got == {"rounds": 10, "q": 0.5, "keep_dyads": True, "t": None, "preset": "paper", "eum.tol": -1}
    assert parse_params(["utility=linear", "joint=no"], available()["nash"].params) == \
        {"utility": "linear", "joint": False}
    text = Param(str, "a", "a text")
    assert text.coerce("1") == "1" and text.coerce("yes") == "yes"
    assert Param(NAMES, None, "names", nullable=True).coerce("eum, smp") == "eum, smp"
    assert Param(NAMES, None, "names", nullable=True).coerce("[eum, smp]") == ["eum", "smp"]
    assert Param(NUMBERS, None, "weights", nullable=True).coerce("[1, 3]") == [1, 3]
    # without a declaration: YAML scalars, as the command line always read them
    assert parse_params(["rounds=10", "q=0.5", "name=x"]) == {"rounds": 10, "q": 0.5, "name": "x"}
    with pytest.raises(ModelError, match="is not KEY=VALUE"):
        parse_params(["rounds"])


def test_parameters_are_shared_out_among_the_chosen_models():
    """`rounds` goes to every chosen model that has it, `MODEL.KEY` to that model only; a key no
    chosen model takes, or MODEL.KEY for a model not chosen, is a user error."""
    got = model_params(["eum", "exchange", "median"], {"rounds": 3, "eum.q": 0.5})
    assert got == {"eum": {"rounds": 3, "q": 0.5}, "exchange": {"rounds": 3}, "median": {}}
    with pytest.raises(ModelError, match="no chosen model takes parameter 'q'"):
        model_params(["median"], {"q": 0.5})
    with pytest.raises(ModelError, match="no chosen model takes parameter 'smp.max_turns'"):
        model_params(["eum"], {"smp.max_turns": 3})


def test_declared_parameters_are_plain_data_for_a_form():
    eum = declared_parameters("eum")
    assert eum["q"] == {"type": "float", "default": 1.0, "low": 0, "high": 1, "closed": "both",
                        "choices": None, "nullable": False, "rule": "a number in [0, 1]",
                        "doc": eum["q"]["doc"], "advanced": False}
    assert eum["engine"]["advanced"] and eum["probability"]["advanced"] and not eum["preset"]["advanced"]
    assert eum["preset"]["choices"] == ["paper", "scholz2011"]
    assert declared_parameters("ensemble")["members"]["type"] == "names"
    assert declared_parameters("median") == {}


class _Toy(Model):
    """The actors' positions shifted by `shift` and averaged with capability weights."""

    name = "toy-shift"
    title = "A toy model"
    params = {"shift": Param(float, 0.0, "added to every forecast", low=-10, high=10)}

    def __init__(self, shift: float = 0.0) -> None:
        self.shift = shift

    def predict(self, batch):
        w = batch.capability[:, :, None] * batch.salience  # [B, N, K]
        mean = (w * batch.positions).sum(axis=1) / w.sum(axis=1)
        return Prediction(values=mean + self.shift)


@pytest.fixture
def toy_registered():
    register(_Toy)
    yield
    models_base._REGISTRY.pop(_Toy.name)


def test_adding_a_model_is_one_class_and_its_registration(toy_registered, toy):
    """A model class registered from outside the package is made by name, its parameter is checked,
    and forecast labels its values: for the toy scenario, the compromise forecast + 2."""
    model = make_model("toy-shift", {"shift": 2})
    assert model.get_params() == {"shift": 2}
    f = model.forecast(toy)
    base = make("compromise").forecast(toy)
    np.testing.assert_allclose([i.value for i in f.issues], [i.value + 2 for i in base.issues])
    assert f.model == "toy-shift" and f.params == {"shift": 2}
    assert "toy-shift" in available()
    with pytest.raises(ModelError, match=r"shift must be a number in \[-10, 10\], not 11"):
        make_model("toy-shift", {"shift": 11})
    assert list(inspect.signature(_Toy.__init__).parameters) == ["self", "shift"]
