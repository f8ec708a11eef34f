"""`standoff backtest`: score every model's forecasts against what really happened."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from standoff import tasks
from standoff.cli.render import render, view
from standoff.cli.shell import Format, FormatOption, ParamsOption, SeedOption, out, recorded
from standoff.models import available
from standoff.report import tables
from standoff.report.backtest import write_report


class Half(StrEnum):
    fit = "fit"
    eval = "eval"
    all = "all"


@recorded("backtest", case_arg="")
def backtest(
    cases: Annotated[list[str] | None, typer.Argument(
        help="Built-in cases, scenario files with `recorded` outcomes, or DEU III files.",
        show_default=False)] = None,
    models: Annotated[list[str] | None, typer.Option(
        "--models", "--model", "-m", help="Model names (repeatable or comma-separated); default: "
                                         "every model.", show_default=False)] = None,
    param: ParamsOption = None,
    library: Annotated[bool, typer.Option(
        "--library", help="Also run every case of the built-in case library.")] = False,
    half: Annotated[Half, typer.Option(
        "--half", help="DEU III proposals to score: the evaluation half of the fixed split (the "
                       "ensemble was fitted on the other), the fitting half, or all.")] = Half.eval,
    capabilities: Annotated[str, typer.Option(
        "--capabilities", help="DEU III capabilities: 'eu' (Council voting weights at the "
                               "decision, Commission and Parliament by procedure; "
                               "`standoff docs backtest`) or 'equal'.")] = "eu",
    draws: Annotated[int, typer.Option(
        "--draws", "-n", help="Monte Carlo draws per case and model for interval coverage "
                              "(0: point forecasts only).")] = 0,
    seed: SeedOption = 42,
    noise_level: Annotated[float, typer.Option(
        "--noise-level", help="With --draws: sd of the noise on every point value, as a share "
                              "of its scale.")] = 0.05,
    baseline: Annotated[str, typer.Option(
        "--baseline", help="Model the others are compared with (paired bootstrap).")] = "compromise",
    boot: Annotated[int, typer.Option(
        "--bootstrap", help="Bootstrap resamples of the cases for the intervals.")] = 2000,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Write a Markdown report with plots into this folder.",
        show_default=False)] = None,
    fmt: FormatOption = Format.table,
):
    """Score every model's forecasts against what really happened: a leaderboard."""
    names = [n.strip() for item in (models or []) for n in item.split(",") if n.strip()] \
        or list(available())
    model_args = tasks.inputs.model_params(names, tasks.inputs.parse_params(param or []))
    result = tasks.backtest.run(list(cases or []), model_args, names=names, library=library, half=half.value,
                                capabilities=capabilities, draws=draws, seed=seed, noise=noise_level,
                                baseline=baseline, bootstrap=boot)
    if report is not None:
        shown = tasks.report.backtest_report(
            result.backtest, baseline=baseline, boot_draws=boot, boot_seed=seed,
            explain=[c for c in result.kept if c.half is None] if baseline in names else ())
        path = write_report(shown, report, title="Backtest", notes=result.notes)
        result.notes.append(f"report written to {path}")
    render(result, fmt)
    return result


@view("BacktestResult")
def _backtest(result, fmt: Format) -> None:
    o = result.options
    baseline, boot, seed = o["baseline"], o["bootstrap"], o["seed"]
    if fmt is Format.markdown:
        print("**Leaderboard** (errors in points of 0–100 scales)\n")
        print(tables.to_markdown(result.shown, floatfmt=".3f"))
        if result.bootstrap is not None:
            print(f"\n**MAE against {baseline}** (95% paired bootstrap over cases, {boot} resamples, "
                  f"seed {seed})\n")
            print(tables.to_markdown(result.bootstrap, floatfmt=".2f"))
        for line in result.all_notes():
            print(f"\n- {line}")
        return
    out.print(tables.frame_table(result.shown, floatfmt=".2f",
                                 title="Leaderboard (errors in points of 0–100 scales)"))
    if result.bootstrap is not None:
        out.print(tables.frame_table(result.bootstrap, floatfmt=".2f", title=f"MAE against {baseline}: "
                                     f"95% paired bootstrap over cases ({boot} resamples, seed {seed})"))
    for line in result.all_notes():
        out.print(f"[dim]{line}[/dim]", highlight=False)
