"""Speed and memory of the expected utility model; prints ratios, asserts nothing but agreement.

    python benchmarks/eum.py [--draws 10000] [--rounds 10] [--oracle-draws 20] [--sizes 10,100,300,1000]
                             [--repeat 5]

(a) the EC emissions case with every capability jittered (seeded): `draws` scenarios as one batch
    against the same scenarios one at a time, through the same numeric core (results must agree);
(b) the batched core against the loop-by-loop reference implementation of the tests (the oracle)
    on the first `oracle-draws` of those scenarios;
(c) one scenario of N random actors for each N in `sizes`: time per run, peak memory of the
    arrays (tracemalloc), and the growth exponent fitted to log time against log N.
Every run uses all `rounds` rounds (tol < 0) and runs on one core. Times are the best of
`repeat` runs, wall clock and processor time; "before" is the same model with engine='steps'
(the step functions one by one, as every round ran before the sorted round), timed in the same run.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import standoff  # noqa: E402
from standoff.models import Batch, make  # noqa: E402
from standoff.models.eum import PRESETS  # noqa: E402


def jittered_batch(draws: int, seed: int) -> Batch:
    base = Batch.from_scenario(standoff.load("ec-emissions-1994"))
    rng = np.random.default_rng(seed)
    cap = base.capability * rng.uniform(0.5, 1.5, size=(draws, base.capability.shape[1]))
    reps = lambda a: np.repeat(a, draws, axis=0)  # noqa: E731
    return Batch(reps(base.positions), reps(base.salience), cap, base.low, base.high,
                 base.status_quo, base.actor_ids, base.issue_ids)


def row(batch: Batch, b: int) -> Batch:
    return Batch(batch.positions[b:b + 1], batch.salience[b:b + 1], batch.capability[b:b + 1],
                 batch.low, batch.high, batch.status_quo, batch.actor_ids, batch.issue_ids)


def timed(fn, repeat: int = 5):
    """(best wall-clock seconds, best processor seconds, result) over `repeat` runs: on a shared
    machine the wall clock also counts waiting for a core, and the best run is the least disturbed."""
    wall, cpu, out = np.inf, np.inf, None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu, out


def part_a(draws: int, rounds: int, seed: int, preset: str, repeat: int) -> None:
    batch = jittered_batch(draws, seed)
    model = make("eum", preset=preset, rounds=rounds, tol=-1, keep_dyads=False)
    steps = make("eum", preset=preset, rounds=rounds, tol=-1, keep_dyads=False, engine="steps")
    wall, cpu, together = timed(lambda: model.predict(batch), repeat)
    wall_s, cpu_s, by_steps = timed(lambda: steps.predict(batch), max(1, repeat // 2))
    np.testing.assert_allclose(by_steps.positions_path, together.positions_path, atol=1e-9, rtol=0)
    print(f"(a) EC case, {draws} draws x {rounds} rounds, preset {preset}, best of {repeat}:")
    print(f"    batched, sorted round:           {wall:.3f} s (cpu {cpu:.3f} s)")
    print(f"    batched, step functions (before): {wall_s:.3f} s (cpu {cpu_s:.3f} s); "
          f"speed-up {wall_s / wall:.1f}x (cpu {cpu_s / cpu:.1f}x)")
    keep = make("eum", preset=preset, rounds=rounds, tol=-1, keep_dyads=True)
    wall_k, cpu_k, _ = timed(lambda: keep.predict(batch), max(1, repeat // 2))
    print(f"    batched with every round's dyads kept in the detail: {wall_k:.3f} s (cpu {cpu_k:.3f} s)")
    wall_1, cpu_1, alone = timed(lambda: np.vstack([model.predict(row(batch, b)).values
                                                    for b in range(draws)]), 1)
    assert np.allclose(together.values, alone, atol=1e-12, rtol=0)
    print(f"    one at a time:                   {wall_1:.2f} s (cpu {cpu_1:.2f} s); "
          f"batched is {wall_1 / wall:.0f}x faster (cpu {cpu_1 / cpu:.0f}x)")


def part_b(draws: int, rounds: int, seed: int, preset: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "models"))
    import eum_reference as oracle

    batch = jittered_batch(draws, seed)
    x, s = batch.positions[:, :, 0], batch.salience[:, :, 0]
    c = batch.capability
    opt = {**PRESETS[preset], "rounds": rounds, "tol": -1.0, "q": 1.0, "t": None}
    model = make("eum", preset=preset, rounds=rounds, tol=-1, keep_dyads=False)
    t_batch, c_batch, fast = timed(lambda: model.predict(batch), 5)
    t_ref, c_ref, ref = timed(lambda: [oracle.run(list(x[b]), list(c[b]), list(s[b]), **opt)
                                       for b in range(draws)], 1)
    final = np.array([r["positions"][-1] for r in ref])
    assert np.allclose(fast.positions_path[:, -1, :, 0], final, atol=1e-9)
    print(f"(b) {draws} EC draws x {rounds} rounds: batched {t_batch * 1e3:.1f} ms "
          f"(cpu {c_batch * 1e3:.1f} ms), oracle {t_ref:.2f} s (cpu {c_ref:.2f} s), "
          f"ratio {t_ref / t_batch:.0f}x (cpu {c_ref / c_batch:.0f}x)")


def part_c(sizes: list[int], rounds: int, seed: int, preset: str, repeat: int) -> None:
    rng = np.random.default_rng(seed)
    times, cpus = [], []
    print(f"(c) one scenario of N actors, {rounds} rounds, preset {preset} (dyads not kept), "
          f"best of {repeat}:")
    for n in sizes:
        x = np.round(rng.uniform(0, 100, (1, n)), 1)
        c = rng.uniform(0.1, 1.0, (1, n))
        s = rng.uniform(0.1, 1.0, (1, n))
        model = make("eum", preset=preset, rounds=rounds, tol=-1, keep_dyads=False)
        steps = make("eum", preset=preset, rounds=rounds, tol=-1, keep_dyads=False, engine="steps")
        run = lambda m=model, x=x, c=c, s=s: m.predict_issue(x, c, s)  # noqa: E731
        t, cpu, got = timed(run, repeat)
        t_s, cpu_s, ref = timed(lambda m=steps, x=x, c=c, s=s: m.predict_issue(x, c, s),
                                max(1, repeat // 2))
        assert np.allclose(got.positions_path, ref.positions_path, atol=1e-9)
        tracemalloc.start()
        run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        times.append(t)
        cpus.append(cpu)
        print(f"    N = {n:>5}: {t:8.3f} s (cpu {cpu:.3f} s), peak memory {peak / 2**20:8.1f} MiB; "
              f"step functions (before) {t_s:.3f} s (cpu {cpu_s:.3f} s), speed-up {t_s / t:.1f}x")
    if len(sizes) >= 2:
        big = [i for i, n in enumerate(sizes) if n >= 100]
        big = big if len(big) >= 2 else list(range(len(sizes)))
        fit = lambda ts: np.polyfit(np.log([sizes[i] for i in big]), np.log([ts[i] for i in big]), 1)[0]  # noqa: E731
        print(f"    fitted growth exponent (time ~ N^k, N >= {sizes[big[0]]}): k = {fit(times):.2f} "
              f"(cpu: {fit(cpus):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--oracle-draws", type=int, default=20)
    parser.add_argument("--sizes", default="10,100,300,1000")
    parser.add_argument("--preset", default="scholz2011", choices=list(PRESETS))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing; the best is shown")
    args = parser.parse_args()
    part_a(args.draws, args.rounds, args.seed, args.preset, args.repeat)
    part_b(args.oracle_draws, args.rounds, args.seed, args.preset)
    part_c([int(v) for v in args.sizes.split(",")], args.rounds, args.seed, args.preset, args.repeat)


if __name__ == "__main__":
    main()
