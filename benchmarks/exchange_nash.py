"""Batch vs one-at-a-time for the exchange and Nash models; prints ratios, asserts nothing.

    python benchmarks/exchange_nash.py [--draws 200] [--shared ../shared/data]

Uses the COP21 case (15 actors, 13 issues) when the Decide file is found, else a random case of
the same shape, with every capability jittered (seeded); runs the draws once as one batch and once
scenario by scenario through the same numeric core, and prints the speed-up of batching and the
largest difference between the two runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from standoff.models import Batch, make


def base_batch(shared: Path | None) -> Batch:
    path = shared / "decide-cop21.csv" if shared else None
    if path is not None and path.is_file():
        from standoff.scenario.formats import read_decide

        return Batch.from_scenario(read_decide(path))
    rng = np.random.default_rng(0)
    n, k = 15, 13
    return Batch(rng.uniform(0, 100, (1, n, k)), rng.uniform(0.3, 0.9, (1, n, k)),
                 rng.uniform(0.05, 0.5, (1, n)), np.zeros(k), np.full(k, 100.0),
                 np.full(k, np.nan), tuple(f"a{i}" for i in range(n)),
                 tuple(f"i{i}" for i in range(k)))


def jitter(base: Batch, draws: int, seed: int) -> Batch:
    rng = np.random.default_rng(seed)
    cap = base.capability * rng.uniform(0.5, 1.5, size=(draws, base.capability.shape[1]))
    reps = lambda a: np.repeat(a, draws, axis=0)  # noqa: E731
    return Batch(reps(base.positions), reps(base.salience), cap, base.low, base.high,
                 base.status_quo, base.actor_ids, base.issue_ids)


def one_at_a_time(model, batch: Batch) -> np.ndarray:
    rows = []
    for b in range(batch.shape[0]):
        single = Batch(batch.positions[b:b + 1], batch.salience[b:b + 1],
                       batch.capability[b:b + 1], batch.low, batch.high, batch.status_quo,
                       batch.actor_ids, batch.issue_ids)
        rows.append(model.predict(single).values)
    return np.vstack(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2]
                        / "shared" / "data")
    args = parser.parse_args()
    batch = jitter(base_batch(args.shared), args.draws, args.seed)
    for name, params in (("exchange", {"rounds": 3}), ("nash", {}), ("nash", {"joint": True})):
        model = make(name, **params)
        t0 = time.perf_counter()
        together = model.predict(batch).values
        t1 = time.perf_counter()
        alone = one_at_a_time(model, batch)
        t2 = time.perf_counter()
        label = f"{name} {params or ''}".strip()
        print(f"{label:28s} draws {args.draws:5d}: batch {t1 - t0:7.3f}s, one at a time "
              f"{t2 - t1:7.3f}s, speed-up x{(t2 - t1) / (t1 - t0):.1f}, "
              f"max difference {np.abs(together - alone).max():.2e}")


if __name__ == "__main__":
    main()
