"""Scenario workbooks (.xlsx) and KTAB's XML files: hand-checked values, round trips, and bad files
reported at their cell or element."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

import standoff
from standoff.errors import ScenarioError
from standoff.scenario import read_scenario, yamlsafe
from standoff.scenario.formats import parse_ktab_xml, parse_xlsx, read_ktab, to_xlsx
from standoff.scenario.formats.xlsx import left_out
from standoff.scenario.io import parse_bytes, parse_yaml, to_yaml, write_scenario
from standoff.scenario.template import template

EXAMPLE = Path(__file__).parent.parent / "data" / "river-basin.xlsx"


def content(s):
    return s.model_dump(mode="json", exclude={"path"})


def book(actors: list[list], issues: list[list] | None = None,
         extra: dict[str, list[list]] | None = None) -> bytes:
    """A workbook with the sheets `actors` and (unless None) `issues`, rows as given."""
    wb = Workbook()
    ws = wb.active
    ws.title = "actors"
    for row in actors:
        ws.append(row)
    sheets = {"issues": issues} if issues is not None else {}
    for name, rows in {**sheets, **(extra or {})}.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ISSUES = [["id", "title", "min", "max", "status_quo"], ["a", "Issue A", 0, 100, 30]]
HEAD = ["actor", "name", "group", "capability", "a:position", "a:salience"]


def one_error(data: bytes, name: str = "bad.xlsx") -> str:
    with pytest.raises(ScenarioError) as info:
        parse_xlsx(data, file=name)
    return str(info.value)


# --- the example workbook -----------------------------------------------------------------------

def test_the_example_workbook_forecasts_as_computed_by_hand():
    """tests/data/river-basin.xlsx (documented in docs/formats.md): four actors, two issues. The
    compromise model is the capability × salience weighted mean of the positions:
    water-share: weights 60·80, 15·60, 40·90, 20·50 = 4800, 900, 3600, 1000 (sum 10300);
    (4800·20 + 900·10 + 3600·60 + 1000·40) / 10300 = 361000 / 10300 = 35.0485;
    dam-height: 5400, 600, 2800, 1000 (sum 9800); (5400·110 + 600·120 + 2800·40 + 1000·80) / 9800
    = 858000 / 9800 = 87.551."""
    s = read_scenario(EXAMPLE)
    assert [a.id for a in s.actors] == ["upstream-gov", "upstream-farmers", "downstream-gov",
                                        "basin-commission"]
    assert [g.id for g in s.groups] == ["upstream", "downstream"]
    assert s.actors[3].group is None
    assert [(i.id, i.min, i.max, i.status_quo.mode) for i in s.issues] == [
        ("water-share", 0, 100, 30), ("dam-height", 0, 120, 120)]
    assert str(s.date) == "2024-03-01" and s.id == "river-basin-example"
    f = standoff.forecast(s, "compromise")
    assert f.issues[0].value == pytest.approx(361000 / 10300, rel=1e-12)
    assert f.issues[1].value == pytest.approx(858000 / 9800, rel=1e-12)


def test_xlsx_round_trip_is_equal(tmp_path):
    """Example → YAML → workbook → scenario: equal in every field; a built-in case → workbook →
    scenario keeps every actor's point values, the issues' scales and status quo."""
    s = read_scenario(EXAMPLE)
    again = parse_xlsx(to_xlsx(parse_yaml(to_yaml(s))), file=str(EXAMPLE))
    assert content(again) == content(s)
    korea = standoff.load("korea-2018")
    back = read_scenario(write_scenario(korea, tmp_path / "korea.xlsx"))
    assert [(a.id, a.name, a.group, a.capability.mode, {i: v.mode for i, v in a.positions.items()},
             {i: v.mode for i, v in a.salience.items()}) for a in back.actors] == \
           [(a.id, a.name, a.group, a.capability.mode, {i: v.mode for i, v in a.positions.items()},
             {i: v.mode for i, v in a.salience.items()}) for a in korea.actors]
    assert [(i.id, i.title, i.min, i.max, i.status_quo.mode) for i in back.issues] == \
           [(i.id, i.title, i.min, i.max, i.status_quo.mode) for i in korea.issues]
    assert (back.id, back.title, back.date, back.description) == (korea.id, korea.title, korea.date,
                                                                   korea.description)
    # what the layout cannot hold is said, not silently dropped
    assert "31 events" in left_out(korea) and left_out(s) == []


def test_workbook_text_is_never_a_formula():
    s = parse_yaml(to_yaml(read_scenario(EXAMPLE)).replace("Upstream government", "=HYPERLINK(1)"))
    wb = load_workbook(io.BytesIO(to_xlsx(s)))
    cell = wb["actors"]["B2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"
    assert parse_xlsx(to_xlsx(s)).actors[0].name == "=HYPERLINK(1)"


def test_numbers_written_as_text_and_columns_in_any_order():
    """Analysts' sheets: columns in another order and case, numbers typed as text, no name or
    group column (the name is then the id), a sheet named otherwise than `actors`."""
    data = book([["A:Salience", "Capability", "Actor", "a:position"], ["50", 10, "x", "20"],
                 [80, "30", "y", 100]], ISSUES)
    s = parse_xlsx(data)
    found = [(a.id, a.name, a.capability.mode, a.positions["a"].mode, a.salience["a"].mode) for a in s.actors]
    assert found == [("x", "x", 10, 20, 50), ("y", "y", 30, 100, 80)]
    assert s.issues[0].status_quo.mode == 30


# --- bad workbooks -------------------------------------------------------------------------------

def test_missing_columns_name_them_and_the_fix():
    msg = one_error(book([["actor", "capability", "a:position"], ["x", 1, 2]], ISSUES))
    assert msg.startswith("bad.xlsx: actors!1:1 (header): missing column 'a:salience'")
    assert "<issue>:salience" in msg
    msg = one_error(book([HEAD, ["x", "X", "", 1, 2, 3]], [["id", "title", "max"], ["a", "A", 1]]))
    assert msg == "bad.xlsx: issues!1:1 (header): missing column 'min' — the issues sheet's header reads " \
                  "id, title, min, max, status_quo"


def test_wrong_types_are_located_at_their_cell():
    """'lots' in D3 (capability of the second actor); a date in E2; every problem is listed."""
    import datetime as dt

    data = book([HEAD, ["x", "X", "", 10, dt.datetime(2020, 1, 1), 50], ["y", "Y", "", "lots", 100, 80]],
                ISSUES)
    with pytest.raises(ScenarioError) as info:
        parse_xlsx(data, file="bad.xlsx")
    report = info.value.report().splitlines()
    assert "bad.xlsx: actors!E2 (a:position): datetime.datetime(2020, 1, 1, 0, 0) is not a number" \
        " — write a plain number such as 60" in report
    assert "bad.xlsx: actors!D3 (capability): 'lots' is not a number — write a plain number such as 60" \
        in report


def test_validation_problems_are_placed_at_the_cell():
    """A position of 190 on a 0..100 scale, found by the scenario's own validation, is reported
    at its cell, not at a path inside the scenario."""
    msg = one_error(book([HEAD, ["x", "X", "", 10, 20, 50], ["y", "Y", "", 30, 190, 80]], ISSUES))
    assert msg.startswith("bad.xlsx: actors!E3 (a:position): ") and "190" in msg


def test_unknown_columns_and_sheets_get_a_suggestion():
    msg = one_error(book([["actor", "capabilty", "capability", "a:position", "a:salience"], ["x", 1, 1, 2, 3],
                          ["y", 1, 1, 2, 3]], ISSUES))
    assert "actors!B1: unknown column 'capabilty' — did you mean 'capability'?" in msg
    msg = one_error(book([HEAD + ["b:position"], ["x", "X", "", 1, 2, 3, 4]], ISSUES))
    assert "column 'b:position' names no issue of the sheet 'issues'" in msg
    msg = one_error(book([HEAD, ["x", "X", "", 1, 2, 3]], None))
    assert msg.startswith("bad.xlsx: workbook: no sheet named 'issues'")


def test_a_huge_sheet_is_refused_with_the_limit(monkeypatch):
    """20,001 actor rows are over the default limit of 20,000 rows a sheet; a lower limit from the
    environment applies too, and so does the limit on cells."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("actors")
    ws.append(HEAD)
    for k in range(20_001):
        ws.append([f"a{k}", "", "", 1, 2, 3])
    ws = wb.create_sheet("issues")
    for row in ISSUES:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(yamlsafe.FileLimitError,
                       match=r"sheet 'actors' has .*20,000 rows.*STANDOFF_MAX_XLSX_ROWS"):
        parse_xlsx(buf.getvalue(), file="big.xlsx")
    small = book([HEAD] + [[f"a{k}", "", "", 1, 2, 3] for k in range(6)], ISSUES)
    monkeypatch.setenv("STANDOFF_MAX_XLSX_ROWS", "5")
    with pytest.raises(yamlsafe.FileLimitError, match="over the limit of 5"):
        parse_xlsx(small)
    monkeypatch.delenv("STANDOFF_MAX_XLSX_ROWS")
    monkeypatch.setenv("STANDOFF_MAX_XLSX_CELLS", "20")
    with pytest.raises(yamlsafe.FileLimitError, match="more than 20 cells.*STANDOFF_MAX_XLSX_CELLS"):
        parse_xlsx(small)


def test_not_a_workbook_and_a_zip_bomb():
    with pytest.raises(ScenarioError, match="not an XLSX workbook"):
        parse_bytes(b"actor,capability\n", "fake.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 60_000_000)  # 60 MB that compress to ~60 KB
    with pytest.raises(yamlsafe.FileLimitError, match="decompresses to .* over the limit"):
        parse_bytes(buf.getvalue(), "bomb.xlsx")


# --- KTAB XML ------------------------------------------------------------------------------------

def test_ktab_xml_reads_to_the_same_scenario_as_its_csv(reference_data):
    """ktab-dummy-3dim.xml and ktab-dummy-3dim.csv are one KTAB example: every field equal
    (7 actors, 3 dimensions 'Dimension 1..3', SActor-03's capability 75.92)."""
    xml = read_scenario(reference_data / "ktab-dummy-3dim.xml")
    csv = read_ktab(reference_data / "ktab-dummy-3dim.csv")
    assert content(xml) == content(csv)
    assert len(xml.actors) == 7
    assert [i.title for i in xml.issues] == ["Dimension 1", "Dimension 2", "Dimension 3"]
    assert xml.actors[3].capability.mode == 75.92 and xml.actors[0].positions["dimension-2"].mode == 6.37


KTAB_XML = (Path(__file__).parent.parent.parent / "src/standoff/data/reference/ktab-dummy-3dim.xml"
            ).read_text(encoding="utf-8-sig")


def test_ktab_xml_errors_name_the_element():
    bad = KTAB_XML.replace("<dCoord>73.5</dCoord>", "<dCoord>high</dCoord>", 1)
    with pytest.raises(ScenarioError, match=r"^k\.xml: Actors/Actor\[2\]/Position/dCoord\[2\]: 'high' is "
                                            "not a number — write a plain number such as 60"):
        parse_ktab_xml(bad.encode(), file="k.xml")
    bad = KTAB_XML.replace("<capability>53.393</capability>", "", 1)
    with pytest.raises(ScenarioError, match=r"Actors/Actor\[2\]: missing element <capability>"):
        parse_ktab_xml(bad.encode(), file="k.xml")
    bad = KTAB_XML.replace("<dSal>5.91</dSal>", "", 1)
    with pytest.raises(ScenarioError,
                       match=r"Actors/Actor\[1\]/Salience: has 2 <dSal>, the scenario 3 dimensions"):
        parse_ktab_xml(bad.encode(), file="k.xml")
    bad = KTAB_XML.replace("<dCoord>82.72</dCoord>", "<dCoord>182.72</dCoord>", 1)
    with pytest.raises(ScenarioError, match=r"^k\.xml: Actors/Actor\[2\]/Position/dCoord\[1\]: .*182\.72"):
        parse_ktab_xml(bad.encode(), file="k.xml")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Scenario><name>&lol3;</name></Scenario>"""


def test_ktab_xml_entity_bomb_is_refused():
    with pytest.raises(ScenarioError, match=r"bomb\.xml: XML uses a forbidden construct .*remove entity"):
        parse_bytes(BILLION_LAUGHS, "bomb.xml")
    with pytest.raises(ScenarioError, match="the root element is not <Scenario>"):
        parse_ktab_xml(b"<Other/>", file="o.xml")


# --- the template --------------------------------------------------------------------------------

def test_the_template_validates_and_forecasts():
    """`standoff new` writes this text. Its compromise forecast on first-issue: weights 60·90,
    25·50, 40·80 = 5400, 1250, 3200 (sum 9850); (5400·80 + 1250·60 + 3200·10) / 9850
    = 539000 / 9850 = 54.721."""
    text = template("my-case")
    assert text.count("TODO") >= 10 and text.startswith("# my-case")
    s = parse_yaml(text, file="my-case.yaml")
    assert s.id == "my-case" and len(s.actors) == 3 and len(s.issues) == 2
    assert standoff.forecast(s, "compromise").issues[0].value == pytest.approx(539000 / 9850, rel=1e-12)
