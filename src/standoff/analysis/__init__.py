"""Uncertainty and what-if analyses on top of any registered model.

- :mod:`~standoff.analysis.space`: the uncertain inputs of a scenario and how they are drawn;
- :mod:`~standoff.analysis.montecarlo`: seeded, chunked Monte Carlo and its summaries;
- :mod:`~standoff.analysis.sensitivity`: one-at-a-time tornado and Sobol indices (SALib);
- :mod:`~standoff.analysis.whatif`: `--without` / `--set` changes;
- :mod:`~standoff.analysis.levers`: the single changes that help a party most;
- :mod:`~standoff.analysis.executors`: in-process, process pool and Dask executors.
"""

from typing import TYPE_CHECKING

import lazy_loader

# `levers` is both a module here and the function it holds: bound now, as the function.
from standoff.analysis.levers import Lever, levers

# The rest loads on first use: the executors bring multiprocessing (and Dask when asked for), the
# Monte Carlo its libraries; `import standoff.analysis` stays light for the command line.
__getattr__, _lazy_names, _ = lazy_loader.attach(__name__, submodules=[
    "drivers", "executors", "montecarlo", "sensitivity", "space", "whatif"], submod_attrs={
    "executors": ["DaskExecutor", "Executor", "ProcessExecutor", "executor"],
    "montecarlo": ["MonteCarlo", "monte_carlo", "outcome_shares"],
    "sensitivity": ["sobol", "tornado"],
    "space": ["DEFAULT_NOISE", "Space"],
    "whatif": ["WhatIf", "parse_setting", "parse_what_if"],
})


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_lazy_names()))


if TYPE_CHECKING:
    from standoff.analysis.executors import DaskExecutor, Executor, ProcessExecutor, executor
    from standoff.analysis.montecarlo import MonteCarlo, monte_carlo, outcome_shares
    from standoff.analysis.sensitivity import sobol, tornado
    from standoff.analysis.space import DEFAULT_NOISE, Space
    from standoff.analysis.whatif import WhatIf, parse_setting, parse_what_if

__all__ = ["DEFAULT_NOISE", "DaskExecutor", "Executor", "Lever", "MonteCarlo", "ProcessExecutor",
           "Space", "WhatIf", "executor", "levers", "monte_carlo", "outcome_shares",
           "parse_setting", "parse_what_if", "sobol", "tornado"]
