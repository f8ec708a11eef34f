"""Bueno de Mesquita's expected utility ("challenge") model, after Scholz, Calbert & Smith (2011).

Each round, in the order of Scholz, Calbert & Smith (2011):

1. every risk exponent r_i = 1;
2. :func:`votes` v^{jk} = Σ_i c_i s_i (|x_i − x_k| − |x_i − x_j|)/R; the position that
   wins every pairwise vote is the weighted median μ (:func:`condorcet_median`);
3. :func:`utilities` U_s, U_f, U_sq, U_b, U_w of a challenge;
4. :func:`status_quo_trend` T per dyad from where μ lies relative to i and j;
5. :func:`win_probability` P_ij = Σ_k max(v_k^{ij}, 0) / Σ_k |v_k^{ij}|;
6. :func:`expected_utility` E^i(U_ij) = s_j[P U_s + (1 − P) U_f] + (1 − s_j) U_s − Q U_sq
   − (1 − Q)[T U_b + (1 − T) U_w] (eq. 25b: the s_j);
7. :func:`security_levels` Sec_i = Σ_{j≠i} E^j(U_ji) and :func:`risk_exponents`
   r_i = (1 − R_i/3)/(1 + R_i/3); steps 3-6 again with these exponents;
8. :func:`classify_dyads`: conflict, compromise, capitulation or stalemate from the signs and sizes of
   (E^i(U_ij), E^j(U_ji)) (compromise: eqs. 35-36);
9. :func:`select_offers` / :func:`apply_offers`: each actor accepts one offer (§6.2), positions move.

Every function is pure and works on arrays with a leading batch axis M (scenarios × issues, or
scenarios × issues × evaluators when actors see the world through their own perceptions).
Steps 2 and 5 use the sorted prefix-sum form (O(N² log N) per round, see
docs/models/expected-utility.md); :func:`votes_direct` and :func:`win_probability_direct` are the
O(N³) definitions, kept for testing. :class:`ExpectedUtility` only wires the steps together; every
reading of an ambiguity of the paper is one of its named parameters.

The package: :mod:`~standoff.models.eum.steps` (the steps, and one round composed from them),
:mod:`~standoff.models.eum.fast` (the sorted round), :mod:`~standoff.models.eum.blocks` (the sorted
round in blocks of senders, for rows too large to hold every dyad), :mod:`~standoff.models.eum.rounds`
(the loop over rounds, and the stop at convergence), :mod:`~standoff.models.eum.model` (the
parameters, the presets, the model class) and :mod:`~standoff.models.eum.dyads` (one actor's dyads
in one round as plain rows; the table for people is :func:`standoff.tasks.dyads.dyads`).
"""

from standoff.models.eum.dyads import actor_dyads
from standoff.models.eum.fast import SMALL_N, Work, fast_round, support_sorted, win_probability_sorted
from standoff.models.eum.model import (
                                       CHOICES,
                                       PRESETS,
                                       SCHOLZ_TABLE2_MEAN,
                                       SCHOLZ_TABLE2_MEDIAN,
                                       ExpectedUtility,
)
from standoff.models.eum.rounds import ENGINES, allocate_outputs, run_rounds
from standoff.models.eum.steps import (
                                       CAPITULATION,
                                       CLASS_NAMES,
                                       COMPROMISE,
                                       CONFLICT,
                                       EPS,
                                       KEY_DECIMALS,
                                       STALEMATE,
                                       apply_offers,
                                       classify_dyads,
                                       condorcet_median,
                                       expected_utility,
                                       risk_exponents,
                                       security_levels,
                                       select_offers,
                                       status_quo_trend,
                                       steps_round,
                                       utilities,
                                       votes,
                                       votes_direct,
                                       weighted_distance_sums,
                                       win_probability,
                                       win_probability_direct,
)

__all__ = ["CAPITULATION", "CHOICES", "CLASS_NAMES", "COMPROMISE", "CONFLICT", "ENGINES", "EPS",
           "KEY_DECIMALS", "PRESETS", "SCHOLZ_TABLE2_MEAN", "SCHOLZ_TABLE2_MEDIAN", "SMALL_N", "STALEMATE",
           "ExpectedUtility", "Work", "actor_dyads", "allocate_outputs", "apply_offers", "classify_dyads",
           "condorcet_median", "expected_utility", "fast_round", "risk_exponents", "run_rounds",
           "security_levels", "select_offers", "status_quo_trend", "steps_round", "support_sorted",
           "utilities", "votes", "votes_direct", "weighted_distance_sums", "win_probability",
           "win_probability_direct", "win_probability_sorted"]
