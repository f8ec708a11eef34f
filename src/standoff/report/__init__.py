"""Presenting results: terminal tables, Markdown, JSON, plots, and whole reports (HTML/Markdown).

    >>> import standoff
    >>> from standoff.report import build_report
    >>> report = build_report(standoff.load("korea-2018", as_of="2018-05-22"))   # doctest: +SKIP
    >>> report.write_html("korea.html"); report.write_markdown("out/")           # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from standoff.report.document import Report


def build_report(scenario, **kwargs: Any) -> Report:
    """Build a report on `scenario` (see :func:`standoff.report.document.build_report`)."""
    from standoff.report.document import build_report as build

    return build(scenario, **kwargs)


__all__ = ["build_report"]
