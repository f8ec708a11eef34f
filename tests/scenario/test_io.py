"""Reading scenario files: every kind of bad input gets a located, fixable message."""

import textwrap

import pytest

from standoff.errors import ScenarioError
from standoff.scenario import parse_csv, parse_yaml, read_scenario, to_yaml


def problems_of(text: str) -> list:
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text, file="case.yaml")
    return info.value.problems


def one(problems, where: str):
    found = [p for p in problems if p.where == where]
    assert found, f"no problem at {where}: {[p.render() for p in problems]}"
    return found[0]


def test_toy_reads(toy):
    assert toy.issue_ids == ("a", "b")
    assert toy.actor("y").positions["a"].low == 50


def test_round_trip_through_yaml(toy):
    again = parse_yaml(to_yaml(toy))
    assert again.model_dump(exclude={"path"}) == toy.model_dump(exclude={"path"})


def test_round_trip_of_an_as_of_scenario_keeps_its_values(toy):
    mar = toy.as_of("2018-03-01")
    again = parse_yaml(to_yaml(mar))
    assert again.actors == mar.actors
    assert again.as_of("2018-12-31").actors == mar.actors  # applied effects are not re-applied


def test_every_problem_is_reported_with_line_and_fix(toy_yaml):
    bad = (toy_yaml.replace("positions: {a: 10, b: 2}", "positions: {a: 120, b: 2, c: 3}")
           .replace("capability: 20", "capability: -1")
           .replace("group: g\n    capability: 20", "group: nowhere\n    capability: 20")
           .replace("source: s1, note", "source: s9, note"))
    problems = problems_of(bad)
    off = one(problems, "actors[0].positions.a")
    assert "120" in off.message and "[0, 100]" in off.message and off.line == 25
    assert "between 0 and 100" in off.fix
    assert "unknown issue 'c'" in one(problems, "actors[0].positions.c").message
    assert "negative" in one(problems, "actors[1].capability").message
    assert "unknown source 's9'" in one(problems, "actors[0].capability.source").message
    assert len(problems) >= 4


def test_duplicate_ids(toy_yaml):
    bad = toy_yaml.replace("  - id: z\n    name: Z", "  - id: y\n    name: Z")
    assert "duplicate id 'y'" in one(problems_of(bad), "actors[2].id").message


def test_unknown_actor_in_event_and_effect(toy_yaml):
    bad = toy_yaml.replace("actor: x\n    target: y", "actor: x\n    target: q").replace(
        "effects: [{actor: x,", "effects: [{actor: w,")
    problems = problems_of(bad)
    assert "unknown actor or group 'q'" in one(problems, "events[0].target").message
    assert "unknown actor 'w'" in one(problems, "events[0].effects[0].actor").message


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_nan_and_infinity(toy_yaml, value):
    bad = toy_yaml.replace("positions: {a: 90, b: 5}", f"positions: {{a: {value}, b: 5}}")
    p = one(problems_of(bad), "actors[2].positions.a")
    assert "finite" in p.message


def test_negative_salience_and_salience_above_100(toy_yaml):
    bad = toy_yaml.replace("salience: {a: 20, b: 20}", "salience: {a: -5, b: 120}")
    problems = problems_of(bad)
    assert "off the scale [0, 100]" in one(problems, "actors[2].salience.a").message
    assert "off the scale [0, 100]" in one(problems, "actors[2].salience.b").message


def test_range_low_above_high(toy_yaml):
    bad = toy_yaml.replace("{value: 60, low: 50, high: 70}", "{value: 60, low: 70, high: 50}")
    assert "low 70 is above high 50" in one(problems_of(bad), "actors[1].positions.a").message


def test_missing_required_fields_and_wrong_types(toy_yaml):
    bad = toy_yaml.replace("    name: Z\n", "").replace("capability: 10\n    positions: {a: 90",
                                                         "capability: lots\n    positions: {a: 90")
    problems = problems_of(bad)
    assert "missing required field `name`" in one(problems, "actors[2]").message
    assert "expected a number" in one(problems, "actors[2].capability").message


def test_missing_position_on_an_issue(toy_yaml):
    bad = toy_yaml.replace("positions: {a: 90, b: 5}", "positions: {a: 90}")
    p = one(problems_of(bad), "actors[2].positions")
    assert "no position on issue 'b'" in p.message


def test_unknown_field_is_named(toy_yaml):
    bad = toy_yaml.replace("    name: Z\n", "    name: Z\n    salinece: {a: 1}\n")
    assert "unknown field `salinece`" in one(problems_of(bad), "actors[2].salinece").message


def test_bad_id_suggests_a_fix(toy_yaml):
    bad = toy_yaml.replace("  - id: z\n", "  - id: North Korea\n")
    p = one(problems_of(bad), "actors[2].id")
    assert "'north-korea'" in p.fix


def test_empty_scenario():
    problems = problems_of("")
    assert "not a scenario" in problems[0].message


def test_an_empty_mapping_names_every_missing_field():
    """`{}` is a mapping with none of the required fields: each is reported, nothing crashes."""
    messages = {p.message for p in problems_of("{}")}
    assert messages == {f"missing required field `{f}`"
                        for f in ("id", "title", "baseline", "issues", "actors")}


def test_no_actors():
    text = "id: e\ntitle: E\nbaseline: 2018-01-01\nissues: [{id: a, title: A, min: 0, max: 1}]\nactors: []\n"
    assert "too few actors" in one(problems_of(text), "actors").message


def test_not_yaml_at_all(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: [unclosed\n  - : :\n")
    with pytest.raises(ScenarioError, match=r"x.yaml:\d+: not valid YAML"):
        read_scenario(path)


def test_not_a_scenario_file_kind(tmp_path):
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ScenarioError, match="unknown kind of file '.png'"):
        read_scenario(path)


def test_binary_file_with_yaml_suffix(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(ScenarioError, match="not a text file"):
        read_scenario(path)


def test_missing_file():
    with pytest.raises(ScenarioError, match="no such file"):
        read_scenario("nowhere/at/all.yaml")


def test_effect_that_leaves_the_scale_is_reported_at_the_effect(toy_yaml):
    bad = toy_yaml.replace("effects: [{actor: x, field: position, issue: a, by: 30}]",
                           "effects: [{actor: x, field: position, issue: a, by: 95}]")
    p = one(problems_of(bad), "events[0].effects[0]")
    assert "after this effect" in p.message and "105" in p.message


def test_message_names_file_line_and_place(toy_yaml):
    bad = toy_yaml.replace("positions: {a: 90, b: 5}", "positions: {a: 190, b: 5}")
    with pytest.raises(ScenarioError) as info:
        parse_yaml(bad, file="case.yaml")
    assert str(info.value).startswith("case.yaml:36: actors[2].positions.a: position value 190")


# --- CSV tables ----------------------------------------------------------------------------

def test_predictioneer_csv_matches_the_builtin_ec_case(reference_data):
    import standoff

    table = read_scenario(reference_data / "ec-emissions-1994.csv", scale=(4, 10), issue="emissions-date")
    builtin = standoff.load("ec-emissions-1994")
    assert table.issue("emissions-date").min == 4 and table.issue("emissions-date").max == 10
    for a, b in zip(table.actors, builtin.actors, strict=True):
        assert a.id == b.id
        assert a.capability.mode == b.capability.mode
        assert a.positions == {"emissions-date": b.positions["emissions-date"].model_copy(
            update={"source": None})}
        assert a.salience["emissions-date"].mode == b.salience["emissions-date"].mode


def test_stakeholder_csv_layout(reference_data):
    s = read_scenario(reference_data / "bdm-china-1989.csv")
    assert s.actor("zeming").capability.mode == 80
    assert s.issue("issue").min == min(a.positions["issue"].mode for a in s.actors)


def test_bad_csv_rows_are_all_reported():
    text = "actor,capability,position,salience\nA,1,2,3\nB,x,2,3\nC,1,2\nD,1,2,y\n"
    with pytest.raises(ScenarioError) as info:
        parse_csv(text, file="t.csv")
    lines = [p.line for p in info.value.problems]
    assert lines == [3, 4, 5]
    assert "'x' is not a number" in info.value.problems[0].message


def test_csv_without_the_columns():
    with pytest.raises(ScenarioError, match="missing columns capability, salience"):
        parse_csv("actor,position\nA,1\n", file="t.csv")


def test_csv_value_off_the_given_scale():
    text = textwrap.dedent("""\
        actor,capability,position,salience
        A,1,2,30
        B,1,12,30
        """)
    with pytest.raises(ScenarioError, match=r"t.csv:3: actors\[1\].positions.issue"):
        parse_csv(text, file="t.csv", scale=(0, 10))


def test_an_empty_mapping_lists_the_missing_fields():
    """`{}` is five missing fields (id, title, baseline, issues, actors), not a crash."""
    from standoff.errors import ScenarioError
    from standoff.scenario.io import parse_yaml

    with pytest.raises(ScenarioError) as err:
        parse_yaml("{}")
    assert len(err.value.problems) == 5
