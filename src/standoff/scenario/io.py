"""Reading and writing scenario files: YAML (safe loading only) and Predictioneer-style CSV tables.

Every problem is reported with the file, the line and the path inside the file, e.g.
``korea.yaml:57: actors[3].positions.denuclearization: position value 120 is off the scale
[0, 100] — give a value between 0 and 100``.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from standoff.errors import Problem, ScenarioError, StandoffError
from standoff.scenario import yamlsafe
from standoff.scenario.core import Scenario
from standoff.scenario.registry import binary_format, format_for, suffixes, writer_for
from standoff.scenario.schema import ScenarioData
from standoff.scenario.validate import check


def read_scenario(path: str | Path, **options: Any) -> Scenario:
    """Read and validate a scenario file in any registered format (.yaml/.yml, or a .csv file:
    Decide, KTAB or a one-issue table; see :mod:`standoff.scenario.registry`); `options` go to the
    format's reader."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    yamlsafe.check_path(path, what="scenario file")
    if suffix not in suffixes():
        raise ScenarioError([Problem("", f"unknown kind of file {suffix or '(no suffix)'!r}",
                                     "give a .yaml scenario, a .xlsx workbook, a KTAB .xml file or a "
                                     ".csv table (actor, capability, position, salience)")], file=name)
    binary = binary_format(suffix)
    if binary is not None:
        return binary.parse(yamlsafe.read_bytes(path, what="scenario file"), file=name, **options)
    text = yamlsafe.read_text(path, what="scenario file")
    fmt = format_for(suffix, text)
    return fmt.parse(text, file=name, **options)


def parse_bytes(data: bytes, name: str, **options: Any) -> Scenario:
    """A scenario from a file's bytes (an upload), its format chosen by the suffix of `name` as
    :func:`read_scenario` chooses it; the caller checks the size first."""
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes():
        raise ScenarioError([Problem("", f"unknown kind of file {suffix or '(no suffix)'!r}",
                                     f"give a file ending in one of: {', '.join(suffixes())}")], file=name)
    binary = binary_format(suffix)
    if binary is not None:
        return binary.parse(data, file=name, **options)
    text = yamlsafe.decode(data, name)
    return format_for(suffix, text).parse(text, file=name, **options)


def write_scenario(scenario: Scenario, path: str | Path, fmt: str | None = None) -> Path:
    """Write `scenario` to `path` in the format its suffix names (`fmt`: a format's name, for a
    suffix several formats write, such as .csv); returns the path."""
    path = Path(path)
    data = writer_for(path.suffix, fmt).write(scenario)  # type: ignore[misc]
    try:
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise StandoffError(f"cannot write {path}: {exc.strerror or exc}", where="output",
                            fix="give a writable path") from None
    return path


def sniff_csv(text: str) -> str:
    """Which kind of .csv: the name of the registered format that reads it (`decide`, `ktab`, or
    `table`: one issue per file)."""
    return format_for(".csv", text).name


def parse_yaml(text: str, *, file: str | None = None) -> Scenario:
    """Parse and validate a YAML scenario; raise ScenarioError listing every problem."""
    try:
        node, raw = yamlsafe.load_yaml(text, file)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError([Problem("", f"not valid YAML: {what}",
                                     "fix the syntax (indentation, colons, quotes)", line)],
                            file=file) from None
    if not isinstance(raw, Mapping):
        raise ScenarioError([Problem("", "not a scenario: expected a mapping with `issues` and "
                                     "`actors` at the top level",
                                     "see `standoff docs scenario-format` for the layout")], file=file)
    if raw and "issues" not in raw and "actors" not in raw:  # an empty mapping: every field is missing
        keys = ", ".join(ascii(str(k))[1:-1][:40] for k in list(raw)[:5])
        raise ScenarioError([Problem("", f"not a scenario: no `issues` or `actors` at the top level "
                                     f"(it has {keys})", "give a scenario file (see "
                                     "`standoff docs scenario-format`); belief files go to `standoff events "
                                     "beliefs --beliefs FILE`", 1)], file=file)
    lines = line_map(node) if node is not None else {}
    problems = []
    if "baseline" not in raw:
        problems.append(Problem("", "missing required field `baseline`",
                                "add `baseline: YYYY-MM-DD`, the date the values describe", 1))
    return build(dict(raw), file=file, lines=lines, problems=problems)


def build(raw: dict[str, Any], *, file: str | None = None,
          lines: Mapping[tuple, int] | None = None, problems: list[Problem] | None = None,
          ) -> Scenario:
    """Validate a plain mapping into a Scenario (fields first, then cross-references)."""
    lines = lines or {}
    problems = list(problems or [])
    try:
        data = ScenarioData.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        failed_lists = {e["loc"][0] for e in errors if len(e["loc"]) > 1}
        problems += [problem_from_pydantic(err, lines) for err in errors
                     if not (err["type"] == "too_short" and err["loc"][0] in failed_lists)]
        partial = _partial(raw)
        if partial is not None:
            problems += [locate_problem(p, lines) for p in check(partial)]
        raise ScenarioError(_dedupe(problems), file=file) from None
    problems += [locate_problem(p, lines) for p in check(data)]
    if problems:
        raise ScenarioError(_dedupe(problems), file=file)
    return Scenario(**dict(data), path=file)


def _partial(raw: dict[str, Any]) -> ScenarioData | None:
    """The entries of a scenario that are valid on their own, to cross-check them too.

    Indices of dropped entries shift, so cross-reference problems are only reported when
    every list entry was valid by itself (problems in scalars such as `title` do not matter).
    """
    fields = ScenarioData.model_fields
    lists = ("sources", "issues", "groups", "actors", "outcomes", "events", "recorded")
    values: dict[str, Any] = {}
    for name, info in fields.items():
        if name not in raw:
            if info.is_required():  # a missing list or date: nothing to cross-check against
                return None
            values[name] = info.get_default(call_default_factory=True)
            continue
        if name in lists:
            item_type = info.annotation.__args__[0]
            items = raw[name] if isinstance(raw[name], list) else []
            try:
                values[name] = tuple(item_type.model_validate(x) for x in items)
            except ValidationError:
                return None
        else:
            try:  # a scalar of the wrong type (a baseline that is not a date) is left out
                values[name] = _adapter(name).validate_python(raw[name])
            except ValidationError:
                values[name] = None
    return ScenarioData.model_construct(**values)


@functools.cache
def _adapter(name: str) -> TypeAdapter:
    """The validator of one scalar field of ScenarioData, built once."""
    return TypeAdapter(ScenarioData.model_fields[name].annotation)


def parse_csv(text: str, *, file: str | None = None, issue: str = "issue",
              scale: tuple[float, float] | None = None, baseline: dt.date | None = None,
              scenario_id: str | None = None, title: str | None = None) -> Scenario:
    """A one-issue scenario from a table of actor, capability, position, salience.

    Accepts the Predictioneer layout (``actor,capability,position,salience``) and the
    stakeholder layout of published replications (``Stakeholder,Resources,Position,Salience``).
    The scale is `scale`, else the range of the positions.
    """
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(c.strip() for c in r)]
    synonyms = {"actor": "actor", "stakeholder": "actor", "name": "actor",
                "capability": "capability", "resources": "capability", "power": "capability",
                "influence": "capability", "position": "position", "salience": "salience"}
    if not rows:
        raise ScenarioError([Problem("", "empty table", "give a header line "
                                     "(actor,capability,position,salience) and one row per actor")],
                            file=file)
    header = [synonyms.get(h.strip().lower()) for h in rows[0]]
    missing = [c for c in ("actor", "capability", "position", "salience") if c not in header]
    if missing:
        raise ScenarioError([Problem("header", f"missing column{'s' if len(missing) > 1 else ''} "
                                     f"{', '.join(missing)}",
                                     "the header must read actor,capability,position,salience", 1)],
                            file=file)
    col = {name: header.index(name) for name in ("actor", "capability", "position", "salience")}
    problems, actors, positions = [], [], []
    for n, row in enumerate(rows[1:], start=2):
        try:
            cells = {k: row[i].strip() for k, i in col.items()}
        except IndexError:
            problems.append(Problem(f"row {n}", f"expected {len(header)} columns, got {len(row)}",
                                    "give actor,capability,position,salience on every row", n))
            continue
        numbers = {}
        for k in ("capability", "position", "salience"):
            try:
                numbers[k] = float(cells[k])
            except ValueError:
                problems.append(Problem(f"row {n}.{k}", f"{cells[k]!r} is not a number",
                                        "write a plain number such as 60", n))
        if len(numbers) < 3:
            continue
        actors.append({"id": slug(cells["actor"]), "name": cells["actor"],
                       "capability": numbers["capability"],
                       "positions": {issue: numbers["position"]},
                       "salience": {issue: numbers["salience"]}})
        positions.append(numbers["position"])
    if problems:
        raise ScenarioError(problems, file=file)
    stem = Path(file).stem if file else "table"
    lo, hi = scale if scale is not None else (min(positions, default=0), max(positions, default=1))
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    raw = {"id": scenario_id or slug(stem), "title": title or stem,
           "baseline": baseline or dt.date(1970, 1, 1),
           "issues": [{"id": issue, "title": issue, "min": lo, "max": hi}], "actors": actors}
    lines = {("actors", k): k + 2 for k in range(len(actors))}
    return build(raw, file=file, lines=lines)


def to_yaml(scenario: Scenario) -> str:
    """The scenario as YAML that :func:`parse_yaml` reads back to an equal scenario."""
    data = scenario.model_dump(mode="json", exclude={"path", "as_of_date"}, exclude_none=True,
                               exclude_defaults=True)
    data["baseline"] = scenario.date.isoformat() if scenario.date else None
    if scenario.as_of_date is not None:
        # The values are as of that date; events up to it are already applied.
        data["events"] = [e for e in data.get("events", [])
                          if dt.date.fromisoformat(e["date"]) > scenario.as_of_date
                          or not e.get("effects")]
        for e in data["events"]:
            if dt.date.fromisoformat(e["date"]) <= scenario.as_of_date:
                e.pop("effects", None)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def slug(name: str) -> str:
    """An id from a name: `North Korea` -> `north-korea`."""
    s = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    return s or "unnamed"


def line_map(node: yaml.Node, path: tuple = ()) -> dict[tuple, int]:
    """Map each path in a composed YAML document (keys and list indices) to its line (1-based)."""
    out = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value if isinstance(key, yaml.ScalarNode) else str(key)
            out[path + (k,)] = key.start_mark.line + 1
            out.update({p: v for p, v in line_map(value, path + (k,)).items() if p != path + (k,)})
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.update(line_map(item, path + (i,)))
    return out


def format_path(loc: tuple) -> str:
    """('actors', 3, 'positions', 'x') -> 'actors[3].positions.x'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def parse_path(path: str) -> tuple:
    parts: list[Any] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return tuple(parts)


def _line_for(loc: tuple, lines: Mapping[tuple, int]) -> int | None:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def locate_problem(problem: Problem, lines: Mapping[tuple, int]) -> Problem:
    """The problem with the file line of its place (`where`), when the YAML node map has it."""
    if problem.line is not None:
        return problem
    return Problem(problem.where, problem.message, problem.fix,
                   _line_for(parse_path(problem.where), lines))


_VALUE_PARTS = {"mode", "function-after[_ordered()]", "function-before[_from_number()]"}


def problem_from_pydantic(err: dict, lines: Mapping[tuple, int]) -> Problem:
    """One pydantic validation error as a Problem: the place in the file, the words, the fix."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (
        p.startswith("function-") or p in ("float", "int") or "[" in p and "]" in p and "(" in p)))
    if loc and loc[-1] == "mode" and err["type"] != "missing":
        loc = loc[:-1]  # a Value's number: report it at the value itself
    kind = err["type"]
    field = loc[-1] if loc else ""
    if kind == "missing":
        message, fix = f"missing required field `{field}`", f"add `{field}:`"
        loc = loc[:-1] if loc else loc
    elif kind == "extra_forbidden":
        message, fix = f"unknown field `{field}`", "remove it or check its spelling " \
                                                   "(see `standoff docs scenario-format`)"
    elif kind == "string_pattern_mismatch" and field in ("id", "actor", "group", "target", "issue",
                                                         "outcome") or kind == "string_pattern_mismatch" \
            and isinstance(field, int):
        message = f"id {err['input']!r} is not lower-case words joined by hyphens"
        fix = f"write it as {slug(str(err['input']))!r}"
    elif kind == "string_pattern_mismatch" and field == "cameo":
        message, fix = f"CAMEO code {err['input']!r} is not 2 to 4 digits", "quote it, e.g. '036'"
    elif kind.startswith("date"):
        message, fix = f"{err['input']!r} is not a date", "write it as YYYY-MM-DD, e.g. 2018-05-22"
    elif kind in ("too_short",) and field in ("issues", "actors"):
        need = "one issue" if field == "issues" else "two actors"
        message, fix = f"the scenario has too few {field}", f"give at least {need}"
    elif kind in ("model_type", "dict_type", "tuple_type", "list_type", "string_type",
                  "float_type", "literal_error", "greater_than", "less_than_equal"):
        message = f"{err['msg'].lower()}, got {err.get('input')!r}"
        fix = "see `standoff docs scenario-format`"
    else:
        message = err["msg"].removeprefix("Value error, ")
        fix = ""
    return Problem(format_path(loc), message, fix, _line_for(loc, lines))


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.where, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
