"""Rival explanations: score hypotheses by the likelihood of the observed events.

A hypothesis file is a belief spec whose `hypotheses` (instead of `types`) each give, per
category of evidence, a likelihood or an event rate. The posterior odds after each event are
Bayes' rule as in :mod:`standoff.events.beliefs`; an event *discriminates* in proportion to
|log Bayes factor| between the two leading hypotheses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from standoff import lazy
from standoff.events.beliefs import BeliefPath, BeliefSpec, Step

pd = lazy.load("pandas")


def ratio_text(bf: float) -> str:
    """A Bayes factor ≥ 1 as people say it: 3:1, 1.4:1, 25:1."""
    return f"{bf:.0f}:1" if bf >= 2.5 else f"{bf:.1f}:1"


@dataclass(frozen=True)
class Explanation:
    """Belief path over rival hypotheses, with the events that discriminate most."""

    path: BeliefPath

    @property
    def spec(self) -> BeliefSpec:
        return self.path.spec

    def name(self, k: int) -> str:
        t = self.spec.types[k]
        return t.name or t.id

    @property
    def leader(self) -> int:
        return int(np.argmax(self.path.posterior))

    @property
    def rival(self) -> int:
        order = np.argsort(-self.path.posterior, kind="stable")
        return int(order[1])

    def factor(self, step: Step) -> tuple[int, float]:
        """The hypothesis a step favours (between the two leading ones) and by what factor."""
        a, b = self.leader, self.rival
        bf = step.odds(a, b)
        return (a, bf) if bf >= 1 else (b, 1 / bf)

    def frame(self) -> pd.DataFrame:
        """A row per step: date, evidence, the Bayes factor leader:rival, posterior per hypothesis."""
        a, b = self.leader, self.rival
        rows = [{"date": self.path.start, "evidence": "prior", "category": "", "bayes_factor": np.nan,
                 **{f"P({t})": p for t, p in zip(self.spec.type_ids, self.path.table.prior, strict=True)}}]
        for s in self.path.steps:
            rows.append({"date": s.date, "evidence": s.label, "category": s.category or "",
                         "bayes_factor": s.odds(a, b),
                         **{f"P({t})": p for t, p in zip(self.spec.type_ids, s.posterior, strict=True)}})
        return pd.DataFrame(rows)

    def discriminating(self, n: int = 5) -> list[Step]:
        """The n steps with the largest |log Bayes factor| between the two leading hypotheses."""
        a, b = self.leader, self.rival
        steps = sorted(self.path.steps, key=lambda s: -abs(s.log_likelihood[a] - s.log_likelihood[b]))
        return steps[:n]

    def sentences(self) -> list[str]:
        """What the evidence says, in plain words: the most telling events, then the verdict."""
        out = []
        for s in self.discriminating(3):
            k, bf = self.factor(s)
            if bf < 1.05:
                continue
            label = s.label if len(s.label) <= 70 else s.label[:67] + "..."
            out.append(f"The {s.date.day} {s.date:%B %Y} evidence ({label}) favours {self.name(k)} "
                       f"{ratio_text(bf)}.")
        a, b = self.leader, self.rival
        post = self.path.posterior
        odds = post[a] / post[b]
        prior = self.path.table.prior
        n = len(self.path.steps)
        out.append(f"After {n} step{'' if n == 1 else 's'} the odds are {ratio_text(odds)} for "
                   f"{self.name(a)} against {self.name(b)} (prior odds "
                   f"{prior[a] / prior[b]:.2g}:1).")
        return out
