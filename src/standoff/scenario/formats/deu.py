"""DEU III rows (Arregui & Perarnaud 2021): one scenario per legislative proposal.

The file is tab-separated with one issue per row: proposal `prnr`, issue `isnr`, procedure
`proc` (COD/CNS), Council voting rule `counvte` (QMV/Unan), introduction date `intro`, adoption
date `finact`, positions `p<actor>` and saliences `s<actor>` of the Commission (`com`), the
Parliament (`ep`) and the member states (`at` ... `uk`), reference point `rp` and outcome `out`,
all on 0..100 scales. The rules (docs/formats.md) are:

- row 2 of the file carries per-state weights added by a later user, not DEU data: skipped (any
  row without `prnr`);
- the issues of a proposal go together into one scenario (`deu3-<prnr>`), so a model can trade
  across them;
- the schema needs every actor's position on every issue: an actor enters a proposal's scenario
  only if it has a position on *all* of the proposal's issues; the others are named in the
  scenario's description. A proposal left with fewer than two actors is skipped and reported;
- a missing salience beside a given position is 50 (the scale's middle, the usual DEU default);
- capability is the same (1) for every actor unless `capabilities` gives others by actor id:
  DEU III records no capabilities, and voting weights depend on the treaty in force. With
  `weights="eu"` each proposal gets the rule of :mod:`~standoff.scenario.formats.eu_council`
  (Council voting weights at the decision date, the Commission and the Parliament by procedure);
- dates are dd-mm-yy or dd-mm-yyyy; cells written yyyy-mm-dd are dd-mm-yy dates garbled by a
  spreadsheet and are decoded as such (see :func:`parse_date`);
- `rp`, when given, is the issue's status quo; `out`, when given, is a recorded outcome. Its date is `finact`
  when that is a plausible dd-mm-yy date (from `intro` to 2021-12-31), else `intro`: `finact`
  holds corrupt values (999, and garbled dates whose decoding falls before `intro`);
- the member states form a group `council`; under unanimity (`counvte` Unan) every member state
  present is a veto holder.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from standoff.errors import Problem, ScenarioError
from standoff.scenario.core import Scenario
from standoff.scenario.formats import eu_council
from standoff.scenario.formats._common import number, read_text
from standoff.scenario.io import build, slug

ACTORS: dict[str, tuple[str, str]] = {
    "com": ("commission", "European Commission"), "ep": ("parliament", "European Parliament"),
    "at": ("austria", "Austria"), "be": ("belgium", "Belgium"), "bu": ("bulgaria", "Bulgaria"),
    "cr": ("croatia", "Croatia"), "cy": ("cyprus", "Cyprus"), "cz": ("czechia", "Czechia"),
    "dk": ("denmark", "Denmark"), "ee": ("estonia", "Estonia"), "fi": ("finland", "Finland"),
    "fr": ("france", "France"), "de": ("germany", "Germany"), "el": ("greece", "Greece"),
    "hu": ("hungary", "Hungary"), "ie": ("ireland", "Ireland"), "it": ("italy", "Italy"),
    "lv": ("latvia", "Latvia"), "lt": ("lithuania", "Lithuania"),
    "lu": ("luxembourg", "Luxembourg"), "mt": ("malta", "Malta"),
    "nl": ("netherlands", "Netherlands"), "pl": ("poland", "Poland"),
    "pt": ("portugal", "Portugal"), "ro": ("romania", "Romania"), "si": ("slovenia", "Slovenia"),
    "sk": ("slovakia", "Slovakia"), "es": ("spain", "Spain"), "se": ("sweden", "Sweden"),
    "uk": ("united-kingdom", "United Kingdom"),
}
DEFAULT_SALIENCE = 50.0
LAST_PLAUSIBLE = dt.date(2021, 12, 31)
SOURCE = {"id": "deu3", "title": "A new dataset on legislative decision-making in the EU: the "
          "DEU III dataset", "publisher": "Arregui & Perarnaud 2021, doi:10.34810/data53 "
          "(CC BY 4.0)"}


@dataclass(frozen=True)
class DeuImport:
    """The scenarios read (one per proposal, in file order) and the proposals skipped, with why."""

    scenarios: list[Scenario]
    skipped: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, prnr: str) -> Scenario:
        for s in self.scenarios:
            if s.id == f"deu3-{slug(prnr)}":
                return s
        raise KeyError(prnr)


def read_deu(path: str | Path, **options: Any) -> DeuImport:
    """Read a DEU III file (tab-separated) into one scenario per proposal."""
    text, name = read_text(path, "DEU III")
    return parse_deu(text, file=name, **options)


def parse_date(text: str) -> dt.date | None:
    """A DEU III date: dd-mm-yy (yy < 50: 20yy, else 19yy) or dd-mm-yyyy; None otherwise.

    Some cells read yyyy-mm-dd, e.g. `2014-07-04` for proposal d04167: these are dd-mm-yy dates
    that a spreadsheet took for yy-mm-dd and wrote with a four-digit year (14 -> 2014, 30 ->
    1930). They are read back as day = the last two digits of the "year", month, year = the
    "day" (`2014-07-04` -> 14 July 2004), which puts every such introduction date in the year
    of its proposal number (tested).
    """
    parts = text.strip().split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    if len(parts[0]) == 4 and len(parts[2]) == 2:
        parts = [parts[0][2:], parts[1], parts[2]]
    elif len(parts[0]) != 2 or len(parts[2]) not in (2, 4):
        return None
    d, m, y = (int(p) for p in parts)
    if len(parts[2]) == 2:
        y = 2000 + y if y < 50 else 1900 + y
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def consent_groups(states: list[str], present: list[str], unanimity: bool, procedure: str,
                   decided: dt.date, weights: str, rule: str) -> tuple[list[dict], str | None]:
    """Who must consent to a proposal (docs/formats.md, DEU III; docs/models/consent.md), as
    groups, and the agenda setter (the Commission, when it has positions).

    - `council` (the member states present): under unanimity every one is a veto holder; under
      QMV the qualified majority on the decision date (:func:`eu_council.qmv_threshold`), counted
      in capabilities (`quota_basis: votes`) and in member states. A member state without a
      recorded position is taken to support the act (it raised no objection that DEU III
      records): its weight and its count go to the majority, so the quotas among the states
      present are (Q·T − A)/P of their weight and (n − a)/p of their number (T: the Council's
      total, A, a: the weight and number absent; P, p: present), at least 1e-6 and at most 1.
    - `parliament`: under codecision (COD) a party whose consent is needed; under consultation
      and other procedures a third party (an opinion only).
    - `commission`: a party of one, overridden by the council's unanimity (art. 293(1) TFEU).
    """
    groups: list[dict] = []
    if states:
        council: dict[str, Any] = {"id": "council", "name": "Council of the EU",
                                   "description": f"voting rule: {rule}"}
        if unanimity:
            council["veto"] = [ACTORS[c][0] for c in states]
        else:
            w = eu_council.council_weights(decided)
            if weights != "eu":
                w = {k: 1.0 for k in w}
            total = sum(w.values())
            share, count = eu_council.qmv_threshold(decided)
            absent = [k for k in w if k not in states]
            a_w, p_w = sum(w[k] for k in absent), sum(w.get(k, 0.0) for k in states)
            clip = lambda x: float(min(1.0, max(1e-6, x)))  # noqa: E731
            council.update({"quota_basis": "votes",
                            "ratification_quota": clip((share * total - a_w) / p_w) if p_w > 0
                            else 1e-6,
                            "description": f"voting rule: {rule}; qualified majority "
                                           f"{eu_council.council_rule(decided)} on {decided}"})
            if count is not None:
                council["member_quota"] = clip((count - len(absent)) / len(states))
        groups.append(council)
    if "ep" in present:
        cod = procedure.strip().upper() == "COD"
        groups.append({"id": "european-parliament", "name": "European Parliament",
                       "role": "party" if cod else "third-party",
                       "description": "co-legislator (codecision): its consent is needed" if cod
                       else "consulted: an opinion only"})
    setter = None
    if "com" in present:
        groups.append({"id": "european-commission", "name": "European Commission",
                       "description": "proposer; the Council amends its proposal only by "
                                      "unanimity (art. 293(1) TFEU)",
                       **({"overridden_by": "council"} if states else {})})
        setter = ACTORS["com"][0]
    return groups, setter


def parse_deu(text: str, *, file: str | None = None,
              capabilities: Mapping[str, float] | None = None,
              weights: str = "equal") -> DeuImport:
    """Parse DEU III text into one scenario per proposal (rules in the module docstring);
    `weights` is "equal" (capability 1, or `capabilities`) or "eu" (the EU rule by date)."""
    if weights not in ("equal", "eu"):
        raise ScenarioError([Problem("weights", f"unknown capability rule {weights!r}",
                                     "use 'equal' or 'eu'")], file=file)
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    if not rows:
        raise ScenarioError([Problem("", "empty file", "give the DEU III table with its header")],
                            file=file)
    header = [h.strip() for h in rows[0]]
    need = ["prnr", "isnr", "intro", "rp", "out"]
    missing = [c for c in need if c not in header]
    if missing:
        raise ScenarioError([Problem("header", f"missing column(s) {', '.join(missing)}",
                                     "give the DEU III header (prnr, isnr, ..., rp, out)", 1)],
                            file=file)
    col = {h: k for k, h in enumerate(header)}
    codes = [c for c in ACTORS if f"p{c}" in col]
    problems: list[Problem] = []
    proposals: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for n, row in enumerate(rows[1:], start=2):
        cells = {h: (row[k].strip() if k < len(row) else "") for h, k in col.items()}
        if not cells["prnr"]:
            continue  # row 2: weights added by a later user, not DEU data
        proposals.setdefault(cells["prnr"], []).append((n, cells))
    scenarios, skipped = [], {}
    caps = dict(capabilities or {})
    for prnr, items in proposals.items():
        complete, dropped = [], []
        for c in codes:
            has = [bool(cells[f"p{c}"]) for _, cells in items]
            if all(has):
                complete.append(c)
            elif any(has):
                dropped.append(c)
        if len(complete) < 2:
            skipped[prnr] = (f"only {len(complete)} actor(s) have positions on all "
                             f"{len(items)} issues")
            continue
        first_line, first = items[0]
        intro = parse_date(first.get("intro", ""))
        if intro is None:
            problems.append(Problem(f"proposal {prnr}: intro", f"{first.get('intro')!r} is not a "
                                    "dd-mm-yy date", "write the introduction date as dd-mm-yy",
                                    first_line))
            continue
        issues, recorded = [], []
        positions: dict[str, dict[str, float]] = {c: {} for c in complete}
        salience: dict[str, dict[str, float]] = {c: {} for c in complete}
        for n, cells in items:
            iid = slug(cells["isnr"])
            issue: dict[str, Any] = {"id": iid, "title": f"{cells.get('prname', prnr)} "
                                     f"({cells['isnr']})", "min": 0.0, "max": 100.0}
            if cells["rp"]:
                rp = number(cells["rp"], f"{cells['isnr']}: rp", n, problems)
                if rp is not None:
                    issue["status_quo"] = {"value": rp, "source": "deu3"}
            issues.append(issue)
            for c in complete:
                x = number(cells[f"p{c}"], f"{cells['isnr']}: p{c}", n, problems)
                s_text = cells.get(f"s{c}", "")
                s = number(s_text, f"{cells['isnr']}: s{c}", n, problems) if s_text \
                    else DEFAULT_SALIENCE
                if x is not None and s is not None:
                    positions[c][iid], salience[c][iid] = x, s
            out = number(cells["out"], f"{cells['isnr']}: out", n, problems) if cells["out"] \
                else None
            if out is not None:
                adopted = parse_date(cells.get("finact", ""))
                ok = adopted is not None and intro <= adopted <= LAST_PLAUSIBLE
                recorded.append({"date": adopted if ok else intro, "issue": iid, "value": out,
                                 "source": "deu3",
                                 "description": "outcome (adoption date)" if ok else
                                 "outcome (date: introduction; finact missing or implausible: "
                                 f"{cells.get('finact') or 'blank'})"})
        if problems:
            continue
        unanimity = first.get("counvte", "").lower().startswith("unan")
        states = [c for c in complete if c not in ("com", "ep")]
        rule_note = ""
        if weights == "eu":
            decided = eu_council.decision_date(intro, states)
            caps = {ACTORS[c][0]: v for c, v in
                    eu_council.capabilities(decided, first.get("proc", "")).items() if c in ACTORS}
            rule_note = (f" Capabilities: Council {eu_council.council_rule(decided)} as of "
                         f"{decided}; Commission and Parliament by procedure (`standoff docs backtest`).")
        actors = []
        for c in complete:
            aid, name = ACTORS[c]
            entry: dict[str, Any] = {"id": aid, "name": name,
                                     "capability": float(caps.get(aid, 1.0)),
                                     "positions": positions[c], "salience": salience[c]}
            if c in states:
                entry["group"] = "council"
            elif c == "ep":
                entry["group"] = "european-parliament"
            elif c == "com":
                entry["group"] = "european-commission"
            actors.append(entry)
        groups, setter = consent_groups(states, complete, unanimity, first.get("proc", ""),
                                        eu_council.decision_date(intro, states), weights,
                                        first.get("counvte") or "unknown")
        note = f"DEU III proposal {prnr} ({first.get('prname', '')}), procedure " \
               f"{first.get('proc') or 'unknown'}, Council rule {first.get('counvte') or 'unknown'}." \
               + rule_note
        if dropped:
            note += " Left out (positions on some issues only): " + \
                ", ".join(ACTORS[c][1] for c in dropped) + "."
        raw = {"id": f"deu3-{slug(prnr)}", "title": f"{first.get('prname') or prnr} ({prnr})",
               "description": note, "baseline": intro, "sources": [SOURCE], "issues": issues,
               "groups": groups, "actors": actors, "recorded": recorded}
        if setter:
            raw["agenda_setter"] = setter
        try:
            scenarios.append(build(raw, file=file, lines={("issues", k): n for k, (n, _) in
                                                          enumerate(items)}))
        except ScenarioError as exc:
            problems += [Problem(f"proposal {prnr}: {p.where}", p.message, p.fix,
                                 p.line or first_line) for p in exc.problems]
    if problems:
        raise ScenarioError(problems, file=file)
    return DeuImport(scenarios, skipped)
