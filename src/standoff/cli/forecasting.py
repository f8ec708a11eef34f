"""Verbs that forecast: `forecast`, `timeline`, `dyads`."""

from __future__ import annotations

from typing import Annotated

import typer

from standoff import lazy, tasks
from standoff.backtest.calibration import model_first
from standoff.cli.render import print_frame, render, view
from standoff.cli.shell import (
    AsOfOption,
    Format,
    FormatOption,
    ParamOption,
    ParamsOption,
    PlotOption,
    ScenarioArg,
    UntilOption,
    err,
    out,
    recorded,
    run_store,
)
from standoff.errors import ModelError
from standoff.loading import load
from standoff.models import available, make, resolve
from standoff.models.consent import summary_rows
from standoff.report import tables
from standoff.report.event_plots import plot_timeline
from standoff.tasks.inputs import DEFAULT_CASE

pd = lazy.load("pandas")


@recorded("forecast")
def forecast(
    scenario: ScenarioArg = None,
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="Model name, repeatable; default: every model "
                              f"({', '.join(available())}).", show_default=False)] = None,
    param: ParamsOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    rounds: Annotated[int | None, typer.Option(
        "--rounds", "-r", min=0, help="Rounds of bargaining, for the models that have rounds "
                                      "(short for --param rounds=N).", show_default=False)] = None,
    explain_: Annotated[bool, typer.Option(
        "--explain", help="Also say in words what drives each forecast: the actors whose removal "
                          "moves it most and the uncertain values it is most sensitive to.")] = False,
    bands: Annotated[str, typer.Option(
        "--bands", help="Calibration set of the 80%/95% bands and the odds: eu (EU legislation), "
                        "crisis (the case library), all, or none (no bands; odds from all).")] = "all",
):
    """Forecast the outcome of each issue with one or more models, with bands and named-outcome odds."""
    s = tasks.inputs.open_scenario(scenario, as_of)
    names = [resolve(n) for n in model] if model else model_first(list(available()))
    params = tasks.inputs.parse_params(param or [])
    if rounds is not None:
        if not any("rounds" in available()[n].parameters() for n in names if n in available()):
            raise ModelError("no chosen model has rounds", where="--rounds",
                             fix="use a model with rounds, e.g. --model eum")
        params["rounds"] = rounds
    models = tasks.inputs.make_models(names, params)
    result = tasks.forecast.run(s, models, names=names, explain=explain_, bands=bands)
    render(result, fmt)
    return result


@view("ForecastResult")
def _forecast(result, fmt: Format) -> None:
    s, results = result.scenario, result.forecasts
    if fmt is Format.markdown:
        frame = result.to_frame()
        frame = frame[["issue", "model", "value", *[c for c in frame.columns if c.startswith("band")
                                                    and frame[c].notna().any()],
                       "nearest_point", "status_quo"]]
        print(f"**{s.title}**, as of {s.date}\n")
        print(tables.to_markdown(frame))
        _print_odds(results, fmt)
        for r in results:
            if any(f.trajectory is not None for f in r.issues):
                print(f"\n{r.model}, round by round:\n")
                print(tables.to_markdown(tables.rounds_frame(r), floatfmt=".2f"))
    else:
        for r in results:
            if any(f.trajectory is not None for f in r.issues):
                out.print(tables.rounds_table(r, title=f"{r.model}: round by round"))
        out.print(tables.forecast_table(results, title=f"{s.title} — as of {s.date}"))
        for line in tables.outcome_lines(results):
            out.print(f"[dim]{line}[/dim]")
        _print_odds(results, fmt)
    _consent_sets(results, fmt)
    # what drives each forecast (`forecast --explain`): one paragraph per model and issue
    for m, found in zip(result.models, result.drivers, strict=True) if result.drivers else ():
        for d in found:
            if fmt is Format.markdown:
                print(f"\n**{m.name}**: {d.paragraph}")
            else:
                out.print(f"\n[bold]{m.name}[/bold]: {d.paragraph}", highlight=False)


def _print_odds(results: list, fmt: Format) -> None:
    """The calibration of the bands, then the named outcomes with their probabilities."""
    lines = tables.calibration_lines(results)
    frame = tables.odds_frame(results)
    if fmt is Format.markdown:
        for line in lines:
            print(f"\n- {line}")
        if not frame.empty:
            print("\n**Named outcomes** (probabilities)\n")
            print(tables.to_markdown(frame, floatfmt=".3f"))
            for line in tables.odds_lines(results):
                print(f"\n- {line}")
        return
    for line in lines:
        out.print(f"[dim]{line}[/dim]", highlight=False)
    if not frame.empty:
        out.print(tables.frame_table(frame, title="Named outcomes: probabilities", floatfmt=".3f"))
        for line in tables.odds_lines(results):
            out.print(f"[dim]{line}[/dim]", highlight=False)


def _consent_sets(results: list, fmt: Format) -> None:
    """For each consent-model forecast: the consent set per issue and who bounds each end."""


    for r in results:
        if r.model == "consent" and fmt is not Format.json:
            frame = pd.DataFrame(summary_rows(r))[["issue", "reversion_point", "low", "high",
                                                   "low_bound", "high_bound", "unconstrained",
                                                   "forecast", "p_no_deal"]]
            print_frame(frame, fmt, "consent: the deals every ratifier prefers to the reversion point",
                        floatfmt=".1f")


@recorded("timeline")
def timeline(
    scenario: ScenarioArg = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Model name.")] = "compromise",
    param: ParamOption = None,
    until: UntilOption = None,
    plot: PlotOption = None,
    history: Annotated[bool, typer.Option(
        "--history", help="Show instead how the forecast moved as the news arrived: the forecast before "
                          "and after each accepted `standoff events update` of the case.")] = False,
    fmt: FormatOption = Format.table,
):
    """Forecast at the baseline and at each event date (events replayed up to that day)."""
    s = load(scenario or DEFAULT_CASE)
    if history:
        found = tasks.timeline.history(run_store(), s)
        print_frame(found.frame, fmt, f"{s.title}: the forecast before and after each accepted update")
        return None
    m = tasks.inputs.make_models([model], tasks.inputs.parse_params(param or []))[0]
    result = tasks.timeline.run(s, m, until=until)
    render(result, fmt)
    if plot is not None:
        plot_timeline(result.frame, plot, f"{s.title}: {model} forecast by date")
        err.print(f"wrote {plot}")
    return result


@view("TimelineResult")
def _timeline(result, fmt: Format) -> None:
    s = result.scenario
    print_frame(result.wide(), fmt, f"{s.title}: {result.model.name} forecast by date", floatfmt=".1f")


@recorded("dyads")
def dyads(
    scenario: ScenarioArg = None,
    actor: Annotated[str, typer.Option("--actor", "-a", help="The actor whose dyads to show.",
                                       show_default=False)] = ...,
    issue: Annotated[str | None, typer.Option("--issue", "-i", help="Issue id; default: the first.",
                                              show_default=False)] = None,
    round_: Annotated[int, typer.Option("--round", help="Which round (from 1).")] = 1,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Parameter of the eum model KEY=VALUE, repeatable "
                              "(e.g. preset=scholz2011).", show_default=False)] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
):
    """One actor's expected utilities against every other actor, both ways, and the interaction
    (expected utility model)."""
    s = tasks.inputs.open_scenario(scenario, as_of)
    params = tasks.inputs.parse_params(param or [])
    params.setdefault("rounds", max(round_, 1))
    result = tasks.dyads.run(s, actor, make("eum", **params), issue=issue, round=round_)
    render(result, fmt)
    return result


@view("DyadsResult")
def _dyads(result, fmt: Format) -> None:
    s, actor, frame = result.scenario, result.actor, result.frame
    at = frame.attrs["position"]
    head = (f"{s.title} — {actor} (at {at:g}) on {result.issue}, round {result.round}, "
            f"eum preset {result.model.preset}")
    if fmt is Format.markdown:
        print(f"**{head}**\n")
        print(tables.to_markdown(frame, floatfmt=".3f"))
    else:
        out.print(tables.dyads_table(frame, title=head))
        out.print(f"[dim]E^i(U_ij): {actor}'s expected utility of challenging j; E^j(U_ji): j's of "
                  f"challenging {actor}; negative in red[/dim]")
