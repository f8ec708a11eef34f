"""Plots of the crisis games: the interaction-game tree with its quantal play, the QRE outcome
probabilities against λ, and the equilibrium regions of the provocation game."""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from standoff.games.crisis import CrisisResult, qre_curve
from standoff.games.interaction import OUTCOMES, TREE
from standoff.games.signalling import KINDS, SignalGame, region_grid
from standoff.report import style

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _pyplot():
    return style.pyplot()


def _layout() -> tuple[dict[int, tuple[float, float]], list[tuple[int, int, str, float, float]]]:
    """x, y of every decision node and leaf (leaves numbered from 100), leaves evenly spaced."""
    pos: dict[int, tuple[float, float]] = {}
    leaves: list[tuple[int, int, str, float, float]] = []
    counter = [0]

    def place(index: int, depth: int) -> float:
        node = TREE[index]
        xs = []
        for k, child in enumerate(node.children):
            if isinstance(child, int):
                xs.append(place(child, depth + 1))
            else:
                x = float(counter[0])
                counter[0] += 1
                leaves.append((index, k, child, x, -(depth + 1)))
                xs.append(x)
        pos[index] = (float(np.mean(xs)), -depth)
        return pos[index][0]

    place(0, 0)
    return pos, leaves


def tree_plot(result: CrisisResult, path: str | Path | IO[bytes] | None = None) -> Figure | Path | IO[bytes]:
    """The game tree: each branch labelled with its QRE probability (bold: the subgame-perfect
    choice), each leaf with the outcome, both payoffs and the QRE probability of reaching it."""
    plt = _pyplot()
    pos, leaves = _layout()
    fig, ax = plt.subplots(figsize=(15, 8))
    names = {0: result.dyad.a.name, 1: result.dyad.b.name}
    for node in TREE:
        x, y = pos[node.index]
        ax.plot(x, y, "o", color="black", ms=5)
        ax.annotate(names[node.player], (x, y), xytext=(0, 6), textcoords="offset points",
                    ha="center", fontsize=8)
        for k, child in enumerate(node.children):
            if isinstance(child, int):
                cx, cy = pos[child]
            else:
                cx, cy = next((lx, ly) for (n, kk, _, lx, ly) in leaves if n == node.index and kk == k)
            p = result.qre.choice[node.index] if k else 1 - result.qre.choice[node.index]
            spe = int(result.spe.choice[node.index] > 0.5) == k
            ax.plot([x, cx], [y, cy], color="tab:red" if spe else "grey", lw=2.5 if spe else 1)
            ax.annotate(f"{node.actions[k]}\n{p:.2f}", ((x + cx) / 2, (y + cy) / 2), fontsize=7,
                        ha="center", fontweight="bold" if spe else "normal")
    col = {o: k for k, o in enumerate(OUTCOMES)}
    for n, k, code, x, y in leaves:
        reach = result.qre.reach[n] * (result.qre.choice[n] if k else 1 - result.qre.choice[n])
        u = result.payoffs[:, col[code]]
        ax.plot(x, y, "s", color="tab:blue", ms=6)
        ax.annotate(f"{code}\n({u[0]:.2f}, {u[1]:.2f})\np={reach:.3f}", (x, y), xytext=(0, -10),
                    textcoords="offset points", ha="center", va="top", fontsize=7)
    ax.set_title(f"{result.scenario.title}: {result.dyad.a.name} (A) and {result.dyad.b.name} (B); "
                 f"agent logit QRE at λ = {result.lam:g}; red: subgame-perfect choices", fontsize=10)
    ax.axis("off")
    ax.margins(0.05, 0.15)
    fig.tight_layout()
    return style.save(fig, path)


def qre_plot(result: CrisisResult, path: str | Path | IO[bytes] | None = None,
             lambdas: np.ndarray | None = None) -> Figure | Path | IO[bytes]:
    """QRE outcome probabilities against λ (log scale)."""
    plt = _pyplot()
    lambdas = np.geomspace(0.1, 1000, 200) if lambdas is None else lambdas
    frame = qre_curve(result, lambdas)
    fig, ax = plt.subplots(figsize=(8, 5))
    for code in OUTCOMES:
        ax.plot(frame["lambda"], frame[code], label=f"{code}: {result.describe(code)}")
    ax.set_xscale("log")
    ax.set_xlabel("λ (precision of choices)")
    ax.set_ylabel("probability")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return style.save(fig, path)


def region_plot(game: SignalGame, path: str | Path | IO[bytes] | None = None,
                x: str = "prior", y: str = "cost_unresolved",
                xs: np.ndarray | None = None, ys: np.ndarray | None = None) -> Figure | Path | IO[bytes]:
    """The kinds of perfect Bayesian equilibrium that hold over a grid of two parameters."""
    plt = _pyplot()
    from matplotlib.colors import ListedColormap

    xs = np.linspace(0.02, 0.98, 97) if xs is None else xs
    ys = np.linspace(0.0, 3.0, 121) if ys is None else ys
    grid = region_grid(game, x, xs, y, ys)
    labels = sorted(set(grid["kinds"]), key=lambda s: (s == "none", [KINDS.index(k) for k in s.split("+")
                                                                     if k in KINDS]))
    code = grid["kinds"].map({lab: i for i, lab in enumerate(labels)}).to_numpy().reshape(len(ys), len(xs))
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:olive", "tab:cyan", "lightgrey"]
    cmap = ListedColormap(colours[:len(labels)])
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.pcolormesh(xs, ys, code, cmap=cmap, shading="nearest", vmin=-0.5, vmax=len(labels) - 0.5)
    handles = [plt.Rectangle((0, 0), 1, 1, color=cmap(i)) for i in range(len(labels))]
    ax.legend(handles, labels, fontsize=8, loc="upper right")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title("Perfect Bayesian equilibria of the provocation game", fontsize=10)
    fig.tight_layout()
    return style.save(fig, path)
