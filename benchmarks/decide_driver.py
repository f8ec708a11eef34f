"""Run Decide's equal-gain exchange model on a Decide input file and print its CPU time as JSON.

    DECIDE_PYTHON benchmarks/decide_driver.py FILE [--iterations 10]

Run with the Python of an environment where the package `decide-exchange-model` is installed (it
is never a dependency of Standoff; benchmarks/exchange_speed.py starts this script). It drives
Decide's own ModelFactory and ModelLoop (as its command line does) without its observers, so that
the time is the model's, not the SQLite and CSV output's; reading the file is timed apart.
Prints {"read_s", "model_s", "iterations", "nbs": {issue: the last round's outcome}}.
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--iterations", type=int, default=10)
    args = parser.parse_args()
    from decide.data.modelfactory import ModelFactory
    from decide.data.reader import InputDataFile
    from decide.model import equalgain
    from decide.model.observers.observer import Observable
    from decide.model.utils import ModelLoop

    t0 = time.process_time()
    factory = ModelFactory(InputDataFile.open(args.file))
    t1 = time.process_time()
    model = factory(model_klass=equalgain.EqualGainModel, randomized_value=None)
    events = Observable(model_ref=model, output_directory=None)
    loop = ModelLoop(model, events, 0)
    for _ in range(args.iterations):
        loop.loop()
    t2 = time.process_time()
    print(json.dumps({"read_s": t1 - t0, "model_s": t2 - t1, "iterations": args.iterations,
                      "nbs": {str(k): float(v) for k, v in model.nbs.items()}}))


if __name__ == "__main__":
    main()
