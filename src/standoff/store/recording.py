"""Recording CLI runs: `@recorded("kind")` gives a verb `--db` and `--no-record`; the verb calls
`record_run(...)` once its results are computed, and the run is written when the verb returns.

A verb that fails records nothing, except when only its output failed (a closed pipe, as in
`standoff forecast | head`): the results noted before printing are written; a bad `--db` fails
before any work starts.
"""

from __future__ import annotations

import errno
import functools
import inspect
import sys
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer

from standoff.store.core import ENV_VAR, RunStore

NoRecordOption = Annotated[bool, typer.Option(
    "--no-record", help="Do not record this run in the run store (see `standoff runs`).")]
DbOption = Annotated[str | None, typer.Option(
    "--db", help=f"The run store: a file path or SQLAlchemy URL; default ${ENV_VAR} or the per-user "
                 "data file.", show_default=False)]


@dataclass
class _Pending:
    kind: str
    case: str | None
    store: RunStore | None
    runs: list[dict[str, Any]] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)


_current: ContextVar[_Pending | None] = ContextVar("standoff_run", default=None)


def recorded(kind: str, case_arg: str = "scenario") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a typer verb so that its run is recorded under `kind` (with --db and --no-record).

    `case_arg` names the verb's argument holding the case name or file given on the command line.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(func, eval_str=True)

        @functools.wraps(func)
        def wrapper(*args: Any, no_record: bool = False, db: str | None = None, **kwargs: Any) -> Any:
            store = None if no_record else RunStore(db)
            pending = _Pending(kind=kind, case=kwargs.get(case_arg), store=store)
            token = _current.set(pending)
            try:
                try:
                    result = func(*args, **kwargs)
                except (OSError, SystemExit) as exc:
                    # the output's reader went away (`standoff forecast | head`: a BrokenPipeError,
                    # or rich's SystemExit after one): the results were computed and noted before
                    # printing, so the run is still written
                    closed = isinstance(exc, SystemExit) or exc.errno == errno.EPIPE
                    if closed and store is not None:
                        for run in pending.runs:
                            pending.ids.append(store.record(kind, case=pending.case, **run))
                    raise
                if store is not None:
                    for run in pending.runs:
                        pending.ids.append(store.record(kind, case=pending.case, **run))
                    if pending.ids and sys.stderr.isatty():
                        ids = ", ".join(map(str, pending.ids))
                        print(f"recorded as run {ids} (standoff runs show {pending.ids[-1]})",
                              file=sys.stderr)
                return result
            finally:
                _current.reset(token)
                if store is not None:
                    store.close()

        extra = [inspect.Parameter("no_record", inspect.Parameter.KEYWORD_ONLY, default=False,
                                   annotation=NoRecordOption),
                 inspect.Parameter("db", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=DbOption)]
        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind is p.POSITIONAL_OR_KEYWORD else p
                  for p in sig.parameters.values()]
        wrapper.__signature__ = sig.replace(parameters=params + extra)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params + extra}
        wrapper.recorded_kind = kind  # type: ignore[attr-defined]
        return wrapper

    return decorate


def record_run(scenario: Any, *, model: str | None, params: dict[str, Any], results: dict[str, Any],
               seed: int | None = None) -> None:
    """Note the run of the verb being executed; it is written when the verb returns.

    Does nothing outside a `@recorded` verb or with --no-record.
    """
    pending = _current.get()
    if pending is None or pending.store is None:
        return
    pending.runs.append({"scenario": scenario, "model": model, "params": params, "seed": seed,
                         "results": results})


