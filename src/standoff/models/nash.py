"""The asymmetric Nash bargaining solution, per issue or jointly over all issues.

    x* = argmax_x Σ_i w_i · log(u_i(x) − u_i(d_i))      over the x where every u_i(x) > u_i(d_i)

Nash (1950), "The bargaining problem"; the asymmetric form of Kalai (1977) and Roth (1979); in
the EU decision-making literature Achen (2006) and Schneider et al. (2006). Equations and choices
in docs/models/nash.md.

- Utilities: `quadratic` u_i(x) = −(x − x_i)² or `linear` u_i(x) = −|x − x_i|, on each issue's
  scale mapped to 0..1. Jointly, u_i(x) = −Σ_k s_ik·L(x_k − x_ik) (quadratic only, so that the
  problem is smooth).
- Weights: per issue w_i = c_i·s_ik; jointly w_i = c_i·s̄_i (s̄_i the mean salience of actor i),
  so that one issue gives the per-issue solution. Nash's solution is unchanged by rescaling an
  actor's utility, so salience can act only through the weights and the trade-off across issues.
- Disagreement point `worst` (default): each actor's worst point, the scale end (or corner of
  the issue box) farthest from its position; the problem is then defined for every scenario.
  `status-quo`: d = the issues' status quo. When some actor loses from every alternative (actors
  on both sides of the status quo, or one at it) no agreement improves on the status quo for
  everyone: the forecast is the status quo and the detail says so and why.

Per issue the objective is concave in x (a sum of logarithms of concave functions), so its
maximiser is found by bisection on the sign of the (sub)derivative, batched over all issues of
all scenarios. Jointly (quadratic) a damped Newton method is run on the whole batch; whether an
agreement exists under the status quo is a linear feasibility problem (scipy's `linprog`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from standoff.errors import ModelError
from standoff.models.base import Batch, Model, Prediction, register
from standoff.models.params import Param

UTILITIES = ("quadratic", "linear")
DISAGREEMENTS = ("worst", "status-quo")


def loss(d: np.ndarray, utility: str) -> np.ndarray:
    """L(d): the disutility of a distance d on a 0..1 scale."""
    return d * d if utility == "quadratic" else np.abs(d)


def dloss(d: np.ndarray, utility: str) -> np.ndarray:
    """L'(d) (for `linear` the subgradient sign(d), 0 at 0)."""
    return 2.0 * d if utility == "quadratic" else np.sign(d)


def worst_points(z: np.ndarray) -> np.ndarray:
    """Each actor's worst point on a 0..1 scale: the end farthest from it (1 when at the middle
    or below, else 0)."""
    return np.where(z <= 0.5, 1.0, 0.0)


def issue_objective_slope(x: np.ndarray, z: np.ndarray, w: np.ndarray, gap: np.ndarray,
                          utility: str) -> np.ndarray:
    """f'(x) for f(x) = Σ_i w_i log(gap_i − L(x − z_i)), rows [M]; x [M], z, w, gap [M, N]."""
    g = gap - loss(x[:, None] - z, utility)
    with np.errstate(divide="ignore", invalid="ignore"):  # rows without agreement: ignored
        terms = np.where(w > 0, -w * dloss(x[:, None] - z, utility) / g, 0.0)
        return terms.sum(axis=1)


def solve_issue(z: np.ndarray, w: np.ndarray, gap: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                utility: str, iterations: int = 80) -> np.ndarray:
    """argmax over [lo, hi] of Σ_i w_i log(gap_i − L(x − z_i)), by bisection on the slope.

    f is concave, so its slope decreases: keep the half where the slope changes sign. A slope
    that is negative everywhere gives lo, positive everywhere hi (the solution is on the edge).
    """
    a, b = lo.astype(float).copy(), hi.astype(float).copy()
    for _ in range(iterations):
        mid = 0.5 * (a + b)
        up = issue_objective_slope(mid, z, w, gap, utility) > 0
        a = np.where(up, mid, a)
        b = np.where(up, b, mid)
    return 0.5 * (a + b)


def status_quo_interval(z: np.ndarray, w: np.ndarray, sq: np.ndarray, utility: str
                        ) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) [M]: the points that every actor with weight prefers to the status quo.

    Actor i gains iff L(x − z_i) < L(sq − z_i), i.e. x strictly between sq and 2 z_i − sq (for
    either utility). The interval is empty (lo ≥ hi) when actors lie on both sides of sq or
    one is at it.
    """
    other = 2.0 * z - sq[:, None]
    left = np.where(w > 0, np.minimum(sq[:, None], other), -np.inf)
    right = np.where(w > 0, np.maximum(sq[:, None], other), np.inf)
    return np.maximum(left.max(axis=1), 0.0), np.minimum(right.min(axis=1), 1.0)


def joint_objective(x, z, s, c, gap):
    """f, gradient, Hessian of Σ_i c_i log g_i(x), g_i = gap_i − Σ_k s_ik (x_k − z_ik)²;
    x [B, K], z and s [B, N, K], c and gap [B, N]. Also g [B, N]."""
    d = x[:, None, :] - z
    g = gap - np.einsum("bnk,bnk->bn", s, d * d)
    grad_g = -2.0 * s * d  # [B, N, K]
    with np.errstate(divide="ignore", invalid="ignore"):
        coef = np.where(c > 0, c / g, 0.0)
        f = np.where(c > 0, c * np.log(np.where(g > 0, g, np.nan)), 0.0).sum(axis=1)
        grad = np.einsum("bn,bnk->bk", coef, grad_g)
        hess = -2.0 * np.einsum("bn,bnk->bk", coef, s)[:, :, None] * np.eye(s.shape[2]) \
            - np.einsum("bn,bnk,bnl->bkl", np.where(c > 0, c / g ** 2, 0.0), grad_g, grad_g)
    return f, grad, hess, g


def solve_joint(x0, z, s, c, gap, iterations: int = 100, tol: float = 1e-13):
    """Damped Newton ascent on the concave joint objective from strictly feasible x0 [B, K].

    Stops when every Newton step is shorter than `tol` on the 0..1 scales.
    """
    x = x0.copy()
    f, grad, hess, g = joint_objective(x, z, s, c, gap)
    for _ in range(iterations):
        step = -np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        decrement = np.einsum("bk,bk->b", grad, step)  # λ² = −∇fᵀH⁻¹∇f ≥ 0
        small = np.abs(step).max(axis=1) < tol
        if small.all():
            break
        t = np.ones(x.shape[0])
        for _ in range(60):
            trial = x + t[:, None] * step
            f_new, *_, g_new = joint_objective(trial, z, s, c, gap)
            ok = np.all((g_new > 0) | (c <= 0), axis=1) & (f_new >= f + 0.25 * t * decrement)
            ok |= small
            if ok.all():
                break
            t = np.where(ok, t, 0.5 * t)
        x = x + t[:, None] * step
        f, grad, hess, g = joint_objective(x, z, s, c, gap)
    return x


def joint_agreement_direction(z: np.ndarray, s: np.ndarray, c: np.ndarray, sq: np.ndarray
                              ) -> tuple[bool, np.ndarray]:
    """Is there a direction v from the status quo in which every actor with weight gains?

    g_i(sq + εv) = 2ε Σ_k s_ik (z_ik − sq_k) v_k − O(ε²), so an agreement exists iff some v
    makes every a_i·v > 0, a_i = s_i ⊙ (z_i − sq): the linear programme max t subject to
    a_i·v ≥ t, −1 ≤ v ≤ 1 has t* > 0. Returns (exists, v). One scenario: z, s [N, K], c [N].
    """
    from scipy.optimize import linprog

    a = (s * (z - sq))[c > 0]
    k = z.shape[1]
    res = linprog(np.r_[np.zeros(k), -1.0], A_ub=np.c_[-a, np.ones(len(a))], b_ub=np.zeros(len(a)),
                  bounds=[(-1, 1)] * k + [(None, 1)], method="highs")
    t = -res.fun if res.status == 0 else 0.0
    return bool(t > 1e-12), (res.x[:k] if res.status == 0 else np.zeros(k))


@register
class NashBargaining(Model):
    """Asymmetric Nash bargaining solution (per issue or joint), disagreement at the worst point
    or at the status quo."""

    name = "nash"
    title = "Asymmetric Nash bargaining solution"
    params = {
        "utility": Param(str, "quadratic", "each actor's utility of a point: minus its squared or its "
                         "absolute distance", choices=UTILITIES),
        "disagreement": Param(str, "worst", "the point if bargaining fails: each actor's worst point "
                              "or the status quo", choices=DISAGREEMENTS),
        "joint": Param(bool, False, "bargain over all issues at once (needs utility=quadratic)"),
    }

    def __init__(self, utility: str = "quadratic", disagreement: str = "worst",
                 joint: bool = False) -> None:
        if joint and utility != "quadratic":
            raise ValueError("joint bargaining needs utility=quadratic (linear utilities are "
                             "not smooth across issues); or bargain per issue")
        self.utility = utility
        self.disagreement = disagreement
        self.joint = bool(joint)

    def predict(self, batch: Batch) -> Prediction:
        bsz, n, k = batch.shape
        span = batch.high - batch.low
        z = (batch.positions - batch.low) / span  # [B, N, K] on 0..1
        if self.disagreement == "status-quo":
            missing = [batch.issue_ids[m] for m in range(k) if np.isnan(batch.status_quo[m])]
            if missing:
                raise ModelError(f"disagreement=status-quo needs a status quo on every issue; "
                                 f"none on {', '.join(missing)}", where="--param disagreement",
                                 fix="give the issues a `status_quo`, or use disagreement=worst")
            sq = (batch.status_quo - batch.low) / span
        else:
            sq = np.full(k, np.nan)
        if self.joint:
            values, agree, why = self._joint(batch, z, sq)
        else:
            values, agree, why = self._per_issue(batch, z, sq)
        detail: dict[str, Any] = {"agreement": agree}
        reasons = np.empty(bsz, dtype=object)
        for b in range(bsz):
            reasons[b] = why[b]
        detail["no_agreement"] = reasons
        return Prediction(values=batch.low + values * span, detail=detail)

    def _per_issue(self, batch: Batch, z: np.ndarray, sq: np.ndarray):
        bsz, n, k = batch.shape
        fold = lambda a: np.moveaxis(a, 2, 1).reshape(bsz * k, n)  # noqa: E731
        zf = fold(z)
        wf = fold(batch.capability[:, :, None] * batch.salience)
        if self.disagreement == "worst":
            gap = loss(worst_points(zf) - zf, self.utility)
            lo, hi = np.zeros(bsz * k), np.ones(bsz * k)
            agree = np.ones(bsz * k, bool)
        else:
            sqf = np.tile(sq, bsz)
            gap = loss(sqf[:, None] - zf, self.utility)
            lo, hi = status_quo_interval(zf, wf, sqf, self.utility)
            agree = hi - lo > 1e-12
        x = solve_issue(zf, wf, gap, np.where(agree, lo, 0.0), np.where(agree, hi, 1.0),
                        self.utility)
        if self.disagreement == "status-quo":
            x = np.where(agree, x, np.tile(sq, bsz))
        agree = agree.reshape(bsz, k)
        why: list[dict[str, str]] = []
        for b in range(bsz):
            why.append({batch.issue_ids[m]: self._explain(z[b, :, m], sq[m], batch, b, m)
                        for m in range(k) if not agree[b, m]})
        return x.reshape(bsz, k), agree, why

    def _explain(self, z: np.ndarray, sq: float, batch: Batch, b: int, m: int) -> str:
        """Why no point of one issue beats the status quo for everyone: who wants which way."""
        cares = batch.capability[b] * batch.salience[b, :, m] > 0
        less = [a for a, zi, ok in zip(batch.actor_ids, z, cares, strict=True) if ok and zi < sq]
        more = [a for a, zi, ok in zip(batch.actor_ids, z, cares, strict=True) if ok and zi > sq]
        at = [a for a, zi, ok in zip(batch.actor_ids, z, cares, strict=True) if ok and zi == sq]
        parts = []
        if less and more:
            parts.append(f"{', '.join(less)} want less and {', '.join(more)} want more than "
                         "the status quo")
        if at:
            parts.append(f"{', '.join(at)} {'is' if len(at) == 1 else 'are'} at the status quo")
        return "no agreement improves on the status quo for every actor: " + "; ".join(parts)

    def _joint(self, batch: Batch, z: np.ndarray, sq: np.ndarray):
        bsz, n, k = batch.shape
        s = batch.salience
        sbar = s.mean(axis=2)
        with np.errstate(divide="ignore", invalid="ignore"):
            s_rel = np.where(sbar[:, :, None] > 0, s / sbar[:, :, None], 0.0)
        c = batch.capability * sbar  # [B, N]: w_i = c_i·s̄_i
        from standoff.models.compromise import weighted_mean

        agree = np.ones((bsz, k), bool)
        why: list[dict[str, str]] = [{} for _ in range(bsz)]
        if self.disagreement == "worst":
            d = worst_points(z)
            gap = np.einsum("bnk,bnk->bn", s_rel, (d - z) ** 2)
            w = batch.capability[:, :, None] * s
            x0 = np.stack([weighted_mean(z[:, :, m], w[:, :, m]) for m in range(k)], axis=1)
            return solve_joint(x0, z, s_rel, c, gap), agree, why
        gap = np.einsum("bnk,bnk->bn", s_rel, (sq - z) ** 2)
        x = np.tile(sq, (bsz, 1))
        x0 = x.copy()
        ok = np.zeros(bsz, bool)
        for b in range(bsz):
            exists, v = joint_agreement_direction(z[b], s_rel[b], c[b], sq)
            if not exists:
                agree[b] = False
                why[b] = {"all": "no package of positions improves on the status quo for every "
                          "actor at once"}
                continue
            a = 2.0 * np.einsum("nk,nk->n", s_rel[b] * (z[b] - sq), v[None, :])
            quad = np.einsum("nk,k->n", s_rel[b], v * v)
            eps = 0.5 * np.min(np.where(c[b] > 0, a / np.maximum(quad, 1e-300), np.inf))
            x0[b] = sq + min(eps, 1.0) * v
            ok[b] = True
        if ok.any():
            x[ok] = solve_joint(x0[ok], z[ok], s_rel[ok], c[ok], gap[ok])
        return x, agree, why
