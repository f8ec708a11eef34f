"""Whether a model run should label what happened in it (who challenged or traded with whom, with
actor and issue ids): wanted for one forecast (its round-by-round detail), not for the thousands
of draws of a Monte Carlo run, which keep only the values.

:meth:`Model.forecast` of the models that log their moves (``smp``, ``exchange``) runs inside
:func:`labelled`; their ``predict(batch)`` labels only when :func:`wanted` says so (or when asked
with ``predict(batch, labels=True)``). A context variable, so threads and tasks do not share it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_LABELS: ContextVar[bool] = ContextVar("standoff_labels", default=False)


def wanted(labels: bool | None = None) -> bool:
    """`labels` when given, else whether the run is inside :func:`labelled`."""
    return _LABELS.get() if labels is None else bool(labels)


@contextmanager
def labelled() -> Iterator[None]:
    """Runs inside this block label their moves."""
    token = _LABELS.set(True)
    try:
        yield
    finally:
        _LABELS.reset(token)
