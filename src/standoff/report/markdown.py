"""Render a :class:`~standoff.report.document.Report` as GitHub-flavoured Markdown; figures are
linked as PNG files written beside the Markdown (`Report.write_markdown`)."""

from __future__ import annotations

from standoff.report.blocks import Figure, Table, Text


def _cell(v: str) -> str:
    return " ".join(v.split()).replace("|", "\\|")


def table(t: Table) -> str:
    """A Markdown table, numbers right-aligned, preceded by its caption in italics."""
    numeric = t.numeric or (False,) * len(t.columns)
    lines = []
    if t.caption:
        lines += [f"*{_cell(t.caption)}*", ""]
    lines.append("| " + " | ".join(_cell(c) for c in t.columns) + " |")
    lines.append("| " + " | ".join("---:" if n else "---" for n in numeric) + " |")
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in t.rows]
    return "\n".join(lines)


def render(report, image_prefix: str = "") -> str:
    """The report as Markdown; figure `name` is linked as `<image_prefix><name>.png`."""
    parts = [f"# {report.title}", ""]
    parts += [f"- **{k}**: {v}" for k, v in report.facts]
    parts.append("")
    parts += [f"{n}. [{s.title}](#{s.id})" for n, s in enumerate(report.sections, 1)]
    for s in report.sections:
        parts += ["", f'<a id="{s.id}"></a>', "", f"## {s.title}", ""]
        if s.note is not None:
            parts += [f"*{s.note}*", ""]
        for b in s.blocks:
            if isinstance(b, Text):
                parts += [b.text, ""]
            elif isinstance(b, Table):
                parts += [table(b), ""]
            elif isinstance(b, Figure):
                caption = _cell(b.caption)
                parts += [f"![{caption}]({image_prefix}{b.name}.png)", "", f"*{caption}*", ""]
    return "\n".join(parts).rstrip() + "\n"
