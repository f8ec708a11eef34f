"""The scenario file formats by name: each registers its suffixes, a sniffer and its reader/writer.

A format is one module in :mod:`standoff.scenario.formats` that calls :func:`register_format`; the
modules there are imported the first time a format is looked up, so adding a format is adding one
file. :func:`standoff.scenario.io.read_scenario` picks the reader by suffix, then by sniffing the
text: the formats of a suffix with a sniffer are tried first, the one without a sniffer is the
fallback (for .csv: a plain one-issue table).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from standoff.errors import StandoffError
from standoff.scenario.core import Scenario


@dataclass(frozen=True)
class ScenarioFormat:
    """A readable (and perhaps writable) scenario format.

    `parse(text, *, file=None, **options) -> Scenario`; `sniff(text) -> bool` (None: the fallback
    for its suffixes); `write(scenario) -> str` (None: read only). A format with `binary=True`
    (a workbook) is given the file's bytes instead of its text and writes bytes; it has no sniffer
    and is the only format of its suffixes."""

    name: str
    suffixes: tuple[str, ...]
    parse: Callable[..., Scenario]
    sniff: Callable[[str], bool] | None = None
    write: Callable[[Scenario], str | bytes] | None = None
    title: str = ""
    binary: bool = False


_FORMATS: dict[str, ScenarioFormat] = {}
_loaded = False


def register_format(fmt: ScenarioFormat) -> ScenarioFormat:
    """Make a format known by its name (a second registration of a name replaces the first)."""
    _FORMATS[fmt.name] = fmt
    return fmt


def _load() -> None:
    """Import every format module once (each registers itself)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    package = importlib.import_module("standoff.scenario.formats")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{info.name}")


def scenario_formats() -> dict[str, ScenarioFormat]:
    """Every registered format by name, in registration order."""
    _load()
    return dict(_FORMATS)


def suffixes() -> tuple[str, ...]:
    """Every suffix some format reads (lower case, with the dot)."""
    return tuple(dict.fromkeys(s for f in scenario_formats().values() for s in f.suffixes))


def format_for(suffix: str, text: str) -> ScenarioFormat | None:
    """The format of a file with this suffix and text: the first whose sniffer accepts the text,
    else the suffix's fallback; None if no format reads the suffix."""
    mine = [f for f in scenario_formats().values() if suffix.lower() in f.suffixes]
    for fmt in mine:
        if fmt.sniff is not None and fmt.sniff(text):
            return fmt
    return next((f for f in mine if f.sniff is None), None)


def binary_format(suffix: str) -> ScenarioFormat | None:
    """The binary format that reads files with this suffix (`.xlsx`), if any."""
    return next((f for f in scenario_formats().values() if f.binary and suffix.lower() in f.suffixes), None)


def writer_for(suffix: str, name: str | None = None) -> ScenarioFormat:
    """The format that writes files with this suffix: `name` where given, else the suffix's only
    writable format; a user error naming the choices otherwise."""
    formats = scenario_formats()
    if name is not None:
        fmt = formats.get(name)
        if fmt is None or fmt.write is None:
            writable = ", ".join(n for n, f in formats.items() if f.write is not None)
            raise StandoffError(f"no scenario format {name!r} that writes", where="--to",
                                fix=f"use one of: {writable}")
        return fmt
    mine = [f for f in formats.values() if suffix.lower() in f.suffixes and f.write is not None]
    if len(mine) == 1:
        return mine[0]
    if not mine:
        known = ", ".join(sorted({s for f in formats.values() if f.write is not None for s in f.suffixes}))
        raise StandoffError(f"no scenario format writes {suffix or '(no suffix)'!r} files", where="output",
                            fix=f"give a file ending in one of: {known}")
    raise StandoffError(f"several formats write {suffix!r} files ({', '.join(f.name for f in mine)})",
                        where="--to", fix=f"choose one with --to, e.g. --to {mine[-1].name}")


def read_text_as(name: str, text: str, *, file: str | None = None, **options: Any) -> Scenario:
    """Parse text in the named format."""
    return scenario_formats()[name].parse(text, file=file, **options)
