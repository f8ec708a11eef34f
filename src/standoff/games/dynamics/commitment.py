"""Commitment and disarmament: when is giving up capability rational? (the "Libya model" problem)

Two periods. The disarming side D holds a capability that lets it secure a share p1 of the stakes
(its war payoff p1 - k_D); without it only p0 < p1. It keeps the capability (paying a sanctions
cost s per period) or gives it up in period 1 for a benefit b from the other side R. In period 2 R
keeps its promise with probability q (D's belief in R's restraint) or reneges: withdraws the
benefit and exploits the new balance, which may cost D an extra loss L (intervention). Per period

    u_keep = p1 - k_D - s,     u_kept = p0 - k_D + b,     u_reneged = p0 - k_D - L

and with discount factor δ, D disarms iff  u_kept + δ[q u_kept + (1 - q) u_reneged] >= (1 + δ) u_keep,
that is iff q >= q*, with

    q* = [(1 + δ) u_keep - u_kept - δ u_reneged] / [δ (u_kept - u_reneged)]        (b + L > 0),

and, for a given belief q, R must offer at least

    b*(q) = [(1 + δ) u_keep - δ (1 - q) u_reneged] / (1 + δ q) - (p0 - k_D).

The belief q is a Beta(α, β) estimate updated by R's track record: a precedent where a promise of
restraint was kept adds its weight w to α, a broken one (Libya 2003 → 2011) adds w to β; the
belief is the posterior mean α / (α + β).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from standoff import lazy
from standoff.errors import ModelError

pd = lazy.load("pandas")

__all__ = ["Disarmament", "belief_path", "disarm_payoffs", "required_benefit", "threshold_belief"]


@dataclass(frozen=True)
class Disarmament:
    """The disarmament game's inputs, all shares of the stakes (0..1) except δ."""

    p1: float            # D's power share with the capability
    p0: float            # ... without it
    cost: float = 0.0    # k_D, D's cost of war
    sanctions: float = 0.0   # s, per-period cost of keeping the capability
    benefit: float = 0.0     # b, per-period benefit offered for disarming
    loss: float = 0.0        # L, extra loss if R reneges (intervention)
    delta: float = 0.9

    def __post_init__(self):
        for name in ("p1", "p0", "cost", "sanctions", "benefit", "loss"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ModelError(f"{name} = {value:g} must lie in 0..1", where=name,
                                 fix="give it as a share of the stakes")
        if self.p0 > self.p1:
            raise ModelError(f"power without the capability (p0 = {self.p0:g}) exceeds power with it "
                             f"(p1 = {self.p1:g})", where="p0", fix="giving up capability cannot add power")
        if not 0 < self.delta <= 1:
            raise ModelError(f"discount factor {self.delta:g} must lie in (0, 1]", where="delta")

    @property
    def u_keep(self) -> float:
        return self.p1 - self.cost - self.sanctions

    @property
    def u_kept(self) -> float:
        return self.p0 - self.cost + self.benefit

    @property
    def u_reneged(self) -> float:
        return self.p0 - self.cost - self.loss


def disarm_payoffs(game: Disarmament, q) -> tuple[np.ndarray, float]:
    """D's two-period payoff from disarming at belief q (array), and from keeping."""
    q = np.asarray(q, dtype=float)
    disarm = game.u_kept + game.delta * (q * game.u_kept + (1 - q) * game.u_reneged)
    return disarm, (1 + game.delta) * game.u_keep


def threshold_belief(game: Disarmament) -> float:
    """q*: the least belief in R's restraint at which disarming is rational. Below 0: rational
    whatever the belief; above 1: never (no belief suffices); +inf if the promise is worthless
    (b + L = 0) and disarming does not pay anyway, -inf if it pays anyway."""
    need = (1 + game.delta) * game.u_keep - game.u_kept - game.delta * game.u_reneged
    stake = game.delta * (game.u_kept - game.u_reneged)
    if stake <= 0:
        return float("-inf") if need <= 0 else float("inf")
    return need / stake


def required_benefit(game: Disarmament, q) -> np.ndarray:
    """b*(q): the least per-period benefit that makes D disarm at belief q (may exceed 1: no deal)."""
    q = np.asarray(q, dtype=float)
    base = game.p0 - game.cost
    return ((1 + game.delta) * game.u_keep - game.delta * (1 - q) * (base - game.loss)) \
        / (1 + game.delta * q) - base


def belief_path(alpha: float, beta: float, record: Sequence[tuple[str, str, bool, float]]
                ) -> pd.DataFrame:
    """The Beta(α, β) belief in restraint after each precedent (date, description, kept, weight),
    in the order given: a row for the prior, then one per precedent."""
    if alpha <= 0 or beta <= 0:
        raise ModelError(f"prior Beta({alpha:g}, {beta:g}) needs positive parameters",
                         where="restraint_prior", fix="e.g. --param restraint_prior=[1,1] (uniform)")
    rows = [{"date": None, "precedent": "prior", "kept": None, "weight": None,
             "alpha": alpha, "beta": beta, "belief": alpha / (alpha + beta)}]
    for date, description, kept, weight in record:
        if kept:
            alpha += weight
        else:
            beta += weight
        rows.append({"date": date, "precedent": description, "kept": kept, "weight": weight,
                     "alpha": alpha, "beta": beta, "belief": alpha / (alpha + beta)})
    return pd.DataFrame(rows)
