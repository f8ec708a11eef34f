"""The shell every verb shares: the typer app, the consoles, the common options, recording runs
(`--db`, `--no-record`), the progress bar, and the entry point that turns user errors into one line.
"""

from __future__ import annotations

import functools
import inspect
import sys
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from standoff.cli.errors import run_app, set_max_memory
from standoff.store import ENV_VAR, RunStore
from standoff.tasks import record
from standoff.tasks.inputs import DEFAULT_CASE
from standoff.version import __version__

app = typer.Typer(
    name="standoff", no_args_is_help=True, add_completion=False, rich_markup_mode="rich",
    help="Forecast how multi-actor negotiations and international crises end, and why.")
out = Console()
err = Console(stderr=True)
_state = {"debug": False}


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
ScenarioArg = Annotated[str | None, typer.Argument(
    help=f"A built-in case name (see `standoff cases`) or a .yaml/.csv file; default {DEFAULT_CASE}.",
    show_default=False)]
AsOfOption = Annotated[str | None, typer.Option(
    "--as-of", help="Replay events up to this date (YYYY-MM-DD), or 'baseline'; "
                    "default: the last event (standoff.load() in Python defaults to the baseline: "
                    "pass as_of='last' there for the same values).", show_default=False)]
ParamOption = Annotated[list[str] | None, typer.Option(
    "--param", "-p", help="Model parameter KEY=VALUE, repeatable.", show_default=False)]
ParamsOption = Annotated[list[str] | None, typer.Option(
    "--param", "-p", help="Model parameter KEY=VALUE (or MODEL.KEY=VALUE), repeatable.",
    show_default=False)]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of the draws (same seed, same result).")]
PlotOption = Annotated[Path | None, typer.Option("--plot", help="Also write a PNG plot here.",
                                                 show_default=False)]
UntilOption = Annotated[str | None, typer.Option("--until", help="Last date (YYYY-MM-DD).",
                                                 show_default=False)]
NoRecordOption = Annotated[bool, typer.Option(
    "--no-record", help="Do not record this run in the run store (see `standoff runs`).")]
DbOption = Annotated[str | None, typer.Option(
    "--db", help=f"The run store: a file path or SQLAlchemy URL; default ${ENV_VAR} or the per-user "
                 "data file.", show_default=False)]


def _version(value: bool) -> None:
    if value:
        out.print(f"standoff {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    max_memory: Annotated[str | None, typer.Option(
        "--max-memory", metavar="SIZE", help="Refuse model runs whose estimated memory is above SIZE "
        "(e.g. 8GiB); default $STANDOFF_MAX_MEMORY or 2GiB.", show_default=False)] = None,
) -> None:
    """Forecast how multi-actor negotiations and international crises end, and why."""
    _state["debug"] = debug
    if max_memory is not None:

        set_max_memory(max_memory)


# --- recording ---------------------------------------------------------------------------------
@dataclass
class _Pending:
    store: RunStore | None
    kind: str
    case: str | None
    ids: list[int] = field(default_factory=list)
    done: list[Any] = field(default_factory=list)  # the results already written
    url: str | None = None  # --db, for verbs that read the store

    def write(self, result: Any) -> None:
        if self.store is None or result is None or any(r is result for r in self.done):
            return
        self.done.append(result)
        self.ids.append(record(result, self.store, kind=self.kind, case=self.case))


_pending: ContextVar[_Pending | None] = ContextVar("standoff_pending_run", default=None)


def record_now(result: Any) -> None:
    """Write `result` to the run store now if the verb running is `@recorded` (render calls this
    before printing, so that a run is kept even when its output pipe is closed early, as in
    `standoff forecast | head`)."""
    pending = _pending.get()
    if pending is not None:
        pending.write(result)


def run_store() -> RunStore:
    """The run store of the `@recorded` verb running (its `--db`), for a verb that reads past runs."""
    pending = _pending.get()
    if pending is not None and pending.store is not None:
        return pending.store
    return RunStore(pending.url if pending is not None else None)


def recorded(kind: str, case_arg: str = "scenario") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a verb `--db` and `--no-record`; the result(s) it returns are recorded under `kind`
    (with `standoff.tasks.record`): each as `render` is about to print it, the rest when the verb
    returns. A verb that fails before rendering records nothing; a bad `--db` fails before any
    work starts. `case_arg` names the verb's argument holding the case name or file given on the
    command line."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(func, eval_str=True)

        @functools.wraps(func)
        def wrapper(*args: Any, no_record: bool = False, db: str | None = None, **kwargs: Any) -> None:
            store = None if no_record else RunStore(db)
            pending = _Pending(store, kind, kwargs.get(case_arg), url=db)
            token = _pending.set(pending)
            try:
                result = func(*args, **kwargs)
                if store is not None and result is not None:
                    for r in result if isinstance(result, list | tuple) else [result]:
                        pending.write(r)
                    ids = pending.ids
                    if ids and sys.stderr.isatty():
                        print(f"recorded as run {', '.join(map(str, ids))} (standoff runs show {ids[-1]})",
                              file=sys.stderr)
            finally:
                _pending.reset(token)
                if store is not None:
                    store.close()

        extra = [inspect.Parameter("no_record", inspect.Parameter.KEYWORD_ONLY, default=False,
                                   annotation=NoRecordOption),
                 inspect.Parameter("db", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=DbOption)]
        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind is p.POSITIONAL_OR_KEYWORD else p
                  for p in sig.parameters.values()]
        wrapper.__signature__ = sig.replace(parameters=params + extra,  # type: ignore[attr-defined]
                                            return_annotation=None)
        wrapper.__annotations__ = {p.name: p.annotation for p in params + extra}
        wrapper.recorded_kind = kind  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --- progress ------------------------------------------------------------------------------------
SHOW_AFTER_S = 1.0


class Bar:
    """The progress callback of the command line (`standoff.tasks.Progress`): a rich bar on stderr
    that shows itself only once a piece of work has taken over a second, and only on a terminal."""

    def __init__(self, console: Console | None = None):
        self.console = console or err
        self._started: dict[str, float] = {}
        self._bar: Progress | None = None
        self._task = None

    def __call__(self, label: str, done: int, total: int) -> None:
        if done >= total:
            self._started.pop(label, None)
            if self._bar is not None:
                self._bar.stop()
                self._bar = None
            return
        t0 = self._started.setdefault(label, time.perf_counter())
        if not self.console.is_terminal:
            return
        if self._bar is None:
            if time.perf_counter() - t0 < SHOW_AFTER_S:
                return
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=self.console, transient=True)
            self._bar.start()
            self._task = self._bar.add_task(label, total=total)
        self._bar.update(self._task, completed=done)


# --- the entry point -----------------------------------------------------------------------------
def run() -> None:
    """Entry point: run the app, turning user errors into one-line messages and exit status 2
    (usage errors included, through typer's public exceptions: standoff.cli.errors)."""


    run_app(app, debug=lambda: _state["debug"],
            err_print=lambda msg: err.print(f"[red]error:[/red] {escape(msg)}", highlight=False,
                                            soft_wrap=True))
