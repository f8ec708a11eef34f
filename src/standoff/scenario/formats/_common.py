"""Small helpers shared by the format readers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from standoff.errors import Problem, ScenarioError
from standoff.scenario.io import parse_path


def read_text(path: str | Path, what: str) -> tuple[str, str]:
    """The text of a file and its name for messages; a ScenarioError if it cannot be read."""
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise ScenarioError([Problem("", "no such file", f"check the path to the {what} file")],
                            file=name)
    try:
        return path.read_text(encoding="utf-8-sig"), name
    except UnicodeDecodeError:
        try:
            return path.read_text(encoding="latin-1"), name
        except OSError as exc:  # pragma: no cover - unreadable file
            raise ScenarioError([Problem("", f"cannot read the file: {exc}",
                                         "check its permissions")], file=name) from None


def number(text: str, where: str, line: int, problems: list[Problem]) -> float | None:
    """A float from a cell, or None after recording a problem."""
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(where, f"{text.strip()!r} is not a number",
                                "write a plain number such as 60", line))
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(Problem(where, f"{text.strip()!r} is not a finite number",
                                "write a plain number such as 60", line))
        return None
    return value


def fmt(x: float) -> str:
    """A number written exactly (repr of a float; integers without a trailing .0)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def at_place(problem: Problem, places: Mapping[tuple, str]) -> Problem:
    """A validation problem at a scenario path (`actors[2].positions.a`) moved to the place in the
    file that value came from (a cell `actors!E4`, an XML element), by the longest path `places`
    knows; unchanged when it knows none."""
    loc = parse_path(problem.where)
    for n in range(len(loc), 0, -1):
        if loc[:n] in places:
            return Problem(places[loc[:n]], problem.message, problem.fix)
    return problem
