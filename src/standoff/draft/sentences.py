"""Split a text into paragraphs and sentences, keeping character offsets into the original text.

A rule-based splitter: a sentence ends at `.`, `!` or `?` (optionally followed by a closing quote
or bracket) followed by white space and an upper-case letter, a digit or a quote, unless the word
before the stop is a known abbreviation (`U.S.`, `Mr.`, `Gen.`) or a single capital (initials).
Blank lines and bullets end a paragraph; a paragraph without a final stop (a title, a byline, a
bullet item) is a sentence of its own.

An image caption or credit line is no paragraph at all: it is left out of every sentence, so
its words never join the paragraph after it. A caption line is one that opens with a caption
label ("Image caption", "Image copyright", "Photo:", "Photograph:", "Picture:", "Credit:") or
that ends, without a final stop, with a photo credit ("Getty Images", "AFP", "Reuters", "AP",
"EPA", "Yonhap", "Shutterstock", optionally "via ..."), where the line holds only names (at
most 12 capitalised words, "via", "by", "for", "and": "Saul Loeb/AFP via Getty Images") or marks
the credit with a slash, the word "Photo", "Image" or "Getty", or a full stop just before it
("Kim and Trump in Singapore. Getty Images"). A prose line that happens to
end with "told Reuters" is not a caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: words that end with a full stop without ending a sentence
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen col lt sgt capt adm gov sen rep rev st jr sr co corp inc ltd vs etc no
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m i.e e.g
""".split())

_STOP = re.compile(r"""[.!?]["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its text, its span [start, end) in the document and its paragraph number."""

    start: int
    end: int
    text: str
    paragraph: int


_CAPTION_LABEL = re.compile(r"\(?\s*(?:image|photo|photograph|picture|video)\s+"
                            r"(?:caption|copyright|credit|source)\b|"
                            r"\(?\s*(?:image|photo|photograph|picture|caption|credit)s?\s*:", re.I)
_CREDIT = re.compile(r"(?:Getty Images|AFP|Reuters|AP|EPA|Yonhap|Shutterstock)"
                     r"(?: via [A-Z][\w ]+)?[)\]]?\s*$")


def is_caption(line: str) -> bool:
    """True for an image caption or photo-credit line (see the module docstring)."""
    line = line.strip()
    if not line:
        return False
    if _CAPTION_LABEL.match(line):
        return True
    credit = _CREDIT.search(line)
    if credit is None or line.rstrip(")]").endswith((".", "!", "?", "”", '"')):
        return False
    words = re.findall(r"[^\s/|,;:()\[\]–-]+", line)
    names_only = len(words) <= 12 and all(w[0].isupper() or w in ("via", "by", "for", "and") for w in words)
    after_stop = bool(re.search(r"[.!?”\"]\s*$", line[:credit.start()]))  # "... in Singapore. Getty Images"
    return names_only or after_stop or "/" in line[max(0, credit.start() - 2):credit.start() + 1] or \
        bool(re.search(r"\b(?:Photo|Image|Getty)\b", line[:credit.start()] + line[credit.end():]))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs: blocks of non-blank lines (hard-wrapped lines join), each bullet
    line (•, *, -, –) starting a paragraph of its own; caption lines belong to none."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        pos = m.start()
        current: int | None = None
        for line in m.group(0).split("\n"):
            if is_caption(line):
                if current is not None:
                    spans.append((current, pos - 1))
                    current = None
                pos += len(line) + 1
                continue
            if line.strip().startswith(("•", "* ", "- ", "– ")) and current is not None:
                spans.append((current, pos - 1))
                current = None
            if current is None and line.strip():
                current = pos
            pos += len(line) + 1
        if current is not None:
            spans.append((current, pos - 1))
    return spans


def _ends_with_abbreviation(chunk: str) -> bool:
    word = re.search(r"(\S+)$", chunk)
    if word is None:
        return False
    token = word.group(1).rstrip(".").lstrip("(\"'“‘").lower()
    return token in ABBREVIATIONS or bool(re.fullmatch(r"[a-z]", token)) or \
        bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", token))


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of the text, in order, with its offsets (leading/trailing blanks trimmed)."""
    out: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        block = text[p_start:p_end]
        start = 0
        for m in _STOP.finditer(block):
            if m.group(0).startswith(".") and _ends_with_abbreviation(block[start:m.start()]):
                continue
            _add(out, text, p_start + start, p_start + m.end(), number)
            start = m.end()
        _add(out, text, p_start + start, p_end, number)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph))
