"""What one web request may cost, and the pools that keep heavy requests from starving light ones.

- **Size**: a request body is refused above the limit whether or not it declares a Content-Length
  (a chunked body is counted as it arrives and cut off at the limit): :class:`BodyLimit`.
- **Work**: actors × issues × rounds × draws of a request's model runs is capped
  (:attr:`WebLimits.max_work`), and so is their estimated memory (:mod:`standoff.models.budget`,
  :attr:`WebLimits.max_memory`); both are refused (HTTP 422) before anything runs.
- **Time**: each request has a time budget (:attr:`WebLimits.time_budget_s`); past it the answer is
  HTTP 503 and nothing is recorded.
- **Pools**: light work runs in a pool of a few threads; heavy work (reports, large scenarios, runs
  above :attr:`WebLimits.heavy_work`) in a pool of its own (one thread by default) with a short
  queue; a heavy request beyond the queue is answered 503 at once. A run past its time budget keeps
  its heavy thread until it ends, so at most `heavy_workers` heavy runs use the machine at a time.

See ``standoff docs limits``.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.exceptions import HTTPException

from standoff.errors import StandoffError
from standoff.models import budget

T = TypeVar("T")


@dataclass(frozen=True)
class WebLimits:
    #: most actors × issues × rounds × draws of one request (summed over its model runs)
    max_work: int = 2_000_000
    #: most estimated peak memory of one request's costliest model run (bytes)
    max_memory: int = 2**30
    #: seconds a request may take before it is answered 503
    time_budget_s: float = 30.0
    #: threads for light work (parsing small scenarios, small runs, recording)
    light_workers: int = 4
    #: threads for heavy work, and heavy requests that may wait for one
    heavy_workers: int = 1
    heavy_queue: int = 2
    #: a run above this much work (or a scenario text above `heavy_bytes`) is heavy
    heavy_work: int = 20_000
    heavy_bytes: int = 200_000


class OverLimit(StandoffError):
    """A request over a cap on its work or memory (HTTP 422)."""


class Busy(StandoffError):
    """The heavy pool and its queue are full, or a request ran past its time budget (HTTP 503)."""


def rounds_of(model: Any) -> int:
    """The most rounds (or turns) a model will bargain: its `rounds` or `max_turns`, else 1."""
    for attr in ("rounds", "max_turns"):
        value = getattr(model, attr, None)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return 1


def work_of(models: list[Any], n_actors: int, n_issues: int, draws: int = 1) -> int:
    """actors × issues × rounds × draws, summed over the models (an ensemble counts its members)."""
    from standoff.models import make

    total = 0
    for m in models:
        members = [make(n) for n in m.budget_members()] or [m]
        total += sum(n_actors * n_issues * rounds_of(x) * draws for x in members)
    return total


def admit(limits: WebLimits, models: list[Any], n_actors: int, n_issues: int, draws: int = 1) -> bool:
    """Refuse (OverLimit) a request over the caps; otherwise whether it is heavy."""
    from standoff.scenario.yamlsafe import human

    need = max((budget.estimate_memory(m.name, n_actors, n_issues, draws, m.budget_members())
                for m in models), default=0)
    if need > limits.max_memory:
        raise OverLimit(f"model runs on {n_actors:,} actors × {n_issues:,} issues need about "
                        f"{human(need)}, over the web app's memory cap of {human(limits.max_memory)}",
                        where="models", fix="use fewer actors or another model, or run it on the "
                                            "command line (`standoff --max-memory SIZE forecast ...`)")
    work = work_of(models, n_actors, n_issues, draws)
    if work > limits.max_work:
        raise OverLimit(f"the request is {work:,} actor × issue × round × draw steps, over the web "
                        f"app's cap of {limits.max_work:,}", where="models",
                        fix="use fewer actors, issues, rounds or models, or run `standoff forecast` "
                            "on the command line")
    return work > limits.heavy_work or need > 64 * 2**20


class Gate:
    """The two thread pools, the heavy queue and the time budget."""

    def __init__(self, limits: WebLimits):
        self.limits = limits
        self.light = ThreadPoolExecutor(limits.light_workers, thread_name_prefix="standoff-light")
        self.heavy = ThreadPoolExecutor(limits.heavy_workers, thread_name_prefix="standoff-heavy")
        self._heavy_pending = 0
        self._lock = threading.Lock()

    async def run(self, fn: Callable[[], T], *, heavy: bool = False) -> T:
        """`fn()` in the light or the heavy pool, within the request's time budget."""
        if heavy:
            with self._lock:
                if self._heavy_pending >= self.limits.heavy_workers + self.limits.heavy_queue:
                    raise Busy("the server is busy with other large requests", where="server",
                               fix="try again in a minute, or run it with the command line")
                self._heavy_pending += 1
        pool = self.heavy if heavy else self.light
        try:
            future = pool.submit(fn)
        except BaseException:
            if heavy:
                self._done(None)
            raise
        if heavy:
            future.add_done_callback(self._done)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.limits.time_budget_s)
        except TimeoutError:
            raise Busy(f"the request took longer than its time budget of "
                       f"{self.limits.time_budget_s:g} s", where="server",
                       fix="use fewer actors, rounds or models, or run it with the command line") from None

    def _done(self, _future) -> None:
        with self._lock:
            self._heavy_pending -= 1

    def close(self) -> None:
        self.light.shutdown(wait=False, cancel_futures=True)
        self.heavy.shutdown(wait=False, cancel_futures=True)


class _BodyTooLarge(HTTPException):
    """Raised from the counted `receive`: an HTTPException, so that the framework's body parsing
    passes it on (it turns other errors into 400) and answers 413."""

    def __init__(self, limit: int):
        super().__init__(413, f"request body is over the limit of {limit:,} bytes (counted as it "
                              "arrived: no Content-Length)")


class BodyLimit:
    """ASGI middleware: refuse a request body over `limit` bytes with 413, by its Content-Length
    or, without one (chunked), by counting the bytes as they arrive."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            return await self._refuse(send, f"request of {int(length):,} bytes is over the limit of "
                                            f"{self.limit:,}")
        received = 0
        started = False

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _BodyTooLarge(self.limit)
            return message

        async def watched(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _BodyTooLarge:
            if not started:
                await self._refuse(send, f"request body is over the limit of {self.limit:,} bytes "
                                         "(counted as it arrived: no Content-Length)")
        except Exception as exc:  # the framework wrapped our signal (e.g. while parsing a form)
            if received > self.limit and not started:
                await self._refuse(send, f"request body is over the limit of {self.limit:,} bytes "
                                         "(counted as it arrived: no Content-Length)")
            else:
                raise exc

    async def _refuse(self, send, detail: str) -> None:
        body = json.dumps({"detail": detail, "problems": []}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
