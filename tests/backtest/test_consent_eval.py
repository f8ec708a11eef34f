"""The consent evaluation on DEU III: the shrunk baseline's λ, folds, P(outcome = rp) scores;
the reader's consent rules (who must agree) by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import standoff
from standoff.backtest.consent import folds_of, said_rates, shrink_lambda
from standoff.backtest.harness import Case
from standoff.models import make
from standoff.scenario.formats import eu_council
from standoff.scenario.formats.deu import parse_deu


def test_shrink_lambda_by_hand():
    """q = 0 everywhere; base 10, 20, 40 and outcomes 5, 20, 40: ratios 0.5, 1, 1 with weights
    10, 20, 40 (total 70, half 35): cumulative 10, 30, 70 first reaches 35 at ratio 1 → λ = 1.
    With outcome 0 on the third: ratios 0.5, 1, 0 → sorted 0 (40), 0.5, 1: λ = 0."""
    assert shrink_lambda([10, 20, 40], [0, 0, 0], [5, 20, 40]) == 1.0
    assert shrink_lambda([10, 20, 40], [0, 0, 0], [5, 20, 0]) == 0.0
    assert np.isnan(shrink_lambda([3.0], [3.0], [7.0]))


def test_shrink_lambda_minimises_the_absolute_error():
    rng = np.random.default_rng(0)
    base, q, y = rng.uniform(0, 100, (3, 40))
    lam = shrink_lambda(base, q, y)
    loss = lambda v: np.abs(y - q - v * (base - q)).sum()  # noqa: E731
    assert all(loss(lam) <= loss(v) + 1e-9 for v in np.linspace(-2, 3, 501))


def test_shrunk_model_by_hand():
    """EC emissions, q = 10: compromise 500.3/67.7 = 7.39; λ = 0.5 → 10 + 0.5·(7.39 − 10)."""
    ec = standoff.load("ec-emissions-1994")
    f = make("shrunk", lam=0.5).forecast(ec)
    assert f.value("emissions-date") == pytest.approx(10 + 0.5 * (500.3 / 67.7 - 10))
    assert make("shrunk", lam=1.0).forecast(ec).value("emissions-date") == pytest.approx(500.3 / 67.7)


def test_folds_are_whole_proposals_and_seeded():
    cases = [Case(f"deu3-p{k}", None) for k in range(10)]
    f = folds_of(cases, folds=5, seed=1)
    assert sorted(f) == sorted(c.name for c in cases)
    assert sorted(np.bincount(list(f.values()))) == [2, 2, 2, 2, 2]
    assert f == folds_of(list(reversed(cases)), folds=5, seed=1)


def test_said_rates_by_hand():
    """Four issues with q: the model says rp (p 1) on two, right once; says not on two, the
    outcome is rp on one → rates ½ and ½; an issue without q is left out."""
    rows = pd.DataFrame({"q": [0, 0, 0, 0, np.nan], "actual": [0, 5, 0, 9, 0],
                         "p_rp": [1, 1, 0, 0, np.nan]})
    assert said_rates(rows) == (0.5, 0.5)


def test_qmv_thresholds():
    """Amsterdam 62/87; Nice EU-27 255/345 with 14 of 27 states; double majority 65% and 16 of 28."""
    assert eu_council.qmv_threshold(dt.date(2000, 1, 1)) == (62 / 87, None)
    assert eu_council.qmv_threshold(dt.date(2010, 1, 1)) == (255 / 345, 14)
    assert eu_council.qmv_threshold(dt.date(2015, 1, 1)) == (0.65, 16)


HEAD = "prnr\tisnr\tprname\tproc\tcounvte\tintro\tfinact\tpcom\tpep\tpde\tpfr\tpit\tpuk\trp\tout"


def test_deu_consent_rules_by_hand():
    """QMV on 1 March 2000 (Amsterdam, 62 of 87): present Germany, France, Italy, the UK (10 votes
    each, 40); absent 47 votes count as support, so the present states need (62 − 47)/40 = 0.375
    of their votes. COD: the Parliament's consent is needed; the Commission is a party overridden
    by the Council's unanimity and the agenda setter. CNS: the Parliament is a third party.
    Issue a, q = 0: Commission 60 accepts [0, 100] (mirror 120, cut at 100); Parliament 30 [0, 60];
    council DE 10, FR 20, IT 80, UK 90 (reaches 20, 40, 160, 180): votes sorted down UK 10, IT 20
    ≥ 0.375·40 = 15 → pivot IT at 160 → 100. Set [0, 60], bounded by the Parliament."""
    text = "\n".join([HEAD,
                      "p1\tp1a\tx\tCOD\tQMV\t01-03-00\t\t60\t30\t10\t20\t80\t90\t0\t50",
                      "p2\tp2a\ty\tCNS\tQMV\t01-03-00\t\t60\t30\t10\t20\t80\t90\t0\t50"])
    r = parse_deu(text, file="d.csv", weights="eu")
    s = r["p1"]
    council = s.group("council")
    assert council.quota_basis == "votes" and council.member_quota is None
    assert council.ratification_quota == pytest.approx((62 - 47) / 40)
    assert s.group("european-parliament").role == "party"
    assert s.group("european-commission").overridden_by == "council"
    assert s.agenda_setter == "commission"
    f = make("consent").forecast(s)
    assert (f.detail["lo"][0], f.detail["hi"][0]) == (0.0, 60.0)
    assert f.detail["hi_by"][0] == "parliament"
    cns = r["p2"]
    assert cns.group("european-parliament").role == "third-party"
    # CNS: no Parliament; the Commission's [0, 100] and the council's [0, 100]: the whole scale
    assert make("consent").forecast(cns).detail["hi"][0] == 100.0
    # the Commission as setter gets its ideal 60 under CNS, the Parliament's bound 60 under COD
    assert make("consent", rule="setter").forecast(cns).value("p2a") == 60.0


def test_committed_lambda_is_the_fit_on_the_fitting_half(reference_data):
    """The shrunk baseline's default λ is the L1 fit on the DEU III fitting half."""
    from standoff.backtest.cases import deu_cases
    from standoff.backtest.consent import fit_lambda
    from standoff.models.shrunk import LAMBDA

    fit = [c for c in deu_cases(reference_data / "deu3-train.csv") if c.half == "fit"]
    assert fit_lambda(fit) == pytest.approx(LAMBDA, abs=1e-12)
