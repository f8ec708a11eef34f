"""Plots of the crisis games: the interaction-game tree with its quantal play, the QRE outcome
probabilities against λ, and the equilibrium regions of the provocation game. Each draws results
the games computed (a crisis result, its `qre_curve`, a `region_grid`): with a path it saves the
plot there and returns the path, without one it returns the matplotlib Figure."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from standoff import lazy
from standoff.report import style

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

pd = lazy.load("pandas")


def _pyplot():
    return style.pyplot()


def _layout(tree: Sequence) -> tuple[dict[int, tuple[float, float]],
                                   list[tuple[int, int, str, float, float]]]:
    """x, y of every decision node of `tree` and every leaf, leaves evenly spaced."""
    pos: dict[int, tuple[float, float]] = {}
    leaves: list[tuple[int, int, str, float, float]] = []
    counter = [0]

    def place(index: int, depth: int) -> float:
        node = tree[index]
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


def tree_plot(result, path: str | Path | IO[bytes] | None = None) -> MplFigure | Path | IO[bytes]:
    """The game tree of a crisis result (`games.crisis`): each branch labelled with its QRE
    probability (bold: the subgame-perfect choice), each leaf with the outcome, both payoffs and
    the QRE probability of reaching it."""
    plt = _pyplot()
    pos, leaves = _layout(result.tree)
    fig, ax = plt.subplots(figsize=(15, 8))
    names = {0: result.dyad.a.name, 1: result.dyad.b.name}
    for node in result.tree:
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
    col = {o: k for k, o in enumerate(result.codes)}
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


def qre_plot(result, curve: pd.DataFrame,
             path: str | Path | IO[bytes] | None = None) -> MplFigure | Path | IO[bytes]:
    """QRE outcome probabilities against λ (log scale): `curve` is the crisis result's
    `games.crisis.qre_curve` (a column `lambda`, one per outcome code)."""
    plt = _pyplot()
    frame = curve
    fig, ax = plt.subplots(figsize=(8, 5))
    for code in result.codes:
        ax.plot(frame["lambda"], frame[code], label=f"{code}: {result.describe(code)}")
    ax.set_xscale("log")
    ax.set_xlabel("λ (precision of choices)")
    ax.set_ylabel("probability")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return style.save(fig, path)


def region_plot(grid: pd.DataFrame, kinds: Sequence[str], path: str | Path | IO[bytes] | None = None,
                x: str = "prior", y: str = "cost_unresolved") -> MplFigure | Path | IO[bytes]:
    """The kinds of perfect Bayesian equilibrium that hold over a grid of two parameters (a
    `games.signalling.region_grid` over `x` and `y`); `kinds` orders the legend."""
    plt = _pyplot()
    from matplotlib.colors import ListedColormap

    xs, ys = grid[x].unique(), grid[y].unique()
    labels = sorted(set(grid["kinds"]), key=lambda s: (s == "none", [kinds.index(k) for k in s.split("+")
                                                                     if k in kinds]))
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
