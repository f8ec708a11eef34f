"""`standoff events update -o` adds the accepted events to the case file's text: every line of the file
stays (comments included), and the case it reads as is the one the full rewrite (to_yaml) gives."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from typer.testing import CliRunner

from standoff.cli import app
from standoff.data import REFERENCE, case_path
from standoff.models import make
from standoff.scenario import read_scenario
from standoff.scenario.append import append_items
from standoff.scenario.io import parse_yaml, to_yaml
from standoff.tasks import update

runner = CliRunner()


def subsequence(small: list[str], big: list[str]) -> bool:
    """Whether `small` is `big` with some lines taken out (order kept)."""
    it = iter(big)
    return all(line in it for line in small)


@pytest.fixture(scope="module")
def korea_update(tmp_path_factory):
    """The bundled ICEWS sample's proposals on a copy of korea-2018, all accepted."""
    folder = tmp_path_factory.mktemp("korea")
    path = folder / "korea.yaml"
    shutil.copyfile(case_path("korea-2018"), path)
    case = read_scenario(path)
    found = update.proposals(case, REFERENCE / "icews-events-sample-300.tab", model=make("compromise"))
    return path, update.decide_all(found, "all")


def test_accepting_on_the_korea_case_keeps_every_line_and_validates(korea_update):
    """The file written is the original with the accepted sources and events inserted: the original
    lines (all 32 comment lines among them) in order, plus only the added items; it validates and
    reads as the updated case; its forecast equals the one of the full rewrite (to_yaml)."""
    path, result = korea_update
    text = path.read_text(encoding="utf-8")
    assert len(result.accepted) >= 1
    written = update.case_text(result, text, file=str(path))
    old, new = text.splitlines(), written.splitlines()
    assert subsequence(old, new)
    assert [x for x in old if x.lstrip().startswith("#")] == [x for x in new if x.lstrip().startswith("#")]
    n = len(result.accepted)
    raw = yaml.safe_load(text)
    back = yaml.safe_load(written)
    assert back["events"] == raw["events"] + [
        p.proposal.event.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        for p in result.accepted]                          # the news (2018-06-01) is after every event
    assert len(back["sources"]) == len(raw["sources"]) + n
    kept = parse_yaml(written, file="kept.yaml")          # validates
    assert kept.events == result.updated.events and kept.sources == result.updated.sources
    rewritten = parse_yaml(to_yaml(result.updated), file="rewritten.yaml")
    day = result.found.date
    assert kept.as_of(day).model_dump(exclude={"path"}) == rewritten.as_of(day).model_dump(exclude={"path"})
    for model in ("compromise", "eum"):
        a = make(model).forecast(kept.as_of(day))
        b = make(model).forecast(rewritten.as_of(day))
        assert [f.value for f in a.issues] == [f.value for f in b.issues]
    assert [f.value for f in make("compromise").forecast(kept.as_of(day)).issues] == \
        [f.value for f in result.after.issues]


def test_cli_update_of_the_korea_case_writes_the_kept_text(korea_update, tmp_path):
    """`events update --accept all -o` writes exactly `case_text`: the 967-line file grows only by the
    added items (the full rewrite made it 2706 lines)."""
    path, result = korea_update
    out = tmp_path / "k.yaml"
    res = runner.invoke(app, ["events", "update", str(path), "--events",
                              str(REFERENCE / "icews-events-sample-300.tab"), "--accept", "all",
                              "-o", str(out), "--no-progress", "--format", "json", "--no-record"],
                        catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["written"] == str(out)
    assert out.read_text(encoding="utf-8") == update.case_text(result, path.read_text(encoding="utf-8"))
    read_scenario(out)


def test_a_flow_style_list_falls_back_to_the_whole_case_with_its_leading_comments():
    """`events: []` cannot take items as text: the mapping is written out again, the header kept."""
    text = "# head\nid: x\nevents: []  # none yet\nsources:\n- id: a\n  title: A\n"
    out = append_items(text, {"events": [{"date": "2018-01-01", "actor": "a"}], "sources": [{"id": "b",
                                                                                           "title": "B"}]})
    assert out.startswith("# head\n")
    assert yaml.safe_load(out) == {"id": "x", "events": [{"date": "2018-01-01", "actor": "a"}],
                                   "sources": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}]}


def test_an_accepted_event_goes_in_its_dates_place(tmp_path):
    """On the two-state case with one more event dated after the news (2018-04-01, a `to` effect
    setting kim's arms position to 50), the accepted event of 2018-03-01 is put before it, after
    the 2018-02-01 events: the file reads back as the case `apply` makes (date order), so the `to`
    still comes last and kim ends at 50, as in the full rewrite; a comment on the last event stays.
    The rule reads the case on 2018-04-01 (kim at 50): 0.2 × 0.5 × 0.4 × (100 − 50) = +2, so kim
    is at 10 + 2 = 12 on 2018-03-01."""
    from standoff.tasks.update import decide_all, proposals

    from .conftest import DYAD_YAML
    from .test_cli_update import NEWS

    later = ('  # the talks collapse\n'
             '  - date: 2018-04-01\n    actor: kim\n    target: trump\n    cameo: "172"\n'
             '    description: walks out\n    effects:\n'
             '      - {actor: kim, field: position, issue: arms, to: 50}\n')
    path, news = tmp_path / "dyad.yaml", tmp_path / "news.csv"
    path.write_text(DYAD_YAML + later)
    news.write_text(NEWS)
    case = read_scenario(path)
    result = decide_all(proposals(case, news, model=make("compromise")), "all")
    assert [p.proposal.event.date.isoformat() for p in result.accepted] == ["2018-03-01"]
    written = update.case_text(result, path.read_text())
    assert subsequence(path.read_text().splitlines(), written.splitlines())
    kept = parse_yaml(written)
    assert [e.date.isoformat() for e in kept.events] == ["2018-01-10", "2018-02-01", "2018-02-01",
                                                          "2018-03-01", "2018-04-01"]
    assert kept.events == result.updated.events
    assert kept.as_of("2018-04-01").actor("kim").positions["arms"].mode == 50
    assert kept.as_of("2018-03-01").actor("kim").positions["arms"].mode == pytest.approx(12.0)
    assert written.index("2018-03-01") < written.index("# the talks collapse")
