"""The consent model: hand-computed consent sets, the rules inside them, invariants, batches."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from tests.cli_process import standoff as run_cli

import standoff
from standoff.errors import ModelError, ScenarioError
from standoff.models import Batch, make
from standoff.models import winsets as ws
from standoff.models.consent import consent_sets, summary_rows
from standoff.models.ratifiers import ConsentRules, Ratifier
from standoff.scenario.io import parse_yaml


def scenario(actors, q=20.0, groups=(), setter=None, low=0.0, high=100.0, events=()):
    """One issue `k` on [low, high] with status quo q; actors (id, position, group, capability,
    salience)."""
    raw = {"id": "t", "title": "T", "baseline": "2020-01-01",
           "issues": [{"id": "k", "title": "K", "min": low, "max": high,
                       **({"status_quo": q} if q is not None else {})}],
           "groups": list(groups),
           "actors": [{"id": a, "name": a.upper(), "capability": c, "positions": {"k": x},
                       "salience": {"k": s}, **({"group": g} if g else {})}
                      for a, x, g, c, s in actors],
           "events": list(events)}
    if setter:
        raw["agenda_setter"] = setter
    return parse_yaml(yaml.safe_dump(raw, sort_keys=False))


ONE_VETO = dict(
    actors=[("a", 80, "h", 1, 100), ("b", 30, "g", 1, 100), ("c", 90, "g", 1, 100)],
    groups=[{"id": "g", "name": "G", "veto": ["b"]},
            {"id": "h", "name": "H", "role": "third-party"}])


def test_one_veto_player_bounds_the_deal():
    """q = 20. Group g (quota ½ of weight 2, veto b) ratifies; h is a third party. Reaches to the
    right: c max(20, 2·90 − 20) = 160, b max(20, 2·30 − 20) = 40. The quota is met at 160, off
    the scale (→ 100); b's veto gives 40 ≤ 100: hi = 40, bounded by b's veto. To the left both
    reach only 20: lo = 20. Compromise (80 + 30 + 90)/3 = 66.7 → clipped to 40 = 2·30 − 20, the
    end of b's win-set."""
    s = scenario(**ONE_VETO)
    f = standoff.forecast(s, "consent")
    assert f.value("k") == pytest.approx(40.0)
    row = summary_rows(f)[0]
    assert (row["low"], row["high"]) == (20.0, 40.0)
    assert row["high_bound"] == "b (veto of g)"
    assert row["unconstrained"] == pytest.approx(200 / 3)
    assert row["binding"] and row["p_no_deal"] == 0.0


def test_a_veto_holder_at_the_reversion_point_blocks_any_change():
    """b moved to q = 20: its win-set is {20}, so the set is empty and the forecast is q,
    whatever the rule inside; P(no deal) = 1."""
    spec = dict(ONE_VETO, actors=[("a", 80, "h", 1, 100), ("b", 20, "g", 1, 100),
                                  ("c", 90, "g", 1, 100)])
    s = scenario(**spec, setter="c")
    for params in ({}, {"rule": "setter"}, {"rule": "nash"}, {"base": "median"}):
        f = standoff.forecast(s, make("consent", **params))
        assert f.value("k") == 20.0
        assert f.detail["empty"][0] and f.detail["p_no_deal"][0] == 1.0


def test_empty_set_gives_the_reversion_point():
    """Two parties of one (no groups) on either side of q = 30: d at 10 accepts [0, 30]
    (mirror 2·10 − 30 = −10, cut at 0), e at 60 accepts [30, 90]: only 30 is in both."""
    s = scenario([("d", 10, None, 1, 100), ("e", 60, None, 1, 100)], q=30)
    f = standoff.forecast(s, "consent")
    assert f.value("k") == 30.0
    assert standoff.forecast(s, "compromise").value("k") == 35.0
    row = summary_rows(f)[0]
    assert (row["low"], row["high"]) == (30.0, 30.0)
    assert row["low_bound"] == "e" and row["high_bound"] == "d"


def test_setter_gets_its_best_point_in_the_set():
    """Romer–Rosenthal: d at 70, e at 40 (both parties of one), q = 10: d accepts [10, 100]
    (mirror 130), e accepts [10, 70]; set [10, 70]. Setter d's ideal 70 is in it: 70. Setter e: 40.
    With q = 50: d accepts [50, 90], e accepts [30, 50]: empty → 50."""
    actors = [("d", 70, None, 1, 100), ("e", 40, None, 1, 100)]
    assert standoff.forecast(scenario(actors, q=10, setter="d"),
                             make("consent", rule="setter")).value("k") == 70.0
    assert standoff.forecast(scenario(actors, q=10),
                             make("consent", rule="setter", setter="e")).value("k") == 40.0
    assert standoff.forecast(scenario(actors, q=50, setter="d"),
                             make("consent", rule="setter")).value("k") == 50.0


def test_setter_far_out_is_held_at_the_pivot():
    """Setter s (outside the ratifying group, a third party) at 100; group g of three equal
    members at 30, 50, 60, quota ½ (weight 3 → 1.5), q = 20. Reaches right: 40, 80, 100; sorted
    down 100, 80, 40 with cumulative weight 1, 2, 3: the quota is met at 80 (the member at 50,
    the median voter). Set [20, 80]; the setter gets 80 = 2·50 − 20."""
    s = scenario([("s", 100, "h", 1, 100), ("m1", 30, "g", 1, 100), ("m2", 50, "g", 1, 100),
                  ("m3", 60, "g", 1, 100)],
                 groups=[{"id": "g", "name": "G"}, {"id": "h", "name": "H", "role": "third-party"}],
                 setter="s")
    f = standoff.forecast(s, make("consent", rule="setter"))
    assert f.value("k") == 80.0
    assert summary_rows(f)[0]["high_bound"] == "m2 (pivot of g)"


def test_double_majority_and_votes_basis():
    """Group g with quota_basis votes: a member counts its capability whatever its salience.
    Members (capability, position): p (6, 90), r (3, 25), t (1, 100); q = 20; salience of t is 10.
    Right reaches: p 160, r 30, t 180. Vote quota 0.65 of 10 = 6.5: sorted down t 180 (1), p 160
    (7) → met at 160 → off scale, 100. Member quota 2/3 of 3 members = 2: t, p → 160 → 100. With
    member_quota 1 (all three) the count pivot is r: 30. Weight basis instead (c·s: p 6, r 3,
    t 0.1; quota 0.65·9.1 = 5.915): met at p's 160 → 100 as well; at quota 0.7 (6.37) too."""
    members = [("p", 90, "g", 6, 100), ("r", 25, "g", 3, 100), ("t", 100, "g", 1, 10)]
    g = {"id": "g", "name": "G", "ratification_quota": 0.65, "quota_basis": "votes"}
    f = standoff.forecast(scenario(members, groups=[{**g, "member_quota": 2 / 3}]), "consent")
    assert f.detail["hi"][0] == 100.0
    f = standoff.forecast(scenario(members, groups=[{**g, "member_quota": 1.0}]), "consent")
    assert f.detail["hi"][0] == 30.0
    assert summary_rows(f)[0]["high_bound"] == "r (pivot of g)"


def test_override_by_unanimity():
    """Art. 293 TFEU: the commission's consent is needed unless the council is unanimous. q = 0;
    council members at 40 and 60 (quota ½ of two equal members: pivot at the farther reach, 120 →
    100; unanimity: min reach 80); commission at 10 (accepts [0, 20]). The commission's win-set
    overridden: [0, 20] ∪ [0, 80] = [0, 80]; with the council: [0, 80] ∩ [0, 100] = [0, 80].
    Without the override the set is [0, 20]."""
    actors = [("com", 10, "commission", 1, 100), ("x", 40, "council", 1, 100),
              ("y", 60, "council", 1, 100)]
    groups = [{"id": "council", "name": "Council"}, {"id": "commission", "name": "Commission"}]
    s = scenario(actors, q=0, groups=groups)
    assert standoff.forecast(s, "consent").detail["hi"][0] == 20.0
    over = [groups[0], {**groups[1], "overridden_by": "council"}]
    f = standoff.forecast(scenario(actors, q=0, groups=over), "consent")
    assert f.detail["hi"][0] == 80.0
    assert f.value("k") == pytest.approx(110 / 3)  # compromise (10 + 40 + 60)/3 is inside


def test_no_reversion_point_leaves_the_base_forecast():
    """Without a status quo the consent set is the whole scale: the forecast is the base's."""
    s = scenario([("d", 10, None, 1, 100), ("e", 60, None, 1, 100)], q=None)
    f = standoff.forecast(s, "consent")
    assert f.value("k") == 35.0 and f.detail["no_reversion_point"][0]
    assert summary_rows(f)[0]["low_bound"] == "no reversion point"


def test_a_status_quo_effect_moves_the_reversion_point():
    """An event on 2020-02-01 sets q from 20 to 5 (actor d's deed). Before it: d at 10, e at 60
    → d accepts [0, 20], e [20, 100]: empty, forecast 20. After it: d accepts [5, 15] (mirror
    2·10 − 5), e [5, 100] (mirror 115): [5, 15]; compromise 35 → 15."""
    ev = [{"date": "2020-02-01", "actor": "d", "cameo": "030", "description": "a moratorium",
           "effects": [{"actor": "d", "field": "status_quo", "issue": "k", "to": 5}]}]
    s = scenario([("d", 10, None, 1, 100), ("e", 60, None, 1, 100)], q=20, events=ev)
    assert standoff.forecast(s.as_of("2020-01-31"), "consent").value("k") == 20.0
    later = s.as_of("2020-02-01")
    assert later.issue("k").status_quo.mode == 5.0
    assert standoff.forecast(later, "consent").value("k") == 15.0
    assert s.with_changes([{"actor": "e", "field": "status_quo", "issue": "k", "by": -5}]) \
        .issue("k").status_quo.mode == 15.0


def test_bad_status_quo_effect_and_setter_are_located_errors():
    ev = [{"date": "2020-02-01", "actor": "d", "cameo": "030", "description": "x",
           "effects": [{"actor": "d", "field": "status_quo", "issue": "k", "by": 90}]}]
    with pytest.raises(ScenarioError) as err:
        scenario([("d", 10, None, 1, 100), ("e", 60, None, 1, 100)], q=20, events=ev)
    assert "events[0].effects[0]" in str(err.value) and "off the scale" in str(err.value)
    with pytest.raises(ScenarioError) as err:
        scenario([("d", 10, None, 1, 100), ("e", 60, None, 1, 100)], setter="zed")
    assert "agenda_setter" in str(err.value)
    s = scenario([("d", 10, None, 1, 100), ("e", 60, None, 1, 100)])
    with pytest.raises(ModelError, match="agenda setter"):
        standoff.forecast(s, make("consent", rule="setter"))
    with pytest.raises(ModelError, match="unknown agenda setter"):
        standoff.forecast(s, make("consent", rule="setter", setter="zed"))
    with pytest.raises(ModelError):
        make("consent", base="consent")
    with pytest.raises(ModelError):
        make("consent", rule="dictator")


def random_batch(rng, b=6, n=5, k=3, rules=None):
    pos = rng.uniform(0, 100, (b, n, k)).round()
    sal = rng.choice([0.0, 0.3, 0.7, 1.0], (b, n, k))
    cap = rng.uniform(0.5, 3, (b, n))
    q = rng.uniform(0, 100, k).round()
    rules = rules or ConsentRules((Ratifier("g", (0, 1, 2), 0.6, "weight", 0.5, (1,)),
                                   Ratifier("h", (3,), overridden_by=0), Ratifier("s", (4,))),
                                  setter=3)
    return Batch(pos, sal, cap, np.zeros(k), np.full(k, 100.0), q, tuple("abcde"),
                 tuple(f"i{j}" for j in range(k)), consent=rules)


def one(batch, j):
    return Batch(batch.positions[j:j + 1], batch.salience[j:j + 1], batch.capability[j:j + 1],
                 batch.low, batch.high, batch.status_quo, batch.actor_ids, batch.issue_ids,
                 consent=batch.consent)


@pytest.mark.parametrize("params", [{}, {"rule": "setter"}, {"rule": "nash"}, {"base": "median"}])
def test_batch_is_one_at_a_time(params):
    batch = random_batch(np.random.default_rng(1))
    m = make("consent", **params)
    together = m.predict(batch)
    for j in range(batch.shape[0]):
        alone = m.predict(one(batch, j))
        np.testing.assert_array_equal(together.values[j], alone.values[0])
        np.testing.assert_array_equal(together.detail["lo"][j], alone.detail["lo"][0])


@pytest.mark.parametrize("params", [{}, {"rule": "setter"}, {"base": "median"}])
def test_reflecting_the_scale_reflects_the_forecast(params):
    """x → 100 − x for every position and the reversion point: the set and the forecast reflect."""
    batch = random_batch(np.random.default_rng(2))
    flip = Batch(100 - batch.positions, batch.salience, batch.capability, batch.low, batch.high,
                 100 - batch.status_quo, batch.actor_ids, batch.issue_ids, consent=batch.consent)
    m = make("consent", **params)
    a, b = m.predict(batch), m.predict(flip)
    np.testing.assert_allclose(b.values, 100 - a.values, atol=1e-9)
    np.testing.assert_allclose(b.detail["lo"], 100 - a.detail["hi"], atol=1e-9)


def accepts(batch: Batch, r: Ratifier, point: float) -> bool:
    """Whether ratifier r of a one-scenario, one-issue batch accepts `point`, by the definition."""
    x, s, c, q = batch.positions[0, :, 0], batch.salience[0, :, 0], batch.capability[0], \
        batch.status_quo[0]
    m = list(r.members)
    care = s[m] > 0
    w = c[m] * (s[m] if r.basis == "weight" else 1.0)
    pos = np.where(care, x[m], point)  # a member that does not care accepts anything
    veto = np.array([i in r.veto for i in m]) & care
    ok = ws.brute_force_member(point, pos, w, q, r.quota, veto)
    if r.member_quota is not None:
        ok = ok and ws.brute_force_member(point, pos, np.ones(len(m)), q, r.member_quota)
    if r.overridden_by is not None:
        mo = list(batch.consent.ratifiers[r.overridden_by].members)
        alls = np.abs(point - x[mo]) <= np.abs(q - x[mo]) + 1e-9
        ok = ok or bool(np.all(alls | (s[mo] == 0)))
    return ok


def test_the_set_agrees_with_the_definition():
    """Every point of a grid is in the consent set exactly when every ratifier accepts it by the
    definition (ws.brute_force_member per ratifier; the override as a union with unanimity)."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        batch = random_batch(rng, b=1, k=1)
        sets = consent_sets(batch)
        for point in np.linspace(0, 100, 201):
            inside = sets["lo"][0, 0] - 1e-9 <= point <= sets["hi"][0, 0] + 1e-9
            assert inside == all(accepts(batch, r, point) for r in batch.consent.ratifiers), point


def test_pivot_batch_agrees_with_pivot():
    """The batched pivot gives the scalar pivot's value, kind and member, row by row."""
    rng = np.random.default_rng(4)
    reach = rng.choice([10.0, 20.0, 35.0, 50.0, 80.0, 120.0], (200, 6))
    weight = rng.choice([0.0, 1.0, 2.0, 0.5], (200, 6))
    veto = rng.random((200, 6)) < 0.2
    quota = rng.choice([0.3, 0.5, 2 / 3, 1.0], 200)
    got = ws.pivot_batch(reach, weight, quota, np.full(200, 100.0), veto)
    for m in range(200):
        want = ws.pivot(reach[m], weight[m], quota[m], 100.0, veto[m])
        assert got.value[m] == want.value
        assert ws.KINDS[got.kind[m]] == want.kind
        assert (None if got.who[m] < 0 else got.who[m]) == want.faction


def test_cli_unknown_veto_holder_is_a_located_error(tmp_path):
    """A veto holder that is not a member: one line with the place, exit 2, no traceback."""
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({
        "id": "bad", "title": "Bad", "baseline": "2020-01-01",
        "issues": [{"id": "k", "title": "K", "min": 0, "max": 100, "status_quo": 20}],
        "groups": [{"id": "g", "name": "G", "veto": ["nobody"]}],
        "actors": [{"id": "a", "name": "A", "group": "g", "capability": 1, "positions": {"k": 10},
                    "salience": {"k": 50}},
                   {"id": "b", "name": "B", "capability": 1, "positions": {"k": 60},
                    "salience": {"k": 50}}]}))
    r = run_cli("forecast", str(path), "-m", "consent")
    assert r.returncode == 2
    assert "groups[0].veto[0]" in r.stderr and "nobody" in r.stderr
    assert "Traceback" not in r.stderr


def test_cli_shows_the_consent_set(tmp_path):
    """`standoff forecast FILE -m consent` prints the set [20, 40] of the one-veto case and names
    b's veto at its upper end."""
    s = scenario(**ONE_VETO)
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(s.model_dump(mode="json", exclude={"path", "as_of_date"},
                                                exclude_none=True), sort_keys=False))
    r = run_cli("forecast", str(path), "-m", "consent", "-f", "markdown")
    assert r.returncode == 0, r.stderr
    line = [x for x in r.stdout.splitlines() if x.startswith("| k ")][-1]  # the consent table
    cells = [c.strip() for c in line.strip("|").split("|")]
    # lower end: b and c both reach only q = 20; b's veto binds there first (veto before quota)
    assert cells == ["k", "20.0", "20.0", "40.0", "b (veto of g)", "b (veto of g)", "66.7", "40.0",
                     "0.0"]


def test_timeline_uses_each_dates_reversion_point():
    """The status_quo effect of 2020-02-01 (q 20 → 5): the timeline's forecast on each date is
    that date's own forecast (20 before, 15 after), though a batch holds one status quo; a batch
    of scenarios with different status quos is refused."""
    from standoff.models.timeline import timeline

    ev = [{"date": "2020-02-01", "actor": "d", "cameo": "030", "description": "a moratorium",
           "effects": [{"actor": "d", "field": "status_quo", "issue": "k", "to": 5}]}]
    s = scenario([("d", 10, None, 1, 100), ("e", 60, None, 1, 100)], q=20, events=ev)
    t = timeline(s, make("consent"))
    assert list(t.value) == [20.0, 15.0]
    with pytest.raises(ModelError, match="same status quo"):
        Batch.from_scenarios([s, s.as_of("2020-02-01")])


def test_bad_consent_declarations_are_located_errors():
    """An unknown overriding group and a member quota above 1, each at its place in the file."""
    actors = [("d", 10, "g", 1, 100), ("e", 60, None, 1, 100)]
    with pytest.raises(ScenarioError) as err:
        scenario(actors, groups=[{"id": "g", "name": "G", "overridden_by": "nobody"}])
    assert "groups[0].overridden_by" in str(err.value) and "nobody" in str(err.value)
    with pytest.raises(ScenarioError) as err:
        scenario(actors, groups=[{"id": "g", "name": "G", "member_quota": 1.5}])
    assert "groups[0].member_quota" in str(err.value)


def test_explain_names_the_veto_that_binds():
    """The one-veto case above: `--explain` adds to the drivers the set 20.0–40.0, b's win-set
    (|x − 30| < |20 − 30|), so both ends fixed by b's veto, and the move from the base 66.7 to
    40.0; with b at the reversion point the sentence says no deal, P(no deal) 1."""
    from standoff.analysis.drivers import explain_forecast

    (d,) = explain_forecast(scenario(**ONE_VETO), make("consent"))
    assert d.mechanism == ("The consent set runs from 20.0 (b (veto of g)) to 40.0 (b (veto of g)); "
                           "it moves the base forecast of 66.7 to 40.0.")
    assert d.paragraph.endswith(d.mechanism)
    blocked = dict(ONE_VETO, actors=[("a", 80, "h", 1, 100), ("b", 20, "g", 1, 100),
                                     ("c", 90, "g", 1, 100)])
    (d,) = explain_forecast(scenario(**blocked), make("consent"))
    assert "gives way to no deal (P(no deal) 1)" in d.mechanism and "b (veto of g)" in d.mechanism
    # a model that only aggregates positions adds nothing
    (d,) = explain_forecast(scenario(**ONE_VETO), make("compromise"))
    assert d.mechanism == ""
