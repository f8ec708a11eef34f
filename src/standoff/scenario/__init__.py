"""Scenarios: the schema, reading and writing files, validation, pure-data transformations."""

from standoff.scenario.core import Scenario, apply_effect
from standoff.scenario.io import parse_csv, parse_yaml, read_scenario, to_yaml
from standoff.scenario.schema import (
                                      Actor,
                                      Anchor,
                                      Effect,
                                      Event,
                                      Group,
                                      Issue,
                                      Outcome,
                                      RecordedOutcome,
                                      Source,
                                      Value,
)

__all__ = ["Actor", "Anchor", "Effect", "Event", "Group", "Issue", "Outcome", "RecordedOutcome",
           "Scenario", "Source", "Value", "apply_effect", "parse_csv", "parse_yaml",
           "read_scenario", "to_yaml"]
