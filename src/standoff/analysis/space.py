"""The uncertain inputs of a scenario and how to draw them.

Every value an analyst gave as a range is an input: triangular on (low, mode, high), or normal
with standard deviation `sd` around the mode, clipped to the value's scale (positions to the
issue's scale, saliences to 0..100, capabilities to 0 or more). Point values stay fixed unless a
`noise` level η > 0 is given; then each point value gets a normal spread of

    sd = η × (max − min) of the issue for positions,  η × 100 for saliences,  η × |c| for capabilities.

With an expert `panel`, each coding is a member; a draw first picks a member (evenly), then draws
each input from that member's value. Draws go through inverse distribution functions of uniforms
u ∈ [0, 1), so the same code serves Monte Carlo (seeded uniforms) and Sobol designs (SALib's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from standoff import lazy
from standoff.analysis.whatif import WhatIf
from standoff.models.base import Batch
from standoff.models.context import BATCHED
from standoff.scenario import Scenario, Value
from standoff.scenario.core import apply_effect
from standoff.scenario.schema import SALIENCE_MAX

scipy = lazy.load("scipy")  # scipy.special.ndtri: SciPy loads with the first draw

POINT, TRIANGULAR, NORMAL = 0, 1, 2
DEFAULT_NOISE = 0.05
_EPS = 1e-12


@dataclass(frozen=True)
class Input:
    """One uncertain number: an actor's position or salience on an issue, or its capability."""

    actor: str
    field: str
    issue: str | None
    n: int
    k: int | None
    lo: float
    hi: float

    @property
    def label(self) -> str:
        """The `--set` spelling: `france.emissions-date.position`, `trump.capability`."""
        return f"{self.actor}.{self.field}" if self.issue is None else \
            f"{self.actor}.{self.issue}.{self.field}"


def inverse_cdf(kind: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray,
                sd: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The value at quantile u of each input's distribution (all arrays broadcast together).

    Triangular (a = low, c = mode, b = high), with F(c) = (c − a)/(b − a):
        x = a + √(u (b − a)(c − a))        for u < F(c)
        x = b − √((1 − u)(b − a)(b − c))   otherwise.
    Normal: x = mode + sd · Φ⁻¹(u).  Point: x = mode.
    """
    u = np.clip(u, 0.0, 1.0)
    width = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        f_mode = np.where(width > 0, (mode - low) / np.where(width > 0, width, 1.0), 0.5)
        left = low + np.sqrt(u * width * (mode - low))
        right = high - np.sqrt((1.0 - u) * width * (high - mode))
        tri = np.where(u < f_mode, left, right)
        tri = np.where(width > 0, tri, mode)
        normal = mode + sd * scipy.special.ndtri(np.clip(u, _EPS, 1.0 - _EPS))
    return np.where(kind == TRIANGULAR, tri, np.where(kind == NORMAL, normal, mode))


def panel_members(scenario: Scenario) -> list[tuple[str, Scenario]]:
    """The scenario as each analyst of its panel codes it (just the scenario when no panel).

    A coding describes the baseline: the effects of events up to the scenario's as-of date are
    replayed on the coded values, as on the file's own values.
    """
    if not scenario.panel:
        return [("scenario", scenario)]
    date = scenario.as_of_date
    members = []
    for coding in scenario.panel:
        actors = []
        for actor in scenario.actors:
            coded = coding.actors.get(actor.id)
            if coded is None:
                actors.append(actor)
                continue
            update: dict = {}
            if coded.capability is not None:
                update["capability"] = coded.capability
            for attr in ("positions", "salience"):
                if getattr(coded, attr):
                    update[attr] = {**getattr(actor, attr), **getattr(coded, attr)}
            new = actor.model_copy(update=update)
            if date is not None:
                for event in scenario.events:
                    if event.date > date:
                        continue
                    for effect in event.effects:
                        if effect.actor != actor.id:
                            continue
                        if (effect.field == "capability" and coded.capability is not None) or \
                                (effect.field == "position" and effect.issue in coded.positions) or \
                                (effect.field == "salience" and effect.issue in coded.salience):
                            new = apply_effect(new, effect)
            actors.append(new)
        members.append((coding.id, scenario.model_copy(update={"actors": tuple(actors)})))
    return members


def _value(actor, field: str, issue: str | None) -> Value:
    if field == "capability":
        return actor.capability
    return (actor.positions if field == "position" else actor.salience)[issue]


@dataclass(frozen=True)
class Space:
    """The uncertain inputs of a scenario (after a what-if), per panel member, as arrays.

    `base` holds the modes of the first member; `kind`, `low`, `mode`, `high`, `sd` are [M, P]
    (M members, P inputs). Values are in the scenario's units (salience 0..100).
    """

    scenario: Scenario
    base: Batch
    inputs: tuple[Input, ...]
    members: tuple[str, ...]
    kind: np.ndarray
    low: np.ndarray
    mode: np.ndarray
    high: np.ndarray
    sd: np.ndarray

    @classmethod
    def build(cls, scenario: Scenario, *, noise: float = 0.0, what_if: WhatIf | None = None,
              use_panel: bool = True) -> Space:
        """Collect every value that has a range (or differs between the panel's codings)."""
        members = panel_members(scenario) if use_panel else [("scenario", scenario)]
        if what_if:
            members = [(name, what_if.apply(s)) for name, s in members]
        first = members[0][1]
        rows = []  # per candidate input: (Input, [Value per member])
        for n, actor_id in enumerate(first.actor_ids):
            actors = [s.actor(actor_id) for _, s in members]
            fields = [("capability", None, None)] + \
                [(f, issue.id, k) for f in ("position", "salience") for k, issue in enumerate(first.issues)]
            for field, issue_id, k in fields:
                if field == "capability":
                    lo, hi = 0.0, np.inf
                elif field == "position":
                    lo, hi = first.issues[k].min, first.issues[k].max
                else:
                    lo, hi = 0.0, SALIENCE_MAX
                values = [_value(a, field, issue_id) for a in actors]
                rows.append((Input(actor_id, field, issue_id, n, k, lo, hi), values))
        keep, params = [], []
        for inp, values in rows:
            p = np.array([_params(v, inp, noise, first) for v in values])  # [M, 5]
            if np.any(p[:, 0] != POINT) or np.ptp(p[:, 2]) > 0:
                keep.append(inp)
                params.append(p)
        arr = np.stack(params, axis=1) if params else np.zeros((len(members), 0, 5))
        return cls(scenario=first, base=Batch.from_scenario(first), inputs=tuple(keep),
                   members=tuple(name for name, _ in members),
                   kind=arr[..., 0].astype(int), low=arr[..., 1], mode=arr[..., 2],
                   high=arr[..., 3], sd=arr[..., 4])

    @property
    def size(self) -> int:
        """P, the number of inputs."""
        return len(self.inputs)

    def draw(self, member: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Values [n, P] at quantiles u[n, P] of member[n]'s distributions, clipped to scale."""
        m = member
        x = inverse_cdf(self.kind[m], self.low[m], self.mode[m], self.high[m], self.sd[m], u)
        lo = np.array([i.lo for i in self.inputs])
        hi = np.array([i.hi for i in self.inputs])
        return np.clip(x, lo, hi)

    def batch(self, values: np.ndarray) -> Batch:
        """A Batch of n scenarios: the first member's modes with the inputs set to values[n, P].

        Inputs are the only values that vary across members, so the base is right for all."""
        n = values.shape[0]
        b = self.base
        pos = np.repeat(b.positions, n, axis=0)
        sal = np.repeat(b.salience, n, axis=0)
        cap = np.repeat(b.capability, n, axis=0)
        for p, inp in enumerate(self.inputs):
            if inp.field == "capability":
                cap[:, inp.n] = values[:, p]
            elif inp.field == "position":
                pos[:, inp.n, inp.k] = values[:, p]
            else:
                sal[:, inp.n, inp.k] = values[:, p] / SALIENCE_MAX
        extra = {key: np.repeat(v, n, axis=0) if isinstance(v, np.ndarray) and key in BATCHED else v
                 for key, v in b.extra.items()}
        return Batch(pos, sal, cap, b.low, b.high, b.status_quo, b.actor_ids, b.issue_ids,
                     consent=b.consent, extra=extra)

    def modes(self, member: int) -> np.ndarray:
        """The values [P] of one member's point coding."""
        return self.mode[member].copy()


def _params(value: Value, inp: Input, noise: float, scenario: Scenario) -> tuple:
    """(kind, low, mode, high, sd) of one value, point values spread by the noise level."""
    if value.low is not None:
        return (TRIANGULAR, value.low, value.mode, value.high, 0.0)
    if value.sd is not None and value.sd > 0:
        return (NORMAL, value.mode, value.mode, value.mode, value.sd)
    if noise > 0:
        if inp.field == "position":
            sd = noise * scenario.issues[inp.k].range
        elif inp.field == "salience":
            sd = noise * SALIENCE_MAX
        else:
            sd = noise * abs(value.mode)
        if sd > 0:
            return (NORMAL, value.mode, value.mode, value.mode, sd)
    return (POINT, value.mode, value.mode, value.mode, 0.0)
