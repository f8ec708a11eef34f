"""Dynamic crisis models: shifting power and preventive war, the disarmament commitment problem,
and bargaining against a deadline (see docs/models/dynamics.md)."""

from standoff.games.dynamics.commitment import Disarmament, belief_path, required_benefit, threshold_belief
from standoff.games.dynamics.deadline import agreement_period, solve_deadline
from standoff.games.dynamics.dyad import dynamics_report
from standoff.games.dynamics.shifting_power import ShiftingPower, solve

__all__ = ["Disarmament", "ShiftingPower", "agreement_period", "belief_path", "dynamics_report",
           "required_benefit", "solve", "solve_deadline", "threshold_belief"]
