"""The consent model: a deal must be one that everyone who can block it prefers to no deal.

Tsebelis (2002), *Veto Players*; Putnam (1988), "Diplomacy and domestic politics: the logic of
two-level games"; Romer & Rosenthal (1978), "Political resource allocation, controlled agendas,
and the status quo". The maths, the coding rules and a worked example: docs/models/consent.md.

Per issue k, with reversion point q_k (the issue's status quo: what holds if no deal is made) and
linear single-peaked utility, actor i weakly prefers x to q_k exactly when |x − x_ik| ≤ |q_k − x_ik|,
i.e. on the interval between q_k and its mirror image 2x_ik − q_k. Each ratifier
(:mod:`standoff.models.ratifiers`) consents on one closed interval ∋ q_k (its win-set, by its
quotas and vetoes: :mod:`standoff.models.winsets`); the *consent set* is their intersection
[lo_k, hi_k] ∋ q_k, with the actor whose objection fixes each end. Inside it the deal is

- ``rule=project`` (default): the base model's forecast projected onto the set, clip(x_base, lo, hi);
- ``rule=setter``: the agenda setter's best point in the set (Romer–Rosenthal): its position
  projected onto the set (under single-peaked utility the closest point of an interval);
- ``rule=nash``: the asymmetric Nash bargaining solution restricted to the set. Per issue the Nash
  objective is concave in x, so its maximiser on [lo, hi] is the unconstrained maximiser (the
  `nash` model, disagreement at the worst points) projected onto the set.

An empty set (only q_k itself) gives q_k: no deal. An issue without a reversion point has no
consent constraint (the set is the whole scale; the detail says so).
"""

from __future__ import annotations

import numpy as np

from standoff.errors import ModelError
from standoff.models import winsets as ws
from standoff.models.base import Batch, Model, Prediction, available, make, register
from standoff.models.params import Param
from standoff.models.ratifiers import ConsentRules, Ratifier
from standoff.models.winsets import KINDS, Ends, interval_batch

RULES = ("project", "setter", "nash")
LINKAGES = ("issue", "package")
EMPTY = ("reversion", "base")
DEFAULT_BASE = "compromise"
EMPTY_TOL = 1e-9  # a set narrower than this share of the scale holds only the reversion point


def _winset(r: Ratifier, batch: Batch, q: np.ndarray) -> tuple[Ends, Ends]:
    """Ratifier r's win-set on every issue of every scenario: Ends with value, kind, who [B, K]
    (who as an actor index of the batch, −1 for the end of the scale)."""
    b, _, k = batch.shape
    m = np.array(r.members)
    fold = lambda a: np.moveaxis(a, 2, 1).reshape(b * k, len(m))  # noqa: E731  [B,n,K] -> [B*K,n]
    x = fold(batch.positions[:, m, :])
    sal = fold(batch.salience[:, m, :])
    cap = np.broadcast_to(batch.capability[:, m, None], (b, len(m), k))
    care = sal > 0
    w = fold(cap) * (sal if r.basis == "weight" else 1.0)
    veto = np.zeros_like(care)
    for v in r.veto:
        veto[:, r.members.index(v)] = True
    qq = np.tile(q, b)
    lo_k, hi_k = np.tile(batch.low, b), np.tile(batch.high, b)
    lo, hi = interval_batch(x, w, qq, lo_k, hi_k, np.full(b * k, r.quota), veto, care)
    if r.member_quota is not None:
        lo2, hi2 = interval_batch(x, np.ones_like(w), qq, lo_k, hi_k, np.full(b * k, r.member_quota),
                                  None, care)
        lo, hi = _tighter(lo, lo2, higher=True), _tighter(hi, hi2, higher=False)
    glob = lambda e: Ends(e.value.reshape(b, k), e.kind.reshape(b, k),  # noqa: E731
                          np.where(e.who >= 0, m[np.maximum(e.who, 0)], -1).reshape(b, k))
    return glob(lo), glob(hi)


def _unanimity(r: Ratifier, batch: Batch, q: np.ndarray) -> tuple[Ends, Ends]:
    """The set where every member of r that cares prefers x to q (all of them veto holders)."""
    every = Ratifier(r.id, r.members, quota=1.0, basis="weight", veto=r.members)
    return _winset(every, batch, q)


def _tighter(a: Ends, b: Ends, higher: bool) -> Ends:
    """The tighter of two ends of sets ∋ q: the higher lower end, or the lower upper end
    (a on a tie)."""
    use_b = b.value > a.value if higher else b.value < a.value
    return Ends(np.where(use_b, b.value, a.value), np.where(use_b, b.kind, a.kind),
                np.where(use_b, b.who, a.who))


def consent_sets(batch: Batch, rules: ConsentRules | None = None) -> dict[str, np.ndarray]:
    """Per scenario and issue the consent set [lo, hi] and who bounds it.

    Returns arrays [B, K]: lo, hi, lo_by, hi_by (actor index; −1: the end of the scale),
    lo_kind, hi_kind (index into winsets.KINDS: scale, quota, veto), lo_ratifier, hi_ratifier
    (ratifier index; −1: none), and per ratifier r_lo, r_hi, r_lo_by, r_hi_by [B, R, K]: each
    ratifier's own win-set (after any override) and the actor at each end — for a proposal that
    moves issue k up from q, ratifier r's pivotal member is r_hi_by[b, r, k]; down, r_lo_by."""
    rules = batch.consent if rules is None else rules
    b, _, k = batch.shape
    q = np.where(np.isnan(batch.status_quo), 0.0, batch.status_quo)
    ratifiers = () if rules is None else rules.ratifiers
    sets = []
    for r in ratifiers:
        lo, hi = _winset(r, batch, q)
        if r.overridden_by is not None:  # the union with the overriding group's unanimity set
            ulo, uhi = _unanimity(ratifiers[r.overridden_by], batch, q)
            lo, hi = _tighter(lo, ulo, higher=False), _tighter(hi, uhi, higher=True)
        sets.append((lo, hi))
    shape = (b, len(sets), k)
    out = {name: np.empty(shape, dtype=dt) for name, dt in (
        ("r_lo", float), ("r_hi", float), ("r_lo_by", int), ("r_hi_by", int),
        ("r_lo_kind", int), ("r_hi_kind", int))}
    for j, (lo, hi) in enumerate(sets):
        out["r_lo"][:, j], out["r_hi"][:, j] = lo.value, hi.value
        out["r_lo_by"][:, j], out["r_hi_by"][:, j] = lo.who, hi.who
        out["r_lo_kind"][:, j], out["r_hi_kind"][:, j] = lo.kind, hi.kind
    low = np.broadcast_to(batch.low, (b, k))
    high = np.broadcast_to(batch.high, (b, k))
    if sets:
        jl = np.argmax(out["r_lo"], axis=1)  # first ratifier with the highest lower end
        jh = np.argmin(out["r_hi"], axis=1)
        take = lambda name, j: np.take_along_axis(out[name], j[:, None, :], axis=1)[:, 0]  # noqa: E731
        lo, hi = take("r_lo", jl), take("r_hi", jh)
        lo_by, hi_by = take("r_lo_by", jl), take("r_hi_by", jh)
        lo_kind, hi_kind = take("r_lo_kind", jl), take("r_hi_kind", jh)
    else:
        lo, hi = low.copy(), high.copy()
        jl = jh = lo_by = hi_by = np.full((b, k), -1)
        lo_kind = hi_kind = np.zeros((b, k), dtype=int)
    none = np.isnan(batch.status_quo)[None, :] | np.zeros((b, 1), dtype=bool)
    lo, hi = np.where(none, low, lo), np.where(none, high, hi)
    for name, arr in (("lo_by", lo_by), ("hi_by", hi_by), ("lo_ratifier", jl), ("hi_ratifier", jh)):
        out[name] = np.where(none, -1, arr)
    out["lo_kind"], out["hi_kind"] = np.where(none, 0, lo_kind), np.where(none, 0, hi_kind)
    out["lo"], out["hi"] = lo, hi
    out["no_reversion_point"] = none
    return out


def pivotal_ratifier(sets: dict[str, np.ndarray], r: int, k: int, direction: int, b: int = 0) -> int:
    """The actor index that decides for ratifier r on issue k whether a proposal moving the issue
    up (direction > 0) or down (< 0) from the reversion point passes; −1 when no member's
    objection binds before the end of the scale."""
    return int(sets["r_hi_by" if direction > 0 else "r_lo_by"][b, r, k])


def package_steps(batch: Batch, target: np.ndarray, rules: ConsentRules | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratifiers judging packages: per scenario the largest t ∈ [0, 1] such that every ratifier
    consents to q + t(target − q) over the issues that have a reversion point.

    A member judges a package by u_i(x) = −Σ_k s_ik |x_k − x_ik| / (max_k − min_k) and accepts
    steps up to its reach t_i (winsets.package_reach); a ratifier's step is the pivot of its
    members' reaches (weight c_i · mean_k s_ik, or c_i with `quota_basis: votes`; members that
    care about no issue accept any step), then its member quota and its vetoes; an override
    takes the larger of the ratifier's step and the overriding group's unanimous step.
    Returns t[B], the actor index at the binding end ([B], −1: none) and the ratifier index [B]."""
    rules = batch.consent if rules is None else rules
    b, n, k = batch.shape
    has_q = ~np.isnan(batch.status_quo)
    q = np.where(has_q, batch.status_quo, 0.0)
    scale = batch.high - batch.low
    t_out, who_out, by_out = np.ones(b), np.full(b, -1), np.full(b, -1)
    ratifiers = () if rules is None else rules.ratifiers
    for j in range(b):
        tgt = np.where(has_q, target[j], q)
        reach = ws.package_reach(q[has_q], tgt[has_q], batch.positions[j][:, has_q],
                                 batch.salience[j][:, has_q], scale[has_q])  # [N]
        cares = batch.salience[j][:, has_q].sum(axis=1) > 0
        reach = np.where(cares, reach, 1.0)

        smean = batch.salience[j][:, has_q].mean(axis=1) if has_q.any() else np.zeros(n)
        member = (reach, cares, smean, batch.capability[j])
        for idx, r in enumerate(ratifiers):
            t, who = _package_step(r, *member)
            if r.overridden_by is not None:
                tu, wu = _package_step(ratifiers[r.overridden_by], *member, unanimous=True)
                if tu > t:
                    t, who = tu, wu
            if t < t_out[j]:
                t_out[j], who_out[j], by_out[j] = t, who, idx
    return t_out, who_out, by_out


def _package_step(r: Ratifier, reach: np.ndarray, cares: np.ndarray, smean: np.ndarray,
                  cap: np.ndarray, unanimous: bool = False) -> tuple[float, int]:
    """Ratifier r's largest step (and the actor index fixing it, −1: none) from its members'
    package reaches [N]; `unanimous`: every member that cares must accept."""
    m = np.array(r.members)
    name = lambda end: -1 if end.faction is None else int(m[end.faction])  # noqa: E731
    if unanimous:
        end = ws.pivot(reach[m], np.zeros(len(m)), 1.0, 1.0, cares[m])
        return end.value, name(end)
    w = cap[m] * (smean[m] if r.basis == "weight" else 1.0)
    veto = np.array([i in r.veto for i in r.members]) & cares[m]
    end = ws.pivot(reach[m], w, r.quota, 1.0, veto)
    value, who = end.value, name(end)
    if r.member_quota is not None:
        e2 = ws.pivot(reach[m], np.ones(len(m)), r.member_quota, 1.0)
        if e2.value < value:
            value, who = e2.value, name(e2)
    return value, who


@register
class Consent(Model):
    """Any model's forecast held inside the set of deals every ratifier prefers to no deal."""

    name = "consent"
    title = "Consent (veto players and ratification)"
    wraps = True
    params = {
        "base": Param(str, DEFAULT_BASE, "the model whose forecast is held inside the consent set"),
        "rule": Param(str, "project", "the deal inside the set: the base forecast projected, the "
                      "agenda setter's best point, or Nash bargaining restricted to it", choices=RULES),
        "setter": Param(str, None, "the agenda setter's actor id (default: the scenario's "
                        "agenda_setter)", nullable=True),
        "linkage": Param(str, "issue", "ratifiers judge each issue, or the salience-weighted package",
                         choices=LINKAGES),
        "empty": Param(str, "reversion", "an empty set gives the reversion point, or the base point "
                       "(conditional on a deal)", choices=EMPTY),
    }

    def __init__(self, base: str = DEFAULT_BASE, rule: str = "project",
                 setter: str | None = None, linkage: str = "issue", empty: str = "reversion") -> None:
        if linkage not in LINKAGES:
            raise ValueError(f"linkage must be one of {', '.join(LINKAGES)}, not {linkage!r}")
        if empty not in EMPTY:
            raise ValueError(f"empty must be one of {', '.join(EMPTY)}, not {empty!r}")
        if rule not in RULES:
            raise ValueError(f"rule must be one of {', '.join(RULES)}, not {rule!r}")
        if base == "consent":
            raise ValueError("base must be another model than consent")
        if base not in available():
            raise ValueError(f"unknown base model {base!r}; use one of: "
                             f"{', '.join(m for m in available() if m != 'consent')}")
        self.base = base
        self.rule = rule
        self.setter = setter
        self.linkage = linkage
        self.empty = empty

    def _setter(self, batch: Batch) -> int:
        if self.setter is not None:
            if self.setter not in batch.actor_ids:
                raise ModelError(f"unknown agenda setter {self.setter!r}", where="--param setter",
                                 fix=f"name one of the actors: {', '.join(batch.actor_ids)}")
            return batch.actor_ids.index(self.setter)
        if batch.consent is None or batch.consent.setter is None:
            raise ModelError("rule=setter needs an agenda setter", where="--param rule",
                             fix="declare `agenda_setter: ACTOR` in the scenario, or give "
                                 "-p setter=ACTOR")
        return batch.consent.setter

    def mechanism(self, forecast) -> dict[str, str]:
        return mechanism_sentences(forecast)

    def predict(self, batch: Batch) -> Prediction:
        sets = consent_sets(batch)
        if self.rule == "setter":
            inner = batch.positions[:, self._setter(batch), :]
        elif self.rule == "nash":
            inner = make("nash").predict(batch).values
        else:
            inner = make(self.base).predict(batch).values
        inner = np.asarray(inner, dtype=float)
        span = batch.high - batch.low
        values = np.clip(inner, sets["lo"], sets["hi"])
        empty = (sets["hi"] - sets["lo"]) <= EMPTY_TOL * span
        extra = {}
        if self.linkage == "package":
            t, who, by = package_steps(batch, inner)
            q = np.where(sets["no_reversion_point"], inner, batch.status_quo[None, :])
            values = q + t[:, None] * (inner - q)
            empty = np.broadcast_to((t <= EMPTY_TOL)[:, None], values.shape).copy()
            names = [r.id for r in (batch.consent.ratifiers if batch.consent else ())] + [""]
            extra = {"step": t, "step_by": np.array(batch.actor_ids + ("",), dtype=object)[who],
                     "step_group": np.array(names, dtype=object)[by]}
        if self.empty == "base":  # conditional on a deal: an empty set leaves the base forecast
            values = np.where(empty & ~sets["no_reversion_point"], inner, values)
        ids = np.array(batch.actor_ids + ("",), dtype=object)  # index −1 → ""
        names = np.array([r.id for r in (batch.consent.ratifiers if batch.consent else ())] + [""],
                         dtype=object)
        detail = {
            "base": self.base if self.rule == "project" else self.rule,
            "inner": inner, "lo": sets["lo"], "hi": sets["hi"],
            "lo_by": ids[sets["lo_by"]], "hi_by": ids[sets["hi_by"]],
            "lo_group": names[sets["lo_ratifier"]], "hi_group": names[sets["hi_ratifier"]],
            "lo_kind": np.array(KINDS, dtype=object)[sets["lo_kind"]],
            "hi_kind": np.array(KINDS, dtype=object)[sets["hi_kind"]],
            "empty": empty & ~sets["no_reversion_point"],
            "no_reversion_point": sets["no_reversion_point"],
            "p_no_deal": (empty & ~sets["no_reversion_point"]).astype(float),
            "binding": np.abs(values - inner) > EMPTY_TOL * span,
            **extra,
        }
        return Prediction(values=values, detail=detail)


def mechanism_sentences(forecast) -> dict[str, str]:
    """Per issue, who bounds the consent set and what that did to the base model's forecast."""
    out = {}
    for r in summary_rows(forecast):
        lo, hi, inner, value = r["low"], r["high"], r["unconstrained"], r["forecast"]
        if r["p_no_deal"] >= 1:
            text = (f"No deal other than the reversion point ({value:.1f}) is one every ratifier prefers "
                    f"to it: the consent set is bounded by {r['low_bound']} and {r['high_bound']}, so "
                    f"the base forecast of {inner:.1f} gives way to no deal (P(no deal) 1).")
        elif r["binding"]:
            text = (f"The consent set runs from {lo:.1f} ({r['low_bound']}) to {hi:.1f} "
                    f"({r['high_bound']}); it moves the base forecast of {inner:.1f} to {value:.1f}.")
        else:
            text = (f"The consent set from {lo:.1f} ({r['low_bound']}) to {hi:.1f} ({r['high_bound']}) "
                    f"does not bind: the base forecast of {inner:.1f} stands.")
        out[r["issue"]] = text
    return out


def summary_rows(forecast) -> list[dict]:
    """Per issue of a consent forecast (:class:`~standoff.models.Forecast`): the reversion point,
    the consent set, who bounds each end (actor, group, and whether by quota or veto), the
    unconstrained forecast and P(no deal) — for tables and reports."""
    d = forecast.detail
    rows = []
    for k, f in enumerate(forecast.issues):
        rows.append({"issue": f.issue, "reversion_point": f.status_quo, "low": d["lo"][k],
                     "high": d["hi"][k], "low_bound": _who(d, "lo", k), "high_bound": _who(d, "hi", k),
                     "unconstrained": d["inner"][k], "forecast": f.value,
                     "binding": bool(d["binding"][k]), "p_no_deal": d["p_no_deal"][k]})
    return rows


def _who(d: dict, end: str, k: int) -> str:
    """Who fixes one end of the consent set on issue k: an actor, its group and by what."""
    actor, kind = d[f"{end}_by"][k], d[f"{end}_kind"][k]
    if not actor:
        return "no reversion point" if d["no_reversion_point"][k] else "end of the scale"
    group = d[f"{end}_group"][k]
    word = "veto" if kind == "veto" else "pivot"
    return actor if group == actor else f"{actor} ({word} of {group})"
