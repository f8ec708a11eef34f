"""Model parameters declared once, on the model class, and checked when a model is made.

Each model class lists its constructor parameters in ``params`` (the idea of scikit-learn's
``_parameter_constraints``)::

    params = {"rounds": Param(int, 10, "the most rounds to run", low=0),
              "q": Param(float, 1.0, "probability Q that the status quo holds", low=0, high=1)}

:func:`check_params` holds every rule on a value (type, bounds, choices) and gives one message for
every front end; :func:`parse_params` reads the command line's ``KEY=VALUE`` strings and
:func:`model_params` shares them out among the chosen models. The web form shows
:func:`declared_parameters`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import yaml

from standoff.errors import ModelError

NAMES, NUMBERS = "names", "numbers"
"""Declared types beside bool/int/float/str: a list of names (or one comma-separated text), a list
of numbers (or one number)."""

_TYPE_NAMES = {bool: "bool", int: "int", float: "float", str: "str", NAMES: NAMES, NUMBERS: NUMBERS}


@dataclass(frozen=True)
class Param:
    """One declared parameter: its type (bool, int, float, str, NAMES or NUMBERS), its default, a
    one-line description, optional bounds `low`/`high` (`closed`: which ends are allowed: "both",
    "low", "high" or "neither"), optional `choices`, whether None is allowed, and whether it is
    `advanced` (a research variant or an engine switch, not for a first run: forms fold it away)."""

    type: Any
    default: Any
    doc: str
    low: float | None = None
    high: float | None = None
    closed: str = "both"
    choices: tuple[Any, ...] | None = None
    nullable: bool = False
    advanced: bool = False

    @property
    def type_name(self) -> str:
        return _TYPE_NAMES[self.type]

    def kind_words(self) -> str:
        """The type in words: 'a whole number', 'true or false'..."""
        return {bool: "true or false", int: "a whole number", float: "a number", str: "a text",
                NAMES: "a list of names", NUMBERS: "a list of numbers"}[self.type]

    def rule(self) -> str:
        """What a valid value is, in words: 'a whole number >= 0', 'a number in [0, 1]'..."""
        if self.choices is not None:
            text = "one of " + ", ".join(str(c) for c in self.choices)
        else:
            text = self.kind_words()
            lo_in, hi_in = self.closed in ("both", "low"), self.closed in ("both", "high")
            if self.low is not None and self.high is not None:
                text += f" in {'[' if lo_in else '('}{self.low:g}, {self.high:g}{']' if hi_in else ')'}"
            elif self.low is not None:
                text += f" {'>=' if lo_in else '>'} {self.low:g}"
            elif self.high is not None:
                text += f" {'<=' if hi_in else '<'} {self.high:g}"
        return text + (" or null" if self.nullable else "")

    def problem(self, value: Any) -> str | None:
        """Why `value` is not valid for this parameter (None: it is)."""
        if value is None:
            return None if self.nullable else "missing"
        kind = self.type
        ok = {bool: isinstance(value, bool),
              int: isinstance(value, int) and not isinstance(value, bool),
              float: isinstance(value, (int, float)) and not isinstance(value, bool),
              str: isinstance(value, str),
              NAMES: isinstance(value, str) or (isinstance(value, (list, tuple))
                                                and all(isinstance(v, str) for v in value)),
              NUMBERS: _numbers(value)}[kind]
        if not ok:
            return "type"
        if kind is float and not math.isfinite(value):
            return "not finite"
        if self.choices is not None and value not in self.choices:
            return "choice"
        if kind in (int, float):
            lo_in, hi_in = self.closed in ("both", "low"), self.closed in ("both", "high")
            if self.low is not None and (value < self.low if lo_in else value <= self.low):
                return "bounds"
            if self.high is not None and (value > self.high if hi_in else value >= self.high):
                return "bounds"
        return None

    def coerce(self, text: str) -> Any:
        """A command-line text read as this parameter's type ('10' -> 10 for an int); a text that
        does not read as the type is returned as it is (the check then names the problem)."""
        if self.nullable and text.strip().lower() in ("none", "null", "~", ""):
            return None
        if self.type is str:
            return text
        if self.type is bool and text.strip().lower() in ("1", "0", "yes", "no", "on", "off"):
            return text.strip().lower() in ("1", "yes", "on")
        if self.type is NAMES:
            return _yaml(text) if text.lstrip().startswith("[") else text
        value = _yaml(text)
        if self.type is float and isinstance(value, str):
            try:
                return float(text)
            except ValueError:
                return text
        return value

    def to_dict(self) -> dict[str, Any]:
        """The declaration as plain data (what the web form shows)."""
        return {"type": self.type_name, "default": _plain(self.default), "doc": self.doc,
                "low": self.low, "high": self.high, "closed": self.closed,
                "choices": None if self.choices is None else list(self.choices),
                "nullable": self.nullable, "rule": self.rule(), "advanced": self.advanced}


def _numbers(value: Any) -> bool:
    items = value if isinstance(value, (list, tuple)) else [value]
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in items)


def _yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def declared(cls: type) -> dict[str, Param]:
    """The parameters a model class declares (an empty dict for a model without any)."""
    return dict(getattr(cls, "params", None) or {})


def check_params(name: str, cls: type, params: dict[str, Any], *, where: str = "--param") -> dict[str, Any]:
    """The parameters checked against the declaration of model `name`: an unknown key, a value of
    the wrong type, out of bounds or not among the choices is a ModelError naming the parameter,
    the rule and the fix. Valid values are returned as given (a whole number stays one where a
    float is declared)."""
    decl = declared(cls)
    checked = {}
    for key, value in params.items():
        spec = decl.get(key)
        if spec is None:
            raise ModelError(f"model {name!r} has no parameter {key!r}", where=where,
                             fix=f"its parameters: {', '.join(decl) or 'none'}")
        why = spec.problem(value)
        if why is not None:
            rule = spec.rule()
            said = spec.kind_words() if why == "type" else rule
            raise ModelError(f"bad parameter for model {name!r}: {key} must be {said}, not {value!r}",
                             where=_place(where, key),
                             fix=f"give {rule} (default: {_plain(spec.default)!r})")
        checked[key] = value
    return checked


def _place(where: str, key: str) -> str:
    """'--param q' on the command line, 'params.q' in a request body."""
    return f"{where} {key}" if where.startswith("-") else f"{where}.{key}"


def parse_params(items: list[str], decl: dict[str, Param] | None = None) -> dict[str, Any]:
    """`KEY=VALUE` strings to a dict. Values are read as YAML scalars (10 -> int, 0.5 -> float,
    true -> bool), or, for a key in `decl` (a model's declaration), as that parameter's type."""
    params = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ModelError(f"parameter {item!r} is not KEY=VALUE", where="--param",
                             fix="write it like --param rounds=10")
        spec = (decl or {}).get(key.split(".", 1)[-1])
        params[key] = spec.coerce(raw) if spec is not None else _yaml(raw)
    return params


def params_for(name: str, cls: type, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters meant for one model: `KEY` if it declares KEY, or `MODEL.KEY`."""
    decl = declared(cls)
    picked = {k: v for k, v in params.items() if "." not in k and k in decl}
    picked.update({k.split(".", 1)[1]: v for k, v in params.items() if k.startswith(name + ".")})
    return picked


def unused_keys(names: list[str], classes: dict[str, type], params: dict[str, Any]) -> list[str]:
    """The keys no chosen model takes: a plain KEY that none declares, or MODEL.KEY for a model
    that is not chosen."""
    unused = []
    for key in params:
        model, dot, _ = key.partition(".")
        if dot:
            if model not in names:
                unused.append(key)
        elif not any(key in declared(classes[n]) for n in names):
            unused.append(key)
    return unused
