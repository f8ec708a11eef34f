"""The command-line front end: `standoff VERB ...`.

Every verb that prints a result takes `--format table|json|markdown`. Errors a user can cause
are printed in one or two lines on stderr with exit status 2 (`--debug` shows the traceback).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console

from standoff import __version__
from standoff.data import case_names, case_path
from standoff.errors import ModelError, StandoffError
from standoff.loading import load
from standoff.models import available, make, resolve
from standoff.report import tables
from standoff.scenario import Scenario, read_scenario
from standoff.store.recording import DbOption, record_run, recorded

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
    max_memory: Annotated[str | None, typer.Option(
        "--max-memory", metavar="SIZE", help="Refuse model runs whose estimated memory is above SIZE "
        "(e.g. 8GiB); default $STANDOFF_MAX_MEMORY or 2GiB.", show_default=False)] = None,
) -> None:
    """Forecast how multi-actor negotiations and international crises end, and why."""
    _state["debug"] = debug
    if max_memory is not None:
        from standoff.cli_errors import set_max_memory

        set_max_memory(max_memory)


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


def model_params(names: list[str], params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each chosen model's parameters; a user error for an unknown model or a parameter no
    chosen model takes."""
    for name in names:
        if name not in available():
            make(name)  # raises the user error naming the models
    used = {k for k in params if "." in k} | {k for n in names for k in params_for(n, params)}
    unused = [k for k in params if k not in used]
    if unused:
        raise ModelError(f"no chosen model takes parameter {unused[0]!r}", where="--param",
                         fix="check the name, or prefix it with the model: MODEL.KEY=VALUE")
    return {n: params_for(n, params) for n in names}


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
def validate(files: Annotated[list[Path], typer.Argument(
                 help="Scenario files (.yaml or .csv) or built-in case names; each is reported.")],
             fmt: FormatOption = Format.table) -> None:
    """Check scenario files (or built-in cases) and report every problem found in each."""
    from standoff.cli_errors import validate_files

    reports = validate_files(files)
    if fmt is Format.json:
        print(tables.to_json(reports[0] if len(reports) == 1 else reports))
    for r in reports if fmt is not Format.json else []:
        if r["valid"]:
            out.print(f"[green]ok[/green] {r['file']}: {r['actors']} actors, {r['issues']} issues, "
                      f"{r['groups']} groups, {r['events']} events", highlight=False)
        else:
            print(r["report"], file=sys.stderr)
            n = len(r["problems"])
            if n > 1:  # a single problem's line already names the file
                err.print(f"[red]{n} problems[/red] in {r['file']}", highlight=False)
    if not all(r["valid"] for r in reports):
        raise typer.Exit(2)


@app.command()
@recorded("forecast")
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
    rounds: Annotated[int | None, typer.Option(
        "--rounds", "-r", min=0, help="Rounds of bargaining, for the models that have rounds "
                                      "(short for --param rounds=N).", show_default=False)] = None,
    explain_: Annotated[bool, typer.Option(
        "--explain", help="Also say in words what drives each forecast: the actors whose removal "
                          "moves it most and the uncertain values it is most sensitive to.")] = False,
) -> None:
    """Forecast the outcome of each issue with one or more models."""
    s = open_scenario(scenario, as_of)
    names = [resolve(n) for n in model] if model else list(available())
    params = parse_params(param or [])
    if rounds is not None:
        if not any("rounds" in available()[n].parameters() for n in names if n in available()):
            raise ModelError("no chosen model has rounds", where="--rounds",
                             fix="use a model with rounds, e.g. --model eum")
        params["rounds"] = rounds
    models = [make(n, **p) for n, p in model_params(names, params).items()]
    results = [m.forecast(s) for m in models]
    drivers = _drivers(s, models) if explain_ else None
    record_run(s, model=",".join(names), params={r.model: r.params for r in results},
               results={"forecasts": [r.to_dict() for r in results]}
               | ({"drivers": [[x.to_dict() for x in found] for found in drivers]} if drivers else {}))
    if fmt is Format.json:
        dicts = [r.to_dict() for r in results]
        for d, found in zip(dicts, drivers or [], strict=False):
            d["drivers"] = [x.to_dict() for x in found]
        print(tables.to_json(dicts))
    elif fmt is Format.markdown:
        frame = tables.forecasts_frame(results)[["issue", "model", "value", "nearest_point",
                                                 "status_quo"]]
        print(f"**{s.title}**, as of {s.date}\n")
        print(tables.to_markdown(frame))
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
    if drivers and fmt is not Format.json:
        _print_drivers(models, drivers, fmt)


def _drivers(s: Scenario, models: list) -> list:
    from standoff.analysis.drivers import explain_forecast

    return [explain_forecast(s, m) for m in models]


def _print_drivers(models: list, drivers: list, fmt: Format) -> None:
    """One paragraph per model and issue: what drives the forecast (`forecast --explain`)."""
    for m, found in zip(models, drivers, strict=True):
        for d in found:
            if fmt is Format.markdown:
                print(f"\n**{m.name}**: {d.paragraph}")
            else:
                out.print(f"\n[bold]{m.name}[/bold]: {d.paragraph}", highlight=False)

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
                                "(format: `standoff docs events`)")
    return found


EventsOption = Annotated[Path | None, typer.Option(
    "--events", help="An event file whose matched events count as evidence too (e.g. the CNS "
                     "missile tests).", show_default=False)]
UntilOption = Annotated[str | None, typer.Option("--until", help="Last date (YYYY-MM-DD).",
                                                 show_default=False)]


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
    record_run(s, model=model, params={"until": until, "events": events_file, "beliefs": beliefs},
               results={"beliefs": [{"title": t, "observer": sp.observer, "target": sp.target,
                                     "ignored_events": n, "steps": f}
                                    for sp, (t, f, n) in zip(specs, frames, strict=True)]})
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
@recorded("timeline")
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
    record_run(s, model=m.name, params={m.name: m.get_params(), "until": until},
               results={"timeline": frame})
    wide = frame.pivot_table(index="date", columns="issue", values="value", sort=False).reset_index()
    wide.columns.name = None
    wide["events"] = frame.drop_duplicates("date")["events"].to_numpy()
    _print_frame(frame if fmt is Format.json else wide, fmt, f"{s.title}: {model} forecast by date",
                 floatfmt=".1f")
    if plot is not None:
        plot_timeline(frame, plot, f"{s.title}: {model} forecast by date")
        err.print(f"wrote {plot}")


@app.command()
@recorded("explain")
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
    record_run(s, model=None, params={"until": until, "events": events_file, "hypotheses": hypotheses},
               results={"explanations": [{"title": r.spec.title, "steps": r.frame(),
                                          "sentences": r.sentences()} for r in results]})
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


# --- expected utility model: dyads ----------------------------------------------------------


@app.command()
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
) -> None:
    """One actor's expected utilities against every other actor, both ways, and the interaction
    (expected utility model)."""
    from standoff.models.eum import dyads as eum_dyads

    s = open_scenario(scenario, as_of)
    params = parse_params(param or [])
    params.setdefault("rounds", max(round_, 1))
    model = make("eum", **params)
    frame = eum_dyads(s, actor, issue=issue, round=round_, model=model)
    issue_id = issue or s.issue_ids[0]
    record_run(s, model=model.name, params={model.name: model.get_params(), "actor": actor,
                                            "issue": issue_id, "round": round_},
               results={"dyads": frame})
    at = frame.attrs["position"]
    head = (f"{s.title} — {actor} (at {at:g}) on {issue_id}, round {round_}, "
            f"eum preset {model.preset}")
    if fmt is Format.json:
        print(tables.to_json({"scenario": s.id, "actor": actor, "issue": issue_id, "round": round_,
                              "params": model.get_params(), "dyads": frame.to_dict("records")}))
    elif fmt is Format.markdown:
        print(f"**{head}**\n")
        print(tables.to_markdown(frame, floatfmt=".3f"))
    else:
        out.print(tables.dyads_table(frame, title=head))
        out.print(f"[dim]E^i(U_ij): {actor}'s expected utility of challenging j; E^j(U_ji): j's of "
                  f"challenging {actor}; negative in red[/dim]")


# --- dynamics: shifting power, commitment, deadlines (docs/models/dynamics.md) ---------------------
@app.command()
@recorded("dynamics")
def dynamics(
    scenario: ScenarioArg = None,
    between: Annotated[tuple[str, str], typer.Option(
        "--between", help="The two groups of the dyad, e.g. --between united-states north-korea.")] = (
        "united-states", "north-korea"),
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="KEY=VALUE, repeatable: delta, months, periods, cost_a, cost_b, proposer, "
                              "extrapolate, benefit, sanctions, loss, restraint_prior, deadline, ...",
        show_default=False)] = None,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Write a plot of p_t, the bargaining ranges and the window to this PNG file.",
        show_default=False)] = None,
    missile_tests: Annotated[list[str] | None, typer.Option(
        "--missile-tests", help="GROUP=FILE: derive the group's capability path from a missile test "
                                "record (CNS/NTI export), repeatable.", show_default=False)] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Shifting power and preventive war, disarmament and the Libya precedent, deadline bargaining.

    `standoff crisis CASE --between A B --dynamic` prints the same (see docs/models/dynamics.md).
    """
    from standoff.games.dynamics import dynamics_report
    from standoff.games.dynamics.inputs import read_missile_tests
    from standoff.report import dynamics as dyn

    s = open_scenario(scenario, as_of)
    tests = {}
    for item in missile_tests or []:
        group, sep, file = item.partition("=")
        if not sep or not group or not file:
            raise ModelError(f"{item!r} is not GROUP=FILE", where="--missile-tests",
                             fix="write it like --missile-tests north-korea=cns-dprk-missile-tests.csv")
        tests[group] = read_missile_tests(file)
    result = dynamics_report(s, between[0], between[1], missile_tests=tests,
                             **parse_params(param or []))
    record_run(s, model=None, params={"between": list(between), **parse_params(param or []),
                                      "missile_tests": missile_tests or []},
               results={"dynamics": _dynamics_dict(result)})
    print_dynamics(result, fmt)
    if plot is not None:
        err.print(f"plot written to {dyn.plot(result, plot)}")


def _dynamics_dict(result: dict[str, Any]) -> dict[str, Any]:
    from standoff.report import dynamics as dyn

    return dyn.to_dict(result)


def print_dynamics(result: dict[str, Any], fmt: Format) -> None:
    """Print a `dynamics_report` result (shared by `dynamics` and `crisis --dynamic`)."""
    from standoff.report import dynamics as dyn

    a, b = result["dyad"]["a"], result["dyad"]["b"]
    frames = [("Shifting power", dyn.power_frame(result)),
              ("Belief in restraint (track record)", dyn.commitment_frame(result))]
    deadline_frame = dyn.deadline_frame(result)
    if deadline_frame is not None:
        frames.append(("Deadline bargaining", deadline_frame))
    if fmt is Format.json:
        print(tables.to_json(dyn.to_dict(result)))
        return
    if fmt is Format.markdown:
        print(f"**Dynamics of {a} vs {b}**, as of {result['dyad']['date']}\n")
        for title, frame in frames:
            print(f"*{title}*\n\n{tables.to_markdown(frame, floatfmt='.3f')}\n")
        for line in dyn.summary_lines(result) + result["notes"]:
            print(f"- {line}")
        return
    for title, frame in frames:
        out.print(dyn.rich_table(frame, f"{title} — {a} vs {b}, as of {result['dyad']['date']}"))
    for line in dyn.summary_lines(result):
        out.print(f"[dim]{line}[/dim]")
    for line in result["notes"]:
        out.print(line)


# --- two-level game: win-sets and wedges (standoff.games.two_level) ---------------------------
JointOption = Annotated[bool, typer.Option(
    "--joint", help="Every group judges deals as a package, trading across issues "
                    "(default: each group's `linkage`).")]


def _model_with_params(model: str, param: list[str] | None):
    """One registered model built from --model and --param."""
    make(model)  # an unknown name is a user error naming the models
    params = parse_params(param or [])
    picked = params_for(model, params)
    unused = [k for k in params if k not in picked and not k.startswith(model + ".")]
    if unused:
        raise ModelError(f"model {model!r} takes no parameter {unused[0]!r}", where="--param",
                         fix="check the name against docs/models/")
    return make(model, **picked)


@app.command()
@recorded("winsets")
def winsets(
    scenario: ScenarioArg = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Model of the internal and the "
                                       "international bargains.")] = "compromise",
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Model parameter KEY=VALUE, repeatable.", show_default=False)] = None,
    as_of: AsOfOption = None,
    joint: JointOption = False,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Also draw the win-sets on each issue scale to this file (.png/.svg/.pdf).",
        show_default=False)] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Two-level game: each group's position and win-set, their intersection and the deal."""
    from standoff.games.two_level import analyse
    from standoff.report import winsets as rep

    s = open_scenario(scenario, as_of)
    m = _model_with_params(model, param)
    result = analyse(s, m, joint=joint)
    record_run(s, model=m.name, params={m.name: m.get_params(), "joint": joint},
               results={"winsets": json.loads(result.to_json())})
    if plot is not None:
        rep.plot(result, s, plot)
    if fmt is Format.json:
        print(result.to_json())
    elif fmt is Format.markdown:
        print(rep.markdown(result, s, tables.to_markdown))
    else:
        out.print(rep.winsets_table(result, s))
        out.print(rep.deal_table(result))
        for line in rep.summary_lines(result):
            out.print(f"[dim]{line}[/dim]")
    if plot is not None and fmt is Format.table:
        out.print(f"plot written to {plot}")


def _widen_levers(s: Scenario, widen: str, model, joint: bool, top: int, fmt: Format) -> None:
    """`levers --widen GROUP`: single-faction changes ranked by how much they widen the
    intersection of the parties' win-sets."""
    from standoff.games.two_level import wedges
    from standoff.report import winsets as rep

    found, base = wedges(s, widen, model, joint=joint, top=top)
    frame = rep.wedges_frame(found)
    record_run(s, model=model.name, params={model.name: model.get_params(), "widen": widen,
                                            "joint": joint, "top": top},
               results={"deal": base.deal(), "wedges": frame})
    deal = ", ".join(f"{k} {v:.1f}" for k, v in base.deal().items())
    if fmt is Format.json:
        print(tables.to_json({"scenario": s.id, "date": str(s.date), "widen": widen,
                              "model": base.model, "deal": base.deal(),
                              "intersection": {i.issue: [i.low, i.high] for i in base.issues},
                              "wedges": frame.to_dict("records")}))
        return
    head = f"{s.title}, as of {s.date} — wedges in {widen} ({base.model}); deal now: {deal}"
    if fmt is Format.markdown:
        print(f"**{head}**\n")
        print(tables.to_markdown(frame, floatfmt=".2f"))
        return
    out.print(rep.wedges_table(found, title=head))
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
@recorded("sensitivity")
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
    record_run(s, model=m.name, seed=seed, params={
        m.name: m.get_params(), "draws": draws, "noise": level, "sobol": sobol_n, "bins": bins,
        "what_if": what_if.describe() if what_if else None},
        results={"monte_carlo": result, "tornado": rows, "sobol": {
            "n": sob.n if sob else 0, "evaluations": sob.evaluations if sob else 0, "indices": sob_rows}})
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
    names = [resolve(n) for n in model] if model else list(available())
    models = [make(n, **p) for n, p in model_params(names, parse_params(param or [])).items()]
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
    record_run(s, model=",".join(names), seed=seed if draws else None, params={
        **{m.name: m.get_params() for m in models}, "what_if": change.describe(), "draws": draws,
        "noise": noise_level if noise else 0.0},
        results={"baseline": [f.to_dict() for f in base_f], "what_if": [f.to_dict() for f in new_f],
                 "monte_carlo": mc_rows})
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
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Model parameter KEY=VALUE, repeatable.", show_default=False)] = None,
    as_of: AsOfOption = None,
    joint: JointOption = False,
    step: Annotated[float, typer.Option("--step", help="Position moves, in % of the scale (--for).")] = 10.0,
    top: Annotated[int, typer.Option("--top", help="How many levers to list.")] = 10,
    fmt: FormatOption = Format.table,
) -> None:
    """Rank the single changes that serve a goal: --for PARTY (move the forecast toward it) or
    --widen GROUP (widen the win-set intersection)."""
    if top < 1:
        raise ModelError("--top must be 1 or more", where="--top", fix="e.g. --top 10")
    if (widen is None) == (for_ is None):
        raise ModelError("say what the levers are for", where="levers",
                         fix="give either --for PARTY or --widen GROUP, e.g. --widen united-states")
    s = open_scenario(scenario, as_of)
    if widen is not None:
        _widen_levers(s, widen, _model_with_params(model, param), joint, top, fmt)
    else:
        _for_levers(s, for_, model, param, step, top, fmt)


# --- crisis games ------------------------------------------------------------------------------
@app.command()
@recorded("crisis")
def crisis(
    scenario: ScenarioArg = None,
    between: Annotated[tuple[str, str] | None, typer.Option(
        "--between", help="The two sides (group or actor ids); the first may demand first.",
        show_default=False)] = None,
    lam: Annotated[float | None, typer.Option(
        "--lambda", "-l", help="Precision λ of the agent logit QRE (0: random play; large: "
                               "subgame-perfect play); default 10.", show_default=False)] = None,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Write the game tree with its quantal play to this image file (.png, .svg).",
        show_default=False)] = None,
    efg: Annotated[Path | None, typer.Option(
        "--efg", help="Write the game with the scenario's payoffs as a Gambit .efg file.",
        show_default=False)] = None,
    regions: Annotated[Path | None, typer.Option(
        "--regions", help="Write the map of the provocation game's equilibria (prior × cost of "
                          "provoking for the unresolved type) to this image file.",
        show_default=False)] = None,
    signal: Annotated[list[str] | None, typer.Option(
        "--signal", help="A parameter of the provocation game KEY=VALUE, repeatable (e.g. prior=0.3, "
                         "cost_unresolved=1.2; see `standoff docs models/crisis-games`).",
        show_default=False)] = None,
    dynamic: Annotated[bool, typer.Option(
        "--dynamic", help="Also show the dynamics of the dyad: shifting power, disarmament, "
                          "deadlines (as `standoff dynamics`).")] = False,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Solve the interaction game between two sides: outcome odds, the equilibrium path, a tree."""
    from standoff.games.crisis import DEFAULT_LAMBDA
    from standoff.games.crisis import crisis as solve_crisis
    from standoff.games.provocations import read_provocations
    from standoff.games.signalling import signal_game

    s = open_scenario(scenario, as_of)
    if between is None:
        raise ModelError("name the two sides of the crisis", where="--between",
                         fix=f"e.g. --between {' '.join(s.group_ids[:2]) or 'ACTOR ACTOR'}")
    a, b = between
    result = solve_crisis(s, a, b, lam=DEFAULT_LAMBDA if lam is None else lam)
    game = signal_game(parse_params(signal or []))
    signals = [read_provocations(s, x, y, game).assign(sender=x) for x, y in ((b, a), (a, b))]
    signals = [f for f in signals if len(f)]
    if plot is not None:
        from standoff.report.crisis_plots import tree_plot

        _write_image(lambda: tree_plot(result, plot), plot, "--plot")
    if efg is not None:
        from standoff.games.gambit import to_efg

        try:
            efg.write_text(to_efg(result.payoffs, (result.dyad.a.name, result.dyad.b.name),
                                  f"{s.title}: interaction game"))
        except OSError as exc:
            raise ModelError(f"cannot write {efg}: {exc.strerror}", where="--efg",
                             fix="give a writable path") from None
    if regions is not None:
        from standoff.report.crisis_plots import region_plot

        _write_image(lambda: region_plot(game, regions), regions, "--regions")
    dyn_result = None
    if dynamic:
        from standoff.games.dynamics import dynamics_report

        dyn_result = dynamics_report(s, a, b)
    frame = result.outcomes
    record_run(s, model="crisis", params={"between": [a, b], "lambda": result.lam,
                                          "signal": parse_params(signal or []), "dynamic": dynamic},
               results={"forecast": result.to_forecast().to_dict(), "outcomes": frame,
                        "path": result.path_in_words(),
                        "provocations": [r for f in signals for r in f.to_dict(orient="records")],
                        "dynamics": None if dyn_result is None else _dynamics_dict(dyn_result)})
    if fmt is Format.json:
        print(tables.to_json({"forecast": result.to_forecast().to_dict(),
                              "outcomes": frame.to_dict(orient="records"),
                              "path": result.path_in_words(),
                              "provocations": [r for f in signals for r in f.to_dict(orient="records")],
                              "plot": str(plot) if plot else None,
                              "regions": str(regions) if regions else None,
                              "efg": str(efg) if efg else None,
                              "dynamics": None if dyn_result is None else _dynamics_dict(dyn_result)}))
        return
    if fmt is Format.markdown:
        print(f"**{s.title}**, as of {s.date}: {result.dyad.a.name} (A) and {result.dyad.b.name} (B), "
              f"agent logit QRE at λ = {result.lam:g}\n")
        print(tables.to_markdown(frame, floatfmt=".3f"))
        print("\n" + "\n".join(f"{k + 1}. {line}" for k, line in enumerate(result.path_in_words())))
        for f in signals:
            print("\n" + tables.to_markdown(f, floatfmt=".3f"))
    else:
        out.print(tables.crisis_table(result))
        out.print("[bold]Subgame-perfect path[/bold]")
        for k, line in enumerate(result.path_in_words()):
            out.print(f"  {k + 1}. {line}")
        for f in signals:
            out.print(tables.provocation_table(f))
    if dyn_result is not None:
        print_dynamics(dyn_result, fmt)
    if plot is not None:
        print(f"tree plot written to {plot}")
    if regions is not None:
        print(f"equilibrium regions written to {regions}")
    if efg is not None:
        print(f"Gambit game written to {efg}")


def _write_image(draw, path: Path, option: str) -> None:
    """Run a plotting call, turning an unwritable path or unknown image type into a user error."""
    try:
        draw()
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot write {path}: {getattr(exc, 'strerror', None) or exc}", where=option,
                         fix="give a writable path ending in .png, .svg or .pdf") from None


def _for_levers(s: Scenario, for_: str, model: str, param: list[str] | None, step: float, top: int,
                fmt: Format) -> None:
    """`levers --for PARTY`: single changes ranked by how far they move the forecast toward it."""
    from standoff.analysis.levers import levers as find_levers
    from standoff.report import analysis as rep

    m = _one_model(model, param)
    if not 0 < step <= 100 or top < 1:
        raise ModelError("--step must lie in (0, 100] and --top be 1 or more", where="--step/--top",
                         fix="e.g. --step 10 --top 10")
    found, base, d0 = find_levers(s, for_, m, step=step, top=top)
    frame = rep.levers_frame(found)
    record_run(s, model=m.name, params={m.name: m.get_params(), "for": for_, "step": step, "top": top},
               results={"baseline": base, "baseline_distance": d0, "levers": frame})
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

# --- draft: a reviewable draft scenario from an analysis text (issue 12) -------------------------


@app.command()
def draft(
    file: Annotated[Path, typer.Argument(help="A plain-text analysis, cable or news wire (UTF-8).")],
    scenario: Annotated[str | None, typer.Option(
        "--scenario", help="A case or scenario file whose issues and actor aliases to use.",
        show_default=False)] = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="The document's date, YYYY-MM-DD (default: its date line).",
        show_default=False)] = None,
    coder: Annotated[str, typer.Option(
        "--coder", help="Event coder: auto (nlp when the [nlp] extra is installed), keyword or nlp."
    )] = "auto",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Where to write the draft YAML (default: print it).",
        show_default=False)] = None,
) -> None:
    """Draft a scenario from a text, offline: actors, issues, coded events, quotes; numbers as to-dos."""
    from standoff.draft import draft as drafting
    from standoff.draft.coding import nlp_available
    from standoff.draft.dates import parse_date_option

    when = parse_date_option(date) if date is not None else None
    case = load(scenario) if scenario is not None else None
    text = drafting.read_text(file)
    result = drafting.make_draft(text, date=when, scenario=case, coder=coder, name=str(file))
    body = drafting.to_yaml(result)
    notes, scen = result["notes"], result["scenario"]
    if coder == "auto" and not nlp_available():
        err.print("coder: keyword (the [nlp] extra is not installed; install it for the "
                  "sentence-embedding coder)", highlight=False, markup=False)
    else:
        err.print(f"coder: {notes['coder']}", highlight=False, markup=False)
    err.print(f"{len(scen['groups'])} groups, {len(scen['actors'])} actors, {len(scen['issues'])} issues, "
              f"{len(scen['events'])} events, {len(notes['dates'])} dates; {len(notes['todo'])} to-do items",
              highlight=False, markup=False)
    if output is None:
        out.print(body, highlight=False, markup=False, soft_wrap=True)
        return
    try:
        output.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise StandoffError(f"cannot write the draft: {exc.strerror}", file=str(output),
                            fix="choose a writable path for -o") from None
    err.print(f"wrote {output}", highlight=False, markup=False)


# --- run store: standoff runs list|show|diff|export|import (standoff.store) ----------------------
runs_app = typer.Typer(no_args_is_help=True, help="The run store: every recorded forecast and analysis "
                                                   "(`standoff docs store`).")
app.add_typer(runs_app, name="runs")
RunIdArg = Annotated[int, typer.Argument(help="A run id (see `standoff runs list`).", show_default=False)]


def _store(db: str | None):
    from standoff.store import RunStore

    return RunStore(db)


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
    from standoff.store import views

    store = _store(db)
    found = store.runs(limit=limit, kind=kind, case=case)
    if fmt is Format.json:
        print(tables.to_json([r.to_dict() for r in found]))
        return
    _print_frame(views.runs_frame(found), fmt, f"Runs in {store.label}")


@runs_app.command("show")
def runs_show(run_id: RunIdArg, db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """One run: its inputs, parameters and forecast values (--format json: everything stored)."""
    from standoff.store import views

    run = _store(db).get(run_id)
    if fmt is Format.json:
        print(tables.to_json(run.to_dict()))
        return
    _print_frame(views.run_fields(run), fmt, f"Run {run.id}: {run.kind}")
    values = views.forecast_values(run)
    if len(values):
        if fmt is Format.markdown:
            print()
        _print_frame(values, fmt, "Forecast values", floatfmt=".2f")


@runs_app.command("diff")
def runs_diff(a: RunIdArg, b: RunIdArg, db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """What differs between two runs: inputs, parameters, and per issue the forecasts."""
    from standoff.store import views

    diff = _store(db).diff(a, b)
    if fmt is Format.json:
        print(tables.to_json(diff.to_dict()))
        return
    inputs, issues = views.diff_inputs(diff), views.diff_issues(diff)
    if len(inputs):
        _print_frame(inputs, fmt, f"Inputs that differ, run {a} vs run {b}")
    else:
        out.print(f"Runs {a} and {b} have the same inputs.") if fmt is Format.table else print(
            f"Runs {a} and {b} have the same inputs.")
    if len(issues):
        if fmt is Format.markdown:
            print()
        _print_frame(issues, fmt, f"Forecasts, run {a} vs run {b} (difference = {b} − {a})", floatfmt=".2f")
    for label, names in ((a, diff.only_a), (b, diff.only_b)):
        if names:
            print(f"only in run {label}: {', '.join(names)}")


@runs_app.command("export")
def runs_export(
    run_id: RunIdArg,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the JSON to this file "
                                                "(default: print it).", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """One run as JSON, everything stored (read back with `standoff runs import`)."""
    text = tables.to_json(_store(db).export(run_id))
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
    print(_store(db).import_run(data))


# --- reports: HTML and Markdown with plots (standoff.report.document) ------------------------------
class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"
    both = "both"


@app.command()
@recorded("report")
def report(
    scenario: Annotated[str, typer.Argument(help="A built-in case name (see `standoff cases`) or a "
                                                 ".yaml/.csv file.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the report into "
                                          "(created if missing).")],
    as_of: AsOfOption = None,
    models: Annotated[str | None, typer.Option(
        "--models", help="Comma-separated model names; default: every model "
                         f"({', '.join(available())}).", show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Model parameter KEY=VALUE (or MODEL.KEY=VALUE), repeatable.",
        show_default=False)] = None,
    actor: Annotated[str | None, typer.Option(
        "--actor", "-a", help="Whose dyads the quadrant chart shows; default: the first actor.",
        show_default=False)] = None,
    monte_carlo: Annotated[int, typer.Option(
        "--monte-carlo", help="Monte Carlo draws per model (0: none).", min=0)] = 0,
    seed: SeedOption = 42,
    sensitivity_: Annotated[bool, typer.Option(
        "--sensitivity", help="Add the one-at-a-time tornado of every uncertain input.")] = False,
    report_format: Annotated[ReportFormat, typer.Option(
        "--format", "-f", help="html, markdown (with PNG files beside it) or both.")] = ReportFormat.both,
) -> None:
    """Write a report with plots: the scenario, every model's forecast, trajectories, the quadrant
    chart, belief paths, crisis odds, win-sets, and (when asked) Monte Carlo and the tornado."""
    from standoff.report.document import build_report, prepare_folder

    s = open_scenario(scenario, as_of)
    names = [n.strip() for n in models.split(",") if n.strip()] if models else list(available())
    chosen = model_params(names, parse_params(param or []))
    folder = prepare_folder(out_dir)
    result = build_report(s, models=names, params=chosen,
                          actor=actor, monte_carlo=monte_carlo, seed=seed, sensitivity=sensitivity_,
                          progress=True)
    written = []
    if report_format in (ReportFormat.html, ReportFormat.both):
        written.append(result.write_html(folder / f"{result.stem}.html"))
    if report_format in (ReportFormat.markdown, ReportFormat.both):
        written.append(result.write_markdown(folder))
    skipped = [sec.title for sec in result.sections if not sec.applies]
    record_run(s, model=",".join(names), params=chosen | {
        "actor": actor, "monte_carlo": monte_carlo, "sensitivity": sensitivity_},
        seed=seed if monte_carlo else None,
        results={"files": [str(p) for p in written], "sections": [
            {"id": sec.id, "title": sec.title, "note": sec.note,
             "tables": [{"caption": t.caption, "columns": list(t.columns), "rows": [list(r) for r in t.rows]}
                        for t in sec.tables()]} for sec in result.sections]})
    for path in written:
        out.print(f"wrote {path}", highlight=False)
    if skipped:
        out.print(f"[dim]left out: {'; '.join(skipped)}[/dim]")


@app.command("docs")
def docs_(name: Annotated[str | None, typer.Argument(
              help="A guide, e.g. scenario-format, limits or models/smp; none: list them.",
              show_default=False)] = None,
          path: Annotated[bool, typer.Option("--path", help="Print only the file's path.")] = False,
          ) -> None:
    """Show a guide of the user documentation shipped with Standoff (the docs/ folder)."""
    from standoff.cli_errors import guide, guide_names

    if name is None:
        for n in guide_names():
            print(n)
        return
    file = guide(name)
    print(file if path else file.read_text(encoding="utf-8"))


# --- web -----------------------------------------------------------------------------------------
@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the web page and its JSON API (OpenAPI docs at /docs)."""
    try:
        import uvicorn

        from standoff.web import create_app
    except ImportError as exc:
        raise StandoffError(f"the web front end needs {exc.name}", where="serve",
                            fix="pip install 'standoff[web]'") from None
    err.print(f"Standoff on http://{host}:{port}/  (API docs: /docs; Ctrl+C stops)")
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")


# --- backtests ---------------------------------------------------------------------------------
class Half(StrEnum):
    fit = "fit"
    eval = "eval"
    all = "all"


@app.command()
@recorded("backtest", case_arg="")
def backtest(
    cases: Annotated[list[str] | None, typer.Argument(
        help="Built-in cases, scenario files with `recorded` outcomes, or DEU III files.",
        show_default=False)] = None,
    models: Annotated[list[str] | None, typer.Option(
        "--models", "--model", "-m", help="Model names (repeatable or comma-separated); default: "
                                         "every model.", show_default=False)] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="Model parameter KEY=VALUE (or MODEL.KEY=VALUE), repeatable.",
        show_default=False)] = None,
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
) -> None:
    """Score every model's forecasts against what really happened: a leaderboard."""
    from standoff.backtest.cases import resolve
    from standoff.backtest.harness import leaderboard, paired_bootstrap, run
    from standoff.backtest.scoring import BacktestError

    names = [n.strip() for item in (models or []) for n in item.split(",") if n.strip()] \
        or list(available())
    model_args = model_params(names, parse_params(param or []))
    if draws < 0 or boot < 1:
        raise BacktestError("--draws must be ≥ 0 and --bootstrap ≥ 1", where="--draws/--bootstrap",
                            fix="e.g. --draws 1000 --bootstrap 2000")
    chosen = resolve(list(cases or []), with_library=library, deu_weights=capabilities)
    split = [c for c in chosen if c.half is not None]
    kept = [c for c in chosen if c.half is None or half is Half.all or c.half == half.value]
    notes = [c.note for c in kept if c.note]
    if split:
        notes.append(f"DEU III: {sum(c.half == 'fit' for c in split)} proposals in the fitting half, "
                     f"{sum(c.half == 'eval' for c in split)} in the evaluation half; scored: "
                     f"{half.value}.")
    bt = run(kept, [make(n, **p) for n, p in model_args.items()], draws=draws, seed=seed,
             noise=noise_level)
    board = leaderboard(bt)
    shown = board.loc[:, [c for c in board.columns if board[c].notna().any()
                          and not (c == "outcomes" and not board[c].any())]]
    boot_frame = None
    if not bt.numeric.empty and baseline in names and bt.numeric.case.nunique() > 1:
        boot_frame = paired_bootstrap(bt, baseline, draws=boot, seed=seed)
    elif not bt.numeric.empty:
        notes.append(f"no bootstrap comparison: it needs the baseline model ({baseline}) among "
                     "the models and at least two cases")
    if report is not None:
        from standoff.report.backtest import write_report

        path = write_report(bt, report, title="Backtest", baseline=baseline, boot_draws=boot,
                            boot_seed=seed, notes=notes,
                            explain=[c for c in kept if c.half is None] if baseline in names else [])
        notes.append(f"report written to {path}")
    def records(frame):  # NaN (no score) as null, for valid JSON
        return frame.astype(object).where(frame.notna(), None).to_dict("records")

    result = {"cases": [c.name for c in kept], "leaderboard": records(board),
              "bootstrap": None if boot_frame is None else records(boot_frame),
              "numeric": records(bt.numeric), "categorical": records(bt.categorical),
              "notes": notes + list(bt.notes)}
    record_run(None, model=",".join(names), seed=seed, results=result,
               params=model_args | {
                   "cases": list(cases or []), "library": library, "half": half.value,
                   "capabilities": str(capabilities), "draws": draws, "baseline": baseline})
    if fmt is Format.json:
        print(tables.to_json(result))
        return
    if fmt is Format.markdown:
        print("**Leaderboard** (errors in points of 0–100 scales)\n")
        print(tables.to_markdown(shown, floatfmt=".3f"))
        if boot_frame is not None:
            print(f"\n**MAE against {baseline}** (95% paired bootstrap over cases, {boot} resamples, "
                  f"seed {seed})\n")
            print(tables.to_markdown(boot_frame, floatfmt=".2f"))
        for line in notes + list(bt.notes):
            print(f"\n- {line}")
        return
    out.print(tables.frame_table(shown, floatfmt=".2f",
                                 title="Leaderboard (errors in points of 0–100 scales)"))
    if boot_frame is not None:
        out.print(tables.frame_table(boot_frame, floatfmt=".2f", title=f"MAE against {baseline}: "
                                     f"95% paired bootstrap over cases ({boot} resamples, seed {seed})"))
    for line in notes + list(bt.notes):
        out.print(f"[dim]{line}[/dim]", highlight=False)


def run() -> None:
    """Entry point: run the app, turning user errors into one-line messages and exit status 2."""
    from rich.markup import escape

    from standoff.cli_errors import run_app

    run_app(app, debug=lambda: _state["debug"],
            err_print=lambda msg: err.print(f"[red]error:[/red] {escape(msg)}", highlight=False,
                                            soft_wrap=True))


if __name__ == "__main__":
    run()
