"""Render a :class:`~standoff.report.document.Report` as one self-contained HTML file through the
Jinja2 template `templates/report.html.j2` (autoescaped): the style sheet inline
(`templates/report.css`), every figure a base64 PNG data URI, no script and nothing fetched from
elsewhere."""

from __future__ import annotations

import base64
import functools

from standoff import lazy
from standoff.report.blocks import Figure, Table, Text

jinja2 = lazy.load("jinja2")


@functools.cache
def environment() -> jinja2.Environment:
    """The template environment: the package's templates, autoescaping on, block tags taking their
    own lines; the tests `text`, `table` and `figure` tell a section's blocks apart and the filter
    `b64` encodes a PNG."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("standoff.report", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.tests.update(text=lambda b: isinstance(b, Text), table=lambda b: isinstance(b, Table),
                     figure=lambda b: isinstance(b, Figure))
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    env.globals["zip"] = zip
    return env


def render(report) -> str:
    """The report as a complete HTML5 document."""
    return environment().get_template("report.html.j2").render(report=report)
