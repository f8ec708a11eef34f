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

# --- events, beliefs, timeline, explain ----------------------------------------------------------
events_app = typer.Typer(no_args_is_help=True, help="Event data: import, summarise, belief paths.")
app.add_typer(events_app, name="events")

EventFileArg = Annotated[Path, typer.Argument(help="An event file (ICEWS, GDELT, PLOVER, CSV, CNS).")]
FromOption = Annotated[str | None, typer.Option(
    "--from", help="Input format: icews, gdelt1, gdelt2, plover, csv or cns; default: guessed "
                   "from the first line.", show_default=False)]
ProgressOption = Annotated[bool, typer.Option("--progress/--no-progress",
                                              help="Show a progress bar while reading.")]
PlotOption = Annotated[Path | None, typer.Option("--plot", help="Also write a PNG plot here.",
                                                 show_default=False)]


def _print_report(report, fmt: Format) -> None:
    if fmt is Format.table:
        for n, line in enumerate(report.lines()):
            err.print(line if n else f"[bold]{line}[/bold]", highlight=False)


def _print_frame(frame, fmt: Format, title: str, floatfmt: str = ".3f") -> None:
    if fmt is Format.json:
        print(frame.to_json(orient="records", date_format="iso", indent=2))
    elif fmt is Format.markdown:
        print(f"**{title}**\n")
        print(tables.to_markdown(frame, floatfmt=floatfmt))
    else:
        out.print(tables.frame_table(frame, title=title, floatfmt=floatfmt))


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
    from standoff.events import pipeline, store

    s = load(scenario) if scenario else None
    if attach is not None:
        if s is None:
            raise StandoffError("--attach needs a scenario", where="--attach",
                                fix="add --scenario CASE")
        matched, report = pipeline.matched_list(file, source_format, s, progress=progress)
        if out_file is not None:
            store.write_events_csv(matched, out_file)
        store.save_scenario(store.attach(s, matched), attach)
    else:
        report = pipeline.import_events(file, source_format, s, out_file, progress=progress)
    if fmt is Format.json:
        print(tables.to_json(report.to_dict()))
    elif fmt is Format.markdown:
        print("\n".join(f"- {line.strip()}" for line in report.lines()))
    else:
        _print_report(report, fmt)
        for path in (out_file, attach):
            if path is not None:
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
    from standoff.events import pipeline
    from standoff.report.event_plots import plot_summary

    s = load(scenario)
    frame, report = pipeline.summarise(file, source_format, s, progress=progress)
    _print_report(report, fmt)
    _print_frame(frame, fmt, f"{file.name}: events per dyad and week", floatfmt=".1f")
    if plot is not None and len(frame):
        plot_summary(frame, plot)
        err.print(f"wrote {plot}")


def _extra_events(s: Scenario, events_file: Path | None, source_format: str | None):
    if events_file is None:
        return None
    from standoff.events import pipeline
    from standoff.events.beliefs import evidence

    extra, report = pipeline.scenario_events(events_file, source_format, s)
    err.print(f"[dim]{report.lines()[0]}[/dim]", highlight=False)
    return evidence(s, extra)


def _spec_file(case: str | None, given: Path | None, suffix: str) -> Path:
    from standoff.data import beliefs_path

    if given is not None:
        return given
    found = beliefs_path(case or DEFAULT_CASE, suffix)
    if found is None:
        raise StandoffError(f"no built-in {suffix.strip('-') or 'beliefs'} file for {case!r}",
                            fix=f"give one with --{suffix.strip('-') or 'beliefs'} FILE "
                                "(format: docs/events.md)")
    return found


EventsOption = Annotated[Path | None, typer.Option(
    "--events", help="An event file whose matched events count as evidence too (e.g. the CNS "
                     "missile tests).", show_default=False)]
UntilOption = Annotated[str | None, typer.Option("--until", help="Last date (YYYY-MM-DD).",
                                                 show_default=False)]


@events_app.command("beliefs")
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
) -> None:
    """Belief paths: each observer's posterior over a target's types, event by event."""
    from standoff.events.beliefs import read_beliefs, update
    from standoff.models.perception import expected_path
    from standoff.report.event_plots import plot_beliefs

    s = load(scenario or DEFAULT_CASE)
    specs = read_beliefs(_spec_file(scenario, beliefs, ""))
    events = _extra_events(s, events_file, source_format)
    frames = []
    for spec in specs:
        path = update(spec, s, events, end=until)
        issues = [i for i in s.issue_ids if path.perceived(path.table.prior, i) is not None]
        title = spec.title or f"{spec.observer} about {spec.target}"
        frame = path.frame(issues)
        if model is not None:
            expected = expected_path(s, path, make(model))
            for issue in s.issue_ids if expected else ():
                frame[f"expected {issue} ({model})"] = [row[issue] for row in expected]
        frames.append((title, frame, path.ignored))
    if fmt is Format.json:
        print(tables.to_json([{"title": t, "observer": sp.observer, "target": sp.target,
                               "ignored_events": n, "steps": f.to_dict(orient="records")}
                              for sp, (t, f, n) in zip(specs, frames, strict=True)]))
    else:
        for title, frame, ignored in frames:
            _print_frame(frame, fmt, f"{title} ({ignored} events not evidence)")
    if plot is not None:
        for n, (title, frame, _) in enumerate(frames):
            target = plot if n == 0 else plot.with_name(f"{plot.stem}-{n + 1}{plot.suffix}")
            plot_beliefs(frame, target, title)
            err.print(f"wrote {target}")


@app.command()
def timeline(
    scenario: ScenarioArg = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Model name.")] = "compromise",
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Model parameter KEY=VALUE, repeatable.", show_default=False)] = None,
    until: UntilOption = None,
    plot: PlotOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Forecast at the baseline and at each event date (events replayed up to that day)."""
    import datetime as dt

    from standoff.models.timeline import timeline as run_timeline
    from standoff.report.event_plots import plot_timeline

    s = load(scenario or DEFAULT_CASE)
    if model not in available():
        make(model)  # raises the user error naming the models
    m = make(model, **params_for(model, parse_params(param or [])))
    frame = run_timeline(s, m, dt.date.fromisoformat(until) if until else None)
    wide = frame.pivot_table(index="date", columns="issue", values="value", sort=False).reset_index()
    wide.columns.name = None
    wide["events"] = frame.drop_duplicates("date")["events"].to_numpy()
    _print_frame(frame if fmt is Format.json else wide, fmt, f"{s.title}: {model} forecast by date",
                 floatfmt=".1f")
    if plot is not None:
        plot_timeline(frame, plot, f"{s.title}: {model} forecast by date")
        err.print(f"wrote {plot}")


@app.command()
def explain(
    scenario: ScenarioArg = None,
    hypotheses: Annotated[Path | None, typer.Option(
        "--hypotheses", help="A hypothesis file (default: the case's own).", show_default=False)] = None,
    events_file: EventsOption = None,
    source_format: FromOption = None,
    until: UntilOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Score rival explanations by the likelihood of the observed events."""
    from standoff.events.beliefs import read_beliefs, update
    from standoff.events.explain import Explanation

    s = load(scenario or DEFAULT_CASE)
    specs = read_beliefs(_spec_file(scenario, hypotheses, "-hypotheses"))
    events = _extra_events(s, events_file, source_format)
    results = [Explanation(update(spec, s, events, end=until)) for spec in specs]
    if fmt is Format.json:
        print(tables.to_json([{"title": r.spec.title, "steps": r.frame().to_dict(orient="records"),
                               "sentences": r.sentences()} for r in results]))
        return
    for r in results:
        _print_frame(r.frame(), fmt, r.spec.title or "rival explanations")
        for line in r.sentences():
            if fmt is Format.markdown:
                print(f"\n{line}")
            else:
                out.print(line, highlight=False)


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
