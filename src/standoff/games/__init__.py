"""Game-theoretic crisis models: the International Interaction Game (subgame-perfect and agent
logit QRE solutions, Gambit export) and provocations as a costly signalling game."""

from standoff.games.crisis import CrisisResult, crisis, named_outcomes, qre_curve
from standoff.games.dyad import Dyad, dyad, payoffs
from standoff.games.gambit import to_efg
from standoff.games.interaction import OUTCOMES, TREE, agent_qre, subgame_perfect
from standoff.games.provocations import provocations, read_provocations
from standoff.games.signalling import SignalGame, equilibria, equilibria_frame

__all__ = ["OUTCOMES", "TREE", "CrisisResult", "Dyad", "SignalGame", "agent_qre", "crisis", "dyad",
           "equilibria", "equilibria_frame", "named_outcomes", "payoffs", "provocations", "qre_curve",
           "read_provocations", "subgame_perfect", "to_efg"]
