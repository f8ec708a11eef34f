"""The Decide exchange-model input format (Stokman's Decide software).

Tab-separated lines, text cells in single quotes, one record a line::

    '#O'  title                              the scenario's title (optional)
    '#/'  ...                                a comment
    '#A'  actor-key  name  comment            an actor
    '#P'  issue-key  name  description        an issue
    '#M'  issue-key  value  [label]           a point of the scale (the lowest and highest are
                                             its ends; a label makes it a labelled point)
    '#D'  actor-key  issue-key  position  salience  power

Mapping onto a scenario (docs/formats.md):

- actor and issue ids are the keys made into ids (`African_grp` -> `african-grp`), names kept;
- salience: Decide files give it 0..1 (or 0..100); 0..1 is multiplied by 100;
- power is given per actor *and* issue; Standoff has one capability per actor, so the reader
  requires it to be the same on every issue of an actor (else an error says so);
- an actor with no `#D` row on an issue takes no part in it in Decide; here it gets salience 0
  (so no model gives it weight) and a position at the capability × salience weighted mean of the
  actors present, marked with the note :data:`MISSING_NOTE` so the writer leaves it out again.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from standoff.errors import Problem, ScenarioError
from standoff.scenario.core import Scenario
from standoff.scenario.formats._common import fmt, number, read_text
from standoff.scenario.io import build, slug
from standoff.scenario.registry import ScenarioFormat, register_format

MISSING_NOTE = "no #D row in the Decide file: takes no part in this issue"


def read_decide(path: str | Path, **options: Any) -> Scenario:
    """Read a Decide input file into a validated scenario."""
    text, name = read_text(path, "Decide")
    return parse_decide(text, file=name, **options)


def _cells(line: str) -> list[str]:
    delimiter = "\t" if "\t" in line else (";" if ";" in line else ",")
    row = next(csv.reader([line], delimiter=delimiter, quotechar="'", skipinitialspace=True))
    return [c.strip() for c in row]


def parse_decide(text: str, *, file: str | None = None, scenario_id: str | None = None,
                 title: str | None = None, baseline: dt.date | None = None) -> Scenario:
    """Parse Decide text (see the module docstring) into a validated scenario."""
    actors: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    data: list[tuple[int, str, str, float, float, float]] = []
    problems: list[Problem] = []
    file_title = None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = _cells(line)
        tag = cells[0].upper()
        if tag == "#/":
            continue
        if tag == "#O":
            file_title = next((c for c in cells[1:] if c), None)
            continue
        if tag == "#A" and len(cells) >= 2:
            key = cells[1]
            actors[key] = {"key": key, "name": cells[2] if len(cells) > 2 and cells[2] else key,
                           "comment": cells[3] if len(cells) > 3 and cells[3] else None, "line": n}
        elif tag == "#P" and len(cells) >= 2:
            key = cells[1]
            issues.setdefault(key, {"ends": []}).update(
                key=key, name=cells[2] if len(cells) > 2 and cells[2] else key,
                description=cells[3] if len(cells) > 3 and cells[3] else None, line=n)
        elif tag == "#M" and len(cells) >= 3:
            value = number(cells[2], f"line {n}: scale point", n, problems)
            if value is not None:
                entry = issues.setdefault(cells[1], {"ends": [], "line": n})
                entry["ends"].append(value)
                if len(cells) > 3 and cells[3]:
                    entry.setdefault("anchors", []).append({"value": value, "label": cells[3]})
        elif tag == "#D" and len(cells) >= 6:
            values = [number(cells[k], f"#D {cells[1]} {cells[2]}: {what}", n, problems)
                      for k, what in ((3, "position"), (4, "salience"), (5, "power"))]
            if None not in values:
                data.append((n, cells[1], cells[2], *values))  # type: ignore[arg-type]
        elif tag.startswith("#"):
            problems.append(Problem(f"line {n}", f"record {cells[0]!r} has too few cells "
                                    f"({len(cells)}) or an unknown tag",
                                    "use '#A' key name comment, '#P' key name description, "
                                    "'#M' issue value, '#D' actor issue position salience power",
                                    n))
    if problems:
        raise ScenarioError(problems, file=file)
    for n, a, i, *_ in data:
        if a not in actors:
            problems.append(Problem(f"line {n}", f"#D row names unknown actor {a!r}",
                                    f"declare it with a '#A' line, or use one of: "
                                    f"{', '.join(actors) or 'none'}", n))
        if i not in issues or "key" not in issues[i]:
            problems.append(Problem(f"line {n}", f"#D row names unknown issue {i!r}",
                                    f"declare it with a '#P' line, or use one of: "
                                    f"{', '.join(k for k, v in issues.items() if 'key' in v)}", n))
    for key, issue in issues.items():
        if "key" not in issue:
            problems.append(Problem(f"line {issue['line']}", f"#M line for undeclared issue {key!r}",
                                    "declare the issue with a '#P' line", issue["line"]))
    if problems:
        raise ScenarioError(problems, file=file)
    salience_scale = 100.0 if data and max(d[4] for d in data) <= 1.0 else 1.0
    power: dict[str, set[float]] = {}
    cells_by: dict[tuple[str, str], tuple[float, float]] = {}
    for n, a, i, x, s, c in data:
        power.setdefault(a, set()).add(c)
        if (a, i) in cells_by:
            problems.append(Problem(f"line {n}", f"second #D row for {a!r} on {i!r}",
                                    "give one row per actor and issue", n))
        cells_by[(a, i)] = (x, round(s * salience_scale, 10))
    for a, values in power.items():
        if len(values) > 1:
            problems.append(Problem(f"#D {a}", f"actor {a!r} has different powers on different "
                                    f"issues ({', '.join(fmt(v) for v in sorted(values))})",
                                    "Standoff gives each actor one capability: use one power per "
                                    "actor, or split the issues into separate files",
                                    actors[a]["line"]))
    for a in actors:
        if a not in power:
            problems.append(Problem(f"#A {a}", f"actor {a!r} has no #D rows",
                                    "add its positions, or remove its '#A' line",
                                    actors[a]["line"]))
    if problems:
        raise ScenarioError(problems, file=file)

    raw_issues = []
    for key, issue in issues.items():
        xs = [cells_by[(a, key)][0] for a in actors if (a, key) in cells_by]
        ends = issue["ends"] or [min(xs, default=0.0), max(xs, default=100.0)]
        lo, hi = min(ends), max(ends)
        entry: dict[str, Any] = {"id": slug(key), "title": issue["name"], "min": lo, "max": hi}
        if issue.get("description") and issue["description"] != issue["name"]:
            entry["description"] = issue["description"]
        if issue.get("anchors"):
            entry["anchors"] = issue["anchors"]
        raw_issues.append(entry)
    raw_actors = []
    for a, actor in actors.items():
        c = next(iter(power[a]))
        positions: dict[str, Any] = {}
        salience: dict[str, Any] = {}
        for key in issues:
            if (a, key) in cells_by:
                x, s = cells_by[(a, key)]
                positions[slug(key)], salience[slug(key)] = x, s
            else:
                present = [(cells_by[(b, key)], next(iter(power[b]))) for b in actors
                           if (b, key) in cells_by]
                w = sum(s * cb for (x, s), cb in present)
                mean = sum(x * s * cb for (x, s), cb in present) / w if w > 0 else \
                    sum(x for (x, s), cb in present) / max(len(present), 1)
                positions[slug(key)] = {"value": mean, "note": MISSING_NOTE}
                salience[slug(key)] = {"value": 0.0, "note": MISSING_NOTE}
        entry = {"id": slug(a), "name": actor["name"], "capability": c,
                 "positions": positions, "salience": salience}
        if actor["comment"] and actor["comment"] != actor["name"]:
            entry["description"] = actor["comment"]
        raw_actors.append(entry)
    stem = Path(file).stem if file else "decide"
    raw = {"id": scenario_id or slug(stem), "title": title or file_title or stem,
           "baseline": baseline or dt.date(1970, 1, 1), "issues": raw_issues,
           "actors": raw_actors}
    lines = {("actors", k): actors[a]["line"] for k, a in enumerate(actors)}
    lines.update({("issues", k): issues[i]["line"] for k, i in enumerate(issues)})
    return build(raw, file=file, lines=lines)


def to_decide(scenario: Scenario, *, salience_scale: float = 100.0) -> str:
    """The scenario in the Decide format; saliences divided by `salience_scale` (Decide: 0..1).

    Positions and saliences are the point values (modes); an actor-issue marked as absent by the
    reader (note :data:`MISSING_NOTE`) is left out, as it was in the file read.
    """
    def q(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"  # a quote inside is doubled

    out = ["\t".join([q("#O"), q(scenario.title)])]
    for a in scenario.actors:
        out.append("\t".join([q("#A"), q(a.id), q(a.name), q(a.description or "")]))
    for i in scenario.issues:
        out.append("\t".join([q("#P"), q(i.id), q(i.title), q(i.description or i.title)]))
        labels = {a.value: a.label for a in i.anchors}
        for value in sorted({i.min, i.max, *labels}):
            cells = [q("#M"), q(i.id), fmt(value)] + ([q(labels[value])] if value in labels else [])
            out.append("\t".join(cells))
    for a in scenario.actors:
        for i in scenario.issues:
            x, s = a.positions[i.id], a.salience[i.id]
            if s.mode == 0 and s.note == MISSING_NOTE:
                continue
            out.append("\t".join([q("#D"), q(a.id), q(i.id), fmt(x.mode),
                                  fmt(round(s.mode / salience_scale, 12)), fmt(a.capability.mode)]))
    return "\n".join(out) + "\n"


def sniff_decide(text: str) -> bool:
    """A Decide file: its first non-blank line is a record ('#A', '#P', '#O', '#/', or quoted)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return bool(lines) and lines[0].lstrip().startswith(("'#", "#A", "#P", "#O", "#/"))


register_format(ScenarioFormat("decide", (".csv",), parse_decide, sniff=sniff_decide, write=to_decide,
                               title="a Decide file ('#A', '#P', '#D' records)"))
