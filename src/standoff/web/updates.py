"""Keeping the page's case current: an uploaded event file becomes proposed effects (the stories,
their sources, the forecast before and after), and the analyst's decisions become the case with the
accepted events, as `standoff events update` makes them (:mod:`standoff.tasks.update`).

The server keeps nothing between the two steps: the page sends the file and the case again with its
decisions, the proposals are made anew (the rule is deterministic), and a `token` (a digest of the
case, the file, the model and the rules) says that they are the ones the analyst saw.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, File, Form, UploadFile
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from standoff import tasks
from standoff.errors import ScenarioError, StandoffError
from standoff.events.proposals import ProposalRule
from standoff.events.readers import FORMATS
from standoff.events.stories import StoryRule
from standoff.models import make, make_model
from standoff.scenario import Scenario
from standoff.scenario.io import to_yaml
from standoff.scenario.schema import Effect
from standoff.web import service
from standoff.web.limits import Gate, WebLimits, admit
from standoff.web.requests import ModelName, Params, ScenarioRequest, TooLarge, big, scenario_of
from standoff.web.workbench import raw_of, source_of

#: Largest event file the page may upload, in bytes (as a scenario file: service.MAX_SCENARIO_BYTES).
MAX_EVENTS_BYTES = service.MAX_SCENARIO_BYTES


#: The `request` form field of the update routes.
FORM_DOC = ("the request as JSON: the case (`case`, `scenario_yaml` with `filename`, or the page's "
            "`scenario`), "
            "`model`, `params`, `from` (the file's format), the story rule (`window`, `similarity`, "
            "`match`) and `rule` (pull, verbal, salience_step, capability_step, min_change, digits); "
            "to decide, also `token`, `decisions` ({id: accept|reject}) and `edits` ({id: [effects]})")
MAX_FORM = service.MAX_SCENARIO_BYTES


class UpdateError(StandoffError):
    """A request of the update panel that cannot be served as asked (located, 422)."""


class RuleSpec(BaseModel):
    """The proposal rule's parameters (docs/events.md, "Proposed effects"); blank: the defaults."""

    model_config = ConfigDict(extra="forbid")
    pull: float | None = Field(default=None, allow_inf_nan=False)
    verbal: float | None = Field(default=None, allow_inf_nan=False)
    salience_step: float | None = Field(default=None, allow_inf_nan=False)
    capability_step: float | None = Field(default=None, allow_inf_nan=False)
    min_change: float | None = Field(default=None, allow_inf_nan=False)
    digits: int | None = None


class UpdateRequest(ScenarioRequest):
    """The case to update (a built-in case, a YAML text or the page's case, as written: no date, no
    edited values), the model of the forecasts before and after, and the rules."""

    model: ModelName = Field(default=ModelName("compromise"))
    params: Params = Field(default_factory=dict, max_length=30)
    source_format: Literal[FORMATS] | None = Field(  # type: ignore[valid-type]
        default=None, alias="from", description="the event file's format (default: told by its first line)")
    window: int = Field(default=1, ge=0, le=365, description="story rule: days a report may still join")
    similarity: float = Field(default=0.3, ge=0, le=1, allow_inf_nan=False,
                              description="story rule: least text similarity")
    match: Literal["root", "quad"] = "root"
    rule: RuleSpec = Field(default_factory=RuleSpec)


class EffectEdit(BaseModel):
    """An edited effect of a proposal: the change (`by`) of an actor's position, salience or capability."""

    model_config = ConfigDict(extra="forbid")
    actor: str = Field(max_length=100)
    field: Literal["position", "salience", "capability"]
    issue: str | None = Field(default=None, max_length=100)
    by: float = Field(allow_inf_nan=False)


class DecideRequest(UpdateRequest):
    """The same, with the analyst's decision on each proposal (none given: rejected) and the edits."""

    token: str | None = Field(default=None, max_length=100,
                              description="the proposals' token: refused when the case or file changed")
    decisions: dict[Annotated[str, Field(max_length=20)], Literal["accept", "reject"]] = Field(
        default_factory=dict, max_length=5000)
    edits: dict[Annotated[str, Field(max_length=20)], list[EffectEdit]] = Field(
        default_factory=dict, max_length=5000,
        description="per proposal id, its effects as the analyst edited them (a change of 0 drops one)")


def parsed(kind: type[BaseModel], text: str) -> Any:
    """The `request` form field (JSON) as `kind`, its problems located under `request`."""
    try:
        return kind.model_validate_json(text)
    except ValidationError as exc:
        e = exc.errors()[0]
        where = ".".join(["request", *(str(x) for x in e["loc"])])
        raise UpdateError(e["msg"], where=where, fix="send the request as the API docs describe it "
                                                     "(POST /api/events/proposals)") from None


def upload_name(filename: str | None) -> str:
    """A safe file name for the upload (its base name; other characters become `_`)."""
    base = Path((filename or "").replace("\\", "/")).name
    return re.sub(r"[^A-Za-z0-9._-]", "_", base)[:100].lstrip(".") or "events.csv"


def token_of(scenario: Scenario, data: bytes, request: UpdateRequest) -> str:
    """A digest of what the proposals depend on: the case as written, the file, the model and the rules."""
    what = request.model_dump(mode="json", include={"model", "params", "source_format", "window",
                                                    "similarity", "match", "rule"})
    h = hashlib.sha256(to_yaml(scenario).encode())
    h.update(hashlib.sha256(data).digest())
    h.update(json.dumps(what, sort_keys=True).encode())
    return h.hexdigest()[:32]


def _edited(original: tuple[Effect, ...], edits: list[EffectEdit], pid: str) -> list[Effect]:
    """The analyst's effects: each noting the rule's value it replaces (as the command line's prompt
    does); a change of 0 is dropped."""
    rule = {(e.actor, e.field, e.issue): e for e in original}
    out = []
    for k, edit in enumerate(edits):
        if edit.by == 0:
            continue
        was = rule.get((edit.actor, edit.field, edit.issue))
        note = (was.note if was is not None and was.by == edit.by
                else f"edited from the rule's {was.by:+g}" if was is not None and was.by is not None
                else "added by the analyst")
        try:
            out.append(Effect(actor=edit.actor, field=edit.field, issue=edit.issue, by=edit.by, note=note))
        except ValidationError as exc:
            raise UpdateError(exc.errors()[0]["msg"], where=f"edits.{pid}[{k}]",
                              fix="a capability change has no issue; a position or salience change needs one"
                              ) from None
    return out


def add_routes(app: FastAPI, *, store: Any, gate: Gate, limits: WebLimits,
               errors: dict[int | str, dict[str, Any]]) -> None:
    """The update panel's routes on `app`."""

    async def read_upload(file: UploadFile) -> tuple[bytes, str]:
        data = await file.read(MAX_EVENTS_BYTES + 1)
        name = upload_name(file.filename)
        if len(data) > MAX_EVENTS_BYTES:
            raise TooLarge(f"the event file is over the limit of {MAX_EVENTS_BYTES:,} bytes", file=name,
                           where="file", fix="upload the new events only (a few days of news), or run "
                                             "`standoff events update` on the command line")
        if not data.strip():
            raise UpdateError("the event file is empty", file=name, where="file",
                              fix="upload an ICEWS, GDELT, PLOVER or CSV event file")
        return data, name

    def found_of(request: UpdateRequest, data: bytes, name: str):
        """The proposals of the file for the case (tasks.update.proposals), the scenario as written
        and the model; refused over the caps on work (one forecast per proposal, and two more)."""
        if request.changes:
            raise UpdateError("the update reads the case as written; edited values do not apply",
                              where="changes",
                              fix="send no `changes` (undo the edits), or edit the case itself")
        if request.as_of is not None:
            raise UpdateError("the update reads the case on the day of the latest news", where="as_of",
                              fix="send no `as_of`")
        model = make_model(request.model.value, service.web_params(request.model.value, request.params),
                           where="params")
        try:
            story_rule = StoryRule(window_days=request.window, match=request.match,
                                   similarity=request.similarity)
            rule = ProposalRule(**request.rule.model_dump(exclude_none=True))
        except StandoffError as exc:
            raise UpdateError(exc.problem.message, where=f"rule.{exc.problem.where}", fix=exc.problem.fix) \
                from None
        scenario = scenario_of(request, dated=False)
        with tempfile.TemporaryDirectory(prefix="standoff-events-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)

            def propose(m):
                try:
                    return tasks.update.proposals(scenario, path, model=m, story_rule=story_rule,
                                                  source_format=request.source_format, rule=rule)
                except ScenarioError:
                    raise
                except StandoffError as exc:  # placed at the upload (its name, not the temporary file's)
                    p = exc.problem
                    file = name if exc.file is not None and Path(exc.file).name == name else exc.file
                    raise UpdateError(p.message, file=file, line=p.line,
                                      where="from" if p.where == "--from" else p.where or "file",
                                      fix=p.fix.replace("name it with --from", "give its format (`from`)")
                                      ) from None

            n, k = len(scenario.actors), len(scenario.issues)
            admit(limits, [model], n, k)
            if model.name != "compromise":  # count the proposals with the closed-form model first
                count = len(propose(make("compromise")).assessed)
                admit(limits, [model], n, k, draws=2 * count + 2)
            found = propose(model)
        found.file = Path(name)
        found.report.path = name
        return found, scenario

    def proposals_view(found, token: str) -> dict[str, Any]:
        out = found.to_dict()
        return service.finite({**out, "file": found.file.name, "token": token,
                               "stories": [s.to_dict() for s in found.stories],
                               "issues": [service.issue_view(i) for i in found.scenario.issues]})

    @app.post("/api/events/proposals", tags=["events"], responses=errors)
    async def proposals(file: Annotated[UploadFile, File(description="new events: ICEWS, GDELT, PLOVER "
                                                                      "or CSV, at most 1 MB")],
                        request: Annotated[str, Form(max_length=MAX_FORM, description=FORM_DOC)],
                        ) -> dict[str, Any]:
        """Read new events, merge them into stories and propose effects for the case, as `standoff
        events update` does: the stories (with their reports and publishers), each proposal with its
        effects, the rule's arithmetic, its evidence and the forecast before and with it alone, the
        stories that give none and why, and the `token` the decisions must carry. Nothing is recorded
        or applied."""
        data, name = await read_upload(file)
        req = parsed(UpdateRequest, request)

        def work() -> dict[str, Any]:
            found, scenario = found_of(req, data, name)
            return proposals_view(found, token_of(scenario, data, req))

        return await gate.run(work, heavy=len(data) > limits.heavy_bytes or big(req, limits))

    @app.post("/api/events/decide", tags=["events"], responses=errors)
    async def decide(file: Annotated[UploadFile, File(description="the same event file")],
                     request: Annotated[str, Form(max_length=MAX_FORM, description=FORM_DOC)],
                     ) -> dict[str, Any]:
        """The analyst's decisions: the case with the accepted proposals as events with their effects
        and source entries (`scenario`, the mapping of the file `standoff events update --accept`
        writes, and `yaml`, its text), the forecast before and after all of them, recorded (kind
        `events-update`) for the forecast history. A proposal without a decision is rejected."""
        data, name = await read_upload(file)
        req = parsed(DecideRequest, request)

        def work() -> dict[str, Any]:
            found, scenario = found_of(req, data, name)
            token = token_of(scenario, data, req)
            if req.token is not None and req.token != token:
                raise UpdateError("the case, the event file, the model or the rules changed since the "
                                  "proposals were made", where="token",
                                  fix="ask for the proposals again and decide on those")
            by_id = {a.proposal.id: a.proposal for a in found.assessed}
            edits = {}
            for pid, effects in req.edits.items():
                if pid not in by_id:
                    raise UpdateError(f"no proposal {pid!r} to edit", where="edits",
                                      fix=f"use one of: {', '.join(by_id) or '(none)'}")
                edits[pid] = _edited(by_id[pid].effects, effects, pid)
            result = tasks.update.decide(found, dict(req.decisions), edits)
            run_id = store.record(result.kind, (rec := result.recording()).scenario, model=rec.model,
                                  params=rec.params, seed=None,
                                  results={**rec.results, "input": source_of(req)}, case=req.case)
            text, summary = to_yaml(result.updated), result.to_dict()
            return service.finite({
                "run_id": run_id, "token": token, "decisions": result.decisions,
                "accepted": [a.proposal.id for a in result.accepted],
                "accepted_proposals": [a.to_dict() for a in result.accepted],
                "date": found.date, "model": found.model.name,
                "forecast_before": summary["forecast_before"], "forecast_after": summary["forecast_after"],
                "forecast_change": result.change(),
                "events_added": len(result.updated.events) - len(scenario.events),
                "scenario": raw_of(result.updated), "yaml": text})

        return await gate.run(work, heavy=len(data) > limits.heavy_bytes or big(req, limits))

    @app.post("/api/events/history", tags=["events"], responses=errors)
    async def history(request: ScenarioRequest) -> list[dict[str, Any]]:
        """The forecast history of any case (a built-in case, a YAML text or the page's case): the
        recorded updates of a case with its id that accepted something, oldest first, per issue the
        forecast before and after (as GET /api/cases/{name}/history for a built-in case)."""

        def work() -> list[dict[str, Any]]:
            scenario = scenario_of(request, dated=False)
            return service.finite(tasks.timeline.history(store, scenario).to_dict())

        return await gate.run(work)

