"""The exchange model on COP21 against Decide, side by side; labels on and off; the convergence
rule. Prints CPU times and ratios; asserts nothing.

    python benchmarks/exchange_speed.py [--rounds 10] [--draws 500] [--repeat 5]
                                        [--shared ../shared/data] [--decide-python PATH]

The COP21 case is Decide's own example file, `decide-cop21.csv` (15 negotiating groups, 13
issues), read from `--shared` (default: $STANDOFF_SHARED/data, else the first shared/data folder
above the repository, as the tests look for it; it is not bundled: GPL-3). Without it the
benchmark stops.

1. One forecast of COP21 with `--rounds` rounds: Standoff's model (CPU time of `predict`, the
   best of `--repeat`), with the exchanges labelled (as a forecast does) and without; then Decide's
   equal-gain model, when a Python with the package `decide-exchange-model` is given by
   `--decide-python` or the environment variable DECIDE_PYTHON (install it apart, e.g.
   `python3 -m venv /tmp/decide && /tmp/decide/bin/pip install decide-exchange-model`):
   benchmarks/decide_driver.py runs it in that Python (the model loop only, no output files)
   and reports its CPU time; the ratio Decide / Standoff.
2. `--draws` Monte Carlo draws (every capability × U(0.5, 1.5), seeded) as one batch, labels on
   (what every batch did before) and off (what Monte Carlo does now): CPU times, ratio, and the
   largest difference of the forecasts (0: labels change no number).
3. The convergence rule: rounds per draw (mean, max), the share of draws that stopped before the
   round limit, CPU time against `converge=false`, and the largest change of the forecast.

The machine and os.getloadavg() are printed first and last.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path

import numpy as np
from exchange_nash import jitter
from machine import best_cpu, machine

from standoff.models import Batch, make

HERE = Path(__file__).resolve().parent


def shared_data() -> Path | None:
    """$STANDOFF_SHARED/data, else the first shared/data folder above the repository."""
    env = os.environ.get("STANDOFF_SHARED")
    candidates = [Path(env) / "data"] if env else []
    candidates += [p / "shared" / "data" for p in HERE.parents]
    return next((c for c in candidates if c.is_dir()), None)


def decide(python: str, path: Path, rounds: int) -> dict | None:
    cmd = [python, str(HERE / "decide_driver.py"), str(path), "--iterations", str(rounds)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as err:
        print(f"   Decide did not run ({' '.join(cmd)}): {err}")
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--shared", type=Path, default=shared_data())
    parser.add_argument("--decide-python", default=os.environ.get("DECIDE_PYTHON"))
    args = parser.parse_args()
    print(machine())
    path = (args.shared or Path(".")) / "decide-cop21.csv"
    if not path.is_file():
        raise SystemExit(f"{path} not found: give --shared, the folder of decide-cop21.csv")
    from standoff.scenario.formats import read_decide

    base = Batch.from_scenario(read_decide(path))
    model = make("exchange", rounds=args.rounds)
    t_named, named = best_cpu(lambda: model.predict(base, labels=True), args.repeat)
    t_bare, bare = best_cpu(lambda: model.predict(base, labels=False), args.repeat)
    print(f"\n1. COP21 ({base.shape[1]} actors, {base.shape[2]} issues), {args.rounds} rounds, "
          f"{len(named.detail['exchanges'][0]):,} exchanges; best of {args.repeat}")
    print(f"   Standoff, labelled (a forecast): {t_named:.3f} s CPU; unlabelled: {t_bare:.3f} s")
    if args.decide_python:
        got = decide(args.decide_python, path, args.rounds)
        if got is not None:
            print(f"   Decide (equal gain, {got['iterations']} iterations, model loop only): "
                  f"{got['model_s']:.2f} s CPU (reading the file {got['read_s']:.3f} s)")
            print(f"   ratio Decide / Standoff: x{got['model_s'] / t_named:.0f} (labelled), "
                  f"x{got['model_s'] / t_bare:.0f} (unlabelled)")
    else:
        print("   Decide: not run (give --decide-python or DECIDE_PYTHON)")
    batch = jitter(base, args.draws, args.seed)
    t_on, on = best_cpu(lambda: model.predict(batch, labels=True), 1)
    t_off, off = best_cpu(lambda: model.predict(batch, labels=False), 1)
    print(f"\n2. {args.draws:,} Monte Carlo draws: labels on {t_on:.2f} s CPU, off {t_off:.2f} s: "
          f"ratio x{t_on / t_off:.2f}; "
          f"{sum(len(e) for e in on.detail['exchanges']):,} exchanges labelled; largest difference "
          f"{np.abs(on.values - off.values).max():.1e}")
    t_fixed, fixed = best_cpu(lambda: make("exchange", rounds=args.rounds, converge=False)
                              .predict(batch), 1)
    r = off.rounds[:, 0]
    print(f"\n3. convergence: rounds per draw mean {r.mean():.2f}, max {r.max()}; "
          f"{off.converged[:, 0].mean():.1%} of draws stopped before round {args.rounds}; "
          f"converge=false {t_fixed:.2f} s CPU (ratio x{t_fixed / t_off:.2f}); largest change "
          f"of the forecast {np.abs(off.values - fixed.values).max():.1e}")
    print(f"\nload average at the end: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
