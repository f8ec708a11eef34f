"""Exact win-set endpoints vs a grid search by the definition; prints ratios, asserts nothing.

    python benchmarks/two_level.py [--grid 2001] [--seed 7]

For N = 10 … 1000 factions with seeded random positions, weights and vetoes, computes the win-set
once with the exact sort-and-pivot rule (O(N log N)) and once by testing every point of a grid
against the definition (O(grid · N)), prints the speed-up and the largest gap between the exact
ends and the grid's (which must be below one grid step).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from standoff.games import winsets as ws


def grid_interval(x, w, q, veto, quota, grid):
    inside = [p for p in grid if ws.brute_force_member(p, x, w, q, quota, veto)]
    return min(inside), max(inside)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", type=int, default=2001)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    grid = np.linspace(0, 100, args.grid)
    step = grid[1] - grid[0]
    print(f"{'N':>6} {'exact (ms)':>11} {'grid (ms)':>10} {'speed-up':>9} {'max gap / step':>15}")
    for n in (10, 100, 1000):
        x = rng.uniform(0, 100, n)
        w = rng.uniform(0, 10, n)
        veto = rng.random(n) < 2.0 / n
        q = 30.0
        t0 = time.perf_counter()
        lo, hi = ws.interval(x, w, q, 0, 100, 0.6, veto)
        t1 = time.perf_counter()
        glo, ghi = grid_interval(x, w, q, veto, 0.6, grid)
        t2 = time.perf_counter()
        gap = max(abs(lo.value - glo), abs(hi.value - ghi)) / step
        print(f"{n:>6} {1e3 * (t1 - t0):>11.3f} {1e3 * (t2 - t1):>10.1f} "
              f"{(t2 - t1) / (t1 - t0):>9.0f} {gap:>15.2f}")


if __name__ == "__main__":
    main()
