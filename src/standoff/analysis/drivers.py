"""What drives a forecast, in words: the actors and values with the largest influence.

Two measures, both deterministic (no random draws):

- leave-one-out, per actor: the model's forecast without the actor minus the forecast with it,
  Δ_a = f(S \\ a) − f(S). A large |Δ_a| means the forecast rests on that actor.
- the tornado of :mod:`standoff.analysis.sensitivity`, per uncertain value (a position,
  salience or capability given with a range): the forecast at the value's high end minus at its
  low end, all else at the point values. Only values with ranges take part; a case given as
  points has no tornado and is explained by leave-one-out alone.

:func:`explain_forecast` returns, per issue, the ranked drivers and a short paragraph:
"The forecast of 64.3 on Scope and pace of North Korean denuclearization (phased
denuclearization) rests mostly on Kim Jong Un (without this actor it moves +8.5), ..."
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from standoff.analysis.memo import Memo, forecast
from standoff.analysis.sensitivity import tornado
from standoff.analysis.space import Space
from standoff.errors import StandoffError
from standoff.models.base import Model, make
from standoff.scenario import Scenario


@dataclass(frozen=True)
class ActorDriver:
    """Leave-one-out: `shift` = forecast without the actor − forecast with it."""

    actor: str
    name: str
    shift: float


@dataclass(frozen=True)
class ValueDriver:
    """Tornado row: the forecast at the value's low and high end (`swing` = high − low)."""

    input: str
    label: str
    low: float
    high: float
    forecast_low: float
    forecast_high: float

    @property
    def swing(self) -> float:
        return self.forecast_high - self.forecast_low


@dataclass(frozen=True)
class IssueDrivers:
    """The drivers of one issue's forecast, largest first, and the paragraph that says so."""

    issue: str
    title: str
    value: float
    nearest_point: str | None
    decimals: int
    actors: list[ActorDriver]
    values: list[ValueDriver] = field(default_factory=list)
    paragraph: str = ""
    mechanism: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"issue": self.issue, "value": self.value, "paragraph": self.paragraph,
                "actors": [{"actor": a.actor, "shift": a.shift} for a in self.actors],
                "values": [{"input": v.input, "low": v.low, "high": v.high,
                            "forecast_low": v.forecast_low, "forecast_high": v.forecast_high}
                           for v in self.values]}


def decimals_for(scale: float) -> int:
    """Decimals to print for an issue: 1 on scales of 10 or more, 2 below."""
    return 1 if scale >= 10 else 2


def leave_one_out(scenario: Scenario, model: Model, *, memo: Memo | None = None
                  ) -> dict[str, dict[str, float]]:
    """Per issue, per actor: forecast without the actor − forecast with it (actors whose removal
    leaves an issue without anyone who cares, or fewer than two actors, are left out). With a
    `memo`, the forecast with every actor is the one the run already has."""
    base = forecast(memo, scenario, model)
    out: dict[str, dict[str, float]] = {i: {} for i in scenario.issue_ids}
    if len(scenario.actors) <= 2:
        return out
    for actor in scenario.actor_ids:
        try:
            f = model.forecast(scenario.without(actor))
        except StandoffError:
            continue
        for issue in scenario.issue_ids:
            out[issue][actor] = f.value(issue) - base.value(issue)
    return out


def _value_label(scenario: Scenario, text: str) -> str:
    parts = text.split(".")
    name = scenario.actor(parts[0]).name
    owner = f"{name}'" if name.endswith("s") else f"{name}'s"
    if len(parts) == 2:
        return f"{owner} capability"
    return f"{owner} {parts[2]} on {parts[1].replace('-', ' ')}"


def _signed(x: float, d: int) -> str:
    """A shift with its sign, `+8.5` or `-3.1` (no sign when it rounds to zero)."""
    text = f"{x:+.{d}f}"
    return text[1:] if float(text) == 0 else text


def _paragraph(d: IssueDrivers, scenario: Scenario, top: int) -> str:
    n = d.decimals
    head = f"The forecast of {d.value:.{n}f} on {d.title}"
    if d.nearest_point:
        head += f" ({d.nearest_point})"
    actors = [a for a in d.actors if round(abs(a.shift), n) > 0][:top]
    if actors:
        first, rest = actors[0], actors[1:]
        text = (f"{head} rests mostly on {first.name} (without this actor it moves "
                f"{_signed(first.shift, n)})")
        if rest:
            text += ", then on " + " and ".join(f"{a.name} ({_signed(a.shift, n)})" for a in rest)
        text += "."
    else:
        text = f"{head} does not move when any one actor is removed."
    values = [v for v in d.values if round(abs(v.swing), n) > 0][:top]
    if values:
        v = values[0]
        text += (f" Of the uncertain values, {v.label} matters most: across its range "
                 f"({v.low:g} to {v.high:g}) the forecast goes from {v.forecast_low:.{n}f} to "
                 f"{v.forecast_high:.{n}f}")
        if len(values) > 1:
            text += "; next come " + " and ".join(
                f"{w.label} ({_signed(w.swing, n)})" for w in values[1:])
        text += "."
    if d.mechanism:
        text += " " + d.mechanism
    return text


def explain_forecast(scenario: Scenario, model: Model | str = "compromise", *,
                     top: int = 3, memo: Memo | None = None) -> list[IssueDrivers]:
    """Per issue: the actors ranked by |leave-one-out shift|, the uncertain values ranked by
    |tornado swing| (when the scenario gives ranges), and a paragraph naming the `top` of each.

    A `memo` (:class:`~standoff.analysis.memo.Memo`) shares the forecast and the tornado with the
    rest of a run (a report); without one everything is computed here, with the same result."""
    model = make(model) if isinstance(model, str) else model
    memo = Memo() if memo is None else memo  # the base forecast serves leave-one-out too
    base = memo.forecast(scenario, model)
    loo = leave_one_out(scenario, model, memo=memo)
    space = Space.build(scenario, use_panel=False)
    rows = tornado(space, model, memo=memo) if space.size else []
    names = {a.id: a.name for a in scenario.actors}
    mechanism = model.mechanism(base)
    out = []
    for issue in scenario.issues:
        f = next(x for x in base.issues if x.issue == issue.id)
        actors = sorted((ActorDriver(a, names[a], s) for a, s in loo[issue.id].items()),
                        key=lambda a: (-abs(a.shift), scenario.actor_ids.index(a.actor)))
        values = [ValueDriver(r.input, _value_label(scenario, r.input), float(r.low),
                              float(r.high), r.forecast_low, r.forecast_high)
                  for r in rows if r.issue == issue.id]
        d = IssueDrivers(issue.id, issue.title, f.value, f.nearest_point,
                         decimals_for(issue.range), actors, values, mechanism=mechanism.get(issue.id, ""))
        out.append(IssueDrivers(**{**d.__dict__, "paragraph": _paragraph(d, scenario, top)}))
    return out
