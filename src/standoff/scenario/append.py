"""Append items to a case file's text, keeping every line of it (comments and layout included).

`standoff draft --scenario` (events and a source a text adds) and `standoff events update -o`
(the accepted proposals' events and source entries) both add to a case this way: each item is
inserted as block-style YAML into its top-level list (`sources`, `events`), after the list's last
item or before a given one (an event in its date's place), so the file keeps every line it had.
When that cannot be done (a flow-style list such as `events: []`, an unusual layout) the whole case
is written out again, its leading comments kept. Either way the text returned reads back as the
case's mapping with the items added, checked on every call.

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


def append_items(case_yaml: str, added: dict[str, list[dict[str, Any]]], *, file: str = "(case)",
                 at: dict[str, list[int]] | None = None) -> str:
    """The case file's text with `added[key]` added to each top-level list `key` (module
    docstring). Items are plain data (what `model_dump(mode="json", exclude_none=True)` gives).
    `at[key]`, one index per item, puts an item before the list's original item of that index
    (`len(list)` or more: at the end; items with the same index keep their order); without it,
    every item goes at the end."""
    raw = yaml.safe_load(case_yaml)
    if not isinstance(raw, dict):
        raise StandoffError("the case is not a YAML mapping", file=file,
                            fix="give a scenario file (a YAML mapping of the case's keys)")
    return with_items(case_yaml, raw, added, at=at)


def with_items(case_yaml: str, raw: dict[str, Any], added: dict[str, list[dict[str, Any]]], *,
               at: dict[str, list[int]] | None = None) -> str:
    """As :func:`append_items`, with the file's mapping `raw` already read from `case_yaml`."""
    at = at or {}
    expected = dict(raw)
    places: dict[str, list[int]] = {}
    for key, items in added.items():
        old = list(raw.get(key) or [])
        where = [min(max(int(i), 0), len(old)) for i in at.get(key, [len(old)] * len(items))]
        if len(where) != len(items):
            raise ValueError(f"at[{key!r}] gives {len(where)} places for {len(items)} items")
        places[key] = where
        merged: list[Any] = []
        for k in range(len(old) + 1):
            merged += [item for item, i in zip(items, where, strict=True) if i == k]
            if k < len(old):
                merged.append(old[k])
        expected[key] = merged
    out: str | None = case_yaml if case_yaml.endswith("\n") else case_yaml + "\n"
    for key, items in added.items():
        if items:
            out = _insert(out, key, items, places[key])
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


def _insert(text: str | None, key: str, items: list[dict[str, Any]], where: list[int]) -> str | None:
    """`text` with `items` put in the block list under the top-level `key`, each before the
    original item of its index in `where` (None: not possible)."""
    if text is None:
        return None
    lines = text.split("\n")
    head = next((k for k, line in enumerate(lines) if line.rstrip() == f"{key}:"), None)
    if head is None:
        if any(line.startswith(f"{key}:") for line in lines):
            return None  # a flow-style or inline value
        return text.rstrip("\n") + f"\n{key}:\n" + dump(items)
    end = head + 1
    indent = None
    content: list[int] = []  # lines of the list that are neither blank nor comments
    starts: list[int] = []   # the first line of each item
    while end < len(lines):
        line = lines[end]
        if line and not line[0].isspace() and not line.startswith(("#", "-")):
            break  # the next top-level key
        if line.strip() and not line.lstrip().startswith("#"):
            content.append(end)
            if indent is None and line.lstrip().startswith("- "):
                indent = len(line) - len(line.lstrip())
            if indent is not None and line.startswith(" " * indent + "- "):
                starts.append(end)
        end += 1
    pad = " " * (indent or 0)
    # after the last content line before the item it goes before (the list's last line: at the end)
    after = {}
    for i in sorted(set(where), reverse=True):
        if i < len(starts):
            before = [k for k in content if k < starts[i]]
            after[i] = before[-1] if before else head
        else:
            after[i] = content[-1] if content else head
    for i in sorted(after, reverse=True):
        group = [item for item, k in zip(items, where, strict=True) if k == i]
        block = [pad + x if x else x for x in dump(group).rstrip("\n").split("\n")]
        lines[after[i] + 1:after[i] + 1] = block
    return "\n".join(lines)
