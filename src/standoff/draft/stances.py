"""Quote, for each proposed actor and issue, the sentences that speak to its position.

A sentence speaks to an actor's position on an issue when it names the actor (any of its
names, or for a state any member of it) and one of the issue's key words. The quotes are
evidence for the analyst; no number is ever derived from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from standoff.draft.gazetteer import Found
from standoff.draft.sentences import Sentence

#: issues proposed when no scenario is given: id -> (title, key-word stems)
THEMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "denuclearization": ("Denuclearization",
                         ("denucleari", "nuclear", "nukes", "disarm", "arsenal", "warhead")),
    "sanctions-relief": ("Sanctions relief", ("sanction", "embargo")),
    "military-presence": ("Foreign military presence and exercises",
                          ("troops", "forces", "military drills", "exercises", "bases")),
    "security-guarantees": ("Security guarantees", ("guarantee", "peace treaty", "peace regime", "security")),
    "economic-aid": ("Economic aid and investment", ("economic assistance", "aid", "investment")),
    "trade": ("Trade", ("tariff", "trade", "exports", "imports")),
    "territory": ("Territory and borders", ("territor", "border", "annex")),
    "emissions": ("Emissions", ("emission", "carbon", "climate")),
}
STOP = frozenset("the and for with from that this issue of on in to a an".split())


@dataclass(frozen=True, slots=True)
class Quote:
    """A sentence quoted as evidence, with its offsets in the document."""

    start: int
    end: int
    text: str


def issue_keywords(scenario=None) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Issue id -> (title, key words): the scenario's issues (ids, titles, THEMES of the same id),
    or THEMES."""
    if scenario is None:
        return dict(THEMES)
    out = {}
    for issue in scenario.issues:
        # the id's words and the title's lower-case words (not its proper names: "North Korean")
        words = {w for w in re.split(r"[^a-z]+", issue.id) if len(w) >= 4 and w not in STOP}
        words |= {w for w in re.findall(r"\b[a-z]{4,}\b", issue.title) if w not in STOP}
        words |= set(THEMES.get(issue.id, ("", ()))[1])
        out[issue.id] = (issue.title, tuple(sorted(words)))
    return out


def _mentions_issue(text: str, words: tuple[str, ...]) -> bool:
    low = " ".join(text.lower().split())
    return any(re.search(r"\b" + re.escape(w), low) for w in words)


def propose_issues(sentences: list[Sentence], min_sentences: int = 2) -> list[str]:
    """Themes named in at least `min_sentences` sentences, most-mentioned first."""
    counts = {k: sum(_mentions_issue(s.text, words) for s in sentences) for k, (_, words) in THEMES.items()}
    return [k for k, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n >= min_sentences]


def stances(sentences: list[Sentence], found: Found, actor_ids: dict[str, set[str]],
            issues: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, dict[str, list[Quote]]]:
    """actor -> issue -> quotes; `actor_ids` maps each proposed actor to the entity ids it speaks for."""
    out: dict[str, dict[str, list[Quote]]] = {a: {i: [] for i in issues} for a in actor_ids}
    for s in sentences:
        named = {m.entity for m in found.in_span(s.start, s.end)}
        if not named:
            continue
        for issue_id, (_, words) in issues.items():
            if not _mentions_issue(s.text, words):
                continue
            for actor, ids in actor_ids.items():
                if named & ids:
                    out[actor][issue_id].append(Quote(s.start, s.end, s.text))
    return out
