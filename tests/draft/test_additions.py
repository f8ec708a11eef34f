"""Drafting from a news report, and `draft --scenario` adding to a case without losing any of it.

The news text below was written for this test. Worked out by hand from the rules of
docs/draft.md:

- The document's date is its date line, 9 January 2019, a Wednesday (1 January 2019 was a
  Tuesday).
- "on Monday" (no year): the Monday on or before 9 January, 2019-01-07.
- "In November" (no year): November comes after January, so the nearest November on or before
  the document's date is the previous year's, 2018-11; an event dated by it takes its first day.
- "on January 3" (a month and day, no year): 2019-01-03 is 6 days before the document, 2018's is
  371 days before and 2020's 359 after: 2019-01-03.
- "Donald Trump praised Kim at the White House." names no date: the document's, 2019-01-09.
- The caption line (it ends with a photo credit and says "Photo") belongs to no paragraph, so
  "Getty Images" does not join the next line's "Donald Trump": Trump is the source of "praised".
- Not actors: "Singapore" (a venue: "in Singapore", "the Singapore summit"), "Vietnam" ("in
  Vietnam") and "Vietnamese" (a demonym), "Capella Hotel" (a place word), "Sentosa". Japan is named
  only by its demonym, but it is the state of the titled "Japanese Foreign Minister Taro Kono",
  so it stays as his group.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import standoff
from standoff.draft.additions import add_to_case, with_items
from standoff.draft.draft import analyse, make_draft
from standoff.draft.gazetteer import find_actors
from standoff.draft.sentences import is_caption, split_sentences
from standoff.scenario.io import parse_yaml

NEWS = (
    "Leaders to meet again, officials say\n"
    "Published: January 9, 2019\n"
    "\n"
    "Donald Trump said on Monday that he would meet Kim Jong Un again. In November, Pyongyang warned "
    "Washington that it would resume nuclear tests. Their first summit was held at the Capella Hotel on "
    "Sentosa island in Singapore, and the Singapore summit ended with a short statement.\n"
    "Kim Jong Un and Donald Trump in Singapore. Photo: Saul Loeb/AFP via Getty Images\n"
    "Donald Trump praised Kim at the White House. Japanese Foreign Minister Taro Kono met Secretary of "
    "State Mike Pompeo on January 3. Aides said Trump wants a second summit in Vietnam, and the "
    "Vietnamese capital is the likely venue.\n"
)
JAN9 = dt.date(2019, 1, 9)


def test_a_news_report_dates_every_event_and_proposes_no_venue_or_demonym():
    """The expected dates, actors and events are those of the module docstring."""
    a = analyse(NEWS, coder="keyword")
    assert a.date == JAN9
    assert [(d.text, d.label) for d in a.dates] == [
        ("January 9, 2019", "2019-01-09"), ("on Monday", "2019-01-07"), ("In November", "2018-11"),
        ("on January 3", "2019-01-03")]
    assert set(a.found.entities) == {"north-korea", "united-states", "japan", "donald-trump", "kim-jong-un",
                                     "taro-kono", "mike-pompeo"}
    assert a.found.entities["taro-kono"].group == "japan"
    assert {m.text for m in a.found.unclassified} == {"Capella Hotel", "Sentosa"}
    # the line after the caption: "Donald Trump" is Trump, not part of "Getty Images Donald Trump"
    after = NEWS.index("Donald Trump praised")
    assert any(m.start == after and m.entity == "donald-trump" for m in a.found.mentions)
    draft = make_draft(NEWS, coder="keyword", name="news.txt")["scenario"]
    assert [(e["date"], e["actor"], e.get("target"), e["cameo"]) for e in draft["events"]] == [
        (dt.date(2019, 1, 7), "donald-trump", "kim-jong-un", "010"),
        (dt.date(2018, 11, 1), "north-korea", "united-states", "130"),
        (JAN9, "donald-trump", "kim-jong-un", "050"),
        (dt.date(2019, 1, 3), "japan", "mike-pompeo", "040")]
    assert "no date in the sentence: the document's date" in draft["events"][2]["description"]
    assert {g["id"] for g in draft["groups"]} == {"north-korea", "united-states", "japan"}


def test_caption_lines_belong_to_no_sentence():
    assert is_caption("Photo: Saul Loeb/AFP via Getty Images")
    assert is_caption("Jim Watson/AFP via Getty Images")
    assert is_caption("Image copyright Getty Images")
    assert is_caption("Kim and Trump in Singapore. Getty Images")
    assert not is_caption("He told Reuters")                       # prose that ends with a publisher
    assert not is_caption("SEOUL (Reuters) - North Korea fired a missile.")
    sents = split_sentences("A title\n\nKim spoke.\nGetty Images\nDonald Trump left.")
    assert [s.text for s in sents] == ["A title", "Kim spoke.", "Donald Trump left."]


@pytest.mark.parametrize("text, absent", [
    ("Trump became the first sitting American president to visit Japan.", "united-states"),
    ("Kim arrived for the Hanoi summit on Tuesday.", "vietnam"),
    ("Kim met Trump at the White House.", "united-states"),
    ("The summit in Singapore ended early. Kim met Trump.", "singapore"),
])
def test_a_state_named_only_as_a_venue_or_by_its_demonym_is_no_actor(text, absent):
    found = find_actors(text, split_sentences(text))
    assert absent not in found.entities
    assert not any(m.entity == absent for m in found.mentions)


def test_a_demonym_before_a_title_keeps_the_state_as_the_persons_group():
    text = "Chinese President Xi Jinping visited Pyongyang."
    found = find_actors(text, split_sentences(text))
    assert found.entities["xi-jinping"].group == "china" and "china" in found.entities


# --- draft --scenario ------------------------------------------------------------------------------
def korea():
    case = standoff.load("korea-2018")
    return case, Path(case.path).read_text(encoding="utf-8")


def kept(original, output, path="") -> list[str]:
    """The paths where `output` does not keep a value of `original` (lists may only grow at the end)."""
    if isinstance(original, dict):
        if not isinstance(output, dict):
            return [path]
        return [p for k, v in original.items()
                for p in (kept(v, output[k], f"{path}.{k}") if k in output else [f"{path}.{k}"])]
    if isinstance(original, list):
        if not isinstance(output, list) or len(output) < len(original):
            return [path]
        return [p for i, v in enumerate(original) for p in kept(v, output[i], f"{path}[{i}]")]
    return [] if original == output else [path]


def test_draft_into_a_case_keeps_every_value_and_adds_the_matched_events():
    """korea-2018's aliases: "Donald Trump", "Washington" -> trump; "Kim", "Pyongyang" -> kim-jong-un;
    "Mike Pompeo" -> pompeo. Japan (the group) is named "Japan" by Shinzo Abe's aliases; Taro Kono is
    not in the case, so his meeting is Japan's (the group) and he is listed as an actor to add. The
    four events of the first test, with the case's ids, in date order (one story each):
    (2018-11-01 kim-jong-un -> trump 130), (2019-01-03 japan -> pompeo 040),
    (2019-01-07 trump -> kim-jong-un 010), (2019-01-09 trump -> kim-jong-un 050).
    Their proposed effects are checked in the next test."""
    case, text = korea()
    result = add_to_case(NEWS, case, text, coder="keyword", name="leaders-news.txt")
    original = yaml.safe_load(text)
    written = yaml.safe_load(result.yaml)
    assert kept(original, written) == []
    assert set(written) == set(original)
    # nothing but one source and the events were added
    assert written["sources"][len(original["sources"]):] == [
        {"id": "leaders-news", "title": "Leaders to meet again, officials say", "date": JAN9,
         "note": result.case["sources"][-1]["note"]}]
    added = written["events"][len(original["events"]):]
    assert [(e["date"], e["actor"], e.get("target"), e["cameo"]) for e in added] == [
        (dt.date(2018, 11, 1), "kim-jong-un", "trump", "130"),
        (dt.date(2019, 1, 3), "japan", "pompeo", "040"),
        (dt.date(2019, 1, 7), "trump", "kim-jong-un", "010"),
        (JAN9, "trump", "kim-jong-un", "050")]
    assert all(e["source"] == "leaders-news" and "text[" in e["description"] for e in added)
    assert {k: written[k] for k in original if k not in ("sources", "events")} == \
        {k: original[k] for k in original if k not in ("sources", "events")}
    # the file as written, comments included, is kept line by line (the additions are inserted)
    lines = iter(result.yaml.splitlines())
    assert all(any(line == out for out in lines) for line in text.splitlines())
    # the output validates, with the case's actors only; Kono is in the header, to fill
    scenario = parse_yaml(result.yaml)
    assert scenario.actor_ids == case.actor_ids
    assert len(scenario.events) == len(case.events) + 4
    assert [x["id"] for x in result.new_actors] == ["taro-kono"]
    assert "#   - id: taro-kono" in result.yaml and "#     capability: null" in result.yaml


def test_the_drafted_events_carry_the_effects_the_proposal_rule_gives_by_hand():
    """The rule of standoff.events.proposals (defaults pull 0.2, verbal 0.5, salience_step 10,
    digits 2), read on the case as of the latest date (all its events applied). There, Trump's
    positions are denuclearization 75, sanctions-relief 15, us-forces 70, security-guarantees 50,
    and Kim's 20, 90 (range 80..100), 20, 95 (range 85..100).

    - 2019-01-09 Trump praised Kim (050: Goldstein +3.5, verbal cooperation, w 0.5): Trump moves
      towards Kim by 0.2 × 0.5 × 0.35 × (x_kim − x_trump) = 0.035 × gap: denuclearization
      0.035 × −55 = −1.925, sanctions-relief 0.035 × 75 = 2.625, us-forces 0.035 × −50 = −1.75,
      security-guarantees 0.035 × 45 = 1.575 (each rounded to two decimals); no salience (g > 0).
    - 2018-11-01 Pyongyang warned Washington (130: Goldstein −4.4, verbal conflict, w 0.5): Kim
      moves away from Trump by 0.2 × 0.5 × (−0.44) × (x_trump − x_kim) = −0.044 × gap:
      denuclearization −0.044 × 55 = −2.42, us-forces −0.044 × 50 = −2.2, sanctions-relief
      +3.3 and security-guarantees +1.98, and the salience of the issue farthest apart
      (sanctions-relief, 75 apart) rises by 10 × 0.5 × 0.44 = 2.2. The two rises of position
      are cut to 0 by the rule (the tops of Kim's ranges are at 100 already: no room up), so they
      are not proposed, and the case validates with no effect dropped.
    - 2019-01-07 "said" (010, Goldstein 0) changes nothing; 2019-01-03 has a group (japan) as source.
    """
    case, text = korea()
    last = standoff.load("korea-2018", as_of="last")
    assert [last.actor("trump").positions[i].mode for i in case.issue_ids] == [75, 15, 70, 50]
    assert [last.actor("kim-jong-un").positions[i].mode for i in case.issue_ids] == [20, 90, 20, 95]
    assert last.actor("kim-jong-un").positions["sanctions-relief"].high == 100
    result = add_to_case(NEWS, case, text, coder="keyword", name="news.txt")
    warned, met, said, praised = result.events
    got = {e["issue"]: e["by"] for e in praised["effects"]}
    assert all(e["actor"] == "trump" and e["field"] == "position" and e["source"] == "news"
               for e in praised["effects"])
    for issue, by in {"denuclearization": -1.925, "sanctions-relief": 2.625, "us-forces": -1.75,
                      "security-guarantees": 1.575}.items():
        assert got[issue] == pytest.approx(by, abs=0.0051)
    assert [(e["field"], e["issue"], e["by"]) for e in warned["effects"]] == [
        ("position", "denuclearization", -2.42), ("position", "us-forces", -2.2),
        ("salience", "sanctions-relief", 2.2)]
    assert [why for k, why in result.no_effects if k == 0] == []
    assert "effects" not in said and "effects" not in met
    assert "dropped the proposed effect" not in result.yaml
    # the forecast reads the case with them: Trump's sanctions-relief position on 2019-01-09
    after = parse_yaml(result.yaml).as_of(JAN9)
    moved = after.actor("trump").positions["sanctions-relief"].mode
    assert moved == pytest.approx(15 + got["sanctions-relief"])
    # without effects, the same events and none carries any
    plain = add_to_case(NEWS, case, text, coder="keyword", name="news.txt", effects=False)
    assert [e["cameo"] for e in plain.events] == ["130", "040", "010", "050"]
    assert not any("effects" in e for e in plain.events)


def test_drafting_the_same_text_into_the_output_adds_no_event_twice():
    case, text = korea()
    first = add_to_case(NEWS, case, text, coder="keyword", name="news.txt")
    again_case = parse_yaml(first.yaml)
    second = add_to_case(NEWS, again_case, first.yaml, coder="keyword", name="news.txt")
    assert second.events == [] and len(second.known) == 4
    assert second.source_id == "news-2"                       # a source id is never reused
    assert kept(yaml.safe_load(first.yaml), yaml.safe_load(second.yaml)) == []


def test_a_case_whose_lists_cannot_take_text_insertions_is_written_out_whole():
    """A flow-style `events: []` cannot be appended to as text: the case is dumped again, its leading
    comment kept, and every value still compares equal."""
    case, text = korea()
    raw = yaml.safe_load(text)
    raw["events"] = []
    flow = "# a case with a flow-style list\n" + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
    flow = flow.replace("events: []", "events: []  # none yet")
    small = parse_yaml(flow)
    result = add_to_case(NEWS, small, flow, coder="keyword", name="news.txt")
    assert result.yaml.count("# a case with a flow-style list") == 1
    written = yaml.safe_load(result.yaml)
    assert kept(raw, written) == [] and len(written["events"]) == 4
    parse_yaml(result.yaml)
    out = with_items("a: 1\nb:\n- x: 1\n# tail\nc: 2\n", {"a": 1, "b": [{"x": 1}], "c": 2}, {"b": [{"x": 2}]})
    assert out == "a: 1\nb:\n- x: 1\n- x: 2\n# tail\nc: 2\n"


def test_cli_draft_into_a_case_writes_a_file_that_validates(tmp_path):
    f = tmp_path / "news.txt"
    f.write_text(NEWS, encoding="utf-8")
    out = tmp_path / "korea-plus.yaml"
    run = lambda *a: subprocess.run([sys.executable, "-m", "standoff", *a], capture_output=True,  # noqa: E731
                                    text=True, timeout=120)
    r = run("draft", str(f), "--scenario", "korea-2018", "--coder", "keyword", "-o", str(out))
    assert r.returncode == 0, r.stderr
    said = " ".join(r.stderr.split())                          # the terminal may wrap the line
    assert "4 events added" in said and "every value of the case kept" in said
    v = run("validate", str(out))
    assert v.returncode == 0 and "ok" in v.stdout, v.stdout + v.stderr


def test_two_sentences_of_one_story_make_one_event_with_its_effects_once():
    """Two sentences tell one meeting (same ordered dyad trump -> kim-jong-un, CAMEO root 04, a day
    apart, within the story window of 1 day; their words overlap by 5 of 12, Jaccard 0.42 >= 0.3):
    one event, dated by the first, quoting both. Its effects count the story once: 040 Consult has
    Goldstein +1.0, verbal (w 0.5), so Trump moves 0.2 × 0.5 × 0.1 = 0.01 of each gap to Kim:
    denuclearization 0.01 × (20 − 75) = −0.55, sanctions-relief 0.01 × 75 = 0.75, us-forces
    0.01 × (20 − 70) = −0.5; security-guarantees 0.01 × 45 = 0.45 is under min_change 0.5."""
    text = ("Published: January 9, 2019\n\nDonald Trump met Kim Jong Un on January 7 in Hanoi. "
            "Trump met Kim again on January 8 for talks in Hanoi.")
    case, yaml_text = korea()
    result = add_to_case(text, case, yaml_text, coder="keyword", name="hanoi.txt")
    (event,) = result.events
    assert (event["date"], event["actor"], event["target"], event["cameo"]) == \
        (dt.date(2019, 1, 7), "trump", "kim-jong-un", "040")
    assert event["description"].count("text[") == 2 and "the same story" in event["description"]
    assert {e["issue"]: e["by"] for e in event["effects"]} == {
        "denuclearization": -0.55, "sanctions-relief": 0.75, "us-forces": -0.5}
