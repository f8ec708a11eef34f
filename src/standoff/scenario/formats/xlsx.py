"""A scenario as an Excel workbook (.xlsx), in the stakeholder-table layout analysts keep.

Sheet `actors` (else the first sheet): a header row, then one row per actor:

    actor | name | group | capability | <issue>:position | <issue>:salience | ...

Sheet `issues`: `id | title | min | max | status_quo`, a row per issue. Sheet `scenario`
(optional): `field | value` rows for `id`, `title`, `baseline` and `description`. The workbook
holds point values only: ranges, labelled points, events, outcomes and the groups' own fields
are not in this layout (write YAML for them). Every problem is reported at its cell
(`actors!E3`), and sheets larger than the limits are refused before they are read through.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from standoff import lazy
from standoff.errors import Problem, ScenarioError, closest
from standoff.scenario import yamlsafe
from standoff.scenario.core import Scenario
from standoff.scenario.formats._common import at_place
from standoff.scenario.io import build, slug
from standoff.scenario.registry import ScenarioFormat, register_format

openpyxl = lazy.load("openpyxl")  # loaded when a workbook is read or written, not with the registry

#: Most rows one sheet may have (environment: STANDOFF_MAX_XLSX_ROWS).
MAX_ROWS = 20_000
#: Most cells (rows × columns used) one sheet may have (environment: STANDOFF_MAX_XLSX_CELLS).
MAX_CELLS = 1_000_000

ACTOR_COLUMNS = ("actor", "name", "group", "capability", "description")
ISSUE_COLUMNS = ("id", "title", "min", "max", "status_quo", "description", "unit")
_DOCS = "see `standoff docs formats`"
_FIX_NUMBER = "write a plain number such as 60"


def read_xlsx(path: str | Path, **options: Any) -> Scenario:
    """Read a scenario workbook (.xlsx) into a validated scenario."""
    return parse_xlsx(yamlsafe.read_bytes(path, what="workbook"), file=str(path), **options)


class _Sheet:
    """One sheet read into rows of cells, with each cell's reference for messages."""

    def __init__(self, ws, file: str):
        self.title = ws.title
        max_rows = yamlsafe.env_limit("STANDOFF_MAX_XLSX_ROWS", MAX_ROWS)
        max_cells = yamlsafe.env_limit("STANDOFF_MAX_XLSX_CELLS", MAX_CELLS)
        declared = ws.max_row or 0
        if declared > max_rows + 1:
            self._too_big(file, f"has {declared:,} rows, over the limit of {max_rows:,}",
                          "STANDOFF_MAX_XLSX_ROWS")
        rows: list[tuple[int, list[Any]]] = []
        cells = 0
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            values = list(row)
            while values and _blank(values[-1]):
                values.pop()
            cells += len(row)
            if n > max_rows + 1:
                self._too_big(file, f"has more than {max_rows:,} rows", "STANDOFF_MAX_XLSX_ROWS")
            if cells > max_cells:
                self._too_big(file, f"has more than {max_cells:,} cells", "STANDOFF_MAX_XLSX_CELLS")
            if values:
                rows.append((n, values))
        self.header_row, header = rows[0] if rows else (1, [])
        self.header = [str(h).strip() if h is not None else "" for h in header]
        self.rows = rows[1:]

    def _too_big(self, file: str, what: str, env: str) -> None:
        raise yamlsafe.FileLimitError(f"sheet {self.title!r} {what}", file=file,
                                      fix=f"split the workbook, or raise the limit with {env}=N "
                                          "(see `standoff docs limits`)")

    def ref(self, row: int, col: int) -> str:
        head = self.header[col] if col < len(self.header) else ""
        return f"{self.title}!{_letter(col)}{row}" + (f" ({head})" if head else "")

    def columns(self) -> dict[str, int]:
        """Header name (lower case) → column index (0-based); the first of repeated names."""
        found: dict[str, int] = {}
        for k, h in enumerate(self.header):
            if h:
                found.setdefault(h.lower(), k)
        return found


def _letter(col: int) -> str:
    """The column letter of a 0-based column index: 0 -> A, 26 -> AA."""
    return openpyxl.utils.get_column_letter(col + 1)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(values: list[Any], col: int) -> Any:
    return values[col] if col < len(values) else None


def _number(sheet: _Sheet, row: int, col: int, values: list[Any], problems: list[Problem],
            required: bool = True) -> float | None:
    value = _cell(values, col)
    where = sheet.ref(row, col)
    if _blank(value):
        if required:
            problems.append(Problem(where, "is empty", _FIX_NUMBER))
        return None
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time):
        problems.append(Problem(where, f"{value!r} is not a number", _FIX_NUMBER))
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            problems.append(Problem(where, f"{str(value).strip()!r} is not a number", _FIX_NUMBER))
            return None
    if number != number or number in (float("inf"), float("-inf")):
        problems.append(Problem(where, f"{value!r} is not a finite number", _FIX_NUMBER))
        return None
    return number


def _text(values: list[Any], col: int | None, strip: bool = True) -> str:
    """A cell as text ('' when blank); free text (`strip=False`: names, titles) is kept as typed."""
    if col is None:
        return ""
    value = _cell(values, col)
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if strip else str(value)


def _missing(sheet: _Sheet, names: list[str], file: str, fix: str) -> None:
    raise ScenarioError([Problem(f"{sheet.title}!{sheet.header_row}:{sheet.header_row} (header)",
                                 f"missing column{'s' if len(names) > 1 else ''} "
                                 f"{', '.join(repr(n) for n in names)}", fix)], file=file)


def parse_xlsx(data: bytes, *, file: str | None = None, baseline: dt.date | None = None,
               scenario_id: str | None = None, title: str | None = None) -> Scenario:
    """Parse a scenario workbook's bytes (the layout of the module docstring)."""
    name = file or "workbook.xlsx"
    yamlsafe.check_xlsx(data, name)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign archive
        raise ScenarioError([Problem("", f"is not a readable XLSX workbook ({type(exc).__name__})",
                                     "save it again as an Excel workbook (.xlsx)")], file=name) from None
    try:
        sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        if "issues" not in sheets:
            raise ScenarioError([Problem("workbook", f"no sheet named 'issues' (sheets: "
                                         f"{', '.join(repr(ws.title) for ws in wb.worksheets)})",
                                         "add a sheet 'issues' with columns id, title, min, max, "
                                         f"status_quo ({_DOCS})")], file=name)
        actors_ws = sheets.get("actors") or next(ws for ws in wb.worksheets
                                                 if ws.title.strip().lower() not in ("issues", "scenario"))
        issues = _Sheet(sheets["issues"], name)
        actors = _Sheet(actors_ws, name)
        meta = _Sheet(sheets["scenario"], name) if "scenario" in sheets else None
    except StopIteration:
        raise ScenarioError([Problem("workbook", "no sheet of actors", "add a sheet 'actors' with a row per "
                                     f"actor ({_DOCS})")], file=name) from None
    finally:
        wb.close()
    return _build(actors, issues, meta, name, baseline=baseline, scenario_id=scenario_id, title=title)


def _build(actors: _Sheet, issues: _Sheet, meta: _Sheet | None, file: str, *, baseline: dt.date | None,
           scenario_id: str | None, title: str | None) -> Scenario:
    problems: list[Problem] = []
    cells: dict[tuple, str] = {}  # a scenario path -> the cell it came from

    # issues
    icol = issues.columns()
    missing = [c for c in ("id", "title", "min", "max") if c not in icol]
    if missing:
        _missing(issues, missing, file, "the issues sheet's header reads id, title, min, max, status_quo")
    _unknown_columns(issues, ISSUE_COLUMNS, problems)
    issue_list: list[dict[str, Any]] = []
    for k, (n, values) in enumerate(issues.rows):
        entry: dict[str, Any] = {"id": _text(values, icol["id"]),
                                 "title": _text(values, icol["title"], strip=False)}
        for field in ("min", "max"):
            entry[field] = _number(issues, n, icol[field], values, problems)
        if "status_quo" in icol:
            sq = _number(issues, n, icol["status_quo"], values, problems, required=False)
            if sq is not None:
                entry["status_quo"] = sq
        for field in ("description", "unit"):
            if field in icol and _text(values, icol[field]):
                entry[field] = _text(values, icol[field], False)
        for field, col in icol.items():
            if field in ISSUE_COLUMNS:
                cells[("issues", k, field)] = issues.ref(n, col)
        cells[("issues", k)] = issues.ref(n, icol["id"])
        issue_list.append(entry)
    ids = [i["id"] for i in issue_list]

    # actors
    acol = actors.columns()
    needed = ["actor", "capability"] + [f"{i}:{f}" for i in ids if i for f in ("position", "salience")]
    missing = [c for c in needed if c.lower() not in acol]
    if missing:
        _missing(actors, missing, file, "add them: actor, name, group, capability, then <issue>:position and "
                                        f"<issue>:salience for each issue of the sheet 'issues' ({_DOCS})")
    per_issue = {c for i in ids for c in (f"{i}:position".lower(), f"{i}:salience".lower())}
    _unknown_columns(actors, ACTOR_COLUMNS, problems, per_issue, ids)
    actor_list: list[dict[str, Any]] = []
    groups: dict[str, tuple[int, int]] = {}
    for k, (n, values) in enumerate(actors.rows):
        actor_id = _text(values, acol["actor"])
        entry = {"id": actor_id, "name": _text(values, acol.get("name"), False) or actor_id,
                 "capability": _number(actors, n, acol["capability"], values, problems),
                 "positions": {}, "salience": {}}
        cells[("actors", k)] = actors.ref(n, acol["actor"])
        cells[("actors", k, "id")] = actors.ref(n, acol["actor"])
        cells[("actors", k, "capability")] = actors.ref(n, acol["capability"])
        group = _text(values, acol.get("group"))
        if group:
            entry["group"] = group
            groups.setdefault(group, (n, acol["group"]))
            cells[("actors", k, "group")] = actors.ref(n, acol["group"])
        if _text(values, acol.get("description")):
            entry["description"] = _text(values, acol.get("description"), False)
        for i in ids:
            for field, key in (("position", "positions"), ("salience", "salience")):
                col = acol[f"{i}:{field}".lower()]
                entry[key][i] = _number(actors, n, col, values, problems)
                cells[("actors", k, key, i)] = actors.ref(n, col)
        actor_list.append(entry)

    fields = _meta(meta, file, problems)
    if problems:
        raise ScenarioError(problems, file=file)
    stem = Path(file).stem
    raw: dict[str, Any] = {
        "id": scenario_id or fields.get("id") or slug(stem), "title": title or fields.get("title") or stem,
        "baseline": baseline or fields.get("baseline") or dt.date(1970, 1, 1),
        "issues": issue_list, "actors": actor_list,
        "groups": [{"id": g, "name": g} for g in groups]}
    for k, (n, col) in enumerate(groups.values()):
        cells[("groups", k)] = actors.ref(n, col)
    if fields.get("description"):
        raw["description"] = fields["description"]
    try:
        return build(raw, file=file)
    except ScenarioError as exc:
        raise ScenarioError([at_place(p, cells) for p in exc.problems], file=file) from None


def _unknown_columns(sheet: _Sheet, known: tuple[str, ...], problems: list[Problem],
                     per_issue: set[str] = frozenset(), ids: list[str] = ()) -> None:  # type: ignore[assignment]
    for col, head in enumerate(sheet.header):
        low = head.lower()
        if not head or low in known or low in per_issue:
            continue
        where = f"{sheet.title}!{_letter(col)}{sheet.header_row}"
        issue, _, field = low.partition(":")
        if field in ("position", "salience") and ids:
            near = closest(issue, ids)
            hint = f"did you mean {near}:{field}? " if near else ""
            problems.append(Problem(where, f"column {head!r} names no issue of the sheet 'issues'",
                                    f"{hint}rename it, or add the issue {issue!r} to the sheet 'issues'"))
            continue
        near = closest(low, list(known) + sorted(per_issue))
        problems.append(Problem(where, f"unknown column {head!r}",
                                (f"did you mean {near!r}? " if near else "")
                                + f"the columns are {', '.join(known)}" + (
                                    ", then <issue>:position and <issue>:salience" if per_issue else "")))


def _meta(sheet: _Sheet | None, file: str, problems: list[Problem]) -> dict[str, Any]:
    """The `scenario` sheet's field/value rows (id, title, baseline, description)."""
    if sheet is None:
        return {}
    found: dict[str, Any] = {}
    for n, values in [(sheet.header_row, [h or None for h in sheet.header]), *sheet.rows]:
        key = _text(values, 0).lower()
        if key in ("field", ""):
            continue
        if key not in ("id", "title", "baseline", "description"):
            problems.append(Problem(f"{sheet.title}!A{n}", f"unknown field {key!r}",
                                    "the fields are id, title, baseline, description"))
            continue
        value = _cell(values, 1)
        if key == "baseline":
            if isinstance(value, dt.datetime):
                value = value.date()
            elif not isinstance(value, dt.date):
                try:
                    value = dt.date.fromisoformat(_text(values, 1))
                except ValueError:
                    problems.append(Problem(f"{sheet.title}!B{n}", f"{_text(values, 1)!r} is not a date",
                                            "write it as YYYY-MM-DD, e.g. 2018-05-22"))
                    continue
        else:
            value = _text(values, 1, strip=key == "id")
        found[key] = value
    return found


def to_xlsx(scenario: Scenario) -> bytes:
    """The scenario as a workbook of the module docstring's layout: point values (modes), a row
    per actor, a row per issue, and the sheet `scenario` (id, title, baseline, description)."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("actors")
    head = ["actor", "name", "group", "capability"]
    for i in scenario.issue_ids:
        head += [f"{i}:position", f"{i}:salience"]
    ws.append([_str(ws, h, bold=True) for h in head])
    for a in scenario.actors:
        row: list[Any] = [_str(ws, a.id), _str(ws, a.name), _str(ws, a.group or ""), a.capability.mode]
        for i in scenario.issue_ids:
            row += [a.positions[i].mode, a.salience[i].mode]
        ws.append(row)
    ws = wb.create_sheet("issues")
    ws.append([_str(ws, h, bold=True) for h in ("id", "title", "min", "max", "status_quo")])
    for i in scenario.issues:
        ws.append([_str(ws, i.id), _str(ws, i.title), i.min, i.max,
                   i.status_quo.mode if i.status_quo is not None else None])
    ws = wb.create_sheet("scenario")
    ws.append([_str(ws, "field", bold=True), _str(ws, "value", bold=True)])
    ws.append([_str(ws, "id"), _str(ws, scenario.id)])
    ws.append([_str(ws, "title"), _str(ws, scenario.title)])
    ws.append([_str(ws, "baseline"), _str(ws, scenario.date.isoformat() if scenario.date else "")])
    if scenario.description:
        ws.append([_str(ws, "description"), _str(ws, scenario.description)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")


def _str(ws, value: str, bold: bool = False) -> Any:
    """A text cell that stays text (a leading '=' is not a formula)."""
    cell = openpyxl.cell.WriteOnlyCell(ws, value=_ILLEGAL.sub("", value))
    cell.data_type = "s"
    if bold:
        cell.font = openpyxl.styles.Font(bold=True)
    return cell


register_format(ScenarioFormat("xlsx", (".xlsx",), parse_xlsx, write=to_xlsx, binary=True,
                               title="a scenario workbook (.xlsx: sheets actors and issues)"))


def left_out(scenario: Scenario) -> list[str]:
    """What a point-value layout (this workbook, KTAB, Decide) cannot hold of `scenario`, in words:
    ['27 events', '40 ranges', ...]; empty when it holds everything."""
    values = [a.capability for a in scenario.actors]
    for a in scenario.actors:
        values += [*a.positions.values(), *a.salience.values()]
    counts = {
        "event": len(scenario.events), "named outcome": len(scenario.outcomes),
        "source": len(scenario.sources), "labelled point": sum(len(i.anchors) for i in scenario.issues),
        "value with a range or spread": sum(v.low is not None or v.sd is not None for v in values),
        "group field": sum(len(g.model_dump(exclude_defaults=True, exclude={"id", "name"}))
                           for g in scenario.groups),
        "risk attitude": sum(a.risk is not None for a in scenario.actors),
        "recorded outcome": len(scenario.recorded), "panel coding": len(scenario.panel),
    }
    return [f"{n} {what.replace('value', 'values') if n > 1 and what.startswith('value') else what}"
            f"{'s' if n > 1 and not what.startswith('value') else ''}" for what, n in counts.items() if n]
