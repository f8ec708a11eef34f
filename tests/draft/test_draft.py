"""The draft file: provenance on every item, numbers left as to-dos, valid once they are filled."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

import standoff
from standoff.draft.draft import make_draft, to_yaml, todo_paths
from standoff.scenario.io import parse_yaml

TEXT = """Border Standoff Deepens

Published: April 9, 2021

Russia warned Ukraine on April 2 that it would respond to any provocation. The Kremlin said
troops near the border were on exercises. Ukraine urged NATO to strengthen its security
guarantees and asked for sanctions against Moscow. Secretary of State Tony Blinken met
Ukrainian Foreign Minister Dmytro Kuleba in Brussels yesterday and promised support.
Blinken said sanctions were ready.
"""


def fill(node, path: str, value_for):
    """Set the `null` at a dotted/indexed path to value_for(path)."""
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    for p in parts[:-1]:
        node = node[int(p[1:-1])] if p.startswith("[") else node[p]
    last = parts[-1]
    key = int(last[1:-1]) if last.startswith("[") else last
    node[key] = value_for(path)


def value_for(baseline: str):
    def pick(path: str):
        if path.endswith(".min"):
            return 0
        if path.endswith(".max"):
            return 100
        if path.endswith(".date"):
            return baseline
        if path.endswith(".capability"):
            return 10
        if path.endswith(".title"):
            return "An issue"
        return 50  # positions and saliences
    return pick


def test_draft_lists_numbers_as_todo_and_validates_once_filled(tmp_path):
    draft = make_draft(TEXT, coder="keyword", name="standoff.txt")
    scen = draft["scenario"]
    assert str(scen["baseline"]) == "2021-04-09"                     # from the date line
    assert {g["id"] for g in scen["groups"]} >= {"russia", "ukraine"}
    # no number was invented: every capability, salience and scale end is a to-do
    assert all(a["capability"] is None for a in scen["actors"])
    assert all(v is None for a in scen["actors"] for v in a["salience"].values())
    text = to_yaml(draft)
    with pytest.raises(standoff.errors.ScenarioError):
        parse_yaml(text)                                         # not valid before the to-dos
    raw = yaml.safe_load(text)
    todo = todo_paths(raw)
    assert todo == draft["notes"]["todo"] and todo
    for path in todo:
        fill(raw, path, value_for(raw["baseline"].isoformat()))
    assert todo_paths(raw) == []
    scenario = parse_yaml(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True))
    assert len(scenario.actors) == len(scen["actors"])
    assert len(scenario.events) == len(scen["events"]) > 0


def test_a_text_without_issue_themes_gets_one_issue_to_name():
    text = "Published: June 1, 2020\n\nFrance met Germany on May 30. Germany praised France."
    raw = yaml.safe_load(to_yaml(make_draft(text, coder="keyword")))
    assert raw["issues"] == [{"id": "issue-1", "title": None, "min": None, "max": None,
                              "description": "no issue theme found in the text"}]
    for path in todo_paths(raw):
        fill(raw, path, value_for(raw["baseline"].isoformat()))
    scenario = parse_yaml(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True))
    assert [e.cameo for e in scenario.events] == ["040", "050"]
    assert scenario.events[0].date.isoformat() == "2020-05-30"


def test_every_item_carries_its_quote_and_offsets():
    draft = make_draft(TEXT, coder="keyword", name="standoff.txt")
    scen = draft["scenario"]
    cited = [g["note"] for g in scen["groups"]] + [a["description"] for a in scen["actors"]] + \
            [e["description"] for e in scen["events"]]
    for note in cited:
        m = re.search(r"text\[(\d+):(\d+)\] “([^”]*)”", note)
        assert m, note
        start, end, quote = int(m.group(1)), int(m.group(2)), m.group(3)
        assert " ".join(TEXT[start:end].split()).startswith(quote.rstrip("…"))
    # a stance quote: Ukraine's government on sanctions cites the "urged NATO ... sanctions" sentence;
    # issues named in one sentence only are not proposed (security guarantees here)
    assert [i["id"] for i in scen["issues"]] == ["sanctions-relief", "territory"]
    ukr = next(a for a in scen["actors"] if a["id"] == "ukraine-government")
    assert "urged NATO" in ukr["positions"]["sanctions-relief"]["note"]
    assert ukr["positions"]["sanctions-relief"]["value"] is None
    assert ukr["positions"]["territory"] is None            # nothing in the text: a bare to-do
    kuleba = next(a for a in scen["actors"] if a["id"] == "dmytro-kuleba")
    assert kuleba["group"] == "ukraine"


def test_the_keyword_coder_says_so_in_the_draft():
    draft = make_draft(TEXT, coder="keyword", name="standoff.txt")
    assert draft["notes"]["coder"].startswith("keyword")
    assert "# coder: keyword" in to_yaml(draft)


def test_a_scenario_gives_its_issues_and_aliases():
    korea = standoff.load("korea-2018")
    text = "Published: May 1, 2018\n\nBolton demanded that Pyongyang give up its nukes at once."
    draft = make_draft(text, scenario=korea, coder="keyword")
    assert [i["id"] for i in draft["scenario"]["issues"]] == [i.id for i in korea.issues]
    ev = draft["scenario"]["events"][0]
    assert (ev["actor"], ev["cameo"]) == ("bolton", "100")


def standoff_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "standoff", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("make, args, message", [
    (None, ["missing.txt", "--date", "2021-04-09"], "no such file"),
    (lambda p: p.write_bytes(b"\x00\x01binary"), ["{f}", "--date", "2021-04-09"], "binary"),
    (lambda p: p.write_text(TEXT), ["{f}", "--date", "9 April"], "YYYY-MM-DD"),
    (lambda p: p.write_text(TEXT), ["{f}", "--scenario", "no-such-case"], "no-such-case"),
    (lambda p: p.write_text("No date here. Russia met Ukraine."), ["{f}"], "--date"),
])
def test_bad_input_is_one_line_and_status_2(tmp_path, make, args, message):
    f = tmp_path / "in.txt"
    if make is not None:
        make(f)
    r = standoff_cli("draft", *[a.format(f=f) for a in args], "--coder", "keyword")
    assert r.returncode == 2, r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in r.stderr


def test_cli_writes_the_draft(tmp_path):
    f = tmp_path / "in.txt"
    f.write_text(TEXT)
    out = tmp_path / "draft.yaml"
    r = standoff_cli("draft", str(f), "--coder", "keyword", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "coder: keyword" in r.stderr
    assert yaml.safe_load(out.read_text())["baseline"].isoformat() == "2021-04-09"


def test_without_the_extra_the_cli_says_it_uses_the_keyword_coder(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import standoff.draft.coding as coding
    from standoff.cli import app

    monkeypatch.setattr(coding, "nlp_available", lambda: False)
    f = tmp_path / "in.txt"
    f.write_text(TEXT)
    result = CliRunner().invoke(app, ["draft", str(f), "-o", str(tmp_path / "d.yaml")])
    assert result.exit_code == 0, result.output
    assert "coder: keyword (the [nlp] extra is not installed" in result.output
    assert "# coder: keyword coder" in (tmp_path / "d.yaml").read_text()
