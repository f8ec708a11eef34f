"""Uploading a scenario workbook or a KTAB XML file: read as `standoff validate` reads them, bad
files refused with HTTP 422 and the located message."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

EXAMPLE = Path(__file__).parent.parent / "data" / "river-basin.xlsx"


def upload(client, name: str, data: bytes):
    return client.post("/api/scenarios/validate", files={"file": (name, data)})


def test_a_workbook_and_ktab_xml_upload(client, reference_data):
    view = upload(client, "river-basin.xlsx", EXAMPLE.read_bytes())
    assert view.status_code == 200, view.text
    body = view.json()
    assert body["id"] == "river-basin-example" and len(body["actors"]) == 4
    xml = upload(client, "k.xml", (reference_data / "ktab-dummy-3dim.xml").read_bytes())
    assert xml.status_code == 200 and len(xml.json()["actors"]) == 7


def test_bad_uploads_are_4xx_with_the_place(client):
    wb = Workbook()
    ws = wb.active
    ws.title = "actors"
    for row in (["actor", "capability", "a:position", "a:salience"], ["x", "lots", 2, 50], ["y", 3, 4, 50]):
        ws.append(row)
    issues = wb.create_sheet("issues")
    for row in (["id", "title", "min", "max"], ["a", "A", 0, 100]):
        issues.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    r = upload(client, "bad.xlsx", buf.getvalue())
    assert r.status_code == 422
    assert r.json()["detail"].startswith("bad.xlsx: actors!B2 (capability): 'lots' is not a number")
    bomb = (b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<Scenario><name>&b;</name></Scenario>")
    r = upload(client, "bomb.xml", bomb)
    assert r.status_code == 422 and "forbidden construct" in r.json()["detail"]
    r = upload(client, "fake.xlsx", b"not a zip")
    assert r.status_code == 422 and "not an XLSX workbook" in r.json()["detail"]


def test_a_sheet_over_the_row_limit_is_refused(client, monkeypatch):
    """The example's actors sheet has a header and 4 rows: over a limit of 3."""
    monkeypatch.setenv("STANDOFF_MAX_XLSX_ROWS", "3")
    r = upload(client, "river-basin.xlsx", EXAMPLE.read_bytes())
    assert 400 <= r.status_code < 500
    detail = r.json()["detail"]
    assert "sheet 'actors' has" in detail and "3 rows" in detail and "STANDOFF_MAX_XLSX_ROWS" in detail
