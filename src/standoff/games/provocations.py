"""The recorded provocations of a scenario read as moves of the signalling game.

A provocation is an event whose CAMEO root code is a threat, a show of force or a use of force
(13, 15, 17, 18, 19, 20) by the sender's side (the group or one of its actors), aimed at the
receiver's side or at no one in particular (a missile test). Each is one play of
:class:`SignalGame`: the receiver's belief that the sender is resolved before it is the prior of
that play, and the belief the selected equilibrium assigns to a provocation is the prior of the
next.
"""

from __future__ import annotations

from standoff import lazy
from standoff.games.signalling import REPLIES, SignalGame, equilibria, select
from standoff.scenario import Scenario

pd = lazy.load("pandas")

PROVOCATION_ROOTS = ("13", "15", "17", "18", "19", "20")


def _members(scenario: Scenario, key: str) -> set[str]:
    """The ids an event may name for this side: the group itself and its actors."""
    if key in scenario.group_ids:
        return {key} | {a.id for a in scenario.members(key)}
    scenario.actor(key)  # raises the user error for an unknown id
    return {key}


def provocations(scenario: Scenario, sender: str, receiver: str) -> list:
    """The sender side's provocations aimed at the receiver side (or at no one), by date."""
    send, recv = _members(scenario, sender), _members(scenario, receiver)
    return [e for e in scenario.events
            if e.actor in send and (e.target is None or e.target in recv)
            and e.cameo[:2] in PROVOCATION_ROOTS]


def read_provocations(scenario: Scenario, sender: str, receiver: str,
                      game: SignalGame | None = None) -> pd.DataFrame:
    """One row per provocation: the receiver's belief before, the equilibrium selected at that
    prior (see :func:`standoff.games.signalling.select`), the belief after, and the reply the
    equilibrium prescribes. The belief is carried from one provocation to the next."""
    game = game or SignalGame()
    belief = game.prior
    rows = []
    for e in provocations(scenario, sender, receiver):
        g = game.replace(prior=min(max(belief, 1e-6), 1 - 1e-6))
        eq = select(equilibria(g))
        if eq is None:
            after, kind, reply = belief, "none", ""
        else:
            after, kind = eq.belief[0], eq.kind
            reply = ", ".join(f"{REPLIES[j]} {p:.2f}" for j, p in enumerate(eq.reply[0]) if p > 1e-9)
            if "provoke" in eq.off_path:
                kind += " (provoking is off the path)"
        rows.append({"date": e.date, "actor": e.actor, "cameo": e.cameo, "description": e.description,
                     "belief_before": belief, "equilibrium": kind, "belief_after": after,
                     "receiver_reply": reply})
        belief = after
    return pd.DataFrame(rows, columns=["date", "actor", "cameo", "description", "belief_before",
                                       "equilibrium", "belief_after", "receiver_reply"])
