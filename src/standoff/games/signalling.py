"""Provocations as a costly signalling game, and its perfect Bayesian equilibria.

Nature makes the sender resolved (R) with probability π, else not resolved (W). The sender
provokes (P) or not (N); provoking costs c_R or c_W. The receiver sees the signal, forms the
belief μ = P(R | signal) and concedes (C), holds (H) or escalates (E).

Sender's payoff: v if the receiver concedes, 0 if it holds, w_t if it escalates, minus the cost
of a provocation. Receiver's payoff: -k for conceding; h_R or h_W for holding and e_R or e_W for
escalating, against each type.

:func:`equilibria` lists every perfect Bayesian equilibrium in which the receiver plays a pure
best response off the path of play: separating (each type its own signal), pooling (both the
same signal, with the off-path beliefs that deter deviation stated as an interval), and
semi-separating (one type mixes, the receiver mixes between two replies at the threshold
belief that makes it indifferent). The maths is in docs/models/crisis-games.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from standoff import lazy
from standoff.errors import ModelError

pd = lazy.load("pandas")

TYPES = ("resolved", "unresolved")
SIGNALS = ("provoke", "no provocation")
REPLIES = ("concede", "hold", "escalate")
TOL = 1e-9


@dataclass(frozen=True)
class SignalGame:
    """The parameters of the provocation game (defaults: a resolved sender that finds
    provoking cheap and prefers a clash to holding, an unresolved one that fears a clash)."""

    prior: float = 0.4                 # π = P(resolved)
    cost_resolved: float = 0.2         # c_R
    cost_unresolved: float = 1.6       # c_W
    concession: float = 1.0            # v: the sender's gain when the receiver concedes
    war_resolved: float = 0.2          # w_R: resolved sender's payoff when the receiver escalates
    war_unresolved: float = -0.5       # w_W
    concede_cost: float = 0.5          # k: the receiver's loss from conceding
    hold_resolved: float = -0.8        # h_R: receiver holds against a resolved sender
    hold_unresolved: float = 0.0       # h_W
    escalate_resolved: float = -2.0    # e_R: receiver escalates against a resolved sender
    escalate_unresolved: float = 0.3   # e_W

    def __post_init__(self) -> None:
        for name, v in asdict(self).items():
            if not np.isfinite(v):
                raise ModelError(f"{name} = {v!r} is not a finite number", where=name)
        if not 0 < self.prior < 1:
            raise ModelError(f"prior {self.prior:g} is not strictly between 0 and 1", where="prior",
                             fix="give P(resolved) in (0, 1)")
        if self.cost_resolved < 0 or self.cost_unresolved < 0:
            raise ModelError("provocation costs must be non-negative", where="cost_resolved/cost_unresolved")

    def replace(self, **changes: float) -> SignalGame:
        return SignalGame(**{**asdict(self), **changes})

    # --- payoffs ---------------------------------------------------------------------------
    def sender(self, t: int) -> np.ndarray:
        """Sender type t's payoff of each reply (before the cost of provoking)."""
        war = self.war_resolved if t == 0 else self.war_unresolved
        return np.array([self.concession, 0.0, war])

    def cost(self, t: int, s: int) -> float:
        """Cost to type t of signal s (0: provoke, 1: not)."""
        return (self.cost_resolved if t == 0 else self.cost_unresolved) if s == 0 else 0.0

    def receiver_lines(self) -> tuple[np.ndarray, np.ndarray]:
        """The receiver's payoff of each reply is `intercept + slope · μ`."""
        against_w = np.array([-self.concede_cost, self.hold_unresolved, self.escalate_unresolved])
        against_r = np.array([-self.concede_cost, self.hold_resolved, self.escalate_resolved])
        return against_w, against_r - against_w

    def receiver(self, mu: float) -> np.ndarray:
        a, b = self.receiver_lines()
        return a + b * mu

    def best_replies(self, mu: float) -> list[int]:
        v = self.receiver(mu)
        return [k for k in range(3) if v[k] >= v.max() - TOL]

    def reply_intervals(self) -> dict[int, tuple[float, float]]:
        """For each reply, the interval of beliefs μ in [0, 1] where it is a best reply."""
        a, b = self.receiver_lines()
        out = {}
        for k in range(3):
            lo, hi = 0.0, 1.0
            for j in range(3):
                if j == k:
                    continue
                # a_k + b_k μ >= a_j + b_j μ  <=>  (b_k - b_j) μ >= a_j - a_k
                db, da = b[k] - b[j], a[j] - a[k]
                if abs(db) < TOL:
                    if da > TOL:
                        lo, hi = 1.0, 0.0
                elif db > 0:
                    lo = max(lo, da / db)
                else:
                    hi = min(hi, da / db)
            if lo <= hi + TOL:
                lo = min(max(lo, 0.0), 1.0)
                out[k] = (float(lo), float(min(max(hi, lo), 1.0)))
        return out


@dataclass(frozen=True)
class Equilibrium:
    """One perfect Bayesian equilibrium.

    `provoke[t]`: probability that type t provokes. `belief[s]`: the receiver's belief
    P(resolved | s); for an off-path signal it is the stated belief and `off_path` gives the
    whole interval of beliefs that sustain the equilibrium. `reply[s]`: the receiver's mixed
    reply to signal s (probabilities of concede, hold, escalate).
    """

    kind: str                       # separating | pooling | semi-separating
    provoke: tuple[float, float]
    belief: tuple[float, float]
    reply: tuple[tuple[float, float, float], tuple[float, float, float]]
    off_path: dict[str, tuple[float, float]] = field(default_factory=dict)
    payoff: tuple[float, float, float] = (0.0, 0.0, 0.0)   # resolved, unresolved, receiver

    def describe(self) -> str:
        s = []
        for t in range(2):
            s.append(f"{TYPES[t]} provokes with probability {self.provoke[t]:.3g}")
        for k, sig in enumerate(SIGNALS):
            r = ", ".join(f"{REPLIES[j]} {p:.3g}" for j, p in enumerate(self.reply[k]) if p > TOL)
            where = " (off path)" if sig in self.off_path else ""
            s.append(f"after {sig}{where}: belief {self.belief[k]:.3g}, reply {r}")
        for sig, (lo, hi) in self.off_path.items():
            s.append(f"off-path beliefs after {sig} that sustain it: [{lo:.3g}, {hi:.3g}]")
        return f"{self.kind}: " + "; ".join(s)


def _pure(k: int) -> tuple[float, float, float]:
    r = [0.0, 0.0, 0.0]
    r[k] = 1.0
    return tuple(r)


def _values(game: SignalGame, provoke, reply, belief) -> tuple[float, float, float]:
    sender = []
    for t in range(2):
        v = 0.0
        for s in range(2):
            ps = provoke[t] if s == 0 else 1 - provoke[t]
            v += ps * (float(np.dot(reply[s], game.sender(t))) - game.cost(t, s))
        sender.append(v)
    prob_s = [game.prior * provoke[0] + (1 - game.prior) * provoke[1]]
    prob_s.append(1 - prob_s[0])
    receiver = sum(prob_s[s] * float(np.dot(reply[s], game.receiver(belief[s]))) for s in range(2))
    return sender[0], sender[1], receiver


def separating(game: SignalGame) -> list[Equilibrium]:
    """Each type sends its own signal, so beliefs are 1 and 0; the receiver replies with a best
    reply at each, and neither type gains by sending the other's signal."""
    out = []
    for r_signal in range(2):           # the signal the resolved type sends
        belief = [0.0, 0.0]
        belief[r_signal] = 1.0
        for k0 in game.best_replies(belief[0]):
            for k1 in game.best_replies(belief[1]):
                ks = (k0, k1)
                pay = [[game.sender(t)[ks[s]] - game.cost(t, s) for s in range(2)] for t in range(2)]
                sig = (r_signal, 1 - r_signal)
                if all(pay[t][sig[t]] >= pay[t][1 - sig[t]] - TOL for t in range(2)):
                    provoke = (1.0 if r_signal == 0 else 0.0, 0.0 if r_signal == 0 else 1.0)
                    reply = (_pure(k0), _pure(k1))
                    out.append(Equilibrium("separating", provoke, tuple(belief), reply,
                                           payoff=_values(game, provoke, reply, belief)))
    return out


def pooling(game: SignalGame) -> list[Equilibrium]:
    """Both types send signal s; the on-path belief is the prior. The off-path signal needs a
    belief at which a best reply leaves neither type better off deviating: we report, per such
    reply, the interval of those beliefs, and state its end nearest the prior as the belief."""
    out = []
    intervals = game.reply_intervals()
    for s in range(2):
        o = 1 - s
        for k in game.best_replies(game.prior):
            on = [game.sender(t)[k] - game.cost(t, s) for t in range(2)]
            for j, (lo, hi) in intervals.items():
                if all(game.sender(t)[j] - game.cost(t, o) <= on[t] + TOL for t in range(2)):
                    mu = min(max(game.prior, lo), hi)
                    belief = [0.0, 0.0]
                    belief[s], belief[o] = game.prior, mu
                    reply = [None, None]
                    reply[s], reply[o] = _pure(k), _pure(j)
                    provoke = (1.0, 1.0) if s == 0 else (0.0, 0.0)
                    out.append(Equilibrium("pooling", provoke, tuple(belief), tuple(reply),
                                           off_path={SIGNALS[o]: (lo, hi)},
                                           payoff=_values(game, provoke, reply, belief)))
    return out


def semi_separating(game: SignalGame) -> list[Equilibrium]:
    """One type (m) mixes, the other (o) sends a pure signal s_o. The signal only m sends gets
    the belief 1 (m resolved) or 0; at s_o the receiver must be indifferent between two replies
    a1, a2, which fixes the belief μ* and hence m's mixing probability by Bayes' rule; the
    receiver's mixing r between a1 and a2 makes m indifferent; o must not gain by switching."""
    out = []
    a, b = game.receiver_lines()
    pi = game.prior
    for m in range(2):
        o = 1 - m
        for s_o in range(2):
            s_m = 1 - s_o                  # the signal only m sends
            mu_only = 1.0 if m == 0 else 0.0
            for k_only in game.best_replies(mu_only):
                for a1 in range(3):
                    for a2 in range(a1 + 1, 3):
                        if abs(b[a1] - b[a2]) < TOL:
                            continue
                        mu = (a[a2] - a[a1]) / (b[a1] - b[a2])
                        if not TOL < mu < 1 - TOL:
                            continue
                        v = game.receiver(mu)
                        if v[a1] < v.max() - 1e-7:
                            continue
                        # q = P(m sends s_o) from Bayes: μ at s_o mixes o (sure) and m (with q)
                        q = mu * (1 - pi) / (pi * (1 - mu)) if m == 0 else pi * (1 - mu) / ((1 - pi) * mu)
                        if not TOL < q < 1 - TOL:
                            continue
                        um = game.sender(m)
                        target = um[k_only] - game.cost(m, s_m) + game.cost(m, s_o)
                        if abs(um[a1] - um[a2]) < TOL:
                            continue
                        r = (target - um[a2]) / (um[a1] - um[a2])
                        if not -TOL <= r <= 1 + TOL:
                            continue
                        r = min(max(r, 0.0), 1.0)
                        mix = [0.0, 0.0, 0.0]
                        mix[a1], mix[a2] = r, 1 - r
                        uo = game.sender(o)
                        at_so = float(np.dot(mix, uo)) - game.cost(o, s_o)
                        at_sm = uo[k_only] - game.cost(o, s_m)
                        if at_so < at_sm - TOL:
                            continue
                        p_m = q if s_o == 0 else 1 - q           # P(m provokes)
                        p_o = 1.0 if s_o == 0 else 0.0
                        provoke = (p_m, p_o) if m == 0 else (p_o, p_m)
                        belief = [0.0, 0.0]
                        belief[s_o], belief[s_m] = mu, mu_only
                        reply = [None, None]
                        reply[s_o], reply[s_m] = tuple(mix), _pure(k_only)
                        out.append(Equilibrium("semi-separating", provoke, tuple(belief), tuple(reply),
                                               payoff=_values(game, provoke, reply, belief)))
    return out


def equilibria(game: SignalGame) -> list[Equilibrium]:
    """Every PBE of the three kinds (see the module docstring), separating first."""
    return separating(game) + semi_separating(game) + pooling(game)


def equilibria_frame(game: SignalGame) -> pd.DataFrame:
    """The equilibria as a DataFrame: one row each, with strategies, beliefs, replies, payoffs."""
    rows = []
    for e in equilibria(game):
        row = {"kind": e.kind, "p_provoke_resolved": e.provoke[0], "p_provoke_unresolved": e.provoke[1],
               "belief_after_provoke": e.belief[0], "belief_after_none": e.belief[1]}
        for s, sig in (("provoke", 0), ("none", 1)):
            for j, rep in enumerate(REPLIES):
                row[f"{rep}_after_{s}"] = e.reply[sig][j]
        row["off_path"] = "; ".join(f"{k}: [{lo:.3g}, {hi:.3g}]" for k, (lo, hi) in e.off_path.items())
        row["payoff_resolved"], row["payoff_unresolved"], row["payoff_receiver"] = e.payoff
        rows.append(row)
    return pd.DataFrame(rows)


KINDS = ("separating", "semi-separating", "pooling")


def signal_game(params: dict) -> SignalGame:
    """A SignalGame from user-given parameters, with a user error for unknown names or
    non-numbers."""
    known = set(asdict(SignalGame()))
    for key, value in params.items():
        if key not in known:
            raise ModelError(f"the provocation game has no parameter {key!r}", where="--signal",
                             fix=f"use one of {', '.join(sorted(known))}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ModelError(f"{key} = {value!r} is not a number", where="--signal",
                             fix="write it like --signal prior=0.3")
    return SignalGame(**{k: float(v) for k, v in params.items()})


def kinds(game: SignalGame) -> tuple[str, ...]:
    """Which kinds of equilibrium exist, in the order of :data:`KINDS`."""
    found = {e.kind for e in equilibria(game)}
    return tuple(k for k in KINDS if k in found)


def region_grid(game: SignalGame, x: str = "prior", xs: np.ndarray | None = None,
                y: str = "cost_unresolved", ys: np.ndarray | None = None) -> pd.DataFrame:
    """For each (x, y) on a grid of two parameters, the kinds of equilibrium that hold (rows: y
    outer, x inner). Default grid: the prior from 0.02 to 0.98 by 0.01 against the unresolved
    type's cost from 0 to 3 by 0.025."""
    xs = np.linspace(0.02, 0.98, 97) if xs is None else xs
    ys = np.linspace(0.0, 3.0, 121) if ys is None else ys
    rows = []
    for yv in ys:
        for xv in xs:
            g = game.replace(**{x: float(xv), y: float(yv)})
            rows.append({x: float(xv), y: float(yv), "kinds": "+".join(kinds(g)) or "none"})
    return pd.DataFrame(rows)


def select(eqs: list[Equilibrium]) -> Equilibrium | None:
    """The equilibrium used to read events: the most informative one (separating, then
    semi-separating, then pooling; within a kind, the first found)."""
    for kind in KINDS:
        for e in eqs:
            if e.kind == kind:
                return e
    return None
