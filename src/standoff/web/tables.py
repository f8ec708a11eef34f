"""Tables as files: CSV (one table) and XLSX (a sheet per table, written with openpyxl), and the
tables of a Monte Carlo summary. Cells that hold lists or mappings are written as JSON text."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pandas as pd
from fastapi.responses import Response

from standoff.errors import StandoffError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def flat(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with list and mapping cells as JSON text (a spreadsheet cell holds one value)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].map(lambda x: isinstance(x, (list, tuple, dict))).any():
            out[col] = out[col].map(lambda x: json.dumps(x) if isinstance(x, (list, tuple, dict)) else x)
    return out


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unused sheet name: at most 31 characters, none of []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name)[:31] or "table"
    out, n = base, 1
    while out in taken:
        n += 1
        out = f"{base[:28]}-{n}"
    taken.add(out)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    return flat(frame).to_csv(index=False).encode("utf-8")


def to_xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with a sheet per table, in order."""
    buffer = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in frames.items():
            flat(frame).to_excel(writer, sheet_name=sheet_name(name, taken), index=False)
    return buffer.getvalue()


def response(frames: dict[str, pd.DataFrame], fmt: str, stem: str, table: str | None) -> Response:
    """The tables as a downloadable file: CSV of `table` (default: the first) or XLSX of all."""
    if not frames:
        raise StandoffError("the run has no tables to export", where="run", fix="export another run")
    if fmt == "xlsx":
        return Response(to_xlsx(frames), media_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})
    name = table or next(iter(frames))
    if name not in frames:
        raise StandoffError(f"no table {name!r} in this run", where="table",
                            fix=f"use one of: {', '.join(frames)}")
    return Response(to_csv(frames[name]), media_type="text/csv",
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
