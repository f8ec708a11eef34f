"""A fixed split of DEU III by proposal: fit on one half, report on the other.

Issues of one proposal (`prnr`) are not independent, so the split assigns whole proposals:
the sorted distinct `prnr` values are shuffled by a seeded generator and the first half (rounded
down) is the fitting half. The split is written once to package data (`deu3-split.csv`) and
committed before anything is fitted; :func:`load_split` reads that committed file, so later
changes to this code cannot move a proposal from one half to the other.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import numpy as np

from standoff.errors import Problem, ScenarioError

SPLIT_SEED = 20_141_101  # the date the double-majority rule began to apply, as a number
SPLIT_FILE = "deu3-split.csv"
HALVES = ("fit", "eval")


def make_split(prnrs: Iterable[str], seed: int = SPLIT_SEED) -> dict[str, str]:
    """prnr -> "fit" or "eval": the sorted distinct proposals, shuffled with `seed`, the first
    ⌊n/2⌋ to "fit" and the rest to "eval"."""
    names = sorted(set(prnrs))
    order = np.random.default_rng(seed).permutation(len(names))
    cut = len(names) // 2
    return {names[j]: ("fit" if rank < cut else "eval") for rank, j in enumerate(order)}


def split_text(split: dict[str, str]) -> str:
    """The split as CSV text (prnr,half), sorted by prnr."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["prnr", "half"])
    for prnr in sorted(split):
        w.writerow([prnr, split[prnr]])
    return buf.getvalue()


def read_split(text: str, file: str = SPLIT_FILE) -> dict[str, str]:
    """Parse split CSV text; a bad row is a ScenarioError with its line."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip() for c in rows[0]] != ["prnr", "half"]:
        raise ScenarioError([Problem("header", "expected the header prnr,half",
                                     "write the split as CSV with columns prnr,half", 1)], file=file)
    out: dict[str, str] = {}
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != 2 or row[1].strip() not in HALVES or not row[0].strip():
            raise ScenarioError([Problem(f"row {n}", f"{row!r} is not prnr,fit|eval",
                                         "each row names one proposal and its half", n)], file=file)
        if row[0].strip() in out:
            raise ScenarioError([Problem(f"row {n}", f"proposal {row[0]!r} appears twice",
                                         "give each proposal one half", n)], file=file)
        out[row[0].strip()] = row[1].strip()
    return out


def load_split(path: str | Path | None = None) -> dict[str, str]:
    """The committed split (package data), or a split file given by path."""
    if path is None:
        text = resources.files("standoff.data").joinpath(SPLIT_FILE).read_text(encoding="utf-8")
        return read_split(text)
    return read_split(Path(path).read_text(encoding="utf-8"), file=str(path))
