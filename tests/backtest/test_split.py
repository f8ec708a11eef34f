"""The DEU III split: by proposal, deterministic, and the committed file is the seeded one."""

from __future__ import annotations

import csv

import pytest

from standoff.backtest.split import SPLIT_SEED, load_split, make_split, read_split, split_text
from standoff.errors import ScenarioError


def test_split_is_deterministic_and_halves():
    names = [f"p{k:02d}" for k in range(11)] * 3  # repeated prnr (several issues) count once
    a, b = make_split(names, seed=7), make_split(list(reversed(names)), seed=7)
    assert a == b
    assert sorted(a) == sorted(set(names))
    assert list(a.values()).count("fit") == 5 and list(a.values()).count("eval") == 6
    assert make_split(names, seed=8) != a


def test_committed_split_matches_the_seed_and_the_file(reference_data):
    """Every prnr of deu3-train.csv is in exactly one half, and the committed file is what the
    seeded split of that file gives (so no proposal was moved by hand)."""
    committed = load_split()
    with open(reference_data / "deu3-train.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    col = rows[0].index("prnr")
    prnrs = {r[col] for r in rows[1:] if len(r) > col and r[col]}
    assert set(committed) == prnrs
    assert committed == make_split(prnrs, SPLIT_SEED)
    fit = {p for p, h in committed.items() if h == "fit"}
    assert not fit & {p for p, h in committed.items() if h == "eval"}
    assert len(fit) == len(prnrs) // 2


def test_split_round_trip_and_bad_rows():
    s = {"a": "fit", "b": "eval"}
    assert read_split(split_text(s)) == s
    with pytest.raises(ScenarioError, match="not prnr,fit"):
        read_split("prnr,half\na,train\n")
    with pytest.raises(ScenarioError, match="twice"):
        read_split("prnr,half\na,fit\na,eval\n")
