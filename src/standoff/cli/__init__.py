"""The command-line front end: `standoff VERB ...`.

Every verb that prints a result takes `--format table|json|markdown`. Errors a user can cause
are printed in one or two lines on stderr with exit status 2 (`--debug` shows the traceback).

A verb is a few lines: read the options, call a task (`standoff.tasks`), `render` the result and
return it (a `@recorded` verb's result goes to the run store). The modules hold the verbs by group;
this file registers them, in the order `standoff --help` lists them.
"""

from __future__ import annotations

from standoff.cli import analysis, backtest, events, forecasting, games, reporting, runs, scenarios
from standoff.cli.render import render, view
from standoff.cli.shell import Format, app, main, recorded, run, with_output

app.command()(scenarios.cases)
app.command()(scenarios.show)
app.command()(scenarios.validate)
app.command()(scenarios.new)
app.command()(scenarios.convert)
app.command()(forecasting.forecast)
app.add_typer(events.events_app, name="events")
app.command()(forecasting.timeline)
app.command()(events.explain)
app.command()(forecasting.dyads)
app.command()(games.dynamics)
app.command()(games.winsets)
app.command()(analysis.sensitivity)
app.command()(analysis.compare)
app.command()(analysis.levers)
app.command()(games.crisis)
app.command()(scenarios.draft)
app.command("docs")(scenarios.docs)
app.add_typer(runs.runs_app, name="runs")
app.command()(reporting.report)
app.command()(reporting.serve)
app.command()(backtest.backtest)
with_output(app)  # every verb with --format also takes -o/--output (csv, xlsx)

__all__ = ["Format", "app", "main", "recorded", "render", "run", "view"]
