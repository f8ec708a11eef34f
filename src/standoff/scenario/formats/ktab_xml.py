"""KTAB's XML scenario files, as KTAB's GUI writes them (schema `ktab-smp-schema.xsd`).

    <Scenario>
      <name/> <desc/> <prngSeed/>
      <ModelParameters>...</ModelParameters>          (optional)
      <Dimensions><dName>...</dName>...</Dimensions>  (optional)
      <Actors>
        <Actor><name/> <description/> <capability/>
               <Position><dCoord/>...</Position> <Salience><dSal/>...</Salience></Actor> ...
      </Actors>
      <IdealAdjustment>...</IdealAdjustment>          (optional)
    </Scenario>

The file is parsed with defusedxml (entity declarations and external references are refused).
Each dimension becomes a 0..100 issue titled as the KTAB CSV reader titles it (`Pstn1` ->
"Dimension 1"), so the XML and the CSV of one KTAB example read to the same scenario. The model
parameters, the seed and the ideal adjustments configure KTAB's own run and are not read (give
Standoff's model parameters with `--param`). Problems are reported at their element, e.g.
`Actors/Actor[3]/Position/dCoord[2]`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from standoff.errors import Problem, ScenarioError
from standoff.scenario import yamlsafe
from standoff.scenario.core import Scenario
from standoff.scenario.formats._common import at_place
from standoff.scenario.formats.ktab import KTAB_SCALE, _dimension_title
from standoff.scenario.io import build, slug
from standoff.scenario.registry import ScenarioFormat, register_format

_FIX_LAYOUT = "see KTAB's ktab-smp-schema.xsd or `standoff docs formats`"


def read_ktab_xml(path: str | Path, **options: Any) -> Scenario:
    """Read a KTAB XML scenario file into a validated scenario."""
    return parse_ktab_xml(yamlsafe.read_bytes(path, what="KTAB XML file"), file=str(path), **options)


def _tag(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _children(element, name: str) -> list:
    return [c for c in element if _tag(c) == name]


def _one(element, name: str, where: str, problems: list[Problem], required: bool = True):
    found = _children(element, name)
    if not found:
        if required:
            problems.append(Problem(where, f"missing element <{name}>", f"add <{name}> ({_FIX_LAYOUT})"))
        return None
    return found[0]


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _number(element, where: str, problems: list[Problem]) -> float | None:
    text = _text(element)
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(where, f"{text!r} is not a number" if text else "is empty",
                                "write a plain number such as 60"))
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(Problem(where, f"{text!r} is not a finite number", "write a plain number such as 60"))
        return None
    return value


def parse_ktab_xml(data: bytes | str, *, file: str | None = None, baseline: dt.date | None = None,
                   scenario_id: str | None = None) -> Scenario:
    """Parse a KTAB XML scenario (the layout of the module docstring) into a validated scenario."""
    name = file or "ktab.xml"
    root = yamlsafe.parse_xml(data, name)
    if _tag(root) != "Scenario":
        raise ScenarioError([Problem(f"<{_tag(root)}>", "the root element is not <Scenario>",
                                     f"give a KTAB scenario file ({_FIX_LAYOUT})")], file=name)
    problems: list[Problem] = []
    title = _text(_one(root, "name", "Scenario", problems))
    desc = _text(_one(root, "desc", "Scenario", problems, required=False))
    actors_el = _one(root, "Actors", "Scenario", problems)
    if actors_el is None:
        raise ScenarioError(problems, file=name)
    actor_els = _children(actors_el, "Actor")
    dims_el = _one(root, "Dimensions", "Scenario", problems, required=False)
    dim_names = [_text(d) for d in _children(dims_el, "dName")] if dims_el is not None else []
    if not dim_names and actor_els:  # no <Dimensions>: as many as the first actor's coordinates
        first = _one(actor_els[0], "Position", "Actors/Actor[1]", [], required=False)
        count = len(_children(first, "dCoord")) if first is not None else 0
        dim_names = [f"Pstn{k + 1}" for k in range(count)]
    if not dim_names:
        raise ScenarioError([Problem("Scenario/Dimensions", "no dimensions",
                                     f"add <Dimensions> with a <dName> per dimension ({_FIX_LAYOUT})")],
                            file=name)
    titles = [_dimension_title(d, k + 1) for k, d in enumerate(dim_names)]
    ids = [slug(t) for t in titles]
    places: dict[tuple, str] = {}
    actors = []
    for k, el in enumerate(actor_els):
        at = f"Actors/Actor[{k + 1}]"
        actor_name = _text(_one(el, "name", at, problems))
        capability = _one(el, "capability", at, problems)
        entry: dict[str, Any] = {"id": slug(actor_name) if actor_name else "", "name": actor_name,
                                 "capability": _number(capability, f"{at}/capability", problems)
                                 if capability is not None else None}
        if _text(_one(el, "description", at, problems, required=False)):
            entry["description"] = _text(_one(el, "description", at, problems, required=False))
        places[("actors", k)] = at
        places[("actors", k, "id")] = f"{at}/name"
        places[("actors", k, "capability")] = f"{at}/capability"
        for block, cell, key in (("Position", "dCoord", "positions"), ("Salience", "dSal", "salience")):
            holder = _one(el, block, at, problems)
            values = _children(holder, cell) if holder is not None else []
            if holder is not None and len(values) != len(ids):
                problems.append(Problem(f"{at}/{block}", f"has {len(values)} <{cell}>, the scenario "
                                        f"{len(ids)} dimensions", f"give one <{cell}> per dimension"))
                continue
            entry[key] = {}
            for n, (issue, value) in enumerate(zip(ids, values, strict=True)):
                where = f"{at}/{block}/{cell}[{n + 1}]"
                entry[key][issue] = _number(value, where, problems)
                places[("actors", k, key, issue)] = where
        actors.append(entry)
    if problems:
        raise ScenarioError(problems, file=name)
    raw: dict[str, Any] = {
        "id": scenario_id or slug(title or Path(name).stem), "title": title or Path(name).stem,
        "baseline": baseline or dt.date(1970, 1, 1),
        "issues": [{"id": i, "title": t, "min": KTAB_SCALE[0], "max": KTAB_SCALE[1]}
                   for i, t in zip(ids, titles, strict=True)],
        "actors": actors}
    if desc:
        raw["description"] = desc
    try:
        return build(raw, file=name)
    except ScenarioError as exc:
        raise ScenarioError([at_place(p, places) for p in exc.problems], file=name) from None


register_format(ScenarioFormat("ktab-xml", (".xml",), parse_ktab_xml, binary=True,
                               title="a KTAB XML scenario (.xml)"))
