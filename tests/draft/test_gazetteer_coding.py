"""Actor finding, coreference and the keyword coder on short texts written for the tests."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from standoff.draft.coding import CUES, KeywordCoder, code_events
from standoff.draft.dates import find_dates
from standoff.draft.gazetteer import find_actors
from standoff.draft.sentences import split_sentences
from standoff.events.codebook import codebook

TEXT = ("Pyongyang said on Monday it was ready to talk. The North later warned Seoul. "
        "North Korean officials met U.S. Secretary of State Jane Roe in Singapore. "
        "Roe did not threaten the North.")


def analyse(text: str):
    sents = split_sentences(text)
    return sents, find_actors(text, sents)


def test_names_of_one_state_merge_and_places_are_not_actors():
    _, found = analyse(TEXT)
    nk = found.entities["north-korea"]
    assert set(nk.names) == {"Pyongyang", "North", "North Korean"}
    assert "singapore" not in found.entities          # only ever "in Singapore": a venue
    assert "south-korea" in found.entities            # "Seoul"


def test_a_titled_person_gets_the_state_named_before_the_title_and_the_surname_merges():
    _, found = analyse(TEXT)
    roe = found.entities["jane-roe"]
    assert roe.kind == "person" and roe.group == "united-states"
    assert roe.names == ["Jane Roe", "Roe"]


def test_keyword_coder_codes_source_target_code_and_date():
    """Sentence 1: 'said' -> 010 (no target); 2: 'warned' -> 130 North Korea -> South Korea;
    3: 'met' -> 040 North Korea -> United States; 4: negated threat -> no event."""
    sents, found = analyse(TEXT)
    dates = find_dates(TEXT, dt.date(2018, 5, 22))
    events = code_events(sents, found, dates, KeywordCoder())
    got = [(e.code, e.source, e.target, e.date.first if e.date else None) for e in events]
    assert got == [("010", "north-korea", None, dt.date(2018, 5, 21)),
                   ("130", "north-korea", "south-korea", None),
                   ("040", "north-korea", "united-states", None)]


def test_every_cue_code_is_in_the_codebook():
    book = codebook()
    assert all(code in book for _, code in CUES)


def test_coder_choice_and_the_missing_extra(monkeypatch):
    import standoff.draft.coding as coding
    from standoff.errors import StandoffError

    monkeypatch.setattr(coding, "nlp_available", lambda: False)
    assert coding.make_coder("auto").name == "keyword"      # falls back, and says so in the draft
    with pytest.raises(StandoffError, match=r"\[nlp\] extra"):
        coding.make_coder("nlp")
    with pytest.raises(StandoffError, match="unknown coder"):
        coding.make_coder("bert")


def test_bundled_gazetteer_ids_are_unique_and_valid():
    from standoff.draft.gazetteer import bundled
    from standoff.scenario.schema import ID_PATTERN

    ids = [e.id for e in bundled()]
    assert len(ids) == len(set(ids)) and len(ids) > 190
    assert all(re.fullmatch(ID_PATTERN, i) for i in ids)
