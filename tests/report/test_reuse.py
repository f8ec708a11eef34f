"""A report computes what several of its parts need once (the run's memo) and renders each figure
once: the document is the one computed without any reuse, and every figure is drawn and encoded
as PNG a single time, whatever formats are written."""

from __future__ import annotations

import base64
import functools

import pytest

import standoff
from standoff.analysis.memo import Memo

pytest.importorskip("matplotlib")

from standoff.report import build_report  # noqa: E402
from standoff.report.document import build_document, write_report  # noqa: E402
from standoff.tasks import report as report_task  # noqa: E402

MODELS = ["compromise", "eum", "expectations"]


@pytest.fixture(scope="module")
def korea():
    return standoff.load("korea-2018", as_of="2018-05-22")


class NoReuse(Memo):
    """A memo that computes every request afresh."""

    def get(self, key, compute):
        self.misses += 1
        return compute()


def test_a_report_with_reuse_is_the_report_without(korea, monkeypatch):
    """Three models, Monte Carlo (20 draws) and the tornado. With reuse the memo computes each
    model's forecast (forecasts step) and its tornado (drivers) once: 3 + 3 = 6 misses; it answers
    the base forecast of the drivers' paragraph and of leave-one-out (3 + 3), the point forecast of
    Monte Carlo (3) and the sensitivity section's tornado (3): 12 hits. Without reuse every one of
    those 18 requests is computed. The two documents are equal (every section, table, text and
    figure byte), and so is their Markdown."""
    made: list[Memo] = []

    def run_with(kind):
        class Counted(kind):
            def __init__(self):
                super().__init__()
                made.append(self)

        monkeypatch.setattr(report_task, "Memo", Counted)
        return report_task.run(korea, models=MODELS, monte_carlo=20, seed=3, sensitivity=True)

    reused = run_with(Memo)
    fresh = run_with(NoReuse)
    assert [(m.misses, m.hits) for m in made] == [(6, 12), (18, 0)]
    a, b = build_document(reused), build_document(fresh)
    assert a == b
    assert a.to_markdown() == b.to_markdown()
    assert [f.model for f in reused.forecasts] == MODELS
    assert reused.drivers == fresh.drivers


def test_each_figure_is_drawn_and_encoded_once(korea, tmp_path, monkeypatch):
    """Korea with eum and median has 8 figures (forecasts, eum's rounds, eum's quadrant chart, one
    belief path, the QRE curve, the game tree, dynamics, win-sets). Building the report draws each
    figure once (no layout-only draw before the image) and encodes one PNG each; writing the HTML
    and the Markdown draws and encodes nothing more, and both carry those same PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    drawn: list = []
    encoded: list = []
    draw, print_png = Figure.draw, FigureCanvasAgg.print_png

    def counting_draw(self, renderer):
        drawn.append(self)
        return draw(self, renderer)

    @functools.wraps(print_png)  # matplotlib passes on the keywords its own signature takes
    def counting_png(self, *args, **kwargs):
        encoded.append(self.figure)
        return print_png(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "draw", counting_draw)
    monkeypatch.setattr(FigureCanvasAgg, "print_png", counting_png)
    report = build_report(korea, models=["eum", "median"], actor="kim-jong-un")
    names = [f.name for f in report.figures]
    assert names == ["forecasts", "rounds-eum", "quadrant-eum", "beliefs-1", "crisis-qre", "crisis-tree",
                     "dynamics", "winsets"]
    assert len(drawn) == len({id(f) for f in drawn}) == 8
    assert len(encoded) == 8 and {id(f) for f in encoded} == {id(f) for f in drawn}
    html_path, md_path = write_report(report, tmp_path)
    assert len(drawn) == 8 and len(encoded) == 8
    html = html_path.read_text()
    for fig in report.figures:
        assert (tmp_path / f"{report.stem}-{fig.name}.png").read_bytes() == fig.png
        assert base64.b64encode(fig.png).decode("ascii") in html
