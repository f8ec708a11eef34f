"""Every model on the DEU III issues, and the harness against an independent compromise."""

from __future__ import annotations

import numpy as np
import pytest

from standoff.backtest.cases import deu_cases
from standoff.backtest.harness import leaderboard, recorded_values, run
from standoff.models import available, make


def test_every_model_scores_every_evaluation_issue(reference_data):
    cases = [c for c in deu_cases(reference_data / "deu3-train.csv") if c.half == "eval"]
    assert {c.half for c in cases} == {"eval"}
    recorded = sum(len(recorded_values(c.scenario)) for c in cases)
    bt = run(cases, [make(n) for n in available()])
    board = leaderboard(bt).set_index("model")
    assert set(board.index) == set(available())
    assert (board.issues == recorded).all()
    assert all(n.endswith("no recorded outcomes, not scored") for n in bt.notes)
    # an independent compromise: Σ c·s·x / Σ c·s from the scenario's actors, on 0..100 scales
    errors = []
    for c in cases:
        s = c.scenario
        for issue, y in recorded_values(s).items():
            w = np.array([a.capability.mode * a.salience[issue].mode for a in s.actors])
            x = np.array([a.positions[issue].mode for a in s.actors])
            errors.append(abs(w @ x / w.sum() - y))
    assert board.loc["compromise", "MAE"] == pytest.approx(np.mean(errors))
