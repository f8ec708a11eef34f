"""Fixtures of the web tests: the app on a fresh SQLite run store, a test client, and files."""

from __future__ import annotations

import warnings

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")

with warnings.catch_warnings():  # Starlette's note that httpx will give way to httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from standoff.web import create_app  # noqa: E402


@pytest.fixture
def store(tmp_path):
    from standoff.store import RunStore

    return RunStore(f"sqlite:///{tmp_path / 'runs.db'}")


@pytest.fixture
def client(store) -> TestClient:
    return TestClient(create_app(store=store))
