"""Every file the package reads at run time is declared as package data, so a plain
`pip install .` (not editable) has it: a file under src/standoff/data, the report's templates or
the web page's static files that no glob of pyproject.toml matches would be missing there."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_is_declared_as_package_data():
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    missing = []
    for package in ("standoff.data", "standoff.report", "standoff.web"):
        folder = ROOT / "src" / Path(*package.split("."))
        for path in folder.rglob("*"):
            if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(folder).as_posix()
            if not any(fnmatch.fnmatch(rel, g) for g in globs.get(package, [])):
                missing.append(f"{package}: {rel}")
    assert missing == []
