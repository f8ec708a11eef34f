"""Verbs on event data: `events import|summary|beliefs` and `explain`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from standoff import tasks
from standoff.cli.render import print_frame, print_report, render, view
from standoff.cli.shell import (
    Bar,
    Format,
    FormatOption,
    PlotOption,
    ScenarioArg,
    UntilOption,
    err,
    out,
    recorded,
)
from standoff.events.beliefs import read_beliefs
from standoff.loading import load
from standoff.report.event_plots import plot_beliefs, plot_summary
from standoff.tasks.inputs import DEFAULT_CASE

events_app = typer.Typer(no_args_is_help=True, help="Event data: import, summarise, belief paths.")

EventFileArg = Annotated[Path, typer.Argument(help="An event file (ICEWS, GDELT, PLOVER, CSV, CNS).")]
FromOption = Annotated[str | None, typer.Option(
    "--from", help="Input format: icews, gdelt1, gdelt2, plover, csv or cns; default: guessed "
                   "from the first line.", show_default=False)]
ProgressOption = Annotated[bool, typer.Option("--progress/--no-progress",
                                              help="Show a progress bar while reading.")]
EventsOption = Annotated[Path | None, typer.Option(
    "--events", help="An event file whose matched events count as evidence too (e.g. the CNS "
                     "missile tests).", show_default=False)]


@events_app.command("import")
def events_import(
    file: EventFileArg,
    source_format: FromOption = None,
    scenario: Annotated[str | None, typer.Option(
        "--scenario", "-s", help="Match events to this case's actors (by id, name and aliases).",
        show_default=False)] = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the kept events to this CSV (readable with --from csv).",
        show_default=False)] = None,
    attach: Annotated[Path | None, typer.Option(
        "--attach", help="Write the scenario with the matched events added (without effects) "
                         "to this YAML file; needs --scenario.", show_default=False)] = None,
    progress: ProgressOption = True,
    fmt: FormatOption = Format.table,
) -> None:
    """Read an event file, merge duplicates, match actors, and report what was kept and skipped."""
    s = load(scenario) if scenario else None
    render(tasks.events.import_file(file, source_format, s, out=out_file, attach=attach,
                                    progress=Bar() if progress else None), fmt)


@view("ImportResult")
def _import(result, fmt: Format) -> None:
    if fmt is Format.markdown:
        print("\n".join(f"- {line.strip()}" for line in result.report.lines()))
        return
    print_report(result.report, fmt)
    for path in result.written:
        err.print(f"wrote {path}")


@events_app.command("summary")
def events_summary(
    file: EventFileArg,
    scenario: Annotated[str, typer.Option("--scenario", "-s", help="The case whose actors to match.")],
    source_format: FromOption = None,
    plot: PlotOption = None,
    progress: ProgressOption = True,
    fmt: FormatOption = Format.table,
) -> None:
    """Per dyad and week: event counts, Goldstein sums, cooperation vs conflict."""
    s = load(scenario)
    result = tasks.events.summary(file, s, source_format, progress=Bar() if progress else None)
    print_report(result.report, fmt)
    render(result, fmt)
    if plot is not None and len(result.frame):
        plot_summary(result.frame, plot)
        err.print(f"wrote {plot}")


@view("SummaryResult")
def _summary(result, fmt: Format) -> None:
    print_frame(result.frame, fmt, f"{result.file.name}: events per dyad and week", floatfmt=".1f")


def _extra_events(s, events_file: Path | None, source_format: str | None):
    return tasks.beliefs.extra_events(s, events_file, source_format,
                                      note=lambda line: err.print(f"[dim]{line}[/dim]", highlight=False))


@events_app.command("beliefs")
@recorded("beliefs")
def events_beliefs(
    scenario: ScenarioArg = None,
    beliefs: Annotated[Path | None, typer.Option(
        "--beliefs", help="A belief file (default: the case's own).", show_default=False)] = None,
    events_file: EventsOption = None,
    source_format: FromOption = None,
    until: UntilOption = None,
    model: Annotated[str | None, typer.Option(
        "--model", "-m", help="Also show, per step, the outcome the observer expects: this model "
                              "run on the positions as the observer perceives them.",
        show_default=False)] = None,
    plot: PlotOption = None,
    fmt: FormatOption = Format.table,
):
    """Belief paths: each observer's posterior over a target's types, event by event."""
    s = load(scenario or DEFAULT_CASE)
    specs = read_beliefs(tasks.inputs.spec_file(scenario, beliefs, ""))
    events = _extra_events(s, events_file, source_format)
    result = tasks.beliefs.run(s, specs, events=events, until=until, model=model, events_file=events_file,
                               given_file=beliefs)
    render(result, fmt)
    if plot is not None:
        for n, p in enumerate(result.paths):
            target = plot if n == 0 else plot.with_name(f"{plot.stem}-{n + 1}{plot.suffix}")
            plot_beliefs(p.frame, target, p.title)
            err.print(f"wrote {target}")
    return result


@view("BeliefsResult")
def _beliefs(result, fmt: Format) -> None:
    for p in result.paths:
        print_frame(p.frame, fmt, f"{p.title} ({p.ignored} events not evidence)")


@recorded("explain")
def explain(
    scenario: ScenarioArg = None,
    hypotheses: Annotated[Path | None, typer.Option(
        "--hypotheses", help="A hypothesis file (default: the case's own).", show_default=False)] = None,
    events_file: EventsOption = None,
    source_format: FromOption = None,
    until: UntilOption = None,
    fmt: FormatOption = Format.table,
):
    """Score rival explanations by the likelihood of the observed events."""
    s = load(scenario or DEFAULT_CASE)
    specs = read_beliefs(tasks.inputs.spec_file(scenario, hypotheses, "-hypotheses"))
    events = _extra_events(s, events_file, source_format)
    result = tasks.beliefs.explain(s, specs, events=events, until=until, events_file=events_file,
                                   given_file=hypotheses)
    render(result, fmt)
    return result


@view("ExplainResult")
def _explain(result, fmt: Format) -> None:
    for r in result.explanations:
        print_frame(r.frame(), fmt, r.spec.title or "rival explanations")
        for line in r.sentences():
            if fmt is Format.markdown:
                print(f"\n{line}")
            else:
                out.print(line, highlight=False)
