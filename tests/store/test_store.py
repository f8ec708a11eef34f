"""The run store's API on SQLite and on a real PostgreSQL server: record, list, get, diff, export."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

import standoff
from standoff.models import Forecast
from standoff.store import Run, RunNotFoundError, RunStore


def _forecast_dict(model: str, values: dict[str, float]) -> dict:
    """A minimal Forecast.to_dict() with the given per-issue values."""
    return {"scenario": "toy", "model": model, "params": {}, "date": "2018-01-01",
            "issues": [{"issue": k, "title": k, "value": v, "nearest_point": None,
                        "nearest_point_value": None, "status_quo": None} for k, v in values.items()]}


def test_record_then_get_gives_back_every_input_and_the_forecast(store, toy):
    """What goes in comes out: hash, case, date, kind, model, params, seed, version, UTC time, and
    the forecast itself (Forecast.from_dict of the stored JSON equals the forecast)."""
    scenario = toy.as_of("2018-02-15")
    forecast = standoff.forecast(scenario, "compromise")
    before = dt.datetime.now(dt.UTC)
    run_id = store.record("forecast", scenario, model="compromise", params={"compromise": {}}, seed=None,
                          results={"forecasts": [forecast.to_dict()]}, case="toy.yaml")
    after = dt.datetime.now(dt.UTC)
    run = store.get(run_id)
    assert run.id == run_id and run.kind == "forecast" and run.case == "toy.yaml"
    assert run.content_hash == scenario.content_hash() != toy.content_hash()
    assert run.as_of == dt.date(2018, 2, 15) and run.scenario_id == "toy" and run.title == "Toy negotiation"
    assert run.model == "compromise" and run.params == {"compromise": {}} and run.seed is None
    assert run.version == standoff.__version__
    assert before - dt.timedelta(seconds=1) <= run.created_at <= after + dt.timedelta(seconds=1)
    assert run.created_at.utcoffset() == dt.timedelta(0)
    assert Forecast.from_dict(run.results["forecasts"][0]) == forecast


def test_case_defaults_to_the_scenario_id_and_results_keep_their_order(store, toy):
    run_id = store.record("sensitivity", toy, model="eum", params={}, seed=3,
                          results={"z": 1, "a": [1, 2], "m": {"k": None}})
    run = store.get(run_id)
    assert run.case == "toy" and run.seed == 3
    assert list(run.results) == ["z", "a", "m"]
    assert run.results == {"z": 1, "a": [1, 2], "m": {"k": None}}


def test_numpy_pandas_dates_are_stored_as_json_and_non_finite_floats_as_null(store, toy):
    frame = pd.DataFrame({"issue": ["a", "b"], "value": [1.5, np.nan]})
    run_id = store.record("levers", toy, model=None, params={"step": np.float64(10.0)}, seed=None,
                          results={"frame": frame, "array": np.arange(3), "when": dt.date(2018, 6, 12),
                                   "inf": float("inf"), "int": np.int64(4)})
    run = store.get(run_id)
    assert run.params == {"step": 10.0}
    assert run.results == {"frame": [{"issue": "a", "value": 1.5}, {"issue": "b", "value": None}],
                           "array": [0, 1, 2], "when": "2018-06-12", "inf": None, "int": 4}


def test_runs_lists_newest_first_with_limit_and_filters(store, toy):
    ids = [store.record(kind, toy, model=None, params={}, seed=None, results={}, case=case)
           for kind, case in [("forecast", "a"), ("sensitivity", "a"), ("forecast", "b"), ("forecast", "a")]]
    assert ids == sorted(ids) and len(set(ids)) == 4
    assert [r.id for r in store.runs()] == ids[::-1]
    assert [r.id for r in store.runs(limit=2)] == ids[:1:-1]
    assert [r.id for r in store.runs(kind="forecast")] == [ids[3], ids[2], ids[0]]
    assert [r.id for r in store.runs(kind="forecast", case="a")] == [ids[3], ids[0]]
    assert store.runs(case="nowhere") == []


def test_get_of_a_missing_id_names_it_and_says_how_to_list_ids(store):
    with pytest.raises(RunNotFoundError) as err:
        store.get(99)
    message = str(err.value)
    assert "run 99" in message and "standoff runs list" in message and "\n" not in message


def test_diff_names_each_changed_input_and_the_forecast_differences(store, toy):
    """Hand-built results: issue a 40.0 -> 55.25 (difference 15.25), b 2.5 -> 2.5 (0.0); model
    compromise only in run b (no difference). Parameters: eum.q 1.0 -> 0.5 differs, eum.rounds
    (10 both) does not; the seed 1 -> 2; scenario and model the same."""
    a = store.record("forecast", toy, model="eum", params={"eum": {"q": 1.0, "rounds": 10}}, seed=1,
                     results={"forecasts": [_forecast_dict("eum", {"a": 40.0, "b": 2.5})]})
    b = store.record("forecast", toy, model="eum", params={"eum": {"q": 0.5, "rounds": 10}}, seed=2,
                     results={"forecasts": [_forecast_dict("eum", {"a": 55.25, "b": 2.5}),
                                            _forecast_dict("compromise", {"a": 30.0})],
                              "extra": []})
    diff = store.diff(a, b)
    assert diff.inputs == {"seed": (1, 2)}
    assert diff.params == {"eum.q": (1.0, 0.5)}
    assert not diff.same_inputs
    rows = {(c.model, c.issue): (c.a, c.b, c.difference) for c in diff.issues}
    assert rows == {("eum", "a"): (40.0, 55.25, 15.25), ("eum", "b"): (2.5, 2.5, 0.0),
                    ("compromise", "a"): (None, 30.0, None)}
    assert diff.only_a == [] and diff.only_b == ["extra"]
    assert json.loads(json.dumps(diff.to_dict()))["issues"][0]["difference"] == 15.25


def test_diff_of_real_forecasts_on_changed_scenarios(store, toy):
    """Two compromise forecasts, before and after an event moved x on issue a: the diff reports the
    two scenario hashes and dates and, per issue, exactly the change of the forecast."""
    early, late = toy.as_of("2018-01-15"), toy.as_of("2018-02-15")
    fa, fb = standoff.forecast(early), standoff.forecast(late)
    a = store.record("forecast", early, model="compromise", params={}, seed=None,
                     results={"forecasts": [fa.to_dict()]})
    b = store.record("forecast", late, model="compromise", params={}, seed=None,
                     results={"forecasts": [fb.to_dict()]})
    diff = store.diff(a, b)
    assert diff.inputs["content_hash"] == (early.content_hash(), late.content_hash())
    assert diff.inputs["as_of"] == (dt.date(2018, 1, 15), dt.date(2018, 2, 15))
    assert set(diff.inputs) == {"content_hash", "as_of"}
    for change in diff.issues:
        assert change.difference == pytest.approx(fb.value(change.issue) - fa.value(change.issue))
    assert diff.issues[0].difference != 0  # x moved by +30 on issue a


def test_identical_runs_have_the_same_inputs(store, toy):
    ids = [store.record("forecast", toy, model="median", params={"median": {}}, seed=None,
                        results={"forecasts": [_forecast_dict("median", {"a": 50.0})]}) for _ in range(2)]
    diff = store.diff(*ids)
    assert diff.same_inputs and diff.inputs == {} and diff.params == {}
    assert [c.difference for c in diff.issues] == [0.0]


def test_export_is_json_and_round_trips_through_import(store, toy, tmp_path):
    """Export -> JSON text -> import into a fresh SQLite store -> export again: the same run, every
    field but the id; and Run.from_dict(export) equals get(). (The eum detail holds NaNs, stored as
    null, so the issues and parameters are compared, to the last bit.)"""
    forecast = standoff.forecast(toy, "eum")
    run_id = store.record("forecast", toy, model="eum", params={"eum": forecast.params}, seed=11,
                          results={"forecasts": [forecast.to_dict()], "note": "ok"})
    exported = store.export(run_id)
    assert Run.from_dict(exported) == store.get(run_id)
    text = json.dumps(exported)
    other = RunStore(f"sqlite:///{tmp_path / 'other.sqlite'}")
    new_id = other.import_run(json.loads(text))
    again = other.export(new_id)
    assert {k: v for k, v in again.items() if k != "id"} == {k: v for k, v in exported.items() if k != "id"}
    back = Forecast.from_dict(again["results"]["forecasts"][0])
    assert back.issues == forecast.issues and back.params == forecast.params  # every value, exactly
    other.close()


def test_import_refuses_what_is_not_an_export(store):
    from standoff.store import StoreError

    with pytest.raises(StoreError, match="not a Standoff run export"):
        store.import_run({"id": 1})
    with pytest.raises(StoreError, match="newer"):
        store.import_run({"format": "standoff-run", "schema_version": 99})


def test_two_stores_on_one_database_see_each_others_runs(store_url, toy):
    first, second = RunStore(store_url), RunStore(store_url)
    run_id = first.record("forecast", toy, model=None, params={}, seed=None, results={})
    assert [r.id for r in second.runs()] == [run_id]
    first.close()
    second.close()


def test_threads_writing_at_once_each_get_their_own_run(store, toy):
    """4 threads × 5 runs on one store: 20 distinct ids, each run with its own results."""
    from concurrent.futures import ThreadPoolExecutor

    def write(t: int) -> list[int]:
        return [store.record("forecast", toy, model=None, params={}, seed=t * 10 + k,
                             results={"t": t, "k": k}) for k in range(5)]

    with ThreadPoolExecutor(4) as pool:
        ids = [i for chunk in pool.map(write, range(4)) for i in chunk]
    assert len(set(ids)) == 20
    for run_id in ids:
        run = store.get(run_id)
        assert run.seed == run.results["t"] * 10 + run.results["k"]


def test_processes_opening_a_new_store_at_once_all_succeed(tmp_path):
    """Three processes open (and so create) the same new SQLite store at the same moment."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    code = ("import sys; from standoff.store import RunStore; "
            "s = RunStore(sys.argv[1]); print(s.record('forecast', None, model=None, params={}, seed=None, "
            "results={}))")
    procs = [subprocess.Popen([sys.executable, "-c", code, url], stdout=subprocess.PIPE, text=True)
             for _ in range(3)]
    ids = sorted(int(p.communicate(timeout=120)[0]) for p in procs)
    assert ids == [1, 2, 3]
    assert [r.id for r in RunStore(url).runs()] == [3, 2, 1]
