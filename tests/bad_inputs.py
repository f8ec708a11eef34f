"""A corpus of bad inputs and command-line mistakes, each of which must end in one or two lines on
stderr, exit status 2, no traceback, within 20 s.

Most files are mutations of the built-in Korea 2018 case: structural breaks, wrong types, NaN,
infinities and negatives, unknown ids, duplicates, off-scale and absurd values, alias bombs, deep
nesting, huge files, binary content and wrong encodings; then other paths (a directory, a FIFO, a
missing file) and usage errors. Plain Python (no pytest), so that tests/runtime_only_check.py can
run it where only the runtime dependencies are installed; tests/test_bad_inputs.py runs it under
pytest.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

#: CPU seconds a case may take (the child's user + system time)
TIME_LIMIT_S = 20.0
#: wall seconds after which a case is killed and counted as a hang (generous: a busy machine)
WALL_LIMIT_S = 120.0


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    case: Case
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float  # CPU time of the child (user + system)
    wall: float

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stderr + self.stdout

    @property
    def hang(self) -> bool:
        return self.returncode is None or self.seconds > TIME_LIMIT_S

    @property
    def accepted(self) -> bool:
        return self.returncode == 0

    @property
    def lines(self) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if ln.strip()]

    @property
    def clean(self) -> bool:
        return self.returncode == 2 and not self.traceback and not self.hang and 1 <= len(self.lines) <= 2

    def describe(self) -> str:
        return (f"{self.case.name}: exit {self.returncode}, {self.seconds:.1f} s CPU, {self.wall:.1f} s, "
                f"{len(self.lines)} stderr lines: {self.stderr[-600:]!r}")


def korea() -> tuple[str, dict]:
    from standoff.data import case_path

    text = case_path("korea-2018").read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def _dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _mutations(text: str, base: dict) -> dict[str, str | bytes]:
    """File name -> content."""
    out: dict[str, str | bytes] = {}

    def mutate(name: str, change) -> None:
        data = copy.deepcopy(base)
        change(data)
        out[name] = _dump(data)

    def setter(path, value):
        def change(data):
            node = data
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        return change

    a0 = ("actors", 0)
    issue0 = base["issues"][0]["id"]
    # structural breaks
    out["truncated.yaml"] = text[: len(text) // 2 - 7]
    out["tab-indent.yaml"] = text.replace("\nissues:\n  - ", "\nissues:\n\t- ", 1)
    out["unclosed-bracket.yaml"] = text + "\nextra: [1, 2\n"
    out["top-level-list.yaml"] = _dump([base])
    out["scalar.yaml"] = "just a sentence\n"
    out["empty.yaml"] = ""
    out["comments-only.yaml"] = "# nothing here\n"
    out["two-documents.yaml"] = text + "\n---\n" + text
    mutate("no-actors.yaml", lambda d: d.pop("actors"))
    mutate("no-issues.yaml", lambda d: d.pop("issues"))
    mutate("no-baseline.yaml", lambda d: d.pop("baseline"))
    mutate("actors-mapping.yaml", lambda d: d.update(actors={a["id"]: a for a in d["actors"]}))
    mutate("unknown-top-field.yaml", setter(("actorz",), []))
    mutate("one-actor.yaml", lambda d: d.update(actors=d["actors"][:1]))
    # wrong types
    mutate("capability-text.yaml", setter(a0 + ("capability",), "strong"))
    mutate("position-list.yaml", setter(a0 + ("positions", issue0), [1, 2]))
    mutate("salience-bool.yaml", setter(a0 + ("salience", issue0), True))
    mutate("baseline-text.yaml", setter(("baseline",), "yesterday"))
    mutate("issue-min-text.yaml", setter(("issues", 0, "min"), "zero"))
    mutate("actor-id-number.yaml", setter(a0 + ("id",), 12))
    mutate("positions-list.yaml", setter(a0 + ("positions",), [10, 20]))
    # NaN, infinities, negatives, absurd magnitudes
    mutate("capability-nan.yaml", setter(a0 + ("capability",), float("nan")))
    mutate("capability-inf.yaml", setter(a0 + ("capability",), float("inf")))
    mutate("position-minus-inf.yaml", setter(a0 + ("positions", issue0), float("-inf")))
    mutate("capability-negative.yaml", setter(a0 + ("capability",), -5))
    mutate("salience-negative.yaml", setter(a0 + ("salience", issue0), -10))
    mutate("capability-1e308.yaml", setter(a0 + ("capability",), 1e308))
    mutate("scale-1e308.yaml", lambda d: d["issues"][0].update(max=1e308))
    # unknown ids
    mutate("unknown-group.yaml", setter(a0 + ("group",), "martians"))
    mutate("unknown-issue.yaml", setter(a0 + ("positions", "moon-landing"), 50))
    mutate("event-unknown-actor.yaml", setter(("events", 3, "actor"), "nobody"))
    mutate("outcome-unknown-issue.yaml", setter(("outcomes", 0, "positions", "moon-landing"), 5))
    # duplicates
    mutate("duplicate-actor.yaml", lambda d: d["actors"].append(copy.deepcopy(d["actors"][0])))
    mutate("duplicate-issue.yaml", lambda d: d["issues"].append(copy.deepcopy(d["issues"][0])))
    out["duplicate-key.yaml"] = text.replace("\nbaseline: 2018-01-01\n",
                                             "\nbaseline: 2018-01-01\nbaseline: 2018-02-01\n", 1)
    # off-scale values
    mutate("position-120.yaml", setter(a0 + ("positions", issue0), 120))
    mutate("salience-150.yaml", setter(a0 + ("salience", issue0), 150))
    mutate("scale-reversed.yaml", lambda d: d["issues"][0].update(min=100, max=0))
    # unquoted CAMEO code read as octal
    out["cameo-octal.yaml"] = text.replace('cameo: "036"', "cameo: 043", 1)
    # alias bombs and deep nesting
    laughs = 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    out["billion-laughs.yaml"] = laughs
    out["alias-bomb-in-case.yaml"] = text.replace("\nissues:\n", "\n" + laughs.replace("\n", "\n")
                                                  .replace("l", "x") + "issues:\n", 1)
    out["alias-self.yaml"] = "a: &a [1, *a]\n"
    out["alias-undefined.yaml"] = text + "\nextra: *nowhere\n"
    out["deep-lists.yaml"] = "a: " + "[" * 1000 + "]" * 1000 + "\n"
    out["deep-maps.yaml"] = "a: " + "{b: " * 600 + "1" + "}" * 600 + "\n"
    out["deep-block.yaml"] = "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v\n"
    # huge files
    out["huge-comments.yaml"] = text + ("# " + "x" * 1000 + "\n") * 12_000  # 12 MB
    many = copy.deepcopy(base)
    many["actors"] = [dict(copy.deepcopy(base["actors"][i % len(base["actors"])]), id=f"a{i}",
                           group=None) for i in range(6000)]
    for actor in many["actors"]:
        actor.pop("group", None)
    many["groups"], many["events"], many["outcomes"] = [], [], []
    out["huge-actors.yaml"] = _dump(many)
    # binary and wrong encodings
    out["random-bytes.yaml"] = bytes((i * 7919 + 13) % 256 for i in range(4096))
    out["png.yaml"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    out["nul-bytes.yaml"] = text.encode()[:500] + b"\x00\x00" + text.encode()[500:]
    out["utf16.yaml"] = text.encode("utf-16")
    out["latin1.yaml"] = text.replace("title: US–North Korea", "title: Corée du Nord", 1).encode(
        "latin-1", errors="replace")
    # tables
    out["table-missing-column.csv"] = "actor,capability,position\nA,1,2\nB,3,4\n"
    out["table-not-number.csv"] = "actor,capability,position,salience\nA,one,2,3\nB,3,4,5\n"
    out["table-nan.csv"] = "actor,capability,position,salience\nA,nan,2,3\nB,3,4,5\n"
    out["table-inf.csv"] = "actor,capability,position,salience\nA,1,inf,3\nB,3,4,5\n"
    out["table-empty.csv"] = "\n\n"
    out["table-short-row.csv"] = "actor,capability,position,salience\nA,1\nB,3,4,5\n"
    out["notes.txt"] = "not a scenario\n"
    return out


def build(folder: Path) -> list[Case]:
    """Write the corpus's files into `folder`; the command lines to run, each a Case."""
    folder.mkdir(parents=True, exist_ok=True)
    text, base = korea()
    cases = []
    for name, content in _mutations(text, base).items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        cases.append(Case(f"file {name}", ("forecast", str(path), "-m", "median", "--no-record")))
    # a scenario that fits the size limit but whose smp run does not fit a 20 MiB memory limit
    many = {k: base[k] for k in ("id", "title", "baseline", "issues")}
    many["actors"] = [{"id": f"a{i}", "name": f"A{i}", "capability": 1 + i % 9,
                       "positions": {s["id"]: i % 101 for s in base["issues"]},
                       "salience": {s["id"]: 50 for s in base["issues"]}} for i in range(600)]
    many["issues"] = [{k: v for k, v in s.items() if k in ("id", "title", "min", "max")}
                      for s in base["issues"]]
    (folder / "smp-600.yaml").write_text(_dump(many), encoding="utf-8")
    cases.append(Case("memory smp on 600 actors", ("--max-memory", "20MiB", "forecast",
                                                   str(folder / "smp-600.yaml"), "-m", "smp",
                                                   "--no-record")))
    # other kinds of paths
    (folder / "a-folder.yaml").mkdir(exist_ok=True)
    cases.append(Case("path directory", ("forecast", str(folder / "a-folder.yaml"), "--no-record")))
    fifo = folder / "fifo.yaml"
    if hasattr(os, "mkfifo"):
        if not fifo.exists():
            os.mkfifo(fifo)
        cases.append(Case("path FIFO", ("forecast", str(fifo), "--no-record")))
    cases.append(Case("path missing", ("forecast", str(folder / "nowhere.yaml"), "--no-record")))
    if hasattr(os, "geteuid") and os.geteuid() != 0:  # root reads everything
        locked = folder / "locked.yaml"
        locked.write_text(text, encoding="utf-8")
        locked.chmod(0)
        cases.append(Case("path unreadable", ("forecast", str(locked), "--no-record")))
    cases.append(Case("validate beliefs file", ("validate", str(_beliefs_file()))))
    cases.append(Case("validate directory", ("validate", str(folder / "a-folder.yaml"))))
    # usage errors
    usage = {
        "unknown verb": ("forcast",),
        "unknown verb upper case": ("FORECAST",),
        "unknown option": ("forecast", "--bogus"),
        "option without value": ("forecast", "-m"),
        "rounds not a number": ("forecast", "--rounds", "abc"),
        "rounds negative": ("forecast", "--rounds", "-1", "--no-record"),
        "missing required option": ("dyads",),
        "validate no file": ("validate",),
        "validate two missing files": ("validate", "a.yaml", "b.yaml"),
        "unknown model": ("forecast", "-m", "eun", "--no-record"),
        "unknown case": ("forecast", "korea-2O18", "--no-record"),
        "bad as-of": ("forecast", "--as-of", "someday", "--no-record"),
        "param without value": ("forecast", "-p", "rounds", "--no-record"),
        "param for no model": ("forecast", "-m", "median", "-p", "colour=blue", "--no-record"),
        "bad format": ("forecast", "-f", "xml"),
        "bad max-memory": ("--max-memory", "plenty", "forecast", "--no-record"),
        "unknown run": ("runs", "show", "999999"),
        "unknown guide": ("docs", "no-such-guide"),
        "extra argument": ("show", "korea-2018", "korea-2019"),
    }
    cases += [Case(f"usage {k}", v) for k, v in usage.items()]
    return cases


def _beliefs_file() -> Path:
    from standoff.data import beliefs_path

    return beliefs_path("korea-2018")


def run_one(case: Case, python: str, env: dict[str, str], cwd: Path) -> Outcome:
    """Run one case in a child process; its CPU time comes from wait4 (the wall time of a child
    depends on how busy the machine is, its CPU time does not). Killed after WALL_LIMIT_S."""
    import tempfile

    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([python, "-m", "standoff", *case.args], stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > WALL_LIMIT_S:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                status = None
                break
            time.sleep(0.05)
        child.returncode = 0  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        code = None if status is None else os.waitstatus_to_exitcode(status)
        text = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        return Outcome(case, code, *text, usage.ru_utime + usage.ru_stime, time.perf_counter() - start)


def run_all(cases: list[Case], *, python: str = sys.executable, db: str, cwd: Path,
            workers: int = 2) -> list[Outcome]:
    env = {"COLUMNS": "160", "PATH": "/usr/bin:/bin", "STANDOFF_DB": db, "HOME": str(cwd),
           "LANG": "C.UTF-8"}
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda c: run_one(c, python, env, cwd), cases))


def summary(outcomes: list[Outcome]) -> str:
    n = len(outcomes)
    clean = sum(o.clean for o in outcomes)
    tracebacks = sum(o.traceback for o in outcomes)
    hangs = sum(o.hang for o in outcomes)
    accepted = sum(o.accepted for o in outcomes)
    slowest = max((o.seconds for o in outcomes), default=0.0)
    wall = max((o.wall for o in outcomes), default=0.0)
    return (f"{n} cases: {clean} clean, {tracebacks} tracebacks, {hangs} hangs, {accepted} wrongly "
            f"accepted, {n - clean - accepted} other failures; slowest {slowest:.1f} s CPU "
            f"({wall:.1f} s wall)")
