"""Finding a scenario by built-in case name or file path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from standoff.data import case_names, case_path
from standoff.errors import UnknownCaseError
from standoff.scenario import Scenario, read_scenario


def load(name_or_path: str | Path, *, as_of: dt.date | str | None = None) -> Scenario:
    """Load a built-in case by name (``"korea-2018"``) or a scenario file by path.

    With `as_of`, the declared effects of the events up to that date are applied.
    """
    text = str(name_or_path)
    builtin = case_path(text)
    if builtin is not None:
        scenario = read_scenario(builtin)
    elif Path(text).exists():
        scenario = read_scenario(text)
    else:
        raise UnknownCaseError(f"no built-in case or file named {text!r}",
                               fix=f"built-in cases: {', '.join(case_names())}; or give a path "
                                   "to a .yaml or .csv file")
    return scenario.as_of(as_of) if as_of is not None else scenario
