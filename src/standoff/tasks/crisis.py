"""The interaction game between two sides (`standoff crisis`): outcome odds, the equilibrium path,
the provocation game's signals, and optionally the dyad's dynamics."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from standoff import lazy
from standoff.errors import ModelError
from standoff.games.crisis import DEFAULT_LAMBDA
from standoff.games.crisis import CrisisResult as Solved
from standoff.games.crisis import crisis as solve_crisis
from standoff.games.gambit import to_efg
from standoff.games.provocations import read_provocations
from standoff.games.signalling import signal_game
from standoff.scenario import Scenario
from standoff.tasks import dynamics as dynamics_task
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")


@dataclass
class CrisisResult(Result):
    kind: ClassVar[str] = "crisis"
    scenario: Scenario
    between: tuple[str, str]
    solved: Solved
    signal: dict[str, Any]
    game: Any
    signals: list[pd.DataFrame]
    dynamic: bool
    dynamics: dynamics_task.DynamicsResult | None = None
    files: dict[str, Path | None] = field(default_factory=dict)  # plot, regions, efg: written by the shell

    def _common(self) -> dict[str, Any]:
        r = self.solved
        return {"forecast": r.to_forecast().to_dict(), "outcomes": r.outcomes,
                "path": r.path_in_words(),
                "provocations": [row for f in self.signals for row in f.to_dict(orient="records")]}

    def _dynamics(self) -> dict[str, Any] | None:
        return None if self.dynamics is None else self.dynamics.to_dict()

    def to_dict(self) -> dict[str, Any]:
        c = self._common()
        return {**c, "outcomes": c["outcomes"].to_dict(orient="records"),
                **{k: str(self.files[k]) if self.files.get(k) else None for k in ("plot", "regions", "efg")},
                "dynamics": self._dynamics()}

    def to_frame(self) -> pd.DataFrame:
        return self.solved.outcomes

    def recording(self) -> Recording:
        return Recording(self.scenario, model="crisis", params={
            "between": list(self.between), "lambda": self.solved.lam, "signal": self.signal,
            "dynamic": self.dynamic}, results={**self._common(), "dynamics": self._dynamics()})


def run(scenario: Scenario, a: str, b: str, *, lam: float | None = None, signal: dict[str, Any] | None = None,
        dynamic: bool = False, progress: Progress | None = None) -> CrisisResult:
    """Solve the game between `a` (who may demand first) and `b` at QRE precision `lam` (default
    10); the provocation game with parameters `signal`; with `dynamic`, the dyad's dynamics too."""
    result = solve_crisis(scenario, a, b, lam=DEFAULT_LAMBDA if lam is None else lam)
    game = signal_game(dict(signal or {}))
    signals = [read_provocations(scenario, x, y, game).assign(sender=x) for x, y in ((b, a), (a, b))]
    signals = [f for f in signals if len(f)]
    dyn = dynamics_task.run(scenario, a, b) if dynamic else None
    return CrisisResult(scenario, (a, b), result, dict(signal or {}), game, signals, dynamic, dyn)


def write_efg(result: CrisisResult, path: Path) -> None:
    """The game with the scenario's payoffs as a Gambit .efg file."""
    r = result.solved
    try:
        path.write_text(to_efg(r.payoffs, (r.dyad.a.name, r.dyad.b.name),
                               f"{result.scenario.title}: interaction game"))
    except OSError as exc:
        raise ModelError(f"cannot write {path}: {exc.strerror}", where="--efg",
                         fix="give a writable path") from None
