"""Verbs on event data: `events import|summary|beliefs` and `explain`."""

from __future__ import annotations

import shutil
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from standoff import tasks
from standoff.cli.render import dim, print_frame, print_report, render, view
from standoff.cli.shell import (
    Bar,
    Format,
    FormatOption,
    ParamOption,
    PlotOption,
    ScenarioArg,
    UntilOption,
    err,
    out,
    recorded,
)
from standoff.data import case_path
from standoff.errors import StandoffError
from standoff.events.beliefs import read_beliefs
from standoff.events.proposals import ProposalRule
from standoff.events.store import atomic_write, save_scenario
from standoff.events.stories import StoryRule
from standoff.loading import load
from standoff.report.event_plots import plot_beliefs, plot_summary
from standoff.scenario import read_scenario
from standoff.tasks.inputs import DEFAULT_CASE

events_app = typer.Typer(no_args_is_help=True,
                         help="Event data: import, summarise, belief paths, update a case from the news.")

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


# --- events update ------------------------------------------------------------------------------
class Accept(StrEnum):
    all = "all"
    none = "none"
    interactive = "interactive"


def _rule_params(items: list[str]) -> dict[str, float]:
    params = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            params[key.strip().replace("-", "_")] = int(value) if key.strip() == "digits" else float(value)
        except ValueError:
            raise StandoffError(f"--rule {item!r} is not KEY=NUMBER", where="--rule",
                                fix="e.g. --rule pull=0.1 (keys: pull, verbal, salience_step, "
                                    "capability_step, min_change, digits)") from None
    unknown = set(params) - set(ProposalRule.__slots__)
    if unknown:
        raise StandoffError(f"unknown rule parameter {', '.join(sorted(unknown))}", where="--rule",
                            fix=f"use {', '.join(ProposalRule.__slots__)}")
    return params


def _target(case: str, out_file: Path | None, writes: bool) -> Path | None:
    """Where an accepted update is written: -o, else the case's own YAML file; None when there is no
    such file and nothing is to be accepted (`writes` False), an error when something may be."""
    if out_file is not None:
        if out_file.suffix.lower() not in (".yaml", ".yml"):
            raise StandoffError(f"cannot write the updated case to {out_file}: not a .yaml file", where="-o",
                                fix="give -o CASE.yaml")
        return out_file
    if case_path(case) is not None or not Path(case).is_file():
        if writes:
            raise StandoffError(f"{case} is a built-in case: its file is not changed", where="-o",
                                fix="give -o CASE.yaml for the updated case")
        return None
    if Path(case).suffix.lower() not in (".yaml", ".yml"):
        if writes:
            raise StandoffError(f"{case} is not a YAML file: the updated case cannot be written over it",
                                where="-o", fix="give -o CASE.yaml for the updated case")
        return None
    return Path(case)


def _show(a, found) -> None:
    """One proposal for the analyst: evidence, effects with their arithmetic, forecast before and after."""
    p = a.proposal
    err.print(f"\n[bold]{p.id}[/bold]  {p.event.date}  {p.event.actor} → {p.event.target}  "
              f"CAMEO {p.event.cameo}: {escape(p.event.description)}", highlight=False)
    for story in p.stories:
        where = "; ".join(r.where for r in story.reports if r.where)
        err.print(f"  evidence: {len(story.reports)} report(s) from {escape(', '.join(story.sources) or '?')}"
                  + (f" ({escape(where)})" if where else ""), highlight=False)
    for reason in p.reasons:
        err.print(f"  proposes: {escape(reason)}", highlight=False)
    moves = ", ".join(f"{k} {a.before[k]:.2f} → {a.after[k]:.2f}" for k in a.before)
    err.print(f"  forecast ({found.model.name}): {moves}", highlight=False)


def _ask(found) -> tuple[dict[str, str], dict[str, list]]:
    """Accept, edit or reject each proposal at the prompt (on stderr); an edit asks each effect's change."""
    decisions, edits = {}, {}
    for a in found.assessed:
        _show(a, found)
        choice = ""
        while choice not in ("a", "e", "r"):
            choice = str(typer.prompt(f"{a.proposal.id}: accept, edit or reject? [a/e/r]", default="r",
                                      err=True)).strip().lower()[:1]
        if choice == "r":
            decisions[a.proposal.id] = "reject"
            continue
        decisions[a.proposal.id] = "accept"
        if choice == "e":
            kept = []
            for e in a.proposal.effects:
                what = f"{e.actor} {e.field}{' on ' + e.issue if e.issue else ''}"
                by = typer.prompt(f"  change of {what} (0 drops it)", default=e.by, type=float, err=True)
                if by != 0:
                    kept.append(e.model_copy(update={"by": by, "note": f"edited from the rule's {e.by:+g}"
                                                     if by != e.by else e.note}))
            edits[a.proposal.id] = kept
    return decisions, edits


@events_app.command("update")
@recorded("events-update")
def events_update(
    scenario: Annotated[str, typer.Argument(help="The case to update: a built-in case or a .yaml file.")],
    events_file: Annotated[Path, typer.Option("--events", help="New events (ICEWS, GDELT, PLOVER, CSV).")],
    source_format: FromOption = None,
    accept: Annotated[Accept, typer.Option(
        "--accept", help="all, none (list the proposals only) or interactive (accept, edit or reject "
                         "each at the prompt).")] = Accept.none,
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the updated case here (default: the case's own file; a built-in case "
                            "needs -o).", show_default=False)] = None,
    model: Annotated[str, typer.Option("--model", "-m", help="The model of the forecasts before and after.")]
    = "compromise",
    param: ParamOption = None,
    window: Annotated[int, typer.Option("--window", min=0, help="Story rule: days after a story's "
                                        "first report that a report may still join it.")] = 1,
    similarity: Annotated[float, typer.Option("--similarity", min=0.0, max=1.0,
                                              help="Story rule: least text similarity (0..1).")] = 0.3,
    match: Annotated[str, typer.Option("--match", help="Story rule: reports share the CAMEO `root` "
                                                        "or only the `quad` class.")] = "root",
    rule: Annotated[list[str] | None, typer.Option(
        "--rule", help="Proposal rule parameter KEY=NUMBER, repeatable (pull, verbal, salience_step, "
                       "capability_step, min_change, digits).", show_default=False)] = None,
    progress: ProgressOption = True,
    fmt: FormatOption = Format.table,
):
    """Propose effects from new events (merged into stories) and write the accepted ones into the case."""
    s = load(scenario)
    target = _target(scenario, out_file, writes=accept is not Accept.none)
    m = tasks.inputs.make_models([model], tasks.inputs.parse_params(param or []))[0]
    found = tasks.update.proposals(
        s, events_file, model=m, source_format=source_format,
        story_rule=StoryRule(window_days=window, match=match, similarity=similarity),
        rule=ProposalRule(**_rule_params(rule or [])), progress=Bar() if progress else None)
    if accept is Accept.interactive:
        print_report(found.report, Format.table)
        decisions, edits = _ask(found)
        result = tasks.update.decide(found, decisions, edits)
    else:
        result = tasks.update.decide_all(found, accept.value)
    if result.accepted:
        path = Path(s.path) if s.path else None
        if path is not None and path.suffix.lower() in (".yaml", ".yml") and path.is_file():
            text = tasks.update.case_text(result, path.read_text(encoding="utf-8"), file=str(path))
            with atomic_write(target) as fh:  # the case's lines kept, the accepted events appended
                fh.write(text)
        else:
            save_scenario(result.updated, target)
        read_scenario(target)  # the file written validates
        result.written = target
    elif out_file is not None and s.path and Path(s.path).resolve() != out_file.resolve():
        shutil.copyfile(s.path, out_file)  # nothing accepted: the case as it was, byte for byte
        result.written = out_file
    render(result, fmt)
    return result


@view("UpdateResult")
def _update(result, fmt: Format) -> None:
    found = result.found
    c = found.counts()
    print_report(found.report, fmt)
    title = (f"{found.file.name}: {c['reports']} reports matched, {c['stories']} stories, "
             f"{c['proposals']} proposals ({len(result.accepted)} accepted)")
    frame = result.to_frame()
    if len(frame):
        print_frame(frame, fmt, title)
    else:
        dim([title])
    before, after = result.before, result.after
    lines = [f"{f.issue}: {f.value:.2f} → {after.value(f.issue):.2f} ({after.value(f.issue) - f.value:+.2f})"
             for f in before.issues]
    head = f"forecast ({found.model.name}, as of {found.date}) before → after the accepted proposals:"
    if fmt is Format.markdown:
        print(f"\n{head}\n\n" + "\n".join(f"- {line}" for line in lines))
    else:
        out.print(head, highlight=False)
        for line in lines:
            out.print(f"  {line}", highlight=False)
    if result.written is not None:
        err.print(f"wrote {result.written}")
    else:
        err.print("nothing accepted: the case is unchanged" if not result.accepted else "")
