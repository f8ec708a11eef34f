"""Start-up: what the command line imports, YAML read once, lazy names that resolve (issue #20).

Results only, no timings (benchmarks/startup.py measures those): which libraries a run of the
command line has loaded when it exits, how many times a scenario file is parsed, and that the lazily
named parts of the package are the same objects as their eager homes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
import yaml

import standoff
from standoff import lazy
from standoff.errors import ScenarioError
from standoff.scenario import io, yamlsafe

#: Runs the command line as the `standoff` script does, then prints the top-level packages loaded.
RUNNER = """
import json, sys
sys.argv = ["standoff"] + json.loads(sys.argv[1])
from standoff.cli import run
try:
    run()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"status": code, "packages": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def loaded_by(*args: str) -> set[str]:
    """The top-level packages in sys.modules when `standoff ARGS` is done (in a fresh interpreter)."""
    done = subprocess.run([sys.executable, "-c", RUNNER, json.dumps(list(args))], capture_output=True,
                          text=True, timeout=120,
                          env={"COLUMNS": "160", "PATH": "/usr/bin:/bin",
                               "STANDOFF_DB": os.environ["STANDOFF_DB"]})
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] in (0, None), done.stdout
    return set(report["packages"])


def test_help_loads_no_heavy_library():
    """`standoff --help` lists every verb with its options (the models' names among them) without
    the table, database, plotting, statistics, sensitivity, cluster or web libraries."""
    packages = loaded_by("--help")
    assert "typer" in packages and "standoff" in packages  # the check sees what the run loaded
    heavy = {"pandas", "sqlalchemy", "matplotlib", "scipy", "SALib", "dask", "distributed", "fastapi",
             "starlette", "uvicorn", "jinja2"}
    assert packages & heavy == set()


def test_validate_loads_only_what_validation_needs():
    """Validating a scenario reads YAML and checks it (pydantic): no plots, no run store, no cluster,
    no web, no sensitivity analysis."""
    packages = loaded_by("validate", "korea-2018")
    assert {"yaml", "pydantic"} <= packages
    assert packages & {"matplotlib", "sqlalchemy", "dask", "distributed", "fastapi", "SALib"} == set()


def test_import_standoff_alone_loads_neither_numpy_nor_pydantic():
    """`import standoff` binds the public names lazily: nothing below the package is imported until a
    name is used."""
    code = "import standoff, sys; print(sorted({m.split('.')[0] for m in sys.modules}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    packages = set(eval(done.stdout))  # a printed list of names
    assert "standoff" in packages
    assert packages & {"numpy", "pydantic", "pandas", "yaml", "scipy", "sqlalchemy"} == set()


def test_public_names_are_their_homes_objects():
    """Each name of standoff.__all__ resolves, on first use, to the very object its module defines."""
    from standoff import analysis, api, errors, loading, models, scenario, version

    homes = {"Forecast": models, "Model": models, "available": models, "make": models,
             "MonteCarlo": analysis, "WhatIf": analysis, "Scenario": scenario, "StandoffError": errors,
             "load": loading, "__version__": version, "cases": api, "forecast": api, "levers": api,
             "monte_carlo": api}
    assert set(standoff.__all__) == set(homes) | {"Lever"}
    for name, home in homes.items():
        assert getattr(standoff, name) is getattr(home, name), name
    assert standoff.Lever is sys.modules["standoff.analysis.levers"].Lever
    assert set(standoff.__all__) <= set(dir(standoff))
    # standoff.analysis.levers is the function (as before the package named its parts lazily)
    assert callable(analysis.levers) and analysis.levers.__module__ == "standoff.analysis.levers"


def test_store_and_analysis_name_their_parts_lazily():
    from standoff import store
    from standoff.analysis import executors, montecarlo, space
    from standoff.store import core

    assert store.RunStore is core.RunStore and store.ENV_VAR == core.ENV_VAR == "STANDOFF_DB"
    assert standoff.analysis.Space is space.Space and standoff.analysis.monte_carlo is montecarlo.monte_carlo
    assert standoff.analysis.ProcessExecutor is executors.ProcessExecutor
    with pytest.raises(AttributeError):
        store.NoSuchThing  # noqa: B018


def test_scenario_yaml_is_parsed_once(monkeypatch):
    """Loading korea-2018 parses its YAML once: one loader, LibYAML's where PyYAML has it, and none
    of PyYAML's whole-document functions (each would parse the text again)."""
    loads = []
    real = yamlsafe._load

    def counted(loader_class, text, file):
        loads.append(loader_class)
        return real(loader_class, text, file)

    def again(*args, **kwargs):
        raise AssertionError("the YAML text was parsed a second time")

    monkeypatch.setattr(yamlsafe, "_load", counted)
    for name in ("parse", "compose", "compose_all", "load", "load_all", "safe_load", "safe_load_all"):
        monkeypatch.setattr(yaml, name, again)
    scenario = standoff.load("korea-2018")
    assert scenario.id == "korea-2018"
    assert loads == [yamlsafe._CLoader if yaml.__with_libyaml__ else yamlsafe._PyLoader]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without LibYAML")
def test_libyaml_and_python_parsers_agree_on_every_builtin_case():
    """Same data and the same line for every place (the lines of located errors) with either parser."""
    for name in standoff.cases():
        text = (standoff.data.case_path(name)).read_text(encoding="utf-8")
        fast_node, fast = yamlsafe._load(yamlsafe._CLoader, text, name)
        slow_node, slow = yamlsafe._load(yamlsafe._PyLoader, text, name)
        assert fast == slow, name
        assert io.line_map(fast_node) == io.line_map(slow_node), name


BROKEN = {
    "syntax": "id: x\ntitle: [a, b\n",
    "mapping value": "id: x\ntitle: a: b\n",
    "tab": "id: x\n\ttitle: a\n",
    "undefined alias": "id: x\ntitle: *nowhere\n",
    "self alias": "a: &a [1, *a]\n",
    "duplicate key": "id: x\ntitle: a\nid: y\n",
    "octal cameo": "id: x\nevents:\n  - cameo: 043\n",
    "deep": "a: " + "[" * 100 + "]" * 100 + "\n",
    "bomb": 'l0: &l0 ["a", "a", "a", "a", "a", "a", "a", "a", "a"]\n' + "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 9)),
    "two documents": "id: x\n---\nid: y\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\nc: 043\n",
    "bad value": "id: x\ntitle: t\nbaseline: 2018-01-01\nissues: []\nactors: []\n",
}


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without LibYAML")
@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_errors_read_the_same_with_either_parser(kind, monkeypatch):
    """A file LibYAML's parser does not take as it is is read again the pure-Python way: the message,
    the place and the line are those of PyYAML's parser alone."""
    def error(text):
        with pytest.raises(ScenarioError) as info:
            io.parse_yaml(text, file="broken.yaml")
        return [(p.where, p.message, p.fix, p.line) for p in info.value.problems]

    fast = error(BROKEN[kind])
    monkeypatch.setattr(yamlsafe, "_CLoader", None)
    assert fast == error(BROKEN[kind])


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without LibYAML")
def test_the_guard_stops_libyaml_events_before_the_composer_recurses():
    """900 levels (under LibYAML's own limit of 1,000, over what Python's recursion allows the
    composer): the guard refuses the 65th as the composer takes it; the alias bomb is refused at the
    200,001st value, with LibYAML's parser as with PyYAML's. 10,000 levels: LibYAML stops first, and
    the file is read again the pure-Python way, which reports the depth."""
    with pytest.raises(ScenarioError, match="nested more than 64 levels"):
        yamlsafe._load(yamlsafe._CLoader, "a: " + "[" * 900 + "]" * 900, "deep.yaml")
    with pytest.raises(yaml.YAMLError):
        yamlsafe._load(yamlsafe._CLoader, "a: " + "[" * 10_000 + "]" * 10_000, "deep.yaml")
    with pytest.raises(ScenarioError, match="nested more than 64 levels"):
        yamlsafe.load_yaml("a: " + "[" * 10_000 + "]" * 10_000, "deep.yaml")
    with pytest.raises(ScenarioError, match="more than 200,000 values"):
        yamlsafe._load(yamlsafe._CLoader, BROKEN["bomb"], "bomb.yaml")


def test_lazy_module_waits_for_the_import_in_every_thread(tmp_path, monkeypatch):
    """Eight threads read an attribute of a module that takes 0.3 s to import: each gets the value
    (importlib.util.LazyLoader, before Python 3.12.3, hands the others a half-built module)."""
    (tmp_path / "slow_standoff_probe.py").write_text("import time\ntime.sleep(0.3)\nVALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    probe = lazy.load("slow_standoff_probe")
    assert "slow_standoff_probe" not in sys.modules
    seen = []

    def read():
        try:
            seen.append(probe.VALUE)
        except AttributeError as exc:  # pragma: no cover (the failure this test guards against)
            seen.append(exc)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [42] * 8
    monkeypatch.delitem(sys.modules, "slow_standoff_probe")
    with pytest.raises(ModuleNotFoundError):
        lazy.load("no_such_module_standoff")
