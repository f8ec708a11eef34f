"""Presenting results: terminal tables, Markdown, JSON, plots, and whole reports (HTML/Markdown).

A report is run by the report task (:func:`standoff.tasks.report.run`, which returns the results
as a bundle), laid out as a document (:func:`standoff.report.document.build_document`) and
rendered (`Report.to_html`, `Report.to_markdown`, `write_report`); nothing in this package runs a
model or an analysis.

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
    """Run the report task on `scenario` (options: :func:`standoff.tasks.report.run`) and lay its
    results out as a :class:`~standoff.report.document.Report`. The modules load on first use:
    the report pulls in matplotlib and every analysis, which `import standoff.report` should not."""
    from standoff.report.document import build_report as build

    return build(scenario, **kwargs)


__all__ = ["build_report"]
