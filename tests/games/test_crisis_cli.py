"""`standoff crisis` as a user meets it: table, path in words, JSON, tree plot, one-line errors."""

from __future__ import annotations

import json

import pytest

from cli_process import standoff


def test_table_path_and_plot(duel_path, tmp_path):
    png = tmp_path / "tree.png"
    regions = tmp_path / "regions.svg"
    r = standoff("crisis", str(duel_path), "--between", "east", "west", "--plot", str(png),
                 "--regions", str(regions))
    assert r.returncode == 0, r.stderr
    assert "use-of-force" in r.stdout and "λ = 10" in r.stdout
    assert "East makes no demand." in r.stdout
    assert "Outcome: negotiated settlement (counts as talks)." in r.stdout
    assert "Provocations by east" in r.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in regions.read_text()[:2000]


def test_json_matches_the_python_api(duel_path, duel):
    from standoff.games import crisis

    r = standoff("crisis", str(duel_path), "--between", "east", "west", "--lambda", "3",
                 "--signal", "prior=0.3", "-f", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    api = crisis(duel.as_of("2018-03-05"), "east", "west", lam=3).probabilities()
    assert data["forecast"]["outcome_probabilities"] == pytest.approx(api)
    assert sum(data["forecast"]["outcome_probabilities"].values()) == pytest.approx(1.0)
    assert data["provocations"][0]["belief_before"] == 0.3


def test_efg_file(duel_path, duel, tmp_path):
    """The .efg written by the CLI carries the duel's payoffs, e.g. NEG = (0.4, 0.6)."""
    path = tmp_path / "duel.efg"
    r = standoff("crisis", str(duel_path), "--between", "east", "west", "--efg", str(path))
    assert r.returncode == 0, r.stderr
    text = path.read_text()
    assert text.startswith('EFG 2 R "Two-state duel: interaction game" { "East" "West" }')
    assert 't "" 4 "neg" { 0.4, 0.6 }' in text


def test_markdown(duel_path):
    r = standoff("crisis", str(duel_path), "--between", "east", "west", "-f", "markdown")
    assert r.returncode == 0, r.stderr
    assert "| outcome | description |" in r.stdout and "1. East makes no demand." in r.stdout


@pytest.mark.parametrize("args, message", [
    (("--between", "east", "nowhere"), "neither a group nor an actor"),
    (("--between", "east", "west", "--lambda", "-1"), "λ = -1"),
    (("--between", "east", "west", "--signal", "colour=1"), "no parameter 'colour'"),
    ((), "name the two sides"),
    (("--between", "east", "west", "--plot", "/nonexistent-dir/tree.png"), "cannot write"),
])
def test_errors_are_one_line(duel_path, args, message):
    r = standoff("crisis", str(duel_path), *args)
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
