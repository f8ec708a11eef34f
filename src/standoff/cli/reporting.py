"""`standoff report` (HTML and Markdown with plots, standoff.report.document) and `standoff serve`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar

import typer

from standoff import tasks
from standoff.cli.shell import AsOfOption, DbOption, ParamsOption, SeedOption, err, out, recorded
from standoff.errors import StandoffError
from standoff.models import available
from standoff.report.document import Report, build_report, prepare_folder
from standoff.scenario import Scenario
from standoff.tasks import Recording, Result


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"
    both = "both"


@dataclass
class ReportRun(Result):
    """A report written: what the run store keeps of it (the files, each section's tables)."""

    kind: ClassVar[str] = "report"
    scenario: Scenario
    names: list[str]
    params: dict[str, Any]
    seed: int | None
    report: Report
    written: list[Path]

    def to_dict(self) -> dict[str, Any]:
        return {"files": [str(p) for p in self.written], "sections": [
            {"id": sec.id, "title": sec.title, "note": sec.note,
             "tables": [{"caption": t.caption, "columns": list(t.columns), "rows": [list(r) for r in t.rows]}
                        for t in sec.tables()]} for sec in self.report.sections]}

    def recording(self) -> Recording:
        return Recording(self.scenario, model=",".join(self.names), params=self.params, seed=self.seed,
                         results=self.to_dict())


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
    param: ParamsOption = None,
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
):
    """Write a report with plots: the scenario, every model's forecast, trajectories, the quadrant
    chart, belief paths, crisis odds, win-sets, and (when asked) Monte Carlo and the tornado."""
    s = tasks.inputs.open_scenario(scenario, as_of)
    names = [n.strip() for n in models.split(",") if n.strip()] if models else list(available())
    chosen = tasks.inputs.model_params(names, tasks.inputs.parse_params(param or []))
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
    for path in written:
        out.print(f"wrote {path}", highlight=False)
    if skipped:
        out.print(f"[dim]left out: {'; '.join(skipped)}[/dim]")
    params = chosen | {"actor": actor, "monte_carlo": monte_carlo, "sensitivity": sensitivity_}
    return ReportRun(s, names, params, seed if monte_carlo else None, result, written)


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the web page and its JSON API (OpenAPI docs at /docs)."""
    try:
        import uvicorn

        from standoff.web import create_app
    except ImportError as exc:  # the optional [web] extra
        raise StandoffError(f"the web front end needs {exc.name}", where="serve",
                            fix="pip install 'standoff[web]'") from None
    err.print(f"Standoff on http://{host}:{port}/  (API docs: /docs; Ctrl+C stops)")
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
