"""Batch vs one-at-a-time for the median and compromise models; prints ratios, asserts nothing.

    python benchmarks/simple_models.py [--draws 10000]

Runs the EC emissions case with every capability jittered (seeded), once as one batch of
`draws` scenarios and once scenario by scenario through the same numeric core, and prints the
speed-up of batching. The two runs must agree exactly.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import standoff
from standoff.models import Batch, make


def jittered_batch(draws: int, seed: int) -> Batch:
    base = Batch.from_scenario(standoff.load("ec-emissions-1994"))
    rng = np.random.default_rng(seed)
    cap = base.capability * rng.uniform(0.5, 1.5, size=(draws, base.capability.shape[1]))
    reps = lambda a: np.repeat(a, draws, axis=0)  # noqa: E731
    return Batch(reps(base.positions), reps(base.salience), cap, base.low, base.high,
                 base.status_quo, base.actor_ids, base.issue_ids)


def one_at_a_time(model, batch: Batch) -> np.ndarray:
    rows = []
    for b in range(batch.shape[0]):
        single = Batch(batch.positions[b:b + 1], batch.salience[b:b + 1], batch.capability[b:b + 1],
                       batch.low, batch.high, batch.status_quo, batch.actor_ids, batch.issue_ids)
        rows.append(model.predict(single).values)
    return np.vstack(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    batch = jittered_batch(args.draws, args.seed)
    for name in ("median", "compromise"):
        model = make(name)
        t0 = time.perf_counter()
        together = model.predict(batch).values
        t1 = time.perf_counter()
        alone = one_at_a_time(model, batch)
        t2 = time.perf_counter()
        assert np.array_equal(together, alone)
        print(f"{name:<11} {args.draws} draws: batched {t1 - t0:.4f} s, one at a time {t2 - t1:.3f} s, "
              f"ratio {(t2 - t1) / (t1 - t0):.0f}x")


if __name__ == "__main__":
    main()
