"""The CAMEO codebook and the Goldstein scale, shipped as package data (see data/cameo/NOTICE.md).

CAMEO codes are 2 to 4 digits; the first two are the root (01..20). Roots fold into the four
quad classes of event data (verbal/material cooperation/conflict) and, approximately, into the
PLOVER categories that succeed CAMEO.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
              4: "material conflict"}

#: CAMEO root -> quad class (the GDELT convention: 01-05, 06-08, 09-13, 14-20).
ROOT_QUAD = {f"{r:02d}": (1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4) for r in range(1, 21)}

#: CAMEO root -> PLOVER category, where one root maps onto one category. Roots 01 (statements)
#: and 09 (investigate) have no PLOVER counterpart; PLOVER splits some roots finer (e.g. 08 into
#: CONCEDE and RETREAT) and this table takes the larger part.
ROOT_PLOVER = {"02": "REQUEST", "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE",
               "07": "AID", "08": "CONCEDE", "10": "REQUEST", "11": "ACCUSE", "12": "REJECT",
               "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE",
               "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT"}

#: PLOVER category -> quad class (PLOVER's own grouping).
PLOVER_QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2,
               "RETREAT": 2, "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4,
               "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}


class Coded:
    """The CAMEO root and quad class of a record that has `cameo` and `plover` attributes (a quad
    class from PLOVER where there is no CAMEO code)."""

    __slots__ = ()

    @property
    def root(self) -> str | None:
        return None if self.cameo is None else self.cameo[:2]

    @property
    def quad(self) -> int | None:
        """Quad class 1..4 (verbal/material cooperation, verbal/material conflict)."""
        if self.cameo is not None:
            return ROOT_QUAD[self.cameo[:2]]
        return PLOVER_QUAD.get(self.plover or "")


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO code: its name, Goldstein score, root, quad class and PLOVER category."""

    code: str
    name: str
    goldstein: float
    description: str

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def quad(self) -> int:
        return ROOT_QUAD[self.root]

    @property
    def plover(self) -> str | None:
        return ROOT_PLOVER.get(self.root)


def _table(name: str):
    return files("standoff.data") / "cameo" / name


@cache
def goldstein_table() -> dict[str, float]:
    """CAMEO code -> Goldstein score from GDELT's table, completed from the codebook (1213)."""
    scores: dict[str, float] = {}
    with _table("cameo-goldstein-scale.txt").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            scores[row["CAMEOEVENTCODE"].strip()] = float(row["GOLDSTEINSCALE"])
    with _table("cameo-codes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            scores.setdefault(row["code"].strip(), float(row["goldstein"]))
    return scores


@cache
def codebook() -> dict[str, CameoCode]:
    """Every CAMEO code by its digits ('036'), with the Goldstein score of :func:`goldstein_table`."""
    scores = goldstein_table()
    book = {}
    with _table("cameo-codes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            desc = row["description"] if row["description"] != "NA" else ""
            book[code] = CameoCode(code, row["name"].strip(), scores[code], desc.strip())
    return book


def lookup(code: str) -> CameoCode | None:
    """The codebook entry of a code, or None when CAMEO has no such code."""
    return codebook().get(code.strip())
