"""Score models' forecasts against what really happened: a leaderboard (`standoff backtest`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from standoff import lazy
from standoff.backtest.cases import resolve
from standoff.backtest.harness import Backtest, leaderboard, paired_bootstrap
from standoff.backtest.harness import run as run_backtest
from standoff.backtest.scoring import BacktestError
from standoff.models import make
from standoff.tasks.base import Progress, Recording, Result

pd = lazy.load("pandas")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, NaN (no score) as None, for valid JSON."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@dataclass
class BacktestResult(Result):
    kind: ClassVar[str] = "backtest"
    cases: list[str]              # as given
    kept: list[Any]               # the resolved cases scored
    names: list[str]
    model_params: dict[str, dict[str, Any]]
    options: dict[str, Any]       # library, half, capabilities, draws, baseline, bootstrap, seed
    backtest: Backtest
    board: pd.DataFrame
    bootstrap: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)

    @property
    def shown(self) -> pd.DataFrame:
        """The leaderboard without the columns that are empty for every model."""
        board = self.board
        return board.loc[:, [c for c in board.columns if board[c].notna().any()
                             and not (c == "outcomes" and not board[c].any())]]

    def all_notes(self) -> list[str]:
        return self.notes + list(self.backtest.notes)

    def to_dict(self) -> dict[str, Any]:
        bt = self.backtest
        return {"cases": [c.name for c in self.kept], "leaderboard": records(self.board),
                "bootstrap": None if self.bootstrap is None else records(self.bootstrap),
                "numeric": records(bt.numeric), "categorical": records(bt.categorical),
                "notes": self.all_notes()}

    def to_frame(self) -> pd.DataFrame:
        return self.board

    def recording(self) -> Recording:
        o = self.options
        return Recording(None, model=",".join(self.names), seed=o["seed"], results=self.to_dict(),
                         params=self.model_params | {
                             "cases": list(self.cases), "library": o["library"], "half": o["half"],
                             "capabilities": str(o["capabilities"]), "draws": o["draws"],
                             "baseline": o["baseline"]})


def run(cases: list[str], model_params: dict[str, dict[str, Any]], *, library: bool = False,
        half: str = "eval", capabilities: str = "eu", draws: int = 0, seed: int = 42, noise: float = 0.05,
        baseline: str = "compromise", bootstrap: int = 2000, names: list[str] | None = None,
        progress: Progress | None = None) -> BacktestResult:
    """Run each model (name → parameters) on the cases (built-in names, files with recorded
    outcomes, DEU III files; `library`: every built-in case too; `half`: which half of the DEU III
    split to score: fit, eval or all), score the forecasts, and compare with `baseline` by a paired
    bootstrap over the cases."""
    names = list(names or model_params)
    if draws < 0 or bootstrap < 1:
        raise BacktestError("--draws must be ≥ 0 and --bootstrap ≥ 1", where="--draws/--bootstrap",
                            fix="e.g. --draws 1000 --bootstrap 2000")
    chosen = resolve(list(cases), with_library=library, deu_weights=capabilities)
    split = [c for c in chosen if c.half is not None]
    kept = [c for c in chosen if c.half is None or half == "all" or c.half == half]
    notes = [c.note for c in kept if c.note]
    if split:
        notes.append(f"DEU III: {sum(c.half == 'fit' for c in split)} proposals in the fitting half, "
                     f"{sum(c.half == 'eval' for c in split)} in the evaluation half; scored: "
                     f"{half}.")
    bt = run_backtest(kept, [make(n, **p) for n, p in model_params.items()], draws=draws, seed=seed,
                      noise=noise)
    board = leaderboard(bt)
    boot_frame = None
    if not bt.numeric.empty and baseline in names and bt.numeric.case.nunique() > 1:
        boot_frame = paired_bootstrap(bt, baseline, draws=bootstrap, seed=seed)
    elif not bt.numeric.empty:
        notes.append(f"no bootstrap comparison: it needs the baseline model ({baseline}) among "
                     "the models and at least two cases")
    options = {"library": library, "half": half, "capabilities": capabilities, "draws": draws,
               "baseline": baseline, "bootstrap": bootstrap, "seed": seed}
    return BacktestResult(list(cases), kept, names, model_params, options, bt, board, boot_frame, notes)
