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
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from standoff import store as stores
from standoff.cli.errors import run_app, set_max_memory
from standoff.errors import StandoffError
from standoff.report import spreadsheets
from standoff.store import ENV_VAR
from standoff.tasks import record
from standoff.tasks.inputs import DEFAULT_CASE
from standoff.version import __version__

if TYPE_CHECKING:
    from standoff.store import RunStore

app = typer.Typer(
    name="standoff", no_args_is_help=True, add_completion=True, rich_markup_mode="rich",
    help="Forecast how multi-actor negotiations and international crises end, and why.")
out = Console()
err = Console(stderr=True)
_state = {"debug": False}


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    csv = "csv"
    xlsx = "xlsx"


SHEETS = (Format.csv, Format.xlsx)
FormatOption = Annotated[Format, typer.Option(
    "--format", "-f", help="Output format: csv prints the main table (or writes it to -o FILE); "
                           "xlsx writes every table, a sheet each, to -o FILE.")]
ScenarioArg = Annotated[str | None, typer.Argument(
    help=f"A built-in case name (see `standoff cases`) or a scenario file (.yaml, .xlsx, .xml, .csv); "
         f"default {DEFAULT_CASE}.",
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
    return stores.RunStore(pending.url if pending is not None else None)


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
            store = None if no_record else stores.RunStore(db)
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


# --- spreadsheets: --format csv|xlsx and -o --------------------------------------------------
_sheets: ContextVar[dict[str, Any] | None] = ContextVar("standoff_sheets", default=None)


def collect_tables(found: dict[str, Any]) -> None:
    """Keep tables for the spreadsheet the verb running writes when it returns (`--format csv|xlsx`);
    a repeated name gets a number ('validate', 'validate 2')."""
    sheets = _sheets.get()
    if sheets is None:
        raise RuntimeError("collect_tables outside a verb with --format")
    for name, frame in found.items():
        key, n = name, 1
        while key in sheets:
            n += 1
            key = f"{name} {n}"
        sheets[key] = frame


def _write_sheets(verb: str, fmt: Format, output: Path | None, sheets: dict[str, Any]) -> None:
    if not sheets:
        raise StandoffError(f"{verb} printed no table to write as {fmt}", where="--format",
                            fix="use --format table, json or markdown for this verb")
    if fmt is Format.csv:
        text = spreadsheets.to_csv(sheets)
        if len(sheets) > 1:
            rest = ", ".join(list(sheets)[1:])
            err.print(f"csv holds the main table ({next(iter(sheets))}); also shown: {rest} "
                      "(--format xlsx -o FILE writes every table)", highlight=False, markup=False,
                      soft_wrap=True)
        if output is None:
            sys.stdout.write(text)
            return
        data: bytes = text.encode("utf-8")
    else:
        data = spreadsheets.to_xlsx(sheets)
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise StandoffError(f"cannot write {output}: {exc.strerror}", where="--output",
                            fix="give a writable path, e.g. -o results.xlsx") from None
    err.print(f"wrote {output} ({len(sheets)} table{'s' if len(sheets) > 1 else ''}: "
              f"{', '.join(spreadsheets.sheet_names(list(sheets)))})", highlight=False, markup=False,
              soft_wrap=True)


def tabular(func: Callable[..., Any], short: bool = True) -> Callable[..., Any]:
    """Give a verb that takes `fmt` the option `--output/-o` (`--output` alone where `short` is
    False): with `--format csv` the CSV goes there instead of stdout, with `--format xlsx` (where it
    is required, checked before any work starts) the workbook. The tables the verb renders are
    collected and written when it returns (also when it ends with a typer.Exit, as `validate`
    does for an invalid file)."""
    sig = inspect.signature(func, eval_str=True)
    verb = func.__name__.rstrip("_").replace("_", " ")  # runs_list -> "runs list"

    @functools.wraps(func)
    def wrapper(*args: Any, output: Path | None = None, **kwargs: Any) -> Any:
        fmt = kwargs.get("fmt", Format.table)
        if fmt not in SHEETS:
            if output is not None:
                raise StandoffError(f"--output writes csv or xlsx, not {fmt}", where="--output",
                                    fix="add --format csv or --format xlsx, or redirect the output (> FILE)")
            return func(*args, **kwargs)
        if fmt is Format.xlsx and output is None:
            raise StandoffError("the workbook needs a file to go to", where="--format xlsx",
                                fix=f"add -o FILE.xlsx, e.g. standoff {verb} --format xlsx "
                                    f"-o {verb.replace(' ', '-')}.xlsx")
        token = _sheets.set({})
        try:
            try:
                result = func(*args, **kwargs)
            except typer.Exit:
                _write_sheets(verb, fmt, output, _sheets.get() or {})
                raise
            _write_sheets(verb, fmt, output, _sheets.get() or {})
            return result
        finally:
            _sheets.reset(token)

    names = ["--output", "-o"] if short else ["--output"]
    extra = inspect.Parameter("output", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
        Path | None, typer.Option(*names, help="With --format csv or xlsx: the file to write (xlsx: "
                                  "required, a sheet per table).", show_default=False)])
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind is p.POSITIONAL_OR_KEYWORD else p
              for p in sig.parameters.values()]
    wrapper.__signature__ = sig.replace(parameters=params + [extra])  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params + [extra]}
    return wrapper


def _flags(callback: Callable[..., Any]) -> set[str]:
    """The option names a command's parameters declare (typer keeps the first as `default`)."""
    found: set[str] = set()
    for p in inspect.signature(callback, eval_str=True).parameters.values():
        for info in getattr(p.annotation, "__metadata__", ()):
            if isinstance(info, typer.models.OptionInfo):
                found.update(info.param_decls or ())
                if isinstance(info.default, str) and info.default.startswith("-"):
                    found.add(info.default)
    return found


def with_output(app_: typer.Typer) -> None:
    """Wrap every command of `app_` (and of its sub-apps) that takes `--format` with `tabular`;
    `-o` is left to a verb that already uses it."""
    for info in app_.registered_commands:
        callback = info.callback
        if callback is None or "fmt" not in inspect.signature(callback).parameters:
            continue
        short = "-o" not in _flags(callback)
        info.callback = tabular(callback, short=short)
    for group in app_.registered_groups:
        if group.typer_instance is not None:
            with_output(group.typer_instance)


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
