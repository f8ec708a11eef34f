"""The project's own scenario format: YAML (see docs/scenario-format.md), read and written by
:mod:`standoff.scenario.io`."""

from standoff.scenario.io import parse_yaml, to_yaml
from standoff.scenario.registry import ScenarioFormat, register_format

register_format(ScenarioFormat("yaml", (".yaml", ".yml"), parse_yaml, write=to_yaml,
                               title="a Standoff scenario (YAML)"))
