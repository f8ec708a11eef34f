"""A one-issue table, one row per actor (actor, capability, position, salience), read by
:func:`standoff.scenario.io.parse_csv`: the fallback for a .csv file that no other format claims."""

from standoff.scenario.io import parse_csv
from standoff.scenario.registry import ScenarioFormat, register_format

register_format(ScenarioFormat("table", (".csv",), parse_csv,
                               title="a .csv table (actor, capability, position, salience)"))
