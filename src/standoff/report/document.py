"""A report on one scenario as plain data: sections of text, tables (cells already formatted) and
figures (PNG bytes). :func:`build_document` lays out the results the report task
(:func:`standoff.tasks.report.run`) computed; `report.html` and `report.markdown` render
the document, and the web page can render the same sections its own way. Nothing here runs a
model or an analysis.

Sections, in order: the scenario (actors × issues with their sources), every model's forecast,
round-by-round trajectories, the quadrant chart of one actor's dyads, belief paths, the crisis
game and the dyad's dynamics, the two-level game, and, when asked for, Monte Carlo and the
sensitivity tornado. A section that does not apply to the scenario keeps its place with a
one-line note saying why.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from standoff import lazy
from standoff.models.forecast import Forecast
from standoff.report import html, markdown, style
from standoff.report.analysis import (
    calibration_line,
    histogram_plot,
    outcome_line,
    tornado_plot,
    uncertainty_frame,
)
from standoff.report.blocks import Block, Figure, Section, Table, Text
from standoff.report.crisis_plots import qre_plot, tree_plot
from standoff.report.dynamics import commitment_frame, deadline_frame, power_frame, summary_lines
from standoff.report.dynamics import plot as dynamics_plot
from standoff.report.event_plots import plot_beliefs
from standoff.report.forecast_plots import forecasts_plot, quadrant_plot, trajectory_plot
from standoff.report.tables import band_text, calibration_lines, odds_frame, odds_lines, rounds_frame
from standoff.report.winsets import plot as winsets_plot
from standoff.report.winsets import summary_lines as winsets_lines
from standoff.scenario import Scenario
from standoff.tasks.base import Recording, Result
from standoff.tasks.report import (
    BeliefPath,
    Crisis,
    Dyads,
    MonteCarloRun,
    ReportBundle,
    ReportError,
    Skipped,
    Tornado,
)
from standoff.tasks.report import run as run_report

pd = lazy.load("pandas")

__all__ = ["Block", "Figure", "Report", "ReportError", "ReportRun", "Section", "Table", "Text",
           "build_document", "build_report", "prepare_folder", "sections_view", "write_report"]


# --- the document ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    """A report on one scenario: a title, facts about the run, and sections."""

    title: str
    scenario: str
    date: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    description: str = ""

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures()]

    @property
    def stem(self) -> str:
        """The file-name stem of the report's files: `<scenario>-report`."""
        return f"{self.scenario}-report"

    def to_html(self) -> str:
        return html.render(self)

    def to_markdown(self, image_prefix: str = "") -> str:
        return markdown.render(self, image_prefix)

    def write_html(self, path: str | Path) -> Path:
        """Write the self-contained HTML file (atomically: a temporary file, then a rename)."""
        path = Path(path)
        prepare_folder(path.parent)
        _atomic_write(path, self.to_html().encode("utf-8"))
        return path

    def write_markdown(self, folder: str | Path) -> Path:
        """Write `<stem>.md` and its PNG figures (`<stem>-<figure>.png`) into `folder`; every file
        goes to a temporary name first and is renamed once written, the Markdown last. The folder
        is created if missing."""
        folder = prepare_folder(folder)
        for fig in self.figures:
            _atomic_write(folder / f"{self.stem}-{fig.name}.png", fig.png)
        path = folder / f"{self.stem}.md"
        _atomic_write(path, self.to_markdown(f"{self.stem}-").encode("utf-8"))
        return path


_UMASK = os.umask(0)
os.umask(_UMASK)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ReportError(f"cannot write into {path.parent}: {exc.strerror}", file=str(path.parent),
                          where="-o", fix="give a folder you can write to") from None
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ReportError(f"cannot write {path}: {exc.strerror}", file=str(path), where="-o",
                          fix="give a folder you can write to, with free space") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(report: Report, folder: str | Path, formats: Sequence[str] = ("html", "markdown")
                 ) -> tuple[Path, ...]:
    """Write the report into `folder` in each of `formats` ("html": `<stem>.html`; "markdown":
    `<stem>.md` and its PNG figures); the paths of the HTML and Markdown files written."""
    folder = prepare_folder(folder)
    written = []
    if "html" in formats:
        written.append(report.write_html(folder / f"{report.stem}.html"))
    if "markdown" in formats:
        written.append(report.write_markdown(folder))
    return tuple(written)


def sections_view(report: Report) -> list[dict[str, Any]]:
    """Each section's id, title, note and tables (caption, columns, rows of formatted cells): what
    a recorded report keeps and what the web page shows beside the HTML."""
    return [{"id": sec.id, "title": sec.title, "note": sec.note,
             "tables": [{"caption": t.caption, "columns": list(t.columns), "rows": [list(r) for r in t.rows]}
                        for t in sec.tables()]} for sec in report.sections]


@dataclass(frozen=True)
class ReportRun(Result):
    """A report as run, laid out and written: what the run store keeps of it (the files written
    and each section's tables, under the models and options the report was asked for)."""

    kind: ClassVar[str] = "report"

    bundle: ReportBundle
    document: Report
    files: tuple[Path, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"files": [str(p) for p in self.files], "sections": sections_view(self.document)}

    def to_frame(self) -> pd.DataFrame:
        return self.bundle.to_frame()

    def recording(self) -> Recording:
        b = self.bundle
        o = b.options
        return Recording(scenario=b.scenario, model=",".join(b.models), params=o["params"] | {
            "actor": o["actor"], "monte_carlo": o["monte_carlo"], "sensitivity": o["sensitivity"]},
            results=self.to_dict(), seed=b.seed if b.draws else None)


def prepare_folder(folder: str | Path) -> Path:
    """Create the output folder if needed and check that files can be written in it."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".standoff-check.")
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise ReportError(f"cannot write into {folder}: {exc.strerror or exc}", file=str(folder),
                          where="-o", fix="give a folder you can write to") from None
    return folder


# --- helpers -----------------------------------------------------------------------------------
def num(x: float | None, fmt: str = ".2f") -> str:
    """A number as a table cell (empty for None/NaN)."""
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return ""
    return format(x, fmt)


def frame_table(frame: pd.DataFrame, caption: str = "", floatfmt: str = ".2f",
                formats: dict[str, str] | None = None) -> Table:
    """A DataFrame as a Table: floats with `floatfmt` (or the column's own format), the rest str."""
    formats = formats or {}
    numeric = tuple(bool(pd.api.types.is_numeric_dtype(frame[c])) and frame[c].dtype != bool
                    for c in frame.columns)
    rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for c, v in zip(frame.columns, row, strict=True):
            if isinstance(v, (float, np.floating)):
                cells.append(num(float(v), formats.get(c, floatfmt)))
            elif v is None:
                cells.append("")
            else:
                cells.append(str(v))
        rows.append(tuple(cells))
    return Table(tuple(map(str, frame.columns)), tuple(rows), caption, numeric)


def _png(fig) -> bytes:
    """A matplotlib Figure as PNG bytes (the figure is closed)."""
    buf = io.BytesIO()
    style.save(fig, buf)
    return buf.getvalue()


def value_cell(v, fmt: str = "g") -> str:
    """A scenario value: the point, and its range or spread where it has one."""
    text = format(v.mode, fmt)
    if v.low is not None and v.high is not None:
        text += f" ({v.low:g}–{v.high:g})"
    elif v.sd is not None:
        text += f" (sd {v.sd:g})"
    return text


# --- sections ----------------------------------------------------------------------------------
def scenario_section(s: Scenario) -> Section:
    """Actors × issues (capability, positions, saliences, the sources cited), the issues with their
    labelled points, and the sources."""
    blocks: list[Block] = []
    if s.description:
        blocks.append(Text(" ".join(s.description.split())))
    cols = ["actor", "name", "group", "capability"]
    for i in s.issue_ids:
        cols += [f"{i} position", f"{i} salience"]
    cols.append("sources")
    rows = []
    for a in s.actors:
        cells = [a.id, a.name, a.group or "", value_cell(a.capability)]
        cited = [a.capability.source]
        for i in s.issue_ids:
            cells += [value_cell(a.positions[i]), value_cell(a.salience[i])]
            cited += [a.positions[i].source, a.salience[i].source]
        cells.append(", ".join(dict.fromkeys(c for c in cited if c)))
        rows.append(tuple(cells))
    numeric = tuple(c not in ("actor", "name", "group", "sources") for c in cols)
    blocks.append(Table(tuple(cols), tuple(rows),
                        f"Actors × issues as of {s.date}: capability, position and salience (0–100); "
                        "ranges in brackets are the uncertainty Monte Carlo draws from.", numeric))
    issue_rows = []
    for issue in s.issues:
        points = "; ".join(f"{a.value:g} {a.label}" for a in issue.anchors)
        issue_rows.append((issue.id, issue.title, f"{issue.min:g}–{issue.max:g}",
                           "" if issue.status_quo is None else f"{issue.status_quo.mode:g}", points))
    blocks.append(Table(("issue", "title", "scale", "status quo", "labelled points"), tuple(issue_rows),
                        "The issues and the labelled points of their scales.",
                        (False, False, False, True, False)))
    if s.sources:
        src_rows = tuple((x.id, x.title, x.publisher or "", str(x.date or ""), x.url or "")
                         for x in s.sources)
        blocks.append(Table(("source", "title", "publisher", "date", "address"), src_rows,
                            "The sources the values cite."))
    return Section("scenario", "The scenario", tuple(blocks))


def forecast_section(s: Scenario, forecasts: Sequence[Forecast], titles: dict[str, str]) -> Section:
    """Every model's forecast per issue with its nearest labelled point; the closest named deal.
    `titles` maps a model's name to its title."""
    rows = []
    for i in s.issue_ids:
        for f in forecasts:
            x = next(x for x in f.issues if x.issue == i)
            point = "" if x.nearest_point is None else f"{x.nearest_point} ({x.nearest_point_value:g})"
            rows.append((i, f.model, num(x.value), band_text(x.band80), band_text(x.band95), point,
                         "" if x.status_quo is None else f"{x.status_quo:g}",
                         "" if x.rounds is None else str(x.rounds),
                         "" if x.converged is None else ("yes" if x.converged else "no")))
    blocks: list[Block] = [Table(
        ("issue", "model", "forecast", "80% band", "95% band", "nearest labelled point", "status quo",
         "rounds", "converged"),
        tuple(rows), "Each model's forecast on each issue with its bands from out-of-sample errors, "
                     "and the labelled point of the scale nearest to it.",
        (False, False, True, True, True, False, True, True, False))]
    blocks += [Text(line) for line in calibration_lines(forecasts)]
    odds = odds_frame(forecasts)
    if not odds.empty:
        blocks.append(frame_table(odds, "Named outcomes: the probability of each (one formula, "
                                        "docs/backtest.md).", floatfmt=".3f"))
        blocks += [Text(line) for line in odds_lines(forecasts)]
    named = [(f.model, f.nearest_outcome, num(f.nearest_outcome_distance, ".1f")) for f in forecasts
             if f.nearest_outcome is not None]
    if named:
        blocks.append(Table(("model", "closest named outcome", "distance"), tuple(named),
                            "The scenario's named deal closest to each forecast (root-mean-square "
                            "distance over the deal's issues, each scale taken as 0–100).",
                            (False, False, True)))
    probs = [(f.model, k, num(v, ".3f")) for f in forecasts
             for k, v in (f.outcome_probabilities or {}).items()]
    if probs:
        blocks.append(Table(("model", "outcome", "probability"), tuple(probs),
                            "Outcome probabilities of the models that give them.", (False, False, True)))
    blocks.append(Figure("forecasts", _png(forecasts_plot(s, forecasts)),
                         "Each model's forecast on each issue scale, with the actors' positions "
                         "(grey, larger for more capability × salience) and the status quo."))
    models = "; ".join(f"{f.model} ({titles.get(f.model) or f.model})" for f in forecasts)
    return Section("forecasts", "Forecasts", (Text(f"Models: {models}."), *blocks))


def trajectory_section(s: Scenario, forecasts: Sequence[Forecast]) -> Section:
    """The round-by-round forecast of every model that bargains in rounds."""
    blocks: list[Block] = []
    for f in forecasts:
        frame = rounds_frame(f)
        if frame.empty:
            continue
        blocks.append(Figure(f"rounds-{f.model}", _png(trajectory_plot(f, scenario=s)),
                             f"{f.model}: the forecast of each issue after each round."))
        blocks.append(frame_table(frame, f"{f.model}: the forecast after each round (round 0: the "
                                         "start); 'mean' columns: the clout-weighted mean position."))
    if not blocks:
        return Section("trajectories", "Round by round",
                       note="None of the chosen models bargains in rounds.")
    return Section("trajectories", "Round by round", tuple(blocks))


def dyads_section(s: Scenario, dyads: Sequence[Dyads], actor: str) -> Section:
    """Bueno de Mesquita's quadrant chart of `actor` for each model that exposes the expected
    utilities of the dyads in its forecast's detail."""
    title = f"Quadrant chart: {actor}'s dyads"
    blocks: list[Block] = []
    for d in dyads:
        if not d.frames:
            continue
        titled = [(s.issue(i).title, fr) for i, fr in d.frames]
        blocks.append(Figure(f"quadrant-{d.model}", _png(quadrant_plot(
            titled, actor, title=f"{d.model}: {actor} against each other actor, round 1")),
            f"{d.model}: each other actor j at ({actor}'s expected utility of challenging j, j's "
            f"expected utility of challenging {actor}) in the first round, one panel per issue."))
        for issue, frame in d.frames:
            blocks.append(frame_table(frame, f"{d.model}, {issue}: {actor}'s dyads in round 1.",
                                      floatfmt="+.3f"))
    if not blocks:
        return Section("dyads", title, note="No chosen model reports the expected utilities of the "
                                            "dyads (the expected utility model, eum, does).")
    return Section("dyads", title, (Text(
        f"E^i(U_ij) is {actor}'s expected utility of challenging actor j, E^j(U_ji) j's of challenging "
        f"{actor}. Both positive: conflict; both negative: stalemate; one positive: the other side "
        "yields, by compromise where the winner's expected utility is the larger in size, else by "
        "capitulation."), *blocks))


def beliefs_section(paths: Sequence[BeliefPath] | Skipped) -> Section:
    """Each belief file's observer: posterior over the target's types, event by event."""
    title = "Belief paths"
    if isinstance(paths, Skipped):
        return Section("beliefs", title, note=paths.reason)
    blocks: list[Block] = []
    for n, bp in enumerate(paths):
        frame = bp.frame
        blocks.append(Figure(f"beliefs-{n + 1}", _png(plot_beliefs(frame, title=bp.title)),
                             f"{bp.title}: the posterior of each type (top) and the positions the observer "
                             "perceives (bottom), step by step."))
        formats = {c: ".3f" for c in frame.columns if c.startswith("P(")}
        blocks.append(frame_table(frame.assign(date=frame["date"].astype(str)),
                                  f"{bp.title} ({bp.ignored} events not evidence).", floatfmt=".1f",
                                  formats=formats))
    return Section("beliefs", title, tuple(blocks))


def crisis_section(part: Crisis | Skipped) -> Section:
    """The interaction game between two sides: outcome probabilities (QRE and SPE), the path."""
    title = "Crisis outcome probabilities"
    if isinstance(part, Skipped):
        return Section("crisis", title, note=part.reason)
    r = part.result
    named = r.named.rename(columns={"named_outcome": "outcome", "qre": "QRE probability",
                                    "spe": "subgame-perfect"})[["outcome", "QRE probability",
                                                                "subgame-perfect"]]
    outcomes = r.outcomes.drop(columns=["outcome"]).rename(columns={"named_outcome": "counts as"})
    blocks: list[Block] = [
        Text(f"{r.dyad.a.name} (A) and {r.dyad.b.name} (B); agent logit quantal response equilibrium "
             f"at λ = {r.lam:g}. Subgame-perfect path: " + " ".join(r.path_in_words())),
        frame_table(named, "Probability of each of the scenario's named outcomes.", floatfmt=".3f"),
        frame_table(outcomes, "Every outcome of the interaction game: payoffs and probabilities.",
                    floatfmt=".3f"),
        Figure("crisis-qre", _png(qre_plot(r, part.curve)),
               "Outcome probabilities as the players' choices grow more precise (λ)."),
        Figure("crisis-tree", _png(tree_plot(r)),
               "The game tree with the quantal-response probability of each choice."),
    ]
    return Section("crisis", title, tuple(blocks))


def dynamics_section(r: dict[str, Any] | Skipped) -> Section:
    """Shifting power between the crisis dyad's groups, the commitment problem of disarming, and
    deadline bargaining where the scenario sets a deadline (`standoff dynamics`)."""
    title = "Dynamics: shifting power and commitment"
    if isinstance(r, Skipped):
        return Section("dynamics", title, note=r.reason)
    a, b = r["dyad"]["a"], r["dyad"]["b"]
    blocks: list[Block] = [
        Figure("dynamics", _png(dynamics_plot(r)),
               f"The probability that {a} prevails in a war, period by period, with the static and the "
               "dynamic (credible) bargaining ranges."),
        frame_table(power_frame(r), f"Shifting power: {a} vs {b}, period by period.", floatfmt=".3f"),
        frame_table(commitment_frame(r), "Belief in restraint after disarming (the track record).",
                    floatfmt=".3f"),
    ]
    deadline = deadline_frame(r)
    if deadline is not None:
        blocks.append(frame_table(deadline, "Deadline bargaining, round by round.", floatfmt=".2f"))
    blocks += [Text(line) for line in summary_lines(r) + list(r["notes"])]
    return Section("dynamics", title, tuple(blocks))


def winsets_section(s: Scenario, r) -> Section:
    """The two-level game: each group's win-set, their intersection and the deal (`r`: the
    two-level analysis, or why it was left out)."""
    title = "Two-level game: win-sets"
    if isinstance(r, Skipped):
        return Section("winsets", title, note=r.reason)
    blocks: list[Block] = [frame_table(r.issues_frame(), f"The deal per issue ({r.model})."),
                           Figure("winsets", _png(winsets_plot(r, s)),
                                  "Each group's win-set on each issue, the intersection and the deal."),
                           *[Text(line) for line in winsets_lines(r)]]
    return Section("winsets", title, tuple(blocks))


def montecarlo_section(s: Scenario, runs: Sequence[MonteCarloRun], draws: int, seed: int) -> Section:
    """Per model: the Monte Carlo distribution of each issue's forecast, as a table and histograms."""
    blocks: list[Block] = []
    for run in runs:
        result = run.summary
        blocks.append(Figure(f"montecarlo-{run.model}", _png(histogram_plot(result, scenario=s,
                                                                            point=run.point)),
                             f"{run.model}: the forecast of each issue over {draws} draws (seed {seed})."))
        frame = uncertainty_frame(result).drop(columns=["histogram"])
        blocks.append(frame_table(frame, f"{run.model}: median, mean and central intervals over {draws} "
                                         f"draws, seed {seed}; share of draws near each labelled point.",
                                  floatfmt=".2f"))
        line = outcome_line(result)
        if line:
            blocks.append(Text(f"{run.model}: {line}."))
        blocks.append(Text(f"{run.model}: {calibration_line(result)}."))
        if not result["uncertain_inputs"]:
            blocks.append(Text("No value of the scenario has a range, so every draw is the same."))
    return Section("montecarlo", f"Monte Carlo ({draws} draws, seed {seed})", tuple(blocks))


def sensitivity_section(part: Sequence[Tornado] | Skipped) -> Section:
    """Per model: the one-at-a-time tornado of the uncertain inputs."""
    title = "Sensitivity: tornado"
    if isinstance(part, Skipped):
        return Section("sensitivity", title, note=part.reason)
    blocks: list[Block] = []
    for t in part:
        rows = list(t.rows)
        blocks.append(Figure(f"tornado-{t.model}", _png(tornado_plot(
            rows, title=f"{t.model}: one input at a time")),
            f"{t.model}: the forecast with each uncertain input at its low and its high end, the "
            "others at their point values; the eight largest swings per issue."))
        top = [r for k, r in enumerate(rows) if sum(1 for x in rows[:k] if x["issue"] == r["issue"]) < 8]
        frame = pd.DataFrame(top)[["issue", "input", "low", "high", "forecast_low", "forecast_high",
                                   "swing"]]
        frame = frame.assign(low=[num(v, "g") if not isinstance(v, str) else v for v in frame["low"]],
                             high=[num(v, "g") if not isinstance(v, str) else v for v in frame["high"]])
        blocks.append(frame_table(frame, f"{t.model}: the largest swings per issue.",
                                  formats={"swing": "+.2f"}))
    return Section("sensitivity", title, tuple(blocks))


def drivers_section(drivers: Sequence[tuple[str, Sequence[Any]]]) -> Section:
    """Per model and issue, in words, what drives the forecast: the actors whose removal moves it
    most and the uncertain values it is most sensitive to (`drivers`: per model, the
    explanations of :mod:`standoff.analysis.drivers`)."""
    blocks: list[Block] = []
    rows = []
    for name, explained in drivers:
        for d in explained:
            blocks.append(Text(f"{name}: {d.paragraph}"))
            if d.actors:
                top = d.actors[0]
                rows.append({"model": name, "issue": d.issue, "forecast": d.value,
                             "largest actor": top.name, "shift without it": top.shift,
                             "largest value": d.values[0].label if d.values else "",
                             "its swing": d.values[0].swing if d.values else float("nan")})
    if rows:
        blocks.append(frame_table(pd.DataFrame(rows), "The actor and the uncertain value each forecast "
                                  "rests on most: the shift when the actor is left out, the swing "
                                  "from the value's low to its high end.",
                                  formats={"shift without it": "+.2f", "its swing": "+.2f"}))
    return Section("drivers", "What drives the forecast", tuple(blocks))


# --- the whole report --------------------------------------------------------------------------
def build_document(bundle: ReportBundle) -> Report:
    """Lay out the results of the report task as a :class:`Report`."""
    s = bundle.scenario
    sections: list[Section] = []
    for step in bundle.steps:
        if step == "scenario":
            sections.append(scenario_section(s))
        elif step == "forecasts":
            sections.append(forecast_section(s, bundle.forecasts, bundle.model_titles))
        elif step == "drivers":
            sections.append(drivers_section(bundle.drivers))
        elif step == "trajectories":
            sections.append(trajectory_section(s, bundle.forecasts))
        elif step == "dyads":
            sections.append(dyads_section(s, bundle.dyads, bundle.actor))
        elif step == "beliefs":
            sections.append(beliefs_section(bundle.beliefs))
        elif step == "crisis":
            sections.append(crisis_section(bundle.crisis))
        elif step == "dynamics":
            sections.append(dynamics_section(bundle.dynamics))
        elif step == "winsets":
            sections.append(winsets_section(s, bundle.winsets))
        elif step == "montecarlo":
            sections.append(montecarlo_section(s, bundle.montecarlo or (), bundle.draws, bundle.seed))
        elif step == "sensitivity":
            sections.append(sensitivity_section(bundle.sensitivity or ()))
    if bundle.montecarlo is None:
        sections.append(Section("montecarlo", "Monte Carlo", note="Not run (add --monte-carlo N)."))
    if bundle.sensitivity is None:
        sections.append(Section("sensitivity", "Sensitivity: tornado", note="Not run (add --sensitivity)."))
    draws, seed = bundle.draws, bundle.seed
    facts = (("scenario", f"{s.id} ({s.title})"), ("as of", str(s.date)),
             ("content hash", s.content_hash()[:16]),
             ("models", ", ".join(name + (f" {p}" if p is not None else "")
                                  for name, p in bundle.model_params)),
             ("actor of the quadrant chart", bundle.actor),
             ("Monte Carlo", f"{draws} draws, seed {seed}" if draws else "not run"),
             ("Standoff", bundle.version))
    return Report(title=s.title, scenario=s.id, date=str(s.date), facts=facts,
                  sections=tuple(sections), description="")


def build_report(scenario: Scenario, **kwargs: Any) -> Report:
    """Run the report task on `scenario` (options: :func:`standoff.tasks.report.run`) and lay its
    results out as a :class:`Report`."""
    return build_document(run_report(scenario, **kwargs))
