"""Verbs on uncertainty and change: `sensitivity`, `compare`, `levers`."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer

from standoff import tasks
from standoff.analysis import WhatIf, parse_what_if
from standoff.analysis.montecarlo import rounds_line
from standoff.cli.render import render, view
from standoff.cli.shell import (
    AsOfOption,
    Bar,
    Format,
    FormatOption,
    ParamOption,
    ParamsOption,
    ScenarioArg,
    SeedOption,
    out,
    recorded,
)
from standoff.errors import ModelError
from standoff.models import available, resolve
from standoff.report import analysis as rep
from standoff.report import tables
from standoff.report import winsets as wrep

WithoutOption = Annotated[list[str] | None, typer.Option(
    "--without", help="What-if: remove this actor (repeatable).", show_default=False)]
SetOption = Annotated[list[str] | None, typer.Option(
    "--set", help="What-if: ACTOR.ISSUE.position|salience=VALUE or ACTOR.capability=VALUE; "
                  "VALUE is 30 (to), +5/-5 (by) or +20%/-20% (repeatable).", show_default=False)]
DrawsOption = Annotated[int, typer.Option("--draws", "-n", help="Monte Carlo draws.")]
NoiseOption = Annotated[bool, typer.Option(
    "--noise", help="Also spread the point values (normal, sd = noise level × scale).")]
NoiseLevelOption = Annotated[float, typer.Option(
    "--noise-level", help="Share of the scale used as sd by --noise.")]
DaskOption = Annotated[str | None, typer.Option(
    "--dask", help="Run on Dask: 'local' (a LocalCluster) or a scheduler address tcp://HOST:8786; "
                   "default: a local process pool.", show_default=False)]
WorkersOption = Annotated[int | None, typer.Option(
    "--workers", help="Processes (or LocalCluster workers); 1 runs in this process; "
                      "default: one per core (2 for --dask local).", show_default=False)]
JointOption = Annotated[bool, typer.Option(
    "--joint", help="Every group judges deals as a package, trading across issues "
                    "(default: each group's `linkage`).")]


@recorded("sensitivity")
def sensitivity(
    scenario: ScenarioArg = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Model name.")] = "compromise",
    param: ParamOption = None,
    as_of: AsOfOption = None,
    draws: DrawsOption = 10_000,
    seed: SeedOption = 42,
    noise: NoiseOption = False,
    noise_level: NoiseLevelOption = 0.05,
    sobol_n: Annotated[int, typer.Option(
        "--sobol", help="Sobol base sample (a power of 2; costs n × (inputs + 2) forecasts); 0: skip.")]
        = 1024,
    bins: Annotated[int, typer.Option("--bins", help="Histogram bins over each scale.")] = 20,
    without: WithoutOption = None,
    set_: SetOption = None,
    dask: DaskOption = None,
    workers: WorkersOption = None,
    fmt: FormatOption = Format.table,
):
    """How sure a forecast is and what drives it: Monte Carlo, tornado and Sobol indices."""
    s = tasks.inputs.open_scenario(scenario, as_of)
    m = tasks.inputs.make_models([model], tasks.inputs.parse_params(param or []))[0]
    what_if = WhatIf.parse(without or [], set_ or [])
    result = tasks.montecarlo.run(s, m, draws=draws, seed=seed, noise=noise_level if noise else 0.0,
                                  what_if=what_if, sobol_n=sobol_n, bins=bins, dask=dask, workers=workers,
                                  progress=Bar())
    render(result, fmt)
    return result


@view("SensitivityResult")
def _sensitivity(result, fmt: Format) -> None:
    s, m, summary, what_if = result.scenario, result.model, result.summary, result.what_if
    level = result.noise
    rows, sob_rows, mc = result.tornado, result.sobol_rows, result.mc
    head = (f"{s.title}, as of {s.date} — {m.name}, {result.draws} draws, seed {result.seed}"
            + (f", noise {level:g}" if level else "") + (f"; {what_if.describe()}" if what_if else ""))
    notes = [line for line in [rep.outcome_line(summary)] if line] + rep.panel_lines(summary)
    notes.append(rep.calibration_line(summary))
    notes += [line for line in [rounds_line(summary)] if line]
    if not mc.space.size and len(mc.space.members) < 2:
        notes.append("no value has a range: give ranges (low/high or sd) in the scenario, or add --noise")
    if fmt is Format.markdown:
        print(f"**{head}**\n")
        print(tables.to_markdown(rep.uncertainty_frame(summary)))
        for line in notes:
            print(f"\n{line}")
        if rows:
            print("\n**Tornado** (one input at a time)\n")
            print(tables.to_markdown(pd.DataFrame(rows), floatfmt=".2f"))
        if sob_rows:
            print(f"\n**Sobol indices** ({result.sobol.evaluations} forecasts)\n")
            print(tables.to_markdown(pd.DataFrame(sob_rows), floatfmt=".3f"))
        return
    out.print(rep.uncertainty_table(summary, title=head))
    for line in notes:
        out.print(f"[dim]{line}[/dim]")
    if rows:
        out.print(rep.tornado_table(rows, title="Tornado: one input at a time, low and high end"))
    if sob_rows:
        out.print(rep.sobol_table(sob_rows, title=f"Sobol indices ({result.sobol.evaluations} forecasts)"))


@recorded("compare")
def compare(
    scenario: ScenarioArg = None,
    what_if: Annotated[list[str] | None, typer.Option(
        "--what-if", "-w", help="A change: 'without ACTOR' or a --set expression (repeatable).",
        show_default=False)] = None,
    without: WithoutOption = None,
    set_: SetOption = None,
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="Model name, repeatable; default: every model.", show_default=False)] = None,
    param: ParamsOption = None,
    as_of: AsOfOption = None,
    draws: Annotated[int, typer.Option(
        "--draws", "-n", help="Also compare Monte Carlo medians and 80% intervals "
                              "(0: point forecasts only).")]
        = 0,
    seed: SeedOption = 42,
    noise: NoiseOption = False,
    noise_level: NoiseLevelOption = 0.05,
    dask: DaskOption = None,
    workers: WorkersOption = None,
    fmt: FormatOption = Format.table,
):
    """The baseline forecast and the forecast after what-if changes, side by side."""
    s = tasks.inputs.open_scenario(scenario, as_of)
    parsed = parse_what_if(what_if or [])
    change = WhatIf(parsed.without + tuple(without or []),
                    parsed.settings + WhatIf.parse(settings=set_ or []).settings)
    tasks.compare.need_change(change)
    change.apply(s)  # unknown actors or issues fail here, before the models are built
    names = [resolve(n) for n in model] if model else list(available())
    models = tasks.inputs.make_models(names, tasks.inputs.parse_params(param or []))
    result = tasks.compare.run(s, change, models, names=names, draws=draws, seed=seed,
                               noise=noise_level if noise else 0.0, dask=dask, workers=workers,
                               progress=Bar())
    render(result, fmt)
    return result


@view("CompareResult")
def _compare(result, fmt: Format) -> None:
    s, frame, mc_rows = result.scenario, result.to_frame(), result.monte_carlo
    title = f"{s.title}, as of {s.date} — what if: {result.change.describe()}"
    if fmt is Format.markdown:
        print(f"**{title}**\n")
        print(tables.to_markdown(frame))
        if mc_rows:
            print(f"\n**Monte Carlo** ({result.draws} draws, seed {result.seed})\n")
            print(tables.to_markdown(pd.DataFrame(mc_rows)))
        return
    out.print(rep.compare_table(frame, title=title))
    for b, c in zip(result.baseline, result.what_if, strict=True):
        if b.nearest_outcome is not None:
            out.print(f"[dim]{b.model}: closest named outcome {b.nearest_outcome} → "
                      f"{c.nearest_outcome}[/dim]")
    if mc_rows:
        out.print(rep.compare_table(pd.DataFrame(mc_rows),
                                    title=f"Monte Carlo, {result.draws} draws, seed {result.seed}"))


@recorded("levers")
def levers(
    scenario: ScenarioArg = None,
    for_: Annotated[str | None, typer.Option(
        "--for", help="An actor or group: rank the single changes that move the forecast most "
                      "toward its position.", show_default=False)] = None,
    widen: Annotated[str | None, typer.Option(
        "--widen", help="A group: rank the changes to one of its factions that most enlarge the "
                        "intersection of the win-sets (two-level game).", show_default=False)] = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Model name.")] = "compromise",
    param: ParamOption = None,
    as_of: AsOfOption = None,
    joint: JointOption = False,
    step: Annotated[float, typer.Option("--step", help="Position moves, in % of the scale (--for).")] = 10.0,
    top: Annotated[int, typer.Option("--top", help="How many levers to list.")] = 10,
    fmt: FormatOption = Format.table,
):
    """Rank the single changes that serve a goal: --for PARTY (move the forecast toward it) or
    --widen GROUP (widen the win-set intersection)."""
    if top < 1:
        raise ModelError("--top must be 1 or more", where="--top", fix="e.g. --top 10")
    if (widen is None) == (for_ is None):
        raise ModelError("say what the levers are for", where="levers",
                         fix="give either --for PARTY or --widen GROUP, e.g. --widen united-states")
    s = tasks.inputs.open_scenario(scenario, as_of)
    params = tasks.inputs.parse_params(param or [])
    if widen is not None:
        result = tasks.levers.run_widen(s, widen, tasks.inputs.make_models([model], params)[0], joint=joint,
                                        top=top)
    else:
        result = tasks.levers.run_for(s, for_, tasks.inputs.make_models([model], params)[0], step=step,
                                      top=top)
    render(result, fmt)
    return result


@view("LeversResult")
def _levers_for(result, fmt: Format) -> None:
    s, m, base, frame = result.scenario, result.model, result.baseline, result.to_frame()
    head = (f"{s.title}, as of {s.date} — levers for {result.party} ({m.name}); baseline "
            + ", ".join(f"{k} {v:.1f}" for k, v in base.items())
            + f", distance {result.baseline_distance:.1f}")
    if fmt is Format.markdown:
        print(f"**{head}**\n")
        print(tables.to_markdown(frame, floatfmt=".2f"))
        return
    out.print(rep.levers_table(frame, title=head))


@view("WedgesResult")
def _levers_widen(result, fmt: Format) -> None:
    s, base = result.scenario, result.base
    deal = ", ".join(f"{k} {v:.1f}" for k, v in base.deal().items())
    head = f"{s.title}, as of {s.date} — wedges in {result.group} ({base.model}); deal now: {deal}"
    if fmt is Format.markdown:
        print(f"**{head}**\n")
        print(tables.to_markdown(result.to_frame(), floatfmt=".2f"))
        return
    out.print(wrep.wedges_table(result.wedges, title=head))
