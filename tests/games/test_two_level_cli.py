"""`standoff winsets` and `standoff levers --widen` as a user meets them."""

from __future__ import annotations

import json

import pytest

from cli_process import standoff

TOY = """\
id: toy
title: Toy two-level game
baseline: 2018-01-01
issues:
  - {id: a, title: Issue A, min: 0, max: 100, status_quo: 20}
groups:
  - {id: home, name: Home, veto: [hawk]}
  - {id: away, name: Away}
actors:
  - {id: dove, name: Dove, group: home, capability: 60, positions: {a: 70}, salience: {a: 100}}
  - {id: hawk, name: Hawk, group: home, capability: 40, positions: {a: 30}, salience: {a: 100}}
  - {id: rival, name: Rival, group: away, capability: 100, positions: {a: 50}, salience: {a: 100}}
"""




@pytest.fixture
def toy(tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(TOY)
    return str(path)


def test_winsets_json_gives_the_exact_intervals_and_the_deal(toy):
    """Home's win-set [20, 40] (hawk's veto: 2·30 − 20), away's [20, 80]; bargain 52, deal 40."""
    r = standoff("winsets", toy, "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    sets = {w["group"]: (w["low"], w["high"]) for w in data["winsets"]}
    assert sets == {"home": (20, 40), "away": (20, 80)}
    issue = data["issues"][0]
    assert (issue["unconstrained"], issue["deal"]) == (52, 40)
    assert issue["bounded_by"] == {"group": "home", "kind": "veto", "faction": "hawk"}


def test_winsets_table_markdown_and_plot(toy, tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "w.png"
    r = standoff("winsets", toy, "--plot", str(png))
    assert r.returncode == 0, r.stderr
    assert "[20.0, 40.0]" in r.stdout and "home: veto hawk" in r.stdout
    assert png.read_bytes()[:4] == b"\x89PNG"
    md = standoff("winsets", toy, "-f", "markdown")
    assert "| home | a |" in md.stdout


def test_levers_widen_ranks_the_veto_holders_move_first(toy):
    r = standoff("levers", toy, "--widen", "home", "--format", "json", "--top", "3")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data["wedges"]) == 3
    assert data["wedges"][0]["change"] == "hawk position on a 30 → 40"
    assert data["wedges"][0]["widening"] == pytest.approx(20)
    assert data["wedges"][0]["a.shift"] == pytest.approx(14)


def test_user_errors_are_one_line(toy, tmp_path):
    # a scenario without a status quo (the built-in cases all code one now: docs/case-library.md)
    no_sq = tmp_path / "no-status-quo.yaml"
    no_sq.write_text(TOY.replace(", status_quo: 20", ""))
    for args in (("levers", toy, "--widen", "nope"), ("levers", toy),
                 ("winsets", str(no_sq)), ("winsets", toy, "--plot", "/nonexistent/x.png")):
        r = standoff(*args)
        assert r.returncode == 2, args
        assert "Traceback" not in r.stderr and r.stderr.startswith("error:"), r.stderr
