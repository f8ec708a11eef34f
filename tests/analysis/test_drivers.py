"""Explanations of forecasts: rankings agree with an independent leave-one-out, and the
paragraph's numbers are the computation's."""

from __future__ import annotations

import re

import numpy as np
import pytest

from standoff import load
from standoff.analysis.drivers import explain_forecast, leave_one_out


def _compromise_by_hand(scenario, issue: str, skip: str | None = None) -> float:
    """x* = Σ c_i s_i x_i / Σ c_i s_i over the actors (docs/models/compromise.md)."""
    num = den = 0.0
    for a in scenario.actors:
        if a.id == skip:
            continue
        w = a.capability.mode * a.salience[issue].mode
        num += w * a.positions[issue].mode
        den += w
    return num / den


def test_leave_one_out_matches_the_compromise_formula_on_the_ec_case():
    """EC emissions, compromise, weights c·s (capability × salience): NL 6.4, BE 3.2, LU 0.6,
    DE 12.8, FR 9.6, IT 9.6, UK 14.4, IE 0.5, DK 5.0, GR 5.6 (sum 67.7); Σ w·x = 500.3, so
    base = 500.3 / 67.7 = 7.390. Without Germany (12.8 at 4): (500.3 − 51.2) / (67.7 − 12.8) =
    449.1 / 54.9 = 8.180, a shift of +0.79, the largest; without the UK (14.4 at 10):
    356.3 / 53.3 = 6.685, −0.71, second. The paragraph names Germany first."""
    s = load("ec-emissions-1994")
    base = _compromise_by_hand(s, "emissions-date")
    assert base == pytest.approx(500.3 / 67.7)
    loo = leave_one_out(s, _model("compromise"))["emissions-date"]
    for a in s.actor_ids:
        expected = _compromise_by_hand(s, "emissions-date", skip=a) - base
        assert loo[a] == pytest.approx(expected, abs=1e-9), a
    assert loo["germany"] == pytest.approx(449.1 / 54.9 - 500.3 / 67.7)
    assert loo["uk"] == pytest.approx(356.3 / 53.3 - 500.3 / 67.7)
    [d] = explain_forecast(s, "compromise")
    ranked = sorted(s.actor_ids, key=lambda a: -abs(_compromise_by_hand(s, "emissions-date", a)
                                                      - base))
    assert [x.actor for x in d.actors] == ranked
    assert [x.actor for x in d.actors[:2]] == ["germany", "uk"]
    assert d.paragraph.startswith("The forecast of 7.39 on Date emission standards take effect")
    assert "Germany (without this actor it moves +0.79), then on United Kingdom (-0.71)" \
        in d.paragraph


def _model(name):
    from standoff.models import make

    return make(name)


@pytest.mark.parametrize("model", ["compromise", "median"])
def test_every_number_in_the_paragraph_is_the_computation_rounded(model):
    """Korea 2018 as of 22 May: the named actors' shifts are the top three |Δ|, each printed to
    one decimal; the first uncertain value's forecasts at its ends and the next ones' swings
    are the tornado's, recomputed here by setting each value to its range's ends."""
    from standoff.backtest.library import load_with_outcomes

    s = load_with_outcomes("korea-2018")
    m = _model(model)
    base = {f.issue: f.value for f in m.forecast(s).issues}
    for d in explain_forecast(s, m):
        shifts = {}
        for a in s.actor_ids:
            shifts[a] = m.forecast(s.without(a)).value(d.issue) - base[d.issue]
        top = sorted(shifts, key=lambda a: -abs(shifts[a]))[:3]
        assert [x.actor for x in d.actors[:3]] == top
        assert f"The forecast of {base[d.issue]:.1f}" in d.paragraph
        printed = re.findall(r"\(([+-]?\d+\.\d)\)", d.paragraph.split(" Of the uncertain")[0])
        first = re.search(r"without this actor it moves ([+-]?\d+\.\d)", d.paragraph)
        if first:
            assert float(first.group(1)) == pytest.approx(round(shifts[top[0]], 1))
            assert [float(x) for x in printed] == pytest.approx(
                [round(shifts[a], 1) for a in top[1:len(printed) + 1]])
        if d.values:
            v = d.values[0]
            actor, *rest = v.input.split(".")
            field = rest[-1]
            change = {"actor": actor, "field": field, "to": v.low}
            if len(rest) == 2:
                change["issue"] = rest[0]
            lo = m.forecast(s.with_changes([change])).value(d.issue)
            hi = m.forecast(s.with_changes([{**change, "to": v.high}])).value(d.issue)
            assert (v.forecast_low, v.forecast_high) == pytest.approx((lo, hi))
            if round(abs(hi - lo), 1) > 0:
                assert f"goes from {lo:.1f} to {hi:.1f}" in d.paragraph


def test_explanations_are_deterministic():
    from standoff.backtest.library import load_with_outcomes

    s = load_with_outcomes("korea-2019")
    first = [d.to_dict() for d in explain_forecast(s, "eum")]
    again = [d.to_dict() for d in explain_forecast(s, "eum")]
    assert first == again
    assert np.isfinite([a["shift"] for d in first for a in d["actors"]]).all()


def test_an_actor_whose_removal_does_not_move_the_forecast_is_not_named():
    """Median model on the EC case: every actor the paragraph names moves the forecast by at
    least 0.01 when left out (those that do not move it are never named)."""
    s = load("ec-emissions-1994")
    [d] = explain_forecast(s, "median")
    named = re.findall(r"on ([A-Z][a-z]+(?: [A-Z][a-z]+)?) \(", d.paragraph)
    for name in named:
        actor = next(a for a in d.actors if a.name == name)
        assert round(abs(actor.shift), 2) > 0


def test_forecast_explain_prints_the_paragraph_and_json_carries_the_drivers():
    import json

    from typer.testing import CliRunner

    from standoff.cli import app

    r = CliRunner().invoke(app, ["forecast", "ec-emissions-1994", "-m", "compromise",
                                 "--explain", "-f", "markdown"])
    assert r.exit_code == 0, r.output
    assert "Germany (without this actor it moves +0.79)" in r.output.replace("\n", " ")
    r = CliRunner().invoke(app, ["forecast", "ec-emissions-1994", "-m", "compromise",
                                 "--explain", "-f", "json"])
    [d] = json.loads(r.output)
    assert d["drivers"][0]["actors"][0] == {"actor": "germany",
                                            "shift": pytest.approx(449.1 / 54.9 - 500.3 / 67.7)}
