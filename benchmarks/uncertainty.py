"""Monte Carlo speed and memory: batched vs one by one, process pool vs Dask; prints ratios only.

    python benchmarks/uncertainty.py [--model NAME] [--draws 10000] [--sizes 100000 1000000]
                                     [--workers 2] [--chunk 2000] [--skip-dask] [--param K=V]

The EC emissions case with France's position triangular (8, 10, 12) and Germany's (2, 4, 7).
Those ranges reach past the case's 4–10 scale, so the benchmark widens the scale to 2–12 (draws are
clipped to the scale, and the point is to time the draws as given). The model defaults to `eum`
when it is registered, else `compromise`; a model with a `rounds` parameter runs 10 rounds.

1. `--draws` draws forecast as one batch vs one scenario at a time (same numbers, speed-up).
2. each of `--sizes` draws through a local process pool and a 2-worker dask.distributed
   LocalCluster: seconds, draws per second, Dask/pool ratio, and the scaling ratio from the
   smallest size to the largest (10 × the draws should take about 10 × the time).
3. peak memory: traced allocation of one chunk vs the same draws as one unchunked batch, and the
   largest run's results (D × K floats), which is all that grows with the draws.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

import standoff
from standoff.analysis import DaskExecutor, ProcessExecutor, Space, monte_carlo
from standoff.analysis.montecarlo import Task, chunk_draws, run_chunk
from standoff.models import available, make_model, parse_params
from standoff.scenario import Value


def benchmark_case():
    s = standoff.load("ec-emissions-1994")
    ranges = {"france": Value(mode=10, low=8, high=12), "germany": Value(mode=4, low=2, high=7)}
    actors = tuple(a.model_copy(update={"positions": {"emissions-date": ranges[a.id]}})
                   if a.id in ranges else a for a in s.actors)
    issues = tuple(i.model_copy(update={"min": 2.0, "max": 12.0}) for i in s.issues)
    return s.model_copy(update={"actors": actors, "issues": issues})


def build_model(name: str, extra: list[str]):
    params = {"rounds": 10} if "rounds" in available()[name].params else {}
    return make_model(name, params | parse_params(extra, available()[name].params))


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def batched_vs_single(scenario, model, draws: int, seed: int) -> None:
    space = Space.build(scenario)
    member, u = chunk_draws(space, seed, 0, draws)
    x = space.draw(member, u)
    together, t_batch = timed(lambda: model.predict(space.batch(x)).values)
    alone, t_single = timed(lambda: np.vstack([model.predict(space.batch(x[d:d + 1])).values
                                                for d in range(draws)]))
    diff = float(np.max(np.abs(together - alone)))
    print(f"[1] {model.name}, {draws} draws: batched {t_batch:.3f} s, one by one {t_single:.2f} s, "
          f"ratio {t_single / t_batch:.0f}x (max |difference| {diff:.1e})")


def scaling(scenario, model, sizes: list[int], workers: int, chunk: int, seed: int, dask: bool) -> None:
    runs: dict[str, list[float]] = {"pool": [], "dask": []}
    results = {}
    with ProcessExecutor(workers) as pool:
        monte_carlo(scenario, model, draws=chunk * workers, seed=seed, executor=pool, chunk=chunk)  # warm
        for n in sizes:
            mc, t = timed(lambda n=n: monte_carlo(scenario, model, draws=n, seed=seed, executor=pool,
                                                  chunk=chunk, progress=False))
            runs["pool"].append(t)
            results[n] = mc.values
            print(f"[2] process pool ({workers} workers), {n:>9,} draws: {t:8.2f} s, "
                  f"{n / t:>12,.0f} draws/s")
    if dask:
        with DaskExecutor("local", workers=workers) as ex:
            monte_carlo(scenario, model, draws=chunk * workers, seed=seed, executor=ex, chunk=chunk,
                        progress=False)  # warm
            for n in sizes:
                mc, t = timed(lambda n=n: monte_carlo(scenario, model, draws=n, seed=seed, executor=ex,
                                                      chunk=chunk, progress=False))
                runs["dask"].append(t)
                same = np.array_equal(mc.values, results[n])
                ratio = t / runs["pool"][sizes.index(n)]
                print(f"[2] dask LocalCluster ({ex.workers} workers), {n:>9,} draws: {t:8.2f} s, "
                      f"{n / t:>12,.0f} draws/s; dask/pool time ratio {ratio:.2f}; "
                      f"identical to the pool's draws: {same}")
    for name, times in runs.items():
        if len(times) > 1:
            print(f"[2] {name}: {sizes[-1] // sizes[0]}x the draws took {times[-1] / times[0]:.1f}x the time")


def memory(scenario, model, chunk: int, draws: int, seed: int, largest: int) -> None:
    space = Space.build(scenario)
    tracemalloc.start()
    run_chunk((space, model), Task(0, chunk, seed=seed))
    _, per_chunk = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    run_chunk((space, model), Task(0, draws, seed=seed))
    _, whole = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    k = space.base.shape[2]
    print(f"[3] peak traced memory: one chunk of {chunk:,} draws {per_chunk / 2**20:.1f} MiB; "
          f"{draws:,} draws unchunked {whole / 2**20:.1f} MiB (ratio {whole / per_chunk:.0f}x); "
          f"the {largest:,}-draw run keeps {largest * k * 8 / 2**20:.1f} MiB of results "
          "plus one chunk per worker")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = "eum" if "eum" in available() else "compromise"
    parser.add_argument("--model", default=default)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--param", action="append", default=[], help="model parameter KEY=VALUE")
    args = parser.parse_args()
    scenario, model = benchmark_case(), build_model(args.model, args.param)
    print(f"model {model!r}; inputs: France (8, 10, 12), Germany (2, 4, 7) on a 2–12 scale")
    batched_vs_single(scenario, model, args.draws, args.seed)
    scaling(scenario, model, sorted(args.sizes), args.workers, args.chunk, args.seed, not args.skip_dask)
    memory(scenario, model, args.chunk, max(args.sizes[0], args.chunk), args.seed, max(args.sizes))


if __name__ == "__main__":
    main()
