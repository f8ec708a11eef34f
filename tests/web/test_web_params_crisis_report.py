"""The API's model parameters (types from the constructors), the crisis game and the HTML report:
values against the Python API run here, and every error a 4xx with its message."""

from __future__ import annotations

import html
import json

import pytest

import standoff
from standoff.models import available, declared_parameters, make

KOREA = "korea-2018"
EC = "ec-emissions-1994"


def korea_now():
    s = standoff.load(KOREA)
    return s.as_of(s.last_event_date)


def error(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body["detail"]


# --- parameters -----------------------------------------------------------------------------------
def test_models_list_every_parameter_with_its_default_and_type(client):
    """The parameters are the constructor's, in order, with its defaults; the types are read from
    the annotations: eum's `rounds: int = 10`, `tol: float = 0.0`, `preset: str = "scholz2011"`,
    `capitulation: bool | None = None`; ensemble's `members` (a tuple or a text) is "other"."""
    rows = {m["name"]: m for m in client.get("/api/models").json()}
    assert set(rows) == set(available())
    for name, cls in available().items():
        params = rows[name]["params"]
        assert [p["name"] for p in params] == list(cls.parameters())
        assert {p["name"]: p["default"] for p in params} == rows[name]["parameters"]
        for p in params:
            default = cls.parameters()[p["name"]].default
            if p["type"] in ("int", "float", "str", "bool") and default is not None:
                assert type(default).__name__ == p["type"], (name, p)
    eum = {p["name"]: p for p in rows["eum"]["params"]}
    assert eum["rounds"] == {"name": "rounds", "type": "int", "nullable": False, "default": 10,
                             "description": "the most rounds to run", "rule": "a whole number >= 0",
                             "low": 0, "high": None, "choices": None, "advanced": False}
    assert eum["q"]["rule"] == "a number in [0, 1]" and (eum["q"]["low"], eum["q"]["high"]) == (0, 1)
    assert eum["preset"]["choices"] == ["paper", "scholz2011"]
    assert eum["engine"]["advanced"] and not eum["preset"]["advanced"]
    for name in available():  # each description is the declaration's one line
        assert [p["description"] for p in rows[name]["params"]] == [
            spec["doc"] for spec in declared_parameters(name).values()]
    assert eum["tol"]["type"] == "float" and eum["tol"]["default"] == 0.0
    basic = ("name", "type", "nullable", "default")
    assert {k: eum["preset"][k] for k in basic} == {
        "name": "preset", "type": "str", "nullable": False, "default": "scholz2011"}
    assert {k: eum["capitulation"][k] for k in basic} == {
        "name": "capitulation", "type": "bool", "nullable": True, "default": None}
    members = {p["name"]: p for p in rows["ensemble"]["params"]}["members"]
    assert members["type"] == "other" and members["nullable"]


def test_a_parameter_changes_the_forecast_as_the_python_api_does(client):
    """EUM with 0 rounds (the starting point: no proposals exchanged) against the Python API with
    0 rounds: same values, a trajectory of one point; on sanctions-relief it stays at 20 where the
    default 10 rounds (preset scholz2011) move it to 0."""
    r = client.post("/api/run", json={"case": KOREA, "model": "eum", "params": {"rounds": 0}})
    assert r.status_code == 200, r.text
    body = r.json()
    expected = standoff.forecast(korea_now(), "eum", rounds=0)
    default = standoff.forecast(korea_now(), "eum")
    for shown, f in zip(body["issues"], expected.issues, strict=True):
        assert shown["id"] == f.issue
        assert shown["value"] == pytest.approx(f.value, abs=1e-9)
        assert len(shown["trajectory"]) == 1
    relief = {f.issue: f.value for f in expected.issues}["sanctions-relief"]
    assert relief == pytest.approx(20.0)
    assert {f.issue: f.value for f in default.issues}["sanctions-relief"] == pytest.approx(0.0)
    assert body["params"]["rounds"] == 0
    stored = client.get(f"/api/runs/{body['run_id']}").json()
    assert stored["params"] == {"eum": make("eum", rounds=0).get_params()}


@pytest.mark.parametrize(("params", "message"), [
    ({"rounds": 2.5}, "must be a whole number, not 2.5"),
    ({"rounds": "ten"}, "must be a whole number, not 'ten'"),
    ({"rounds": True}, "must be a whole number"),
    ({"rounds": 5000}, "too large for the web app"),
    ({"q": "high"}, "must be a number"),
    ({"keep_dyads": 1}, "must be true or false"),
    ({"rounds": -3}, "rounds must be a whole number >= 0"),
    ({"no_such": 1}, "has no parameter 'no_such'"),
])
def test_invalid_parameter_values_are_422_with_the_reason(client, params, message):
    r = client.post("/api/run", json={"case": KOREA, "model": "eum", "params": params})
    assert message in error(r, 422)


def test_a_whole_number_is_taken_for_a_float_parameter(client):
    """tol = 1 (an int in JSON) is the float 1.0 the Python API gets."""
    r = client.post("/api/run", json={"case": KOREA, "model": "eum", "params": {"tol": 1, "rounds": 3}})
    assert r.status_code == 200, r.text
    assert r.json()["params"]["tol"] == 1.0
    expected = standoff.forecast(korea_now(), "eum", tol=1.0, rounds=3)
    assert [i["value"] for i in r.json()["issues"]] == pytest.approx([f.value for f in expected.issues])


# --- the crisis game --------------------------------------------------------------------------------
def test_crisis_agrees_with_the_games_module(client, store):
    """Default sides: the first two groups (united-states, north-korea); the probabilities are
    games.crisis.crisis(...) at λ = 10 on the case as of its last event; the QRE sums to 1, the
    subgame-perfect play picks one outcome; the run is recorded with its sides and λ."""
    from standoff.games.crisis import crisis

    r = client.post("/api/crisis", json={"case": KOREA})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["a"]["id"], body["b"]["id"]) == ("united-states", "north-korea")
    expected = crisis(korea_now(), "united-states", "north-korea", lam=10.0)
    assert body["probabilities"] == pytest.approx(expected.probabilities(), abs=1e-12)
    frame = expected.outcomes
    assert [o["qre"] for o in body["outcomes"]] == pytest.approx(list(frame["qre"]), abs=1e-12)
    assert [o["payoff_a"] for o in body["outcomes"]] == pytest.approx(
        list(frame["payoff_united-states"]), abs=1e-12)
    assert sum(o["qre"] for o in body["outcomes"]) == pytest.approx(1.0)
    spe = sorted(o["spe"] for o in body["outcomes"])
    assert spe[-1] == 1.0 and sum(spe) == 1.0
    assert body["path"] == expected.path_in_words()
    run = store.get(body["run_id"])
    assert run.kind == "crisis"
    assert run.params == {"between": ["united-states", "north-korea"], "lambda": 10.0}


def test_crisis_at_lambda_zero_is_random_play(client):
    """λ = 0: every mover picks each of two actions with probability 1/2, so a path of d moves has
    probability 2^-d and each ending's probability, a sum over the paths that end there, is a
    whole number of 2^-6 (the tree is at most 6 moves deep)."""
    body = client.post("/api/crisis", json={"case": KOREA, "lambda": 0,
                                            "between": ["china", "japan"]}).json()
    assert (body["a"]["id"], body["b"]["id"]) == ("china", "japan")
    for o in body["outcomes"]:
        assert o["qre"] * 64 == pytest.approx(round(o["qre"] * 64), abs=1e-9)
        assert o["qre"] > 0
    assert sum(o["qre"] for o in body["outcomes"]) == pytest.approx(1.0)


def test_crisis_between_actors_of_an_uploaded_scenario(client, toy_yaml):
    """The toy scenario (with a status quo on issue b, which the game needs) has one group but a
    crisis outcome (war): two actors can still be named as the sides."""
    from standoff.games.crisis import crisis
    from standoff.scenario.io import parse_yaml

    anchors = "    anchors: [{value: 0, label: low}, {value: 10, label: high}]\n"
    toy_yaml = toy_yaml.replace(anchors, anchors + "    status_quo: 5\n")

    r = client.post("/api/crisis", json={"scenario_yaml": toy_yaml, "filename": "toy.yaml",
                                         "between": ["x", "z"], "lambda": 5})
    assert r.status_code == 200, r.text
    s = parse_yaml(toy_yaml, file="toy.yaml")
    expected = crisis(s.as_of(s.last_event_date), "x", "z", lam=5.0)
    assert r.json()["probabilities"] == pytest.approx(expected.probabilities(), abs=1e-12)


def test_crisis_errors_are_4xx_with_the_reason(client, toy_yaml):
    assert "has no crisis outcomes" in error(client.post("/api/crisis", json={"case": EC}), 422)
    one_group = client.post("/api/crisis", json={"scenario_yaml": toy_yaml, "filename": "toy.yaml"})
    assert "has 1 group(s); a crisis needs two sides" in error(one_group, 422)
    same = client.post("/api/crisis", json={"case": KOREA, "between": ["china", "china"]})
    assert "two different sides" in error(same, 422)
    unknown = client.post("/api/crisis", json={"case": KOREA, "between": ["china", "mars"]})
    assert "unknown side 'mars'" in error(unknown, 422)
    assert error(client.post("/api/crisis", json={"case": KOREA, "lambda": -1}), 422)
    assert error(client.post("/api/crisis", json={"case": KOREA, "lambda": "ten"}), 422)
    assert error(client.post("/api/crisis", json={"case": "nowhere"}), 404)


# --- the report ------------------------------------------------------------------------------------
def test_report_is_the_html_report_and_is_recorded_with_its_tables(client, store):
    """The page's report of korea-2018 with EUM at 3 rounds: HTML, recorded as a `report` run with
    the parameters and the tables build_report gives for the same choice."""
    from standoff.report.document import build_report

    r = client.get("/api/report", params={"case": KOREA, "models": "eum",
                                          "params": json.dumps({"rounds": 3})})
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert r.text.lstrip().lower().startswith("<!doctype html")
    run = store.get(int(r.headers["x-run-id"]))
    assert run.kind == "report" and run.model == "eum"
    assert run.params == {"eum": {"rounds": 3}, "actor": None, "monte_carlo": 0, "sensitivity": False}
    expected = build_report(korea_now(), models=["eum"], params={"eum": {"rounds": 3}})
    forecasts = next(sec for sec in expected.sections if sec.id == "forecasts")
    stored = next(sec for sec in run.results["sections"] if sec["id"] == "forecasts")
    table = forecasts.tables()[0]
    assert stored["tables"][0]["columns"] == list(table.columns)
    assert json.loads(json.dumps(stored["tables"][0]["rows"], default=str)) == json.loads(
        json.dumps([list(row) for row in table.rows], default=str))
    assert table.caption in html.unescape(r.text)


def test_report_errors_are_4xx(client):
    assert error(client.get("/api/report", params={"case": "nowhere"}), 404)
    oracle = client.get("/api/report", params={"case": KOREA, "models": "oracle"})
    assert "unknown model" in error(oracle, 422)
    assert "not JSON" in error(client.get("/api/report", params={"case": KOREA, "models": "eum",
                                                                 "params": "{rounds: 3"}), 422)
    assert "no chosen model takes parameter 'rounds'" in error(client.get(
        "/api/report", params={"case": KOREA, "models": "median", "params": '{"rounds": 3}'}), 422)
    assert "must be a whole number" in error(client.get(
        "/api/report", params={"case": KOREA, "models": "eum", "params": '{"rounds": "x"}'}), 422)


def _forecast_rows(sections):
    return next(sec for sec in sections if sec["id"] == "forecasts")["tables"][0]["rows"]


def test_the_report_of_an_edited_case_shows_the_edited_forecast(client, store):
    """Germany's position on the EC case moved 4 -> 10: the compromise becomes
    (500.3 + 0.16 * 80 * 6) / 67.7 = 577.1 / 67.7 = 8.52, in the page and in the stored run."""
    edit = {"actor": "germany", "field": "position", "issue": "emissions-date", "to": 10}
    r = client.post("/api/report", json={"case": EC, "models": ["compromise"], "changes": [edit]})
    assert r.status_code == 200, r.text[:500]
    assert r.text.lstrip().lower().startswith("<!doctype html")
    run = store.get(int(r.headers["x-run-id"]))
    assert run.kind == "report" and run.case == EC and run.model == "compromise"
    assert run.results["changes"] == [edit]
    assert _forecast_rows(run.results["sections"])[0][:3] == [
        "emissions-date", "compromise", f"{577.1 / 67.7:.2f}"]
    plain = client.post("/api/report", json={"case": EC, "models": ["compromise"]})
    assert _forecast_rows(store.get(int(plain.headers["x-run-id"])).results["sections"])[0][2] == \
        f"{500.3 / 67.7:.2f}"
    assert f"{577.1 / 67.7:.2f}" in r.text and f"{577.1 / 67.7:.2f}" not in plain.text


def test_the_report_of_an_uploaded_scenario(client, store, toy_yaml):
    """An uploaded scenario's report runs the chosen models on it with the parameters given,
    and is recorded under the scenario's id."""
    r = client.post("/api/report", json={"scenario_yaml": toy_yaml, "filename": "toy.yaml",
                                         "models": ["eum"], "params": {"rounds": 2}})
    assert r.status_code == 200, r.text[:500]
    run = store.get(int(r.headers["x-run-id"]))
    assert run.scenario_id == "toy" and run.params["eum"] == {"rounds": 2}
    expected = {f.issue: f.value for f in standoff.forecast(_parse(toy_yaml), "eum", rounds=2).issues}
    rows = _forecast_rows(run.results["sections"])
    assert [row[0] for row in rows] == list(expected)
    for row in rows:
        assert float(row[2]) == pytest.approx(expected[row[0]], abs=0.005)


def _parse(text: str):
    """An uploaded scenario as the API sees it: as of its last event."""
    from standoff.web import service

    return service.at_date(service.parse_upload(text.encode("utf-8"), "toy.yaml"), None)


def test_report_post_errors_are_4xx(client, toy_yaml):
    both = client.post("/api/report", json={"case": EC, "scenario_yaml": toy_yaml})
    assert "exactly one of" in error(both, 422)
    unknown = {"actor": "nobody", "field": "position", "issue": "emissions-date", "to": 5}
    assert "unknown actor 'nobody'" in error(client.post("/api/report", json={
        "case": EC, "changes": [unknown]}), 422)
    off = {"actor": "germany", "field": "position", "issue": "emissions-date", "to": 50}
    assert "off the scale" in error(client.post("/api/report", json={"case": EC, "changes": [off]}),
                                    422)
    assert error(client.post("/api/report", json={"case": EC, "models": ["oracle"]}), 422)
    assert "no chosen model takes parameter 'rounds'" in error(client.post("/api/report", json={
        "case": EC, "models": ["median"], "params": {"rounds": 3}}), 422)
    assert error(client.post("/api/report", json={"case": "nowhere"}), 404)
