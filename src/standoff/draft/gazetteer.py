"""Find the states, organisations and people a text names, and merge the names that co-refer.

Three sources of names, in order of trust: the aliases of a scenario (`--scenario`), the bundled
list of states (name, capital, demonym, common short forms and seats of government) and
international organisations (package data `data/gazetteer/`), and capitalised phrases of the
text. A capitalised phrase becomes a person when a title precedes it ("Secretary of State Mike
Pompeo") or when it has two to four name words and is named again by its first or last word
("Donald Trump" ... "Trump"); an organisation when it ends in an organisation word ("NK News",
"Defence Ministry"). Other capitalised phrases are returned as unclassified, for the analyst.

Coreference: a state is one entity under all its names ("Pyongyang", "North Korea", "North
Koreans"); "the North"/"the South" is the one state named in the text whose name starts with
that word; a surname alone is the person named in full elsewhere in the text.

Venues and demonyms are not actors. A state (or a scenario group) is proposed only when the
text names it as a party at least once: by a name (name, capital, alias, seat of government)
that is not a venue, or as the state of a proposed person ("Chinese President Xi Jinping").
A venue is a name after a place preposition ("in", "at", "near", "inside", "outside",
optionally followed by "the": "a summit in Singapore", "at the White House") or just before a
venue noun ("the Singapore summit", "the Hanoi meeting"). A demonym or its plural ("Korean",
"American", "Vietnamese", "North Koreans") only ever refers to a state that is proposed for
another reason: "the Vietnamese capital" or "the first sitting American president" propose
nothing. A capitalised phrase after a place preposition, or ending in a place word ("Sentosa
Island", "Capella Hotel", "Korean Peninsula"), is never a person or an organisation: it is
listed as unclassified, for the analyst.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from standoff.draft.sentences import Sentence

TITLES = ("Secretary of State", "Secretary of Defense", "Secretary of Defence", "National Security Adviser",
          "National Security Advisor", "Foreign Minister", "Defence Minister", "Defense Minister",
          "Prime Minister", "Supreme Leader", "Vice President", "President", "Premier", "Chancellor",
          "Minister", "Secretary", "Adviser", "Advisor", "Ambassador", "Senator", "Representative",
          "General", "Gen.", "Admiral", "Chairman", "Chairwoman", "Leader", "King", "Queen", "Prince",
          "Envoy", "Mr.", "Mrs.", "Ms.", "Dr.", "Governor", "Mayor", "Spokesman", "Spokeswoman")
ORG_WORDS = frozenset("""News Agency Ministry Council Committee Party Army Navy Organization Organisation
Union Bank Fund Administration Commission Corps Command Front Movement Guard Court Parliament Congress
Senate Assembly Department Office Service Bureau Forces Alliance Coalition Federation""".split())
NOT_NAMES = frozenset("""The A An And But Or If In On At By For From To Of With As It Its This That These
Those There Here What When Where Why How Who Whom Which While Whether We Our Us They Their He His She Her
I You Your My Nothing Everything Everyone Anyone Since Among Already Indeed Perhaps Maybe True Such One
Two Three First Second Later Earlier Last Next Some Many Most More Less Not No Yes Although Though After
Before During Until According Whatever However Moreover Also Still Yet So Then Now Once""".split())
MONTHS = frozenset("""January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split())
LOCATIVE = re.compile(r"(?:\b(?:[Ii]n|[Aa]t|[Nn]ear|[Ii]nside|[Oo]utside)\s+(?:the\s+)?)$")
#: nouns that make the name just before them a venue ("the Singapore summit")
VENUE_NOUN = re.compile(r"[ \t]+(?:summit|meeting|conference|talks venue|Olympics|Games|Declaration|"
                        r"declaration|accord|accords)\b")
#: words that end the name of a place, never of a person or an organisation
PLACE_WORDS = frozenset("""Island Islands Hotel Resort Peninsula Zone Village Palace Hall Square Street
Avenue Centre Center Airport Port Bay River Sea Strait Mountain Mountains Province Prefecture County City
Capital Region Laboratory Stadium Park Building Tower Bridge""".split())


@dataclass(frozen=True, slots=True)
class Entry:
    """One known name list: an entity id, its display name, kind, group and every alias."""

    id: str
    name: str
    kind: str  # state | organisation | person | group | actor
    aliases: tuple[str, ...]
    group: str | None = None
    plural_ok: tuple[str, ...] = ()  # aliases that may take a plural s (demonyms)


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in the text: its span and the entity it names."""

    start: int
    end: int
    text: str
    entity: str


@dataclass
class Entity:
    """A proposed actor or group: id, name, kind, group (for people), and every mention."""

    id: str
    name: str
    kind: str
    group: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    group_evidence: Mention | None = None

    @property
    def names(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.mentions:
            seen.setdefault(m.text, None)
        return list(seen)


def slug(name: str) -> str:
    """Lower-case hyphenated id of a name ("Moon Jae-in" -> "moon-jae-in")."""
    s = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("’", "").replace("'", "")).strip("-")
    return s or "unnamed"


def _split(cell: str | None) -> list[str]:
    return [x.strip() for x in (cell or "").split(";") if x.strip()]


@cache
def bundled() -> tuple[Entry, ...]:
    """The bundled states (name, capital, demonym, aliases) and international organisations."""
    base = files("standoff.data") / "gazetteer"
    out: list[Entry] = []
    with (base / "states.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = [row["name"], *_split(row["capital"]), *_split(row["aliases"])]
            demonyms = _split(row["demonym"])
            out.append(Entry(row["id"], row["name"], "state", tuple(names + demonyms),
                             plural_ok=tuple(demonyms)))
    with (base / "organisations.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.append(Entry(row["id"], row["name"], "organisation",
                             tuple([row["name"], *_split(row["aliases"])])))
    return tuple(out)


def from_scenario(scenario) -> list[Entry]:
    """Entries from a scenario: each group by its name and id, each actor by name and aliases."""
    out = [Entry(g.id, g.name, "group", (g.name,)) for g in scenario.groups]
    for a in scenario.actors:
        out.append(Entry(a.id, a.name, "actor", (a.name, *a.aliases), group=a.group))
    return out


def _alias_regex(entries: Iterable[Entry]) -> tuple[re.Pattern[str], dict[str, Entry]]:
    table: dict[str, Entry] = {}
    for e in entries:
        for alias in e.aliases:
            if len(alias) < 2:
                continue
            table.setdefault(alias, e)
            if alias in e.plural_ok:
                table.setdefault(alias + "s", e)
    names = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w]|-[a-z])")
    return pattern, table


def _merge_with_bundle(entries: list[Entry]) -> list[Entry]:
    """Scenario entries first; a bundled state whose name is a scenario group's keeps that id."""
    known = {e.name.lower(): e for e in entries}
    known.update({e.id: e for e in entries})
    out = list(entries)
    for b in bundled():
        hit = known.get(b.name.lower()) or known.get(b.id)
        if hit is not None and hit.kind == "group":
            out.append(Entry(hit.id, hit.name, "state", b.aliases, plural_ok=b.plural_ok))
        elif hit is None:
            out.append(b)
    return out


@dataclass
class Found:
    """What the gazetteer found: entities by id, every mention in order, unclassified phrases."""

    entities: dict[str, Entity]
    mentions: list[Mention]
    unclassified: list[Mention]

    def in_span(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    def group_of(self, entity_id: str) -> str:
        """The group an entity acts for: its own id for states, a person's group when that
        group is itself named in the text."""
        e = self.entities[entity_id]
        return e.group if e.group in self.entities else e.id


def find_actors(text: str, sentences: list[Sentence], scenario=None) -> Found:
    """Every actor the text names (see the module docstring for the rules)."""
    entries = _merge_with_bundle(from_scenario(scenario) if scenario is not None else [])
    pattern, table = _alias_regex(entries)
    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []
    named: set[str] = set()  # entities named as a party at least once (not as a venue, nor by demonym)
    in_sentence = _sentence_mask(text, sentences)

    def add(entry: Entry, start: int, end: int) -> None:
        ent = entities.get(entry.id)
        if ent is None:
            kind = {"group": "state", "actor": "person"}.get(entry.kind, entry.kind)
            ent = entities[entry.id] = Entity(entry.id, entry.name, kind, entry.group)
        m = Mention(start, end, text[start:end], entry.id)
        ent.mentions.append(m)
        mentions.append(m)
        if not (is_venue(text, start, end) or is_demonym(entry, m.text)):
            named.add(entry.id)

    for m in pattern.finditer(text):
        if in_sentence[m.start()]:
            add(table[m.group(0)], m.start(), m.end())
    taken = [(m.start, m.end) for m in mentions]

    # "the North", "the South": the one named state whose name starts with that word
    for m in re.finditer(r"\b[Tt]he (North|South|East|West)\b(?!\s+[A-Z])", text):
        if not in_sentence[m.start()]:
            continue
        states = [e for e in entities.values() if e.kind == "state" and e.name.startswith(m.group(1) + " ")]
        if len(states) == 1:
            start = m.start() + 4
            add(Entry(states[0].id, states[0].name, "state", ()), start, m.end())
            taken.append((start, m.end()))

    unclassified = _capitalised(text, sentences, taken, entities, add)
    # a state named only as a venue or by its demonym is not an actor (the module docstring),
    # unless it is the state of a person the text names
    groups_of_people = {e.group for e in entities.values() if e.kind == "person"}
    for eid in [k for k, e in entities.items() if e.kind == "state" and k not in named
                and k not in groups_of_people]:
        del entities[eid]
    mentions = sorted((m for m in mentions if m.entity in entities), key=lambda m: m.start)
    return Found(entities, mentions, unclassified)


def is_venue(text: str, start: int, end: int) -> bool:
    """True when the name at text[start:end] stands for a place: after a place preposition
    ("in Singapore", "at the White House") or before a venue noun ("the Hanoi summit")."""
    return bool(LOCATIVE.search(text[max(0, start - 16):start]) or VENUE_NOUN.match(text, end))


def is_demonym(entry: Entry, name: str) -> bool:
    """True when `name` is one of the entry's demonyms ("American") or their plural ("Americans")."""
    return name in entry.plural_ok or (name.endswith("s") and name[:-1] in entry.plural_ok)


def _sentence_mask(text: str, sentences: list[Sentence]) -> list[bool]:
    """True at characters inside prose sentences (ending in a stop: no titles, bylines or bullets)."""
    mask = [False] * (len(text) + 1)
    for s in sentences:
        if s.text.rstrip("”\"')").endswith((".", "!", "?")):
            for i in range(s.start, s.end):
                mask[i] = True
    return mask


#: a capitalised phrase: capitalised words joined by spaces or tabs, never across a line break
_CAP = re.compile(r"[A-Z][\w’'.-]*(?:[ \t]+(?:of[ \t]+|de[ \t]+|al-)?[A-Z][\w’'-]*)*")
_ONLY_TITLE = re.compile(r"\s*(?:(?:" + "|".join(re.escape(t) for t in TITLES) + r")\s*)?")
_TITLE = re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(t) for t in TITLES) + r")\s+$")


def _capitalised(text, sentences, taken, entities, add) -> list[Mention]:
    """Capitalised phrases outside known names: people, organisations, or unclassified."""
    starts = {s.start for s in sentences}
    mask = _sentence_mask(text, sentences)
    candidates: list[tuple[int, int, str, bool, bool]] = []
    masked = list(text)
    for s, e in taken:
        masked[s:e] = " " * (e - s)
    for m in _CAP.finditer("".join(masked)):
        start, end = m.start(), m.end()
        if not mask[start]:
            continue
        phrase = re.split(r"[’']s\b", m.group(0))[0].rstrip(".’'")
        end = start + len(phrase)
        # strip a leading title, remembering that one was there
        titled = bool(_TITLE.search(text[max(0, start - 40):start]))
        for t in sorted(TITLES, key=len, reverse=True):
            if phrase.startswith(t + " "):
                phrase, start, titled = phrase[len(t) + 1:], start + len(t) + 1, True
                break
        words = phrase.split()
        while words and (words[0] in NOT_NAMES or words[0] in MONTHS):
            start += len(words[0]) + 1
            words = words[1:]
        if not words:
            continue
        phrase = " ".join(words)
        initial = start in starts and len(words) == 1 and not titled  # "The", "Releasing"...
        candidates.append((start, start + len(phrase), phrase, titled, initial))

    # people: titled, or 2-4 name words named again by first or last word
    singles: dict[str, int] = {}
    for _, _, phrase, _, initial in candidates:
        if " " not in phrase and not initial:
            singles[phrase] = singles.get(phrase, 0) + 1
    people: dict[str, str] = {}  # short name -> entity id, seeded with people already known
    for ent in entities.values():
        if ent.kind == "person":
            words = ent.name.split()
            if 2 <= len(words) <= 4:
                people.setdefault(words[-1], ent.id)
                people.setdefault(words[0], ent.id)
    unclassified: list[Mention] = []
    for start, end, phrase, titled, initial in candidates:
        words = phrase.split()
        if initial:
            continue
        if words[-1] in ORG_WORDS and len(words) >= 2 and not is_venue(text, start, end):
            add(Entry(slug(phrase), phrase, "organisation", ()), start, end)
            continue
        place = words[-1] in PLACE_WORDS or (not titled and is_venue(text, start, end))
        is_person = not place and 2 <= len(words) <= 4 and all(w[0].isupper() for w in words) and (
            titled or singles.get(words[-1], 0) or singles.get(words[0], 0))
        if is_person:
            eid = slug(phrase)
            group = _group_before(text, start, entities)
            add(Entry(eid, phrase, "person", (), group=group), start, end)
            people.setdefault(words[-1], eid)
            people.setdefault(words[0], eid)
    for start, end, phrase, _, initial in candidates:
        words = phrase.split()
        if len(words) == 1 and phrase in people:
            ent = entities[people[phrase]]
            add(Entry(ent.id, ent.name, "person", (), group=ent.group), start, end)
        elif not initial and phrase not in TITLES and \
                not any(m.start <= start < m.end for e in entities.values() for m in e.mentions):
            unclassified.append(Mention(start, end, phrase, ""))
    return unclassified


def _group_before(text: str, start: int, entities: dict[str, Entity]) -> str | None:
    """The state named just before a person's title ("U.S. Secretary of State Mike Pompeo")."""
    best = None
    for ent in entities.values():
        if ent.kind != "state":
            continue
        for m in ent.mentions:
            if start - 45 <= m.start < start and m.end <= start and \
                    _ONLY_TITLE.fullmatch(text[m.end:start]):
                if best is None or m.start > best[0]:
                    best = (m.start, ent.id)
    return None if best is None else best[1]
