"""One look for every Standoff plot: a colour cycle, font sizes, grid, resolution, and saving.

Every plotting function of `standoff.report` gets pyplot through :func:`pyplot` (which applies
the style) and writes through :func:`save`, so the plots of a report look alike and any of them
can be drawn to a file path or into memory (a ``BytesIO``) for embedding.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from standoff.errors import StandoffError

# Colour-blind-safe categorical palette (Okabe & Ito 2008), then matplotlib's tab10 for the rest.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
           "#7f7f7f", "#8c564b")
DPI = 110

RC: dict[str, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "legend.fontsize": 8,
    "legend.framealpha": 0.85,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "lines.linewidth": 1.6,
}


def pyplot():
    """matplotlib.pyplot on the Agg backend with the Standoff style applied."""
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        raise StandoffError("plotting needs matplotlib", fix='pip install "standoff[plot]"') from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from cycler import cycler

    matplotlib.rcParams.update(RC)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=list(PALETTE))
    return plt


def colour(k: int) -> str:
    """The k-th colour of the palette (cycling)."""
    return PALETTE[k % len(PALETTE)]


def save(fig, path: str | Path | IO[bytes] | None = None, *, format: str | None = None):
    """Save `fig` to a path (format from the suffix) or a binary buffer (PNG unless `format`), and
    close it; returns what it wrote to. Without a path, returns the open Figure itself (every plotting
    function of the package does the same: `fig = plot_timeline(frame)`, `fig.savefig(...)`)."""
    if path is None:
        return fig
    plt = pyplot()
    try:
        _drop_spent_layout(fig)
        if isinstance(path, (str, Path)):
            path = Path(path)
            fig.savefig(path, dpi=DPI)
        else:
            fig.savefig(path, dpi=DPI, format=format or "png")
    finally:
        plt.close(fig)
    return path


def _drop_spent_layout(fig) -> None:
    """Forget the place-holder layout engine a one-off `fig.tight_layout()` leaves behind.

    With any layout engine set, `savefig` lays the figure out in a draw of its own before the draw
    that makes the image; the place-holder's layout does nothing, so that first draw (a third of
    the cost of saving) changes nothing in the image. A real engine (`layout="tight"` or
    "constrained" on the figure, or by the rc settings that ask for one) is kept."""
    import matplotlib
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    rc = matplotlib.rcParams
    if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine) and not (
            rc["figure.autolayout"] or rc["figure.constrained_layout.use"]):
        fig.set_layout_engine(None)
