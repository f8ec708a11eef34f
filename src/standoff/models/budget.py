"""What a model run will cost, estimated from the scenario's size before it starts, and the limit
that refuses a run too large for the machine (docs/limits.md).

Peak memory, measured with tracemalloc on random scenarios of N actors and K issues (bytes):

- ``smp``: about (100 + 16·K)·N² per batch member plus 16 MiB of blocks (the challengers and the
  queues are taken in blocks of at most 2¹⁷ elements; the pairwise arrays are N × N, N × N × K):
  600 actors → 58 MiB, 1,000 actors × 2 issues → 144 MiB (measured: 106·N² at 300 and 600
  actors, one to three issues; 204·N² with ten issues);
- ``eum``: its scratch arrays are bounded: rows run in chunks of about ``chunk_elements`` dyads
  (10⁵), and a row larger than that runs its dyads in blocks of senders of that size, keeping only
  the midpoint counts of every dyad (2 bytes): about 300·min(chunk_elements, K·N²·draws) +
  2·N² bytes (3,000 actors, one issue, ``keep_dyads=false``: 48 MB; measured 31 MiB).
  Kept dyads (``keep_dyads``, the default) add about 90·rounds·K·N² bytes per draw (the arrays and
  the forecast's plain copy of them: 200 actors, 10 rounds: 36 MB, measured 35 MiB);
- ``exchange``: about 300·K·N² (every pair's exchange on every pair of issues);
- the others (``median``, ``compromise``, ``nash``): a few hundred bytes per actor and issue;
- ``ensemble``: its costliest member (the members run one after the other).

The limit is :data:`DEFAULT_MAX_MEMORY` (2 GiB) unless the environment variable
``STANDOFF_MAX_MEMORY`` or the command line's ``standoff --max-memory SIZE`` says otherwise.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from typing import Any

from standoff.errors import StandoffError

ENV_VAR = "STANDOFF_MAX_MEMORY"
#: The largest estimated peak memory of one model run, unless raised (bytes).
DEFAULT_MAX_MEMORY = 2 * 2**30
#: Bytes per unit of each model's size term (see the module docstring); models not named here
#: use `_LINEAR`.
_QUADRATIC = {"exchange": 300.0}
_LINEAR = 400.0
#: smp: bytes per N² and per N²·K of each batch member, and its blocks (see the docstring).
_SMP = (100.0, 16.0, 16 * 2**20)
#: Fixed overhead of any run (Python objects, the result), bytes.
_BASE = 2_000_000

_override: ContextVar[int | None] = ContextVar("standoff_max_memory", default=None)


class BudgetError(StandoffError):
    """A run whose estimated memory is above the limit."""


def max_memory() -> int:
    """The limit in force: set_max_memory(), else $STANDOFF_MAX_MEMORY, else DEFAULT_MAX_MEMORY."""
    value = _override.get()
    if value is not None:
        return value
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return DEFAULT_MAX_MEMORY
    from standoff.scenario.yamlsafe import parse_size

    try:
        return parse_size(raw)
    except ValueError:
        raise StandoffError(f"${ENV_VAR}={raw!r} is not a size", where=ENV_VAR,
                            fix="give bytes or e.g. 4GiB, 500MB") from None


def set_max_memory(limit: int | None) -> None:
    """Set the limit for this context (None: back to the environment or the default)."""
    _override.set(limit)


def estimate_memory(model: str, n_actors: int, n_issues: int, batch: int = 1,
                    members: tuple[str, ...] = (), params: dict[str, Any] | None = None) -> int:
    """Estimated peak bytes of one run of `model` on `batch` scenarios of that size; `params`: the
    model's parameters where they change the footprint (the eum's rounds, keep_dyads and
    chunk_elements; the defaults otherwise)."""
    if model == "ensemble":
        return max((estimate_memory(m, n_actors, n_issues, batch) for m in members), default=_BASE)
    n, k, b = float(n_actors), float(n_issues), float(batch)
    if model == "eum":
        size = _eum_bytes(n, k, b, params or {})
    elif model == "smp":
        size = _SMP[2] + b * n ** 2 * (_SMP[0] + _SMP[1] * k)
    elif model in _QUADRATIC:
        size = _QUADRATIC[model] * b * k * n ** 2
    else:
        size = _LINEAR * b * k * n
    return int(_BASE + size)


def _eum_bytes(n: float, k: float, b: float, params: dict[str, Any]) -> float:
    """The expected utility model: bounded scratch, the blocked rows' midpoint counts, the
    per-round outputs and, if kept, every round's dyads (see the module docstring)."""
    rounds = float(params.get("rounds", 10))
    chunk = float(params.get("chunk_elements", 100_000))
    keep = bool(params.get("keep_dyads", True))
    dyads = n * n
    size = 300.0 * min(chunk, dyads * k * b) + (2.0 * dyads if dyads > chunk else 0.0)
    return size + k * b * (24.0 * rounds * n + (90.0 * rounds * dyads if keep else 0.0))


def check(model: str, n_actors: int, n_issues: int, batch: int = 1, members: tuple[str, ...] = (),
          limit: int | None = None, params: dict[str, Any] | None = None) -> int:
    """The estimate, or a one-line BudgetError naming it, the limit and how to raise it."""
    from standoff.scenario.yamlsafe import human

    need = estimate_memory(model, n_actors, n_issues, batch, members, params)
    limit = max_memory() if limit is None else limit
    if need > limit:
        size = f"{n_actors:,} actors × {n_issues:,} issue{'s' if n_issues != 1 else ''}" + \
            (f" × {batch:,} draws" if batch > 1 else "")
        raise BudgetError(f"model {model!r} on {size} needs about {human(need)}, above the memory "
                          f"limit of {human(limit)}", where="--max-memory",
                          fix=f"raise it with `standoff --max-memory SIZE ...` or {ENV_VAR}=SIZE if "
                              "the machine has the memory, or use fewer actors or another model "
                              "(`standoff docs limits`)")
    return need
