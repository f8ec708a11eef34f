"""The command line's ending: usage errors in one or two lines with suggestions, several files to
validate, markup-free messages, the Python API's date against the command line's, and a run
recorded when its output pipe is closed early."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cli_process import standoff
from standoff.cli.errors import guide, suggest, usage_lines


def test_suggest_ignores_case_and_finds_close_names():
    assert suggest("forcast", ["forecast", "show"]) == "forecast"
    assert suggest("KOREA-2018", ["korea-2018", "korea-2019"]) == "korea-2018"
    assert suggest("zzz", ["forecast", "show"]) is None


def test_usage_lines_are_two_lines_with_a_suggestion():
    """A usage error as typer raises it: its message on one line (however it was wrapped) with
    the closest verb, then how to get help."""
    import typer

    base = typer.TyperException

    class Ctx:
        command_path = "standoff"

        class command:
            commands = {"forecast": None, "show": None}

    class Usage(base):
        ctx = Ctx()

    lines = usage_lines(Usage("No such command 'forcats'.\n  (wrapped)"))
    assert lines == ["error: standoff: No such command 'forcats'. (wrapped) Did you mean 'forecast'?",
                     "Try 'standoff --help' for help."]


def test_validate_reports_each_file(tmp_path, toy_yaml):
    """A good file and a bad one: `ok` for the first on stdout, the bad one's single problem on
    stderr (one line, naming the file), exit status 2; JSON gives one report per file."""
    good = tmp_path / "good.yaml"
    good.write_text(toy_yaml)
    bad = tmp_path / "bad.yaml"
    bad.write_text(toy_yaml.replace("capability: 20", "capability: -20"))
    r = standoff("validate", str(good), str(bad), "korea-2018")
    assert r.returncode == 2
    assert r.stdout.count("ok ") == 2 and "good.yaml: 3 actors, 2 issues" in r.stdout
    assert len(r.stderr.strip().splitlines()) == 1 and "bad.yaml" in r.stderr
    j = standoff("validate", str(good), str(bad), "-f", "json")
    assert [x["valid"] for x in json.loads(j.stdout)] == [True, False]


def test_messages_keep_their_brackets():
    """Rich markup is escaped: a name in brackets is printed as given (as in `pip install
    'standoff[web]'`, the hint of `serve` without the web extra)."""
    r = standoff("forecast", "-m", "[web]", "--no-record")
    assert r.returncode == 2
    assert "unknown model '[web]'" in r.stderr


def test_python_and_command_line_dates():
    """standoff.load() is the baseline (compromise on denuclearization: 62.46); as_of='last' is the
    command line's default date (64.28), as the README says."""
    import standoff as so

    base = so.forecast(so.load("korea-2018"), model="compromise").issues[0].value
    last = so.forecast(so.load("korea-2018", as_of="last"), model="compromise").issues[0].value
    assert round(base, 2) == 62.46 and round(last, 2) == 64.28
    r = standoff("forecast", "-m", "compromise", "-f", "json", "--no-record")
    assert round(json.loads(r.stdout)[0]["issues"][0]["value"], 2) == 64.28


def test_a_run_whose_output_pipe_closes_is_still_recorded(tmp_path):
    """`standoff forecast | head -c 10`: the reader goes away after 10 bytes; the run is recorded
    and nothing but a quiet exit follows (no traceback)."""
    db = tmp_path / "runs.sqlite"
    env = {"COLUMNS": "160", "PATH": "/usr/bin:/bin", "STANDOFF_DB": str(db)}
    for fmt in ("table", "markdown"):
        child = subprocess.Popen([sys.executable, "-m", "standoff", "forecast", "-f", fmt],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        child.stdout.read(10)
        child.stdout.close()
        err = child.stderr.read().decode()
        child.wait(timeout=120)
        assert "Traceback" not in err
    from standoff.store import RunStore

    store = RunStore(str(db))
    assert [r.kind for r in store.runs(limit=10)] == ["forecast", "forecast"]


def test_guides_ship_with_the_package():
    assert guide("scenario-format").read_text().startswith("# The scenario format")
    assert guide("docs/limits.md").name == "limits.md" and guide("smp").name == "smp.md"
    r = standoff("docs", "limitz")
    assert r.returncode == 2 and "did you mean 'limits'" in r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_show_on_a_fifo_names_it(tmp_path):
    fifo = tmp_path / "in.yaml"
    os.mkfifo(fifo)
    r = standoff("show", str(fifo))
    assert r.returncode == 2 and "is a FIFO (named pipe)" in r.stderr
