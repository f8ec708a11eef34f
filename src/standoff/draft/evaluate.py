"""Precision and recall of a draft's actors, dates and events against a hand-made gold list.

Matching rules (docs/draft.md):

- actors: a proposed entity (state, person, organisation) matches a gold actor when one of its
  names in the text equals one of the gold actor's names (case and a leading "the" ignored).
  Precision = matching proposed entities / proposed entities; recall = gold actors matched.
- dates: a date mention is right when it overlaps an occurrence of a gold date's cue in the text
  and its interval lies inside the gold interval. Precision over mentions, recall over gold dates.
- events: a proposed event's actors are mapped to the gold's states (through the gold names; a
  person maps to the state it acts for); proposed events are de-duplicated on (source, target,
  root, date). A proposed event matches a gold event with the same CAMEO root and the same
  ordered pair of actors (either order for root 04, consult), and whose date lies inside the
  gold date, or both without date. Each gold event matches at most one proposed event.
  A diagnostic variant ignores the dates on both sides.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Score:
    """Counts and the precision/recall they give."""

    hits_predicted: int
    predicted: int
    hits_gold: int
    gold: int

    @property
    def precision(self) -> float:
        return self.hits_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.hits_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: str | Path) -> dict[str, Any]:
    """A gold list (YAML; see tests/draft/gold/seed-gold.yaml for the layout)."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def interval(value: Any) -> tuple[dt.date, dt.date] | None:
    """A gold date (day, `YYYY-MM`, year, or [first, last]) as an interval; None for null."""
    if value is None:
        return None
    if isinstance(value, list):
        return interval(value[0])[0], interval(value[1])[1]
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, int):
        return dt.date(value, 1, 1), dt.date(value, 12, 31)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        first = dt.date.fromisoformat(text + "-01")
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    if re.fullmatch(r"\d{4}", text):
        return interval(int(text))
    day = dt.date.fromisoformat(text)
    return day, day


def _norm(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip())
    return re.sub(r"^the\s+", "", name, flags=re.I).lower()


def _name_index(gold: dict) -> tuple[dict[str, str], dict[str, str]]:
    """gold name -> gold actor id, and gold actor id -> the state it acts for."""
    names, state = {}, {}
    for a in gold["actors"]:
        for n in a["names"]:
            names[_norm(n)] = a["id"]
        state[a["id"]] = a.get("group") or a["id"]
    return names, state


def score_actors(entity_names: dict[str, list[str]], gold: dict) -> Score:
    """entity id -> its names in the text, against the gold actors."""
    names, _ = _name_index(gold)
    hit_pred, hit_gold = 0, set()
    for _, ns in entity_names.items():
        ids = {names[_norm(n)] for n in ns if _norm(n) in names}
        if ids:
            hit_pred += 1
            hit_gold |= ids
    return Score(hit_pred, len(entity_names), len(hit_gold), len(gold["actors"]))


def score_dates(mentions: list[tuple[int, int, dt.date, dt.date]], text: str, gold: dict) -> Score:
    """Date mentions (start, end, first, last) against the gold dates."""
    spans = []
    for k, g in enumerate(gold["dates"]):
        lo, hi = interval(g["value"])
        for m in re.finditer(re.escape(g["cue"]), text):
            spans.append((m.start(), m.end(), lo, hi, k))
    hit_pred, hit_gold = 0, set()
    for start, end, first, last in mentions:
        ok = [k for s, e, lo, hi, k in spans if start < e and s < end and lo <= first and last <= hi]
        if ok:
            hit_pred += 1
            hit_gold |= set(ok)
    return Score(hit_pred, len(mentions), len(hit_gold), len(gold["dates"]))


def map_event_actor(entity: str | None, entity_names: dict[str, list[str]], gold: dict) -> str | None:
    """A proposed actor id as the gold state it stands for (unchanged when the gold has no name for it)."""
    if entity is None:
        return None
    names, state = _name_index(gold)
    for n in entity_names.get(entity, []):
        if _norm(n) in names:
            return state[names[_norm(n)]]
    return entity


def score_events(events: list[tuple[str, str | None, str, tuple[dt.date, dt.date] | None]],
                 gold: dict, *, dates: bool = True) -> Score:
    """Proposed events (source, target, root, date interval or None), already mapped to gold ids;
    `dates=False` ignores the dates on both sides (a diagnostic: how many misses are dates)."""
    if not dates:
        events = [(s, t, r, None) for s, t, r, _ in events]
        gold = {**gold, "events": [{**g, "date": None} for g in gold["events"]]}
    unique = list(dict.fromkeys(events))
    used: set[int] = set()
    hits = 0
    for source, target, root, when in unique:
        for k, g in enumerate(gold["events"]):
            if k in used or g["root"] != root:
                continue
            pair = (g["source"], g["target"])
            if (source, target) != pair and not (root == "04" and (target, source) == pair):
                continue
            gi = interval(g["date"])
            if (gi is None) != (when is None):
                continue
            if gi is not None and not (gi[0] <= when[0] and when[1] <= gi[1]):
                continue
            used.add(k)
            hits += 1
            break
    return Score(hits, len(unique), hits, len(gold["events"]))


def evaluate(analysis, gold: dict) -> dict[str, Score]:
    """Scores of an :class:`~standoff.draft.draft.Analysis` against a gold list."""
    found = analysis.found
    entity_names = {eid: [m.text for m in e.mentions] for eid, e in found.entities.items()}
    actors = score_actors(entity_names, gold)
    dates = score_dates([(d.start, d.end, d.first, d.last) for d in analysis.dates], analysis.text, gold)
    coded = [(map_event_actor(e.source, entity_names, gold), map_event_actor(e.target, entity_names, gold),
              e.root, (e.date.first, e.date.last) if e.date else None) for e in analysis.events]
    return {"actors": actors, "dates": dates, "events": score_events(coded, gold),
            "events, dates ignored": score_events(coded, gold, dates=False)}
