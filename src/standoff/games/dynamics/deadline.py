"""Bargaining against a deadline: offers over a stake worth 1, periods 1..T, breakdown at T.

Each period one side proposes a division and the other accepts or rejects; a rejection costs a
period (discount factors δ_A, δ_B) and a rejection in the final period T ends the talks with the
breakdown payoffs (d_A, d_B), received one period later like any other delay. With a common
prior about who proposes (alternating offers: A in odd periods when A opens) this is Ståhl's
(1972) finite-horizon game: backward induction gives a unique subgame-perfect equilibrium with
agreement in the first period, on terms set by who holds the last word.

The deadline effect — agreement only as the deadline nears — appears when the sides disagree
about who will hold the last word (Yildiz 2003; Simsek & Yildiz 2016). Side i believes it
proposes in period t with probability π_i(t) = ρ_i(t) + o_i (1 - ρ_i(t)), where ρ_i(t) is the
agreed schedule (1 on its turns when alternating) and o_i in [0, 1) its optimism. With subjective
continuation values U_i(t+1) (common knowledge), there is agreement at t iff

    1 >= δ_A U_A(t+1) + δ_B U_B(t+1),

the proposer i then offers j exactly δ_j U_j(t+1), and

    U_i(t) = π_i(t) (1 - δ_j U_j(t+1)) + (1 - π_i(t)) δ_i U_i(t+1)   (agreement at t)
    U_i(t) = δ_i U_i(t+1)                                               (delay),  U_i(T+1) = d_i.

The forecast agreement period is the first t with agreement; the concessions are the
changes, period to period, in what each proposer would demand.
"""

from __future__ import annotations

import numpy as np

from standoff import lazy
from standoff.errors import ModelError

pd = lazy.load("pandas")

__all__ = ["solve_deadline"]


def _probability(name: str, value: float) -> float:
    if not 0 <= value < 1:
        raise ModelError(f"{name} = {value:g} must lie in [0, 1)", where=name)
    return float(value)


def solve_deadline(periods: int, delta_a: float, delta_b: float, d_a: float, d_b: float,
                   first: str = "a", optimism_a: float = 0.0, optimism_b: float = 0.0,
                   schedule_a=None) -> pd.DataFrame:
    """Backward induction of the deadline game. `schedule_a[t]` is the agreed probability that A
    proposes in period t+1 (default: alternating, `first` opening). Returns one row per period:
    who proposes under the agreed schedule, each side's demand if it proposes, whether the sides
    agree if period t is reached, and each side's subjective value U_i(t)."""
    if periods < 1:
        raise ModelError(f"the talks need at least one period, not {periods}", where="periods")
    for name, d in (("delta_a", delta_a), ("delta_b", delta_b)):
        if not 0 < d <= 1:
            raise ModelError(f"{name} = {d:g} must lie in (0, 1]", where=name)
    if d_a < 0 or d_b < 0 or d_a + d_b > 1:
        raise ModelError(f"breakdown payoffs {d_a:g} and {d_b:g} must be non-negative and sum to at "
                         "most 1", where="breakdown", fix="a deal must be able to beat breakdown")
    if first not in ("a", "b"):
        raise ModelError(f"first proposer {first!r} is neither 'a' nor 'b'", where="first")
    o_a, o_b = _probability("optimism_a", optimism_a), _probability("optimism_b", optimism_b)
    if schedule_a is None:
        turn = np.arange(periods) % 2 == (0 if first == "a" else 1)
        rho = turn.astype(float)
    else:
        rho = np.asarray(schedule_a, dtype=float)
        if rho.shape != (periods,) or np.any((rho < 0) | (rho > 1)):
            raise ModelError("schedule_a needs one probability in 0..1 per period", where="schedule_a")
    pi_a = rho + o_a * (1 - rho)
    pi_b = (1 - rho) + o_b * rho
    u_a, u_b = np.empty(periods + 1), np.empty(periods + 1)
    u_a[periods], u_b[periods] = d_a, d_b
    agree = np.zeros(periods, dtype=bool)
    demand_a, demand_b = np.empty(periods), np.empty(periods)
    for t in range(periods - 1, -1, -1):
        reserve_a, reserve_b = delta_a * u_a[t + 1], delta_b * u_b[t + 1]
        demand_a[t], demand_b[t] = 1 - reserve_b, 1 - reserve_a
        agree[t] = reserve_a + reserve_b <= 1 + 1e-12
        if agree[t]:
            u_a[t] = pi_a[t] * demand_a[t] + (1 - pi_a[t]) * reserve_a
            u_b[t] = pi_b[t] * demand_b[t] + (1 - pi_b[t]) * reserve_b
        else:
            u_a[t], u_b[t] = reserve_a, reserve_b
    return pd.DataFrame({
        "period": np.arange(1, periods + 1),
        "proposer_a_probability": rho,
        "demand_a": demand_a, "demand_b": demand_b,
        "offer_to_b": 1 - demand_a, "offer_to_a": 1 - demand_b,
        "agree_if_reached": agree,
        "value_a": u_a[:-1], "value_b": u_b[:-1],
    })


def agreement_period(frame: pd.DataFrame) -> int | None:
    """The first period in which the sides agree (None: talks break down at the deadline)."""
    hits = frame.loc[frame["agree_if_reached"], "period"]
    return int(hits.iloc[0]) if len(hits) else None
