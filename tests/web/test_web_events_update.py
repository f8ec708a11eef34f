"""The update panel's API: an uploaded event file -> stories -> proposed effects with the forecast before
and after, and the analyst's decisions -> the case with the accepted events, on the two-state case of
tests/events (docs/events.md, "Proposed effects"), every number by hand; bad uploads are located 4xx."""

from __future__ import annotations

import json

import pytest
from tests.events.conftest import DYAD_YAML
from typer.testing import CliRunner

from standoff.cli import app
from standoff.scenario import read_scenario
from standoff.scenario.io import parse_yaml, to_yaml

#: Two stories on 2018-03-01: kim -> trump, 036 (Goldstein +4, verbal), three publishers (the third a
#: day later, within the one-day window); trump -> kim, 163 sanctions (Goldstein -8, material).
NEWS = ("date,source,target,cameo,text,origin\n"
        "2018-03-01,North Korea,United States,036,North Korea offers talks with the United States on its "
        "nuclear programme,Yonhap\n"
        "2018-03-01,Kim Jong-Un,Trump,036,Kim offers talks with the United States on the nuclear "
        "programme,KCNA\n"
        "2018-03-01,United States,North Korea,163,United States imposes sanctions on North Korea,AP\n"
        "2018-03-02,PRK,USA,036,North Korea offers nuclear talks with United States,Reuters\n")

#: Compromise (capability × salience weighted mean) before: trump 60·80 = 4800 at 100, kim 30·100 = 3000
#: at 10, moon 10·60 = 600 at 60: (480000 + 30000 + 36000) / 8400 = 65.
BEFORE = 546000 / 8400
#: p1: kim moves 0.2 × 0.5 × (4/10) × (100 − 10) = +3.6: (480000 + 3000 · 13.6 + 36000) / 8400.
AFTER_P1 = 556800 / 8400
#: p2: trump's move away (0.2 × 1 × (−0.8) × (10 − 100) = +14.4) is cut at the scale's end; trump's
#: salience +10 × 0.8 = +8 (to 88), kim's capability 5 × (−0.8) = −4 (to 26): weights 5280, 2600, 600:
#: (528000 + 26000 + 36000) / 8480.
AFTER_P2 = 590000 / 8480
#: both: (528000 + 2600 · 13.6 + 36000) / 8480.
AFTER_BOTH = 599360 / 8480
#: p1 edited to +5: (480000 + 3000 · 15 + 36000) / 8400.
AFTER_EDIT = 561000 / 8400


def post(client, route: str, body: dict, news: str | bytes = NEWS, name: str = "news.csv"):
    return client.post(f"/api/events/{route}", files={"file": (name, news)},
                       data={"request": json.dumps(body)})


def dyad(**more) -> dict:
    return {"scenario_yaml": DYAD_YAML, "filename": "dyad.yaml", **more}


def proposals(client) -> dict:
    r = post(client, "proposals", dyad())
    assert r.status_code == 200, r.text
    return r.json()


def test_proposals_carry_the_stories_their_sources_and_the_forecast_by_hand(client):
    data = proposals(client)
    assert (data["rows"], data["reports"], len(data["stories"]), len(data["proposals"])) == (4, 4, 2, 2)
    assert data["date"] == "2018-03-01" and data["file"] == "news.csv"
    assert data["forecast"]["arms"] == pytest.approx(BEFORE)
    p1, p2 = data["proposals"]
    assert p1["effects"] == [{"actor": "kim", "field": "position", "issue": "arms", "by": 3.6,
                              "note": "rule: kim position on arms: 0.2 × 0.5 × (+4/10) × (100 − 10) = +3.6",
                              "source": "news-2018-03-01-kim-trump-036"}]
    assert p1["sources"] == ["Yonhap", "KCNA", "Reuters"]
    assert p1["stories"][0]["where"] == ["news.csv:2", "news.csv:3", "news.csv:5"]
    assert [(e["actor"], e["field"], e["by"]) for e in p2["effects"]] == [("trump", "salience", 8.0),
                                                                          ("kim", "capability", -4.0)]
    assert p2["sources"] == ["AP"]
    assert p1["forecast_before"]["arms"] == pytest.approx(BEFORE)
    assert p1["forecast_after"]["arms"] == pytest.approx(AFTER_P1)
    assert p2["forecast_after"]["arms"] == pytest.approx(AFTER_P2)
    assert p2["forecast_change"]["arms"] == pytest.approx(AFTER_P2 - BEFORE)
    assert len(data["token"]) == 32 and data["issues"][0]["id"] == "arms"


def test_accept_one_reject_one_gives_the_case_the_command_line_writes(client, tmp_path):
    """Accepting p1 and rejecting p2 gives the case `events update --accept interactive` writes for
    the answers a, r (compared through the YAML writer), whose forecast is AFTER_P1; it is recorded
    and the forecast history shows it."""
    token = proposals(client)["token"]
    r = post(client, "decide", dyad(token=token, decisions={"p1": "accept", "p2": "reject"}))
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["accepted"] == ["p1"] and d["decisions"] == {"p1": "accept", "p2": "reject"}
    assert d["forecast_before"]["arms"] == pytest.approx(BEFORE)
    assert d["forecast_after"]["arms"] == pytest.approx(AFTER_P1) and d["events_added"] == 1
    case, news, out = tmp_path / "dyad.yaml", tmp_path / "news.csv", tmp_path / "out.yaml"
    case.write_text(DYAD_YAML)
    news.write_text(NEWS)
    res = CliRunner().invoke(app, ["events", "update", str(case), "--events", str(news), "--no-progress",
                                   "--accept", "interactive", "-o", str(out)], input="a\nr\n")
    assert res.exit_code == 0, res.output
    assert d["yaml"] == to_yaml(read_scenario(out))
    written = parse_yaml(d["yaml"])
    assert parse_yaml(to_yaml(parse_yaml(json_yaml(d["scenario"])))) == written
    (added,) = [e for e in written.events if e.source == "news-2018-03-01-kim-trump-036"]
    assert [(e.actor, e.field, e.issue, e.by) for e in added.effects] == [("kim", "position", "arms", 3.6)]
    assert "Yonhap; KCNA; Reuters" == next(s.publisher for s in written.sources if s.id == added.source)
    rows = client.post("/api/events/history", json=dyad()).json()
    assert [(r["accepted"], r["news up to"], r["issue"]) for r in rows] == [(1, "2018-03-01", "arms")]
    assert rows[0]["before"] == pytest.approx(BEFORE) and rows[0]["after"] == pytest.approx(AFTER_P1)
    assert client.get(f"/api/runs/{d['run_id']}").json()["kind"] == "events-update"


def json_yaml(mapping: dict) -> str:
    import yaml

    return yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True)


def test_both_accepted_add_up_and_an_edit_replaces_the_rule(client):
    d = post(client, "decide", dyad(decisions={"p1": "accept", "p2": "accept"})).json()
    assert d["forecast_after"]["arms"] == pytest.approx(AFTER_BOTH) and d["events_added"] == 2
    edit = [{"actor": "kim", "field": "position", "issue": "arms", "by": 5}]
    d = post(client, "decide", dyad(decisions={"p1": "accept"}, edits={"p1": edit})).json()
    assert d["decisions"] == {"p1": "edit", "p2": "reject"}
    assert d["forecast_after"]["arms"] == pytest.approx(AFTER_EDIT)
    (effect,) = [e for e in parse_yaml(d["yaml"]).events if e.effects][0].effects
    assert (effect.by, effect.note, effect.source) == (5, "edited from the rule's +3.6",
                                                       "news-2018-03-01-kim-trump-036")


def test_rejecting_everything_leaves_the_case_and_the_history_as_they_were(client):
    d = post(client, "decide", dyad(decisions={"p1": "reject"})).json()
    assert d["accepted"] == [] and d["events_added"] == 0
    assert d["yaml"] == to_yaml(parse_yaml(DYAD_YAML))
    assert d["forecast_after"] == d["forecast_before"]
    assert client.post("/api/events/history", json=dyad()).json() == []


def test_a_built_in_case_and_its_history_at_the_get_route(client):
    """korea-2018: one story of two reports; accepted, it is what GET /api/cases/korea-2018/history shows."""
    news = ("date,source,target,cameo,text,origin\n"
            "2018-06-01,Kim Jong Un,Donald Trump,036,Kim offers talks,Yonhap\n"
            "2018-06-01,North Korea,United States,036,Kim offers talks,KCNA\n")
    d = post(client, "decide", {"case": "korea-2018", "decisions": {"p1": "accept"}}, news).json()
    rows = client.get("/api/cases/korea-2018/history").json()
    assert {r["issue"]: r["after"] for r in rows} == pytest.approx(d["forecast_after"])


BAD = [
    ("empty file", "proposals", dyad(), "", "news.csv", 422, "file", "the event file is empty"),
    ("not an event file", "proposals", dyad(), "hello\n", "news.csv", 422, "file",
     "news.csv:1: file: cannot tell the format of this event file — give its format (`from`)"),
    ("bad CSV header", "proposals", dyad(**{"from": "csv"}), "when,who\n2018-03-01,x\n", "n.csv", 422, "file",
     "the CSV header lacks date, source, target, cameo"),
    ("unknown format", "proposals", dyad(**{"from": "excel"}), NEWS, "news.csv", 422, "request.from", ""),
    ("unknown field", "proposals", dyad(colour="red"), NEWS, "news.csv", 422, "request.colour", ""),
    ("rule off its range", "proposals", dyad(rule={"pull": 2}), NEWS, "news.csv", 422, "rule.pull",
     "is outside [0, 1]"),
    ("edited values", "proposals", dyad(changes=[{"actor": "kim", "field": "capability", "to": 1}]), NEWS,
     "news.csv", 422, "changes", "edited values do not apply"),
    ("a date", "proposals", dyad(as_of="2018-01-01"), NEWS, "news.csv", 422, "as_of", ""),
    ("unknown case", "proposals", {"case": "atlantis"}, NEWS, "news.csv", 404, "case", "no built-in case"),
    ("bad scenario", "proposals", dyad(scenario_yaml=DYAD_YAML.replace("arms: 100}", "arms: 300}")), NEWS,
     "news.csv", 422, "actors[0].positions.arms", "off the scale"),
    ("unknown model", "proposals", dyad(model="oracle"), NEWS, "news.csv", 422, "request.model", ""),
    ("stale token", "decide", dyad(token="0" * 32), NEWS, "news.csv", 422, "token", "changed since"),
    ("unknown proposal", "decide", dyad(decisions={"p9": "accept"}), NEWS, "news.csv", 422, "decisions",
     "no proposal 'p9'"),
    ("unknown decision", "decide", dyad(decisions={"p1": "maybe"}), NEWS, "news.csv", 422,
     "request.decisions.p1", ""),
    ("edit of no proposal", "decide", dyad(edits={"p7": []}), NEWS, "news.csv", 422, "edits", "no proposal"),
    ("capability with an issue", "decide", dyad(decisions={"p1": "accept"}, edits={"p1": [
        {"actor": "kim", "field": "capability", "issue": "arms", "by": 1}]}), NEWS, "news.csv", 422,
     "edits.p1[0]", "drop `issue`"),
    ("edit off the scale", "decide", dyad(decisions={"p1": "accept"}, edits={"p1": [
        {"actor": "kim", "field": "position", "issue": "arms", "by": 500}]}), NEWS, "news.csv", 422,
     "p1.effects", "off the scale"),
]


@pytest.mark.parametrize(("what", "route", "body", "news", "name", "status", "where", "says"), BAD,
                         ids=[b[0] for b in BAD])
def test_bad_input_is_a_located_4xx(client, what, route, body, news, name, status, where, says):
    r = post(client, route, body, news, name)
    assert r.status_code == status, r.text
    data = r.json()
    wheres = [p["where"] for p in data["problems"]]
    assert any(w.startswith(where) for w in wheres), data
    assert says in data["detail"], data
    if where == "file" and status == 422:  # the upload's own name, never a temporary path
        assert data["file"] == name and "/tmp" not in data["detail"]


def test_oversized_and_malformed_uploads(client):
    """A file over 1 MB is refused by its size (413, located at the upload); a body over the request
    limit (1 MB + 64 kB) before it is read."""
    row = b"2018-03-01,Kim,Trump,036\n"
    big = b"date,source,target,cameo\n" + row * 40_003  # 1,000,100 bytes
    r = post(client, "proposals", dyad(), big)
    assert r.status_code == 413 and r.json()["problems"][0]["where"] == "file", r.text
    assert "the event file is over the limit of 1,000,000 bytes" in r.json()["detail"]
    r = post(client, "proposals", dyad(), row * 45_000)
    assert r.status_code == 413 and "over the limit of 1,064,000" in r.json()["detail"]
    r = client.post("/api/events/proposals", files={"file": ("news.csv", NEWS)}, data={"request": "{"})
    assert r.status_code == 422 and r.json()["problems"][0]["where"] == "request"
    r = client.post("/api/events/proposals", data={"request": json.dumps(dyad())})
    assert r.status_code == 422 and "file" in r.json()["detail"]
