"""Start-up of the command line: the CPU time and the imports of `standoff --help` and of each verb.

    python benchmarks/startup.py                      # this checkout; rewrites benchmarks/imports-by-verb.txt
    python benchmarks/startup.py --base main          # and a base commit, side by side (before/after)
    python benchmarks/startup.py --repeat 5 --only help,validate --no-write

Each verb runs in a fresh interpreter (`python -c`, the same code path as the `standoff` command),
on the built-in case korea-2018 where it needs one, with the run store in a temporary folder.
Printed per verb:

- CPU time: user + system time of the child process (resource.getrusage(RUSAGE_CHILDREN)), the
  best of `--repeat` runs (CPU time, not wall time, because wall time swings with the machine's load);
- import time: the cumulative time of every import in one run under `python -X importtime`
  (that run is separate: the flag itself costs time);
- the heavy packages the verb loaded, with the import time of each (a library named lazily,
  `standoff.lazy.load`, and never used was not imported: it does not count).

With `--base REV` the same verbs run on REV's source (checked out with `git worktree` into a temporary
folder, same interpreter and dependencies) and each line gets the before/after ratio. The machine,
its processor count and its load average (os.getloadavg, before and after) are printed with the
figures; run it on a quiet machine for figures to compare with the goal (`standoff --help` ≤ 0.5 s
CPU, docs/issue #20).

The list of the packages each verb imports (heavy ones and every other third-party top-level package)
goes to benchmarks/imports-by-verb.txt unless --no-write: a change of that file in a diff shows a
verb that started to load something new.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from machine import machine

ROOT = Path(__file__).resolve().parent.parent
CASE = "korea-2018"
HEAVY = ("pandas", "sqlalchemy", "matplotlib", "scipy", "SALib", "dask", "fastapi", "uvicorn", "jinja2",
         "pydantic", "numpy")

#: (label, arguments): every verb, and --help of the verbs whose real runs take seconds.
VERBS: list[tuple[str, list[str]]] = [
    ("help", ["--help"]),
    ("version", ["--version"]),
    ("cases", ["cases"]),
    ("show", ["show", CASE]),
    ("validate", ["validate", CASE]),
    ("forecast", ["forecast", CASE]),
    ("timeline", ["timeline", CASE]),
    ("dyads", ["dyads", CASE, "--actor", "kim-jong-un"]),
    ("dynamics", ["dynamics", CASE]),
    ("winsets", ["winsets", CASE]),
    ("crisis", ["crisis", CASE, "--between", "united-states", "north-korea"]),
    ("sensitivity", ["sensitivity", CASE, "--draws", "200", "--sobol", "0", "--workers", "1"]),
    ("sensitivity --help", ["sensitivity", "--help"]),
    ("compare --help", ["compare", "--help"]),
    ("levers --help", ["levers", "--help"]),
    ("explain --help", ["explain", "--help"]),
    ("events --help", ["events", "--help"]),
    ("draft --help", ["draft", "--help"]),
    ("docs", ["docs", "limits"]),
    ("runs list", ["runs", "list"]),
    ("report --help", ["report", "--help"]),
    ("serve --help", ["serve", "--help"]),
    ("backtest --help", ["backtest", "--help"]),
]

#: Runs the command line as the `standoff` script does, then writes the modules loaded to $STARTUP_MODULES
#: (a module that importlib.util.LazyLoader holds but nothing has used yet is left out).
RUNNER = """
import atexit, importlib.util, json, os, sys
def _dump():
    path = os.environ.get("STARTUP_MODULES")
    if path:
        lazy = importlib.util._LazyModule
        names = sorted(n for n, m in list(sys.modules.items()) if m is not None and not isinstance(m, lazy))
        with open(path, "w") as f:
            json.dump(names, f)
atexit.register(_dump)
sys.argv = ["standoff"] + json.loads(os.environ["STARTUP_ARGS"])
from standoff.cli import run
run()
"""


@dataclass
class Measure:
    cpu: float  # seconds, best of the repeats
    imports: float  # seconds, cumulative import time (-X importtime)
    status: int
    heavy: dict[str, float] = field(default_factory=dict)  # package -> its cumulative import time (s)
    third_party: list[str] = field(default_factory=list)


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_verb(src: Path, args: list[str], env: dict[str, str], *, importtime: bool,
             modules: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    env = dict(env, STARTUP_ARGS=json.dumps(args), PYTHONPATH=str(src))
    if modules is not None:
        env["STARTUP_MODULES"] = str(modules)
    command = [sys.executable] + (["-X", "importtime"] if importtime else []) + ["-c", RUNNER]
    before = child_cpu()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=src.parent)
    return child_cpu() - before, done


def import_times(stderr: str) -> tuple[float, dict[str, float]]:
    """Total import time (the cumulative times of the outermost imports) and each top-level
    package's cumulative time (its outermost entries: a package that lazy_loader loads shows up as
    its submodules), in seconds, from `-X importtime` lines."""
    entries = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        _, cumulative, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        entries.append((depth, name.strip().split(".")[0], int(cumulative) / 1e6))
    total, top = 0.0, {}
    stack: list[tuple[int, str]] = []  # the entries enclosing the current one (lines come children first)
    for depth, package, seconds in reversed(entries):
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if depth == 0:
            total += seconds
        if all(p != package for _, p in stack):
            top[package] = top.get(package, 0.0) + seconds
        stack.append((depth, package))
    return total, top


def measure(src: Path, args: list[str], env: dict[str, str], repeat: int) -> Measure:
    cpus = []
    for _ in range(repeat):
        cpu, done = run_verb(src, args, env, importtime=False)
        cpus.append(cpu)
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "modules.json"
        _, done = run_verb(src, args, env, importtime=True, modules=listing)
        loaded = json.loads(listing.read_text()) if listing.exists() else []
    total, top = import_times(done.stderr)
    packages = sorted({name.split(".")[0] for name in loaded})
    stdlib = set(sys.stdlib_module_names)
    third = [p for p in packages if p not in stdlib and not p.startswith("_") and p != "standoff"
             and importlib.util.find_spec(p) is not None]  # not a module a C extension registers
    heavy = {p: top.get(p, 0.0) for p in HEAVY if p in packages}
    return Measure(min(cpus), total, done.returncode, heavy, third)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def checkout(rev: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(where), rev],
                   check=True)
    return where / "src"


def listing(results: dict[str, Measure]) -> str:
    lines = ["# Packages each verb of the command line imports (written by benchmarks/startup.py).",
             f"# Heavy: {', '.join(HEAVY)}; then every other third-party top-level package.",
             "# A verb runs on the built-in case korea-2018 where it needs one.", ""]
    for label, args in VERBS:
        if label not in results:
            continue
        m = results[label]
        lines.append(f"standoff {' '.join(args)}")
        lines.append(f"  heavy: {', '.join(m.heavy) or '(none)'}")
        lines.append(f"  other: {', '.join(p for p in m.third_party if p not in m.heavy) or '(none)'}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="a git revision to compare with (before/after ratios)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per verb for the CPU time (best of)")
    parser.add_argument("--only", help="comma-separated labels of the verbs to run (default: all)")
    parser.add_argument("--write", type=Path, default=ROOT / "benchmarks" / "imports-by-verb.txt",
                        help="where the per-verb import list goes")
    parser.add_argument("--no-write", action="store_true", help="do not write the import list")
    opts = parser.parse_args()
    verbs = [(label, args) for label, args in VERBS
             if not opts.only or label in {x.strip() for x in opts.only.split(",")}]

    print(machine())
    print(f"load average (1, 5, 15 min) before: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, STANDOFF_DB=str(Path(tmp) / "runs.sqlite"), COLUMNS="100")
        env.pop("PYTHONPATH", None)
        sources = {"after": ROOT / "src"}
        try:
            if opts.base:
                sources["before"] = checkout(opts.base, Path(tmp) / "base")
            results: dict[str, dict[str, Measure]] = {name: {} for name in sources}
            for label, args in verbs:
                for name, src in sources.items():
                    results[name][label] = measure(src, args, env, opts.repeat)
        finally:
            if opts.base:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                str(Path(tmp) / "base")], check=False)
    print(f"load average (1, 5, 15 min) after:  {load()}")
    print(f"CPU: user+system seconds, best of {opts.repeat}; imports: cumulative -X importtime seconds "
          "(wall clock: on a loaded machine it exceeds the CPU time)"
          + (f"; before = {opts.base}" if opts.base else ""))
    print()
    head = f"{'verb':<20} {'CPU s':>6} {'import s':>8}"
    if opts.base:
        head += f" {'before':>7} {'ratio':>6}"
    print(head + "  heavy packages loaded (import s)")
    for label, _ in verbs:
        m = results["after"][label]
        line = f"{label:<20} {m.cpu:6.2f} {m.imports:8.2f}"
        if opts.base:
            b = results["before"][label]
            line += f" {b.cpu:7.2f} {b.cpu / m.cpu:5.1f}×"
        heavy = ", ".join(f"{p} {t:.2f}" for p, t in m.heavy.items()) or "-"
        print(f"{line}  {heavy}" + ("" if m.status == 0 else f"  [exit status {m.status}]"))
        if opts.base:
            gone = [p for p in results["before"][label].heavy if p not in m.heavy]
            if gone:
                print(f"{'':<20} no longer loaded: {', '.join(gone)}")
    if not opts.no_write:
        if opts.only:
            print("(--only: the import list is not written)")
        else:
            opts.write.write_text(listing(results["after"]))
            print(f"wrote {opts.write.relative_to(ROOT) if opts.write.is_relative_to(ROOT) else opts.write}")


if __name__ == "__main__":
    main()
