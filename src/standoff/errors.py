"""Errors a user can cause, each naming the file, the place in it, what is wrong and the fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


def closest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The choice equal to `word` ignoring case, else the closest (difflib), else None:
    'Korea-2018' -> 'korea-2018', 'forcast' -> 'forecast'."""
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[close[0]] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'did you mean 'belgium'? ' when a choice is close to `word` (`closest`), else '': the start
    of the fix of an unknown name."""
    near = closest(word, choices)
    return f"did you mean {near!r}? " if near is not None and near != word else ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is, what is wrong, how to fix it."""

    where: str
    message: str
    fix: str = ""
    line: int | None = None

    def render(self, file: str | None = None) -> str:
        place = ":".join(p for p in (file, str(self.line) if self.line else None) if p)
        head = f"{place}: " if place else ""
        where = f"{self.where}: " if self.where else ""
        tail = f" — {self.fix}" if self.fix else ""
        return f"{head}{where}{self.message}{tail}"


class StandoffError(Exception):
    """Base class of every error a user can cause; the CLI prints it without a traceback."""

    def __init__(self, message: str, *, file: str | None = None, where: str = "", fix: str = "",
                 line: int | None = None):
        self.problem = Problem(where=where, message=message, fix=fix, line=line)
        self.file = file
        super().__init__(self.problem.render(file))


class ScenarioError(StandoffError):
    """A scenario file that cannot be read or is not valid; carries every problem found."""

    def __init__(self, problems: list[Problem], *, file: str | None = None):
        if not problems:
            raise ValueError("ScenarioError needs at least one problem")
        self.problems = tuple(problems)
        self.file = file
        self.problem = problems[0]
        first = problems[0].render(file)
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''}; "\
               f"run `standoff validate` to list them)" if len(problems) > 1 else ""
        Exception.__init__(self, first + more)

    def report(self) -> str:
        """Every problem, one per line."""
        return "\n".join(p.render(self.file) for p in self.problems)


class UnknownCaseError(StandoffError):
    """A scenario name that is neither a built-in case nor an existing file."""


class ModelError(StandoffError):
    """An unknown model or a bad model parameter."""


class ScenarioChangeError(StandoffError):
    """A what-if change (without, with_changes, as_of) that does not fit the scenario."""
