"""Verbs on games between the parties: `crisis`, `winsets`, `dynamics`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from standoff import tasks
from standoff.cli.analysis import JointOption
from standoff.cli.render import render, view
from standoff.cli.shell import AsOfOption, Format, FormatOption, ParamOption, ScenarioArg, err, out, recorded
from standoff.errors import ModelError
from standoff.games.signalling import KINDS, region_grid
from standoff.report import dynamics as dyn
from standoff.report import tables
from standoff.report import winsets as rep
from standoff.report.crisis_plots import region_plot, tree_plot


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
):
    """Shifting power and preventive war, disarmament and the Libya precedent, deadline bargaining.

    `standoff crisis CASE --between A B --dynamic` prints the same (see docs/models/dynamics.md).
    """
    s = tasks.inputs.open_scenario(scenario, as_of)
    result = tasks.dynamics.run(s, between[0], between[1], missile_tests=missile_tests or [],
                                params=tasks.inputs.parse_params(param or []))
    render(result, fmt)
    if plot is not None:
        err.print(f"plot written to {dyn.plot(result.report, plot)}")
    return result


@view("DynamicsResult")
def _dynamics(result, fmt: Format) -> None:
    """Print a dynamics report (shared by `dynamics` and `crisis --dynamic`)."""
    report = result.report
    a, b = report["dyad"]["a"], report["dyad"]["b"]
    frames = [("Shifting power", dyn.power_frame(report)),
              ("Belief in restraint (track record)", dyn.commitment_frame(report))]
    deadline_frame = dyn.deadline_frame(report)
    if deadline_frame is not None:
        frames.append(("Deadline bargaining", deadline_frame))
    if fmt is Format.markdown:
        print(f"**Dynamics of {a} vs {b}**, as of {report['dyad']['date']}\n")
        for title, frame in frames:
            print(f"*{title}*\n\n{tables.to_markdown(frame, floatfmt='.3f')}\n")
        for line in dyn.summary_lines(report) + report["notes"]:
            print(f"- {line}")
        return
    for title, frame in frames:
        out.print(dyn.rich_table(frame, f"{title} — {a} vs {b}, as of {report['dyad']['date']}"))
    for line in dyn.summary_lines(report):
        out.print(f"[dim]{line}[/dim]")
    for line in report["notes"]:
        out.print(line)


@recorded("winsets")
def winsets(
    scenario: ScenarioArg = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Model of the internal and the "
                                       "international bargains.")] = "compromise",
    param: ParamOption = None,
    as_of: AsOfOption = None,
    joint: JointOption = False,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Also draw the win-sets on each issue scale to this file (.png/.svg/.pdf).",
        show_default=False)] = None,
    fmt: FormatOption = Format.table,
):
    """Two-level game: each group's position and win-set, their intersection and the deal."""
    s = tasks.inputs.open_scenario(scenario, as_of)
    m = tasks.inputs.make_models([model], tasks.inputs.parse_params(param or []))[0]
    result = tasks.winsets.run(s, m, joint=joint)
    if plot is not None:
        rep.plot(result.analysis, s, plot)
    render(result, fmt)
    if plot is not None and fmt is Format.table:
        out.print(f"plot written to {plot}")
    return result


@view("WinsetsResult")
def _winsets(result, fmt: Format) -> None:
    s, found = result.scenario, result.analysis
    if fmt is Format.markdown:
        print(rep.markdown(found, s, tables.to_markdown))
        return
    out.print(rep.winsets_table(found, s))
    out.print(rep.deal_table(found))
    for line in rep.summary_lines(found):
        out.print(f"[dim]{line}[/dim]")


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
):
    """Solve the interaction game between two sides: outcome odds, the equilibrium path, a tree."""
    s = tasks.inputs.open_scenario(scenario, as_of)
    if between is None:
        raise ModelError("name the two sides of the crisis", where="--between",
                         fix=f"e.g. --between {' '.join(s.group_ids[:2]) or 'ACTOR ACTOR'}")
    a, b = between
    result = tasks.crisis.run(s, a, b, lam=lam, signal=tasks.inputs.parse_params(signal or []),
                              dynamic=dynamic)
    if plot is not None:
        _write_image(lambda: tree_plot(result.solved, plot), plot, "--plot")
    if efg is not None:
        tasks.crisis.write_efg(result, efg)
    if regions is not None:
        _write_image(lambda: region_plot(region_grid(result.game), KINDS, regions), regions, "--regions")
    result.files = {"plot": plot, "regions": regions, "efg": efg}
    render(result, fmt)
    if fmt not in (Format.json, Format.csv, Format.xlsx):
        for path, what in ((plot, "tree plot"), (regions, "equilibrium regions"), (efg, "Gambit game")):
            if path is not None:
                print(f"{what} written to {path}")
    return result


@view("CrisisResult")
def _crisis(result, fmt: Format) -> None:
    s, solved, frame = result.scenario, result.solved, result.solved.outcomes
    if fmt is Format.markdown:
        print(f"**{s.title}**, as of {s.date}: {solved.dyad.a.name} (A) and {solved.dyad.b.name} (B), "
              f"agent logit QRE at λ = {solved.lam:g}\n")
        print(tables.to_markdown(frame, floatfmt=".3f"))
        print("\n" + "\n".join(f"{k + 1}. {line}" for k, line in enumerate(solved.path_in_words())))
        for f in result.signals:
            print("\n" + tables.to_markdown(f, floatfmt=".3f"))
    else:
        out.print(tables.crisis_table(solved))
        out.print("[bold]Subgame-perfect path[/bold]")
        for k, line in enumerate(solved.path_in_words()):
            out.print(f"  {k + 1}. {line}")
        for f in result.signals:
            out.print(tables.provocation_table(f))
    if result.dynamics is not None:
        _dynamics(result.dynamics, fmt)


def _write_image(draw: Callable[[], object], path: Path, option: str) -> None:
    """Run a plotting call, turning an unwritable path or unknown image type into a user error."""
    try:
        draw()
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot write {path}: {getattr(exc, 'strerror', None) or exc}", where=option,
                         fix="give a writable path ending in .png, .svg or .pdf") from None
