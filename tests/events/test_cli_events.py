"""The events, timeline and explain verbs end to end, and replay invariants of the timeline."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from standoff.cli import app
from standoff.models import make
from standoff.models.timeline import event_dates, timeline

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def dyad_file(tmp_path):
    from .conftest import DYAD_YAML

    path = tmp_path / "dyad.yaml"
    path.write_text(DYAD_YAML)
    return path


def test_import_icews_sample_json(reference_data, dyad_file, tmp_path):
    out = tmp_path / "kept.csv"
    res = invoke("events", "import", reference_data / "icews-events-sample-300.tab", "--scenario", dyad_file,
                 "--out", out, "--no-progress", "--format", "json")
    assert res.exit_code == 0
    report = json.loads(res.stdout)
    assert report["rows"] == 300 and report["duplicates_merged"] == 54 and report["format"] == "icews"
    assert report["rows"] == report["kept"] + report["duplicates_merged"] + sum(report["unmatched"].values())
    assert len(out.read_text().splitlines()) == report["kept"] + 1


def test_attach_writes_a_valid_scenario(reference_data, dyad_file, tmp_path):
    attached = tmp_path / "with-events.yaml"
    res = invoke("events", "import", reference_data / "icews-events-sample-300.tab", "-s", dyad_file,
                 "--attach", attached, "--no-progress")
    assert res.exit_code == 0
    res = invoke("validate", attached, "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout)["events"] == 3 + 31


def test_summary_and_plot(reference_data, dyad_file, tmp_path):
    plot = tmp_path / "s.png"
    res = invoke("events", "summary", reference_data / "icews-events-sample-300.tab", "-s", dyad_file,
                 "--plot", plot, "--no-progress", "--format", "json")
    rows = json.loads(res.stdout)
    assert sum(r["events"] for r in rows) == 31
    assert plot.stat().st_size > 1000


def test_malformed_file_is_reported_not_fatal(tmp_path, dyad_file):
    path = tmp_path / "e.csv"
    path.write_bytes(b"date,source,target,cameo,text\n2018-03-08,Trump,Kim Jong-un,036,ok\n"
                     b"2018-03-09,Trump,Kim,\xff\xfe,bytes\n2018-02-30,Trump,Kim,036,no such day\n")
    res = invoke("events", "import", path, "-s", dyad_file, "--no-progress", "-f", "json")
    report = json.loads(res.stdout)
    assert report["kept"] == 1
    assert report["malformed"] == {"bad encoding (not UTF-8)": 1, "bad date": 1}
    assert report["malformed_first_lines"] == {"bad encoding (not UTF-8)": [3], "bad date": [4]}


def test_user_errors_exit_2_without_traceback(tmp_path, dyad_file):
    import subprocess
    import sys

    path = tmp_path / "x.tab"
    path.write_text("a\tb\n")
    res = subprocess.run([sys.executable, "-m", "standoff", "events", "import", str(path), "--from",
                          "icews", "--no-progress"], capture_output=True, text=True)
    assert res.returncode == 2 and "not an ICEWS file" in res.stderr and "Traceback" not in res.stderr
    res = subprocess.run([sys.executable, "-m", "standoff", "events", "import", str(path),
                          "--attach", str(tmp_path / "o.yaml")], capture_output=True, text=True)
    assert res.returncode == 2 and "--attach needs a scenario" in res.stderr
    for args in (["events", "import", str(tmp_path / "missing.tab")],
                 ["events", "import", str(path), "--from", "csv", "--out", str(tmp_path / "no/x.csv")]):
        res = subprocess.run([sys.executable, "-m", "standoff", *args], capture_output=True, text=True)
        assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr


def test_timeline_batch_equals_one_at_a_time(toy):
    """The timeline forecasts every date in one batch; each row must equal the model run alone on
    scenario.as_of(date). Dates: the baseline, then each distinct event date (1 Feb, 1 Mar)."""
    model = make("compromise")
    frame = timeline(toy, model)
    dates = event_dates(toy)
    assert [str(d) for d in dates] == ["2018-01-01", "2018-02-01", "2018-03-01"]
    for date in dates:
        alone = model.forecast(toy.as_of(date) if date > toy.baseline else toy)
        got = frame[frame["date"] == date].set_index("issue")["value"]
        for i in alone.issues:
            assert got[i.issue] == pytest.approx(i.value)


def test_replay_invariants(toy):
    """as_of before every event is the base scenario; same-day events apply in file order: on
    1 Mar, y's position on a is set `to` 40 and then moved `by` +10, giving 50 (the other order
    would give 40)."""
    assert toy.as_of("2018-01-31").actors == toy.actors
    assert toy.as_of("2018-03-01").actor("y").positions["a"].mode == 50
    frame = timeline(toy, make("median"), until=None)
    assert frame["events"].iloc[-1] == "second, applied before third; third"


def test_timeline_verb(dyad_file, tmp_path):
    plot = tmp_path / "t.png"
    res = invoke("timeline", dyad_file, "--model", "compromise", "--plot", plot, "-f", "json")
    rows = json.loads(res.stdout)
    assert [r["value"] for r in rows] == pytest.approx([65.0, 65.0, 65.0])
    assert plot.exists()


def test_beliefs_and_explain_verbs(dyad_file, tmp_path):
    beliefs = tmp_path / "b.yaml"
    beliefs.write_text("observer: united-states\ntarget: north-korea\nend: 2018-03-01\ntypes:\n"
                       "  - {id: trade, prior: 1, role: accommodating, positions: {arms: 70}}\n"
                       "  - {id: keep, prior: 1, role: resolute, positions: {arms: 5}}\n")
    res = invoke("events", "beliefs", dyad_file, "--beliefs", beliefs, "-f", "json",
                 "--plot", tmp_path / "b.png")
    (path,) = json.loads(res.stdout)
    rows = path["steps"]
    assert path["observer"] == "united-states" and path["ignored_events"] == 1
    assert rows[0]["evidence"] == "prior" and rows[0]["perceived arms"] == pytest.approx(37.5)
    assert rows[-1]["date"].startswith("2018-03-01")
    assert (tmp_path / "b.png").exists()
    hyp = tmp_path / "h.yaml"
    hyp.write_text("target: north-korea\nhypotheses:\n  - {id: h, name: hard-liners, prior: 1}\n"
                   "  - {id: m, name: expectation management, prior: 1}\ncategories:\n"
                   "  - {id: accuse, cameo: ['11'], likelihood: {h: 0.2, m: 0.6}}\n")
    res = invoke("explain", dyad_file, "--hypotheses", hyp)
    assert "favours expectation management 3:1" in res.stdout
