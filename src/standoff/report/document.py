"""A report on one scenario as plain data: sections of text, tables (cells already formatted) and
figures (PNG bytes). `build_report` runs the models and analyses; `report.html` and
`report.markdown` render the result, and the web page can render the same sections its own way.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from standoff.errors import StandoffError
from standoff.models import available, make
from standoff.models.forecast import Forecast
from standoff.scenario import Scenario
from standoff.version import __version__


class ReportError(StandoffError):
    """A report that cannot be built or written (unknown model or actor, unwritable folder)."""


# --- the document ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table whose cells are formatted strings; `numeric[c]` right-aligns column c."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: tuple[bool, ...] = ()

    def column(self, name: str) -> list[str]:
        """The cells of one column, top to bottom."""
        c = self.columns.index(name)
        return [r[c] for r in self.rows]


@dataclass(frozen=True)
class Figure:
    """A PNG image; `name` is a short file-name-safe id unique within the report."""

    name: str
    png: bytes
    caption: str


Block = Text | Table | Figure


@dataclass(frozen=True)
class Section:
    """A titled part of the report; `note` alone (no blocks) says why it does not apply."""

    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    note: str | None = None

    @property
    def applies(self) -> bool:
        return self.note is None

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


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
        from standoff.report.html import render

        return render(self)

    def to_markdown(self, image_prefix: str = "") -> str:
        from standoff.report.markdown import render

        return render(self, image_prefix)

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


def _png(draw: Callable[[io.BytesIO], Any]) -> bytes:
    buf = io.BytesIO()
    draw(buf)
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


def forecast_section(s: Scenario, forecasts: Sequence[Forecast]) -> Section:
    """Every model's forecast per issue with its nearest labelled point; the closest named deal."""
    from standoff.report.forecast_plots import forecasts_plot

    rows = []
    for i in s.issue_ids:
        for f in forecasts:
            x = next(x for x in f.issues if x.issue == i)
            point = "" if x.nearest_point is None else f"{x.nearest_point} ({x.nearest_point_value:g})"
            rows.append((i, f.model, num(x.value), point, "" if x.status_quo is None else f"{x.status_quo:g}",
                         "" if x.rounds is None else str(x.rounds),
                         "" if x.converged is None else ("yes" if x.converged else "no")))
    blocks: list[Block] = [Table(
        ("issue", "model", "forecast", "nearest labelled point", "status quo", "rounds", "converged"),
        tuple(rows), "Each model's forecast on each issue, and the labelled point of the scale "
                     "nearest to it.", (False, False, True, False, True, True, False))]
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
    blocks.append(Figure("forecasts", _png(lambda b: forecasts_plot(s, forecasts, b)),
                         "Each model's forecast on each issue scale, with the actors' positions "
                         "(grey, larger for more capability × salience) and the status quo."))
    models = "; ".join(f"{f.model} ({available()[f.model].title or f.model})" for f in forecasts)
    return Section("forecasts", "Forecasts", (Text(f"Models: {models}."), *blocks))


def trajectory_section(s: Scenario, forecasts: Sequence[Forecast]) -> Section:
    """The round-by-round forecast of every model that bargains in rounds."""
    from standoff.report.forecast_plots import trajectory_plot
    from standoff.report.tables import rounds_frame

    blocks: list[Block] = []
    for f in forecasts:
        frame = rounds_frame(f)
        if frame.empty:
            continue
        blocks.append(Figure(f"rounds-{f.model}", _png(lambda b, f=f: trajectory_plot(f, b, s)),
                             f"{f.model}: the forecast of each issue after each round."))
        blocks.append(frame_table(frame, f"{f.model}: the forecast after each round (round 0: the "
                                         "start); 'mean' columns: the clout-weighted mean position."))
    if not blocks:
        return Section("trajectories", "Round by round",
                       note="None of the chosen models bargains in rounds.")
    return Section("trajectories", "Round by round", tuple(blocks))


def dyad_frames(s: Scenario, forecast: Forecast, actor: str) -> list[tuple[str, pd.DataFrame]]:
    """From a forecast whose detail holds the expected utilities of every dyad (`eu_receiver`
    [K, T, N, N] with b[i, j] = E^j(U_ji), and the `offer` codes), one actor's dyads in round 1 on
    each issue where a round ran: other, E^i(U_ij), E^j(U_ji), interaction."""
    d = forecast.detail
    eu = np.asarray(d["eu_receiver"], dtype=float)
    offer = np.asarray(d["offer"]) if "offer" in d else None
    names = list(d.get("class_names") or ())
    ids = s.actor_ids
    a = ids.index(s.actor(actor).id)
    out = []
    for k, f in enumerate(forecast.issues):
        if f.rounds is not None and f.rounds < 1:
            continue
        b = eu[k, 0]
        rows = []
        for o in range(len(ids)):
            if o == a:
                continue
            what = "stalemate"
            if offer is not None and names:
                if offer[k, 0, a, o] > 0:
                    what = f"{names[offer[k, 0, a, o]]} ({ids[o]} yields)"
                elif offer[k, 0, o, a] > 0:
                    what = f"{names[offer[k, 0, o, a]]} ({ids[a]} yields)"
            rows.append({"other": ids[o], "E^i(U_ij)": float(b[o, a]), "E^j(U_ji)": float(b[a, o]),
                         "interaction": what})
        out.append((f.issue, pd.DataFrame(rows)))
    return out


def dyads_section(s: Scenario, forecasts: Sequence[Forecast], actor: str) -> Section:
    """Bueno de Mesquita's quadrant chart of `actor` for each model that exposes the expected
    utilities of the dyads in its forecast's detail."""
    from standoff.report.forecast_plots import quadrant_plot

    title = f"Quadrant chart: {actor}'s dyads"
    blocks: list[Block] = []
    for f in forecasts:
        if "eu_receiver" not in f.detail:
            continue
        frames = dyad_frames(s, f, actor)
        if not frames:
            continue
        titled = [(s.issue(i).title, fr) for i, fr in frames]
        blocks.append(Figure(f"quadrant-{f.model}", _png(lambda b, t=titled, m=f.model: quadrant_plot(
            t, actor, b, title=f"{m}: {actor} against each other actor, round 1")),
            f"{f.model}: each other actor j at ({actor}'s expected utility of challenging j, j's "
            f"expected utility of challenging {actor}) in the first round, one panel per issue."))
        for issue, frame in frames:
            blocks.append(frame_table(frame, f"{f.model}, {issue}: {actor}'s dyads in round 1.",
                                      floatfmt="+.3f"))
    if not blocks:
        return Section("dyads", title, note="No chosen model reports the expected utilities of the "
                                            "dyads (the expected utility model, eum, does).")
    return Section("dyads", title, (Text(
        f"E^i(U_ij) is {actor}'s expected utility of challenging actor j, E^j(U_ji) j's of challenging "
        f"{actor}. Both positive: conflict; both negative: stalemate; one positive: the other side "
        "yields, by compromise where the winner's expected utility is the larger in size, else by "
        "capitulation."), *blocks))


def beliefs_section(s: Scenario, beliefs: str | Path | None) -> Section:
    """Each belief file's observer: posterior over the target's types, event by event."""
    from standoff.data import beliefs_path
    from standoff.events.beliefs import read_beliefs, update
    from standoff.report.event_plots import plot_beliefs

    title = "Belief paths"
    path = Path(beliefs) if beliefs is not None else beliefs_path(s.id)
    if path is None:
        return Section("beliefs", title, note=f"No belief file for {s.id} (see `standoff docs events` to "
                                              "write one).")
    if not s.events:
        return Section("beliefs", title, note="The scenario has no events to update beliefs on.")
    blocks: list[Block] = []
    for n, spec in enumerate(read_beliefs(path)):
        bp = update(spec, s, end=s.date)
        issues = [i for i in s.issue_ids if bp.perceived(bp.table.prior, i) is not None]
        frame = bp.frame(issues)
        head = spec.title or f"{spec.observer} about {spec.target}"
        blocks.append(Figure(f"beliefs-{n + 1}", _png(lambda b, fr=frame, t=head: plot_beliefs(fr, b, t)),
                             f"{head}: the posterior of each type (top) and the positions the observer "
                             "perceives (bottom), step by step."))
        formats = {c: ".3f" for c in frame.columns if c.startswith("P(")}
        blocks.append(frame_table(frame.assign(date=frame["date"].astype(str)),
                                  f"{head} ({bp.ignored} events not evidence).", floatfmt=".1f",
                                  formats=formats))
    return Section("beliefs", title, tuple(blocks))


def crisis_section(s: Scenario, between: tuple[str, str] | None) -> Section:
    """The interaction game between two sides: outcome probabilities (QRE and SPE), the path."""
    from standoff.games.crisis import crisis
    from standoff.report.crisis_plots import qre_plot, tree_plot

    title = "Crisis outcome probabilities"
    if between is None:
        if not any(o.kind == "crisis" for o in s.outcomes):
            return Section("crisis", title, note="The scenario names no crisis outcome (war, "
                                                 "capitulation...), so the crisis game is left out.")
        if len(s.group_ids) < 2:
            return Section("crisis", title, note="The crisis game needs two sides: the scenario has "
                                                 "fewer than two groups.")
        between = (s.group_ids[0], s.group_ids[1])
    r = crisis(s, *between)
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
        Figure("crisis-qre", _png(lambda b: qre_plot(r, b)),
               "Outcome probabilities as the players' choices grow more precise (λ)."),
        Figure("crisis-tree", _png(lambda b: tree_plot(r, b)),
               "The game tree with the quantal-response probability of each choice."),
    ]
    return Section("crisis", title, tuple(blocks))


def _sides(s: Scenario, between: tuple[str, str] | None) -> tuple[str, str] | None:
    """The crisis dyad: the sides given, or the scenario's first two groups (None if it has fewer)."""
    if between is not None:
        return between
    return (s.group_ids[0], s.group_ids[1]) if len(s.group_ids) >= 2 else None


def dynamics_section(s: Scenario, between: tuple[str, str] | None) -> Section:
    """Shifting power between the crisis dyad's groups, the commitment problem of disarming, and
    deadline bargaining where the scenario sets a deadline (`standoff dynamics`)."""
    from standoff.games.dynamics import dynamics_report
    from standoff.report import dynamics as dyn

    title = "Dynamics: shifting power and commitment"
    sides = _sides(s, between)
    if sides is None:
        return Section("dynamics", title, note="The dynamics of a dyad need two groups of actors; the "
                                               "scenario has fewer.")
    r = dynamics_report(s, *sides)
    a, b = r["dyad"]["a"], r["dyad"]["b"]
    blocks: list[Block] = [
        Figure("dynamics", _png(lambda buf: dyn.plot(r, buf)),
               f"The probability that {a} prevails in a war, period by period, with the static and the "
               "dynamic (credible) bargaining ranges."),
        frame_table(dyn.power_frame(r), f"Shifting power: {a} vs {b}, period by period.", floatfmt=".3f"),
        frame_table(dyn.commitment_frame(r), "Belief in restraint after disarming (the track record).",
                    floatfmt=".3f"),
    ]
    deadline = dyn.deadline_frame(r)
    if deadline is not None:
        blocks.append(frame_table(deadline, "Deadline bargaining, round by round.", floatfmt=".2f"))
    blocks += [Text(line) for line in dyn.summary_lines(r) + list(r["notes"])]
    return Section("dynamics", title, tuple(blocks))


def winsets_section(s: Scenario, model) -> Section:
    """The two-level game: each group's win-set, their intersection and the deal."""
    from standoff.games.two_level import analyse
    from standoff.report.winsets import plot, summary_lines

    title = "Two-level game: win-sets"
    if len(s.group_ids) < 2:
        return Section("winsets", title, note="The two-level game needs two groups of actors; the "
                                              "scenario has fewer.")
    r = analyse(s, model)
    blocks: list[Block] = [frame_table(r.issues_frame(), f"The deal per issue ({r.model})."),
                           Figure("winsets", _png(lambda b: plot(r, s, b)),
                                  "Each group's win-set on each issue, the intersection and the deal."),
                           *[Text(line) for line in summary_lines(r)]]
    return Section("winsets", title, tuple(blocks))


def montecarlo_section(s: Scenario, models: Sequence, draws: int, seed: int,
                       on_model: Callable[[str], None] | None = None) -> Section:
    """Per model: the Monte Carlo distribution of each issue's forecast, as a table and histograms.
    `on_model(name)` is called as each model starts (for a progress bar)."""
    from standoff.analysis.executors import Executor
    from standoff.analysis.montecarlo import monte_carlo, to_dict
    from standoff.report.analysis import histogram_plot, outcome_line, uncertainty_frame

    blocks: list[Block] = []
    for m in models:
        if on_model is not None:
            on_model(m.name)
        mc = monte_carlo(s, m, draws=draws, seed=seed, executor=Executor(), progress=False)
        result = to_dict(mc)
        point = m.forecast(s)
        blocks.append(Figure(f"montecarlo-{m.name}", _png(lambda b, r=result, p=point: histogram_plot(
            r, b, s, {x.issue: x.value for x in p.issues})),
            f"{m.name}: the forecast of each issue over {draws} draws (seed {seed})."))
        frame = uncertainty_frame(result).drop(columns=["histogram"])
        blocks.append(frame_table(frame, f"{m.name}: median, mean and central intervals over {draws} "
                                         f"draws, seed {seed}; share of draws near each labelled point.",
                                  floatfmt=".2f"))
        line = outcome_line(result)
        if line:
            blocks.append(Text(f"{m.name}: {line}."))
        if not result["uncertain_inputs"]:
            blocks.append(Text("No value of the scenario has a range, so every draw is the same."))
    return Section("montecarlo", f"Monte Carlo ({draws} draws, seed {seed})", tuple(blocks))


def sensitivity_section(s: Scenario, models: Sequence) -> Section:
    """Per model: the one-at-a-time tornado of the uncertain inputs."""
    from standoff.analysis.sensitivity import tornado, tornado_rows
    from standoff.analysis.space import Space
    from standoff.report.analysis import tornado_plot

    title = "Sensitivity: tornado"
    point = Space.build(s, use_panel=False)
    panel = Space.build(s)
    if not point.size and len(panel.members) < 2:
        return Section("sensitivity", title, note="No value of the scenario has a range and there is "
                                                  "no expert panel, so there is nothing to vary.")
    blocks: list[Block] = []
    for m in models:
        rows = tornado_rows(tornado(point, m, panel if len(panel.members) > 1 else None))
        if not rows:
            continue
        blocks.append(Figure(f"tornado-{m.name}", _png(lambda b, r=rows, n=m.name: tornado_plot(
            r, b, title=f"{n}: one input at a time")),
            f"{m.name}: the forecast with each uncertain input at its low and its high end, the "
            "others at their point values; the eight largest swings per issue."))
        top = [r for k, r in enumerate(rows) if sum(1 for x in rows[:k] if x["issue"] == r["issue"]) < 8]
        frame = pd.DataFrame(top)[["issue", "input", "low", "high", "forecast_low", "forecast_high",
                                   "swing"]]
        frame = frame.assign(low=[num(v, "g") if not isinstance(v, str) else v for v in frame["low"]],
                             high=[num(v, "g") if not isinstance(v, str) else v for v in frame["high"]])
        blocks.append(frame_table(frame, f"{m.name}: the largest swings per issue.",
                                  formats={"swing": "+.2f"}))
    return Section("sensitivity", title, tuple(blocks))


def drivers_section(s: Scenario, models: Sequence) -> Section:
    """Per model and issue, in words, what drives the forecast: the actors whose removal moves it
    most and the uncertain values it is most sensitive to (:mod:`standoff.analysis.drivers`)."""
    from standoff.analysis.drivers import explain_forecast

    blocks: list[Block] = []
    rows = []
    for m in models:
        for d in explain_forecast(s, m):
            blocks.append(Text(f"{m.name}: {d.paragraph}"))
            if d.actors:
                top = d.actors[0]
                rows.append({"model": m.name, "issue": d.issue, "forecast": d.value,
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
STEPS = ("scenario", "forecasts", "drivers", "trajectories", "dyads", "beliefs", "crisis", "dynamics",
         "winsets", "montecarlo", "sensitivity")


def build_report(scenario: Scenario, *, models: Sequence[str] | None = None,
                 params: dict[str, dict[str, Any]] | None = None, actor: str | None = None,
                 monte_carlo: int = 0, seed: int = 42, sensitivity: bool = False,
                 between: tuple[str, str] | None = None, beliefs: str | Path | None = None,
                 progress: bool = False) -> Report:
    """Run every chosen model (default: all registered) and the analyses that apply to `scenario`,
    and collect the results as a :class:`Report`.

    `actor` is whose dyads the quadrant chart shows (default: the scenario's first actor);
    `monte_carlo` > 0 adds that many draws per model (seeded by `seed`); `sensitivity` adds the
    tornado; `between` names the crisis game's two sides (default: the first two groups);
    `beliefs` a belief file (default: the one shipped with a built-in case)."""
    names = list(models) if models else list(available())
    for n in names:
        if n not in available():
            raise ReportError(f"unknown model {n!r}", where="--models",
                              fix=f"use some of: {', '.join(available())}")
    if monte_carlo < 0:
        raise ReportError(f"--monte-carlo {monte_carlo}: the number of draws cannot be negative",
                          where="--monte-carlo", fix="give 0 (none) or more, e.g. 1000")
    actor_id = s_actor(scenario, actor)
    built = [make(n, **(params or {}).get(n, {})) for n in names]
    steps = [st for st in STEPS
             if (st != "montecarlo" or monte_carlo) and (st != "sensitivity" or sensitivity)]
    sections: dict[str, Section] = {}
    forecasts: list[Forecast] = []

    def run(step: str, tick: Callable[[str], None]) -> None:
        if step in OPTIONAL:
            try:
                _run(step, tick)
            except StandoffError as exc:  # the scenario lacks what this analysis needs
                sections[step] = Section(step, OPTIONAL[step], note=f"Left out: {exc}")
        else:
            _run(step, tick)

    def _run(step: str, tick: Callable[[str], None]) -> None:
        nonlocal forecasts
        if step == "scenario":
            sections[step] = scenario_section(scenario)
        elif step == "forecasts":
            forecasts = [m.forecast(scenario) for m in built]
            sections[step] = forecast_section(scenario, forecasts)
        elif step == "drivers":
            sections[step] = drivers_section(scenario, built)
        elif step == "trajectories":
            sections[step] = trajectory_section(scenario, forecasts)
        elif step == "dyads":
            sections[step] = dyads_section(scenario, forecasts, actor_id)
        elif step == "beliefs":
            sections[step] = beliefs_section(scenario, beliefs)
        elif step == "crisis":
            sections[step] = crisis_section(scenario, between)
        elif step == "dynamics":
            sections[step] = dynamics_section(scenario, between)
        elif step == "winsets":
            sections[step] = winsets_section(
                scenario, next((m for m in built if m.name == "compromise"), built[0]))
        elif step == "montecarlo":
            sections[step] = montecarlo_section(scenario, built, monte_carlo, seed, on_model=tick)
        elif step == "sensitivity":
            sections[step] = sensitivity_section(scenario, built)

    units = len(steps) + (len(built) - 1 if monte_carlo else 0)
    _with_progress(steps, units, run, progress)
    ordered = tuple(sections[st] for st in steps)
    if not monte_carlo:
        ordered += (Section("montecarlo", "Monte Carlo", note="Not run (add --monte-carlo N)."),)
    if not sensitivity:
        ordered += (Section("sensitivity", "Sensitivity: tornado", note="Not run (add --sensitivity)."),)
    facts = (("scenario", f"{scenario.id} ({scenario.title})"), ("as of", str(scenario.date)),
             ("content hash", scenario.content_hash()[:16]),
             ("models", ", ".join(f"{m.name}" + (f" {m.get_params()}" if (params or {}).get(m.name) else "")
                                  for m in built)),
             ("actor of the quadrant chart", actor_id),
             ("Monte Carlo", f"{monte_carlo} draws, seed {seed}" if monte_carlo else "not run"),
             ("Standoff", __version__))
    return Report(title=scenario.title, scenario=scenario.id, date=str(scenario.date), facts=facts,
                  sections=ordered, description="")


# Analyses whose inputs a scenario may lack: a user error there becomes the section's note.
OPTIONAL = {"beliefs": "Belief paths", "crisis": "Crisis outcome probabilities",
            "dynamics": "Dynamics: shifting power and commitment", "winsets": "Two-level game: win-sets"}


def s_actor(scenario: Scenario, actor: str | None) -> str:
    """The quadrant chart's actor: the one given (checked) or the scenario's first."""
    if actor is None:
        return scenario.actor_ids[0]
    if actor not in scenario.actor_ids:
        raise ReportError(f"unknown actor {actor!r} in {scenario.id}", where="--actor",
                          fix=f"use one of: {', '.join(scenario.actor_ids)}")
    return actor


TITLES = {"scenario": "the scenario", "forecasts": "forecasts", "trajectories": "trajectories",
          "dyads": "quadrant chart", "beliefs": "belief paths", "crisis": "crisis game",
          "dynamics": "dynamics",
          "winsets": "win-sets", "montecarlo": "Monte Carlo", "sensitivity": "sensitivity"}


def _with_progress(steps: Sequence[str], units: int, run: Callable[[str, Callable[[str], None]], None],
                   show: bool) -> None:
    """Run each step, with a rich progress bar on stderr when asked and stderr is a terminal; a
    step may report sub-steps (Monte Carlo: one per model) through the `tick` it is given."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not show or not console.is_terminal:
        for st in steps:
            run(st, lambda name: None)
        return
    with Progress(TextColumn("report: {task.description:<24}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(TITLES[steps[0]], total=units)
        for st in steps:
            first = [True]

            def tick(name: str, st: str = st, first: list[bool] = first) -> None:
                if not first[0]:
                    bar.advance(task)
                first[0] = False
                bar.update(task, description=f"{TITLES[st]}: {name}")

            bar.update(task, description=TITLES[st])
            run(st, tick)
            bar.advance(task)
