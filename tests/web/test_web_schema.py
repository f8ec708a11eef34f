"""Property tests of the whole API from its OpenAPI schema (schemathesis): whatever a client
sends, within the schema or not, the answer is never a 5xx."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from standoff.web import create_app  # noqa: E402


def _app():
    from standoff.store import RunStore

    return create_app(store=RunStore("sqlite://"))  # a store in memory, for this module only


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.exclude(path="/api/report").parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_endpoint_answers_with_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])


@schema.include(path="/api/report").parametrize()
@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_report_never_answers_with_a_server_error(case):
    """The report runs every chosen model (several seconds for every model on the Korea case),
    so fewer examples and a longer wait than the other endpoints."""
    case.call_and_validate(checks=[not_a_server_error], timeout=180)
