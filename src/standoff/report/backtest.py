"""The backtest report: leaderboard, bootstrap comparison, categorical scores and two plots
(forecast against outcome per model; absolute error by model), as Markdown with PNG files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from standoff import lazy
from standoff.report.tables import to_markdown
from standoff.tasks.report import BacktestReport, ReportError

pd = lazy.load("pandas")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _scaled(frame: pd.DataFrame, column: str) -> pd.Series:
    return 100 * (frame[column] - frame["low"]) / (frame["high"] - frame["low"])


def predicted_vs_actual(bt, path: Path) -> None:
    """One panel per model: forecast against recorded outcome (0–100), with the diagonal."""
    plt = _pyplot()
    models = [m for m in bt.models if (bt.numeric.model == m).any()]
    cols = min(3, max(1, len(models)))
    rows = int(np.ceil(len(models) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 3.4 * rows), squeeze=False,
                             sharex=True, sharey=True)
    for ax, name in zip(axes.flat, models, strict=False):
        f = bt.numeric[bt.numeric.model == name]
        x, y = _scaled(f, "actual"), _scaled(f, "forecast")
        ax.plot([0, 100], [0, 100], color="0.6", lw=1, zorder=1)
        ax.fill_between([0, 100], [-10, 90], [10, 110], color="0.9", zorder=0)
        ax.scatter(x, y, s=14, alpha=0.6, color="tab:blue", edgecolor="none", zorder=2)
        ax.set_title(f"{name}  (MAE {np.mean(np.abs(f.error)):.1f})", fontsize=10)
        ax.set_xlim(-3, 103)
        ax.set_ylim(-3, 103)
        ax.set_aspect("equal")
    for ax in axes.flat[len(models):]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel("recorded outcome (0–100)")
    for ax in axes[:, 0]:
        ax.set_ylabel("forecast (0–100)")
    fig.suptitle("Forecast against outcome (grey band: within 10 points)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def error_by_model(bt, board: pd.DataFrame, path: Path) -> None:
    """Box plot of each model's absolute errors (points of a 0–100 scale), MAE as a diamond,
    models ordered as on the leaderboard `board` (by MAE)."""
    plt = _pyplot()
    models = [m for m in board.model if (bt.numeric.model == m).any()]
    data = [bt.numeric.abs_error[bt.numeric.model == m].to_numpy() for m in models]
    fig, ax = plt.subplots(figsize=(max(5.0, 1.1 * len(models) + 2), 4))
    ax.boxplot(data, showfliers=True, widths=0.6)
    ax.set_xticks(range(1, len(models) + 1), models, rotation=20)
    ax.scatter(range(1, len(models) + 1), [d.mean() for d in data], marker="D", color="tab:red",
               zorder=3, label="MAE")
    ax.set_ylabel("absolute error (points of 0–100)")
    ax.set_title(f"Error by model ({len(bt.numeric.drop_duplicates(['case', 'issue']))} issues, "
                 f"{bt.numeric.case.nunique()} cases)", fontsize=11)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def bootstrap_plot(boot: pd.DataFrame, baseline: str, path: Path) -> None:
    """Each model's MAE difference from the baseline with its 95% bootstrap interval."""
    plt = _pyplot()
    rows = boot[boot.model != baseline].iloc[::-1]
    col = f"vs {baseline}"
    fig, ax = plt.subplots(figsize=(6, 0.45 * len(rows) + 1.4))
    y = np.arange(len(rows))
    ax.errorbar(rows[col], y, xerr=[rows[col] - rows["diff low"], rows["diff high"] - rows[col]],
                fmt="o", color="tab:blue", capsize=3)
    ax.axvline(0, color="0.5", lw=1)
    ax.set_yticks(y, rows.model)
    ax.set_xlabel(f"MAE minus {baseline}'s (points of 0–100; left is better)")
    ax.set_title("Paired bootstrap over cases, 95% intervals", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def explanation_lines(explained: Sequence[tuple[str, Sequence]], model: str) -> list[str]:
    """Markdown lines: per case and issue, the paragraph of what drives `model`'s forecast (the
    actors whose removal moves it most, the uncertain values it swings with); `explained` pairs
    each case's name with its explanations (`tasks.report.explain_cases`)."""
    lines = [f"## What drives the {model} forecasts", ""]
    for name, drivers in explained:
        for d in drivers:
            lines += [f"**{name}**, {d.title}: {d.paragraph}", ""]
    return lines


def write_report(result: BacktestReport, folder: str | Path, *, title: str = "Backtest",
                 notes: list[str] | None = None) -> Path:
    """Write `backtest.md` and its PNG plots into `folder`; returns the Markdown file's path.
    `result` is :func:`standoff.tasks.report.backtest_report`: the backtest, its leaderboard, the
    paired bootstrap against the baseline and what drives the baseline's forecasts of the cases
    it was asked to explain."""
    bt, baseline = result.backtest, result.baseline
    boot_draws, boot_seed = result.boot_draws, result.boot_seed
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create {folder}: {exc.strerror}", where="--report",
                          fix="give a writable folder") from None
    lines = [f"# {title}", ""]
    cases = sorted(set(bt.numeric.case) | set(bt.categorical.case))
    lines += [f"{len(cases)} case(s), models: {', '.join(bt.models)}. Errors are in points of each "
              "issue's scale normalised to 0–100; the Brier score runs from 0 (sure and right) to 2 "
              "(sure and wrong).", ""]
    lines += [f"- {n}" for n in (notes or [])]
    board = result.board
    board = board.loc[:, [c for c in board.columns if board[c].notna().any()]]
    lines += ["", "## Leaderboard", "", to_markdown(board, floatfmt=".3f"), ""]
    boot = result.bootstrap
    if boot is not None:
        lines += [f"## MAE against the {baseline} model", "",
                  f"95% percentile intervals from {boot_draws} paired bootstrap resamples of the "
                  f"cases (seed {boot_seed}); a difference below zero is better than {baseline}.", "",
                  to_markdown(boot, floatfmt=".2f"), ""]
        if (boot.model != baseline).any():
            bootstrap_plot(boot, baseline, folder / "bootstrap.png")
            lines += ["![MAE against the baseline](bootstrap.png)", ""]
    if not bt.categorical.empty:
        lines += ["## Categorical outcomes", "", to_markdown(bt.categorical.drop(columns="half"),
                                                                floatfmt=".3f"), ""]
    if not bt.numeric.empty:
        predicted_vs_actual(bt, folder / "predicted-vs-actual.png")
        error_by_model(bt, result.board, folder / "error-by-model.png")
        lines += ["## Plots", "", "![forecast against outcome](predicted-vs-actual.png)", "",
                  "![error by model](error-by-model.png)", ""]
    if result.explained:
        lines += explanation_lines(result.explained, baseline)
    if bt.notes:
        lines += ["## Not scored", ""] + [f"- {n}" for n in bt.notes] + [""]
    out = folder / "backtest.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    return out
