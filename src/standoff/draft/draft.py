"""Assemble a reviewable draft scenario from a text: actors, groups, issues, events, evidence.

The draft is a scenario file. Every proposed item carries the quote and the character offsets
it came from (in `description` or `note`, as `text[start:end] “quote”`). Every number the
text cannot support (capabilities, positions, saliences, issue scales, undated events) is left
`null` and listed as a to-do in the header; once the analyst fills them the file validates with
`standoff validate`. The draft never invents a number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from standoff.draft.coding import Coded, code_events, make_coder
from standoff.draft.dates import DateMention, document_date, find_dates
from standoff.draft.gazetteer import Found, find_actors, slug
from standoff.draft.sentences import Sentence, split_sentences
from standoff.draft.stances import THEMES, issue_keywords, propose_issues, stances
from standoff.errors import StandoffError

QUOTE_MAX = 160


def cite(text: str, start: int, end: int) -> str:
    """`text[start:end] “quote”`, the quote shortened with an ellipsis past QUOTE_MAX characters."""
    quote = " ".join(text[start:end].split())
    if len(quote) > QUOTE_MAX:
        quote = quote[:QUOTE_MAX - 1].rstrip() + "…"
    return f"text[{start}:{end}] “{quote}”"


def read_text(path: str | Path) -> str:
    """The text of a file; a missing, binary or non-UTF-8 file is a StandoffError."""
    p = Path(path)
    if not p.is_file():
        raise StandoffError("no such file", file=str(path), fix="give the path of a plain-text file")
    raw = p.read_bytes()
    if b"\x00" in raw[:8192]:
        raise StandoffError("a binary file, not text", file=str(path),
                            fix="convert it to plain text (UTF-8) first")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StandoffError(f"not UTF-8 text (byte {exc.start})", file=str(path),
                            fix="save the file as UTF-8 plain text") from None


@dataclass
class Analysis:
    """Everything read from a text: sentences, document date, actors, dates, coded events."""

    text: str
    date: dt.date
    date_origin: str
    sentences: list[Sentence]
    found: Found
    dates: list[DateMention]
    events: list[Coded]
    coder: Any


def analyse(text: str, *, date: dt.date | None = None, scenario=None, coder: str | Any = "auto",
            name: str = "text") -> Analysis:
    """Read sentences, the document date, actors, dates and events from a text."""
    sentences = split_sentences(text)
    origin = "--date"
    if date is None:
        date = document_date(text)
        origin = "the document's date line"
    if date is None:
        raise StandoffError("the text has no date line with a year", file=name,
                            fix="give the document's date with --date YYYY-MM-DD")
    coder = make_coder(coder) if isinstance(coder, str) else coder
    found = find_actors(text, sentences, scenario)
    dates = find_dates(text, date)
    events = code_events(sentences, found, dates, coder)
    return Analysis(text, date, origin, sentences, found, dates, events, coder)


def make_draft(text: str, *, date: dt.date | None = None, scenario=None, coder: str | Any = "auto",
               name: str = "text") -> dict[str, Any]:
    """Draft a scenario (a plain mapping, ready for YAML) and its review notes from a text."""
    a = analyse(text, date=date, scenario=scenario, coder=coder, name=name)
    sentences, found, dates, events, coder, date, origin = (a.sentences, a.found, a.dates, a.events,
                                                            a.coder, a.date, a.date_origin)

    if scenario is not None:
        issues_kw = issue_keywords(scenario)
        issue_items = [i.model_dump(mode="json", exclude_none=True) for i in scenario.issues]
    else:
        chosen = propose_issues(sentences) or propose_issues(sentences, min_sentences=1)
        issues_kw = {k: THEMES[k] for k in chosen}
        issue_items = [{"id": k, "title": THEMES[k][0], "min": None, "max": None,
                        "description": _first_quote(text, sentences, THEMES[k][1])} for k in chosen]
        if not issue_items:  # a scenario needs an issue: one for the analyst to name
            issue_items = [{"id": "issue-1", "title": None, "min": None, "max": None,
                            "description": "no issue theme found in the text"}]

    groups, actors, speaks_for = _actors(text, found)
    quotes = stances(sentences, found, speaks_for, issues_kw)
    for actor in actors:
        for issue_id in (i["id"] for i in issue_items):
            q = quotes[actor["id"]].get(issue_id, [])
            actor["positions"][issue_id] = {"value": None, "note": "; ".join(
                cite(text, x.start, x.end) for x in q[:4])} if q else None
            actor["salience"][issue_id] = None

    parties = {g["id"] for g in groups} | {a["id"] for a in actors}
    event_items = []
    for e in events:
        if e.source not in parties or (e.target is not None and e.target not in parties):
            continue
        item = {"date": event_date(e, date), "actor": e.source}
        if e.target is not None:
            item["target"] = e.target
        item.update({"cameo": e.code, "description": describe(e, coder, text), "source": "text"})
        event_items.append(item)

    scenario_map = {
        "id": slug(Path(name).stem)[:60].strip("-") or "draft",
        "title": _title(sentences) or Path(name).stem,
        "description": f"Draft read from {Path(name).name}; review every item against its quote.",
        "baseline": date,
        "sources": [{"id": "text", "title": Path(name).name, "date": date}],
        "issues": issue_items,
        "groups": groups,
        "actors": actors,
        "events": event_items,
    }
    notes = {
        "coder": coder.note,
        "document_date": f"{date.isoformat()} (from {origin})",
        "dates": [f"{d.label} ← {cite(text, d.start, d.end)}" for d in dates],
        "unclassified_names": sorted({m.text for m in found.unclassified}),
        "todo": todo_paths(scenario_map),
    }
    return {"scenario": scenario_map, "notes": notes}


def event_date(e: Coded, document: dt.date) -> dt.date:
    """The event's date: the first date its sentence names (a week's or month's first day), else
    the document's date."""
    return e.date.first if e.date is not None else document


def describe(e: Coded, coder, text: str) -> str:
    """An event's description: the coder, its cue, where its date came from, and the quote."""
    when = f"date from “{' '.join(e.date.text.split())}”" if e.date is not None else \
        "no date in the sentence: the document's date"
    return f"{coder.name} coder, cue “{e.cue}”, {when}: " + cite(text, e.sentence.start, e.sentence.end)


def _first_quote(text, sentences, words) -> str | None:
    for s in sentences:
        if any(re.search(r"\b" + re.escape(w), s.text.lower()) for w in words):
            return "evidence: " + cite(text, s.start, s.end)
    return None


def _title(sentences) -> str | None:
    for s in sentences[:12]:
        line = s.text.split("\n")[0].strip()  # a title and a date line below it are one paragraph
        if not line.endswith((".", ":", "!", "?")) and len(line.split()) >= 4:
            return line
    return None


def _actors(text: str, found: Found) -> tuple[list[dict], list[dict], dict[str, set[str]]]:
    """Groups (states, each with a `-government` actor) and actors (people, organisations)."""
    groups, actors = [], []
    speaks_for: dict[str, set[str]] = {}
    for e in found.entities.values():
        first = e.mentions[0]
        where = cite(text, first.start, first.end)
        if e.kind == "state":
            groups.append({"id": e.id, "name": e.name,
                           "note": f"named as {', '.join(e.names)}; first {where}"})
            aid = f"{e.id}-government"
            actors.append(_actor(aid, f"Government of {e.name}", e.id, e.names,
                                 f"stands for the state as a whole; first {where}"))
            speaks_for[aid] = {e.id}
        else:
            group = e.group if e.group in found.entities else None
            actors.append(_actor(e.id, e.name, group, e.names, f"{e.kind}; first {where}"))
            speaks_for[e.id] = {e.id}
    return groups, actors, speaks_for


def _actor(aid: str, name: str, group: str | None, names: list[str], description: str) -> dict:
    item: dict[str, Any] = {"id": aid, "name": name}
    if group:
        item["group"] = group
    item.update({"description": description, "aliases": [n for n in names if n != name],
                 "capability": None, "positions": {}, "salience": {}})
    return item


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors and aliases (events of one date would otherwise share `&id001`)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    """Block-style YAML of plain data, keys in order, no anchors or aliases."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def todo_paths(node: Any, path: str = "") -> list[str]:
    """Every place where the draft leaves a value for the analyst (a `null`), as a dotted path."""
    out: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            out += todo_paths(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += todo_paths(v, f"{path}[{i}]")
    elif node is None:
        out.append(path)
    return out


def to_yaml(draft: dict[str, Any]) -> str:
    """The draft scenario as YAML, with the review notes (coder, dates, to-dos) as a comment header."""
    notes = draft["notes"]
    lines = ["# Draft scenario — review before use. Every `null` is a to-do for the analyst:",
             f"# {len(notes['todo'])} to-do items (capabilities, positions, saliences, scales, dates).",
             f"# coder: {notes['coder']}",
             f"# document date: {notes['document_date']}",
             "# dates found: " + (", ".join(d.split(" ← ")[0] for d in notes["dates"]) or "none"),
             "# unclassified names: " + (", ".join(notes["unclassified_names"]) or "none"),
             "# to-do:"]
    lines += [f"#   {p}" for p in notes["todo"]]
    body = dump(draft["scenario"])
    return "\n".join(lines) + "\n" + body
