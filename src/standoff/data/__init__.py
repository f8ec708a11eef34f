"""Built-in cases and tables shipped with Standoff (package data)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

CASES = files("standoff.data") / "cases"
#: Published reference data sets shipped with the package (see reference/NOTICE.md for their origin).
REFERENCE = Path(str(files("standoff.data") / "reference"))


def case_names() -> list[str]:
    """Names of the built-in cases, sorted."""
    return sorted(Path(str(p)).stem for p in CASES.iterdir() if p.name.endswith(".yaml"))


def case_path(name: str) -> Path | None:
    """Path of a built-in case's file, or None when there is no such case."""
    path = Path(str(CASES / f"{name}.yaml"))
    return path if path.is_file() else None


def beliefs_path(name: str, suffix: str = "") -> Path | None:
    """The belief file (suffix "") or hypothesis file ("-hypotheses") shipped with a case."""
    path = Path(str(files("standoff.data") / "beliefs" / f"{name}{suffix}.yaml"))
    return path if path.is_file() else None


def reference_path(name: str) -> Path:
    """A bundled reference data set by file name, e.g. ``reference_path("deu3-train.csv")``."""
    path = REFERENCE / name
    if not path.is_file():
        from standoff.errors import StandoffError

        shipped = sorted(p.name for p in REFERENCE.iterdir() if not p.name.endswith(".md"))
        raise StandoffError(f"no bundled reference data set named {name!r}",
                            fix=f"bundled: {', '.join(shipped)}")
    return path
