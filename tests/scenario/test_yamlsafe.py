"""The shared input guard: kinds of path, sizes, encodings, the YAML event scan, XML and XLSX."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
import yaml

from standoff.errors import ScenarioError, StandoffError
from standoff.scenario import read_scenario, yamlsafe
from standoff.scenario.io import parse_yaml


def test_parse_size():
    """2GiB = 2·2³⁰ = 2,147,483,648; 500MB = 5·10⁸; 1e9 = 10⁹; 1.5k = 1,500."""
    assert yamlsafe.parse_size("2GiB") == 2_147_483_648
    assert yamlsafe.parse_size("500MB") == 500_000_000
    assert yamlsafe.parse_size("1e9") == 1_000_000_000
    assert yamlsafe.parse_size(" 1.5k ") == 1500
    for bad in ("", "lots", "-5MB", "0", "3 parsecs"):
        with pytest.raises(ValueError):
            yamlsafe.parse_size(bad)


def test_alias_expansion_is_counted_on_events_not_on_bytes():
    """Nine levels of nine aliases stand for 9⁹ ≈ 3.9·10⁸ values in under 500 bytes: refused. Three
    levels (9³ = 729 strings, 1 + 9 + 81 lists, 3 keys...) are far below 200,000: accepted."""
    def laughs(levels):
        return 'l0: &l0 ["a", "a", "a", "a", "a", "a", "a", "a", "a"]\n' + "".join(
            f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, levels))
    with pytest.raises(ScenarioError, match="more than 200,000 values"):
        yamlsafe.check_yaml(laughs(9), "bomb.yaml")
    yamlsafe.check_yaml(laughs(3), "small.yaml")
    assert len(laughs(9)) < 500


def test_nesting_depth_counts_lists_and_mappings():
    """64 levels pass, 65 do not; block and flow styles alike."""
    yamlsafe.check_yaml("a: " + "[" * 63 + "]" * 63)  # the mapping is level 1
    with pytest.raises(ScenarioError, match="nested more than 64 levels"):
        yamlsafe.check_yaml("a: " + "[" * 64 + "]" * 64)
    block = "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v\n"
    with pytest.raises(ScenarioError, match="nested more than 64"):
        yamlsafe.check_yaml(block)


def test_deep_nesting_never_reaches_the_recursive_composer():
    """10,000 levels would overflow Python's recursion in yaml.compose: the scan refuses first."""
    with pytest.raises(ScenarioError, match="nested more than"):
        parse_yaml("a: " + "[" * 10_000 + "]" * 10_000, file="deep.yaml")


def test_self_alias_duplicate_keys_and_unquoted_cameo_codes():
    with pytest.raises(ScenarioError, match="refers to the node that holds it"):
        yamlsafe.check_yaml("a: &a [1, *a]")
    with pytest.raises(ScenarioError, match="duplicate key 'x'") as info:
        yamlsafe.check_yaml("top:\n  x: 1\n  y: 2\n  x: 3\n")
    assert info.value.problems[0].line == 4
    yamlsafe.check_yaml("a: {x: 1}\nb: {x: 2}\n")  # the same key in two mappings is fine
    with pytest.raises(ScenarioError, match="octal") as info:
        yamlsafe.check_yaml("events:\n  - cameo: 043\n")
    assert info.value.problems[0].fix == "quote it: cameo: '043'"
    with pytest.raises(ScenarioError, match="reads it as a number"):
        yamlsafe.check_yaml("events:\n  - cameo: 190\n")
    # quoted, or not a YAML number (0841 is not octal, so YAML keeps it as text): fine
    yamlsafe.check_yaml("events:\n  - cameo: '043'\n  - cameo: \"190\"\n  - cameo: 0841\n")
    assert yaml.safe_load("c: 0841")["c"] == "0841" and yaml.safe_load("c: 043")["c"] == 35


def test_paths_that_are_not_regular_readable_files(tmp_path):
    with pytest.raises(ScenarioError, match="is a directory, not a scenario file"):
        read_scenario(tmp_path)
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError, match=r"is a FIFO \(named pipe\)"):
        read_scenario(fifo)
    with pytest.raises(ScenarioError, match="no such file"):
        read_scenario(tmp_path / "missing.yaml")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without read permission")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.yaml"
    path.write_text("id: x\n")
    path.chmod(0)
    with pytest.raises(ScenarioError, match="not readable"):
        read_scenario(path)


def test_size_limit_and_its_setting(tmp_path, monkeypatch):
    """A 3,000-byte file (3000/1024 = 2.9 KiB) under a 2,000-byte limit (1.95 → 2.0 KiB) is refused
    before it is read, naming the setting; under the default limit it is read (and found to be no
    scenario)."""
    path = tmp_path / "big.yaml"
    path.write_text("# " + "x" * 2997 + "\n")
    monkeypatch.setenv("STANDOFF_MAX_FILE_BYTES", "2000")
    with pytest.raises(StandoffError, match="is 2.9 KiB, over the limit of 2.0 KiB.*STANDOFF_MAX_FILE_BYTES"):
        read_scenario(path)
    monkeypatch.delenv("STANDOFF_MAX_FILE_BYTES")
    with pytest.raises(ScenarioError, match="not a scenario"):
        read_scenario(path)


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xfei\x00d\x00", "UTF-16"),
    (b"id: x\n\x00\x00\x00", "binary content"),
    (b"id: caf\xe9\n", r"not UTF-8: byte 0xe9 at offset 7"),
])
def test_encodings(data, message):
    with pytest.raises(ScenarioError, match=message):
        yamlsafe.decode(data, "f.yaml")


def test_utf8_byte_order_mark_is_dropped():
    assert yamlsafe.decode(b"\xef\xbb\xbfid: x\n", "f.yaml") == "id: x\n"


def test_xml_is_parsed_without_entity_expansion(reference_data):
    """KTAB's own XML example parses; an entity bomb and an external entity are refused."""
    root = yamlsafe.parse_xml((reference_data / "ktab-dummy-3dim.xml").read_bytes(), "ktab.xml")
    assert root.tag and len(list(root.iter())) > 10
    bomb = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>'
    with pytest.raises(ScenarioError, match="forbidden construct"):
        yamlsafe.parse_xml(bomb, "bomb.xml")
    external = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(ScenarioError, match="forbidden construct"):
        yamlsafe.parse_xml(external, "ext.xml")
    with pytest.raises(ScenarioError, match="not valid XML"):
        yamlsafe.parse_xml(b"<a><b></a>", "broken.xml")


def test_xlsx_refused_above_its_uncompressed_size(tmp_path, monkeypatch):
    """A 1 MB sheet of zeros compresses to about 1 KB: over a 500,000-byte limit it is refused by its
    declared uncompressed size, under the default 50 MB it passes; a non-ZIP is named as such."""
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", "0" * 1_000_000)
    assert path.stat().st_size < 10_000
    yamlsafe.check_xlsx(path)
    monkeypatch.setenv("STANDOFF_MAX_XLSX_BYTES", "500000")
    with pytest.raises(StandoffError, match="decompresses to 976.6 KiB, over the limit"):
        yamlsafe.check_xlsx(path)
    notzip = tmp_path / "fake.xlsx"
    notzip.write_bytes(io.BytesIO(b"hello").getvalue())
    with pytest.raises(ScenarioError, match="not a ZIP archive"):
        yamlsafe.check_xlsx(notzip)
