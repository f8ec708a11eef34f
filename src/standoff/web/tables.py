"""Stored runs' tables as files, written by the shared writer (:mod:`standoff.report.spreadsheets`,
which the command line's `--format csv|xlsx` uses too): CSV (one table) and XLSX (a sheet per
table); and the tables of a stored Monte Carlo summary."""

from __future__ import annotations

from typing import Any

import pandas as pd
from fastapi.responses import Response

from standoff.errors import StandoffError
from standoff.report import spreadsheets

XLSX = spreadsheets.MIME_XLSX


def response(frames: dict[str, pd.DataFrame], fmt: str, stem: str, table: str | None) -> Response:
    """The tables as a downloadable file: CSV of `table` (default: the first) or XLSX of all."""
    if not frames:
        raise StandoffError("the run has no tables to export", where="run", fix="export another run")
    if fmt == "xlsx":
        return Response(spreadsheets.to_xlsx(frames), media_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})
    name = table or next(iter(frames))
    if name not in frames:
        raise StandoffError(f"no table {name!r} in this run", where="table",
                            fix=f"use one of: {', '.join(frames)}")
    return Response(spreadsheets.to_csv(frames, name), media_type=spreadsheets.MIME_CSV,
                    headers={"Content-Disposition": f'attachment; filename="{stem}-{name}.csv"'})


def mc_summary(mc: dict[str, Any]) -> pd.DataFrame:
    """One row per issue of a Monte Carlo summary: median, mean, sd, the 80 % and 95 % intervals,
    the calibrated bands where given."""
    rows = []
    for r in mc["issues"]:
        row = {"issue": r["issue"], "title": r.get("title"), "median": r["median"], "mean": r["mean"],
               "sd": r["sd"], "p80_low": r["p80"][0], "p80_high": r["p80"][1],
               "p95_low": r["p95"][0], "p95_high": r["p95"][1]}
        for key in ("calibrated80", "calibrated95"):
            band = r.get(key)
            if band:
                row[f"{key}_low"], row[f"{key}_high"] = band[0], band[1]
        rows.append(row)
    return pd.DataFrame(rows)


def mc_histogram(mc: dict[str, Any]) -> pd.DataFrame:
    """One row per issue and bin: the bin's ends and how many draws fell in it."""
    rows = []
    for r in mc["issues"]:
        edges, counts = r["histogram"]["edges"], r["histogram"]["counts"]
        rows += [{"issue": r["issue"], "low": edges[b], "high": edges[b + 1], "draws": c}
                 for b, c in enumerate(counts)]
    return pd.DataFrame(rows)


def generic(results: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Every result that is a list of records (or a mapping of scalars), as a table."""
    out = {}
    for name, value in results.items():
        if name in ("input", "view"):
            continue
        if isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
            out[name] = pd.DataFrame(value)
        elif isinstance(value, dict) and value and not any(isinstance(x, (dict, list))
                                                           for x in value.values()):
            out[name] = pd.DataFrame([value])
    return out
