"""The memory estimate before a run, its limit and setting, and non-finite forecasts."""

from __future__ import annotations

import numpy as np
import pytest

from standoff.errors import ModelError
from standoff.models import budget, make
from standoff.models.base import check_finite
from standoff.scenario.io import build


def test_estimates_follow_each_models_size_term():
    """smp: 2 MB + 16 MiB + (100 + 16·K)·N² → 1,000 actors × 4 issues: 2·10⁶ + 16,777,216 +
    164·10⁶. eum, 3,000 actors × 1 issue, 10 rounds, chunks of 10⁵ dyads: scratch
    300·10⁵ = 3·10⁷, midpoint counts 2·9·10⁶ = 1.8·10⁷, outputs 24·10·3,000 = 7.2·10⁵; with the
    dyads kept, 90·10·9·10⁶ = 8.1·10⁹ more. Without them: 2·10⁶ + 3·10⁷ + 1.8·10⁷ + 7.2·10⁵ =
    50,720,000 bytes (under 300 MiB). median: 2 MB + 400·K·N; ensemble: its costliest member."""
    assert budget.estimate_memory("smp", 1000, 4) == 2_000_000 + 16 * 2**20 + 164 * 10**6
    assert budget.estimate_memory("smp", 1000, 4, batch=3) == 2_000_000 + 16 * 2**20 + 492 * 10**6
    lean = budget.estimate_memory("eum", 3000, 1, params={"keep_dyads": False})
    assert lean == 2_000_000 + 30_000_000 + 18_000_000 + 720_000 < 300 * 2**20
    assert budget.estimate_memory("eum", 3000, 1) == lean + 90 * 10 * 9 * 10**6
    assert budget.estimate_memory("median", 100, 2) == 2_000_000 + 400 * 200
    assert budget.estimate_memory("ensemble", 100, 2, members=("median", "eum")) == \
        budget.estimate_memory("eum", 100, 2)


def test_limit_from_setting_environment_and_default(monkeypatch):
    monkeypatch.delenv(budget.ENV_VAR, raising=False)
    assert budget.max_memory() == 2 * 2**30
    monkeypatch.setenv(budget.ENV_VAR, "8GiB")
    assert budget.max_memory() == 8 * 2**30
    budget.set_max_memory(1000)
    try:
        assert budget.max_memory() == 1000
    finally:
        budget.set_max_memory(None)


def _scenario(n: int):
    actors = [{"id": f"a{i}", "name": f"A{i}", "capability": 1 + i % 5, "positions": {"x": i % 100},
               "salience": {"x": 50}} for i in range(n)]
    return build({"id": "s", "title": "s", "baseline": "2020-01-01",
                  "issues": [{"id": "x", "title": "X", "min": 0, "max": 100}], "actors": actors})


def test_a_run_over_the_limit_is_refused_before_it_starts(monkeypatch):
    """smp on 600 actors × 1 issue: 2·10⁶ + 16 MiB + 116·600² = 60,537,216 bytes (57.7 MiB) > a
    limit of 32 MiB, refused at once naming the limit and the setting; median on the same
    scenario runs."""
    monkeypatch.setenv(budget.ENV_VAR, "32MiB")
    s = _scenario(600)
    with pytest.raises(budget.BudgetError, match=r"needs about 57.7 MiB, above the memory limit of "
                                                 r"32.0 MiB.*--max-memory.*STANDOFF_MAX_MEMORY"):
        make("smp").forecast(s)
    assert np.isfinite(make("median").forecast(s).issues[0].value)


def test_non_finite_forecasts_are_located_errors():
    with pytest.raises(ModelError, match="non-finite forecast \\(nan\\) on issue 'b'"):
        check_finite("eum", ("a", "b"), np.array([[1.0, np.nan]]))
    check_finite("eum", ("a", "b"), np.array([[1.0, 2.0]]))


def test_model_names_match_whatever_the_letter_case():
    from standoff.models import resolve

    assert resolve("EUM") == "eum" and make("Median").name == "median"
    with pytest.raises(ModelError, match="did you mean 'eum'"):
        resolve("eun")
