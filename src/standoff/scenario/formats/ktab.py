"""KTAB's SMP input CSV (KAPSARC Toolkit for Behavioral Analysis).

    name, description, number of actors, number of dimensions
    Actor, Description, Influence|Power, <dim 1> Position, <dim 1> Salience, ...
    one line per actor: name, description, influence, then a position and a salience per dimension

Positions and saliences are on KTAB's 0..100 scales; each dimension becomes a 0..100 issue.
An issue's title is its position column's name without the word "Position"/"Pstn"
(`Policy Position` -> `Policy`); bare numbers (`Pstn1`) become `Dimension 1`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from standoff.errors import Problem, ScenarioError
from standoff.scenario.core import Scenario
from standoff.scenario.formats._common import fmt, number, read_text
from standoff.scenario.io import build, slug
from standoff.scenario.registry import ScenarioFormat, register_format

KTAB_SCALE = (0.0, 100.0)


def read_ktab(path: str | Path, **options: Any) -> Scenario:
    """Read a KTAB SMP CSV file into a validated scenario."""
    text, name = read_text(path, "KTAB CSV")
    return parse_ktab(text, file=name, **options)


def _dimension_title(header: str, k: int) -> str:
    rest = re.sub(r"(?i)\b(policy\s+)?(position|pstn|pos)\b", lambda m: m.group(1) or "", header)
    rest = re.sub(r"(?i)^(pstn|position)", "", rest.strip()).strip(" _-")
    return rest if rest and not rest.isdigit() else f"Dimension {k}"


def parse_ktab(text: str, *, file: str | None = None, baseline: dt.date | None = None,
               scenario_id: str | None = None) -> Scenario:
    """Parse KTAB CSV text (see the module docstring) into a validated scenario."""
    rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]
    rows = [r[:-1] if r and r[-1] == "" else r for r in rows if any(c for c in r)]
    if len(rows) < 3:
        raise ScenarioError([Problem("", "too few lines for a KTAB file",
                                     "give a first line (name, description, actors, dimensions), "
                                     "a header line and one line per actor")], file=file)
    first, header, body = rows[0], rows[1], rows[2:]
    problems: list[Problem] = []
    if len(first) < 4:
        raise ScenarioError([Problem("line 1", f"expected 4 cells, got {len(first)}",
                                     "write: name, description, number of actors, number of "
                                     "dimensions", 1)], file=file)
    n_actors = number(first[2], "line 1: number of actors", 1, problems)
    n_dims = number(first[3], "line 1: number of dimensions", 1, problems)
    if problems:
        raise ScenarioError(problems, file=file)
    n_actors, n_dims = int(n_actors), int(n_dims)  # type: ignore[arg-type]
    if len(header) < 3 + 2 * n_dims:
        problems.append(Problem("line 2", f"the header has {len(header)} columns; {n_dims} "
                                f"dimensions need {3 + 2 * n_dims}",
                                "name, description, influence, then position and salience per "
                                "dimension", 2))
    if len(body) != n_actors:
        problems.append(Problem("line 1", f"says {n_actors} actors but {len(body)} actor lines "
                                "follow", "correct the count on line 1", 1))
    if problems:
        raise ScenarioError(problems, file=file)
    titles = [_dimension_title(header[3 + 2 * k], k + 1) for k in range(n_dims)]
    ids = [slug(t) for t in titles]
    actors = []
    for n, row in enumerate(body, start=3):
        if len(row) < 3 + 2 * n_dims:
            problems.append(Problem(f"line {n}", f"expected {3 + 2 * n_dims} cells, got {len(row)}",
                                    "give name, description, influence and a position and "
                                    "salience per dimension", n))
            continue
        influence = number(row[2], f"line {n}: influence", n, problems)
        pos = [number(row[3 + 2 * k], f"line {n}: {titles[k]} position", n, problems)
               for k in range(n_dims)]
        sal = [number(row[4 + 2 * k], f"line {n}: {titles[k]} salience", n, problems)
               for k in range(n_dims)]
        entry: dict[str, Any] = {"id": slug(row[0]), "name": row[0], "capability": influence,
                                 "positions": dict(zip(ids, pos, strict=True)),
                                 "salience": dict(zip(ids, sal, strict=True))}
        if row[1]:
            entry["description"] = row[1]
        actors.append(entry)
    if problems:
        raise ScenarioError(problems, file=file)
    raw: dict[str, Any] = {
        "id": scenario_id or slug(first[0]), "title": first[0],
        "baseline": baseline or dt.date(1970, 1, 1),
        "issues": [{"id": i, "title": t, "min": KTAB_SCALE[0], "max": KTAB_SCALE[1]}
                   for i, t in zip(ids, titles, strict=True)],
        "actors": actors}
    if first[1]:
        raw["description"] = first[1]
    lines = {("actors", k): k + 3 for k in range(len(actors))}
    return build(raw, file=file, lines=lines)


def to_ktab(scenario: Scenario) -> str:
    """The scenario as a KTAB SMP CSV: positions rescaled to 0..100, point values (modes).

    Actor ids are not written (KTAB has names only): the reader makes them from the names.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([scenario.title, scenario.description or "", len(scenario.actors),
                len(scenario.issues)])
    head = ["Actor", "Description", "Influence"]
    for i in scenario.issues:
        head += [f"{i.title} Position", f"{i.title} Salience"]
    w.writerow(head)
    for a in scenario.actors:
        row = [a.name, a.description or "", fmt(a.capability.mode)]
        for i in scenario.issues:
            x = (a.positions[i.id].mode - i.min) / i.range * 100.0
            row += [fmt(round(x, 12)), fmt(a.salience[i.id].mode)]
        w.writerow(row)
    return buf.getvalue()


def sniff_ktab(text: str) -> bool:
    """A KTAB SMP file: a first line with name, description and the actor and dimension counts,
    then an `Actor,` header."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) >= 2 and lines[1].replace('"', "").lower().startswith("actor,"):
        first = next(csv.reader([lines[0]]), [])
        return len(first) >= 4 and all(c.strip().isdigit() for c in first[2:4])
    return False


register_format(ScenarioFormat("ktab", (".csv",), parse_ktab, sniff=sniff_ktab, write=to_ktab,
                               title="a KTAB SMP .csv file"))
