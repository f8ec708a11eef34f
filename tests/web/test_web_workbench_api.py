"""The workbench's routes through the TestClient: the page's case checked and saved as YAML, models
side by side with edits and what-ifs, Monte Carlo, levers, win-sets, the timeline, stored runs
reopened, reports at their own address, and the exports, each against values computed by hand or
the tasks' own answers, and each bad input answered with a located 4xx.

The toy case (tests/conftest.py), as of its last event (2018-03-01: x's position on `a` 10 + 30 =
40, y's 60 -> 40 -> 50, z's capability 10 - 5 = 5), w = capability × salience on `a`:
x 10·50 = 500, y 20·100 = 2000, z 5·20 = 100 (Σw = 2600):

    compromise on a = (500·40 + 2000·50 + 100·90) / 2600 = 129000 / 2600 = 49.615
    x's position edited 40 -> 90:                          154000 / 2600 = 59.231
    without z:                         (20000 + 100000) / 2500        = 48.000
    x's capability +100 % (w 1000):                        149000 / 3100 = 48.065
    timeline on a: baseline 143000 / 2700 = 52.963; 2018-02-01 158000 / 2700 = 58.519; 2018-03-01 49.615
"""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest
import yaml

from standoff import tasks
from standoff.models import Forecast, make_model
from standoff.scenario.io import parse_yaml, to_yaml

A_LAST = 129000 / 2600


def error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"] and isinstance(body["problems"], list)
    return body


@pytest.fixture
def toy_json(toy_yaml) -> dict:
    """The toy case as the page holds it: the YAML file's mapping, in JSON (dates as text)."""
    return json.loads(json.dumps(yaml.safe_load(toy_yaml), default=str))


@pytest.fixture
def fixed_json(toy_json) -> dict:
    """The toy case with y's range on `a` dropped: no uncertain input left."""
    toy_json["actors"][1]["positions"]["a"] = 60
    return toy_json


# --- the page's case ------------------------------------------------------------------------------
def test_check_returns_the_case_for_the_editor_and_the_table(client, toy_json, toy_yaml):
    """The page's JSON is read as the YAML file is: the same scenario, its mapping back for the
    editor (which reads back to the same YAML), and the values as of the last event for the table."""
    body = client.post("/api/scenarios/check", json={"scenario": toy_json}).json()
    assert body["ok"] is True
    assert to_yaml(parse_yaml(yaml.safe_dump(body["scenario"]))) == to_yaml(parse_yaml(toy_yaml))
    x = next(a for a in body["view"]["actors"] if a["id"] == "x")
    assert x["positions"]["a"] == 40 and body["view"]["date"] == "2018-03-01"
    built = client.post("/api/scenarios/check", json={"case": "korea-2018"}).json()
    assert len(built["scenario"]["actors"]) == 11 and built["scenario"]["id"] == "korea-2018"


def test_check_locates_every_problem_of_the_page_case(client, toy_json):
    """Off the scale and an unknown source: each with its path, as `standoff validate` words it,
    on the file "(page)" and with no line (the page has fields, not lines); a missing name is
    the field's problem (and, as for a file, the cross-checks wait until the fields are right)."""
    bad = json.loads(json.dumps(toy_json))
    bad["actors"][2]["positions"]["b"] = 12
    bad["actors"][0]["capability"]["source"] = "nowhere"
    body = error(client.post("/api/scenarios/check", json={"scenario": bad}), 422)
    found = {p["where"]: p for p in body["problems"]}
    assert found["actors[2].positions.b"]["message"] == "position value 12 is off the scale [0, 10]"
    assert found["actors[2].positions.b"]["line"] is None
    assert found["actors[0].capability.source"]["message"] == "unknown source 'nowhere'"
    assert body["file"] == "(page)" and body["detail"].startswith("(page): ")
    del toy_json["actors"][1]["name"]
    body = error(client.post("/api/scenarios/check", json={"scenario": toy_json}), 422)
    assert body["problems"] == [{"where": "actors[1]", "message": "missing required field `name`",
                                 "fix": "add `name:`", "line": None}]


def test_check_refuses_malformed_page_cases(client, toy_json):
    assert "exactly one of" in error(client.post("/api/scenarios/check", json={
        "case": "korea-2018", "scenario": toy_json}), 422)["detail"]
    deep: dict = {}
    node = deep
    for _ in range(80):
        node["x"] = {}
        node = node["x"]
    assert "nests deeper than 64 levels" in error(client.post("/api/scenarios/check", json={
        "scenario": {"id": "d", "nested": deep}}), 422)["detail"]
    body = error(client.post("/api/scenarios/check", json={"scenario": {"id": "e"}}), 422)
    assert "not a scenario: no `issues` or `actors` at the top level" in body["detail"]
    assert error(client.post("/api/scenarios/check", json={"case": "nope"}), 404)
    edits = [{"actor": "x", "field": "salience", "issue": "a", "to": 150}]
    assert "salience 150 is off the scale [0, 100]" in error(client.post("/api/scenarios/check", json={
        "scenario": toy_json, "changes": edits}), 422)["detail"]


def test_the_yaml_download_reads_back_to_the_same_file(client, toy_json, tmp_path):
    """The YAML of the page's case: named after its id, valid for the file reader, and written
    again unchanged after reading it."""
    from standoff.scenario import read_scenario

    response = client.post("/api/scenarios/yaml", json={"scenario": toy_json})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="toy.yaml"'
    path = tmp_path / "toy.yaml"
    path.write_text(response.text)
    s = read_scenario(path)
    assert to_yaml(s) == response.text
    assert s.actor("x").capability.source == "s1" and s.actor("x").capability.note == "rationale"
    toy_json["issues"][0]["min"] = "low"
    body = error(client.post("/api/scenarios/yaml", json={"scenario": toy_json}), 422)
    assert body["problems"][0]["where"] == "issues[0].min"


# --- runs -----------------------------------------------------------------------------------------
def test_compare_gives_models_side_by_side_edits_and_named_what_ifs(client, toy_json, store):
    """The compromise column by column as in the module docstring; the median model's values are
    its own forecast (the Python API's); the run is recorded with its view and input."""
    body = client.post("/api/compare", json={
        "scenario": toy_json, "models": ["compromise", "median"],
        "changes": [{"actor": "x", "field": "position", "issue": "a", "to": 90}],
        "what_ifs": [{"name": "without z", "changes": ["without z"]},
                     {"name": "x stronger", "changes": ["x.capability=+100%"]}]}).json()
    assert body["columns"] == ["baseline", "with edits", "without z", "x stronger"]
    row = next(r for r in body["rows"] if r["model"] == "compromise" and r["issue"] == "a")
    assert row["baseline"] == pytest.approx(A_LAST)
    assert row["with edits"] == pytest.approx(154000 / 2600)
    assert row["with edits: change"] == pytest.approx(154000 / 2600 - A_LAST)
    assert row["without z"] == pytest.approx(48.0)
    assert row["x stronger"] == pytest.approx(149000 / 3100)
    s = parse_yaml(yaml.safe_dump(toy_json))
    s = s.as_of(s.last_event_date)
    median = tasks.forecast.run(s, [make_model("median", {})]).forecasts[0]
    for issue in ("a", "b"):
        row = next(r for r in body["rows"] if r["model"] == "median" and r["issue"] == issue)
        assert row["baseline"] == pytest.approx(median.value(issue))
    run = store.get(body["run_id"])
    assert run.kind == "compare" and run.model == "compromise,median"
    assert run.results["input"]["scenario"] == toy_json and run.results["view"]["rows"] == body["rows"]


def test_compare_shows_each_edit_on_its_own_and_together(client, toy_json):
    """Two edits: x's position on a 40 -> 90 (+500·50) and z's 90 -> 0 (−100·90): alone
    154000 / 2600 = 59.231 and 120000 / 2600 = 46.154, together 145000 / 2600 = 55.769."""
    edits = [{"actor": "x", "field": "position", "issue": "a", "to": 90},
             {"actor": "z", "field": "position", "issue": "a", "to": 0}]
    body = client.post("/api/compare", json={"scenario": toy_json, "changes": edits}).json()
    assert body["columns"] == ["baseline", "with edits", "x.a.position=90", "z.a.position=0"]
    row = next(r for r in body["rows"] if r["issue"] == "a")
    assert row["with edits"] == pytest.approx(145000 / 2600)
    assert row["x.a.position=90"] == pytest.approx(154000 / 2600)
    assert row["z.a.position=0"] == pytest.approx(120000 / 2600)
    assert row["z.a.position=0: change"] == pytest.approx(-9000 / 2600)


def test_compare_refuses_bad_what_ifs_with_their_place(client, toy_json):
    def post(**extra):
        return client.post("/api/compare", json={"scenario": toy_json, **extra})

    body = error(post(what_ifs=[{"name": "w", "changes": ["without q"]}]), 422)
    assert body["problems"][0]["where"] == "what_ifs[0].changes" and "unknown actor 'q'" in body["detail"]
    both = [{"name": "ok", "changes": ["without z"]}, {"name": "w", "changes": ["x.bogus=3"]}]
    body = error(post(what_ifs=both), 422)
    assert body["problems"][0]["where"] == "what_ifs[1].changes"
    same = [{"name": "baseline", "changes": ["without z"]}]
    assert "same name" in error(post(what_ifs=same), 422)["detail"]
    assert error(post(models=["nope"]), 422)["problems"][0]["where"].startswith("body.models")
    assert "no chosen model takes parameter 'rounds'" in error(post(params={"rounds": 3}), 422)["detail"]


def test_monte_carlo_without_uncertain_inputs_puts_every_draw_on_the_forecast(client, fixed_json):
    """No ranges and no noise: every draw is the compromise, 49.615 on `a`, so median = mean,
    sd = 0, the intervals are that point, and all 300 draws fall in the histogram's bin [45, 50)."""
    body = client.post("/api/montecarlo", json={"scenario": fixed_json, "draws": 300}).json()
    a = next(i for i in body["issues"] if i["issue"] == "a")
    assert a["median"] == pytest.approx(A_LAST) and a["mean"] == pytest.approx(A_LAST)
    assert a["sd"] == pytest.approx(0, abs=1e-9)
    assert a["p80"] == pytest.approx([A_LAST, A_LAST]) and a["p95"] == pytest.approx([A_LAST, A_LAST])
    assert a["histogram"]["counts"][9] == 300 and sum(a["histogram"]["counts"]) == 300
    assert a["histogram"]["edges"][9:11] == [45.0, 50.0]
    assert body["uncertain_inputs"] == [] and a["anchors"][1]["label"] == "half"


def test_monte_carlo_is_the_task_and_is_seeded(client, toy_json):
    """With y's range and noise 0.05: the summary and the tornado are the task's for the same
    seed, and the same request gives the same numbers again; no tornado unless asked."""
    request = {"scenario": toy_json, "draws": 200, "seed": 7, "noise": 0.05, "bins": 10, "tornado": True}
    one, two = (client.post("/api/montecarlo", json=request).json() for _ in range(2))
    s = parse_yaml(yaml.safe_dump(toy_json))
    s = s.as_of(s.last_event_date)
    task = tasks.montecarlo.run(s, make_model("compromise", {}), draws=200, seed=7, noise=0.05,
                                sobol_n=0, bins=10)
    for shown, again, expected in zip(one["issues"], two["issues"], task.summary["issues"], strict=True):
        assert shown["median"] == again["median"] == pytest.approx(expected["median"])
        assert shown["histogram"]["counts"] == expected["histogram"]["counts"]
        assert len(shown["histogram"]["counts"]) == 10
    assert one["tornado"] == json.loads(json.dumps(task.tornado)) and len(one["tornado"]) == 30
    assert client.post("/api/montecarlo", json={**request, "tornado": False}).json()["tornado"] == []


def test_monte_carlo_over_the_caps_is_refused(store, toy_json):
    from fastapi.testclient import TestClient

    from standoff.web import create_app
    from standoff.web.limits import WebLimits

    client = TestClient(create_app(store=store, limits=WebLimits(max_work=10_000)))
    body = error(client.post("/api/montecarlo", json={"scenario": toy_json, "draws": 5000}), 422)
    assert "over the web app's cap of 10,000" in body["detail"]
    assert error(client.post("/api/montecarlo", json={"scenario": toy_json, "draws": 20_001}), 422)
    assert error(client.post("/api/montecarlo", json={"scenario": toy_json, "noise": 0.9}), 422)


def test_levers_and_winsets_are_the_tasks(client):
    """korea-2018 as of its last event with the compromise: the levers toward Kim and the
    win-sets' deals are what the tasks give."""
    import standoff

    s = standoff.load("korea-2018")
    s = s.as_of(s.last_event_date)
    model = make_model("compromise", {})
    body = client.post("/api/levers", json={"case": "korea-2018", "for": "kim-jong-un", "top": 3}).json()
    found = tasks.levers.run_for(s, "kim-jong-un", model, top=3)
    expected = json.loads(json.dumps(found.to_dict(), default=str))
    assert [r["change"] for r in body["levers"]] == [r["change"] for r in expected["levers"]]
    assert [r["gain"] for r in body["levers"]] == pytest.approx([r["gain"] for r in expected["levers"]])
    body = client.post("/api/winsets", json={"case": "korea-2018"}).json()
    deals = {r["issue"]: r["deal"] for r in tasks.winsets.run(s, model).to_dict()["issues"]}
    assert {r["issue"]: r["deal"] for r in body["issues"]} == pytest.approx(deals)


def test_levers_and_winsets_refuse_what_they_cannot_do(client, toy_json):
    body = error(client.post("/api/levers", json={"scenario": toy_json, "for": "nobody"}), 422)
    assert body["problems"][0]["where"] == "for" and "use one of: g, x, y, z" in body["detail"]
    assert error(client.post("/api/levers", json={"scenario": toy_json, "for": "x", "step": 0}), 422)
    body = error(client.post("/api/winsets", json={"scenario": toy_json}), 422)
    assert body["problems"][0]["where"] == "issues[1].status_quo"


def test_the_timeline_replays_the_events(client, toy_json):
    """Issue a at the baseline and after each event date, as the module docstring computes."""
    body = client.post("/api/timeline", json={"scenario": toy_json}).json()
    a = [(r["date"][:10], r["value"]) for r in body["timeline"] if r["issue"] == "a"]
    assert [d for d, _ in a] == ["2018-01-01", "2018-02-01", "2018-03-01"]
    assert [v for _, v in a] == pytest.approx([143000 / 2700, 158000 / 2700, A_LAST], abs=1e-6)
    assert len(body["events"]) == 3
    body = error(client.post("/api/timeline", json={"scenario": toy_json, "changes": [
        {"actor": "x", "field": "capability", "to": 3}]}), 422)
    assert body["problems"][0]["where"] == "changes"
    assert error(client.post("/api/timeline", json={"scenario": toy_json, "until": "March"}), 422)


# --- stored runs, reports, exports ------------------------------------------------------------------
def test_a_page_run_reopens_with_its_case_edits_and_forecast(client, toy_json, store):
    edits = [{"actor": "x", "field": "position", "issue": "a", "to": 90}]
    run = client.post("/api/run", json={"scenario": toy_json, "changes": edits}).json()
    body = client.get(f"/api/runs/{run['run_id']}/open").json()
    assert body["kind"] == "forecast" and body["case"] is None and body["changes"] == edits
    assert body["scenario"]["actors"][0]["capability"] == {"mode": 10, "source": "s1", "note": "rationale"}
    a = next(i for i in body["view"]["issues"] if i["id"] == "a")
    assert a["value"] == pytest.approx(154000 / 2600) == pytest.approx(run["issues"][0]["value"])
    built = client.post("/api/run", json={"case": "ec-emissions-1994", "model": "eum"}).json()
    again = client.get(f"/api/runs/{built['run_id']}/open").json()
    assert again["case"] == "ec-emissions-1994" and again["view"]["issues"][0]["paths"]["germany"][0] == 4
    cli_run = store.record("forecast", None, model="median", params={}, seed=None, results={},
                           case="my-file.yaml")
    body = error(client.get(f"/api/runs/{cli_run}/open"), 422)
    assert "does not keep its scenario" in body["detail"]
    assert error(client.get("/api/runs/999999/open"), 404)


def test_a_report_has_its_own_address(client, store, toy_json):
    """POST /api/report names the run; /reports/{id} serves that report, and a server that never
    saw it rebuilds the same page from what the run stored."""
    from fastapi.testclient import TestClient

    from standoff.web import create_app

    made = client.post("/api/report", json={"scenario": toy_json, "models": ["median"],
                                            "changes": [{"actor": "x", "field": "position", "issue": "a",
                                                         "to": 90}]})
    run_id = made.headers["x-run-id"]
    assert made.headers["x-report-url"] == f"/reports/{run_id}"
    page = client.get(f"/reports/{run_id}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text == made.text
    fresh = TestClient(create_app(store=store)).get(f"/reports/{run_id}")
    assert fresh.status_code == 200 and fresh.text == made.text
    other = client.post("/api/run", json={"scenario": toy_json}).json()["run_id"]
    assert "not a report" in error(client.get(f"/reports/{other}"), 404)["detail"]
    assert error(client.get("/reports/424242"), 404)


def test_a_forecast_exports_as_csv_and_xlsx_with_the_api_values(client):
    """EC case: 500.3 / 67.7 = 7.390 in the API's answer, the CSV and the XLSX alike; the table is
    Forecast.to_frame() of the stored forecast."""
    run = client.post("/api/run", json={"case": "ec-emissions-1994"}).json()
    csv = client.get(f"/api/export/runs/{run['run_id']}?format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(csv.text))
    stored = client.get(f"/api/runs/{run['run_id']}").json()["results"]["forecasts"][0]
    expected = Forecast.from_dict(stored).to_frame()
    assert list(frame.columns) == list(expected.columns)
    assert frame["value"].tolist() == pytest.approx([500.3 / 67.7], abs=1e-3)
    assert frame["value"].tolist() == pytest.approx([run["issues"][0]["value"]])
    xlsx = client.get(f"/api/export/runs/{run['run_id']}?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["forecast"].iter_rows(values_only=True))
    # XLSX holds 16 significant digits (the shared writer, as openpyxl writes them)
    assert rows[0][:3] == ("issue", "title", "value")
    assert rows[1][2] == pytest.approx(run["issues"][0]["value"], rel=1e-15)


def test_monte_carlo_and_the_run_list_export(client, fixed_json):
    """A Monte Carlo run's workbook: a sheet each for the summary, the histogram (its draws add
    up to the draws asked) and the tornado; the run list as CSV lists the runs of GET /api/runs."""
    mc = client.post("/api/montecarlo", json={"scenario": fixed_json, "draws": 50}).json()
    xlsx = client.get(f"/api/export/runs/{mc['run_id']}?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[:2] == ["monte_carlo", "histogram"]
    summary = list(book["monte_carlo"].iter_rows(values_only=True))
    head = summary[0]
    a = dict(zip(head, next(r for r in summary[1:] if r[0] == "a"), strict=True))
    assert a["median"] == pytest.approx(A_LAST) and a["p80_low"] == pytest.approx(A_LAST)
    hist = list(book["histogram"].iter_rows(values_only=True))
    assert sum(r[3] for r in hist[1:] if r[0] == "a") == 50
    listed = pd.read_csv(io.StringIO(client.get("/api/export/runs?format=csv").text))
    assert listed["id"].tolist() == [r["id"] for r in client.get("/api/runs?limit=500").json()]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/api/export/runs?format=xlsx").content))
    assert book.sheetnames == ["runs"] and book["runs"].max_row == len(listed) + 1


def test_exports_refuse_bad_requests(client):
    run = client.post("/api/run", json={"case": "ec-emissions-1994"}).json()["run_id"]
    body = error(client.get(f"/api/export/runs/{run}?format=csv&table=nope"), 422)
    assert body["problems"][0]["where"] == "table" and "use one of: forecast" in body["detail"]
    assert error(client.get(f"/api/export/runs/{run}?format=pdf"), 422)
    assert error(client.get("/api/export/runs/987654?format=csv"), 404)
    assert error(client.get("/api/export/runs?format=csv&limit=0"), 422)
