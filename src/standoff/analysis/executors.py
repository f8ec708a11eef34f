"""Where chunks of work run: in this process, a local process pool (the default), or Dask.

Every executor returns the results in the order of the tasks, whatever order they finish in,
and each task carries its own seed, so the result does not depend on the executor. Progress is
reported to a callback `progress(label, done, total)` when one is given (the shell draws the bar).

    with executor("local") as ex:            # a 2-worker dask.distributed LocalCluster
        results = ex.map(fn, tasks, shared=data)
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from standoff.errors import StandoffError

_POLL_S = 0.05


class ExecutorError(StandoffError):
    """An executor that cannot be started (Dask missing, a scheduler that does not answer)."""


def _call(task: Any, shared: Any = None, fn: Callable | None = None) -> Any:
    return fn(shared, task)


ProgressCallback = Callable[[str, int, int], None]


class _Reporter:
    """Calls `progress(label, done, total)` when the count changes, and once with done == total
    at the end (also when the work stops early)."""

    def __init__(self, total: int, label: str, progress: ProgressCallback | None):
        self.total, self.label, self.progress = total, label, progress or None
        self.done = -1

    def update(self, done: int) -> None:
        if self.progress is not None and done != self.done and done < self.total:
            self.done = done
            self.progress(self.label, done, self.total)

    def close(self) -> None:
        if self.progress is not None:
            self.progress(self.label, self.total, self.total)


class Executor:
    """Base: run `fn(shared, task)` for every task and return the results in task order."""

    name = "serial"
    workers = 1

    def map(self, fn: Callable[[Any, Any], Any], tasks: Sequence[Any], *, shared: Any = None,
            label: str = "working", progress: ProgressCallback | None = None) -> list[Any]:
        bar = _Reporter(len(tasks), label, progress)
        out = []
        try:
            for k, task in enumerate(tasks):
                out.append(fn(shared, task))
                bar.update(k + 1)
        finally:
            bar.close()
        return out

    def close(self) -> None:
        pass

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _wait(futures: list, bar: _Reporter) -> None:
    """Poll futures (concurrent or Dask) until all are done, updating the bar."""
    try:
        while True:
            done = sum(f.done() for f in futures)
            bar.update(done)
            if done == len(futures):
                return
            time.sleep(_POLL_S)
    finally:
        bar.close()


class ProcessExecutor(Executor):
    """A local pool of worker processes (default: one per core)."""

    name = "process"

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn, tasks, *, shared=None, label="working", progress=None):
        if len(tasks) <= 1 or self.workers <= 1:
            return Executor.map(self, fn, tasks, shared=shared, label=label, progress=progress)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        futures = [self._pool.submit(fn, shared, task) for task in tasks]
        _wait(futures, _Reporter(len(tasks), label, progress))
        return [f.result() for f in futures]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


class DaskExecutor(Executor):
    """A dask.distributed cluster: `local` starts a LocalCluster, else a scheduler address."""

    name = "dask"

    def __init__(self, address: str = "local", workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ExecutorError("Dask is not installed", where="--dask",
                                fix="pip install 'standoff[dask]', or drop --dask") from None
        self.address = address
        self._cluster = None
        try:
            if address == "local":
                self._cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1,
                                             processes=True, dashboard_address=None)
                self.client = Client(self._cluster)
            else:
                self.client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as exc:
            self.close()
            raise ExecutorError(f"cannot reach the Dask scheduler at {address!r}: {exc}",
                                where="--dask", fix="start `dask scheduler` there, or use --dask local")\
                from None
        self.workers = len(self.client.scheduler_info().get("workers", {})) or (workers or 2)

    def map(self, fn, tasks, *, shared=None, label="working", progress=None):
        if not tasks:
            return []
        # one object, under a fresh key: a hashed key can collide with the release of the same
        # data scattered by the previous call
        [shared_future] = self.client.scatter([shared], broadcast=True, hash=False)
        futures = self.client.map(_call, list(tasks), shared=shared_future, fn=fn, pure=False)
        _wait(futures, _Reporter(len(tasks), label, progress))
        return self.client.gather(futures)

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def executor(dask: str | None = None, workers: int | None = None) -> Executor:
    """The executor the command line asks for: `--dask local|tcp://HOST:PORT`, else a process
    pool of `workers` processes (1: in this process)."""
    if dask:
        return DaskExecutor(dask, workers)
    if workers == 1:
        return Executor()
    return ProcessExecutor(workers)
