"""The one interface every model implements, and the arrays models compute on.

A model is constructed with its documented parameters (no work in ``__init__``) and exposes:

- ``predict(batch) -> Prediction``: the numeric core on arrays with a leading batch axis;
- ``forecast(scenario) -> Forecast``: one scenario in, a labelled result out (shared by all).

Spatial models that treat each issue on its own subclass :class:`IssueModel` and write only
``predict_issue(positions[B, N], capability[B, N], salience[B, N])``: the issues of a batch are
folded into the batch axis, so one call handles B scenarios × K issues.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from standoff.errors import ModelError, closest
from standoff.models.forecast import Forecast
from standoff.models.params import Param, check_params, declared, params_for, unused_keys
from standoff.models.ratifiers import ConsentRules, rules_of
from standoff.scenario import Scenario


@dataclass(frozen=True)
class Batch:
    """B scenarios of the same shape (N actors, K issues) as arrays.

    positions[B, N, K], salience[B, N, K] (0..1), capability[B, N]; per issue the scale
    `low[K]`, `high[K]` and `status_quo[K]` (NaN where none is given); `perceived[B, N, N, K]`
    is what actor i believes actor j's position is (None: everyone sees the true positions);
    `consent` is who must ratify a deal (:mod:`standoff.models.ratifiers`; None: nobody declared).
    `extra` holds what some models read beyond these arrays (built by
    :func:`standoff.models.context.context_arrays`): the group structure, and per actor its
    reservation points per type and the belief about its type (leading batch axis B).
    """

    positions: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    low: np.ndarray
    high: np.ndarray
    status_quo: np.ndarray
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    perceived: np.ndarray | None = None
    consent: ConsentRules | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_scenarios(cls, scenarios: list[Scenario]) -> Batch:
        """Stack scenarios that share actors and issues (the modes of their values)."""
        first = scenarios[0]
        sq_of = lambda s: [None if i.status_quo is None else i.status_quo.mode  # noqa: E731
                           for i in s.issues]
        for s in scenarios[1:]:
            if s.actor_ids != first.actor_ids or s.issue_ids != first.issue_ids:
                raise ModelError("scenarios in one batch must have the same actors and issues",
                                 fix="run scenarios of different shapes one at a time")
            if sq_of(s) != sq_of(first):
                raise ModelError("scenarios in one batch must have the same status quo on every issue",
                                 fix="run scenarios with different status quos in separate batches")
        pos = np.array([[[a.positions[i].mode for i in s.issue_ids] for a in s.actors]
                        for s in scenarios], dtype=float)
        sal = np.array([[[a.salience[i].mode / 100.0 for i in s.issue_ids] for a in s.actors]
                        for s in scenarios], dtype=float)
        cap = np.array([[a.capability.mode for a in s.actors] for s in scenarios], dtype=float)
        low = np.array([i.min for i in first.issues], dtype=float)
        high = np.array([i.max for i in first.issues], dtype=float)
        sq = np.array([np.nan if i.status_quo is None else i.status_quo.mode for i in first.issues])
        from standoff.models.context import context_arrays

        return cls(pos, sal, cap, low, high, sq, first.actor_ids, first.issue_ids,
                   consent=rules_of(first), extra=context_arrays(scenarios))

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Batch:
        return cls.from_scenarios([scenario])

    @property
    def shape(self) -> tuple[int, int, int]:
        """(B, N, K)."""
        return self.positions.shape  # type: ignore[return-value]

    def weights(self) -> np.ndarray:
        """capability × salience, [B, N, K]: the clout an actor brings to bear on an issue."""
        return self.capability[:, :, None] * self.salience


@dataclass(frozen=True)
class Prediction:
    """What a model's numeric core returns for a batch.

    values[B, K]: the forecast per issue. Optional: trajectory[B, T, K] (the forecast after
    each round, round 0 first), positions_path[B, T, N, K] (every actor's position per round),
    converged[B, K], rounds[B, K], outcome_probabilities {name: [B]} for categorical outcomes,
    and model-specific detail (arrays with a leading B axis, or plain data).
    """

    values: np.ndarray
    trajectory: np.ndarray | None = None
    positions_path: np.ndarray | None = None
    converged: np.ndarray | None = None
    rounds: np.ndarray | None = None
    outcome_probabilities: dict[str, np.ndarray] | None = None
    detail: dict[str, Any] = field(default_factory=dict)


class Model:
    """Base class: parameters in ``__init__``, ``predict(batch)`` for the numeric core."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    wraps: ClassVar[bool] = False  # True for a model built on other models' forecasts
    #: Whether the ensemble's weights are fitted over this model by default (backtest/fit.py).
    stacked: ClassVar[bool] = True
    params: ClassVar[dict[str, Param]] = {}
    """The constructor's parameters declared once (type, bounds, choices, default, description)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A class that declares `params` has the values given to its constructor checked against
        them (:func:`standoff.models.params.check_params`), however it is made."""
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None or not cls.__dict__.get("params"):
            return
        sig = inspect.signature(init)

        @functools.wraps(init)
        def checked_init(self, *args: Any, **given: Any) -> None:
            bound = sig.bind(self, *args, **given).arguments
            values = {k: v for k, v in bound.items() if k != "self"}
            init(self, **check_params(cls.name or cls.__name__, cls, values))

        cls.__init__ = checked_init  # type: ignore[method-assign]

    def predict(self, batch: Batch) -> Prediction:  # pragma: no cover - interface
        raise NotImplementedError

    def forecast(self, scenario: Scenario):
        """Forecast one scenario: the numeric core on a batch of one, labelled.

        Refused before it starts when its estimated memory is above the limit
        (:mod:`standoff.models.budget`); a forecast that comes out infinite or NaN is a user error
        naming the issue (inputs of absurd magnitude), never a silent null."""
        from standoff.models import budget

        budget.check(self.name, len(scenario.actors), len(scenario.issues),
                     members=self.budget_members(), params=self.get_params())
        prediction = self.predict(Batch.from_scenario(scenario))
        check_finite(self.name, scenario.issue_ids, prediction.values)
        return Forecast.from_prediction(scenario, self, prediction)

    def budget_members(self) -> tuple[str, ...]:
        """The models this one runs in turn (an ensemble's members), for the memory estimate."""
        return ()

    @classmethod
    def parameters(cls) -> dict[str, inspect.Parameter]:
        """The documented constructor parameters, by name."""
        sig = inspect.signature(cls.__init__)
        kinds = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        return {k: p for k, p in sig.parameters.items() if k != "self" and p.kind in kinds}

    def mechanism(self, forecast) -> dict[str, str]:
        """Per issue id, a sentence on what the model's own mechanism did to its forecast (the veto
        that binds, the chance of breakdown); empty for models that only aggregate positions.
        `--explain` adds it to the drivers of each issue."""
        return {}

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.parameters()}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


def check_finite(model: str, issue_ids: tuple[str, ...], values: np.ndarray) -> None:
    """A ModelError naming the first issue whose forecast is not a finite number."""
    values = np.asarray(values, dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        k = int(np.argwhere(bad)[0][-1])
        raise ModelError(f"model {model!r} gave a non-finite forecast ({values.flat[np.argmax(bad)]}) on "
                         f"issue {issue_ids[k]!r}", where=f"issues.{issue_ids[k]}",
                         fix="check the inputs for absurd magnitudes (capabilities, scales); put them "
                             "on a common scale such as 0 to 100")


class IssueModel(Model):
    """A model that forecasts each issue on its own from positions, capability and salience."""

    def predict_issue(self, positions: np.ndarray, capability: np.ndarray,
                      salience: np.ndarray) -> Prediction:  # pragma: no cover - interface
        """Arrays [M, N] (M = batch × issues) in; a Prediction with values[M] out. Models that use
        perceptions also accept ``perceived[M, N, N]`` (passed only when the batch has them)."""
        raise NotImplementedError

    def predict(self, batch: Batch) -> Prediction:
        b, n, k = batch.shape
        fold = lambda a: np.moveaxis(a, 2, 1).reshape(b * k, n)  # noqa: E731  [B,N,K] -> [B*K, N]
        cap = np.broadcast_to(batch.capability[:, :, None], (b, n, k))
        extra = {}
        takes = "perceived" in inspect.signature(self.predict_issue).parameters
        if batch.perceived is not None and takes:  # [B, N, N, K] -> [B*K, N, N]
            extra["perceived"] = np.moveaxis(batch.perceived, 3, 1).reshape(b * k, n, n)
        p = self.predict_issue(fold(batch.positions), fold(cap), fold(batch.salience), **extra)
        unfold = lambda a: None if a is None else a.reshape(b, k, *a.shape[1:])  # noqa: E731
        traj = unfold(p.trajectory)  # [B, K, T]
        path = unfold(p.positions_path)  # [B, K, T, N]
        return Prediction(
            values=p.values.reshape(b, k),
            trajectory=None if traj is None else np.moveaxis(traj, 1, 2),
            positions_path=None if path is None else np.moveaxis(path, 1, 3),
            converged=unfold(p.converged), rounds=unfold(p.rounds),
            outcome_probabilities=p.outcome_probabilities,
            detail={key: unfold(v) if isinstance(v, np.ndarray) and v.shape[:1] == (b * k,) else v
                    for key, v in p.detail.items()},
        )


_REGISTRY: dict[str, type[Model]] = {}


def register(cls: type[Model]) -> type[Model]:
    """Class decorator: make a model available by its `name`."""
    if not cls.name:
        raise TypeError(f"{cls.__name__} needs a `name`")
    _REGISTRY[cls.name] = cls
    return cls


def available() -> dict[str, type[Model]]:
    """Every registered model by name, sorted."""
    return dict(sorted(_REGISTRY.items()))


def resolve(name: str) -> str:
    """A registered model's name, whatever the letter case ('EUM' -> 'eum'); an unknown name is a
    user error that suggests the closest one."""
    if name in _REGISTRY:
        return name
    near = closest(name, _REGISTRY)
    if near is not None and near.lower() == name.lower():
        return near
    hint = f"did you mean {near!r}? " if near else ""
    raise ModelError(f"unknown model {name!r}", where="--model",
                     fix=f"{hint}use one of: {', '.join(available())}")


def model_class(name: str) -> type[Model]:
    """The registered model class of that name (any letter case); an unknown name is a user error
    naming the models and the closest one."""
    return _REGISTRY[resolve(name)]


def make_model(name: str, params: dict[str, Any] | None = None, *, where: str = "--param") -> Model:
    """Construct a registered model by name. Every parameter is checked against the model's
    declaration first (:func:`standoff.models.params.check_params`): unknown names, unknown keys
    and bad values are user errors with one message wherever the model is made (`where` names the
    place: ``--param`` on the command line, ``params`` in the web API)."""
    cls = model_class(name)
    checked = check_params(name, cls, dict(params or {}), where=where)
    try:
        return cls(**checked)
    except (TypeError, ValueError) as exc:
        raise ModelError(f"bad parameter for model {name!r}: {exc}", where=where,
                         fix="see `standoff forecast --help` and docs/models/") from None


def make(name: str, **params: Any) -> Model:
    """``make_model(name, params)`` with the parameters as keywords."""
    return make_model(name, params)


def declared_parameters(name: str) -> dict[str, dict[str, Any]]:
    """A model's declared parameters as plain data, by name: type, default, description, bounds,
    choices, whether null is allowed, and the rule in words (what a form shows)."""
    return {k: p.to_dict() for k, p in declared(model_class(name)).items()}


def model_params(names: list[str], params: dict[str, Any], *,
                 where: str = "--param") -> dict[str, dict[str, Any]]:
    """Each chosen model's parameters from one flat dict (`KEY` goes to every chosen model that
    declares it, `MODEL.KEY` to that model); an unknown model, or a key no chosen model takes, is a
    user error."""
    classes = {n: model_class(n) for n in names}
    unused = unused_keys(list(names), classes, params)
    if unused:
        raise ModelError(f"no chosen model takes parameter {unused[0]!r}", where=where,
                         fix="check the name, or prefix it with the model: MODEL.KEY=VALUE")
    return {n: params_for(n, classes[n], params) for n in names}


def make_models(names: list[str], params: dict[str, Any], *, where: str = "--param") -> list[Model]:
    """The chosen models, each made with its share of `params` (see :func:`model_params`)."""
    return [make_model(n, p, where=where) for n, p in model_params(names, params, where=where).items()]
