"""The web app's limits: caps on work and memory, the time budget, the heavy pool's queue, light
requests answered while a heavy one runs, and chunked bodies counted against the size limit."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import httpx
import pytest

from standoff.scenario.io import to_yaml
from standoff.web import create_app
from standoff.web.app import MAX_BODY_BYTES
from standoff.web.limits import WebLimits, work_of


def scenario_yaml(n: int, k: int = 1) -> str:
    """n actors on k issues: positions spread evenly on 0..100, capability 1 + i % 7."""
    from standoff.scenario.io import build

    issues = [{"id": f"i{j}", "title": f"I{j}", "min": 0, "max": 100} for j in range(k)]
    actors = [{"id": f"a{i}", "name": f"A{i}", "capability": 1 + i % 7,
               "positions": {f"i{j}": 100 * i / max(n - 1, 1) for j in range(k)},
               "salience": {f"i{j}": 50 + i % 50 for j in range(k)}} for i in range(n)]
    return to_yaml(build({"id": "big", "title": "big", "baseline": "2020-01-01", "issues": issues,
                          "actors": actors}))


async def _gather(app, requests):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as client:
        async def one(method, url, **kw):
            start = time.perf_counter()
            response = await client.request(method, url, **kw)
            return response, time.perf_counter() - start, time.perf_counter()
        return await asyncio.gather(*(one(*r[:2], **r[2]) for r in requests))


@pytest.fixture
def store(tmp_path):
    from standoff.store import RunStore

    return RunStore(f"sqlite:///{tmp_path / 'runs.db'}")


def test_work_counts_actors_issues_rounds_and_ensemble_members():
    """eum with 10 rounds on 11 actors × 4 issues: 11·4·10 = 440; median (no rounds): 44; an
    ensemble of median and eum: 44 + 440 = 484."""
    from standoff.models import make

    assert work_of([make("eum")], 11, 4) == 440
    assert work_of([make("median")], 11, 4) == 44
    assert work_of([make("ensemble", members="median,eum")], 11, 4) == 484
    assert work_of([make("eum", rounds=3)], 11, 4, draws=5) == 11 * 4 * 3 * 5


def test_over_the_caps_is_refused_before_running(store):
    """smp on 500 actors: 2·10⁶ + 16 MiB + 116·500² bytes = 45.6 MiB, over a 32 MiB cap; eum on
    300 actors × 2 issues × 10 rounds = 6,000 steps, over a cap of 5,000. Both 422 within a
    second or two."""
    app = create_app(store=store, limits=WebLimits(max_work=5_000))
    small = create_app(store=store, limits=WebLimits(max_memory=32 * 2**20))
    text = scenario_yaml(500)
    start = time.perf_counter()
    (smp, _, _), = asyncio.run(_gather(small, [("POST", "/api/run",
                                               {"json": {"scenario_yaml": text, "model": "smp"}})]))
    assert smp.status_code == 422, smp.text
    assert "memory cap" in smp.json()["detail"]
    (eum, _, _), = asyncio.run(_gather(app, [("POST", "/api/run", {"json": {
        "scenario_yaml": scenario_yaml(300, 2), "model": "eum"}})]))
    assert eum.status_code == 422, eum.text
    assert "6,000" in eum.json()["detail"] and "5,000" in eum.json()["detail"]
    assert time.perf_counter() - start < 30
    assert store.runs(limit=5) == []


def _rss() -> int:
    """This process's resident memory now (bytes), from /proc."""
    with open("/proc/self/status") as f:
        kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return kb * 1024


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc to read memory")
def test_light_requests_are_answered_while_a_heavy_one_runs_and_memory_stays_bounded(store):
    """A heavy run (eum on 200 actors: 900·200² ≈ 36 MB estimated, seconds of work) and six light
    ones sent together: every light one is answered (200) before the heavy one ends, and the
    process's resident memory grows by far less than the web app's 1 GiB cap meanwhile."""
    limits = WebLimits(heavy_work=1_000)  # eum on 200 actors: 200·1·10 = 2,000 steps → heavy
    app = create_app(store=store, limits=limits)
    asyncio.run(_gather(app, [("GET", "/api/cases", {})]))  # the built-in cases, read once
    heavy = ("POST", "/api/run", {"json": {"scenario_yaml": scenario_yaml(200), "model": "eum"}})
    light = [("GET", "/api/cases", {}), ("GET", "/api/models", {})] + \
        [("POST", "/api/run", {"json": {"case": "korea-2018", "model": "compromise"}})] * 4
    before, peak, stop = _rss(), [0], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _rss())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        results = asyncio.run(_gather(app, [heavy] + light))
    finally:
        stop.set()
        sampler.join()
    (h, _, h_end), rest = results[0], results[1:]
    assert h.status_code == 200, h.text
    for response, _, end in rest:
        assert response.status_code == 200, response.text
        assert end < h_end, "a light request waited for the heavy one"
    assert peak[0] - before < 512 * 2**20


def test_heavy_requests_beyond_the_queue_get_503_at_once(store):
    """One heavy worker and no queue: of two heavy runs sent together, one runs and one is told the
    server is busy (503); nothing is recorded for the refused one."""
    app = create_app(store=store, limits=WebLimits(heavy_work=1_000, heavy_queue=0))
    heavy = ("POST", "/api/run", {"json": {"scenario_yaml": scenario_yaml(200), "model": "eum"}})
    results = asyncio.run(_gather(app, [heavy, heavy]))
    codes = sorted(r.status_code for r, _, _ in results)
    assert codes == [200, 503], [r.text for r, _, _ in results]
    busy = next(r for r, _, _ in results if r.status_code == 503)
    assert "busy" in busy.json()["detail"]
    assert len(store.runs(limit=5)) == 1


def test_a_request_past_its_time_budget_gets_503_and_is_not_recorded(store):
    """A time budget of 0.2 s against an eum run on 200 actors (over a second here): 503."""
    app = create_app(store=store, limits=WebLimits(time_budget_s=0.2))
    (r, took, _), = asyncio.run(_gather(app, [("POST", "/api/run", {"json": {
        "scenario_yaml": scenario_yaml(200), "model": "eum"}})]))
    assert r.status_code == 503, r.text
    assert "time budget of 0.2 s" in r.json()["detail"]
    assert took < 5
    time.sleep(0.1)
    assert store.runs(limit=5) == []


def test_a_chunked_body_without_content_length_is_cut_off_at_the_limit(store):
    """A body sent in 64 KB chunks with no Content-Length: refused with 413 once it passes the
    limit, having read at most one chunk past it."""
    app = create_app(store=store)
    sent = []

    def chunks():
        for _ in range(64):  # 4 MB in all
            sent.append(65_536)
            yield b"x" * 65_536

    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            async def body():
                for c in chunks():
                    yield c
            return await client.post("/api/run", content=body(),
                                     headers={"content-type": "application/json"})

    response = asyncio.run(go())
    assert response.status_code == 413, response.text
    assert "over the limit" in response.json()["detail"]
    assert sum(sent) <= MAX_BODY_BYTES + 2 * 65_536


def test_deeply_nested_yaml_is_a_422_not_a_server_error(store):
    """5,000 nested lists (a RecursionError in the composer, once an HTTP 500) and the same inside
    a run request: 422 naming the depth limit, from the shared loader's event scan."""
    from fastapi.testclient import TestClient

    client = TestClient(create_app(store=store))
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    r = client.post("/api/scenarios/validate", files={"file": ("deep.yaml", deep.encode())})
    assert r.status_code == 422 and "nested more than 64 levels" in r.json()["detail"]
    r = client.post("/api/run", json={"scenario_yaml": deep, "model": "median"})
    assert r.status_code == 422 and "nested more than 64 levels" in r.json()["detail"]
