"""The action gate shared by both coders (`find_action`), the target rule and the date rule,
on sentences written for the tests."""

from __future__ import annotations

import datetime as dt

import pytest

from standoff.draft.coding import KeywordCoder, code_events, find_action, reports_action
from standoff.draft.dates import find_dates
from standoff.draft.gazetteer import find_actors
from standoff.draft.sentences import split_sentences


def gate(text: str):
    """find_action on the first sentence of `text` (actors from the bundled gazetteer)."""
    sents = split_sentences(text)
    found = find_actors(text, sents)
    s = sents[0]
    return s, found, find_action(s.text, s.start, found.in_span(s.start, s.end))


def test_an_actor_just_before_a_cue_verb_is_an_action():
    """'Pyongyang threatened Seoul.': source Pyongyang (chars 0-9), verb 'threatened' (10-20),
    cue code 130; the clause runs to the end of the sentence (no clause break)."""
    s, found, a = gate("Pyongyang threatened Seoul.")
    assert found.group_of(a.source.entity) == "north-korea"
    assert (a.verb_start, a.verb_end, a.cue_code) == (10, 20, "130")
    assert (a.clause_start, a.clause_end) == (0, len(s.text))


@pytest.mark.parametrize("text", [
    "Pyongyang could threaten Seoul.",            # modal between source and verb
    "Pyongyang seems ready to attack Seoul.",     # hedge
    "Pyongyang did not attack Seoul.",            # negation
    "If Pyongyang attacks Seoul, Tokyo will protest.",   # hypothetical sentence
    "Analysts say Pyongyang attacked Seoul.",     # analysts' view
    "Pyongyang watched the attack on Seoul.",     # 'attack' used as a noun, 'watched' no actor gap
])
def test_the_gate_refuses_what_is_not_a_reported_action(text):
    _, _, a = gate(text)
    if a is not None:                 # only 'watched' may pass, as a verb the cue table lacks
        assert a.cue_code is None and text[a.verb_start:a.verb_end] == "watched"


def test_hypothetical_and_analytical_sentences():
    assert not reports_action("If Seoul agrees, talks resume.")
    assert not reports_action("Perhaps Tokyo will object.")
    assert not reports_action("Some analysts believe Beijing sanctioned Pyongyang.")
    assert reports_action("Beijing sanctioned Pyongyang in March.")


def test_a_verb_too_far_from_any_actor_is_not_an_action():
    """Seven words between 'Tokyo' and 'warned' exceed the six allowed."""
    _, _, a = gate("Tokyo, after a long and very tense week, warned Seoul.")
    assert a is None


def test_target_is_the_nearest_other_actor_after_the_verb_and_date_stays_in_the_sentence():
    """Sentence 1: 040 South Korea -> North Korea on May 4 (Tokyo, after North Korea, is not the
    nearest). Sentence 2: 'urged' 020 Japan -> China, with no date of its own: date None, not
    May 4 of the sentence before (paragraph dates hurt the development text; docs/draft.md)."""
    text = "On May 4, Seoul met Pyongyang and Tokyo. Tokyo urged Beijing to help."
    sents = split_sentences(text)
    found = find_actors(text, sents)
    events = code_events(sents, found, find_dates(text, dt.date(2019, 7, 2)), KeywordCoder())
    got = [(e.code, e.source, e.target, e.date.first if e.date else None) for e in events]
    assert got == [("040", "south-korea", "north-korea", dt.date(2019, 5, 4)),
                   ("020", "japan", "china", None)]
