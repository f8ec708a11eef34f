"""Readers on the shipped ICEWS sample, the CNS table and hand-made malformed files."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from standoff.events.codebook import codebook, goldstein_table, lookup
from standoff.events.readers import EventDataError, detect_format, icews_key, read_events
from standoff.events.record import ReadReport

from .conftest import gdelt_row


def read(path, fmt):
    report = ReadReport(str(path), fmt)
    records = list(read_events(path, fmt, report))
    report.kept = len(records)
    return records, report


def accounted(report: ReadReport) -> bool:
    """Every row is kept, merged, malformed or unmatched: none silently dropped."""
    return report.rows == report.kept + report.duplicates + report.n_malformed + report.n_unmatched


# --- codebook -----------------------------------------------------------------------------------
def test_goldstein_from_gdelt_table_with_codebook_fallback():
    """1213 is missing from GDELT's table: the codebook's score fills it; where both have a
    code and disagree (016: codebook −5, GDELT −2), the GDELT table wins."""
    table = goldstein_table()
    assert table["1213"] == -4.0  # cameo-codes.csv row for 1213
    assert table["016"] == -2.0
    assert table["190"] == -10.0
    assert len(codebook()) == 312
    assert lookup("036").quad == 1 and lookup("036").plover == "AGREE"
    assert lookup("040").plover == "CONSULT"
    assert lookup("150").quad == 4 and lookup("150").plover == "MOBILIZE"
    assert lookup("999") is None


# --- ICEWS --------------------------------------------------------------------------------------
def test_icews_sample_dedup_agrees_with_pandas(reference_data):
    """The sample's 300 rows hold 54 mirror codings; an independent pandas drop_duplicates on
    (story, sentence, unordered pair, code with 043 folded to 042) finds the same 246 events."""
    path = reference_data / "icews-events-sample-300.tab"
    records, report = read(path, "icews")
    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    pair = frame.apply(lambda r: "|".join(sorted([r["Source Name"], r["Target Name"]])), axis=1)
    code = frame["CAMEO Code"].replace({"043": "042"})
    unique = frame.assign(pair=pair, code=code).drop_duplicates(
        ["Story ID", "Sentence Number", "pair", "code"])
    assert report.rows == 300
    assert len(records) == len(unique) == 246
    assert report.duplicates == 54 and report.n_malformed == 0
    assert accounted(report)
    assert all(r.date == dt.date(2018, 6, 1) for r in records)


def test_icews_mirror_visit_is_one_event(reference_data):
    """Story 47400718 sentence 4: 'Kim Yong-chol -> United States 042' (visit) and 'United States
    -> Kim Yong-chol 043' (host) are one visit; the two 040 consultations with Pompeo are one
    meeting: four rows, two events."""
    records, _ = read(reference_data / "icews-events-sample-300.tab", "icews")
    kim = [r for r in records if _story(reference_data, r.line) == ("47400718", "4")]
    assert sorted(r.cameo for r in kim) == ["040", "042"]
    assert icews_key("1", "2", "A", "B", "043") == icews_key("1", "2", "B", "A", "042")
    assert icews_key("1", "2", "A", "B", "040") != icews_key("1", "3", "B", "A", "040")


def _story(reference_data, line):
    cells = (reference_data / "icews-events-sample-300.tab").read_text().split("\n")[line - 1].split("\t")
    return cells[11], cells[12]


def test_icews_malformed_rows_counted_by_reason(reference_data, tmp_path):
    """Hand-made file: header + 2 good rows + short row, bad date, unknown code, bad bytes,
    the mirror of the first row. Lines: 2, 3 good; 4 short; 5 date; 6 code; 7 bytes; 8 mirror."""
    lines = (reference_data / "icews-events-sample-300.tab").read_bytes().split(b"\n")
    header, first, third = lines[0], lines[1], lines[3]
    mirror = lines[2]  # the reverse coding of `first`
    cells = first.split(b"\t")
    bad_date = b"\t".join([cells[0], b"2018-13-01", *cells[2:]])
    bad_code = b"\t".join([*cells[:6], b"999", *cells[7:]])
    bad_bytes = first.replace(b"Consult", b"Cons\xffult")
    body = [header, first, third, b"\t".join(cells[:5]), bad_date, bad_code, bad_bytes, mirror]
    path = tmp_path / "bad.tab"
    path.write_bytes(b"\n".join(body) + b"\n")
    records, report = read(path, "icews")
    assert len(records) == 2
    assert dict(report.malformed) == {"wrong column count": 1, "bad date": 1,
                                      "unknown CAMEO code": 1, "bad encoding (not UTF-8)": 1}
    assert report.malformed_lines == {"wrong column count": [4], "bad date": [5],
                                      "unknown CAMEO code": [6], "bad encoding (not UTF-8)": [7]}
    assert report.duplicates == 1 and report.rows == 7
    assert accounted(report)
    assert [r.line for r in records] == [2, 3]


def test_not_icews_is_an_error(tmp_path):
    path = tmp_path / "x.tab"
    path.write_text("a\tb\n1\t2\n")
    with pytest.raises(EventDataError, match="not an ICEWS file"):
        list(read_events(path, "icews"))
    with pytest.raises(EventDataError, match="unknown event format"):
        list(read_events(path, "acled"))


# --- GDELT --------------------------------------------------------------------------------------
@pytest.mark.parametrize("width,fmt", [(57, "gdelt1"), (58, "gdelt1"), (61, "gdelt2")])
def test_gdelt_rows(tmp_path, width, fmt):
    """Fields at GDELT's column positions (SQLDATE 1, Actor1 5-7, Actor2 15-17, EventCode 26);
    the Goldstein score comes from the table (190: −10); the URL is the last column if any."""
    rows = [gdelt_row(width), gdelt_row(width, code="0311"), gdelt_row(width, date="20181340"),
            gdelt_row(width, code="abc"), gdelt_row(width - 2), ""]
    path = tmp_path / "g.csv"
    path.write_text("\n".join(rows))
    records, report = read(path, fmt)
    assert detect_format(path) == fmt
    assert [r.cameo for r in records] == ["190", "0311"]
    r = records[0]
    assert (r.date, r.source, r.source_code, r.target_country) == (dt.date(2018, 3, 1), "UNITED STATES",
                                                                    "USAGOV", "PRK")
    assert r.goldstein == -10.0 and r.quad == 4 and r.plover == "ASSAULT"
    assert r.origin == ("" if width == 57 else "http://example.org/story")
    assert dict(report.malformed) == {"bad date": 1, "unknown CAMEO code": 1, "wrong column count": 1}
    assert accounted(report)


def test_gdelt1_rejects_gdelt2_rows(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text(gdelt_row(61) + "\n")
    _, report = read(path, "gdelt1")
    assert report.malformed["wrong column count"] == 1


# --- PLOVER and CSV -----------------------------------------------------------------------------
def test_plover_json_lines(tmp_path):
    """Category from `event_type`, or derived from `cameo` where only that is given; bad lines
    (not JSON, unknown category, no date) are counted."""
    recs = [
        {"event_date": "2018-05-16", "actor_name": "North Korea", "recipient_name": "South Korea",
         "event_type": "reject", "event_text": "talks called off"},
        {"date": "2018-05-24", "actor": "Donald Trump", "recipient": "Kim Jong-un", "cameo": "1246"},
        {"date": "2018-05-24", "actor": "X", "event_type": "SHOUT"},
        {"actor": "X", "event_type": "AGREE"},
    ]
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n{not json\n")
    records, report = read(path, "plover")
    assert detect_format(path) == "plover"
    assert [(r.plover, r.cameo, r.quad) for r in records] == [("REJECT", None, 3), ("REJECT", "1246", 3)]
    assert records[0].goldstein is None and records[1].goldstein == goldstein_table()["1246"]
    assert dict(report.malformed) == {"unknown PLOVER category": 1, "bad date": 1,
                                      "not a JSON object": 1}
    assert accounted(report)


def test_plain_csv(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("date,source,target,cameo,text\n"
                    "2018-03-08,Donald Trump,Kim Jong-un,036,accepts invitation\n"
                    "2018-03-09,Trump,,0311,\"quoted, with comma\"\n"
                    "08/03/2018,Trump,Kim,036,us date\n"
                    "2018-03-10,Trump,Kim,36x,bad code\n"
                    "2018-03-10,Trump,Kim\n")
    records, report = read(path, "csv")
    assert detect_format(path) == "csv"
    assert [r.text for r in records] == ["accepts invitation", "quoted, with comma"]
    assert records[1].target == ""
    assert report.malformed_lines == {"bad date": [4], "unknown CAMEO code": [5],
                                      "wrong column count": [6]}


# --- CNS missile tests --------------------------------------------------------------------------
def test_cns_missile_tests(shared_data):
    """245 tests; 8 carry only a month ('Sep-84') or no day and are counted as bad dates. The
    file mixes Windows-1252 bytes into UTF-8 (a no-break space, a degree sign): those rows are
    read, not dropped. No test between the 28 November 2017 ICBM and the end of May 2018."""
    records, report = read(shared_data / "cns-dprk-missile-tests.csv", "cns")
    assert report.rows == 245 and report.malformed["bad date"] == 8 and len(records) == 237
    assert all(r.cameo == "150" and r.source == "North Korea" for r in records)
    tests_2017 = [r.date for r in records if r.date.year == 2017]
    assert max(tests_2017) == dt.date(2017, 11, 28)
    assert not [r for r in records if dt.date(2017, 11, 29) <= r.date <= dt.date(2018, 5, 31)]
