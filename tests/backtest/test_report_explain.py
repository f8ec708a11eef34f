"""The backtest report's per-case paragraphs of what drives the baseline forecast."""

from __future__ import annotations

from standoff.analysis.drivers import explain_forecast
from standoff.backtest.cases import resolve
from standoff.backtest.harness import run
from standoff.models import make
from standoff.report.backtest import write_report
from standoff.tasks.report import backtest_report


def test_backtest_report_explains_each_case_as_explain_forecast_does(tmp_path):
    """Each library case gets, per issue, the paragraph that analysis.drivers gives when run alone
    on the same scenario and model; no explain list, no section."""
    cases = resolve(["korea-2019", "iran-2015"])
    bt = run(cases, [make("compromise"), make("median")])
    text = write_report(backtest_report(bt, explain=cases), tmp_path / "a").read_text(encoding="utf-8")
    assert "## What drives the compromise forecasts" in text
    for case in cases:
        alone = explain_forecast(case.scenario, make("compromise"))
        assert alone
        for d in alone:
            assert f"**{case.name}**, {d.title}: {d.paragraph}" in text
    plain = write_report(backtest_report(bt), tmp_path / "b").read_text(encoding="utf-8")
    assert "What drives" not in plain
