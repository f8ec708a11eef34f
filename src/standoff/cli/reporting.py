"""`standoff report` (HTML and Markdown with plots, standoff.report.document) and `standoff serve`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from standoff import tasks
from standoff.cli.shell import AsOfOption, Bar, DbOption, ParamsOption, SeedOption, err, out, recorded
from standoff.errors import StandoffError
from standoff.models import available
from standoff.report.document import ReportRun, build_document, prepare_folder, write_report


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"
    both = "both"


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
    bar = Bar()
    bundle = tasks.report.run(s, models=names, params=chosen, actor=actor, monte_carlo=monte_carlo,
                              seed=seed, sensitivity=sensitivity_,
                              progress=lambda label, done, total: bar("report", done, total))
    document = build_document(bundle)
    formats = {ReportFormat.html: ("html",), ReportFormat.markdown: ("markdown",),
               ReportFormat.both: ("html", "markdown")}[report_format]
    result = ReportRun(bundle, document, write_report(document, folder, formats))
    for path in result.files:
        out.print(f"wrote {path}", highlight=False)
    skipped = [sec.title for sec in document.sections if not sec.applies]
    if skipped:
        out.print(f"[dim]left out: {'; '.join(skipped)}[/dim]")
    return result


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
