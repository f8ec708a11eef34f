"""Cases to backtest from the command line's names: built-in cases, scenario files, DEU III files.

- a DEU III file (tab-separated, with a `prnr` column) gives one case per proposal, capabilities
  by the EU rule (:mod:`standoff.scenario.formats.eu_council`), and each proposal's half of the
  committed split (proposals not in the split were never fitted on: "eval");
- a case of the library (:mod:`standoff.backtest.library`, when present) comes as of its as-of
  date with its recorded outcomes;
- any other built-in case or scenario file is forecast as of its last event before its first
  recorded outcome, so no event from the outcome's day or later feeds the forecast.
"""

from __future__ import annotations

from pathlib import Path

from standoff.backtest.harness import Case
from standoff.backtest.scoring import BacktestError
from standoff.backtest.split import load_split
from standoff.loading import load
from standoff.scenario import Scenario
from standoff.scenario.io import slug


def is_deu(path: str | Path) -> bool:
    """True for an existing file whose first line is a tab-separated header with `prnr`."""
    p = Path(path)
    if not p.is_file():
        return False
    try:
        with p.open(encoding="utf-8-sig", errors="replace") as f:
            head = f.readline()
    except OSError:
        return False
    return "\t" in head and "prnr" in [h.strip() for h in head.split("\t")]


def deu_cases(path: str | Path, split: dict[str, str] | None = None, *,
              weights: str = "eu") -> list[Case]:
    """One case per proposal of a DEU III file, with its half of the split; capabilities by the
    EU rule (`weights="eu"`) or all equal (`"equal"`)."""
    from standoff.scenario.formats import read_deu

    split = load_split() if split is None else split
    half = {f"deu3-{slug(p)}": h for p, h in split.items()}
    return [Case(s.id, s, half.get(s.id, "eval")) for s in read_deu(path, weights=weights).scenarios]


def before_outcome(scenario: Scenario) -> Scenario:
    """The scenario as of its last event before its first recorded outcome (unchanged if none)."""
    if not scenario.recorded:
        return scenario
    first = min(r.date for r in scenario.recorded)
    earlier = [e.date for e in scenario.events if e.date < first]
    return scenario.as_of(max(earlier)) if earlier else scenario


def library_names() -> list[str]:
    """The case library's names ([] when the library is not installed)."""
    try:
        from standoff.backtest import library
    except ImportError:
        return []
    return list(library.library())


def resolve(names: list[str], *, with_library: bool = False, deu_weights: str = "eu") -> list[Case]:
    """Cases for the given names (and the whole library with `with_library`); `deu_weights` is
    the capability rule of DEU III files ("eu" or "equal")."""
    chosen = list(names)
    if with_library:
        lib = library_names()
        if not lib:
            raise BacktestError("the case library is not available", where="--library",
                                fix="name cases or files instead")
        chosen += [n for n in lib if n not in chosen]
    if not chosen:
        raise BacktestError("no cases to backtest", where="CASES",
                            fix="name built-in cases, scenario files or a DEU III file, or use --library")
    lib = set(library_names())
    cases: list[Case] = []
    for name in chosen:
        if is_deu(name):
            cases += deu_cases(name, weights=deu_weights)
        elif name in lib:
            from standoff.backtest import library

            retro = getattr(library.read_outcomes(name), "retrospective", False)
            cases.append(Case(name, library.load_with_outcomes(name), note=(
                f"{name}: a replication, not a forecast (its figures were published after the "
                "decision)") if retro else None))
        else:
            s = load(name)
            if not s.recorded:
                raise BacktestError(f"{name!r} has no recorded outcomes to score against",
                                    where="recorded", file=str(s.path) if s.path else None,
                                    fix="add `recorded:` entries (issue and value, or outcome) "
                                        "or pick a case of the library")
            cases.append(Case(name, before_outcome(s)))
    return cases


