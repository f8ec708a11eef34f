"""Append items to a case file's text, keeping every line of it (comments and layout included).

`standoff draft --scenario` (events and a source a text adds) and `standoff events update -o`
(the accepted proposals' events and source entries) both add to a case this way: each item is
inserted as block-style YAML after the last item of its top-level list (`sources`, `events`), so
the file keeps every line it had. When that cannot be done (a flow-style list such as
`events: []`, an unusual layout) the whole case is written out again, its leading comments kept.
Either way the text returned reads back as the case's mapping with the items appended, checked on
every call.

Pure functions on text: the caller reads and writes the file.
"""

from __future__ import annotations

from typing import Any

import yaml

from standoff.errors import StandoffError


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors and aliases (items of one date would otherwise share `&id001`)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    """Block-style YAML of plain data, keys in order, no anchors or aliases."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def append_items(case_yaml: str, added: dict[str, list[dict[str, Any]]], *, file: str = "(case)") -> str:
    """The case file's text with `added[key]` appended to each top-level list `key` (module
    docstring). Items are plain data (what `model_dump(mode="json", exclude_none=True)` gives)."""
    raw = yaml.safe_load(case_yaml)
    if not isinstance(raw, dict):
        raise StandoffError("the case is not a YAML mapping", file=file,
                            fix="give a scenario file (a YAML mapping of the case's keys)")
    return with_items(case_yaml, raw, added)


def with_items(case_yaml: str, raw: dict[str, Any], added: dict[str, list[dict[str, Any]]]) -> str:
    """As :func:`append_items`, with the file's mapping `raw` already read from `case_yaml`."""
    expected = dict(raw)
    for key, items in added.items():
        expected[key] = [*(raw.get(key) or []), *items]
    out: str | None = case_yaml if case_yaml.endswith("\n") else case_yaml + "\n"
    for key, items in added.items():
        if items:
            out = _insert(out, key, items)
    if out is not None and _reads_as(out, expected):
        return out
    lead = []
    for line in case_yaml.splitlines():
        if not line.startswith("#") and line.strip():
            break
        lead.append(line)
    return "\n".join(lead) + ("\n" if lead else "") + dump(expected)


def _reads_as(text: str, expected: dict[str, Any]) -> bool:
    try:
        return yaml.safe_load(text) == expected
    except yaml.YAMLError:
        return False


def _insert(text: str | None, key: str, items: list[dict[str, Any]]) -> str | None:
    """`text` with `items` appended to the block list under the top-level `key` (None: not possible)."""
    if text is None:
        return None
    lines = text.split("\n")
    head = next((k for k, line in enumerate(lines) if line.rstrip() == f"{key}:"), None)
    if head is None:
        if any(line.startswith(f"{key}:") for line in lines):
            return None  # a flow-style or inline value
        return text.rstrip("\n") + f"\n{key}:\n" + dump(items)
    end = head + 1
    last = head
    indent = None
    while end < len(lines):
        line = lines[end]
        if line and not line[0].isspace() and not line.startswith(("#", "-")):
            break  # the next top-level key
        if line.strip() and not line.lstrip().startswith("#"):
            last = end
            if indent is None and line.lstrip().startswith("- "):
                indent = len(line) - len(line.lstrip())
        end += 1
    pad = " " * (indent or 0)
    block = [pad + x if x else x for x in dump(items).rstrip("\n").split("\n")]
    return "\n".join(lines[:last + 1] + block + lines[last + 1:])
