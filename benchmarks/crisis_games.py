"""Batch vs one-at-a-time for the interaction game's agent QRE; prints ratios, asserts nothing.

    python benchmarks/crisis_games.py [--games 10000] [--seed 1]

Solves `games` random interaction games (payoffs uniform on [-1, 1], seeded) at 5 values of λ,
once as one batch of games × λ and once game by game and λ by λ through the same function, and
prints the speed-up of batching. The two runs must agree exactly. With pygambit installed it also
times Gambit's `logit_solve_lambda` on a few of the games, for scale.
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np

from standoff.games.gambit import to_efg
from standoff.games.interaction import agent_qre

LAMBDAS = np.array([0.5, 2.0, 10.0, 50.0, 200.0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    u = np.random.default_rng(args.seed).uniform(-1, 1, size=(args.games, 2, 8))

    t0 = time.perf_counter()
    batch = agent_qre(u[:, None], LAMBDAS[None, :]).outcome
    t_batch = time.perf_counter() - t0

    t0 = time.perf_counter()
    single = np.array([[agent_qre(g, lam).outcome for lam in LAMBDAS] for g in u])
    t_single = time.perf_counter() - t0
    assert np.array_equal(batch, single), "batch and one-at-a-time disagree"
    n = args.games * len(LAMBDAS)
    print(f"{n} QRE solutions: batch {t_batch:.3f} s, one at a time {t_single:.3f} s, "
          f"speed-up x{t_single / t_batch:.1f}")

    try:
        import pygambit as gbt
    except ImportError:
        print("pygambit not installed: skipping the Gambit comparison")
        return
    k = min(20, args.games)
    t0 = time.perf_counter()
    for g in u[:k]:
        gbt.qre.logit_solve_lambda(gbt.read_efg(io.StringIO(to_efg(g))), lam=list(LAMBDAS))
    t_gambit = (time.perf_counter() - t0) / k
    print(f"Gambit path following: {t_gambit * 1e3:.1f} ms per game for {len(LAMBDAS)} λ; "
          f"closed-form recursion one at a time: {t_single / args.games * 1e3:.3f} ms per game, "
          f"ratio x{t_gambit / (t_single / args.games):.0f}")


if __name__ == "__main__":
    main()
