"""The crisis between two sides of a scenario: the interaction game solved, as DataFrames.

    >>> import standoff
    >>> from standoff.games import crisis
    >>> s = standoff.load("korea-2018")
    >>> result = crisis(s, "united-states", "north-korea", lam=10)      # doctest: +SKIP
    >>> result.outcomes          # one row per game outcome: QRE and SPE probabilities, named outcome
    >>> result.path_in_words()   # the subgame-perfect path, a sentence per move
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from standoff import lazy
from standoff.errors import ModelError
from standoff.games.dyad import DEFAULT_CAPITULATION_COST, Dyad, dyad, payoffs, terms
from standoff.games.interaction import (
    OUTCOME_NAMES,
    OUTCOMES,
    TREE,
    Solution,
    agent_qre,
    equilibrium_path,
    modal_outcome,
    subgame_perfect,
)
from standoff.models.forecast import Forecast
from standoff.scenario import Scenario

pd = lazy.load("pandas")

DEFAULT_LAMBDA = 10.0
VERBS = {"no demand": "makes no demand", "demand": "makes a demand", "acquiesce": "acquiesces",
         "counter-demand": "counter-demands", "negotiate": "negotiates", "use force": "uses force",
         "capitulate": "capitulates", "retaliate": "retaliates"}

# Which named crisis outcome of a scenario a game outcome counts as: the first crisis outcome
# whose id or name matches the pattern (case-insensitive). Unmatched outcomes keep their own code.
OUTCOME_PATTERNS = {
    "war-a": r"war|force|strike|attack|military",
    "war-b": r"war|force|strike|attack|military",
    "cap-a": r"capitulat|surrender|coerc",
    "cap-b": r"capitulat|surrender|coerc",
    "neg": r"negotiat|talks|settle",
    "acq-a": r"acquiesc|accept|concede",
    "acq-b": r"acquiesc|accept|concede",
    "sq": r"status.quo|stalemate|standoff",
}


def named_outcomes(scenario: Scenario, a: str, b: str) -> dict[str, str]:
    """Game outcome code -> the scenario's named crisis outcome it counts as (or the code itself).

    A named outcome that mentions one side (its id or name, e.g. "north-korea-capitulates")
    only takes the game outcomes in which that side is the one acting (capitulating, acquiescing,
    starting a war)."""
    mapping = {}
    crisis_outcomes = [o for o in scenario.outcomes if o.kind == "crisis"]
    names = {"a": _side_words(scenario, a), "b": _side_words(scenario, b)}
    for code in OUTCOMES:
        pattern = OUTCOME_PATTERNS[code]
        actor = code.rsplit("-", 1)[1] if "-" in code and code != "sq" else None
        chosen = code
        for o in crisis_outcomes:
            text = f"{o.id} {o.name}".lower()
            if not re.search(pattern, text):
                continue
            mentions = {k for k, words in names.items()
                        if any(re.search(rf"\b{re.escape(w)}\b", text) for w in words)}
            if mentions and actor not in mentions:
                continue
            chosen = o.id
            break
        mapping[code] = chosen
    return mapping


def _side_words(scenario: Scenario, key: str) -> set[str]:
    words = {key, key.replace("-", " ")}
    if key in scenario.group_ids:
        words.add(scenario.group(key).name.lower())
    elif key in scenario.actor_ids:
        words.add(scenario.actor(key).name.lower())
    return words


@dataclass(frozen=True)
class CrisisResult:
    """The interaction game of a dyad, solved: payoffs, SPE, QRE at λ, named outcomes."""

    scenario: Scenario
    dyad: Dyad
    lam: float
    payoffs: np.ndarray
    spe: Solution
    qre: Solution
    mapping: dict[str, str]

    @property
    def outcomes(self) -> pd.DataFrame:
        """One row per game outcome: description, both payoffs, SPE and QRE probabilities, and the
        named outcome of the scenario it counts as."""
        rows = []
        for k, code in enumerate(OUTCOMES):
            rows.append({"outcome": code, "description": self.describe(code),
                         "named_outcome": self.mapping[code],
                         f"payoff_{self.dyad.a.id}": self.payoffs[0, k],
                         f"payoff_{self.dyad.b.id}": self.payoffs[1, k],
                         "spe": self.spe.outcome[k], "qre": self.qre.outcome[k]})
        return pd.DataFrame(rows)

    @property
    def named(self) -> pd.DataFrame:
        """QRE and SPE probabilities summed over the scenario's named outcomes (sum to 1)."""
        frame = self.outcomes.groupby("named_outcome", sort=False)[["spe", "qre"]].sum()
        return frame.reset_index()

    @property
    def nodes(self) -> pd.DataFrame:
        """One row per decision node: mover, actions, SPE choice, QRE probability of the second
        (escalatory) action, and the probability that quantal play reaches the node."""
        rows = []
        for node in TREE:
            rows.append({"node": node.index, "mover": self._side(node.player).id,
                         "decision": self._words(node.label), "actions": " / ".join(node.actions),
                         "spe_action": node.actions[int(self.spe.choice[node.index] > 0.5)],
                         "qre_p_second": self.qre.choice[node.index],
                         "qre_reach": self.qre.reach[node.index]})
        return pd.DataFrame(rows)

    @property
    def tree(self) -> tuple:
        """The game tree's decision nodes (:data:`standoff.games.interaction.TREE`), root first."""
        return tuple(TREE)

    @property
    def codes(self) -> tuple[str, ...]:
        """The game outcomes' codes, in the order of the payoff columns."""
        return tuple(OUTCOMES)

    def probabilities(self) -> dict[str, float]:
        """QRE probability of each named outcome (for a Forecast and Brier scoring)."""
        return {r.named_outcome: float(r.qre) for r in self.named.itertuples(index=False)}

    def spe_outcome(self) -> str:
        return modal_outcome(self.spe)

    def path_in_words(self) -> list[str]:
        """The subgame-perfect path of play, one sentence per move, then the outcome."""
        lines = []
        for node, action in equilibrium_path(self.spe):
            side = self._side(node.player)
            lines.append(f"{side.name} {VERBS[action]}.")
        code = self.spe_outcome()
        lines.append(f"Outcome: {self.describe(code)} (counts as {self.mapping[code]}).")
        return lines

    def describe(self, code: str) -> str:
        return self._words(OUTCOME_NAMES[code])

    def to_forecast(self) -> Forecast:
        """The QRE outcome probabilities as a :class:`Forecast` (no issue values), so backtests
        score them like any categorical forecast."""
        t = terms(self.dyad)
        return Forecast(scenario=self.scenario.id, model="interaction-game",
                        params={"lambda": self.lam, "a": self.dyad.a.id, "b": self.dyad.b.id,
                                "capitulation_cost": self.dyad.capitulation_cost},
                        date=self.scenario.date, issues=[],
                        outcome_probabilities=self.probabilities(),
                        detail={"spe_outcome": self.spe_outcome(),
                                "spe_named_outcome": self.mapping[self.spe_outcome()],
                                "p": t.p, "stakes": t.stakes.tolist(),
                                "assumed": {self.dyad.a.id: list(self.dyad.a.assumed),
                                            self.dyad.b.id: list(self.dyad.b.assumed)}})

    def _side(self, player: int):
        return self.dyad.a if player == 0 else self.dyad.b

    def _words(self, text: str) -> str:
        """Replace the players' letters A and B by the sides' names."""
        return re.sub(r"\b(A|B)\b", lambda m: (self.dyad.a if m.group(1) == "A" else self.dyad.b).name,
                      text)


def crisis(scenario: Scenario, a: str, b: str, *, lam: float = DEFAULT_LAMBDA,
           cost_of_war: tuple[float | None, float | None] = (None, None),
           first_strike_advantage: tuple[float | None, float | None] = (None, None),
           capitulation_cost: float = DEFAULT_CAPITULATION_COST) -> CrisisResult:
    """Solve the interaction game between sides `a` (who may demand first) and `b`."""
    if not np.isfinite(lam) or lam < 0:
        raise ModelError(f"λ = {lam:g} is not a non-negative number", where="--lambda",
                         fix="give λ ≥ 0 (0: uniform play; larger: closer to the subgame-perfect play)")
    d = dyad(scenario, a, b, cost_of_war=cost_of_war, first_strike_advantage=first_strike_advantage,
             capitulation_cost=capitulation_cost)
    u = payoffs(d)
    return CrisisResult(scenario=scenario, dyad=d, lam=float(lam), payoffs=u, spe=subgame_perfect(u),
                        qre=agent_qre(u, lam), mapping=named_outcomes(scenario, a, b))


def qre_curve(result: CrisisResult, lambdas: np.ndarray) -> pd.DataFrame:
    """Outcome probabilities of the agent QRE as a function of λ: one row per λ, a column per
    game outcome."""
    lambdas = np.asarray(lambdas, dtype=float)
    sol = agent_qre(result.payoffs[None, :, :], lambdas)
    frame = pd.DataFrame(sol.outcome, columns=list(OUTCOMES))
    frame.insert(0, "lambda", lambdas)
    return frame
