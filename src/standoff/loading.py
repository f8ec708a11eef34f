"""Finding a scenario by built-in case name or file path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from standoff.data import case_names, case_path
from standoff.errors import UnknownCaseError, closest
from standoff.scenario import Scenario, read_scenario


def load(name_or_path: str | Path, *, as_of: dt.date | str | None = None) -> Scenario:
    """Load a built-in case by name (``"korea-2018"``, any letter case) or a scenario file by path.

    **The default date differs from the command line's.** With no `as_of` the scenario is as
    written, on its baseline date; the command line (``standoff forecast korea-2018``) and the web
    API replay the events up to the last one first. Pass ``as_of="last"`` for the command line's
    values (``standoff forecast --as-of baseline`` gives this function's default). With a date, the
    declared effects of the events up to that date are applied.
    """
    text = str(name_or_path)
    builtin = case_path(text)
    near = closest(text, case_names()) if builtin is None else None
    if builtin is None and near is not None and near.lower() == text.lower() \
            and not Path(text).exists():
        builtin = case_path(near)  # case names match whatever the letter case
    if builtin is not None:
        scenario = read_scenario(builtin)
    elif Path(text).exists() or Path(text).is_symlink():
        scenario = read_scenario(text)
    else:
        hint = f"did you mean {near!r}? " if near else ""
        raise UnknownCaseError(f"no built-in case or file named {text!r}",
                               fix=f"{hint}built-in cases: {', '.join(case_names())}; or give a path "
                                   "to a .yaml or .csv file")
    if as_of == "last":
        as_of = scenario.last_event_date
    elif as_of == "baseline":
        as_of = None
    return scenario.as_of(as_of) if as_of is not None else scenario
