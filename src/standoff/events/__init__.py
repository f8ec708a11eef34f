"""The perception layer: event records, CAMEO tables, readers, actor matching, Bayesian beliefs.

Nothing in `scenario/` or `models/` imports this package; it reads scenarios and hands models
perceived positions as plain arrays (Batch.perceived).
"""

from standoff.events.beliefs import (
    BeliefPath,
    BeliefSpec,
    perceived_positions,
    read_beliefs,
    update,
)
from standoff.events.codebook import codebook, goldstein_table
from standoff.events.matching import ActorMatcher
from standoff.events.readers import FORMATS, detect_format, read_events
from standoff.events.record import EventRecord, ReadReport

__all__ = ["FORMATS", "ActorMatcher", "BeliefPath", "BeliefSpec", "EventRecord", "ReadReport",
           "codebook", "detect_format", "goldstein_table", "perceived_positions",
           "read_beliefs", "read_events", "update"]
