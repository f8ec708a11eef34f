"""The expectations model: offers under incomplete information, checked by hand and by invariants."""

from __future__ import annotations

import numpy as np
import pytest

from standoff.errors import ModelError
from standoff.models import make
from standoff.models.expectations import bargain, best_offers, frontier, weighted_median
from standoff.models.timeline import timeline
from standoff.scenario.io import parse_yaml

DUO = """\
id: duo
title: Two sides, two issues
baseline: 2020-01-01
issues:
  - {id: price, title: Price, min: 0, max: 100, status_quo: 100}
  - {id: volume, title: Volume, min: 0, max: 100, status_quo: 30}
groups:
  - {id: buyer, name: Buyer, veto: [b], cost_of_war: 0.5}
  - {id: seller, name: Seller, veto: [s]}
actors:
  - {id: b, name: B, group: buyer, capability: 60, positions: {price: 0, volume: 90},
     salience: {price: 80, volume: 40}}
  - {id: b2, name: B2, group: buyer, capability: 10, positions: {price: 20, volume: 50},
     salience: {price: 50, volume: 50}}
  - id: s
    name: S
    group: seller
    capability: 30
    positions: {price: 100, volume: 20}
    salience: {price: 60, volume: 30}
    reservation: {price: {value: 50, low: 0, high: 100}, volume: {value: 40, low: 30, high: 60}}
events:
  - {date: 2020-02-01, actor: s, target: b, cameo: "0841", description: "S frees a prisoner."}
  - {date: 2020-03-01, actor: b, target: s, cameo: "163", description: "B imposes sanctions.",
     effects: [{actor: b, field: reservation, issue: price, to: 40, low: 30, high: 50}]}
"""


def one_issue(levels: np.ndarray, prior: np.ndarray, d_a: float, rounds: int = 1, hazard: float = 0.0):
    """A proposes (fixed) on one issue 0..100: A's ideal 0, R's ideal 100, u_A = 1 − x/100,
    u_R = x/100, so a type with reservation point r accepts x iff x ≥ r (level r/100)."""
    g = len(levels)
    p = np.array([[[0.0], [100.0]]])
    w = np.full((1, 2, 1), 0.01)
    lv = np.stack([np.full(g, -1.0), levels])[None]  # side 0 is never a responder here
    pr = np.stack([np.full(g, 1.0 / g), prior])[None]
    return bargain(p, w, np.array([[100.0]]), lv, pr, np.array([[d_a, 1.0]]), np.array([0.0]),
                   rounds=rounds, hazard=hazard, proposer=0, draws=1, seed=0)


def test_take_it_or_leave_it_against_a_uniform_reservation_point():
    """r ~ U[0, 100], d_A = d: A maximises (x/100)(1 − x/100) + (1 − x/100)·d, whose optimum is
    x* = 100(1 − d)/2. d = 0 → x* = 50, P(accept) = 1/2; d = 0.4 → x* = 30, P(accept) = 0.3.
    The belief is a grid of 2001 types, so x* is exact to 0.05."""
    g = 2001
    r = (np.arange(g) + 0.5) / g * 100
    for d, x_star in ((0.0, 50.0), (0.4, 30.0)):
        out = one_issue(r / 100, np.full(g, 1.0 / g), d)
        assert out["deal_x"][0, 0, 0, 0] == pytest.approx(x_star, abs=0.05)
        assert out["deal_mass"][0, 0, 0] == pytest.approx(x_star / 100, abs=1e-3)
        assert out["breakdown"][0] == pytest.approx(1 - x_star / 100, abs=1e-3)


def test_two_types():
    """Types r = 20 (soft) and r = 80 (tough), d_A = 0. Offer 20: P(soft)·0.8; offer 80: 1·0.2.
    P(soft) = 0.5 → 0.4 > 0.2, offer 20, breakdown 0.5. P(soft) = 0.2 → 0.16 < 0.2, offer 80,
    breakdown 0. The threshold is P(soft) = 0.25."""
    levels = np.array([0.2, 0.8])
    out = one_issue(levels, np.array([0.5, 0.5]), 0.0)
    assert out["deal_x"][0, 0, 0, 0] == pytest.approx(20.0)
    assert out["breakdown"][0] == pytest.approx(0.5)
    out = one_issue(levels, np.array([0.2, 0.8]), 0.0)
    assert out["deal_x"][0, 0, 0, 0] == pytest.approx(80.0)
    assert out["breakdown"][0] == pytest.approx(0.0)


def test_truncation_after_a_rejection():
    """Two rounds, P(soft) = 0.5. Round 1: offer 20, the tough type rejects; the belief is truncated
    to the tough type, so round 2 offers 80. With h = 0: deals at 20 and 80, each with 0.5. With
    h = 0.5: round 2 is reached with 0.25, deal at 80 with 0.25, breakdown 0.25."""
    out = one_issue(np.array([0.2, 0.8]), np.array([0.5, 0.5]), 0.0, rounds=2, hazard=0.0)
    assert out["deal_x"][0, 0, :, 0] == pytest.approx([20.0, 80.0])
    assert out["deal_mass"][0, 0] == pytest.approx([0.5, 0.5])
    assert out["breakdown"][0] == pytest.approx(0.0)
    out = one_issue(np.array([0.2, 0.8]), np.array([0.5, 0.5]), 0.0, rounds=2, hazard=0.5)
    assert out["deal_mass"][0, 0] == pytest.approx([0.5, 0.25])
    assert out["breakdown"][0] == pytest.approx(0.25)
    # the mixture: 20 (0.5), 80 (0.25), reversion 100 (0.25): lower median 20
    assert out["values"][0, 0] == pytest.approx(20.0)


def test_frontier_concedes_the_cheapest_issue_first():
    """A at (0, 0), R at (100, 100); w_A = (0.008, 0.002), w_R = (0.002, 0.008) per point.
    R's utility of A's ideal: 1 − 0.2 − 0.8 = 0. Issue 2 gives R 0.008 per point at A's cost
    0.002, so it goes first: v = 0.4 → x = (0, 50); v = 0.9 → issue 2 full (0.8), then 0.1/0.002
    = 50 points of issue 1 → x = (50, 100)."""
    x = frontier(np.array([[0.4, 0.9]]), np.array([[0.0, 0.0]]), np.array([[100.0, 100.0]]),
                 np.array([[0.008, 0.002]]), np.array([[0.002, 0.008]]))
    assert x[0] == pytest.approx(np.array([[0.0, 50.0], [50.0, 100.0]]))


def test_best_offer_is_the_least_generous_on_a_tie():
    """Two offers with the same expected value (0.5 each): the first (less generous) is chosen."""
    best, p = best_offers(np.array([1.0, 1.0]), np.array([1.0, 0.5]),
                          np.array([[True, False], [True, True]]), np.array(0.0))
    assert int(best) == 0 and float(p) == pytest.approx(0.5)


def test_weighted_median():
    """Atoms 10 (0.3), 20 (0.3), 90 (0.4): cumulative 0.3, 0.6 → the median is 20."""
    v = weighted_median(np.array([[[90.0], [10.0], [20.0]]]), np.array([[0.4, 0.3, 0.3]]))
    assert v[0, 0] == pytest.approx(20.0)


@pytest.fixture
def duo():
    return parse_yaml(DUO)


def _reflect(text: str) -> str:
    """The same scenario on reflected scales: every number x on an issue becomes 100 − x."""
    s = parse_yaml(text)
    data = s.model_dump(mode="json", exclude={"path", "as_of_date"}, exclude_none=True)
    for issue in data["issues"]:
        issue["status_quo"]["mode"] = 100 - issue["status_quo"]["mode"]
    for actor in data["actors"]:
        actor["positions"] = {k: {**v, "mode": 100 - v["mode"]} for k, v in actor["positions"].items()}
        actor["reservation"] = {k: {**v, "mode": 100 - v["mode"], "low": 100 - v["high"],
                                    "high": 100 - v["low"]} for k, v in actor["reservation"].items()}
    for event in data["events"]:
        event["effects"] = [{**f, "to": 100 - f["to"], "low": 100 - f["high"], "high": 100 - f["low"]}
                            for f in event["effects"]]
    import yaml

    return yaml.safe_dump(data, sort_keys=False)


@pytest.mark.parametrize("proposer", ["buyer", ""])
def test_reflecting_the_scales_reflects_the_forecast(duo, proposer):
    model = make("expectations", proposer=proposer, rounds=3, hazard=0.2)
    mirrored = parse_yaml(_reflect(DUO))
    for date in ("2020-01-01", "2020-03-01"):
        a = model.forecast(duo.as_of(date))
        b = model.forecast(mirrored.as_of(date))
        for fa, fb in zip(a.issues, b.issues, strict=True):
            assert fb.value == pytest.approx(100 - fa.value)
        assert b.detail["p_breakdown"] == pytest.approx(a.detail["p_breakdown"])


def test_batch_equals_one_at_a_time(duo):
    """The timeline runs every date in one batch; each row equals the model run alone."""
    model = make("expectations", rounds=3, hazard=0.2, draws=64, seed=3)
    frame = timeline(duo, model)
    for date, rows in frame.groupby("date"):
        alone = model.forecast(duo.as_of(date) if date > duo.baseline else duo)
        assert rows["value"].to_numpy() == pytest.approx([f.value for f in alone.issues])


def test_seeded_draws_are_reproducible(duo):
    a = make("expectations", draws=32, seed=7).forecast(duo)
    b = make("expectations", draws=32, seed=7).forecast(duo)
    assert a.to_dict() == b.to_dict()
    c = make("expectations", draws=32, seed=8).forecast(duo)
    assert c.detail["offer_path"][0]["p_proposer"] != a.detail["offer_path"][0]["p_proposer"]


def test_a_costly_conciliatory_act_lowers_the_offer(duo):
    """The seller frees a prisoner on 1 February: the buyer believes the seller softer, so it
    offers less (a lower price) than on the prior; with beliefs off the two dates agree."""
    model = make("expectations", proposer="buyer", rounds=1)
    before, after = model.forecast(duo), model.forecast(duo.as_of("2020-02-01"))
    assert after.detail["offer_path"][0]["offer"][0] < before.detail["offer_path"][0]["offer"][0]
    flat = make("expectations", proposer="buyer", rounds=1, beliefs=False)
    assert flat.forecast(duo.as_of("2020-02-01")).to_dict()["issues"] == \
        flat.forecast(duo).to_dict()["issues"]


def test_bad_parameters_are_model_errors(duo):
    with pytest.raises(ModelError, match="hazard"):
        make("expectations", hazard=1.5)
    with pytest.raises(ModelError, match="rounds"):
        make("expectations", rounds=0)
    with pytest.raises(ModelError, match="unknown proposer 'nobody'"):
        make("expectations", proposer="nobody").forecast(duo)


def test_sides_without_two_party_groups():
    """One party group: the actors outside it are the other side. No group: two camps split at the
    capability-weighted median of the actors' salience-weighted mean positions: B (0·80 + 90·40)/120
    = 30, B2 (20·50 + 50·50)/100 = 35, S (100·60 + 20·30)/90 = 73.3; capabilities 60, 10, 30, so the
    median is B's 30: B is the lower camp, B2 and S (the more capable, so the responder) the upper."""
    one = DUO.replace("group: seller", "group: null").replace(
        "  - {id: seller, name: Seller, veto: [s]}\n", "")
    f = make("expectations").forecast(parse_yaml(one))
    assert f.detail["sides"] == ["buyer", "others"] and f.detail["responders"] == {"buyer": "b",
                                                                                   "others": "s"}
    none = one.replace("group: buyer", "group: null").replace(
        "  - {id: buyer, name: Buyer, veto: [b], cost_of_war: 0.5}\n", "").replace("groups:\n", "")
    f = make("expectations").forecast(parse_yaml(none))
    assert f.detail["sides"] == ["lower-camp", "upper-camp"]
    assert f.detail["responders"] == {"lower-camp": "b", "upper-camp": "s"}


def test_the_korea_timeline_moves_with_the_events():
    """`standoff timeline korea-2018 -m expectations`: each date's row is the forecast as of that
    date, with P(no deal); the 22 May forecast differs from the 1 January one."""
    import json

    from tests.cli_process import standoff

    from standoff.loading import load

    out = standoff("timeline", "korea-2018", "-m", "expectations", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    by_date = {(r["date"][:10], r["issue"]): r for r in rows}
    case = load("korea-2018")
    may22 = make("expectations").forecast(case.as_of("2018-05-22"))
    for f in may22.issues:
        assert by_date[("2018-05-22", f.issue)]["value"] == pytest.approx(f.value)
        assert by_date[("2018-05-22", f.issue)]["p_no_deal"] == pytest.approx(may22.detail["p_breakdown"])
    assert by_date[("2018-01-01", "denuclearization")]["value"] != \
        by_date[("2018-05-22", "denuclearization")]["value"]


def test_three_parties_and_an_agenda_setter():
    """Three party groups: the setter's group (seller, S sets the agenda) against the most capable
    other one (buyer: 70 against 5); the setter's side proposes in every round."""
    text = DUO.replace("events:", "agenda_setter: s\nevents:").replace(
        "  - {id: seller, name: Seller, veto: [s]}\n",
        "  - {id: seller, name: Seller, veto: [s]}\n  - {id: third, name: Third}\n").replace(
        "actors:\n", "actors:\n  - {id: t, name: T, group: third, capability: 5,"
        " positions: {price: 50, volume: 50}, salience: {price: 50, volume: 50}}\n")
    f = make("expectations").forecast(parse_yaml(text))
    assert f.detail["sides"] == ["buyer", "seller"]
    assert all(r["p_proposer"] == {"buyer": 0.0, "seller": 1.0} for r in f.detail["offer_path"])


def test_explain_names_the_responders_and_the_breakdown():
    """`--explain` for the expectations model adds, per issue, the two responders, P(breakdown)
    with the reversion point it leaves, and the expected reservation points from the detail."""
    from standoff.analysis.drivers import explain_forecast
    from standoff.loading import load
    from standoff.models import make

    s = load("korea-2018", as_of="last")
    model = make("expectations")
    f = model.forecast(s)
    d = f.detail
    first = explain_forecast(s, model)[0]
    a, b = (d["responders"][side] for side in d["sides"])
    assert first.mechanism == (
        f"Offers under incomplete information between {a} and {b}: P(breakdown) "
        f"{d['p_breakdown']:.2f}, which leaves the reversion point {d['reversion_point'][0]:.1f}; the "
        f"expected reservation points, as the other side believes them, are "
        f"{d['expected_reservation'][0][0]:.1f} ({a}) and {d['expected_reservation'][1][0]:.1f} ({b}).")
    assert first.paragraph.endswith(first.mechanism)
