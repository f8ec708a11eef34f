"""Gambit's solutions of 20 random interaction games: the reference that tests/games/test_gambit.py
checks Standoff against.

`python tests/games/gambit_reference.py` (needs `pip install -e ".[gambit]"`) recomputes them
with pygambit and rewrites fixtures/gambit-iig-20.json. The games are read by pygambit from
Standoff's .efg export; the subgame-perfect equilibrium is Gambit's `logit_solve`, the limit
of the principal branch of the agent logit correspondence (in a game of perfect information
without payoff ties that limit is the unique subgame-perfect equilibrium; Gambit's `lcp_solve`
returns a Nash equilibrium that need not be subgame perfect, and in one of these games is not),
and the QRE is Gambit's `logit_solve_lambda` (path following
on the agent logit correspondence); outcome probabilities are Gambit's realisation
probabilities of the terminal nodes.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from standoff.games.gambit import to_efg
from standoff.games.interaction import OUTCOMES

FIXTURE = Path(__file__).with_name("fixtures") / "gambit-iig-20.json"
SEED = 20180612
N_GAMES = 20
LAMBDAS = (0.5, 2.0, 10.0, 50.0)


def random_games(seed: int = SEED, n: int = N_GAMES) -> np.ndarray:
    """n games with payoffs drawn uniformly from [-1, 1] (ties have probability zero)."""
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, 2, len(OUTCOMES)))


def _outcome_probs(game, profile) -> list[float]:
    probs = dict.fromkeys(OUTCOMES, 0.0)
    for node in game.nodes:
        if node.is_terminal:
            probs[node.outcome.label] += float(profile.realiz_prob(node))
    return [probs[o] for o in OUTCOMES]


def _second_action_probs(game, profile) -> dict[str, float]:
    """Per decision node (by label): probability of its second action."""
    return {node.label: float(profile[list(node.infoset.actions)[1]])
            for node in game.nodes if not node.is_terminal}


def solve_with_gambit(payoffs: np.ndarray) -> dict:
    """Gambit's subgame-perfect play and QRE outcome probabilities for one game."""
    import pygambit as gbt

    game = gbt.read_efg(io.StringIO(to_efg(payoffs)))
    spe = gbt.nash.logit_solve(game).equilibria[0]
    actions = [a for p in game.players for s in p.infosets for a in s.actions]
    qre = {}
    for point in gbt.qre.logit_solve_lambda(game, lam=list(LAMBDAS)):
        # LogitQREMixedBehaviorProfile indexes its probabilities in the game's action order
        profile = game.mixed_behavior_profile()
        for k, action in enumerate(actions):
            profile[action] = point[k]
        qre[f"{point.lam:.6g}"] = _outcome_probs(game, profile)
    return {"spe_outcome": _outcome_probs(game, spe), "spe_choice": _second_action_probs(game, spe),
            "qre": qre}


def main() -> None:
    import pygambit as gbt

    games = random_games()
    records = [{"payoffs": u.tolist(), **solve_with_gambit(u)} for u in games]
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(json.dumps({
        "generated_by": "tests/games/gambit_reference.py", "pygambit": gbt.__version__,
        "seed": SEED, "lambdas": list(LAMBDAS), "outcomes": list(OUTCOMES), "games": records},
        indent=1) + "\n")
    print(f"wrote {len(records)} games to {FIXTURE}")


if __name__ == "__main__":
    main()
