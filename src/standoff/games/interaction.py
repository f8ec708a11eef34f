"""The International Interaction Game of Bueno de Mesquita & Lalman (1992) for a dyad.

Two players, A and B, each may press a demand on the other; a demand met by a counter-demand
opens a crisis in which either side may negotiate or use force, and force is met by
capitulation or retaliation. Eight outcomes: status quo, acquiescence by A or B, negotiation,
capitulation by A or B, war started by A or B. The tree, the payoffs and the solutions:

- :func:`subgame_perfect` — backward induction under complete information;
- :func:`agent_qre` — the agent logit quantal response equilibrium (the statistical version
  of the game in Signorino 1999): at every node the mover picks an action with probability
  proportional to ``exp(λ · expected payoff)``, given the quantal play further down.

Payoff arrays have the outcome axis last (``U[..., 2, 8]``, players A then B, outcomes in
:data:`OUTCOMES` order) so a batch of games is solved in one call. The maths is in
docs/models/crisis-games.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

A, B = 0, 1
PLAYERS = ("A", "B")

OUTCOMES = ("sq", "acq-a", "acq-b", "neg", "cap-a", "cap-b", "war-a", "war-b")
OUTCOME_NAMES = {
    "sq": "status quo",
    "acq-a": "A acquiesces to a demand",
    "acq-b": "B acquiesces to a demand",
    "neg": "negotiated settlement",
    "cap-a": "A capitulates to force",
    "cap-b": "B capitulates to force",
    "war-a": "war started by A",
    "war-b": "war started by B",
}
FORCE = "use force"
RETALIATE = "retaliate"


@dataclass(frozen=True)
class Node:
    """A decision node: who moves, the two actions, and where each leads (a node index or an
    outcome code)."""

    index: int
    player: int
    label: str
    actions: tuple[str, str]
    children: tuple[int | str, int | str]


def _crisis(first: int, start: int, name: str) -> list[Node]:
    """The crisis subgame opened when `first` faces a counter-demand: `first` negotiates or uses
    force; the other side then answers, and force is met by capitulation or retaliation."""
    second = 1 - first
    f, s = PLAYERS[first].lower(), PLAYERS[second].lower()
    return [
        Node(start, first, f"{name}: {PLAYERS[first]} negotiates or uses force",
             ("negotiate", FORCE), (start + 1, start + 2)),
        Node(start + 1, second, f"{name}: {PLAYERS[second]} negotiates or uses force",
             ("negotiate", FORCE), ("neg", start + 3)),
        Node(start + 2, second, f"{name}: {PLAYERS[second]} capitulates or retaliates",
             ("capitulate", RETALIATE), (f"cap-{s}", f"war-{f}")),
        Node(start + 3, first, f"{name}: {PLAYERS[first]} capitulates or retaliates",
             ("capitulate", RETALIATE), (f"cap-{f}", f"war-{s}")),
    ]


def build_tree() -> tuple[Node, ...]:
    """The game tree, root first; parents always come before their children.

    Node 0: A demands or not. Node 1 (A did not): B demands or not (no: status quo).
    Node 2 (A did): B acquiesces or counter-demands. Node 3 (B demanded): A acquiesces or
    counter-demands. A demand met by a counter-demand opens a crisis in which the side facing
    the counter-demand moves first: A in the crisis after nodes 0-2, B in the one after 1-3.
    """
    nodes = [
        Node(0, A, "A demands or not", ("no demand", "demand"), (1, 2)),
        Node(1, B, "B demands or not", ("no demand", "demand"), ("sq", 3)),
        Node(2, B, "B acquiesces or counter-demands", ("acquiesce", "counter-demand"), ("acq-b", 4)),
        Node(3, A, "A acquiesces or counter-demands", ("acquiesce", "counter-demand"), ("acq-a", 8)),
    ]
    nodes += _crisis(A, 4, "crisis over A's demand")
    nodes += _crisis(B, 8, "crisis over B's demand")
    return tuple(nodes)


TREE = build_tree()
_INDEX = {o: k for k, o in enumerate(OUTCOMES)}


def _check(payoffs: np.ndarray) -> np.ndarray:
    u = np.asarray(payoffs, dtype=float)
    if u.shape[-2:] != (2, len(OUTCOMES)):
        raise ValueError(f"payoffs must have shape (..., 2, {len(OUTCOMES)}), got {u.shape}")
    return u


def _child_values(child: int | str, values: dict[int, np.ndarray], u: np.ndarray) -> np.ndarray:
    return values[child] if isinstance(child, int) else u[..., _INDEX[child]]


@dataclass(frozen=True)
class Solution:
    """A behaviour profile and what it implies.

    `choice[..., n]` is the probability that the mover at node n takes its second action
    (demand, counter-demand, use force, retaliate); `reach[..., n]` the probability that play
    reaches node n; `outcome[..., 8]` the outcome probabilities; `value[..., 2]` the expected
    payoffs of A and B.
    """

    choice: np.ndarray
    reach: np.ndarray
    outcome: np.ndarray
    value: np.ndarray


def _solve(u: np.ndarray, second_prob) -> Solution:
    """Fold the tree from the leaves: `second_prob(player_values_of_both_children)` gives the
    probability of the second action at a node; then push reach probabilities down."""
    batch = u.shape[:-2]
    values: dict[int, np.ndarray] = {}
    choice = np.zeros(batch + (len(TREE),))
    for node in reversed(TREE):
        v0 = _child_values(node.children[0], values, u)
        v1 = _child_values(node.children[1], values, u)
        p = second_prob(v0[..., node.player], v1[..., node.player])
        choice[..., node.index] = p
        values[node.index] = (1 - p)[..., None] * v0 + p[..., None] * v1
    reach = np.zeros_like(choice)
    reach[..., 0] = 1.0
    outcome = np.zeros(batch + (len(OUTCOMES),))
    for node in TREE:
        for k, child in enumerate(node.children):
            p = choice[..., node.index] if k else 1 - choice[..., node.index]
            if isinstance(child, int):
                reach[..., child] += reach[..., node.index] * p
            else:
                outcome[..., _INDEX[child]] += reach[..., node.index] * p
    return Solution(choice=choice, reach=reach, outcome=outcome, value=values[0])


def subgame_perfect(payoffs: np.ndarray) -> Solution:
    """The subgame-perfect equilibrium by backward induction: at each node the mover takes the
    action with the higher continuation payoff (on an exact tie, the first, less escalatory one)."""
    u = _check(payoffs)
    return _solve(u, lambda v0, v1: (v1 > v0).astype(float))


def agent_qre(payoffs: np.ndarray, lam: float | np.ndarray) -> Solution:
    """The agent logit QRE at precision λ (≥ 0): P(second action) = 1 / (1 + exp(-λ (v1 - v0)))
    with v the mover's expected payoffs under quantal play below. In a game of perfect
    information the agent QRE is unique and this backward recursion computes it exactly.

    `lam` may be an array broadcast against the batch shape of `payoffs`.
    """
    u = _check(payoffs)
    lam_arr = np.asarray(lam, dtype=float)
    if np.any(lam_arr < 0) or not np.all(np.isfinite(lam_arr)):
        raise ValueError("λ must be finite and non-negative")
    shape = np.broadcast_shapes(u.shape[:-2], lam_arr.shape)
    u = np.broadcast_to(u, shape + u.shape[-2:])
    lam_arr = np.broadcast_to(lam_arr, shape)

    def logit(v0, v1):
        # the numerically stable logistic of λ (v1 - v0)
        z = lam_arr * (v1 - v0)
        return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))

    return _solve(u, logit)


def equilibrium_path(solution: Solution, index: tuple[int, ...] = ()) -> list[tuple[Node, str]]:
    """The most likely path of play from the root: (node, action taken) pairs."""
    path, node = [], TREE[0]
    while True:
        p = float(solution.choice[index + (node.index,)])
        k = 1 if p > 0.5 else 0
        path.append((node, node.actions[k]))
        child = node.children[k]
        if not isinstance(child, int):
            return path
        node = TREE[child]


def modal_outcome(solution: Solution, index: tuple[int, ...] = ()) -> str:
    """The outcome code at the end of :func:`equilibrium_path`."""
    node, action = equilibrium_path(solution, index)[-1]
    return str(node.children[node.actions.index(action)])
