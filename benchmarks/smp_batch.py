"""SMP on the batch axis: CPU time against the per-draw loop it replaced, the stopping rules, and
peak memory at 1,000 actors. Prints numbers; asserts nothing.

    python benchmarks/smp_batch.py [--draws 2000] [--ref-draws 2000] [--fixed-draws 200]
                                   [--actors 1000] [--ref-actors 150] [--skip-memory]

0. Peak memory of one turn at `--actors` actors × 2 issues (random, seeded), in a fresh process:
   the child's high-water resident set (VmHWM, and its increase over the same child on 10
   actors) and ru_maxrss (which on Linux can keep the size of the parent it was forked from);
   beside it, the memory estimate of models/budget.py and what the N³ arrays of the loop would
   have needed (its coalition arrays: 8·N³ bytes each). The loop itself is measured at
   `--ref-actors` actors (default 150), where it fits.
1. `--draws` Monte Carlo draws of `korea-2018` (11 actors, 4 issues, seed 42) as one batch
   through the model, against `--ref-draws` of the same draws through the per-draw loop
   (tests/models/smp_reference.py, the code before this change); CPU time (process_time) of
   each, per draw, their ratio, and the largest difference of the forecasts.
2. Rounds (turns) per draw, mean and max, and the share of draws stopped by a rule before the
   cap (KTAB's 2% rule or no move above 10⁻⁶ of the range in two turns), against `converge=false`
   (every draw runs all 100 turns) on `--fixed-draws` draws: CPU ratio and the largest change of
   the forecast.

The machine (CPU count, platform) and os.getloadavg() are printed first: on a loaded machine the
CPU times still hold, the wall clock does not.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from machine import machine

HERE = Path(__file__).resolve().parent

CHILD = """
import json, resource, sys, time
import numpy as np
sys.path.insert(0, {tests!r})
n, k, which = {n}, 2, {which!r}
rng = np.random.default_rng(0)
x = rng.uniform(0, 100, (1, n, k)); sal = rng.uniform(0.1, 0.5, (1, n, k)); cap = rng.uniform(1, 100, (1, n))
t = time.process_time()
if which == "batch":
    from standoff.models.smp import run_turns
    run_turns(x / 100, sal, cap, max_turns=1)
else:
    import smp_reference as ref
    ref.turn(x[0] / 100, sal[0], cap[0])
cpu = time.process_time() - t
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({{"cpu": cpu, "hwm_kib": hwm,
                  "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def cpu(fn):
    t = time.process_time()
    out = fn()
    return out, time.process_time() - t


def korea_batch(draws: int, seed: int = 42):
    import standoff
    from standoff.analysis import Space
    from standoff.analysis.montecarlo import chunk_draws

    space = Space.build(standoff.load("korea-2018"))
    member, u = chunk_draws(space, seed, 0, draws)
    return space.batch(space.draw(member, u))


def speed(args) -> None:
    sys.path.insert(0, str(HERE.parent / "tests" / "models"))
    import smp_reference as ref

    from standoff.models import make

    batch = korea_batch(args.draws)
    pred, t_new = cpu(lambda: make("smp").predict(batch))
    m = min(args.ref_draws, args.draws)
    old, t_old = cpu(lambda: ref.reference_predict(batch.positions[:m], batch.salience[:m],
                                                   batch.capability[:m], batch.low, batch.high))
    diff = np.abs(pred.values[:m] - old[0]).max()
    print(f"\n1. korea-2018, {args.draws:,} Monte Carlo draws (seed 42)")
    print(f"   batched:           {t_new:7.2f} s CPU  ({1e3 * t_new / args.draws:.2f} ms a draw)")
    print(f"   per-draw loop:     {t_old:7.2f} s CPU on {m:,} draws  "
          f"({1e3 * t_old / m:.2f} ms a draw)")
    print(f"   ratio (per draw):  x{(t_old / m) / (t_new / args.draws):.1f}; largest difference of "
          f"the forecasts {diff:.1e}; same turns: {bool((pred.rounds[:m, 0] == old[3]).all())}")
    turns = pred.rounds[:, 0]
    print(f"\n2. stopping rules: turns per draw mean {turns.mean():.2f}, max {turns.max()}; "
          f"{pred.converged[:, 0].mean():.1%} of draws stopped before the cap of 100")
    f = min(args.fixed_draws, args.draws)
    sub = korea_batch(f)
    conv, t_conv = cpu(lambda: make("smp").predict(sub))
    fixed, t_fixed = cpu(lambda: make("smp", converge=False).predict(sub))
    print(f"   on {f:,} draws: with the rules {t_conv:.2f} s CPU, converge=false (100 turns each) "
          f"{t_fixed:.2f} s: ratio x{t_fixed / t_conv:.1f}; largest change of the forecast "
          f"{np.abs(conv.values - fixed.values).max():.3f} points "
          f"(scales {batch.low.min():g}..{batch.high.max():g}); KTAB's 2% rule stops runs that "
          f"still move")
    only, t_only = cpu(lambda: make("smp", min_ratio=0.0).predict(sub))
    done = only.converged[:, 0]
    change = np.abs(only.values[done] - fixed.values[done]).max() if done.any() else float("nan")
    print(f"   without the 2% rule (min_ratio=0; only no move above 10⁻⁶ in two turns): "
          f"{t_only:.2f} s CPU, ratio x{t_fixed / t_only:.1f}; turns mean "
          f"{only.rounds[:, 0].mean():.1f}, max {only.rounds[:, 0].max()}; {done.mean():.1%} "
          f"converged; largest change from converge=false where converged {change:.1e}")


def child(n: int, which: str) -> dict:
    code = CHILD.format(tests=str(HERE.parent / "tests" / "models"), n=n, which=which)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory(args) -> None:
    from standoff.models import budget
    from standoff.scenario.yamlsafe import human

    print("\n0. peak memory of one turn, 2 issues (fresh process; less the same process on 10 "
          "actors)")
    base = {w: child(10, w) for w in ("batch", "loop")}
    for which, n in (("loop", args.ref_actors), ("batch", args.ref_actors), ("batch", args.actors)):
        got = child(n, which)
        hwm = (got["hwm_kib"] - base[which]["hwm_kib"]) * 1024
        label = "per-draw loop" if which == "loop" else "batched"
        print(f"   {label:13s} N={n:5,}: VmHWM {human(got['hwm_kib'] * 1024)} (+{human(max(hwm, 0))} "
              f"over N=10), ru_maxrss {human(got['maxrss_kib'] * 1024)} (N=10: "
              f"{human(base[which]['maxrss_kib'] * 1024)}), {got['cpu']:.1f} s CPU; estimate "
              f"{human(budget.estimate_memory('smp', n, 2))}"
              + (f"; the loop's coalition arrays alone: {human(8.0 * n ** 3)} each"
                 if which == "batch" and n == args.actors else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--ref-draws", type=int, default=2000)
    parser.add_argument("--fixed-draws", type=int, default=200)
    parser.add_argument("--actors", type=int, default=1000)
    parser.add_argument("--ref-actors", type=int, default=150)
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    print(machine())
    if not args.skip_memory:  # first, while this process is small (ru_maxrss keeps its size)
        memory(args)
    speed(args)
    print(f"\nload average at the end: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
