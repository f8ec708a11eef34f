"""The expected utility model: its parameters (declared once), its presets, and the class that
wires the rounds into a Prediction."""

from __future__ import annotations

from typing import Any

import numpy as np

from standoff.models.base import IssueModel, Prediction, register
from standoff.models.compromise import weighted_mean
from standoff.models.eum.rounds import ENGINES, Work, allocate_outputs, run_rounds
from standoff.models.eum.steps import CLASS_NAMES, condorcet_median
from standoff.models.params import Param

# Table 2 of Scholz, Calbert & Smith (2011): the EC emissions case, Q = 1, after rounds 1-8.
SCHOLZ_TABLE2_MEDIAN = (8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6)
SCHOLZ_TABLE2_MEAN = (7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6)

PRESETS: dict[str, dict[str, Any]] = {
    # The equations read as printed: probability normalised per dyad, each actor evaluates its own
    # challenges with its own exponent, an actor accepts the offer that moves it least.
    "paper": dict(probability="dyad", numerator="positive", resist_salience="target",
                  reference="median", position_range="initial", perspective="own",
                  risk="security", offer_priority="distance", capitulation=True),
    # The readings that come closest to Table 2 (see docs): the win probability normalised over all
    # position pairs, the receiver of an offer judges both challenges with its own exponent,
    # conflicts take priority over compromises over capitulations, and among compromises the one
    # with the lowest stake-weighted point is taken (the rule of the authors' program).
    "scholz2011": dict(probability="all-pairs", numerator="positive", resist_salience="target",
                       reference="median", position_range="initial", perspective="receiver",
                       risk="security", offer_priority="scholz-code", capitulation=True),
}

CHOICES = {
    "probability": ("dyad", "all-pairs"),
    "numerator": ("positive", "supporters"),
    "resist_salience": ("target", "challenger"),
    "reference": ("median", "mean"),
    "position_range": ("initial", "round"),
    "perspective": ("own", "receiver"),
    "risk": ("security", "neutral"),
    "offer_priority": ("distance", "class", "scholz-code"),
}


@register
class ExpectedUtility(IssueModel):
    """Bueno de Mesquita's expected utility model as unravelled by Scholz, Calbert & Smith (2011).

    Its parameters are declared in `params`, each with a one-line description (see
    docs/models/expected-utility.md for each choice and its reason). `preset` sets the named
    choices ('paper': the equations as printed; 'scholz2011': closest to their Table 2); a choice
    given explicitly overrides the preset's.
    """

    name = "eum"
    title = "Expected utility (Bueno de Mesquita, after Scholz et al. 2011)"
    params = {
        "rounds": Param(int, 10, "the most rounds to run", low=0),
        "tol": Param(float, 0.0, "stop once no actor moves more than tol × R in a round (0: at a fixed "
                     "point; negative: run every round, whatever `converge` says)"),
        "converge": Param(bool, True, "stop each draw once it has converged: no actor moved more than "
                          "converge_tol × R in two consecutive rounds (false: run to `rounds`)"),
        "converge_tol": Param(float, 1e-6, "the convergence tolerance, a share of the range R of the "
                              "positions", low=0),
        "q": Param(float, 1.0, "the probability Q that the status quo holds without a challenge",
                   low=0, high=1),
        "t": Param(float, None, "the probability T that the status quo changes in i's favour "
                   "(null: per dyad from where the median lies)", low=0, high=1, nullable=True),
        "preset": Param(str, "scholz2011", "'paper' (the equations as printed) or 'scholz2011' (closest "
                        "to their Table 2)", choices=tuple(PRESETS)),
        "probability": Param(str, None, "normalisation of the win probability (null: the preset's)",
                             choices=CHOICES["probability"], nullable=True),
        "numerator": Param(str, None, "'positive' (positive parts of the votes) or 'supporters' (c·s of the "
                           "supporters)",
                           choices=CHOICES["numerator"], nullable=True),
        "resist_salience": Param(str, None, "whose salience resists a challenge in eq. 25b: s_j ('target') "
                                 "or s_i ('challenger')",
                                 choices=CHOICES["resist_salience"], nullable=True),
        "reference": Param(str, None, "the reference point μ of the second pass (after risk)",
                           choices=CHOICES["reference"], nullable=True),
        "position_range": Param(str, None, "R fixed at the start or recomputed each round",
                                choices=CHOICES["position_range"], nullable=True),
        "perspective": Param(str, None, "'own': each actor judges its own challenge with its r; "
                             "'receiver': the receiver of an offer judges both with its r",
                             choices=CHOICES["perspective"], nullable=True),
        "risk": Param(str, None, "risk exponents from security levels, or r = 1 throughout",
                      choices=CHOICES["risk"], nullable=True),
        "offer_priority": Param(str, None, "which offer an actor accepts: the least move, by class "
                                "(conflict, compromise, capitulation), or by class and then the "
                                "lowest stake-weighted point",
                                choices=CHOICES["offer_priority"], nullable=True),
        "capitulation": Param(bool, None, "whether one-sided dyads where the loser's loss is the larger "
                              "compel a full move", nullable=True),
        "keep_dyads": Param(bool, True, "keep every round's dyad arrays (turn off for large batches)"),
        "chunk_elements": Param(int, 100_000, "rows run in chunks of about this many N×N entries; a "
                                "larger row runs its dyads in blocks of about that many (the same "
                                "results in bounded memory)", low=1),
        "engine": Param(str, "auto", "'auto' (the sorted round where it applies) or 'steps' (the "
                        "step functions one by one)", choices=ENGINES),
    }

    def __init__(self, rounds: int = 10, tol: float = 0.0, converge: bool = True,
                 converge_tol: float = 1e-6, q: float = 1.0, t: float | None = None,
                 preset: str = "scholz2011", probability: str | None = None, numerator: str | None = None,
                 resist_salience: str | None = None, reference: str | None = None,
                 position_range: str | None = None, perspective: str | None = None,
                 risk: str | None = None, offer_priority: str | None = None,
                 capitulation: bool | None = None, keep_dyads: bool = True,
                 chunk_elements: int = 100_000, engine: str = "auto") -> None:
        self.rounds = rounds
        self.tol = tol
        self.converge = converge
        self.converge_tol = converge_tol
        self.q = q
        self.t = t
        self.preset = preset
        self.probability = probability
        self.numerator = numerator
        self.resist_salience = resist_salience
        self.reference = reference
        self.position_range = position_range
        self.perspective = perspective
        self.risk = risk
        self.offer_priority = offer_priority
        self.capitulation = capitulation
        self.keep_dyads = keep_dyads
        self.chunk_elements = chunk_elements
        self.engine = engine

    def options(self) -> dict[str, Any]:
        """The named choices in force: the preset's, overridden by those given explicitly (each
        value was checked against `params` when the model was made)."""
        opts = dict(PRESETS[self.preset])
        opts.update({key: getattr(self, key) for key in list(CHOICES) + ["capitulation"]
                     if getattr(self, key) is not None})
        return opts

    def predict_issue(self, positions: np.ndarray, capability: np.ndarray, salience: np.ndarray,
                      perceived: np.ndarray | None = None) -> Prediction:
        opts = self.options()
        m, n = positions.shape
        rounds, keep = self.rounds, self.keep_dyads
        per_row = n * n * (n if perceived is not None else 1)  # the outputs are allocated once
        step = max(1, int(self.chunk_elements) // max(per_row, 1))
        out = allocate_outputs(m, rounds, n, keep)
        work = Work()  # scratch arrays shared by the chunks
        for lo in range(0, m, step):
            sl = slice(lo, lo + step)
            run_rounds(
                positions[sl], capability[sl], salience[sl],
                perceived=None if perceived is None else perceived[sl], rounds=rounds,
                tol=float(self.tol), converge_tol=float(self.converge_tol) if self.converge else None,
                q=float(self.q), t=None if self.t is None else float(self.t),
                keep_dyads=keep, block_elements=int(self.chunk_elements), engine=self.engine,
                out={k: v[sl] for k, v in out.items()},
                work=work, **opts)
        path = out["positions"]  # [M, T+1, N]
        w = capability * salience
        flat = path.reshape(-1, n)
        rep = np.repeat(w, self.rounds + 1, axis=0)
        median = condorcet_median(flat, rep).reshape(m, self.rounds + 1)
        mean = weighted_mean(flat, rep).reshape(m, self.rounds + 1)
        detail = {"mean": mean, "risk": out["risk"], "accepted": out["accepted"],
                  "class_names": list(CLASS_NAMES)}
        for key in ("eu_sender", "eu_receiver", "offer"):
            if key in out:
                detail[key] = out[key]
        return Prediction(values=median[:, -1], trajectory=median, positions_path=path,
                          converged=out["converged"], rounds=out["rounds"], detail=detail)
