"""The application layer as docs/architecture.md describes it: adding a model is one class and its
registration, adding a verb is one task function and one CLI function of a few lines; progress,
recording and the Python API behave as documented."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import standoff
from standoff import tasks
from standoff.analysis import Executor, monte_carlo
from standoff.cli import Format, app, recorded, render, view
from standoff.cli.render import print_frame
from standoff.cli.shell import FormatOption, ScenarioArg
from standoff.models import Param
from standoff.models import base as model_base
from standoff.models.base import IssueModel, Prediction, make, register
from standoff.scenario import Scenario, read_scenario
from standoff.store import RunStore

TOY_YAML = """\
id: toy
title: A toy case
baseline: 2020-01-01
issues:
  - {id: tax, title: Tax rate, min: 0, max: 100, status_quo: 0}
  - {id: aid, title: Aid, min: 0, max: 100}
actors:
  - {id: a, name: A, capability: 10, positions: {tax: 20, aid: 90}, salience: {tax: 50, aid: 100}}
  - {id: b, name: B, capability: 30, positions: {tax: 80, aid: 30}, salience: {tax: 50, aid: 10}}
  - {id: c, name: C, capability: 60, positions: {tax: 50, aid: 60}, salience: {tax: 100, aid: 40}}
"""


@pytest.fixture
def toy_file(tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(TOY_YAML)
    return path


# --- adding a model: one class and its registration ---------------------------------------------
class ToyMean(IssueModel):
    """The unweighted mean of the positions (a toy: capability and salience are ignored)."""

    name = "toy-mean"
    title = "Unweighted mean"
    params = {"shift": Param(float, 0.0, "added to the mean")}

    def __init__(self, shift: float = 0.0) -> None:
        self.shift = shift

    def predict_issue(self, positions, capability, salience) -> Prediction:
        return Prediction(values=positions.mean(axis=1) + self.shift)


@pytest.fixture
def toy_model():
    register(ToyMean)
    yield ToyMean
    del model_base._REGISTRY[ToyMean.name]


def test_a_new_model_runs_through_the_command_line(toy_model, toy_file):
    """Registered, the toy model is a `--model` like any other, with its parameter checked:
    tax (20 + 80 + 50) / 3 = 50, aid (90 + 30 + 60) / 3 = 60; with shift=5: 55 and 65; a shift
    that is not a number is a user error naming the parameter."""
    res = CliRunner().invoke(app, ["forecast", str(toy_file), "-m", "toy-mean", "-p", "shift=5",
                                   "--format", "json", "--no-record"])
    assert res.exit_code == 0, res.output
    [found] = json.loads(res.output)
    assert found["model"] == "toy-mean" and found["params"] == {"shift": 5}
    assert [i["value"] for i in found["issues"]] == pytest.approx([55.0, 65.0])
    assert standoff.forecast(read_scenario(toy_file), "toy-mean").value("aid") == pytest.approx(60.0)
    bad = CliRunner().invoke(app, ["forecast", str(toy_file), "-m", "toy-mean", "-p", "shift=lots",
                                   "--no-record"])
    assert bad.exit_code != 0 and "shift" in str(bad.exception)


# --- adding a verb: one task function and one CLI function ---------------------------------------
@dataclass
class SpreadResult(tasks.Result):
    kind: ClassVar[str] = "spread"
    scenario: Scenario
    spread: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario.id, "spread": self.spread}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"issue": k, "spread": v} for k, v in self.spread.items()])


def run_spread(scenario: Scenario, progress=None) -> SpreadResult:
    """The task: per issue, the distance between the two most distant positions."""
    values = {i: [a.positions[i].mode for a in scenario.actors] for i in scenario.issue_ids}
    return SpreadResult(scenario, {i: max(v) - min(v) for i, v in values.items()})


@recorded("spread")
def spread(scenario: ScenarioArg = None, fmt: FormatOption = Format.table):
    """How far apart the actors are on each issue."""
    result = run_spread(tasks.inputs.open_scenario(scenario, None))
    render(result, fmt)
    return result


@view("SpreadResult")
def _spread(result, fmt: Format) -> None:
    print_frame(result.to_frame(), fmt, f"Spread of the positions in {result.scenario.title}")


@pytest.fixture
def spread_verb():
    app.command()(spread)
    yield
    app.registered_commands[:] = [c for c in app.registered_commands if c.callback is not spread]


def test_a_new_verb_renders_all_formats_and_is_recorded(spread_verb, toy_file, run_store):
    """tax: 80 − 20 = 60; aid: 90 − 30 = 60. JSON is the result's to_dict(); the run store keeps
    {kind: to_dict()} under the verb's kind, with the case as given on the command line."""
    runner = CliRunner()
    res = runner.invoke(app, ["spread", str(toy_file), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == {"scenario": "toy", "spread": {"tax": 60.0, "aid": 60.0}}
    md = runner.invoke(app, ["spread", str(toy_file), "--format", "markdown", "--no-record"])
    assert md.output.startswith("**Spread of the positions in A toy case**")
    assert "| tax" in md.output and "60.0" in md.output
    store = RunStore(str(run_store))
    [run] = store.runs(kind="spread")
    assert run.case == str(toy_file)
    assert store.get(run.id).results["spread"] == {"scenario": "toy", "spread": {"tax": 60.0, "aid": 60.0}}
    store.close()


# --- one recording mechanism, progress through a callback -----------------------------------------
def test_record_writes_what_the_result_says(toy_file, tmp_path):
    """tasks.record writes the result's recording(): kind, model, parameters and results."""
    s = read_scenario(toy_file)
    result = tasks.forecast.run(s, [make("median")])
    store = RunStore(str(tmp_path / "runs.db"))
    run_id = tasks.record(result, store, case="toy-case")
    run = store.get(run_id)
    assert (run.kind, run.case, run.model) == ("forecast", "toy-case", "median")
    assert run.results["forecasts"][0]["issues"][0]["value"] == result.forecasts[0].value("tax")
    assert tasks.record(result, None) is None
    store.close()


def test_executors_report_progress_to_the_callback():
    """Four tasks in this process: a call after each of the first three, then done == total."""
    calls = []
    out = Executor().map(lambda shared, t: shared + t, [1, 2, 3, 4], shared=10, label="adding",
                         progress=lambda label, done, total: calls.append((label, done, total)))
    assert out == [11, 12, 13, 14]
    assert calls == [("adding", 1, 4), ("adding", 2, 4), ("adding", 3, 4), ("adding", 4, 4)]


def test_event_reader_reports_bytes_read(tmp_path):
    """The reader reports 0 at the start and the file's size at the end (bytes, not rows)."""
    from standoff.events import pipeline

    path = tmp_path / "events.csv"
    path.write_text("date,source,target,cameo\n2018-03-01,USA,PRK,190\n")
    calls = []
    pipeline.import_events(path, "csv", progress=lambda *a: calls.append(a))
    size = path.stat().st_size
    assert calls[0] == (f"reading {path.name}", 0, size) and calls[-1] == (f"reading {path.name}", size, size)


# --- the Python API --------------------------------------------------------------------------------
def test_python_api_takes_model_names(toy_file):
    """`standoff.monte_carlo(s, "median", ...)` is the same draws as with the model object."""
    s = read_scenario(toy_file)
    by_name = standoff.monte_carlo(s, "median", draws=50, seed=3, noise=0.1)
    by_model = monte_carlo(s, make("median"), draws=50, seed=3, noise=0.1)
    np.testing.assert_array_equal(by_name.values, by_model.values)
    levers, base, _ = standoff.levers(s, "a", "median", top=2)
    assert len(levers) == 2 and set(base) == {"tax", "aid"}


def test_plots_return_the_figure_or_save_it(toy_file, tmp_path):
    """Without a path a plot returns the open matplotlib Figure; with one it writes the file."""
    from matplotlib.figure import Figure

    from standoff.report.event_plots import plot_timeline

    s = read_scenario(toy_file)
    forecast = standoff.forecast(s, "median")
    fig = forecast.plot(s)
    assert isinstance(fig, Figure) and len(fig.axes) >= 2  # one panel per issue
    target = tmp_path / "f.png"
    assert forecast.plot(s, target) == target and target.stat().st_size > 0
    frame = tasks.timeline.run(s, make("median")).frame
    assert isinstance(plot_timeline(frame), Figure)
    with pytest.raises(standoff.StandoffError, match="no rounds"):
        forecast.plot()
