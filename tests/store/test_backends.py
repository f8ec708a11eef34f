"""The PostgreSQL fixture skips where no server can be had, but fails under CI=1."""

from __future__ import annotations

import pytest
from postgres_server import _unavailable


def test_no_postgresql_skips_outside_ci_and_fails_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no server"):
        _unavailable("no server")
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="required under CI=1: no server"):
        _unavailable("no server")
