"""Agreement with Gambit on 20 random interaction games: the committed fixtures always, and a live
recomputation when pygambit is installed (`pip install -e ".[gambit]"`)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from gambit_reference import FIXTURE, LAMBDAS, N_GAMES, random_games, solve_with_gambit

from standoff.games.gambit import to_efg
from standoff.games.interaction import OUTCOMES, TREE, agent_qre, subgame_perfect

TOL = 1e-6


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(FIXTURE.read_text())


def test_fixtures_are_the_seeded_random_games(reference):
    """The fixture payoffs are exactly the games `random_games()` draws (same seed, same draws)."""
    assert len(reference["games"]) == N_GAMES
    assert reference["outcomes"] == list(OUTCOMES)
    np.testing.assert_array_equal(np.array([g["payoffs"] for g in reference["games"]]), random_games())


def test_subgame_perfect_play_agrees_with_gambit(reference):
    """Same outcome, and the same action at every node on the path, as Gambit. (Off the path
    Gambit's logit tracing stops once the regret of the profile is below 1e-8, and regret at
    unreached nodes carries no weight, so it leaves those choices unconverged.)"""
    labels = [n.label for n in TREE]
    for game in reference["games"]:
        ours = subgame_perfect(np.array(game["payoffs"]))
        np.testing.assert_allclose(ours.outcome, game["spe_outcome"], atol=TOL)
        theirs = np.array([game["spe_choice"][label] for label in labels])
        on_path = ours.reach > 0.5
        assert on_path.sum() >= 2
        # Both crises end in the same eight outcomes, so a mover can be exactly indifferent
        # between its branches; there Gambit mixes 50:50 and we take the first action, and the
        # QRE at any λ confirms the tie with probability 1/2.
        tie = np.abs(agent_qre(np.array(game["payoffs"]), 1e4).choice - 0.5) < 1e-9
        pure = on_path & ~tie
        np.testing.assert_allclose(ours.choice[pure], theirs[pure], atol=TOL)
        np.testing.assert_allclose(theirs[on_path & tie], 0.5, atol=1e-4)  # tracing precision


def test_qre_outcome_probabilities_agree_with_gambit(reference):
    payoffs = np.array([g["payoffs"] for g in reference["games"]])
    for lam in LAMBDAS:
        ours = agent_qre(payoffs, lam).outcome
        theirs = np.array([g["qre"][f"{lam:.6g}"] for g in reference["games"]])
        assert np.abs(ours - theirs).max() < TOL


def test_live_recomputation_with_pygambit(reference):
    """With pygambit installed, Gambit's answers now equal the fixtures and ours."""
    pytest.importorskip("pygambit", reason="the optional extra `standoff[gambit]` is not installed")
    for game in reference["games"]:
        u = np.array(game["payoffs"])
        live = solve_with_gambit(u)
        np.testing.assert_allclose(live["spe_outcome"], game["spe_outcome"], atol=TOL)
        np.testing.assert_allclose(live["spe_outcome"], subgame_perfect(u).outcome, atol=TOL)
        for lam in LAMBDAS:
            key = f"{lam:.6g}"
            np.testing.assert_allclose(live["qre"][key], game["qre"][key], atol=TOL)
            np.testing.assert_allclose(live["qre"][key], agent_qre(u, lam).outcome, atol=TOL)


def test_efg_export_reads_back_in_gambit():
    """pygambit parses the export into the same tree: 12 decision nodes, 13 leaves, 8 outcomes
    whose payoffs are the ones written."""
    gbt = pytest.importorskip("pygambit", reason="the optional extra `standoff[gambit]` is not installed")
    u = random_games(n=1)[0]
    game = gbt.read_efg(io.StringIO(to_efg(u)))
    assert len(game.nodes) == 25 and len(game.outcomes) == len(OUTCOMES)
    for outcome in game.outcomes:
        k = OUTCOMES.index(outcome.label)
        assert [float(outcome[p]) for p in game.players] == pytest.approx(u[:, k], abs=1e-12)


def test_efg_text_structure():
    """Without Gambit: the header, one `p` line per decision node, one `t` line per leaf, and the
    payoffs of each outcome written back exactly."""
    u = random_games(n=1)[0]
    text = to_efg(u, players=("United States", "North Korea"))
    lines = text.splitlines()
    assert lines[0] == 'EFG 2 R "International Interaction Game" { "United States" "North Korea" }'
    assert sum(line.startswith("p ") for line in lines) == len(TREE) == 12
    leaves = [line for line in lines if line.startswith("t ")]
    assert len(leaves) == 13
    for line in leaves:
        code = line.split('"')[3]
        pay = [float(x) for x in line[line.index("{") + 1:line.index("}")].split(",")]
        assert pay == list(u[:, OUTCOMES.index(code)])
