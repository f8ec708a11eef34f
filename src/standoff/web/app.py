"""The HTTP API and the page: `create_app()` builds the FastAPI application that `standoff serve` runs.

Every route validates its input with pydantic; every error a user can cause comes back as a 4xx
JSON body ``{"detail": "one line", "problems": [{"where", "message", "fix", "line"}]}`` — the
same located messages as the command line. The page (``static/``) uses only this API.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from standoff import tasks
from standoff.errors import ModelError, StandoffError, UnknownCaseError
from standoff.models import available, make_model, model_params
from standoff.scenario.validate import edit_values
from standoff.version import __version__
from standoff.web import service, updates, workbench
from standoff.web.limits import BodyLimit, Busy, Gate, OverLimit, WebLimits, admit
from standoff.web.requests import AS_OF_PATTERN, ModelName, ParamValue, ScenarioRequest, TooLarge
from standoff.web.requests import big as _big
from standoff.web.requests import check_size as _check_size
from standoff.web.requests import scenario_of as _scenario_of

STATIC = Path(__file__).parent / "static"
#: Request bodies above this are refused before they are read (a scenario plus the form around it).
MAX_BODY_BYTES = service.MAX_SCENARIO_BYTES + 64_000


class RunRequest(ScenarioRequest):
    """Run a model on a built-in case or on a YAML scenario given inline, with edited values."""

    model: ModelName = Field(default=ModelName("compromise"))
    params: dict[Annotated[str, Field(max_length=100)], ParamValue] = Field(
        default_factory=dict, max_length=30, description="model parameters, e.g. {\"rounds\": 10}")


class CaseSummary(BaseModel):
    case: str
    title: str
    actors: int
    issues: int
    events: int
    baseline: str
    last_event: str | None


class ParamSpec(BaseModel):
    name: str
    type: Literal["int", "float", "bool", "str", "other"]
    nullable: bool
    default: Any
    description: str = Field(description="what the parameter does, in one line")
    rule: str = Field(default="", description="what a valid value is, in words")
    low: float | None = Field(default=None, description="the lowest value allowed")
    high: float | None = Field(default=None, description="the highest value allowed")
    choices: list[Any] | None = Field(default=None, description="the values allowed, where listed")
    advanced: bool = Field(default=False, description="a switch for research or tuning, not for a "
                                                      "first run (the page folds these away)")


class ModelInfo(BaseModel):
    name: str
    title: str
    summary: str
    parameters: dict[str, Any] = Field(description="parameter name -> default")
    params: list[ParamSpec] = Field(description="each parameter with its type, default and "
                                                "description, as the model declares it")


class CrisisRequest(ScenarioRequest):
    """Solve the interaction game between two sides of a case or a YAML scenario."""

    between: list[Annotated[str, Field(max_length=100)]] | None = Field(
        default=None, min_length=2, max_length=2, examples=[["united-states", "north-korea"]],
        description="the two sides (groups or actors), the first may demand first; default: the "
                    "scenario's first two groups")
    lam: float = Field(default=10.0, ge=0, le=1000, allow_inf_nan=False, alias="lambda",
                       description="precision λ of the agent logit QRE (0: random play)")


class ReportRequest(ScenarioRequest):
    """The HTML report of a built-in case or a YAML scenario, with edited values."""

    models: list[ModelName] | None = Field(default=None, min_length=1, max_length=20,
                                           description="the models to run; default: every model")
    params: dict[Annotated[str, Field(max_length=100)], ParamValue] = Field(
        default_factory=dict, max_length=30,
        description="model parameters; each goes to every chosen model that takes it")


class ErrorBody(BaseModel):
    detail: str
    problems: list[dict[str, Any]] = []


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in ((404, "unknown case or run"), (413, "scenario too large"),
                       (422, "invalid input, with every problem located, or a request over the caps on "
                             "its work (actors × issues × rounds × draws) or memory"),
                       (503, "the server is busy with large requests, or the request ran past its "
                             "time budget"))}


def status_of(exc: StandoffError) -> int:
    """404 for a case or run that does not exist, 413 for oversized input, 503 when the run store
    itself fails (not the user's doing), 422 for everything else a user can get wrong."""
    from standoff.store import RunNotFoundError, StoreError

    if isinstance(exc, (UnknownCaseError, RunNotFoundError)):
        return 404
    if isinstance(exc, TooLarge):
        return 413
    if isinstance(exc, Busy):
        return 503
    if isinstance(exc, OverLimit):
        return 422
    if isinstance(exc, StoreError):
        return 503
    return 422


def error_body(exc: StandoffError) -> dict[str, Any]:
    problems = getattr(exc, "problems", None) or (exc.problem,)
    more = f" (and {len(problems) - 1} more, listed in `problems`)" if len(problems) > 1 else ""
    return {"detail": problems[0].render(exc.file) + more, "file": exc.file,
            "problems": [{"where": p.where, "message": p.message, "fix": p.fix, "line": p.line}
                         for p in problems]}


def _serve_docs(app: FastAPI) -> None:
    """The API docs page (Swagger UI) at /docs with its scripts and styles served from the
    `swagger-ui-bundle` package (part of the `web` extra), so that the page works with no network;
    without that package there is no /docs page (the OpenAPI description stays at /openapi.json)."""
    try:
        import swagger_ui_bundle
    except ImportError:
        return

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json",
                                   title="Standoff API", swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon-32x32.png")


def create_app(db: str | None = None, *, store: Any = None, limits: WebLimits | None = None) -> FastAPI:
    """The application; runs are recorded in `store`, else in ``RunStore(db)`` (default: the
    STANDOFF_DB URL, else SQLite in the user's data folder). `limits`: the caps on each request's
    work, memory and time, and the sizes of the worker pools (:mod:`standoff.web.limits`)."""
    if store is None:
        from standoff.store import RunStore

        store = RunStore(db)
    app = FastAPI(title="Standoff", version=__version__, docs_url=None,
                  description="Forecast how multi-actor negotiations and crises end: built-in "
                              "cases, uploaded scenarios, every model, and the run history.")
    app.state.store = store
    limits = limits or WebLimits()
    gate = Gate(limits)
    app.state.gate = gate
    reports = workbench.ReportCache()

    @app.exception_handler(StandoffError)
    async def _standoff_error(request: Request, exc: StandoffError) -> JSONResponse:
        return JSONResponse(error_body(exc), status_code=status_of(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"where": ".".join(str(x) for x in e["loc"]), "message": e["msg"], "fix": "",
                     "line": None} for e in exc.errors()]
        first = problems[0] if problems else {"where": "", "message": "invalid request"}
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return JSONResponse({"detail": f"{first['where']}: {first['message']}{more}",
                             "problems": problems}, status_code=422)

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _serve_docs(app)

    @app.get("/api/cases", response_model=list[CaseSummary], tags=["scenarios"])
    def cases() -> list[dict[str, Any]]:
        """The built-in cases."""
        return service.finite(service.case_list())

    @app.get("/api/cases/{name}", tags=["scenarios"], responses=ERRORS)
    def case(name: str, as_of: Annotated[str | None, Query(pattern=AS_OF_PATTERN)] = None
             ) -> dict[str, Any]:
        """A built-in case: issues (scales, labelled points) and actors × issues (position,
        salience), as of a date (default: after its last event)."""
        return service.finite(service.scenario_view(service.at_date(service.load_case(name), as_of)))

    @app.get("/api/cases/{name}/history", tags=["runs"], responses=ERRORS)
    def history(name: str) -> list[dict[str, Any]]:
        """How a built-in case's forecast moved as the news arrived: for each accepted `standoff events
        update` of it in the run store (oldest first), per issue the forecast before and after."""
        return service.finite(tasks.timeline.history(store, service.load_case(name)).to_dict())

    @app.post("/api/scenarios/validate", tags=["scenarios"], responses=ERRORS)
    async def validate(file: Annotated[UploadFile, File(description="a YAML scenario, at most 1 MB")],
                       as_of: Annotated[str | None, Form(pattern=AS_OF_PATTERN)] = None
                       ) -> dict[str, Any]:
        """Validate an uploaded YAML scenario; return it as the table shows it."""
        data = await file.read(service.MAX_SCENARIO_BYTES + 1)
        _check_size(len(data), file.filename)

        def view() -> dict[str, Any]:
            scenario = service.parse_upload(data, file.filename)
            return service.finite(service.scenario_view(service.at_date(scenario, as_of)))

        return await gate.run(view, heavy=len(data) > limits.heavy_bytes)

    @app.get("/api/models", response_model=list[ModelInfo], tags=["models"])
    def models() -> list[dict[str, Any]]:
        """The models, with their parameters and defaults."""
        return service.model_list()

    @app.post("/api/run", tags=["models"], responses=ERRORS)
    async def run(request: RunRequest) -> dict[str, Any]:
        """Run a model on a case or a YAML scenario with edited values; the forecast per issue
        (value, nearest labelled point, trajectory) and the data of its charts. Recorded in the
        run store; its id comes back as `run_id`. Refused (422) over the caps on work and memory,
        503 past the time budget or when the server is busy with large requests."""
        changes = [c.model_dump() for c in request.changes]

        def prepare():
            scenario = edit_values(_scenario_of(request), changes)
            model = make_model(request.model.value, service.web_params(request.model.value, request.params),
                               where="params")
            return scenario, model

        scenario, model = await gate.run(prepare, heavy=_big(request, limits))
        heavy = admit(limits, [model], len(scenario.actors), len(scenario.issues))
        forecast = await gate.run(lambda: service.run_model(model, scenario), heavy=heavy)
        paths = await gate.run(lambda: service.actor_paths(model, scenario, forecast), heavy=heavy)
        view = service.forecast_view(scenario, forecast, paths)
        run_id = await gate.run(lambda: store.record(
            "forecast", scenario, model=forecast.model, params={forecast.model: forecast.params},
            seed=None, results={"forecasts": [forecast.to_dict()], "changes": changes,
                                "input": workbench.source_of(request)} | ({"paths": paths} if paths else {}),
            case=request.case))
        return {"run_id": run_id, **view, "changes": changes}

    @app.post("/api/crisis", tags=["games"], responses=ERRORS)
    async def crisis(request: CrisisRequest) -> dict[str, Any]:
        """The International Interaction Game between two sides (default: the first two groups):
        each game outcome's payoffs and its probability under subgame-perfect play (`spe`) and
        the agent logit QRE at λ (`qre`), the scenario's named outcomes they count as, and the
        equilibrium path. Needs a scenario with crisis outcomes. Recorded (kind `crisis`)."""
        changes = [c.model_dump() for c in request.changes]

        def solve():
            scenario = edit_values(_scenario_of(request), changes)
            result, view = service.crisis_view(scenario, request.between, request.lam)
            a, b = view["a"]["id"], view["b"]["id"]
            run_id = store.record("crisis", scenario, model="crisis",
                                  params={"between": [a, b], "lambda": result.lam},
                                  seed=None, results={"forecast": result.to_forecast().to_dict(),
                                                      "outcomes": result.outcomes,
                                                      "path": view["path"], "changes": changes,
                                                      "view": view,
                                                      "input": workbench.source_of(request)},
                                  case=request.case)
            return {"run_id": run_id, **view, "changes": changes}

        return await gate.run(solve, heavy=_big(request, limits))

    html_response = {**ERRORS, 200: {"content": {"text/html": {}},
                                     "description": "the report, one self-contained HTML page"}}

    async def _report(scenario, names: list[str], params: dict[str, Any], case: str | None,
                      as_of: str | None, changes: list[dict[str, Any]],
                      source: dict[str, Any] | None = None) -> HTMLResponse:
        """Build (or, for a built-in case without edits, reuse) the report and record it: heavy
        work, within the caps on work and memory."""
        names = list(dict.fromkeys(names))
        if not names:
            raise ModelError("no model chosen", where="models",
                             fix=f"name some of: {', '.join(available())}")
        chosen = model_params(names, params, where="params")
        # every choice checked before the report's runs
        models = [make_model(name, service.web_params(name, chosen[name]), where="params") for name in names]
        admit(limits, models, len(scenario.actors), len(scenario.issues))
        return await gate.run(lambda: _build_report(scenario, names, chosen, case, as_of, changes, source),
                              heavy=True)

    def _build_report(scenario, names: list[str], chosen: dict[str, Any], case: str | None,
                      as_of: str | None, changes: list[dict[str, Any]],
                      source: dict[str, Any] | None) -> HTMLResponse:
        if case is not None and not changes:
            html, sections = service.case_report(case, as_of, tuple(names),
                                                 json.dumps(chosen, sort_keys=True))
        else:
            html, sections = service.scenario_report(scenario, names, chosen)
        run_id = store.record("report", scenario, model=",".join(names), params=chosen | {
            "actor": None, "monte_carlo": 0, "sensitivity": False}, seed=None,
            results={"files": [], "sections": sections, "changes": changes,
                     "input": source or {"case": case, "as_of": as_of, "changes": changes}}, case=case)
        reports.put(run_id, html)
        return HTMLResponse(html, headers={"X-Run-Id": str(run_id), "X-Report-Url": f"/reports/{run_id}"})

    @app.get("/api/report", tags=["reports"], response_class=HTMLResponse, responses=html_response)
    async def report(case: Annotated[str, Query(max_length=100, examples=["korea-2018"])],
               models: Annotated[str | None, Query(
                   max_length=500, examples=["median,compromise"],
                   description="comma-separated model names; default: every model")
               ] = None,
               params: Annotated[str | None, Query(
                   max_length=2000, description='model parameters as a JSON object, e.g. '
                   '{"rounds": 5}; each goes to every chosen model that takes it')] = None,
               as_of: Annotated[str | None, Query(pattern=AS_OF_PATTERN)] = None) -> HTMLResponse:
        """The HTML report of a built-in case (as `standoff report --format html` writes it):
        the scenario, each chosen model's forecast, and the analyses that apply. Recorded (kind
        `report`, with the tables it shows); the run's id is in the `X-Run-Id` header."""
        scenario = service.at_date(service.load_case(case), as_of)
        names = [n.strip() for n in models.split(",") if n.strip()] if models else list(available())
        return await _report(scenario, names, service.parse_params_json(params), case, as_of, [])

    @app.post("/api/report", tags=["reports"], response_class=HTMLResponse, responses=html_response)
    async def report_of(request: ReportRequest) -> HTMLResponse:
        """The HTML report of a built-in case or an uploaded scenario with the page's edited
        values (the same `changes` as POST /api/run). Recorded like GET /api/report."""
        changes = [c.model_dump() for c in request.changes]
        scenario = await gate.run(lambda: edit_values(_scenario_of(request), changes),
                                  heavy=_big(request, limits))
        names = [m.value for m in request.models] if request.models else list(available())
        return await _report(scenario, names, dict(request.params), request.case, request.as_of, changes,
                             workbench.source_of(request))

    @app.get("/api/runs", tags=["runs"])
    def runs(limit: Annotated[int, Query(ge=1, le=500)] = 50,
             kind: Annotated[str | None, Query(max_length=50)] = None,
             case: Annotated[str | None, Query(max_length=100)] = None) -> list[dict[str, Any]]:
        """The latest stored runs, newest first."""
        return [service.finite(r.to_dict()) for r in store.runs(limit=limit, kind=kind, case=case)]

    @app.get("/api/runs/{run_id}", tags=["runs"], responses=ERRORS)
    def run_detail(run_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> dict[str, Any]:
        """One stored run, as `standoff runs export` writes it: scenario hash, model, parameters,
        seed, version, time and results."""
        return service.finite(store.export(run_id))

    workbench.add_routes(app, store=store, gate=gate, limits=limits, reports=reports, errors=ERRORS)
    updates.add_routes(app, store=store, gate=gate, limits=limits, errors=ERRORS)
    return app

