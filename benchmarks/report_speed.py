"""CPU time of `standoff report korea-2018`, whole and phase by phase, for this tree and a base commit.

    python benchmarks/report_speed.py [--base REV] [--repeat 3] [--case korea-2018]
                                      [--sensitivity] [--monte-carlo N]

The whole command runs in a child process (`standoff report CASE -o TMP`, recorded into a
throw-away run store) and its CPU time, user + system, is read with `getrusage(RUSAGE_CHILDREN)`;
the least of `--repeat` runs is the figure (load from other programs only adds to it), the median
is printed beside it. A second child runs the same steps in-process and times each phase with
`time.process_time()`: imports, loading the case, the report task step by step (model runs = the
forecasts step, drivers = leave-one-out and tornado, the other parts), then the rendering (the
plotting code and its layout, the drawing and PNG encoding inside `standoff.report.style.save`) and
writing the HTML and Markdown. `--sensitivity` and `--monte-carlo N` are passed on to the report
(the parts that share the drivers' tornado and the point forecasts).

With `--base REV` the same is measured for that commit, checked out with `git worktree add
--detach` into a temporary folder (removed at the end), and the ratio base / this tree printed.
The machine, its CPU count and `os.getloadavg()` before and after are printed too: on a loaded
machine CPU times grow (shared caches and cores), so compare figures taken in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import machine

ROOT = Path(__file__).resolve().parents[1]

WHOLE = r"""
import sys
from standoff.cli import run
sys.argv = ["standoff", "report", sys.argv[1], "-o", sys.argv[2], *sys.argv[3:]]
sys.exit(run())
"""

PHASES = r"""
import json, sys, time
clock = time.process_time
marks = []
t = clock()
import standoff
import standoff.report.document as document
import standoff.report.style as style
from standoff.tasks import report
marks.append(("imports", clock() - t))
t = clock()
s = standoff.load(sys.argv[1])
marks.append(("loading the case", clock() - t))
steps = []
def progress(label, done, total):
    steps.append((label, clock()))
t = clock()
bundle = report.run(s, progress=progress, **json.loads(sys.argv[3]))
for (label, start), (_, end) in zip(steps, steps[1:]):
    marks.append(("task: " + label, end - start))
saving = [0.0]
save = style.save
def timed_save(fig, path=None, **kw):
    t0 = clock()
    try:
        return save(fig, path, **kw)
    finally:
        if path is not None:
            saving[0] += clock() - t0
style.save = timed_save
t = clock()
doc = document.build_document(bundle)
built = clock() - t
marks.append(("rendering: plotting and layout", built - saving[0]))
marks.append(("rendering: drawing and PNG", saving[0]))
t = clock()
document.write_report(doc, sys.argv[2])
marks.append(("HTML, Markdown and files", clock() - t))
json.dump({"marks": marks, "figures": len(doc.figures)}, sys.stdout)
"""

#: How the phases are grouped in the summary (the rest: "other").
GROUPS = {"task: forecasts": "model runs (forecasts)", "task: drivers": "drivers (leave-one-out, tornado)",
          "rendering: plotting and layout": "rendering", "rendering: drawing and PNG": "rendering",
          "imports": "imports", "loading the case": "imports", "task: sensitivity": "sensitivity (tornado)"}


def group_of(label: str) -> str:
    if label.startswith("task: Monte Carlo"):
        return "Monte Carlo"
    return GROUPS.get(label, "other parts, HTML, Markdown, files")


def child_env(src: Path, tmp: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(src), MPLBACKEND="Agg",
                STANDOFF_DB=f"sqlite:///{tmp / 'runs.sqlite'}")


def whole_cpu(src: Path, case: str, options: dict) -> float:
    """CPU seconds (user + system) of one `standoff report CASE` in a child process."""
    flags = (["--sensitivity"] if options.get("sensitivity") else []) + \
        (["--monte-carlo", str(options["monte_carlo"])] if options.get("monte_carlo") else [])
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", WHOLE, case, str(Path(tmp) / "out"), *flags],
                       env=child_env(src, Path(tmp)), check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def phases(src: Path, case: str, options: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([sys.executable, "-c", PHASES, case, str(Path(tmp) / "out"),
                               json.dumps(options)],
                              env=child_env(src, Path(tmp)), check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def measure(name: str, src: Path, case: str, repeat: int, options: dict) -> dict:
    runs = [whole_cpu(src, case, options) for _ in range(repeat)]
    ph = phases(src, case, options)
    print(f"\n{name}: whole command {min(runs):.2f} s CPU (least of {repeat}; median "
          f"{statistics.median(runs):.2f}; runs {', '.join(f'{r:.2f}' for r in runs)})")
    total = sum(v for _, v in ph["marks"])
    print(f"  in-process phases ({ph['figures']} figures), {total:.2f} s CPU in all:")
    for label, v in ph["marks"]:
        print(f"    {label:40s} {v:6.2f} s  {100 * v / total:4.0f} %")
    grouped: dict[str, float] = {}
    for label, v in ph["marks"]:
        group = group_of(label)
        grouped[group] = grouped.get(group, 0.0) + v
    print("  grouped: " + "; ".join(f"{k} {v:.2f} s" for k, v in grouped.items()))
    return {"whole": min(runs), "phases": dict(ph["marks"]), "grouped": grouped}


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a commit to compare with (checked out with git worktree)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the whole command per tree")
    parser.add_argument("--case", default="korea-2018", help="the case to report on")
    parser.add_argument("--sensitivity", action="store_true", help="add the tornado section")
    parser.add_argument("--monte-carlo", type=int, default=0, help="Monte Carlo draws per model")
    args = parser.parse_args()
    options = {"sensitivity": args.sensitivity, "monte_carlo": args.monte_carlo}
    print(f"report: {args.case}" + (" --sensitivity" if args.sensitivity else "")
          + (f" --monte-carlo {args.monte_carlo}" if args.monte_carlo else ""))
    print(machine())
    print(f"load average (1, 5, 15 min) before: {load()}")
    head = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()
    this = measure(f"this tree ({head})", ROOT / "src", args.case, args.repeat, options)
    if args.base:
        with tempfile.TemporaryDirectory() as tmp:
            where = Path(tmp) / "base"
            subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(where), args.base],
                           cwd=ROOT, check=True)
            try:
                base = measure(f"base ({args.base})", where / "src", args.case, args.repeat, options)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(where)], cwd=ROOT, check=True)
        print(f"\nratio base / this tree, whole command: {base['whole'] / this['whole']:.2f}x "
              f"({base['whole']:.2f} s -> {this['whole']:.2f} s CPU)")
        for group in this["grouped"]:
            b, t = base["grouped"].get(group, 0.0), this["grouped"][group]
            print(f"  {group:40s} {b:6.2f} s -> {t:6.2f} s" + (f"  ({b / t:.2f}x)" if t > 0 else ""))
    print(f"\nload average (1, 5, 15 min) after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
