"""Byte-compare what every verb prints, at a git commit vs the working tree (no behaviour change).

    python benchmarks/compare_json.py [--base f985a14] [--save DIR] [--before DIR] [--formats json]

Runs every verb that takes `--format json` on the built-in cases (and a small GDELT file for the
event verbs) twice, in two child processes: once with the source tree of the commit `--base`
(extracted with `git archive` into a temporary folder) and once with the working tree's `src/`. Each
child runs the invocations in-process through `standoff.cli.run` and keeps, per invocation, the exit
status, stdout and stderr. Each recorded run is read back from the child's own run store
(`runs export`), and `runs list` / `runs show` / `runs diff` are run at the end.

What is not compared, because it differs from run to run by design:
- in the run store's JSON: the keys `id` and `created_at` (the run id, the time of recording);
- stderr lines of a progress bar (they depend on the speed of the machine);
- the temporary folders: the source folder reads SRC and the working folder TMP.

`--formats json table markdown` also compares the other two formats (tables at 160 columns).
`--before DIR` reads the base outputs saved earlier by `--save DIR` instead of running the base.
Prints one line per differing invocation and exits 1 if any differs, else prints the count and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MASKED = {"id", "created_at"}
GDELT_ROWS = [("20180301", "USA", "UNITED STATES", "PRK", "NORTH KOREA", "190"),
              ("20180302", "PRK", "NORTH KOREA", "USA", "UNITED STATES", "036"),
              ("20180302", "PRK", "NORTH KOREA", "USA", "UNITED STATES", "036"),
              ("20180309", "KOR", "SOUTH KOREA", "PRK", "NORTH KOREA", "040"),
              ("20180311", "CHN", "CHINA", "PRK", "NORTH KOREA", "112")]


def _gdelt_file(folder: Path) -> Path:
    """Five GDELT 1.0 rows (57 columns) between the Korea actors, one a duplicate."""
    lines = []
    for n, (date, a1, a1name, a2, a2name, code) in enumerate(GDELT_ROWS):
        f = [""] * 57
        f[0], f[1], f[5], f[6], f[7] = str(n + 1), date, a1 + "GOV", a1name, a1
        f[15], f[16], f[17], f[26], f[30] = a2 + "MIL", a2name, a2, code, "-10"
        lines.append("\t".join(f))
    path = folder / "events.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path


def invocations(folder: Path) -> list[list[str]]:
    """The command lines run on each side (without --format)."""
    from standoff.data import case_names
    from standoff.loading import load

    runs = [["cases"]]
    for case in case_names():
        s = load(case)
        sides = list(s.group_ids[:2]) if len(s.group_ids) >= 2 else [a.id for a in s.actors[:2]]
        first = s.actors[0].id
        runs += [["show", case], ["show", case, "--as-of", "baseline"], ["validate", case],
                 ["forecast", case], ["timeline", case], ["winsets", case],
                 ["crisis", case, "--between", *sides], ["levers", case, "--for", first, "--top", "3"],
                 ["compare", case, "--what-if", f"without {first}"],
                 ["dyads", case, "--actor", first],
                 ["sensitivity", case, "--draws", "100", "--sobol", "0", "--workers", "1"]]
        if s.group_ids:
            runs.append(["levers", case, "--widen", s.group_ids[0], "--top", "3"])
    events = str(_gdelt_file(folder))
    bad = folder / "bad.yaml"
    bad.write_text("id: bad\nissues: []\nactors: [{id: x}]\n")
    runs += [
        ["forecast", "korea-2018", "--explain", "-m", "compromise"],
        ["forecast", "korea-2018", "-m", "eum", "--rounds", "3", "--as-of", "baseline"],
        ["forecast", "korea-2018", "-m", "eum", "-m", "smp", "-p", "eum.rounds=2"],
        ["forecast", "korea-2018", "-m", "nosuchmodel"],
        ["forecast", "korea-2018", "-p", "nosuchparam=1"],
        ["validate", str(bad)],
        ["sensitivity", "korea-2018", "--draws", "64", "--sobol", "8", "--noise", "--workers", "1",
         "--without", "bolton", "--set", "trump.capability=+20%"],
        ["compare", "korea-2018", "--what-if", "without bolton", "--draws", "40", "--workers", "1",
         "-m", "compromise"],
        ["compare", "korea-2018"],
        ["levers", "korea-2018", "--widen", "united-states", "--joint", "--top", "2", "-m", "median"],
        ["levers", "korea-2018"],
        ["dynamics", "korea-2018"],
        ["dynamics", "korea-2018", "-p", "deadline=6"],
        ["crisis", "korea-2018", "--between", "united-states", "north-korea", "--dynamic",
         "--signal", "prior=0.3", "--lambda", "4"],
        ["crisis", "korea-2018"],
        ["winsets", "korea-2018", "--joint", "-m", "median"],
        ["timeline", "korea-2018", "-m", "eum", "-p", "rounds=3", "--until", "2018-04-30"],
        ["dyads", "korea-2018", "--actor", "kim", "--round", "2", "-p", "preset=scholz2011"],
        ["events", "beliefs", "korea-2018"],
        ["events", "beliefs", "korea-2018", "-m", "compromise", "--until", "2018-04-01"],
        ["events", "beliefs", "korea-2018", "--events", events, "--from", "gdelt1"],
        ["explain", "korea-2018"],
        ["explain", "korea-2018", "--events", events],
        ["events", "import", events, "--scenario", "korea-2018", "--no-progress"],
        ["events", "import", events, "--no-progress"],
        ["events", "summary", events, "--scenario", "korea-2018", "--no-progress"],
        ["backtest", "korea-2018", "iran-2015", "-m", "compromise,median", "--bootstrap", "50"],
        ["backtest", "korea-2018", "-m", "compromise", "--draws", "20"],
    ]
    return runs


def _mask(value):
    if isinstance(value, dict):
        return {k: ("*" if k in MASKED else _mask(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def _no_bars(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if "━" not in line and "\r" not in line)


def _one(args: list[str]) -> dict:
    from standoff.cli import run

    stdout, stderr = io.StringIO(), io.StringIO()
    sys.argv = ["standoff", *args]
    code = None
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            run()
        except SystemExit as exc:
            code = exc.code
        except Exception as exc:  # noqa: BLE001 - a crash is an output too
            code = f"{type(exc).__name__}: {exc}"
    return {"rc": code, "stdout": stdout.getvalue(), "stderr": _no_bars(stderr.getvalue())}


def drive(out: Path, formats: list[str]) -> None:
    """Child side: run every invocation in this process, write {label: output} to `out`."""
    import standoff
    from standoff.store import RunStore

    src = str(Path(standoff.__file__).resolve().parents[1])
    folder = Path(tempfile.mkdtemp(prefix="standoff-compare-"))
    db = str(folder / "runs.db")
    os.environ["STANDOFF_DB"] = db
    os.chdir(folder)
    found: dict[str, dict] = {}
    seen = 0
    for args in invocations(folder):
        for fmt in formats:
            label = " ".join(args + ["--format", fmt]).replace(str(folder), "TMP")
            result = _one(args + ["--format", fmt])
            store = RunStore(db)
            new = [r.id for r in store.runs(limit=1000) if r.id > seen]
            result["recorded"] = [_mask(store.export(i)) for i in sorted(new)]
            store.close()
            seen = max([seen, *new])
            text = json.dumps(result, default=str).replace(str(folder), "TMP").replace(src, "SRC")
            found[label] = json.loads(text)
    for args in (["runs", "list", "--format", "json"], ["runs", "show", "1", "--format", "json"],
                 ["runs", "diff", "1", "2", "--format", "json"], ["runs", "export", "3"]):
        result = _one(args)
        with contextlib.suppress(json.JSONDecodeError):
            result["stdout"] = _mask(json.loads(result["stdout"]))
        found[" ".join(args)] = json.loads(json.dumps(result).replace(str(folder), "TMP"))
    out.write_text(json.dumps(found, indent=1, sort_keys=True))


def _side(src: Path, out: Path, formats: list[str]) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src), COLUMNS="160")
    env.pop("STANDOFF_DB", None)
    subprocess.run([sys.executable, __file__, "--driver", str(out), "--formats", *formats],
                   env=env, check=True)
    return json.loads(out.read_text())


def _base_src(commit: str, folder: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit, "src"],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="f985a14", help="Git commit to compare with.")
    ap.add_argument("--before", type=Path, help="Read the base outputs saved by --save in this folder.")
    ap.add_argument("--save", type=Path, help="Save the base outputs into this folder.")
    ap.add_argument("--formats", nargs="+", default=["json"], choices=["json", "table", "markdown"])
    ap.add_argument("--driver", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.driver:
        drive(args.driver, args.formats)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.before:
            base = json.loads((args.before / "outputs.json").read_text())
        else:
            base = _side(_base_src(args.base, tmp), tmp / "base.json", args.formats)
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / "outputs.json").write_text(json.dumps(base, indent=1, sort_keys=True))
        new = _side(ROOT / "src", tmp / "new.json", args.formats)
    differ = [k for k in sorted(set(base) | set(new)) if base.get(k) != new.get(k)]
    for label in differ:
        a, b = base.get(label), new.get(label)
        what = "missing" if a is None or b is None else ", ".join(
            part for part in ("rc", "stdout", "stderr", "recorded") if a[part] != b[part])
        print(f"differs ({what}): standoff {label}")
    print(f"{len(base)} invocations at {args.base}, {len(new)} in the working tree, "
          f"{len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
