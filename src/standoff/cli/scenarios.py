"""Verbs on scenarios themselves: `cases`, `show`, `validate`, `new`, `convert`, `draft`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from standoff import tasks
from standoff.cli.errors import guide, guide_names
from standoff.cli.render import render, view
from standoff.cli.shell import AsOfOption, Format, FormatOption, ScenarioArg, err, out
from standoff.draft import additions, coding
from standoff.draft import draft as drafting
from standoff.draft.dates import parse_date_option
from standoff.errors import StandoffError
from standoff.loading import load
from standoff.report import tables
from standoff.scenario import io as scenario_io
from standoff.scenario.formats.xlsx import left_out
from standoff.scenario.registry import writer_for
from standoff.scenario.template import template
from standoff.tasks import to_json


def cases(fmt: FormatOption = Format.table) -> None:
    """List the built-in cases, a line each."""
    render(tasks.cases.list_cases(), fmt, json_print=out.print_json)


@view("CasesResult")
def _cases(result, fmt: Format) -> None:
    if fmt is Format.markdown:
        print(tables.to_markdown(result.to_frame()))
        return
    for r in result.rows:
        out.print(f"[bold]{r['case']:<18}[/bold] {r['title']} "
                  f"[dim]({r['actors']} actors, {r['issues']} issues, {r['events']} events)[/dim]")


def show(scenario: ScenarioArg = None, as_of: AsOfOption = None,
         fmt: FormatOption = Format.table) -> None:
    """Print actors × issues with positions and saliences."""
    s = tasks.inputs.open_scenario(scenario, as_of)
    render(tasks.cases.ShowResult(s), fmt)


@view("ShowResult")
def _show(result, fmt: Format) -> None:
    s = result.scenario
    if fmt is Format.markdown:
        print(tables.to_markdown(result.to_frame(), floatfmt="g"))
        return
    out.print(tables.scenario_table(s))
    for issue in s.issues:
        points = ", ".join(f"{a.value:g} {a.label}" for a in issue.anchors)
        sq = f"; status quo {issue.status_quo.mode:g}" if issue.status_quo else ""
        out.print(f"[bold]{issue.id}[/bold]: {issue.title}{sq}" + (f"\n  [dim]{points}[/dim]"
                                                                     if points else ""))


def validate(files: Annotated[list[Path], typer.Argument(
                 help="Scenario files (.yaml, .xlsx, .xml, .csv) or built-in case names; each is reported.")],
             fmt: FormatOption = Format.table) -> None:
    """Check scenario files (or built-in cases) and report every problem found in each."""
    results = [tasks.cases.validate(file) for file in files]
    if fmt is Format.json and len(results) > 1:
        print(to_json([r.to_dict() for r in results]))
    else:
        for result in results:
            render(result, fmt)
    if not all(r.valid for r in results):
        raise typer.Exit(2)


@view("ValidateResult")
def _validate(result, fmt: Format) -> None:
    file = result.file
    if result.error is not None:
        problems = result.error.problems
        print(result.error.report(), file=sys.stderr)
        if len(problems) > 1:  # a single problem's line already names the file
            err.print(f"[red]{len(problems)} problems[/red] in {file}", highlight=False)
        return
    s = result.scenario
    out.print(f"[green]ok[/green] {file}: {len(s.actors)} actors, {len(s.issues)} issues, "
              f"{len(s.groups)} groups, {len(s.events)} events", highlight=False)


def new(
    case_id: Annotated[str, typer.Argument(help="The new case's id: lower-case words joined by hyphens.",
                                           show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Where to write it (default: CASE-ID.yaml here); '-' prints it.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented template scenario to fill in (it validates as it is)."""
    text = template(case_id)
    if output is not None and str(output) == "-":
        print(text, end="")
        return
    path = output or Path(f"{case_id}.yaml")
    if path.exists() and not force:
        raise StandoffError(f"{path} exists", where="new", fix="choose another path with -o, or add --force "
                                                               "to replace it")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise StandoffError(f"cannot write {path}: {exc.strerror or exc}", where="--output",
                            fix="give a writable path with -o") from None
    err.print(f"wrote {path}: fill in the TODOs, then `standoff validate {path}`", highlight=False,
              markup=False, soft_wrap=True)


def convert(
    scenario: Annotated[str, typer.Argument(
        help="A built-in case or a scenario file (.yaml, .xlsx, KTAB .xml or .csv, Decide .csv).",
        show_default=False)],
    output: Annotated[Path, typer.Argument(
        help="The file to write; its suffix picks the format: .yaml, .xlsx, or .csv with --to.",
        show_default=False)],
    to: Annotated[str | None, typer.Option(
        "--to", help="The format, where a suffix has several: ktab or decide for .csv.",
        show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Write the values as of this date (YYYY-MM-DD) or 'last'; default: the baseline.",
        show_default=False)] = None,
) -> None:
    """Write a scenario in another file format (e.g. a YAML case as an .xlsx workbook and back)."""
    s = load(scenario, as_of=as_of) if as_of else load(scenario)
    fmt = writer_for(output.suffix, to)
    scenario_io.write_scenario(s, output, fmt.name)
    lost = left_out(s) if fmt.name != "yaml" else []
    err.print(f"wrote {output} as {fmt.title or fmt.name}" + (
        f"; not in this format, left out: {', '.join(lost)}" if lost else ""),
        highlight=False, markup=False, soft_wrap=True)


def _draft_additions(text: str, case, when, coder: str, file: Path, output: Path | None,
                     effects: bool) -> None:
    """`draft --scenario`: the case with what the text adds (standoff.draft.additions)."""
    path = Path(case.path) if case.path else None
    case_yaml = path.read_text(encoding="utf-8") if path is not None and path.suffix.lower() in \
        (".yaml", ".yml") else scenario_io.to_yaml(case)
    result = additions.add_to_case(text, case, case_yaml, date=when, coder=coder, name=str(file),
                                   effects=effects)
    _say_coder(coder, result.notes["coder"])
    with_effects = sum(1 for e in result.events if e.get("effects"))
    err.print(f"{case.id}: {len(result.events)} events added (source {result.source_id}, proposed effects "
              f"on {with_effects}), "
              f"{len(result.known)} already in the case; {len(result.new_actors)} actors the case lacks and "
              f"{len(result.held)} events that need them listed in the header; every value of the case kept",
              highlight=False, markup=False)
    _write(result.yaml, output)


def _say_coder(coder: str, note: str) -> None:
    if coder == "auto" and not coding.nlp_available():
        err.print("coder: keyword (the [nlp] extra is not installed; install it for the "
                  "sentence-embedding coder)", highlight=False, markup=False)
    else:
        err.print(f"coder: {note}", highlight=False, markup=False)


def _write(body: str, output: Path | None) -> None:
    if output is None:
        out.print(body, highlight=False, markup=False, soft_wrap=True)
        return
    try:
        output.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise StandoffError(f"cannot write the draft: {exc.strerror}", file=str(output),
                            fix="choose a writable path for -o") from None
    err.print(f"wrote {output}", highlight=False, markup=False)


def docs(name: Annotated[str | None, typer.Argument(
             help="A guide, e.g. scenario-format, limits or models/smp; none: list them.",
             show_default=False)] = None,
         path: Annotated[bool, typer.Option("--path", help="Print only the file's path.")] = False,
         ) -> None:
    """Show a guide of the user documentation shipped with Standoff (the docs/ folder)."""

    if name is None:
        for n in guide_names():
            print(n)
        return
    file = guide(name)
    print(file if path else file.read_text(encoding="utf-8"))


def draft(
    file: Annotated[Path, typer.Argument(help="A plain-text analysis, cable or news wire (UTF-8).")],
    scenario: Annotated[str | None, typer.Option(
        "--scenario", help="A case or scenario file to add the text's events to (all of it kept).",
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
    effects: Annotated[bool, typer.Option(
        "--effects/--no-effects", help="With --scenario: propose effects on the added events "
        "(standoff.events.proposals)."
    )] = True,
) -> None:
    """Draft a scenario from a text, offline (actors, issues, coded events, quotes; numbers as to-dos),
    or with --scenario add what the text reports to that case, keeping all of it."""
    when = parse_date_option(date) if date is not None else None
    case = load(scenario) if scenario is not None else None
    text = drafting.read_text(file)
    if case is not None:
        _draft_additions(text, case, when, coder, file, output, effects)
        return
    result = drafting.make_draft(text, date=when, scenario=case, coder=coder, name=str(file))
    body = drafting.to_yaml(result)
    notes, scen = result["notes"], result["scenario"]
    _say_coder(coder, notes["coder"])
    err.print(f"{len(scen['groups'])} groups, {len(scen['actors'])} actors, {len(scen['issues'])} issues, "
              f"{len(scen['events'])} events, {len(notes['dates'])} dates; {len(notes['todo'])} to-do items",
              highlight=False, markup=False)
    _write(body, output)
