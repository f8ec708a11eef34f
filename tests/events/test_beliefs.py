"""Bayesian updating checked against hand computation; perceived positions; rival explanations."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from standoff.events.beliefs import (
    BeliefError,
    BeliefSpec,
    default_categories,
    perceived_positions,
    read_beliefs,
    update,
)
from standoff.events.explain import Explanation, ratio_text
from standoff.models import make
from standoff.models.perception import forecast_as_perceived, perceived_batch
from standoff.scenario.schema import Event

TALK = {"id": "talk", "cameo": ["03"], "likelihood": {"a": 0.6, "b": 0.2}}
TEST = {"id": "test", "cameo": ["15"], "rate": {"a": 0.1, "b": 1.65}}


def spec(*categories, prior=(1.0, 1.0), **kw):
    types = [{"id": "a", "prior": prior[0], "positions": {"arms": 70}},
             {"id": "b", "prior": prior[1], "positions": {"arms": 5}}]
    return BeliefSpec(observer="united-states", target="north-korea", types=types,
                      categories=list(categories), defaults=False, **kw)


def ev(date, actor, cameo, text="x"):
    return Event(date=dt.date.fromisoformat(date), actor=actor, cameo=cameo, description=text)


def test_one_marked_event(dyad):
    """Prior 1/2 : 1/2. Kim's 10 Jan talks offer (036, category `talk`): L(a) = 0.6, L(b) = 0.2.
    P(a | talk) = 0.5·0.6 / (0.5·0.6 + 0.5·0.2) = 0.30 / 0.40 = 0.75.
    Kim's 1 Feb accusation (112) and Moon's consultation (not the target) are not evidence."""
    path = update(spec(TALK), dyad)
    assert len(path.steps) == 1 and path.ignored == 2
    assert path.steps[0].posterior == pytest.approx([0.75, 0.25])
    assert path.steps[0].odds(0, 1) == pytest.approx(3.0)


def test_silence_is_evidence(dyad):
    """No missile test (CAMEO 15) from 1 Jan to 2 Mar 2018 = 60 days; rates 0.1 and 1.65 per 30 days.
    Likelihood of silence: exp(−λΔ/30). Bayes factor a:b = exp(−0.1·2) / exp(−1.65·2)
    = exp(3.1) = 22.198; P(a) = 22.198 / 23.198 = 0.95689.
    At the 1 Feb checkpoint (31 days): factor exp(1.55·31/30) = exp(1.60167) = 4.9612,
    P(a) = 4.9612 / 5.9612 = 0.83225."""
    path = update(spec(TEST), dyad, end="2018-03-02")
    assert [s.date for s in path.steps] == [dt.date(2018, 2, 1), dt.date(2018, 3, 1), dt.date(2018, 3, 2)]
    assert path.steps[0].posterior[0] == pytest.approx(0.83225, abs=1e-5)
    assert path.posterior[0] == pytest.approx(0.95689, abs=1e-5)
    assert path.steps[0].category is None and "silence" in path.steps[0].label


def test_event_then_test_with_unequal_prior(dyad):
    """Prior a 0.3, b 0.7; `talk` likelihoods 0.45/0.30; `test` rates 0.1/1.65 per 30 days.
    10 Jan talks offer, 9 days after the start:
      w_a = 0.3·0.45·exp(−0.1·9/30) = 0.135·0.970446 = 0.131010
      w_b = 0.7·0.30·exp(−1.65·9/30) = 0.21·0.609571 = 0.128010,  P(a) = 0.505791
    31 Jan missile test, 21 days later (the density λ times the silence before it):
      w_a ×= 0.1·exp(−0.1·0.7) = 0.0932394  -> 0.0122153
      w_b ×= 1.65·exp(−1.65·0.7) = 0.519846 -> 0.0665455,  P(a) = 0.0122153 / 0.0787608 = 0.155095"""
    talk = dict(TALK, likelihood={"a": 0.45, "b": 0.30})
    events = [ev("2018-01-10", "kim", "036"), ev("2018-01-31", "kim", "150")]
    path = update(spec(talk, TEST, prior=(0.3, 0.7), checkpoints=False), dyad, events,
                  end="2018-01-31")
    assert [s.category for s in path.steps] == ["talk", "test"]
    assert path.steps[0].posterior[0] == pytest.approx(0.505791, abs=1e-6)
    assert path.steps[1].posterior[0] == pytest.approx(0.155095, abs=1e-6)
    # the step's own evidence: log likelihoods as written above
    assert path.steps[1].log_likelihood == pytest.approx(
        [math.log(0.1) - 0.07, math.log(1.65) - 1.155])


def test_order_of_evidence_does_not_change_the_posterior(dyad):
    """Bayes' rule multiplies: the same events on other days in another order (same total span,
    same counts) give the same final posterior."""
    first = [ev("2018-01-10", "kim", "036"), ev("2018-01-20", "kim", "150"), ev("2018-01-25", "kim", "036")]
    second = [ev("2018-01-03", "kim", "150"), ev("2018-01-04", "kim", "036"), ev("2018-01-29", "kim", "036")]
    p1 = update(spec(TALK, TEST), dyad, first, end="2018-01-31").posterior
    p2 = update(spec(TALK, TEST), dyad, second, end="2018-01-31").posterior
    assert p1 == pytest.approx(p2)


def test_perceived_positions_and_forecast_on_perceptions(dyad):
    """After the talks offer P(a) = 0.75: the US (trump) sees Kim at 0.75·70 + 0.25·5 = 53.75 on
    arms; Kim and Moon see true positions. Compromise (the weighted mean, weights capability ×
    salience 48, 30, 6) as Trump perceives it: (48·100 + 30·53.75 + 6·60) / 84 = 6772.5/84 = 80.625;
    as the others see it: (4800 + 300 + 360) / 84 = 65."""
    path = update(spec(TALK), dyad)
    p = perceived_positions(dyad, [path])
    assert p.shape == (3, 3, 1)
    assert p[0, 1, 0] == pytest.approx(53.75)
    assert p[1, 1, 0] == 10 and p[2, 1, 0] == 10 and p[0, 0, 0] == 100
    batch = perceived_batch(dyad, [path])
    assert batch.perceived.shape == (1, 3, 3, 1)
    expected = forecast_as_perceived(make("compromise"), batch)
    assert expected[0, :, 0] == pytest.approx([80.625, 65.0, 65.0])
    # oracle: the model on the scenario with Kim moved to where Trump believes he stands
    moved = dyad.with_changes([{"actor": "kim", "field": "position", "issue": "arms", "to": 53.75}])
    assert make("compromise").forecast(moved).value("arms") == pytest.approx(expected[0, 0, 0])


def test_default_table_is_consistent_and_roles_resolve(dyad):
    """Each role's marked likelihoods sum to 1 over the four quad categories; types take their
    role's values; a type without a role cannot use the defaults."""
    marked = [c for c in default_categories() if c.likelihood is not None]
    for role in ("accommodating", "resolute"):
        assert sum(c.likelihood[role] for c in marked) == pytest.approx(1.0)
    types = [{"id": "t", "prior": 1, "role": "accommodating"}, {"id": "k", "prior": 1, "role": "resolute"}]
    path = update(BeliefSpec(observer="trump", target="kim", types=types), dyad)
    # 10 Jan 036: verbal cooperation 0.45 vs 0.30; 1 Feb 112: verbal conflict 0.25 vs 0.35; silence
    # of shows of force for 31 days: exp(−(0.1 − 1.65)·31/30)
    bf = 0.45 / 0.30 * 0.25 / 0.35 * math.exp(1.55 * 31 / 30)
    assert path.posterior[0] == pytest.approx(bf / (1 + bf))
    with pytest.raises(BeliefError, match="has no value for type 'x'"):
        update(BeliefSpec(observer="trump", target="kim",
                          types=[{"id": "x", "prior": 1}, {"id": "y", "prior": 1}]), dyad)


def test_bad_belief_files(tmp_path, dyad):
    bad = tmp_path / "b.yaml"
    bad.write_text("observer: trump\ntarget: kim\ntypes: [{id: a, prior: 1}, {id: b, prior: 1}]\n"
                   "categories: [{id: c, likelihood: {a: 1.5, b: 0.1}}]\n")
    with pytest.raises(BeliefError, match="likelihood for 'a' is above 1"):
        read_beliefs(bad)
    bad.write_text("observer: nobody\ntarget: kim\ntypes: [{id: a, prior: 1}, {id: b, prior: 1}]\n"
                   "defaults: false\ncategories: [{id: c, likelihood: {a: 0.5, b: 0.1}}]\n")
    with pytest.raises(BeliefError, match="unknown actor or group 'nobody'"):
        update(read_beliefs(bad)[0], dyad)


def test_explanation_names_the_discriminating_event(dyad):
    """Two readings; the 1 Feb accusation has likelihood 0.6 under `m` and 0.2 under `h`: Bayes
    factor 3 for m, the only evidence, so: 'favours M 3:1' and final odds 3:1 (prior 1:1)."""
    hyp = BeliefSpec(target="north-korea", hypotheses=[
        {"id": "h", "name": "hard-liners", "prior": 1}, {"id": "m", "name": "expectation management",
                                                          "prior": 1}],
        categories=[{"id": "accuse", "dates": ["2018-02-01"], "cameo": ["11"],
                     "likelihood": {"h": 0.2, "m": 0.6}}])
    ex = Explanation(update(hyp, dyad))
    assert ex.spec.defaults is False
    assert ex.leader == 1 and ex.rival == 0
    lines = ex.sentences()
    assert lines[0] == "The 1 February 2018 evidence (accusation) favours expectation management 3:1."
    assert lines[-1].startswith("After 1 step the odds are 3:1 for expectation management")
    assert ratio_text(1.44) == "1.4:1" and ratio_text(25.2) == "25:1"
    assert np.isnan(ex.frame()["bayes_factor"][0])


def reference_posterior(spec, scenario, events, end):
    """Oracle in closed form, no steps: log w_t = log prior_t + Σ_events log value[t, c(e)]
    − Σ_rate-categories λ[t, c]·T/30, with T the whole span in days. Categorising is done here
    from the spec's fields directly (first matching category, own before defaults)."""
    from standoff.events.beliefs import default_categories

    start, end = spec.start or scenario.baseline, dt.date.fromisoformat(end)
    cats = [*spec.categories, *(c for c in default_categories()
                                if spec.defaults and c.id not in {x.id for x in spec.categories})]
    group = {spec.target, *(a.id for a in scenario.actors if a.group == spec.target)}
    logw = []
    for t in spec.types:
        key = lambda c, t=t: t.role if c.by_role else t.id  # noqa: E731
        total = math.log(t.prior)
        for e in events:
            if not start <= e.date <= end or e.actor not in group:
                continue
            for c in cats:
                if (not c.cameo or any(e.cameo.startswith(p) for p in c.cameo)) and \
                        (not c.dates or e.date in c.dates):
                    total += math.log(c.values()[key(c)])
                    break
        total -= sum(c.rate[key(c)] for c in cats if c.rate) * (end - start).days / 30
        logw.append(total)
    w = np.exp(np.array(logw) - max(logw))
    return w / w.sum()


def test_step_updates_agree_with_closed_form(dyad):
    """The step-by-step path (checkpoints, same-day ordering) ends where the closed form says."""
    events = [ev("2018-01-10", "kim", "036"), ev("2018-02-01", "kim", "112"),
              ev("2018-02-01", "kim", "150"), ev("2018-03-15", "kim", "0874"),
              ev("2018-04-01", "kim", "190"), ev("2018-04-01", "moon", "190")]
    types = [{"id": "t", "prior": 1, "role": "accommodating"}, {"id": "k", "prior": 3, "role": "resolute"}]
    s = BeliefSpec(observer="trump", target="north-korea", types=types, categories=[TALK | {
        "likelihood": {"t": 0.6, "k": 0.2}}])
    path = update(s, dyad, events, end="2018-05-22")
    assert path.posterior == pytest.approx(reference_posterior(s, dyad, events, "2018-05-22"))
    assert path.ignored == 1


@pytest.mark.skipif("korea-2018" not in __import__("standoff").cases(),
                    reason="the korea-2018 case is not in this checkout")
def test_korea_belief_path_agrees_with_closed_form():
    """US expectations of North Korea, 1 Jan - 22 May 2018, from the shipped belief file."""
    import standoff
    from standoff.data import beliefs_path

    korea = standoff.load("korea-2018")
    (spec,) = read_beliefs(beliefs_path("korea-2018"))
    path = update(spec, korea)
    assert path.steps[-1].date == dt.date(2018, 5, 22)
    assert path.posterior == pytest.approx(reference_posterior(spec, korea, korea.events, "2018-05-22"))
    (hyp,) = read_beliefs(beliefs_path("korea-2018", "-hypotheses"))
    assert update(hyp, korea).posterior == pytest.approx(
        reference_posterior(hyp, korea, korea.events, "2018-05-22"))


def test_expected_path_follows_the_posterior(dyad):
    """Prior 1:1 on arms 70 / 5: Trump perceives Kim at 37.5 and expects (compromise, weights
    48, 30, 6) (4800 + 30·37.5 + 360)/84 = 6285/84 = 74.821; after the talks offer (P = 0.75,
    Kim at 53.75) 80.625, as in test_perceived_positions_and_forecast_on_perceptions."""
    from standoff.models.perception import expected_path

    rows = expected_path(dyad, update(spec(TALK), dyad), make("compromise"))
    assert [r["arms"] for r in rows] == pytest.approx([6285 / 84, 80.625])
