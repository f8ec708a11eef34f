"""The interaction game in Gambit's .efg format, and (with the optional `pygambit`) Gambit's own
solutions, used to cross-check :mod:`standoff.games.interaction`.

Install the extra with ``pip install "standoff[gambit]"``; everything else works without it.
"""

from __future__ import annotations

import numpy as np

from standoff.games.interaction import OUTCOMES, TREE, Node

_INDEX = {o: k for k, o in enumerate(OUTCOMES)}


def _number(x: float) -> str:
    """A payoff as a plain decimal (Gambit's parser takes no exponents)."""
    return np.format_float_positional(float(x), unique=True, trim="0")


def _quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def to_efg(payoffs: np.ndarray, players: tuple[str, str] = ("A", "B"),
           title: str = "International Interaction Game") -> str:
    """The game with payoffs `U[2, 8]` as the text of a Gambit .efg file (format version 2,
    one information set per decision node, outcomes numbered in :data:`OUTCOMES` order)."""
    u = np.asarray(payoffs, dtype=float)
    if u.shape != (2, len(OUTCOMES)):
        raise ValueError(f"payoffs must have shape (2, {len(OUTCOMES)}), got {u.shape}")
    lines = [f"EFG 2 R {_quote(title)} {{ {_quote(players[0])} {_quote(players[1])} }}", '""', ""]
    infoset = [0, 0]

    def leaf(code: str) -> None:
        k = _INDEX[code]
        pay = ", ".join(_number(x) for x in u[:, k])
        lines.append(f't "" {k + 1} {_quote(code)} {{ {pay} }}')

    def visit(node: Node) -> None:
        infoset[node.player] += 1
        actions = " ".join(_quote(a) for a in node.actions)
        lines.append(f'p {_quote(node.label)} {node.player + 1} {infoset[node.player]} '
                     f'"" {{ {actions} }} 0')
        for child in node.children:
            if isinstance(child, int):
                visit(TREE[child])
            else:
                leaf(child)

    visit(TREE[0])
    return "\n".join(lines) + "\n"
