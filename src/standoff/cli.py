"""The command-line front end: `standoff VERB ...`.

Every verb that prints a result takes `--format table|json|markdown`. Errors a user can cause
are printed in one or two lines on stderr with exit status 2 (`--debug` shows the traceback).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console

from standoff import __version__
from standoff.data import case_names, case_path
from standoff.errors import ModelError, ScenarioError, StandoffError
from standoff.loading import load
from standoff.models import available, make
from standoff.report import tables
from standoff.scenario import Scenario, read_scenario

DEFAULT_CASE = "korea-2018"

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
                    "default: the last event.", show_default=False)]


def _version(value: bool) -> None:
    if value:
        out.print(f"standoff {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Forecast how multi-actor negotiations and international crises end, and why."""
    _state["debug"] = debug


def open_scenario(name: str | None, as_of: str | None) -> Scenario:
    """The scenario named on the command line, as of the date asked (default: the last event)."""
    scenario = load(name or DEFAULT_CASE)
    if as_of == "baseline":
        return scenario
    date = as_of or scenario.last_event_date
    return scenario.as_of(date) if date is not None else scenario


def parse_params(items: list[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings to a dict, values read as YAML scalars (10 -> int, 0.5 -> float)."""
    params = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ModelError(f"parameter {item!r} is not KEY=VALUE", where="--param",
                             fix="write it like --param rounds=10")
        try:
            params[key.strip()] = yaml.safe_load(raw)
        except yaml.YAMLError:
            params[key.strip()] = raw
    return params


def params_for(model: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters meant for one model: `KEY` if it has it, or `MODEL.KEY`."""
    known = available()[model].parameters()
    picked = {k: v for k, v in params.items() if "." not in k and k in known}
    picked.update({k.split(".", 1)[1]: v for k, v in params.items() if k.startswith(model + ".")})
    return picked


@app.command()
def cases(fmt: FormatOption = Format.table) -> None:
    """List the built-in cases, a line each."""
    rows = []
    for name in case_names():
        s = read_scenario(case_path(name))
        rows.append({"case": name, "title": s.title, "actors": len(s.actors),
                     "issues": len(s.issues), "events": len(s.events),
                     "baseline": str(s.baseline)})
    if fmt is Format.json:
        out.print_json(tables.to_json(rows))
    elif fmt is Format.markdown:
        import pandas as pd

        print(tables.to_markdown(pd.DataFrame(rows)))
    else:
        for r in rows:
            out.print(f"[bold]{r['case']:<18}[/bold] {r['title']} "
                      f"[dim]({r['actors']} actors, {r['issues']} issues, {r['events']} events)[/dim]")


@app.command()
def show(scenario: ScenarioArg = None, as_of: AsOfOption = None,
         fmt: FormatOption = Format.table) -> None:
    """Print actors × issues with positions and saliences."""
    s = open_scenario(scenario, as_of)
    if fmt is Format.json:
        print(s.model_dump_json(indent=2, exclude={"path"}))
    elif fmt is Format.markdown:
        print(tables.to_markdown(tables.scenario_frame(s), floatfmt="g"))
    else:
        out.print(tables.scenario_table(s))
        for issue in s.issues:
            points = ", ".join(f"{a.value:g} {a.label}" for a in issue.anchors)
            sq = f"; status quo {issue.status_quo.mode:g}" if issue.status_quo else ""
            out.print(f"[bold]{issue.id}[/bold]: {issue.title}{sq}" + (f"\n  [dim]{points}[/dim]"
                                                                         if points else ""))


@app.command()
def validate(file: Annotated[Path, typer.Argument(help="A .yaml or .csv scenario file.")],
             fmt: FormatOption = Format.table) -> None:
    """Check a scenario file and report every problem found."""
    try:
        s = read_scenario(file)
    except ScenarioError as exc:
        if fmt is Format.json:
            print(tables.to_json({"file": str(file), "valid": False, "problems": [
                {"line": p.line, "where": p.where, "message": p.message, "fix": p.fix}
                for p in exc.problems]}))
        else:
            print(exc.report(), file=sys.stderr)
            err.print(f"[red]{len(exc.problems)} problem{'s' if len(exc.problems) > 1 else ''}[/red]"
                      f" in {file}")
        raise typer.Exit(2) from None
    summary = {"file": str(file), "valid": True, "actors": len(s.actors), "issues": len(s.issues),
               "groups": len(s.groups), "events": len(s.events)}
    if fmt is Format.json:
        print(tables.to_json(summary))
    else:
        out.print(f"[green]ok[/green] {file}: {len(s.actors)} actors, {len(s.issues)} issues, "
                  f"{len(s.groups)} groups, {len(s.events)} events")


@app.command()
def forecast(
    scenario: ScenarioArg = None,
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="Model name, repeatable; default: every model "
                              f"({', '.join(available())}).", show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Model parameter KEY=VALUE (or MODEL.KEY=VALUE), repeatable.",
        show_default=False)] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Forecast the outcome of each issue with one or more models."""
    s = open_scenario(scenario, as_of)
    names = model or list(available())
    params = parse_params(param or [])
    for name in names:
        if name not in available():
            make(name)  # raises the user error naming the models
    used = {k for k in params if "." in k} | {k for n in names for k in params_for(n, params)}
    unused = [k for k in params if k not in used]
    if unused:
        raise ModelError(f"no chosen model takes parameter {unused[0]!r}", where="--param",
                         fix="check the name, or prefix it with the model: MODEL.KEY=VALUE")
    results = [make(n, **params_for(n, params)).forecast(s) for n in names]
    if fmt is Format.json:
        print(tables.to_json([r.to_dict() for r in results]))
    elif fmt is Format.markdown:
        frame = tables.forecasts_frame(results)[["issue", "model", "value", "nearest_point",
                                                 "status_quo"]]
        print(f"**{s.title}**, as of {s.date}\n")
        print(tables.to_markdown(frame))
    else:
        out.print(tables.forecast_table(results, title=f"{s.title} — as of {s.date}"))
        for line in tables.outcome_lines(results):
            out.print(f"[dim]{line}[/dim]")


# --- uncertainty, sensitivity, what-if and levers (standoff.analysis) ----------------------------
WithoutOption = Annotated[list[str] | None, typer.Option(
    "--without", help="What-if: remove this actor (repeatable).", show_default=False)]
SetOption = Annotated[list[str] | None, typer.Option(
    "--set", help="What-if: ACTOR.ISSUE.position|salience=VALUE or ACTOR.capability=VALUE; "
                  "VALUE is 30 (to), +5/-5 (by) or +20%/-20% (repeatable).", show_default=False)]
DrawsOption = Annotated[int, typer.Option("--draws", "-n", help="Monte Carlo draws.")]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of the draws (same seed, same result).")]
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


def _one_model(name: str, param: list[str] | None):
    """A model by name with its --param settings (unknown names or keys are user errors)."""
    if name not in available():
        make(name)
    params = parse_params(param or [])
    mine = params_for(name, params)
    unused = [k for k in params if k not in mine and k.split(".", 1)[-1] not in mine]
    if unused:
        raise ModelError(f"model {name!r} takes no parameter {unused[0]!r}", where="--param",
                         fix=f"its parameters: {', '.join(available()[name].parameters()) or 'none'}")
    return make(name, **mine)


@app.command()
def sensitivity(
    scenario: ScenarioArg = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Model name.")] = "compromise",
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Model parameter KEY=VALUE, repeatable.", show_default=False)] = None,
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
) -> None:
    """How sure a forecast is and what drives it: Monte Carlo, tornado and Sobol indices."""
    import pandas as pd

    from standoff.analysis import Space, WhatIf, executor, monte_carlo, sobol, tornado
    from standoff.analysis.montecarlo import to_dict
    from standoff.analysis.sensitivity import tornado_rows
    from standoff.report import analysis as rep

    s = open_scenario(scenario, as_of)
    m = _one_model(model, param)
    what_if = WhatIf.parse(without or [], set_ or [])
    what_if.apply(s)  # unknown actors or issues fail here, before any work starts
    level = noise_level if noise else 0.0
    if bins < 1 or sobol_n < 0 or (sobol_n & (sobol_n - 1)):
        raise ModelError("--bins must be 1 or more and --sobol 0 or a power of 2", where="--bins/--sobol",
                         fix="e.g. --bins 20 --sobol 1024")
    with executor(dask, workers) as ex:
        mc = monte_carlo(s, m, draws=draws, seed=seed, noise=level, what_if=what_if, executor=ex)
        point = Space.build(s, noise=level, what_if=what_if, use_panel=False)
        rows = tornado_rows(tornado(point, m, mc.space if len(mc.space.members) > 1 else None))
        sob = sobol(mc.space, m, n=sobol_n, seed=seed, executor=ex) if sobol_n else None
    result = to_dict(mc, bins)
    sob_rows = sob.to_rows() if sob else []
    if fmt is Format.json:
        print(tables.to_json({**result, "tornado": rows, "sobol": {
            "n": sob.n if sob else 0, "evaluations": sob.evaluations if sob else 0, "indices": sob_rows}}))
        return
    head = (f"{s.title}, as of {s.date} — {m.name}, {draws} draws, seed {seed}"
            + (f", noise {level:g}" if level else "") + (f"; {what_if.describe()}" if what_if else ""))
    notes = [line for line in [rep.outcome_line(result)] if line] + rep.panel_lines(result)
    if not mc.space.size and len(mc.space.members) < 2:
        notes.append("no value has a range: give ranges (low/high or sd) in the scenario, or add --noise")
    if fmt is Format.markdown:
        print(f"**{head}**\n")
        print(tables.to_markdown(rep.uncertainty_frame(result)))
        for line in notes:
            print(f"\n{line}")
        if rows:
            print("\n**Tornado** (one input at a time)\n")
            print(tables.to_markdown(pd.DataFrame(rows), floatfmt=".2f"))
        if sob_rows:
            print(f"\n**Sobol indices** ({sob.evaluations} forecasts)\n")
            print(tables.to_markdown(pd.DataFrame(sob_rows), floatfmt=".3f"))
        return
    out.print(rep.uncertainty_table(result, title=head))
    for line in notes:
        out.print(f"[dim]{line}[/dim]")
    if rows:
        out.print(rep.tornado_table(rows, title="Tornado: one input at a time, low and high end"))
    if sob_rows:
        out.print(rep.sobol_table(sob_rows, title=f"Sobol indices ({sob.evaluations} forecasts)"))


@app.command()
def compare(
    scenario: ScenarioArg = None,
    what_if: Annotated[list[str] | None, typer.Option(
        "--what-if", "-w", help="A change: 'without ACTOR' or a --set expression (repeatable).",
        show_default=False)] = None,
    without: WithoutOption = None,
    set_: SetOption = None,
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="Model name, repeatable; default: every model.", show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Model parameter KEY=VALUE (or MODEL.KEY=VALUE), repeatable.",
        show_default=False)] = None,
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
) -> None:
    """The baseline forecast and the forecast after what-if changes, side by side."""
    import pandas as pd

    from standoff.analysis import WhatIf, executor, monte_carlo, parse_what_if
    from standoff.analysis.montecarlo import issue_summary, outcome_shares
    from standoff.report import analysis as rep

    s = open_scenario(scenario, as_of)
    parsed = parse_what_if(what_if or [])
    change = WhatIf(parsed.without + tuple(without or []),
                    parsed.settings + WhatIf.parse(settings=set_ or []).settings)
    if not change:
        raise ModelError("no change to compare", where="--what-if",
                         fix="e.g. --what-if 'without bolton' or --set trump.capability=+20%")
    changed = change.apply(s)
    names = model or list(available())
    params = parse_params(param or [])
    for name in names:
        if name not in available():
            make(name)
    used = {k for k in params if "." in k} | {k for n in names for k in params_for(n, params)}
    unused = [k for k in params if k not in used]
    if unused:
        raise ModelError(f"no chosen model takes parameter {unused[0]!r}", where="--param",
                         fix="check the name, or prefix it with the model: MODEL.KEY=VALUE")
    models = [make(n, **params_for(n, params)) for n in names]
    base_f = [m.forecast(s) for m in models]
    new_f = [m.forecast(changed) for m in models]
    frame = rep.compare_frame(base_f, new_f)
    mc_rows = []
    if draws:
        level = noise_level if noise else 0.0
        with executor(dask, workers) as ex:
            for m in models:
                for label, wi in (("baseline", None), ("what-if", change)):
                    mc = monte_carlo(s, m, draws=draws, seed=seed, noise=level, what_if=wi, executor=ex)
                    for r in issue_summary(mc):
                        mc_rows.append({"issue": r["issue"], "model": m.name, "run": label,
                                        "median": r["median"], "80% low": r["p80"][0],
                                        "80% high": r["p80"][1],
                                        "nearest named outcome": rep._shares(outcome_shares(mc), 0.0)})
    title = f"{s.title}, as of {s.date} — what if: {change.describe()}"
    if fmt is Format.json:
        print(tables.to_json({"scenario": s.id, "date": str(s.date), "what_if": change.describe(),
                              "forecasts": frame.to_dict("records"),
                              "nearest_outcome": [{"model": b.model, "baseline": b.nearest_outcome,
                                                   "what-if": c.nearest_outcome}
                                                  for b, c in zip(base_f, new_f, strict=True)],
                              "monte_carlo": mc_rows}))
        return
    if fmt is Format.markdown:
        print(f"**{title}**\n")
        print(tables.to_markdown(frame))
        if mc_rows:
            print(f"\n**Monte Carlo** ({draws} draws, seed {seed})\n")
            print(tables.to_markdown(pd.DataFrame(mc_rows)))
        return
    out.print(rep.compare_table(frame, title=title))
    for b, c in zip(base_f, new_f, strict=True):
        if b.nearest_outcome is not None:
            out.print(f"[dim]{b.model}: closest named outcome {b.nearest_outcome} → "
                      f"{c.nearest_outcome}[/dim]")
    if mc_rows:
        out.print(rep.compare_table(pd.DataFrame(mc_rows), title=f"Monte Carlo, {draws} draws, seed {seed}"))


@app.command()
def levers(
    scenario: ScenarioArg = None,
    for_: Annotated[str, typer.Option("--for", help="The actor or group whose position the levers serve.")]
        = ...,
    model: Annotated[str, typer.Option("--model", "-m", help="Model name.")] = "compromise",
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Model parameter KEY=VALUE, repeatable.", show_default=False)] = None,
    as_of: AsOfOption = None,
    step: Annotated[float, typer.Option("--step", help="Position moves, in % of the scale.")] = 10.0,
    top: Annotated[int, typer.Option("--top", help="How many levers to list.")] = 10,
    fmt: FormatOption = Format.table,
) -> None:
    """Rank the single changes, by or to one actor, that move the forecast most toward a party."""
    from standoff.analysis.levers import levers as find_levers
    from standoff.report import analysis as rep

    s = open_scenario(scenario, as_of)
    m = _one_model(model, param)
    if not 0 < step <= 100 or top < 1:
        raise ModelError("--step must lie in (0, 100] and --top be 1 or more", where="--step/--top",
                         fix="e.g. --step 10 --top 10")
    found, base, d0 = find_levers(s, for_, m, step=step, top=top)
    frame = rep.levers_frame(found)
    if fmt is Format.json:
        print(tables.to_json({"scenario": s.id, "date": str(s.date), "for": for_, "model": m.name,
                              "baseline": base, "baseline_distance": d0, "levers": frame.to_dict("records")}))
        return
    head = (f"{s.title}, as of {s.date} — levers for {for_} ({m.name}); baseline "
            + ", ".join(f"{k} {v:.1f}" for k, v in base.items()) + f", distance {d0:.1f}")
    if fmt is Format.markdown:
        print(f"**{head}**\n")
        print(tables.to_markdown(frame, floatfmt=".2f"))
        return
    out.print(rep.levers_table(frame, title=head))


def run() -> None:
    """Entry point: run the app, turning user errors into one-line messages and exit status 2."""
    try:
        code = app(standalone_mode=False)
    except StandoffError as exc:
        if _state["debug"]:
            raise
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(1)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(2)
        raise
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    run()
