"""Readers and writers of the field's file formats: Decide, KTAB's SMP CSV and XML, DEU III rows,
and scenario workbooks (.xlsx).

Each reader returns validated :class:`~standoff.scenario.Scenario` objects (built through
:func:`standoff.scenario.io.build`, so every check of a YAML scenario applies); each writer
returns text that its reader reads back to the same actors, issues and values.
"""

from standoff.scenario.formats.decide import parse_decide, read_decide, to_decide
from standoff.scenario.formats.deu import parse_deu, read_deu
from standoff.scenario.formats.ktab import parse_ktab, read_ktab, to_ktab
from standoff.scenario.formats.ktab_xml import parse_ktab_xml, read_ktab_xml
from standoff.scenario.formats.xlsx import parse_xlsx, read_xlsx, to_xlsx

__all__ = ["parse_decide", "parse_deu", "parse_ktab", "parse_ktab_xml", "parse_xlsx", "read_decide",
           "read_deu", "read_ktab", "read_ktab_xml", "read_xlsx", "to_decide", "to_ktab", "to_xlsx"]
