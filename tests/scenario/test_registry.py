"""The registry of scenario file formats: read_scenario picks a reader by suffix and sniffing, and a
new format is one registration."""

from __future__ import annotations

import json

import pytest

from standoff.errors import ScenarioError
from standoff.scenario import read_scenario, registry, to_yaml
from standoff.scenario.formats import parse_decide, parse_ktab, to_decide, to_ktab
from standoff.scenario.io import parse_csv, sniff_csv

TABLE = "actor,capability,position,salience\na,10,0,50\nb,30,100,80\n"


def test_the_built_in_formats_and_their_suffixes():
    found = {name: f.suffixes for name, f in registry.scenario_formats().items()}
    assert found == {"table": (".csv",), "decide": (".csv",), "ktab": (".csv",), "ktab-xml": (".xml",),
                     "xlsx": (".xlsx",), "yaml": (".yaml", ".yml")}
    assert set(registry.suffixes()) == {".csv", ".xml", ".xlsx", ".yaml", ".yml"}
    assert registry.scenario_formats()["decide"].write is to_decide
    assert registry.scenario_formats()["ktab"].write is to_ktab


def test_read_scenario_reads_each_format_as_its_own_parser_does(tmp_path, toy):
    """A file in each format read through the registry equals the same text given to its parser."""
    texts = {"d.csv": (to_decide(toy), parse_decide), "k.csv": (to_ktab(toy), parse_ktab),
             "t.csv": (TABLE, parse_csv)}
    for name, (text, parse) in texts.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert read_scenario(path) == parse(text, file=str(path))
    yml = tmp_path / "toy.yml"
    yml.write_text(to_yaml(toy), encoding="utf-8")
    assert read_scenario(yml).actors == toy.actors
    assert [sniff_csv(t) for t in (to_decide(toy), to_ktab(toy), TABLE)] == ["decide", "ktab", "table"]


def test_an_unknown_suffix_is_a_user_error(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(TABLE, encoding="utf-8")
    with pytest.raises(ScenarioError, match="unknown kind of file '.txt'"):
        read_scenario(path)


@pytest.fixture
def json_format():
    def parse(text, *, file=None):
        from standoff.scenario.io import parse_yaml

        return parse_yaml(json.dumps(json.loads(text)), file=file)  # JSON is YAML

    fmt = registry.register_format(registry.ScenarioFormat("json", (".json",), parse))
    yield fmt
    registry._FORMATS.pop("json")


def test_a_new_format_is_one_registration(json_format, tmp_path, toy):
    """A format registered from outside the package is read by read_scenario by its suffix."""
    import yaml

    path = tmp_path / "toy.json"
    path.write_text(json.dumps(yaml.safe_load(to_yaml(toy)), default=str), encoding="utf-8")
    assert ".json" in registry.suffixes()
    assert read_scenario(path).actors == toy.actors
