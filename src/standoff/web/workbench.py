"""The workbench's routes: build a case on the page (check it, save it as YAML, open one), run what
an analyst looks at (models side by side with what-ifs, Monte Carlo, levers, win-sets, the
timeline), reopen stored runs, reports at their own URL, and tables as CSV or XLSX.

Every run goes through a task (:mod:`standoff.tasks`) and is recorded with what reopens it:
``results["input"]`` (the request's scenario, date and edits) and ``results["view"]`` (the answer the
page draws). The caps of :mod:`standoff.web.limits` apply to each request before anything runs.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from fastapi import FastAPI, Query
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from standoff import tasks
from standoff.analysis import parse_what_if
from standoff.data import case_names
from standoff.errors import ModelError, StandoffError
from standoff.models import Forecast, Model, make_model, model_params
from standoff.scenario import Scenario
from standoff.scenario.io import to_yaml
from standoff.scenario.validate import edit_values
from standoff.store import RunNotFoundError
from standoff.web import service, tables
from standoff.web.limits import Gate, OverLimit, WebLimits, admit
from standoff.web.requests import ModelName, Params, ScenarioRequest, big, scenario_of

#: Most Monte Carlo draws one web request may ask for (the work cap applies as well).
MAX_DRAWS = 20_000
#: The `format` query of the exports.
FileFormat = Annotated[Literal["csv", "xlsx"], Query(description="csv (one table) or xlsx (a sheet per "
                                                                 "table)")]
#: Draws a Monte Carlo request first runs and times (see `within_time`), and the share of the time
#: budget the whole run may be expected to take.
PROBE_DRAWS = 20
TIME_SHARE = 0.5
#: Up to this many edits, a comparison also shows each edit on its own.
MAX_EDIT_COLUMNS = 10
#: Reports kept in memory by run id, so that /reports/{id} answers at once after the page made it.
REPORTS_KEPT = 16


class ReportCache:
    """The HTML of the last few reports, by run id (a report takes seconds to build)."""

    def __init__(self, size: int = REPORTS_KEPT):
        self.size = size
        self._items: OrderedDict[int, str] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, run_id: int, html: str) -> None:
        with self._lock:
            self._items[run_id] = html
            self._items.move_to_end(run_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, run_id: int) -> str | None:
        with self._lock:
            return self._items.get(run_id)


# --- requests -------------------------------------------------------------------------------------
class ModelRequest(ScenarioRequest):
    """A scenario (with edits) and one model with its parameters."""

    model: ModelName = Field(default=ModelName("compromise"))
    params: Params = Field(default_factory=dict, max_length=30,
                           description="the model's parameters, e.g. {\"rounds\": 10}")


class WhatIfSpec(BaseModel):
    """A named what-if, as `standoff compare --what-if` takes them."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, examples=["without Bolton"])
    changes: list[Annotated[str, Field(max_length=200)]] = Field(
        min_length=1, max_length=50, examples=[["without bolton", "trump.capability=+20%"]],
        description="each 'without ACTOR' or ACTOR.ISSUE.position|salience=VALUE, "
                    "ACTOR.capability=VALUE (VALUE: a number, +N, -N or ±N%)")


class CompareRequest(ScenarioRequest):
    """Several models side by side on the scenario, on the scenario with the edits (`changes`),
    and under each named what-if."""

    models: list[ModelName] = Field(default_factory=lambda: [ModelName("compromise")], min_length=1,
                                    max_length=10)
    params: Params = Field(default_factory=dict, max_length=30,
                           description="parameters; each goes to every chosen model that takes it")
    what_ifs: list[WhatIfSpec] = Field(default_factory=list, max_length=10)


class MonteCarloRequest(ModelRequest):
    draws: int = Field(default=1000, ge=1, le=MAX_DRAWS)
    seed: int = Field(default=42, ge=0, le=2**32 - 1)
    noise: float = Field(default=0.0, ge=0, le=0.5, allow_inf_nan=False,
                         description="sd of the point values as a share of the scale (0: ranges only)")
    bins: int = Field(default=20, ge=1, le=100)
    tornado: bool = Field(default=False, description="also the tornado: each uncertain input at its "
                                                     "low and high end, one at a time")


class LeversRequest(ModelRequest):
    party: str = Field(max_length=100, alias="for", examples=["kim-jong-un"],
                       description="an actor or group: the changes that move the forecast toward it")
    step: float = Field(default=10.0, gt=0, le=100, allow_inf_nan=False)
    top: int = Field(default=10, ge=1, le=50)


class WinsetsRequest(ModelRequest):
    joint: bool = False


class TimelineRequest(ModelRequest):
    until: dt.date | None = Field(default=None, description="the last date replayed (YYYY-MM-DD; default: "
                                                             "the last event's)")


# --- helpers --------------------------------------------------------------------------------------
def raw_of(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the mapping its YAML file holds (what the page edits)."""
    return service.finite(yaml.safe_load(to_yaml(scenario)))


def source_of(request: ScenarioRequest) -> dict[str, Any]:
    """What reopens the request's scenario: the case name, the YAML text or the page's JSON, with
    the date and the edits."""
    fields = ("case", "scenario_yaml", "filename", "scenario", "as_of")
    out = {k: getattr(request, k) for k in fields if getattr(request, k) is not None}
    return out | {"changes": request.change_list()}


def one_model(request: ModelRequest):
    return make_model(request.model.value, service.web_params(request.model.value, request.params),
                      where="params")


def within_time(scenario: Scenario, model: Any, request: MonteCarloRequest, limits: WebLimits) -> None:
    """Refuse (OverLimit, before the run) a Monte Carlo that would outlast half the time budget:
    the times of two probes (5 and 20 draws) give the fixed and the per-draw cost, scaled to the
    draws asked (and, for the tornado, one forecast per end of each uncertain input). A model's
    cost per draw varies too much for the work cap alone (one that samples inside each forecast, or
    bargains many turns)."""

    def timed(draws: int):
        start = time.perf_counter()
        out = tasks.montecarlo.run(scenario, model, draws=draws, seed=request.seed, noise=request.noise,
                                   sobol_n=0, bins=request.bins, with_tornado=False)
        return time.perf_counter() - start, out

    small, _ = timed(PROBE_DRAWS // 4)
    large, result = timed(PROBE_DRAWS)
    # time = fixed + per draw × draws, from the two probes (the per-draw part at least a quarter of
    # the larger probe's average, so that timing jitter cannot make it vanish)
    per_draw = max((large - small) / (PROBE_DRAWS - PROBE_DRAWS // 4), large / PROBE_DRAWS / 4)
    need = small + per_draw * request.draws
    if request.tornado:
        start = time.perf_counter()
        model.forecast(scenario)
        need += 2 * len(result.mc.space.inputs) * (time.perf_counter() - start)
    allowed = limits.time_budget_s * TIME_SHARE
    if need > allowed:
        raise OverLimit(f"{request.draws:,} draws of {model.name} would take about {need:.0f} s here, over "
                        f"the {allowed:.0f} s a web request may take", where="draws",
                        fix=f"ask for about {max(1, int(request.draws * allowed / need)):,} draws, or run "
                            "`standoff sensitivity` on the command line")


def edit_label(change: dict[str, Any]) -> str:
    """One edit in the words of a --set expression: `x.a.position=90`, `x.capability=20`."""
    place = ".".join(p for p in (change["actor"], change.get("issue"), change["field"]) if p)
    return f"{place}={change['to']:g}"


def compare_rows(columns: list[tuple[str, list[Forecast]]]) -> list[dict[str, Any]]:
    """Per model and issue: each column's forecast and its change from the first column."""
    rows = []
    base = columns[0][1]
    for m, fb in enumerate(base):
        for k, ib in enumerate(fb.issues):
            row = {"model": fb.model, "issue": ib.issue, "title": ib.title, columns[0][0]: ib.value}
            for name, forecasts in columns[1:]:
                value = forecasts[m].issues[k].value
                row[name] = value
                row[f"{name}: change"] = value - ib.value
            rows.append(row)
    return rows


def _sheet_frames(run) -> dict[str, Any]:
    """The tables of a stored run, by sheet name."""
    res, out = run.results, {}
    if run.kind == "forecast" and "forecasts" in res:
        out["forecast"] = pd.concat([Forecast.from_dict(d).to_frame() for d in res["forecasts"]],
                                    ignore_index=True)
    view = res.get("view") or {}
    if run.kind == "compare" and "rows" in view:
        out["compare"] = pd.DataFrame(view["rows"])
    mc = res.get("monte_carlo")
    if isinstance(mc, dict) and mc.get("issues"):
        out["monte_carlo"] = tables.mc_summary(mc)
        out["histogram"] = tables.mc_histogram(mc)
        if res.get("tornado"):
            out["tornado"] = pd.DataFrame(res["tornado"])
    for key in ("levers", "wedges", "timeline"):
        if isinstance(view.get(key), list) and view[key]:
            out[key] = pd.DataFrame(view[key])
    if run.kind == "winsets":
        for key, sheet in (("issues", "intersection"), ("winsets", "winsets")):
            if isinstance(view.get(key), list) and view[key]:
                out[sheet] = pd.DataFrame(view[key])
    if run.kind == "crisis" and isinstance(view.get("outcomes"), list):
        out["crisis"] = pd.DataFrame(view["outcomes"])
    if not out:
        out = tables.generic(res)
    return out


# --- the routes -----------------------------------------------------------------------------------
def add_routes(app: FastAPI, *, store: Any, gate: Gate, limits: WebLimits, reports: ReportCache,
               errors: dict[int | str, dict[str, Any]]) -> None:
    """The workbench's routes on `app`."""

    def record(kind: str, scenario: Scenario, request: ScenarioRequest, *, model: str | None,
               params: dict[str, Any], seed: int | None, view: dict[str, Any],
               results: dict[str, Any] | None = None) -> int:
        return store.record(kind, scenario, model=model, params=params, seed=seed,
                            results={**(results or {}), "view": view, "input": source_of(request)},
                            case=request.case)

    def answer(kind: str, scenario: Scenario, request: ScenarioRequest, model: Model, result: Any,
               view: dict[str, Any], *, seed: int | None = None,
               with_results: bool = False) -> dict[str, Any]:
        """Record a one-model run (its parameters from the result's recording) and answer with the
        view and the run's id."""
        rec = result.recording()
        run_id = record(kind, scenario, request, model=model.name, params=rec.params, seed=seed,
                        view=view, results=rec.results if with_results else None)
        return {"run_id": run_id, **view}

    @app.post("/api/scenarios/check", tags=["scenarios"], responses=errors)
    async def check(request: ScenarioRequest) -> dict[str, Any]:
        """Check a scenario (the page's case as JSON, a YAML text or a built-in case) as `standoff
        validate` checks a file, and its edits as a run would: the scenario as the mapping a YAML
        file holds (`scenario`, for the page's editor) and as the table shows it (`view`), or every
        problem with its place (422)."""

        def work() -> dict[str, Any]:
            written = scenario_of(request, dated=False)
            dated = service.at_date(written, request.as_of)
            edit_values(dated, request.change_list())
            return {"ok": True, "scenario": raw_of(written),
                    "view": service.finite(service.scenario_view(dated))}

        return await gate.run(work, heavy=big(request, limits))

    @app.post("/api/scenarios/yaml", tags=["scenarios"], responses={
        **errors, 200: {"content": {"application/yaml": {}}, "description": "the scenario file"}})
    async def as_yaml(request: ScenarioRequest) -> Response:
        """The scenario as a YAML file (as written: no date, no edits), which `standoff validate`
        reads back to the same scenario; refused with every problem located if it is not valid."""
        scenario = await gate.run(lambda: scenario_of(request, dated=False), heavy=big(request, limits))
        return Response(to_yaml(scenario), media_type="application/yaml", headers={
            "Content-Disposition": f'attachment; filename="{scenario.id}.yaml"'})

    @app.post("/api/compare", tags=["models"], responses=errors)
    async def compare(request: CompareRequest) -> dict[str, Any]:
        """Several models side by side: per model and issue the forecast of the scenario
        (`baseline`), of the scenario with the edits (`with edits`, when `changes` are given; with
        2 to 10 edits also each edit on its own, named like `x.a.position=90`) and under each named
        what-if (as `standoff compare --what-if`), with each change from the
        baseline. Recorded (kind `compare`)."""
        changes = request.change_list()
        names = list(dict.fromkeys(m.value for m in request.models))
        chosen = model_params(names, dict(request.params), where="params")
        models = [make_model(n, service.web_params(n, chosen[n]), where="params") for n in names]
        specs = []
        for k, w in enumerate(request.what_ifs):
            try:
                specs.append((w.name, parse_what_if(w.changes)))
            except StandoffError as exc:
                raise ModelError(exc.problem.message, where=f"what_ifs[{k}].changes",
                                 fix=exc.problem.fix) from None
        taken = {"baseline", "with edits"} | {edit_label(c) for c in changes}
        if len({name for name, _ in specs} | taken) != len(specs) + len(taken):
            raise ModelError("two what-ifs have the same name (or one is named baseline or with edits)",
                             where="what_ifs", fix="give each what-if its own name")

        def prepare() -> tuple[Scenario, list[tuple[str, Scenario]]]:
            scenario = scenario_of(request)
            for k, (_, change) in enumerate(specs):
                try:
                    change.apply(scenario)
                except StandoffError as exc:
                    raise ModelError(exc.problem.message, where=f"what_ifs[{k}].changes",
                                     fix=exc.problem.fix) from None
            edited = [("with edits", edit_values(scenario, changes))] if changes else []
            if 2 <= len(changes) <= MAX_EDIT_COLUMNS:  # and each edit on its own
                edited += [(edit_label(c), edit_values(scenario, [c])) for c in changes]
            return scenario, edited

        scenario, edited = await gate.run(prepare, heavy=big(request, limits))
        heavy = admit(limits, models, len(scenario.actors), len(scenario.issues),
                      draws=1 + len(edited) + 2 * len(specs))

        def work() -> dict[str, Any]:
            columns = [("baseline", tasks.forecast.run(scenario, models).forecasts)]
            for name, changed in edited:
                columns.append((name, tasks.forecast.run(changed, models).forecasts))
            for name, change in specs:
                columns.append((name, tasks.compare.run(scenario, change, models).what_if))
            view = service.finite({
                "scenario": scenario.id, "title": scenario.title, "date": scenario.date,
                "models": names, "columns": [name for name, _ in columns],
                "what_ifs": [{"name": name, "changes": change.describe()} for name, change in specs],
                "rows": compare_rows(columns), "changes": changes,
                "nearest_outcome": [{"model": n, **{name: fs[k].nearest_outcome for name, fs in columns}}
                                    for k, n in enumerate(names)]})
            run_id = record("compare", scenario, request, model=",".join(names),
                            params={**{m.name: m.get_params() for m in models},
                                    "what_ifs": view["what_ifs"]}, seed=None, view=view,
                            results={name: [f.to_dict() for f in fs] for name, fs in columns})
            return {"run_id": run_id, **view}

        return await gate.run(work, heavy=heavy)

    @app.post("/api/montecarlo", tags=["analyses"], responses=errors)
    async def montecarlo(request: MonteCarloRequest) -> dict[str, Any]:
        """Monte Carlo over the uncertain inputs (the ranges in the scenario, plus `noise`): per
        issue the median, mean, sd, the 80 % and 95 % intervals, the calibrated bands where the
        model has them, the histogram (`bins` between the ends of the scale) and the shares of
        the labelled points; the named outcomes' shares; the tornado. As `standoff sensitivity
        --sobol 0`. Recorded (kind `sensitivity`)."""
        model = one_model(request)
        scenario = await gate.run(lambda: edit_values(scenario_of(request), request.change_list()),
                                  heavy=big(request, limits))
        n, k = len(scenario.actors), len(scenario.issues)
        heavy = admit(limits, [model], n, k, draws=request.draws + PROBE_DRAWS
                      + (2 * n * (2 * k + 1) if request.tornado else 0))

        def work() -> dict[str, Any]:
            within_time(scenario, model, request, limits)
            result = tasks.montecarlo.run(scenario, model, draws=request.draws, seed=request.seed,
                                          noise=request.noise, sobol_n=0, bins=request.bins,
                                          with_tornado=request.tornado)
            issues = {i.id: service.issue_view(i) for i in scenario.issues}
            summary = result.summary
            view = service.finite({
                "scenario": scenario.id, "title": scenario.title, "date": scenario.date,
                "model": model.name, "draws": request.draws, "seed": request.seed, "noise": request.noise,
                "uncertain_inputs": summary["uncertain_inputs"], "calibration": summary.get("calibration"),
                "outcomes": summary["outcomes"], "changes": request.change_list(),
                "issues": [{**issues[r["issue"]], **r} for r in summary["issues"]],
                "tornado": result.tornado})
            return answer("sensitivity", scenario, request, model, result, view, seed=request.seed,
                          with_results=True)

        return await gate.run(work, heavy=heavy)

    @app.post("/api/levers", tags=["analyses"], responses=errors)
    async def levers(request: LeversRequest) -> dict[str, Any]:
        """The single changes (a position moved by `step` % of the scale, an actor removed, ...)
        that move the model's forecast most toward an actor or group, as `standoff levers --for`.
        Recorded (kind `levers`)."""
        model = one_model(request)
        scenario = await gate.run(lambda: edit_values(scenario_of(request), request.change_list()),
                                  heavy=big(request, limits))
        n, k = len(scenario.actors), len(scenario.issues)
        known = set(scenario.actor_ids) | set(scenario.group_ids)
        if request.party not in known:
            raise ModelError(f"unknown actor or group {request.party!r}", where="for",
                             fix=f"use one of: {', '.join(sorted(known))}")
        heavy = admit(limits, [model], n, k, draws=2 * n * (k + 1) + 1)

        def work() -> dict[str, Any]:
            result = tasks.levers.run_for(scenario, request.party, model, step=request.step, top=request.top)
            view = service.finite({"title": scenario.title, **result.to_dict(),
                                   "changes": request.change_list()})
            return answer("levers", scenario, request, model, result, view)

        return await gate.run(work, heavy=heavy)

    @app.post("/api/winsets", tags=["analyses"], responses=errors)
    async def winsets(request: WinsetsRequest) -> dict[str, Any]:
        """The two-level game, as `standoff winsets`: each group's internal bargain and win-set,
        their intersection per issue and the deal. Recorded (kind `winsets`)."""
        model = one_model(request)
        scenario = await gate.run(lambda: edit_values(scenario_of(request), request.change_list()),
                                  heavy=big(request, limits))
        heavy = admit(limits, [model], len(scenario.actors), len(scenario.issues),
                      draws=2 * len(scenario.groups) + 2)

        def work() -> dict[str, Any]:
            result = tasks.winsets.run(scenario, model, joint=request.joint)
            view = service.finite({"title": scenario.title, "date": scenario.date, "model": model.name,
                                   **result.to_dict(), "changes": request.change_list()})
            return answer("winsets", scenario, request, model, result, view)

        return await gate.run(work, heavy=heavy)

    @app.post("/api/timeline", tags=["analyses"], responses=errors)
    async def timeline(request: TimelineRequest) -> dict[str, Any]:
        """The model's forecast at the baseline and after each event date, events replayed up to
        that day (`until`: the last date), as `standoff timeline`. Uses the scenario as written:
        `as_of` and edited values do not apply. Recorded (kind `timeline`)."""
        if request.changes:
            raise ModelError("the timeline replays the events on the scenario as written; edited "
                             "values do not apply", where="changes",
                             fix="send no `changes` (undo the edits), or edit the scenario itself")
        model = one_model(request)
        scenario = await gate.run(lambda: scenario_of(request, dated=False), heavy=big(request, limits))
        dates = len({e.date for e in scenario.events})
        heavy = admit(limits, [model], len(scenario.actors), len(scenario.issues), draws=dates + 1)

        def work() -> dict[str, Any]:
            result = tasks.timeline.run(scenario, model,
                                        until=request.until.isoformat() if request.until else None)
            issues = [service.issue_view(i) for i in scenario.issues]
            view = service.finite({"scenario": scenario.id, "title": scenario.title,
                                   "baseline": scenario.baseline, "model": model.name, "issues": issues,
                                   "events": [{"date": e.date, "actor": e.actor, "description": e.description}
                                              for e in scenario.events],
                                   "timeline": result.to_dict()})
            return answer("timeline", scenario, request, model, result, view)

        return await gate.run(work, heavy=heavy)

    @app.get("/api/runs/{run_id}/open", tags=["runs"], responses=errors)
    async def open_run(run_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> dict[str, Any]:
        """What the page needs to reopen a stored run: its scenario as the editor holds it
        (`scenario`; `case` when it is a built-in case), the date, the edits, the model and
        parameters, and the answer to draw (`view`; for a forecast, the forecast with its charts).
        Runs made on the page keep their scenario; a command-line run reopens when it was run
        on a built-in case."""

        def work() -> dict[str, Any]:
            run = store.get(run_id)
            source = dict(run.results.get("input") or {})
            if not source:
                if run.case not in case_names():
                    raise StandoffError(f"run {run_id} does not keep its scenario ({run.case!r} is not a "
                                        "built-in case)", where=f"run {run_id}",
                                        fix="reopen a run made on the page, or open its scenario file")
                source = {"case": run.case, "as_of": run.as_of.isoformat() if run.as_of else None}
            request = ScenarioRequest(**source)
            written = scenario_of(request, dated=False)
            dated = service.at_date(written, request.as_of)
            view = run.results.get("view")
            if view is None and run.kind == "forecast" and run.results.get("forecasts"):
                edited = edit_values(dated, request.change_list())
                view = service.forecast_view(edited, Forecast.from_dict(run.results["forecasts"][0]),
                                             run.results.get("paths"))
                view["changes"] = request.change_list()
            return service.finite({
                "run_id": run_id, "kind": run.kind, "model": run.model, "params": run.params,
                "case": request.case, "as_of": request.as_of, "changes": request.change_list(),
                "filename": request.filename, "scenario": raw_of(written),
                "scenario_view": service.scenario_view(dated),
                "view": {"run_id": run_id, **view} if isinstance(view, dict) else view})

        return await gate.run(work)

    @app.get("/reports/{run_id}", tags=["reports"], response_class=HTMLResponse, responses={
        **errors, 200: {"content": {"text/html": {}}, "description": "the report"}})
    async def report_page(run_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> HTMLResponse:
        """A stored report at its own address: the page opens each report here. Kept in memory
        for the last few; otherwise rebuilt from what the run stored (its scenario, date, edits,
        models and parameters)."""
        html = reports.get(run_id)
        if html is not None:
            return HTMLResponse(html)
        run = await gate.run(lambda: store.get(run_id))
        if run.kind != "report":
            raise RunNotFoundError(f"run {run_id} is a {run.kind} run, not a report", where=f"run {run_id}",
                                   fix="open the ids of kind `report` listed by GET /api/runs?kind=report")
        source = dict(run.results.get("input") or {})
        if not source and (run.case not in case_names() or run.params.get("monte_carlo")
                           or run.params.get("sensitivity")):
            raise StandoffError(f"report {run_id} was not made on the page and cannot be rebuilt here",
                                where=f"run {run_id}", fix="run `standoff report` again")
        source = source or {"case": run.case, "as_of": run.as_of.isoformat() if run.as_of else None}
        request = ScenarioRequest(**source)
        names = [n for n in (run.model or "").split(",") if n]
        params = {n: run.params.get(n) or {} for n in names}

        def build() -> str:
            scenario = edit_values(scenario_of(request), request.change_list())
            return service.scenario_report(scenario, names, params)[0]

        html = await gate.run(build, heavy=True)
        reports.put(run_id, html)
        return HTMLResponse(html)

    @app.get("/api/export/runs", tags=["runs"], responses={**errors, 200: {
        "content": {"text/csv": {}, tables.XLSX: {}}, "description": "the run list as a file"}})
    def export_runs(format: FileFormat = "csv", limit: Annotated[int, Query(ge=1, le=5000)] = 500,
                    kind: Annotated[str | None, Query(max_length=50)] = None,
                    case: Annotated[str | None, Query(max_length=100)] = None) -> Response:
        """The latest stored runs (as GET /api/runs lists them) as CSV or XLSX."""
        rows = [r.to_dict() for r in store.runs(limit=limit, kind=kind, case=case)]
        frame = pd.DataFrame(rows, columns=["id", "kind", "case", "scenario_id", "content_hash", "as_of",
                                            "model", "seed", "version", "created_at"])
        return tables.response({"runs": frame}, format, "standoff-runs", None)

    @app.get("/api/export/runs/{run_id}", tags=["runs"], responses={**errors, 200: {
        "content": {"text/csv": {}, tables.XLSX: {}}, "description": "the run's tables as a file"}})
    def export_run(run_id: Annotated[int, PathParam(ge=1, le=2**62)], format: FileFormat = "csv",
                   table: Annotated[str | None, Query(max_length=50, description="the table, for CSV "
                                                      "(default: the first)")] = None) -> Response:
        """A stored run's tables as CSV (one table: `table`, default the first) or XLSX (a sheet per
        table): a forecast per model and issue with its bands (the columns of `standoff forecast
        --format json` as a table); a Monte Carlo run's summary per issue, histogram and tornado;
        a comparison's rows; levers, win-sets, timeline, crisis outcomes."""
        run = store.get(run_id)
        return tables.response(_sheet_frames(run), format, f"standoff-run-{run_id}", table)
