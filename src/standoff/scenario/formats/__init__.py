"""Readers and writers of the field's file formats: Decide, KTAB's SMP CSV and DEU III rows.

Each reader returns validated :class:`~standoff.scenario.Scenario` objects (built through
:func:`standoff.scenario.io.build`, so every check of a YAML scenario applies); each writer
returns text that its reader reads back to the same actors, issues and values.
"""

from standoff.scenario.formats.decide import parse_decide, read_decide, to_decide
from standoff.scenario.formats.deu import parse_deu, read_deu
from standoff.scenario.formats.ktab import parse_ktab, read_ktab, to_ktab

__all__ = ["parse_decide", "parse_deu", "parse_ktab", "read_decide", "read_deu", "read_ktab",
           "to_decide", "to_ktab"]
