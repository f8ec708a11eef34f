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


#: The analyses that run many forecasts per request (each refused over the caps on work, memory or
#: time, so answered within the time budget, but not always within the 10 s of the fast test).
ANALYSES = ["/api/report", "/api/montecarlo", "/api/levers", "/api/compare", "/api/timeline", "/api/winsets",
            "/reports/{run_id}"]


@schema.exclude(path=ANALYSES).parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_endpoint_answers_with_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])


@schema.include(path=ANALYSES[1:]).parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_analysis_answers_with_a_server_error(case):
    """The workbench's analyses: within the time budget (30 s), so a longer wait than the others."""
    case.call_and_validate(checks=[not_a_server_error], timeout=60)


@schema.include(path="/api/report").parametrize()
@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_report_never_answers_with_a_server_error(case):
    """The report runs every chosen model (several seconds for every model on the Korea case),
    so fewer examples and a longer wait than the other endpoints."""
    case.call_and_validate(checks=[not_a_server_error], timeout=180)


# --- nested YAML: the bodies schemathesis does not think of --------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_scalars = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.booleans(),
                     st.text(max_size=8), st.none())
_nested = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=4)),
    max_leaves=40)


@st.composite
def _nested_yaml(draw) -> str:
    """A YAML document of random nesting: a random structure, optionally wrapped in 1-200 levels of
    lists or under anchors that aliases repeat, and sometimes grafted onto the Korea case."""
    import yaml

    from standoff.data import case_path

    body = yaml.safe_dump(draw(_nested), default_flow_style=True).strip()
    depth = draw(st.integers(0, 200))
    body = "[" * depth + body + "]" * depth
    if draw(st.booleans()):
        copies = draw(st.integers(1, 12))
        body = "x: &x " + body + "\ny: [" + ", ".join(["*x"] * copies) + "]"
    else:
        body = "key: " + body
    if draw(st.booleans()):
        body = case_path("korea-2018").read_text() + "\nextra_" + body
    return body


@given(text=_nested_yaml())
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_nested_yaml_never_answers_with_a_server_error(text):
    """Inline and uploaded, to the validator and to a run: a 4xx with a reason, never a 5xx."""
    client = _client()
    r = client.post("/api/scenarios/validate", files={"file": ("n.yaml", text.encode())})
    assert r.status_code < 500, r.text
    r = client.post("/api/run", json={"scenario_yaml": text, "model": "median"})
    assert r.status_code < 500, r.text


_CLIENT = []


def _client():
    from fastapi.testclient import TestClient

    if not _CLIENT:
        _CLIENT.append(TestClient(_app()))
    return _CLIENT[0]
