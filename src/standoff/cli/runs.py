"""The run store: `standoff runs list|show|diff|export|import` (standoff.store)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from standoff import store as run_store
from standoff.cli.render import print_frame
from standoff.cli.shell import SHEETS, DbOption, Format, FormatOption, err, out
from standoff.errors import StandoffError
from standoff.report import tables

runs_app = typer.Typer(no_args_is_help=True, help="The run store: every recorded forecast and analysis "
                                                   "(`standoff docs store`).")
RunIdArg = Annotated[int, typer.Argument(help="A run id (see `standoff runs list`).", show_default=False)]


@runs_app.command("list")
def runs_list(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many runs, newest first.")] = 50,
    kind: Annotated[str | None, typer.Option("--kind", help="Only runs of this verb (forecast, "
                                             "sensitivity, ...).", show_default=False)] = None,
    case: Annotated[str | None, typer.Option("--case", help="Only runs of this case.",
                                             show_default=False)] = None,
    db: DbOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The recorded runs, newest first."""
    store = run_store.RunStore(db)
    found = store.runs(limit=limit, kind=kind, case=case)
    if fmt is Format.json:
        print(tables.to_json([r.to_dict() for r in found]))
        return
    print_frame(run_store.views.runs_frame(found), fmt, f"Runs in {store.label}")


@runs_app.command("show")
def runs_show(run_id: RunIdArg, db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """One run: its inputs, parameters and forecast values (--format json: everything stored)."""
    run = run_store.RunStore(db).get(run_id)
    if fmt is Format.json:
        print(tables.to_json(run.to_dict()))
        return
    print_frame(run_store.views.run_fields(run), fmt, f"Run {run.id}: {run.kind}")
    values = run_store.views.forecast_values(run)
    if len(values):
        if fmt is Format.markdown:
            print()
        print_frame(values, fmt, "Forecast values", floatfmt=".2f")


@runs_app.command("diff")
def runs_diff(a: RunIdArg, b: RunIdArg, db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """What differs between two runs: inputs, parameters, and per issue the forecasts."""
    diff = run_store.RunStore(db).diff(a, b)
    if fmt is Format.json:
        print(tables.to_json(diff.to_dict()))
        return
    inputs, issues = run_store.views.diff_inputs(diff), run_store.views.diff_issues(diff)
    if len(inputs):
        print_frame(inputs, fmt, f"Inputs that differ, run {a} vs run {b}")
    else:
        out.print(f"Runs {a} and {b} have the same inputs.") if fmt is Format.table else print(
            f"Runs {a} and {b} have the same inputs.", file=sys.stderr if fmt in SHEETS else sys.stdout)
    if len(issues):
        if fmt is Format.markdown:
            print()
        print_frame(issues, fmt, f"Forecasts, run {a} vs run {b} (difference = {b} − {a})", floatfmt=".2f")
    for label, names in ((a, diff.only_a), (b, diff.only_b)):
        if names:
            print(f"only in run {label}: {', '.join(names)}",
                  file=sys.stderr if fmt in SHEETS else sys.stdout)


@runs_app.command("export")
def runs_export(
    run_id: RunIdArg,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the JSON to this file "
                                                "(default: print it).", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """One run as JSON, everything stored (read back with `standoff runs import`)."""
    text = tables.to_json(run_store.RunStore(db).export(run_id))
    if output is None:
        print(text)
        return
    try:
        output.write_text(text + "\n")
    except OSError as exc:
        raise StandoffError(f"cannot write {output}: {exc.strerror}", where="--output",
                            fix="give a writable path") from None
    err.print(f"wrote {output}")


@runs_app.command("import")
def runs_import(
    file: Annotated[Path, typer.Argument(help="A JSON file written by `standoff runs export`.")],
    db: DbOption = None,
) -> None:
    """Add an exported run to the store (under a new id)."""
    try:
        data = json.loads(file.read_text())
    except OSError as exc:
        raise StandoffError(f"cannot read {file}: {exc.strerror}", fix="give an existing file") from None
    except json.JSONDecodeError as exc:
        raise StandoffError(f"not JSON: {exc.msg}", file=str(file), line=exc.lineno,
                            fix="give a file written by `standoff runs export`") from None
    print(run_store.RunStore(db).import_run(data))
