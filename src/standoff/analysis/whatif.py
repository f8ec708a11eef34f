"""What-if changes from the command line: `--without ACTOR` and `--set ACTOR[.ISSUE].FIELD=VALUE`.

A `--set` expression names an actor, for a position or salience an issue, the field, and a value:

    kim-jong-un.denuclearization.position=30     move to 30
    kim-jong-un.denuclearization.salience=+10    shift by +10 (or -10)
    trump.capability=+20%                        scale by 1.2 (a share of the current value)

Changes are applied with the scenario's own `without` and `with_changes`, removals first, then
the settings in the order given; each setting is relative to the value it finds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from standoff.errors import ScenarioChangeError, did_you_mean
from standoff.scenario import Effect, Scenario

FIELDS = ("position", "salience", "capability")
_NUMBER = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"
_VALUE = re.compile(rf"^(?P<sign>[+-])?(?P<num>{_NUMBER})(?P<pct>%)?$")
_SYNTAX = "write it like kim-jong-un.denuclearization.position=30, trump.capability=+20% " \
          "or china.sanctions-relief.salience=-10"


@dataclass(frozen=True)
class Setting:
    """One `--set`: a field of an actor moved `to` a value, shifted `by` one, or scaled by `pct`%."""

    actor: str
    field: str
    issue: str | None
    to: float | None = None
    by: float | None = None
    pct: float | None = None
    text: str = ""

    def effect(self, scenario: Scenario) -> Effect:
        """The scenario's own kind of change for this setting (a percentage of the current value)."""
        if self.actor not in scenario.actor_ids:
            raise ScenarioChangeError(f"unknown actor {self.actor!r} in {self.text!r}", where="--set",
                                      fix=f"{did_you_mean(self.actor, scenario.actor_ids)}use one of: "
                                          f"{', '.join(scenario.actor_ids)}")
        if self.issue is not None and self.issue not in scenario.issue_ids:
            raise ScenarioChangeError(f"unknown issue {self.issue!r} in {self.text!r}", where="--set",
                                      fix=f"{did_you_mean(self.issue, scenario.issue_ids)}use one of: "
                                          f"{', '.join(scenario.issue_ids)}")
        if self.pct is not None:
            actor = scenario.actor(self.actor)
            current = (actor.capability if self.field == "capability"
                       else (actor.positions if self.field == "position" else actor.salience)[self.issue])
            return Effect(actor=self.actor, field=self.field, issue=self.issue,
                          by=current.mode * self.pct / 100.0)
        return Effect(actor=self.actor, field=self.field, issue=self.issue, to=self.to, by=self.by)


def parse_setting(text: str) -> Setting:
    """Read one `--set` expression; a malformed one is a user error with the expected form."""
    target, sep, raw = text.partition("=")
    if not sep:
        raise ScenarioChangeError(f"{text!r} has no '='", where="--set", fix=_SYNTAX)
    parts = [p.strip() for p in target.strip().split(".")]
    raw = raw.strip()
    if len(parts) == 2 and parts[1] == "capability":
        actor, issue, field = parts[0], None, "capability"
    elif len(parts) == 3 and parts[2] in ("position", "salience"):
        actor, issue, field = parts
    elif parts and parts[-1] not in FIELDS:
        raise ScenarioChangeError(f"{text!r}: unknown field {parts[-1]!r}", where="--set",
                                  fix=f"the field is one of {', '.join(FIELDS)}; {_SYNTAX}")
    else:
        raise ScenarioChangeError(f"{text!r} is not ACTOR.ISSUE.position|salience=VALUE or "
                                  "ACTOR.capability=VALUE", where="--set", fix=_SYNTAX)
    if not actor or (issue is not None and not issue):
        raise ScenarioChangeError(f"{text!r} names no actor or issue", where="--set", fix=_SYNTAX)
    m = _VALUE.match(raw)
    if m is None:
        raise ScenarioChangeError(f"{text!r}: {raw!r} is not a number, +N, -N or ±N%",
                                  where="--set", fix=_SYNTAX)
    number = float(m["num"]) * (-1.0 if m["sign"] == "-" else 1.0)
    if m["pct"]:
        if not m["sign"]:
            raise ScenarioChangeError(f"{text!r}: a percentage needs a sign (+20% or -20%)",
                                      where="--set", fix=_SYNTAX)
        return Setting(actor, field, issue, pct=number, text=text)
    if m["sign"]:
        return Setting(actor, field, issue, by=number, text=text)
    return Setting(actor, field, issue, to=number, text=text)


@dataclass(frozen=True)
class WhatIf:
    """A set of changes to a scenario: actors removed, then values set."""

    without: tuple[str, ...] = ()
    settings: tuple[Setting, ...] = ()

    @classmethod
    def parse(cls, without: Iterable[str] = (), settings: Iterable[str] = ()) -> WhatIf:
        return cls(tuple(w.strip() for w in without), tuple(parse_setting(s) for s in settings))

    def __bool__(self) -> bool:
        return bool(self.without or self.settings)

    def apply(self, scenario: Scenario) -> Scenario:
        """The changed scenario; unknown actors or issues are user errors naming the option."""
        for actor in self.without:
            if actor not in scenario.actor_ids:
                raise ScenarioChangeError(f"unknown actor {actor!r}", where="--without",
                                          fix=f"{did_you_mean(actor, scenario.actor_ids)}use one of: "
                                              f"{', '.join(scenario.actor_ids)}")
            scenario = scenario.without(actor)
        for setting in self.settings:
            scenario = scenario.with_changes([setting.effect(scenario)], on_scale=True,
                                             where="--set", label=setting.text)
        return scenario

    def describe(self) -> str:
        """The changes in words, one phrase each."""
        words = [f"without {a}" for a in self.without] + [s.text for s in self.settings]
        return ", ".join(words) or "no change"


def parse_what_if(items: Sequence[str]) -> WhatIf:
    """`--what-if` items: `without ACTOR` (or `-ACTOR`) and `--set` expressions, mixed."""
    without, settings = [], []
    for item in items:
        text = item.strip()
        if text.startswith("without "):
            without.append(text.removeprefix("without ").strip())
        elif text.startswith("-") and "=" not in text:
            without.append(text[1:].strip())
        else:
            settings.append(text)
    return WhatIf.parse(without, settings)
