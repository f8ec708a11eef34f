"""Runs as tables (pandas DataFrames) for the terminal, Markdown and the web page."""

from __future__ import annotations

from collections.abc import Sequence

from standoff import lazy
from standoff.store.core import Run, RunDiff, RunSummary

pd = lazy.load("pandas")


def runs_frame(runs: Sequence[RunSummary]) -> pd.DataFrame:
    """One row per run, newest first: id, time (UTC), kind, case, as-of date, model, seed, hash."""
    rows = [{"id": r.id, "time (UTC)": r.created_at.strftime("%Y-%m-%d %H:%M:%S"), "kind": r.kind,
             "case": r.case or "", "as of": r.as_of.isoformat() if r.as_of else "",
             "model": r.model or "", "seed": "" if r.seed is None else str(r.seed),
             "scenario hash": (r.content_hash or "")[:12], "version": r.version} for r in runs]
    columns = ["id", "time (UTC)", "kind", "case", "as of", "model", "seed", "scenario hash", "version"]
    return pd.DataFrame(rows, columns=columns)


def run_fields(run: Run) -> pd.DataFrame:
    """The inputs of one run, a row per field (parameters flattened to dotted keys)."""
    from standoff.store.core import flatten_params

    rows = [("id", run.id), ("kind", run.kind), ("case", run.case), ("scenario", run.scenario_id),
            ("title", run.title), ("scenario hash", run.content_hash),
            ("as of", run.as_of.isoformat() if run.as_of else None), ("model", run.model),
            ("seed", run.seed), ("version", run.version),
            ("time (UTC)", run.created_at.isoformat(timespec="seconds"))]
    rows += [(f"param {k}", v) for k, v in flatten_params(run.params) if k]
    rows.append(("results", ", ".join(run.results) or "none"))
    return pd.DataFrame([{"field": k, "value": "" if v is None else str(v)} for k, v in rows])


def forecast_values(run: Run) -> pd.DataFrame:
    """Every forecast value stored with the run: result, model, issue, value."""
    rows = [{"result": name, "model": model or "", "issue": issue, "value": value}
            for (name, model, issue), value in run.forecasts().items()]
    return pd.DataFrame(rows, columns=["result", "model", "issue", "value"])


def diff_inputs(diff: RunDiff) -> pd.DataFrame:
    """The inputs and parameters that differ, a row each with run a's and run b's value."""
    rows = [{"what": k, f"run {diff.a}": _text(a), f"run {diff.b}": _text(b)}
            for k, (a, b) in diff.inputs.items()]
    rows += [{"what": f"param {k}", f"run {diff.a}": _text(a), f"run {diff.b}": _text(b)}
             for k, (a, b) in diff.params.items()]
    return pd.DataFrame(rows, columns=["what", f"run {diff.a}", f"run {diff.b}"])


def diff_issues(diff: RunDiff) -> pd.DataFrame:
    """Per result, model and issue: the two forecast values and b − a."""
    rows = [{"result": c.result, "model": c.model or "", "issue": c.issue, f"run {diff.a}": c.a,
             f"run {diff.b}": c.b, "difference": c.difference} for c in diff.issues]
    return pd.DataFrame(rows, columns=["result", "model", "issue", f"run {diff.a}", f"run {diff.b}",
                                       "difference"], dtype=object).infer_objects()


def _text(value: object) -> str:
    return "—" if value is None else str(value)
