"""A commented starting scenario (`standoff new CASE-ID`): every part of the format with placeholder
values that validate, so that a new case starts from a file that runs."""

from __future__ import annotations

import datetime as dt
import re

from standoff.errors import StandoffError

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

TEMPLATE = """\
# {case_id}: a Standoff scenario. Replace every placeholder (TODO) with your coding, then run
#   standoff validate {case_id}.yaml        # every problem with its line and the fix
#   standoff forecast {case_id}.yaml        # every model's forecast
# The format in full: `standoff docs scenario-format`. Ids are lower-case words joined by hyphens.

id: {case_id}
title: TODO the negotiation in a few words
description: TODO what is being negotiated, between whom, and what 0 and 100 mean on each issue.
baseline: {today}             # the date the values below describe (YYYY-MM-DD)

# Where the numbers come from; a value names its source with `source: ID`.
sources:
  - id: analyst-notes
    title: TODO the analysis, interviews or reports behind the coding
    date: {today}

# The issues on the table: each a scale from min to max.
issues:
  - id: first-issue
    title: TODO the first issue
    min: 0
    max: 100
    anchors:                  # labelled points, shown beside every forecast
      - {{value: 0, label: TODO what 0 means}}
      - {{value: 100, label: TODO what 100 means}}
    status_quo: 20            # what holds without a deal (optional)
  - id: second-issue
    title: TODO the second issue
    min: 0
    max: 100

# States or coalitions whose members are actors (optional; an actor outside a group is a party of one).
groups:
  - id: side-a
    name: TODO side A

# The parties: clout (capability, any scale shared by all actors), and per issue a position on the
# issue's scale and a salience 0..100 (how much it cares). A value may be a range:
#   capability: {{value: 60, low: 45, high: 70, source: analyst-notes, note: why}}
actors:
  - id: actor-one
    name: TODO first actor
    group: side-a
    capability: {{value: 60, low: 45, high: 70, source: analyst-notes}}
    positions: {{first-issue: 80, second-issue: 30}}
    salience: {{first-issue: 90, second-issue: 40}}
  - id: actor-two
    name: TODO second actor
    group: side-a
    capability: 25
    positions: {{first-issue: 60, second-issue: 50}}
    salience: {{first-issue: 50, second-issue: 60}}
  - id: actor-three
    name: TODO third actor
    capability: 40
    positions: {{first-issue: 10, second-issue: 90}}
    salience: {{first-issue: 80, second-issue: 70}}

# Named outcomes make a forecast read as a recognisable result (optional).
outcomes:
  - id: no-deal
    name: No deal
    no_agreement: true        # the reversion point: what stands if the talks fail
    positions: {{first-issue: 20}}

# What happened after the baseline, with the changes it made (optional); the command line
# forecasts as of the last event unless given --as-of.
events: []
#  - date: YYYY-MM-DD
#    actor: actor-three
#    cameo: "036"             # CAMEO code, quoted
#    description: TODO what happened
#    source: analyst-notes
#    effects:
#      - {{actor: actor-three, field: position, issue: first-issue, by: 10}}
"""


def template(case_id: str, today: dt.date | None = None) -> str:
    """The commented template scenario for `case_id` (a valid id), its dates `today`."""
    if not _ID.match(case_id):
        fixed = re.sub(r"[^a-z0-9]+", "-", case_id.lower()).strip("-") or "my-case"
        raise StandoffError(f"{case_id!r} is not an id (lower-case words joined by hyphens)",
                            where="CASE-ID", fix=f"e.g. standoff new {fixed}")
    return TEMPLATE.format(case_id=case_id, today=(today or dt.date.today()).isoformat())
