"""Streaming readers of event data: ICEWS, GDELT 1.0 and 2.0, PLOVER JSON lines, plain CSV and
the CNS North Korea missile test database.

Every reader is a generator over :class:`EventRecord`: the file is read line by line and never
held in memory, so peak memory does not grow with the file. Rows that cannot be read (wrong
column count, bad date, unknown CAMEO code, bytes that are not UTF-8, missing fields) are
skipped and counted by reason in a :class:`ReadReport`, with their first line numbers. A file
that is not of the format asked at all (an ICEWS file without its header) raises
:class:`EventDataError`.

ICEWS codes one sentence in both directions (A consults B, B consults A; A visits B, B hosts A):
such mirror codings share the Story ID and Sentence Number; the first is kept and the others
are counted as merged duplicates (see :func:`icews_key`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path

from standoff.errors import StandoffError
from standoff.events.codebook import PLOVER_QUAD, codebook, goldstein_table
from standoff.events.record import EventRecord, ReadReport

FORMATS = ("icews", "gdelt1", "gdelt2", "plover", "csv", "cns")

#: Mirror codes: one act seen from each side (make a visit 042 / host a visit 043).
CONVERSE = {"043": "042"}

#: How many recent ICEWS sentence keys dedup remembers: mirror codings are adjacent in ICEWS
#: files (consecutive Event IDs), so a bounded window keeps memory flat on any file size.
DEDUP_WINDOW = 50_000

ICEWS_COLUMNS = ("Event Date", "Source Name", "Source Country", "Event Text", "CAMEO Code",
                 "Target Name", "Target Country", "Story ID", "Sentence Number", "Publisher")
CSV_COLUMNS = ("date", "source", "target", "cameo")
CNS_COLUMNS = ("Date", "Missile Name", "Missile Type", "Facility Name", "Test Outcome")

#: CAMEO code given to a missile test: 150, demonstrate military or police power.
MISSILE_TEST_CAMEO = "150"

#: `progress(label, done, total)`: bytes read of a file (see standoff.tasks.Progress)
ProgressCallback = Callable[[str, int, int], None]


class EventDataError(StandoffError):
    """An event file that cannot be read in the format asked."""


class _Malformed(Exception):
    """A row to skip, with the reason it is counted under."""


def read_events(path: str | Path, fmt: str, report: ReadReport | None = None, *,
                progress: ProgressCallback | None = None) -> Iterator[EventRecord]:
    """Yield the events of a file in format `fmt` (one of :data:`FORMATS`), counting skips."""
    path = Path(path)
    if fmt not in FORMATS:
        raise EventDataError(f"unknown event format {fmt!r}", where="--from",
                             fix=f"use one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise EventDataError(f"no such file: {path}", file=str(path), fix="check the path")
    report = report if report is not None else ReadReport(str(path), fmt)
    lines = _Lines(path, report, progress, fallback="cp1252" if fmt == "cns" else None)
    reader = {"icews": _icews, "gdelt1": _gdelt1, "gdelt2": _gdelt2, "plover": _plover,
              "csv": _csv, "cns": _cns}[fmt]
    try:
        yield from reader(lines, report)
    finally:
        lines.close()


def detect_format(path: str | Path) -> str:
    """Guess the format of an event file from its first line."""
    path = Path(path)
    if not path.is_file():
        raise EventDataError(f"no such file: {path}", file=str(path), fix="check the path")
    with open(path, "rb") as fh:
        head = fh.readline().decode("utf-8", errors="replace").rstrip("\r\n")
    if head.lstrip().startswith("{"):
        return "plover"
    cells = head.split("\t")
    if "Story ID" in cells and "CAMEO Code" in cells:
        return "icews"
    if len(cells) in (57, 58):
        return "gdelt1"
    if len(cells) == 61:
        return "gdelt2"
    first = next(csv.reader([head]), [])
    if all(c in first for c in CNS_COLUMNS):
        return "cns"
    if all(c in [x.strip().lower() for x in first] for c in CSV_COLUMNS):
        return "csv"
    raise EventDataError("cannot tell the format of this event file", file=str(path), line=1,
                         fix=f"name it with --from ({', '.join(FORMATS)})")


# --- line source --------------------------------------------------------------------------------
class _Lines:
    """Decoded lines of a file with their numbers; undecodable lines are counted and skipped.

    Reads bytes so that one bad byte spoils one row, not the file; reports progress (in
    bytes read) to the callback given. `fallback` decodes lines that are not UTF-8 (the CNS table
    mixes in Windows-1252 bytes such as a no-break space or a degree sign) instead of skipping them.
    """

    def __init__(self, path: Path, report: ReadReport, progress: ProgressCallback | None,
                 fallback: str | None = None):
        self.path = path
        self.fallback = fallback
        self.report = report
        self.number = 0
        self._fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._progress = progress or None
        self._label = f"reading {path.name}"
        self._size = os.path.getsize(path)
        if self._progress is not None:
            self._progress(self._label, 0, self._size)

    def __iter__(self) -> Iterator[str]:
        done = 0
        for raw in self._fh:
            self.number += 1
            done += len(raw)
            if self._progress is not None and self.number % 20_000 == 0:
                self._progress(self._label, min(done, self._size - 1), self._size)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                if self.fallback is not None:
                    yield raw.decode(self.fallback, errors="replace").rstrip("\r\n")
                    continue
                self.report.rows += 1
                self.report.bad("bad encoding (not UTF-8)", self.number)
                continue
            yield text.rstrip("\r\n")

    def close(self) -> None:
        self._fh.close()
        if self._progress is not None:
            self._progress(self._label, self._size, self._size)


# --- field parsing ------------------------------------------------------------------------------
def _cameo(code: str) -> tuple[str, float]:
    code = code.strip()
    score = goldstein_table().get(code)
    if score is None:
        raise _Malformed("unknown CAMEO code")
    return code, score


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise _Malformed("bad date") from None


def _compact_date(text: str) -> dt.date:
    text = text.strip()
    try:
        if len(text) < 8 or not text[:8].isdigit():
            raise ValueError
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise _Malformed("bad date") from None


def _rows(lines: _Lines, report: ReadReport, parse: Callable[[list[str], int], EventRecord | None],
          split: Callable[[str], list[str]]) -> Iterator[EventRecord]:
    for text in lines:
        if not text.strip():
            continue
        report.rows += 1
        try:
            record = parse(split(text), lines.number)
        except _Malformed as why:
            report.bad(str(why), lines.number)
            continue
        if record is not None:
            yield record


def _tabs(text: str) -> list[str]:
    return text.split("\t")


# --- ICEWS --------------------------------------------------------------------------------------
def icews_key(story: str, sentence: str, source: str, target: str, cameo: str) -> tuple:
    """The identity of an ICEWS coding up to direction: the sentence, the unordered pair of
    actors, and the code with mirror codes folded (043 host -> 042 visit)."""
    pair = (source, target) if source <= target else (target, source)
    return (story, sentence, pair, CONVERSE.get(cameo, cameo))


def _icews(lines: _Lines, report: ReadReport) -> Iterator[EventRecord]:
    it = iter(lines)
    header = next(it, None)
    cells = [] if header is None else header.split("\t")
    missing = [c for c in ICEWS_COLUMNS if c not in cells]
    if missing:
        raise EventDataError(f"not an ICEWS file: the header lacks {', '.join(missing)}",
                             file=lines.report.path, line=1,
                             fix="ICEWS files are tab-separated with a header line; "
                                 "pick another --from if this is another format")
    width = len(cells)
    col = {c: cells.index(c) for c in ICEWS_COLUMNS}
    seen: OrderedDict[tuple, None] = OrderedDict()

    def parse(f: list[str], line: int) -> EventRecord | None:
        if len(f) != width:
            raise _Malformed("wrong column count")
        date = _iso_date(f[col["Event Date"]])
        code, score = _cameo(f[col["CAMEO Code"]])
        source, target = f[col["Source Name"]].strip(), f[col["Target Name"]].strip()
        key = icews_key(f[col["Story ID"]], f[col["Sentence Number"]], source, target, code)
        if key in seen:
            report.duplicates += 1
            return None
        seen[key] = None
        if len(seen) > DEDUP_WINDOW:
            seen.popitem(last=False)
        return EventRecord(date, source, target, code, score, codebook()[code].plover,
                           f[col["Event Text"]].strip(), f[col["Publisher"]].strip(),
                           f[col["Source Country"]].strip(), f[col["Target Country"]].strip(),
                           line=line)

    yield from _rows(_Skip(it, lines), report, parse, _tabs)


class _Skip:
    """An iterator already advanced past the header, exposing the line number of `_Lines`."""

    def __init__(self, it, lines: _Lines):
        self._it, self._lines = it, lines

    def __iter__(self):
        return self._it

    @property
    def number(self) -> int:
        return self._lines.number


# --- GDELT --------------------------------------------------------------------------------------
def _gdelt(widths: tuple[int, ...], name: str):
    def reader(lines: _Lines, report: ReadReport) -> Iterator[EventRecord]:
        book = codebook()

        def parse(f: list[str], line: int) -> EventRecord:
            if len(f) not in widths:
                raise _Malformed("wrong column count")
            date = _compact_date(f[1])
            code, score = _cameo(f[26])
            entry = book.get(code)
            return EventRecord(date, f[6].strip(), f[16].strip(), code, score,
                               entry.plover if entry else None, entry.name if entry else "",
                               f[-1].strip() if len(f) in (58, 61) else "",
                               f[7].strip(), f[17].strip(), f[5].strip(), f[15].strip(), line=line)

        yield from _rows(lines, report, parse, _tabs)

    reader.__name__ = name
    return reader


_gdelt1 = _gdelt((57, 58), "_gdelt1")
_gdelt2 = _gdelt((61,), "_gdelt2")


# --- plain CSV ----------------------------------------------------------------------------------
def _csv(lines: _Lines, report: ReadReport) -> Iterator[EventRecord]:
    rows = csv.reader(iter(lines))
    header = [c.strip().lower() for c in next(rows, [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise EventDataError(f"the CSV header lacks {', '.join(missing)}", file=report.path, line=1,
                             fix="give a header line: date,source,target,cameo,text")
    width = len(header)
    idx = {c: header.index(c) for c in header}
    book = codebook()
    for f in rows:
        if not any(x.strip() for x in f):
            continue
        report.rows += 1
        try:
            if len(f) != width:
                raise _Malformed("wrong column count")
            date = _iso_date(f[idx["date"]])
            code, score = _cameo(f[idx["cameo"]])
            if not f[idx["source"]].strip():
                raise _Malformed("no source actor")
            text = f[idx["text"]].strip() if "text" in idx else book[code].name
            origin = f[idx["origin"]].strip() if "origin" in idx else ""
            yield EventRecord(date, f[idx["source"]].strip(), f[idx["target"]].strip(), code, score,
                              book[code].plover, text, origin, line=lines.number)
        except _Malformed as why:
            report.bad(str(why), lines.number)


# --- PLOVER JSON lines --------------------------------------------------------------------------
def _first(rec: dict, *keys: str) -> str:
    for k in keys:
        v = rec.get(k)
        if v not in (None, ""):
            return str(v)
    return ""


def _plover(lines: _Lines, report: ReadReport) -> Iterator[EventRecord]:
    book = codebook()

    def parse(f: list[str], line: int) -> EventRecord:
        try:
            rec = json.loads(f[0])
        except json.JSONDecodeError:
            raise _Malformed("not a JSON object") from None
        if not isinstance(rec, dict):
            raise _Malformed("not a JSON object")
        date = _iso_date(_first(rec, "event_date", "date"))
        category = _first(rec, "event_type", "event").upper() or None
        if category is not None and category not in PLOVER_QUAD:
            raise _Malformed("unknown PLOVER category")
        code, score = None, None
        if _first(rec, "cameo", "cameo_code"):
            code, score = _cameo(_first(rec, "cameo", "cameo_code"))
            category = category or book[code].plover
        if category is None and code is None:
            raise _Malformed("no event category")
        source = _first(rec, "actor_name", "actor", "source")
        if not source:
            raise _Malformed("no source actor")
        return EventRecord(date, source, _first(rec, "recipient_name", "recipient", "target"), code,
                           score, category, _first(rec, "event_text", "text", "story_text"),
                           _first(rec, "publisher", "url", "origin"),
                           _first(rec, "actor_country"), _first(rec, "recipient_country"),
                           line=line)

    yield from _rows(lines, report, parse, lambda text: [text])


# --- CNS missile tests --------------------------------------------------------------------------
def _cns(lines: _Lines, report: ReadReport) -> Iterator[EventRecord]:
    rows = csv.reader(iter(lines))
    header = next(rows, [])
    missing = [c for c in CNS_COLUMNS if c not in header]
    if missing:
        raise EventDataError(f"not the CNS missile test table: the header lacks {', '.join(missing)}",
                             file=report.path, line=1, fix="pick another --from")
    width = len(header)
    idx = {c: header.index(c) for c in header}
    score = goldstein_table()[MISSILE_TEST_CAMEO]
    for f in rows:
        if not any(x.strip() for x in f):
            continue
        report.rows += 1
        if len(f) != width:
            report.bad("wrong column count", lines.number)
            continue
        try:
            date = dt.datetime.strptime(f[idx["Date"]].strip(), "%d-%b-%y").date()
        except ValueError:
            report.bad("bad date", lines.number)
            continue
        text = (f"missile test: {f[idx['Missile Name']]} ({f[idx['Missile Type']]}) from "
                f"{f[idx['Facility Name']]}, {f[idx['Test Outcome']].lower()}")
        yield EventRecord(date, "North Korea", "", MISSILE_TEST_CAMEO, score, "MOBILIZE", text,
                          "CNS North Korea Missile Test Database", "North Korea", "", "PRK", "",
                          line=lines.number)
