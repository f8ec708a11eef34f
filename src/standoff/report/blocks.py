"""The blocks a report is made of, as plain data: paragraphs, tables whose cells are already
formatted strings, PNG figures, and the titled sections that hold them
(:class:`standoff.report.document.Report` is a list of sections; the HTML and Markdown renderers
read these)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table whose cells are formatted strings; `numeric[c]` right-aligns column c."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: tuple[bool, ...] = ()

    def column(self, name: str) -> list[str]:
        """The cells of one column, top to bottom."""
        c = self.columns.index(name)
        return [r[c] for r in self.rows]


@dataclass(frozen=True)
class Figure:
    """A PNG image; `name` is a short file-name-safe id unique within the report."""

    name: str
    png: bytes
    caption: str


Block = Text | Table | Figure


@dataclass(frozen=True)
class Section:
    """A titled part of the report; `note` alone (no blocks) says why it does not apply."""

    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    note: str | None = None

    @property
    def applies(self) -> bool:
        return self.note is None

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]
