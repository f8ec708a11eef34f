"""Shifting power and preventive war (Fearon 1995; Powell 2006, "War as a commitment problem").

Two states A and B divide a flow worth 1 per period, forever, with a common discount factor δ.
At period t a war gives A the whole flow with probability p_t (B with 1 - p_t) from then on, and
costs A a share k_A and B a share k_B of the stream's value. All payoffs are written as shares
of the stream's present value (the "average" normalisation, 1 = the whole stream), so

    w_A(t) = p_t - k_A,            w_B(t) = 1 - p_t - k_B                  (war payoffs)
    m_i(t) = max(w_i(t), δ m_i(t+1)),   m_i(T) = max(w_i(T), 0)            (minmax payoffs)

after the last period T the distribution of power stays at p_T. One period of the flow is worth
1 - δ. A peaceful division from t on exists iff m_A(s) + m_B(s) <= 1 at t and every later s
(Powell's condition: the sum of the minmax payoffs must not exceed what there is to divide).
When A's power rises in one step (m_A(t) = δ w_A(t+1), m_B(t) = w_B(t)) this is the closed form

    δ p_{t+1} - p_t <= k_B + δ k_A                                        (no preventive war)

and a positive margin δ p_{t+1} - p_t - (k_B + δ k_A) means war; for a gradual shift the one-step
margin is sufficient for war, not necessary (the minmax sum decides).

The window of preventive war is where the subgame-perfect play strikes: the periods in which, if
the dyad reaches them at peace, a side fights rather than accept the best offer it can get. By
default the declining side makes the offers (the protocol most favourable to peace: it has a war
iff no peaceful path exists); with the rising side proposing, war comes more easily.

Functions work on 1-D arrays of p_t; `solve` wires them and adds the subgame-perfect path of
the take-it-or-leave-it game with a fixed proposer (backward induction), whose first war period
is where the model says a war starts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from standoff import lazy
from standoff.errors import ModelError

pd = lazy.load("pandas")

__all__ = ["ShiftingPower", "minmax_payoffs", "one_step_bound", "peace_feasible", "powell_condition",
           "solve", "spe_path", "static_range", "war_payoffs"]


def _check(p: np.ndarray, k_a: float, k_b: float, delta: float) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise ModelError("the power path needs at least one period", where="p")
    if np.any((p < 0) | (p > 1)) or not np.all(np.isfinite(p)):
        raise ModelError("every p_t must lie in 0..1", where="p", fix="p_t is a probability of winning")
    if not 0 < delta < 1:
        raise ModelError(f"discount factor {delta:g} must lie strictly between 0 and 1", where="delta",
                         fix="use e.g. --param delta=0.9")
    for name, k in (("cost_a", k_a), ("cost_b", k_b)):
        if not 0 <= k <= 1:
            raise ModelError(f"cost of war {k:g} must lie in 0..1", where=name,
                             fix="a cost of war is a share of the stakes")
    return p


def war_payoffs(p: np.ndarray, k_a: float, k_b: float) -> tuple[np.ndarray, np.ndarray]:
    """w_A(t) = p_t - k_A and w_B(t) = 1 - p_t - k_B: what each gets by fighting at t."""
    p = np.asarray(p, dtype=float)
    return p - k_a, 1.0 - p - k_b


def minmax_payoffs(w: np.ndarray, delta: float) -> np.ndarray:
    """m(t) = max(w(t), δ m(t+1)), m(T) = max(w(T), 0): what a state can guarantee itself from t
    (fight now, or take nothing now and keep its options)."""
    w = np.asarray(w, dtype=float)
    m = np.empty_like(w)
    m[-1] = max(w[-1], 0.0)
    for t in range(w.size - 2, -1, -1):
        m[t] = max(w[t], delta * m[t + 1])
    return m


def static_range(p: np.ndarray, k_a: float, k_b: float) -> tuple[np.ndarray, np.ndarray]:
    """A's shares both prefer to war if power froze at p_t: [p_t - k_A, p_t + k_B] (clipped to 0..1)."""
    p = np.asarray(p, dtype=float)
    return np.clip(p - k_a, 0, 1), np.clip(p + k_b, 0, 1)


def powell_condition(p: np.ndarray, k_a: float, k_b: float, delta: float) -> np.ndarray:
    """Per period: m_A(t) + m_B(t) <= 1, the sum of minmax payoffs within the stakes."""
    p = _check(p, k_a, k_b, delta)
    w_a, w_b = war_payoffs(p, k_a, k_b)
    return minmax_payoffs(w_a, delta) + minmax_payoffs(w_b, delta) <= 1.0 + 1e-12


def peace_feasible(p: np.ndarray, k_a: float, k_b: float, delta: float) -> np.ndarray:
    """Per period: does a peaceful division of the stream from t on exist? Iff Powell's condition
    holds at t and at every later period (the feasible shares of B from t on form the interval
    [m_B(t), 1 - m_A(t)] as long as the later ones are non-empty)."""
    ok = powell_condition(p, k_a, k_b, delta)
    return np.logical_and.accumulate(ok[::-1])[::-1]


def one_step_bound(p: np.ndarray, k_a: float, k_b: float, delta: float) -> tuple[np.ndarray, np.ndarray]:
    """Powell's one-step closed form, per period t < T, for the side whose power falls:
    B fights at t if δ p_{t+1} - p_t > k_B + δ k_A; A fights if δ(1 - p_{t+1}) - (1 - p_t) > k_A + δ k_B.

    Exact when power shifts in a single step; sufficient (not necessary) for a gradual shift,
    which `peace_feasible` (the minmax sum) settles in general. Returns the margins (positive: war)."""
    p = _check(p, k_a, k_b, delta)
    nxt = np.append(p[1:], p[-1])
    margin_b = delta * nxt - p - (k_b + delta * k_a)
    margin_a = delta * (1 - nxt) - (1 - p) - (k_a + delta * k_b)
    return margin_a, margin_b


def spe_path(p: np.ndarray, k_a: float, k_b: float, delta: float, proposer: str = "a"
             ) -> pd.DataFrame:
    """Subgame-perfect play of the game where `proposer` ('a' or 'b') offers, each period, a share
    of that period's flow (worth 1 - δ) and the other accepts or fights; after T power is constant.

    Backward induction: with continuation values V(t+1), the responder r needs
    z = w_r(t) - δ V_r(t+1) (at least 0); if z > 1 - δ, or the proposer would rather fight, war at t.
    Returns per period the offer z (as a share of the period's flow), whether war starts there if
    reached and who starts it (the side that prefers war to the best offer it can get), and the
    values V_A, V_B."""
    p = _check(p, k_a, k_b, delta)
    if proposer not in ("a", "b"):
        raise ModelError(f"proposer {proposer!r} is neither 'a' nor 'b'", where="proposer")
    w_a, w_b = war_payoffs(p, k_a, k_b)
    n = p.size
    v = {"a": np.empty(n), "b": np.empty(n)}
    offer = np.full(n, np.nan)
    war = np.zeros(n, dtype=bool)
    war_by = np.full(n, "", dtype=object)
    r = "b" if proposer == "a" else "a"
    w = {"a": w_a, "b": w_b}
    flow = 1.0 - delta
    for t in range(n - 1, -1, -1):
        if t == n - 1:  # stationary from T on: the responder is held to max(w_r, 0)
            vr_next = max(w[r][t], 0.0)
            vp_next = 1.0 - vr_next
        else:
            vr_next, vp_next = v[r][t + 1], v[proposer][t + 1]
        need = max(w[r][t] - delta * vr_next, 0.0)
        proposer_peace = flow - need + delta * vp_next
        if need <= flow + 1e-12 and proposer_peace >= w[proposer][t] - 1e-12:
            offer[t] = need / flow
            v[r][t] = need + delta * vr_next
            v[proposer][t] = proposer_peace
        else:
            war[t] = True
            war_by[t] = r if need > flow + 1e-12 else proposer
            v["a"][t], v["b"][t] = w_a[t], w_b[t]
    return pd.DataFrame({"offer_share": offer, "war_if_reached": war, "war_by": war_by,
                         "value_a": v["a"], "value_b": v["b"]})


@dataclass(frozen=True)
class ShiftingPower:
    """The solved model: per-period frame and the headline answers."""

    frame: pd.DataFrame
    peaceful_path: bool
    window_a: tuple[int, ...]
    window_b: tuple[int, ...]
    war_period: int | None
    params: dict

    def to_dict(self) -> dict:
        return {"params": self.params, "peaceful_path": self.peaceful_path,
                "window_a": list(self.window_a), "window_b": list(self.window_b),
                "war_period": self.war_period,
                "periods": self.frame.to_dict(orient="records")}


def solve(p, k_a: float, k_b: float, delta: float, proposer: str = "b",
          labels=None) -> ShiftingPower:
    """All of the above on one power path: per period p_t, the static and dynamic bargaining
    ranges (A's share), minmax payoffs, whether a peaceful path from t exists, Powell's one-step
    margins, and the subgame-perfect path with the given proposer, whose war periods are the
    preventive-war windows of the side that would strike."""
    p = _check(np.asarray(p, dtype=float), k_a, k_b, delta)
    w_a, w_b = war_payoffs(p, k_a, k_b)
    m_a, m_b = minmax_payoffs(w_a, delta), minmax_payoffs(w_b, delta)
    lo, hi = static_range(p, k_a, k_b)
    margin_a, margin_b = one_step_bound(p, k_a, k_b, delta)
    spe = spe_path(p, k_a, k_b, delta, proposer)
    frame = pd.DataFrame({
        "period": np.arange(p.size),
        "p": p,
        "static_low": lo, "static_high": hi,
        "dynamic_low": m_a, "dynamic_high": 1.0 - m_b,
        "minmax_a": m_a, "minmax_b": m_b,
        "powell_condition": m_a + m_b <= 1.0 + 1e-12,
        "peace_feasible": peace_feasible(p, k_a, k_b, delta),
        "one_step_margin_a": margin_a, "one_step_margin_b": margin_b,
    })
    frame = pd.concat([frame, spe], axis=1)
    if labels is not None:
        frame.insert(1, "label", list(labels))
    war = spe["war_if_reached"].to_numpy()
    by = spe["war_by"].to_numpy()
    war_period = next((t for t in range(p.size) if war[t]), None)
    return ShiftingPower(
        frame=frame, peaceful_path=bool(frame["peace_feasible"].all()),
        window_a=tuple(int(t) for t in np.flatnonzero(war & (by == "a"))),
        window_b=tuple(int(t) for t in np.flatnonzero(war & (by == "b"))),
        war_period=war_period,
        params={"cost_a": k_a, "cost_b": k_b, "delta": delta, "proposer": proposer})
