"""The JSON API: values computed by hand, agreement with the Python API, and located 4xx errors."""

from __future__ import annotations

import csv
import os

import pytest

import standoff
from standoff.models import available
from standoff.web.service import MAX_SCENARIO_BYTES

EC = "ec-emissions-1994"
KOREA = "korea-2018"


def run(client, **body):
    response = client.post("/api/run", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def korea_now():
    s = standoff.load(KOREA)
    return s.as_of(s.last_event_date)


# --- cases and models ---------------------------------------------------------------------------
def test_cases_lists_the_builtin_cases_with_their_counts(client):
    rows = {r["case"]: r for r in client.get("/api/cases").json()}
    assert set(rows) == set(standoff.cases())
    korea = standoff.load(KOREA)
    assert rows[KOREA]["actors"] == len(korea.actors) == 11
    assert rows[KOREA]["issues"] == 4
    assert rows[KOREA]["last_event"] == str(korea.last_event_date)
    assert rows[EC]["actors"] == 10 and rows[EC]["events"] == 0


def test_case_view_holds_every_actor_value_as_of_the_last_event(client):
    """Default date: after the last event, as on the command line; 'baseline': as written."""
    view = client.get(f"/api/cases/{KOREA}").json()
    s = korea_now()
    assert view["date"] == str(s.last_event_date)
    assert [i["id"] for i in view["issues"]] == list(s.issue_ids)
    for a in view["actors"]:
        actor = s.actor(a["id"])
        assert a["capability"] == actor.capability.mode
        for i in s.issue_ids:
            assert a["positions"][i] == actor.positions[i].mode
            assert a["salience"][i] == actor.salience[i].mode
    base = client.get(f"/api/cases/{KOREA}", params={"as_of": "baseline"}).json()
    moved = [(a["id"], i) for a, b in zip(base["actors"], view["actors"], strict=True)
             for i in s.issue_ids if a["positions"][i] != b["positions"][i]]
    assert moved, "the Korea case's events move some positions"


def test_models_lists_every_registered_model_with_defaults(client):
    rows = {m["name"]: m for m in client.get("/api/models").json()}
    assert set(rows) == set(available())
    assert rows["eum"]["parameters"]["rounds"] == 10
    assert rows["compromise"]["parameters"] == {}


# --- forecasts: hand-computed values --------------------------------------------------------------
def ec_table(reference_data):
    with open(reference_data / "ec-emissions-1994.csv", newline="") as f:
        return [{k: (v if k == "actor" else float(v)) for k, v in row.items()} for row in csv.DictReader(f)]


def test_compromise_on_the_ec_case_is_the_weighted_mean_of_the_published_table(client, reference_data):
    """Σ c·s·x / Σ c·s over Table 1 = 500.3 / 67.7 = 7.390, nearest labelled point 'middle date' (7)."""
    rows = ec_table(reference_data)
    num = sum(r["capability"] * r["salience"] * r["position"] for r in rows)
    den = sum(r["capability"] * r["salience"] for r in rows)
    assert num == pytest.approx(500.3) and den == pytest.approx(67.7)
    out = run(client, case=EC, model="compromise")
    (issue,) = out["issues"]
    assert issue["value"] == pytest.approx(num / den) == pytest.approx(7.390, abs=5e-4)
    assert issue["nearest_point"] == "middle date" and issue["nearest_point_value"] == 7
    assert issue["trajectory"] is None
    weights = {a["name"]: a["weight"] for a in issue["actors"]}
    assert weights["Germany"] == pytest.approx(0.16 * 80 / 100)  # chart data: c·s/100


def test_moving_one_actor_moves_the_compromise_by_the_hand_computed_amount(client, reference_data):
    """Germany (c·s = 0.16·80 = 12.8) from 4 to 10 adds 12.8·6 = 76.8 to the numerator:
    577.1 / 67.7 = 8.524 — a shift of 76.8/67.7 = 1.134."""
    rows = ec_table(reference_data)
    num = sum(r["capability"] * r["salience"] * r["position"] for r in rows)
    den = sum(r["capability"] * r["salience"] for r in rows)
    change = {"actor": "germany", "field": "position", "issue": "emissions-date", "to": 10}
    out = run(client, case=EC, model="compromise", changes=[change])
    assert out["issues"][0]["value"] == pytest.approx((num + 12.8 * 6) / den)
    assert out["issues"][0]["value"] == pytest.approx(577.1 / 67.7)
    assert out["changes"] == [change]
    germany = next(a for a in out["issues"][0]["actors"] if a["id"] == "germany")
    assert germany["position"] == 10


def test_salience_and_capability_edits_change_the_weights(client):
    """UK salience 90 → 0 drops its weight 0.16·90 = 14.4 at position 10:
    (500.3 − 144) / (67.7 − 14.4) = 356.3 / 53.3 = 6.685. Then doubling Denmark's capability
    (0.05 → 0.10, salience 100, position 4) adds 5 to the weight and 20 to the numerator:
    376.3 / 58.3 = 6.454."""
    uk = {"actor": "uk", "field": "salience", "issue": "emissions-date", "to": 0}
    assert run(client, case=EC, changes=[uk])["issues"][0]["value"] == pytest.approx(356.3 / 53.3)
    dk = {"actor": "denmark", "field": "capability", "to": 0.10}
    assert run(client, case=EC, changes=[uk, dk])["issues"][0]["value"] == pytest.approx(376.3 / 58.3)


def test_korea_edit_shifts_the_compromise_by_weight_times_move_over_total_weight(client):
    """Compromise x* = Σ w·x / Σ w with w = c·s: moving Kim from p to q on denuclearization
    moves x* by w_kim·(q − p) / Σ w, computed here from the case's own table."""
    view = client.get(f"/api/cases/{KOREA}").json()
    issue = "denuclearization"
    w = {a["id"]: a["capability"] * a["salience"][issue] for a in view["actors"]}
    x = {a["id"]: a["positions"][issue] for a in view["actors"]}
    base = sum(w[k] * x[k] for k in w) / sum(w.values())
    before = run(client, case=KOREA, model="compromise")
    value = {f["id"]: f["value"] for f in before["issues"]}
    assert value[issue] == pytest.approx(base)
    q = 60.0
    after = run(client, case=KOREA, model="compromise",
                changes=[{"actor": "kim-jong-un", "field": "position", "issue": issue, "to": q}])
    moved = {f["id"]: f["value"] for f in after["issues"]}
    assert moved[issue] - value[issue] == pytest.approx(w["kim-jong-un"] * (q - x["kim-jong-un"])
                                                        / sum(w.values()))
    assert all(moved[i] == pytest.approx(value[i]) for i in value if i != issue)


@pytest.mark.parametrize("model", sorted(available()))
def test_every_model_gives_what_the_python_api_gives(client, model):
    """The web adds nothing: the same model on the same scenario, the same forecast."""
    out = run(client, case=KOREA, model=model)
    direct = standoff.forecast(korea_now(), model)
    for f in out["issues"]:
        ref = next(x for x in direct.issues if x.issue == f["id"])
        assert f["value"] == pytest.approx(ref.value)
        assert f["nearest_point"] == ref.nearest_point
        assert f["trajectory"] == (None if ref.trajectory is None else pytest.approx(ref.trajectory))
    assert out["nearest_outcome"] == direct.nearest_outcome


def test_as_of_replays_the_events_up_to_that_date(client):
    """Baseline, a date between events, and the default (after the last event) each give the
    forecast of the scenario as of that date, as the Python API computes it."""
    s = standoff.load(KOREA)
    seen = []
    for as_of, scenario in (("baseline", s), ("2018-03-09", s.as_of("2018-03-09")),
                            (None, s.as_of(s.last_event_date))):
        out = run(client, case=KOREA, model="compromise", as_of=as_of)
        assert out["date"] == str(scenario.date)
        direct = standoff.forecast(scenario, "compromise")
        assert [f["value"] for f in out["issues"]] == pytest.approx([f.value for f in direct.issues])
        seen.append(out["issues"][0]["value"])
    assert len(set(seen)) == 3, "the events between these dates move the denuclearization forecast"


def test_model_parameters_pass_through(client):
    """EUM with rounds=3 has a trajectory of 4 points (round 0 and three rounds)."""
    out = run(client, case=KOREA, model="eum", params={"rounds": 3})
    assert out["params"]["rounds"] == 3
    assert all(len(f["trajectory"]) == 4 for f in out["issues"])


def test_an_uploaded_scenario_validates_and_runs_like_the_builtin_case(client):
    """The EC case's own YAML, uploaded and sent inline, forecasts exactly as the built-in case."""
    from standoff.data import case_path

    text = case_path(EC).read_text()
    view = client.post("/api/scenarios/validate", files={"file": ("ec.yaml", text.encode())}).json()
    assert view["id"] == EC and len(view["actors"]) == 10
    inline = run(client, scenario_yaml=text, filename="ec.yaml")
    assert inline["issues"][0]["value"] == pytest.approx(500.3 / 67.7)


# --- the run store ---------------------------------------------------------------------------------
def test_each_run_is_recorded_and_can_be_read_back(client):
    a = run(client, case=EC, model="compromise")
    b = run(client, case=KOREA, model="median")
    listed = client.get("/api/runs").json()
    assert [r["id"] for r in listed[:2]] == [b["run_id"], a["run_id"]]
    stored = client.get(f"/api/runs/{a['run_id']}").json()
    assert stored["model"] == "compromise"
    assert stored["results"]["forecasts"][0]["issues"][0]["value"] == pytest.approx(500.3 / 67.7)
    assert [r["id"] for r in client.get("/api/runs", params={"case": EC}).json()] == [a["run_id"]]


def test_an_unknown_run_is_a_404(client):
    body = error(client.get("/api/runs/999999"), 404)
    assert "999999" in body["detail"]


# --- errors: 4xx with a located message --------------------------------------------------------------
def test_unknown_case_is_a_404_naming_the_cases(client):
    body = error(client.get("/api/cases/atlantis"), 404)
    assert "atlantis" in body["detail"] and KOREA in body["problems"][0]["fix"]
    error(client.post("/api/run", json={"case": "atlantis"}), 404)


def test_a_case_name_is_never_read_as_a_path(client, tmp_path):
    """A YAML file outside the built-in cases, named relative to them, is not a case."""
    from standoff.data import case_path

    outside = tmp_path / "secret.yaml"
    outside.write_text(case_path(EC).read_text())
    relative = os.path.relpath(outside.with_suffix(""), case_path(EC).parent)
    assert len(relative) <= 100, "the request schema caps names at 100 characters"
    assert (case_path(EC).parent / f"{relative}.yaml").resolve() == outside.resolve()
    error(client.post("/api/run", json={"case": relative}), 404)


def test_edits_off_the_scale_or_unknown_are_422_with_the_place(client):
    bad = error(client.post("/api/run", json={"case": EC, "changes": [
        {"actor": "germany", "field": "position", "issue": "emissions-date", "to": 12}]}), 422)
    assert bad["problems"][0]["where"] == "changes[0].to"
    assert "off the scale [4, 10]" in bad["detail"]
    assert "changes[0].to" in error(client.post("/api/run", json={"case": EC, "changes": [
        {"actor": "uk", "field": "salience", "issue": "emissions-date", "to": 101}]}), 422)["detail"]
    assert "unknown actor 'narnia'" in error(client.post("/api/run", json={"case": EC, "changes": [
        {"actor": "narnia", "field": "capability", "to": 1}]}), 422)["detail"]
    assert "unknown issue" in error(client.post("/api/run", json={"case": EC, "changes": [
        {"actor": "uk", "field": "position", "issue": "fish", "to": 5}]}), 422)["detail"]
    assert "negative" in error(client.post("/api/run", json={"case": EC, "changes": [
        {"actor": "uk", "field": "capability", "to": -1}]}), 422)["detail"]


def test_an_edited_value_becomes_a_point_even_at_the_end_of_the_scale(client):
    """Trump's denuclearization position is 75 in [65, 80]; edited to 100 it is the point 100
    (moved with its range it would reach 105, off the scale). Compromise shift, by hand:
    w_trump·(100 − 75)/Σw."""
    view = client.get(f"/api/cases/{KOREA}").json()
    issue = "denuclearization"
    w = {a["id"]: a["capability"] * a["salience"][issue] for a in view["actors"]}
    base = {f["id"]: f["value"] for f in run(client, case=KOREA)["issues"]}
    out = run(client, case=KOREA, changes=[{"actor": "trump", "field": "position", "issue": issue,
                                            "to": 100}])
    value = {f["id"]: f["value"] for f in out["issues"]}
    assert value[issue] - base[issue] == pytest.approx(w["trump"] * 25 / sum(w.values()))


def test_edits_that_leave_an_issue_without_weight_are_refused(client):
    """Every salience on the EC issue set to 0: no weighted mean exists, so the edited scenario
    fails the file checks, with the message a file would get."""
    names = [a["id"] for a in client.get(f"/api/cases/{EC}").json()["actors"]]
    changes = [{"actor": n, "field": "salience", "issue": "emissions-date", "to": 0} for n in names]
    body = error(client.post("/api/run", json={"case": EC, "changes": changes}), 422)
    assert "no actor has both capability and salience on 'emissions-date'" in body["detail"]
    assert body["file"] == "(edited values)"


def test_bad_requests_are_422_with_a_readable_detail(client):
    body = error(client.post("/api/run", json={"case": EC, "model": "astrology"}), 422)
    assert body["problems"][0]["where"] == "body.model"
    assert "exactly one of" in error(client.post("/api/run", json={"model": "median"}), 422)["detail"]
    assert "exactly one of" in error(client.post("/api/run", json={"case": EC, "scenario_yaml": "x"}),
                                     422)["detail"]
    assert "no parameter 'gamma'" in error(client.post("/api/run", json={
        "case": EC, "model": "eum", "params": {"gamma": 1}}), 422)["detail"]
    assert "too large" in error(client.post("/api/run", json={
        "case": EC, "model": "eum", "params": {"rounds": 10**6}}), 422)["detail"]
    assert "rounds" in error(client.post("/api/run", json={
        "case": EC, "model": "eum", "params": {"rounds": "many"}}), 422)["detail"]
    error(client.get(f"/api/cases/{KOREA}", params={"as_of": "tomorrow"}), 422)
    assert "not a date" in error(client.get(f"/api/cases/{KOREA}", params={"as_of": "2018-02-30"}),
                                 422)["detail"]


def test_uploads_are_size_limited(client):
    big = b"# padding\n" * (MAX_SCENARIO_BYTES // 10 + 1)
    body = error(client.post("/api/scenarios/validate", files={"file": ("big.yaml", big)}), 413)
    assert "limit" in body["detail"]
    error(client.post("/api/run", json={"scenario_yaml": big.decode(), "filename": "big.yaml"}), 413)


def test_upload_schema_errors_are_located_by_line(client, toy_yaml):
    """The toy scenario with actor Y's position on issue b set to 12 (scale 0..10): the
    message names the file, the line of that value and the path inside the file."""
    bad = toy_yaml.replace("positions: {a: {value: 60, low: 50, high: 70}, b: 8}",
                           "positions: {a: {value: 60, low: 50, high: 70}, b: 12}")
    line = bad.splitlines().index("    positions: {a: {value: 60, low: 50, high: 70}, b: 12}") + 1
    body = error(client.post("/api/scenarios/validate", files={"file": ("toy.yaml", bad.encode())}), 422)
    assert body["problems"][0]["where"] == "actors[1].positions.b"
    assert body["problems"][0]["line"] == line
    assert body["detail"].startswith(f"toy.yaml:{line}: actors[1].positions.b: position value 12 is off")
    syntax = error(client.post("/api/scenarios/validate",
                               files={"file": ("s.yaml", b"id: x\nactors: [\n")}), 422)
    assert "not valid YAML" in syntax["detail"]
    binary = error(client.post("/api/scenarios/validate", files={"file": ("b.yaml", b"\xff\xfe\x00")}),
                   422)
    assert "not UTF-8" in binary["detail"]
    error(client.post("/api/scenarios/validate"), 422)  # no file at all


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/cases", "/api/cases/{name}", "/api/models", "/api/scenarios/validate", "/api/run",
            "/api/runs", "/api/runs/{run_id}"} <= set(paths)
    assert client.get("/docs").status_code == 200


def test_the_page_and_its_assets_are_served_without_external_resources(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for asset in ("/static/app.js", "/static/style.css"):
        text = client.get(asset).text
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in text
    assert "https://" not in page.text and "http://" not in page.text


def test_yaml_aliases_cannot_blow_up_an_upload(client):
    """Nine levels of nine aliases stand for about 430 million values: refused at once (422) with
    the line of the first node past 200,000 values, instead of being walked value by value.
    Sizes (the node itself plus its children): a0 = 1 + 9 = 10, a(i) = 1 + 9·a(i−1): 91, 820,
    7381, 66430, then a5 = 597,871 > 200,000."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    lines.append("id: x\ntitle: t\nbaseline: 2018-01-01\nissues: *a8\nactors: *a8\n")
    body = error(client.post("/api/scenarios/validate",
                             files={"file": ("laughs.yaml", "\n".join(lines).encode())}), 422)
    assert "expand the file to more than 200,000 values" in body["detail"]
    assert body["problems"][0]["line"] == 6  # a5 (line 6): 1 + 9·66430 = 597,871 values


def test_serve_starts_the_app_on_the_port_asked(tmp_path):
    """`standoff serve --port P --db URL` answers on 127.0.0.1:P and records runs in that store."""
    import socket
    import subprocess
    import sys
    import time

    import httpx

    from standoff.store import RunStore

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = f"sqlite:///{tmp_path / 'runs.db'}"
    proc = subprocess.Popen([sys.executable, "-m", "standoff", "serve", "--port", str(port), "--db", db],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                cases = httpx.get(f"http://127.0.0.1:{port}/api/cases", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "standoff serve did not answer within 60 s"
                time.sleep(0.2)
        assert KOREA in {c["case"] for c in cases.json()}
        ran = httpx.post(f"http://127.0.0.1:{port}/api/run", json={"case": EC}, timeout=30).json()
        assert RunStore(db).get(ran["run_id"]).model == "compromise"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_api_docs_page_needs_no_network(client):
    """/docs is Swagger UI with its script and style served by the app itself, so the page works
    offline: no http(s) address in it, and every asset it names is served."""
    import re

    r = client.get("/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    assert not re.search(r"(src|href)=['\"]https?://", r.text)
    assets = re.findall(r"(?:src|href)=['\"](/docs-assets/[^'\"]+)", r.text)
    assert len(assets) >= 2
    for url in assets:
        assert client.get(url).status_code == 200, url
    assert client.get("/openapi.json").json()["info"]["title"] == "Standoff"
