"""Render a :class:`~standoff.report.document.Report` as one self-contained HTML file: the style
sheet inline, every figure a base64 PNG data URI, no script and nothing fetched from elsewhere."""

from __future__ import annotations

import base64
from html import escape

from standoff.report.document import Figure, Report, Table, Text

CSS = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1a1a1a;max-width:1100px;
margin:2em auto;padding:0 1.2em;line-height:1.45;font-size:15px}
h1{font-size:1.7em;margin-bottom:.2em}h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #ddd;
padding-bottom:.2em}nav ol{columns:2;font-size:.92em}
table{border-collapse:collapse;margin:.8em 0 1.4em;font-size:.82em;display:block;overflow-x:auto}
caption{caption-side:top;text-align:left;color:#555;padding:.3em 0;font-style:italic}
th,td{border:1px solid #ddd;padding:.25em .5em;vertical-align:top}th{background:#f3f5f8;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:1em 0 1.6em}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.88em}p.note{color:#666;font-style:italic}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;font-size:.9em}
dl.facts dt{color:#555}dl.facts dd{margin:0}
"""


def _table(t: Table) -> str:
    numeric = t.numeric or (False,) * len(t.columns)
    head = "".join(f"<th>{escape(c)}</th>" for c in t.columns)
    body = "\n".join("<tr>" + "".join(f'<td class="n">{escape(v)}</td>' if n else f"<td>{escape(v)}</td>"
                                      for v, n in zip(row, numeric, strict=True)) + "</tr>"
                     for row in t.rows)
    cap = f"<caption>{escape(t.caption)}</caption>" if t.caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>"


def _figure(f: Figure) -> str:
    data = base64.b64encode(f.png).decode("ascii")
    return (f'<figure id="fig-{escape(f.name)}"><img alt="{escape(f.caption)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{escape(f.caption)}</figcaption></figure>')


def render(report: Report) -> str:
    """The report as a complete HTML5 document."""
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(report.title)} — Standoff report</title>", f"<style>{CSS}</style>",
             "</head>", "<body>", f"<h1>{escape(report.title)}</h1>", '<dl class="facts">']
    parts += [f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in report.facts]
    parts.append("</dl>")
    parts.append("<nav><ol>" + "".join(f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>'
                                       for s in report.sections) + "</ol></nav>")
    for s in report.sections:
        parts.append(f'<section id="{escape(s.id)}">')
        parts.append(f"<h2>{escape(s.title)}</h2>")
        if s.note is not None:
            parts.append(f'<p class="note">{escape(s.note)}</p>')
        for b in s.blocks:
            if isinstance(b, Text):
                parts.append(f"<p>{escape(b.text)}</p>")
            elif isinstance(b, Table):
                parts.append(_table(b))
            elif isinstance(b, Figure):
                parts.append(_figure(b))
        parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
