"""Stories, not reports: reports of one event by several publishers merged into one story.

Wire services, newspapers and event coders report the same act many times; counted one by one,
a single summit reported by ten publishers would be ten pieces of evidence. Two reports are of the
same story when (the rule of docs/events.md, "Stories", parameterised by :class:`StoryRule`):

1. they have the same **ordered dyad** (source, target), as matched to the case's actors;
2. they have the same **CAMEO root** (`match="root"`, the default; a report with no CAMEO code
   compares its PLOVER category) or the same **quad class** (`match="quad"`);
3. the later is dated within `window_days` days of the story's **first** report (0: the same
   day; the first report anchors the window, so a run of daily reports does not chain into one
   story);
4. its text is **similar** to the text of some report of the story: token Jaccard (or difflib's
   ratio) at least `similarity`. Texts that say no more than the code (ICEWS's and GDELT's event
   text is the CAMEO name) and empty texts carry nothing to compare, and pass.

Reports are taken in date order (file order within a day); a report joins the first open story it
matches, else starts a new one. Every story keeps its reports, so its sources (publishers) and the
file lines they came from are never lost.

Pure functions on data: no I/O.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from standoff.errors import StandoffError
from standoff.events.codebook import ROOT_PLOVER, Coded, codebook, goldstein_table
from standoff.events.matching import MatchedEvent
from standoff.events.record import EventRecord
from standoff.scenario.schema import Event

#: Words too common to tell two texts apart.
STOP_WORDS = frozenset("""a an and as at be by for from has have he her his in is it its of on or
said says say that the their they this to was were will with""".split())

#: The provenance suffix `events import --attach` gives an imported event's description.
_PROVENANCE = re.compile(r"\s*\[([^\]]*)\]\s*$")


class StoryRuleError(StandoffError):
    """A story rule parameter out of its range."""


@dataclass(frozen=True, slots=True)
class StoryRule:
    """When two reports are one story (see the module docstring; defaults documented in docs/events.md).

    `window_days`: days after a story's first report that a report may still join it (0: same day).
    `match`: reports must share the CAMEO `root` or only the `quad` class.
    `similarity`: least text similarity, 0..1 (0: any text joins).
    `measure`: `jaccard` (shared words over all words, stop words dropped) or `difflib`
    (difflib.SequenceMatcher's ratio on the normalised texts).
    """

    window_days: int = 1
    match: Literal["root", "quad"] = "root"
    similarity: float = 0.3
    measure: Literal["jaccard", "difflib"] = "jaccard"

    def __post_init__(self) -> None:
        if not isinstance(self.window_days, int) or self.window_days < 0:
            raise StoryRuleError(f"story window {self.window_days!r} days is not a whole number ≥ 0",
                                 where="window_days", fix="give 0 (same day) or more days")
        if self.match not in ("root", "quad"):
            raise StoryRuleError(f"unknown match {self.match!r}", where="match", fix="use root or quad")
        if not 0.0 <= self.similarity <= 1.0:
            raise StoryRuleError(f"similarity {self.similarity:g} is outside [0, 1]", where="similarity",
                                 fix="give a value from 0 (any text) to 1 (the same words)")
        if self.measure not in ("jaccard", "difflib"):
            raise StoryRuleError(f"unknown similarity measure {self.measure!r}", where="measure",
                                 fix="use jaccard or difflib")


@dataclass(frozen=True, slots=True)
class Report(Coded):
    """One report of an event, as the story rule sees it.

    `source` and `target` are the case's actor or group ids where the report was matched (else the
    names as the data spells them); `publisher` names who reported it; `where` the file and line;
    `item` is what the report was made from (an EventRecord, MatchedEvent or scenario Event).
    """

    date: dt.date
    source: str
    target: str | None
    cameo: str | None
    plover: str | None
    goldstein: float | None
    text: str
    publisher: str = ""
    where: str = ""
    item: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Story:
    """One event as reported by one or more publishers: its reports, in the order they were read.

    The story takes its date, dyad and text from its first report, its CAMEO code from the code most
    of its reports give (the first such on a tie), and its Goldstein score as the mean of its
    reports' scores (the code's score from the table where a report carries none).
    """

    reports: tuple[Report, ...]

    @property
    def first(self) -> Report:
        return self.reports[0]

    @property
    def date(self) -> dt.date:
        return self.first.date

    @property
    def source(self) -> str:
        return self.first.source

    @property
    def target(self) -> str | None:
        return self.first.target

    @property
    def text(self) -> str:
        return self.first.text

    @property
    def cameo(self) -> str | None:
        codes = Counter(r.cameo for r in self.reports if r.cameo is not None)
        if not codes:
            return None
        top = max(codes.values())
        return next(r.cameo for r in self.reports if r.cameo is not None and codes[r.cameo] == top)

    @property
    def quad(self) -> int | None:
        return self.first.quad

    @property
    def plover(self) -> str | None:
        code = self.cameo
        return self.first.plover if code is None else (ROOT_PLOVER.get(code[:2]) or self.first.plover)

    @property
    def goldstein(self) -> float | None:
        table = goldstein_table()
        scores = [r.goldstein if r.goldstein is not None else table.get(r.cameo or "")
                  for r in self.reports]
        scores = [s for s in scores if s is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct publishers, in the order first seen (reports without one are left out)."""
        return tuple(dict.fromkeys(r.publisher for r in self.reports if r.publisher))

    @property
    def items(self) -> tuple[Any, ...]:
        return tuple(r.item for r in self.reports)

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "source": self.source, "target": self.target,
                "cameo": self.cameo, "quad": self.quad, "goldstein": self.goldstein, "text": self.text,
                "sources": list(self.sources), "reports": len(self.reports),
                "where": [r.where for r in self.reports if r.where]}


# --- text similarity ----------------------------------------------------------------------------
def words(text: str) -> frozenset[str]:
    """The set of lower-case words of a text, stop words dropped."""
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.casefold()) if w not in STOP_WORDS)


def similarity(a: str, b: str, measure: str = "jaccard") -> float:
    """How alike two texts are, 0..1: token Jaccard (stop words dropped) or difflib's ratio."""
    if measure == "difflib":
        na, nb = " ".join(a.casefold().split()), " ".join(b.casefold().split())
        return difflib.SequenceMatcher(None, na, nb).ratio() if na or nb else 1.0
    wa, wb = words(a), words(b)
    if not wa and not wb:
        return 1.0
    return len(wa & wb) / len(wa | wb)


def says_only_the_code(report: Report) -> bool:
    """True when the report's text is empty or only the name of its CAMEO code (nothing to compare)."""
    text = " ".join(report.text.casefold().split())
    if not text:
        return True
    entry = codebook().get(report.cameo or "")
    return entry is not None and text == " ".join(entry.name.casefold().split())


# --- merging ------------------------------------------------------------------------------------
def _kind(report: Report, rule: StoryRule) -> object:
    if rule.match == "quad":
        return report.quad
    return report.root if report.cameo is not None else f"plover:{report.plover}"


def _alike(report: Report, story: list[Report], rule: StoryRule) -> bool:
    if rule.similarity == 0.0 or says_only_the_code(report):
        return True
    return any(says_only_the_code(r) or similarity(report.text, r.text, rule.measure) >= rule.similarity
               for r in story)


def merge(reports: Iterable[Report], rule: StoryRule | None = None) -> list[Story]:
    """The stories of a list of reports under `rule` (default :class:`StoryRule`), ordered by their
    first report (date, then input order). Every report lands in exactly one story."""
    rule = rule or StoryRule()
    ordered = sorted(enumerate(reports), key=lambda x: (x[1].date, x[0]))
    stories: list[list[Report]] = []
    open_: dict[tuple, list[list[Report]]] = {}
    for _, report in ordered:
        key = (report.source, report.target, _kind(report, rule))
        bucket = open_.setdefault(key, [])
        bucket[:] = [s for s in bucket if (report.date - s[0].date).days <= rule.window_days]
        for story in bucket:
            if _alike(report, story, rule):
                story.append(report)
                break
        else:
            story = [report]
            bucket.append(story)
            stories.append(story)
    return [Story(tuple(s)) for s in stories]


# --- reports from the three kinds of input ------------------------------------------------------
def _where(origin_file: str, line: int) -> str:
    return f"{origin_file}:{line}" if origin_file and line else (f"line {line}" if line else "")


def report_of_record(record: EventRecord, file: str = "") -> Report:
    """A report of an unmatched record: its sides as the data names them."""
    return Report(record.date, record.source or record.source_country, record.target or record.target_country
                  or None, record.cameo, record.plover, record.goldstein, record.text, record.origin,
                  _where(file, record.line), record)


def report_of_matched(event: MatchedEvent, file: str = "") -> Report:
    """A report of a matched event: its sides as the case's ids (the actor, else the group)."""
    r = event.record
    who = lambda p: None if p is None else (p.actor or p.group)  # noqa: E731
    return Report(r.date, who(event.source) or "", who(event.target), r.cameo, r.plover, r.goldstein, r.text,
                  r.origin, _where(file, r.line), event)


def report_of_event(event: Event) -> Report:
    """A report of a scenario event. An imported event's provenance suffix (`[publisher, line N]`,
    see `events import --attach`) is read as its publisher and left out of the text compared."""
    text, publisher, where = event.description.strip(), event.source or "", ""
    found = _PROVENANCE.search(text)
    if found is not None:
        text = text[:found.start()]
        head, _, line = found.group(1).rpartition(", line ")
        if head and line.strip().isdigit():
            publisher, where = publisher or head, f"line {line.strip()}"
        elif not head and found.group(1).startswith("imported, line"):
            where = found.group(1).removeprefix("imported, ")
    entry = codebook().get(event.cameo)
    return Report(event.date, event.actor, event.target, event.cameo, entry.plover if entry else None,
                  entry.goldstein if entry else None, text, publisher, where, event)


def matched_stories(events: Sequence[MatchedEvent], rule: StoryRule | None = None,
                    file: str = "") -> list[Story]:
    """The stories of matched events (their sides as the case's ids)."""
    return merge((report_of_matched(e, file) for e in events), rule)


def event_stories(events: Sequence[Event], rule: StoryRule | None = None) -> list[Story]:
    """The stories of scenario events; each report's `item` is its Event."""
    return merge((report_of_event(e) for e in events), rule)
