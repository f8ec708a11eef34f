"""The exchange model (equal gain): hand-computed cases, invariants, a loop-by-loop oracle,
and the COP21 case in the Decide format."""

from __future__ import annotations

import numpy as np
import pytest

import standoff
from standoff.models import Batch, make
from standoff.models.exchange import Exchange
from standoff.scenario.io import build


def scenario(positions, salience, capability, lo=0.0, hi=100.0):
    """A scenario from nested lists: positions[n][k], salience[n][k] (0..100), capability[n]."""
    n, k = len(positions), len(positions[0])
    issues = [f"i{m}" for m in range(k)]
    return build({
        "id": "t", "title": "t", "baseline": "2020-01-01",
        "issues": [{"id": i, "title": i, "min": lo, "max": hi} for i in issues],
        "actors": [{"id": f"a{a}", "name": f"A{a}", "capability": float(capability[a]),
                    "positions": {i: float(positions[a][m]) for m, i in enumerate(issues)},
                    "salience": {i: float(salience[a][m]) for m, i in enumerate(issues)}}
                   for a in range(n)]})


def sign(v):
    return (v > 0) - (v < 0)


def seen(given, pos, x0, o0, w, c, s, d, m, mover):
    """The outcome on issue m as demander d sees it when `mover` gives way to it."""
    shifts = given.get((d, m), {})
    own = c[mover] * s[mover][m] * (pos[mover][m] - x0[mover][m]) / w[m]
    return o0[m] + sum(v for who, v in shifts.items() if who != mover) + own


def reference(x, s, c, rounds, sw, fw, tol=1e-10):
    """Oracle: the same rules written with plain loops over lists (x[n][k], s in 0..1).

    Within a round: demanders pull towards their round-start positions; the outcome that caps a
    shift on issue p for demander i is the round-start outcome plus the shifts made in i's
    favour on p by others and the mover's own; suppliers never reverse.
    Returns (final positions, list of (round, i, j, p, q, gain))."""
    n, k = len(x), len(x[0])
    start = [row[:] for row in x]
    log = []

    def outcome(pos, m):
        w = sum(c[a] * s[a][m] for a in range(n))
        return sum(c[a] * s[a][m] * pos[a][m] for a in range(n)) / w

    for t in range(1, rounds + 1):
        pos = [row[:] for row in start]
        x0 = [row[:] for row in start]
        o0 = [outcome(x0, m) for m in range(k)]
        w = [sum(c[a] * s[a][m] for a in range(n)) for m in range(k)]
        given = {}  # (demander, issue) -> {supplier: outcome shift made in its favour}
        cands = []
        for p in range(k):
            for q in range(p + 1, k):
                for a in range(n):
                    for b in range(a + 1, n):
                        cross = s[a][p] * s[b][q] - s[b][p] * s[a][q]
                        if cross == 0:
                            continue
                        i, j = (a, b) if cross > 0 else (b, a)
                        opp = all((x0[a][m] - o0[m]) * (x0[b][m] - o0[m]) < 0 for m in (p, q))
                        cares = min(s[a][p], s[a][q], s[b][p], s[b][q]) > 0
                        if opp and cares and c[a] > 0 and c[b] > 0:
                            cands.append((i, j, p, q))

        made = False
        while cands:
            scored = []
            for (i, j, p, q) in cands:
                dp_dir, dq_dir = sign(x0[i][p] - pos[j][p]), sign(x0[j][q] - pos[i][q])
                if dp_dir != sign(o0[p] - x0[j][p]) or dq_dir != sign(o0[q] - x0[i][q]):
                    continue
                op, oq = (seen(given, pos, x0, o0, w, c, s, i, p, j),
                          seen(given, pos, x0, o0, w, c, s, j, q, i))
                cap_p = min(abs(x0[i][p] - pos[j][p]) * c[j] * s[j][p] / w[p],
                            max(0.0, (x0[i][p] - op) * dp_dir))
                cap_q = min(abs(x0[j][q] - pos[i][q]) * c[i] * s[i][q] / w[q],
                            max(0.0, (x0[j][q] - oq) * dq_dir))
                r = (s[i][p] + s[j][p]) / (s[i][q] + s[j][q])
                d_p = min(cap_p, cap_q / r)
                gain = d_p * (s[i][p] * s[j][q] - s[i][q] * s[j][p]) / (s[i][q] + s[j][q])
                if gain > tol:
                    scored.append((gain, (i, j, p, q), d_p, r * d_p, dp_dir, dq_dir))
            cands = [e[1] for e in scored]
            if not scored:
                break
            best = max(scored, key=lambda e: e[0])  # first of equal gains, as in the model
            gain, (i, j, p, q), d_p, d_q, dp_dir, dq_dir = best
            pos[j][p] += dp_dir * d_p * w[p] / (c[j] * s[j][p])
            pos[i][q] += dq_dir * d_q * w[q] / (c[i] * s[i][q])
            given.setdefault((i, p), {})[j] = c[j] * s[j][p] * (pos[j][p] - x0[j][p]) / w[p]
            given.setdefault((j, q), {})[i] = c[i] * s[i][q] * (pos[i][q] - x0[i][q]) / w[q]
            cands.remove((i, j, p, q))
            log.append((t, i, j, p, q, gain))
            made = True
        for a in range(n):
            for m in range(k):
                keep = (1 - s[a][m]) * sw + fw
                start[a][m] += keep * (pos[a][m] - start[a][m])
        if not made:
            break
    return start, log


def test_two_actors_by_hand():
    """A at (0, 0) with saliences (.8, .2), B at (100, 100) with (.2, .8), capability 1 each.
    O_p = (.8·0 + .2·100)/1 = 20, O_q = (.2·0 + .8·100)/1 = 80: opposite sides on both.
    A cares relatively more about p, so B moves on p and A on q. Caps: B may shift O_p by
    100·.2/1 = 20 (to A's position) and O_p may move 20 (down to A's 0); likewise 20 on q.
    r = (.8 + .2)/(.2 + .8) = 1, δ_p = δ_q = 20; gain = 20·(.8·.8 − .2·.2)/(.2 + .8) = 12
    (A: .8·20 − .2·20 = 12; B: .8·20 − .2·20 = 12). B moves 20·1/.2 = 100 (to 0), A to 100.
    One round with full adoption: outcomes (0, 100)."""
    s = scenario([[0, 0], [100, 100]], [[80, 20], [20, 80]], [1, 1])
    f = make("exchange", rounds=1, salience_weight=0.0, fixed_weight=1.0).forecast(s)
    assert f.value("i0") == pytest.approx(0.0)
    assert f.value("i1") == pytest.approx(100.0)
    (ex,) = f.detail["exchanges"]
    assert (ex["i"], ex["j"], ex["i_gets"], ex["j_gets"]) == ("a0", "a1", "i0", "i1")
    assert ex["gain"] == pytest.approx(12.0)
    assert ex["j_moves"] == pytest.approx([100.0, 0.0])
    assert ex["i_moves"] == pytest.approx([0.0, 100.0])
    assert ex["outcome_shift"] == pytest.approx({"i0": -20.0, "i1": 20.0})


def test_decide_partial_adoption_by_hand():
    """Same pair, Decide's defaults: an actor keeps (1 − s)·0.4 + 0.1 of its move: B on p
    (s = .2) keeps .42 of −100 -> 58; A on q keeps .42 -> 42. O_p = .2·58 = 11.6,
    O_q = .2·42 + .8·100 = 88.4 after round 1."""
    s = scenario([[0, 0], [100, 100]], [[80, 20], [20, 80]], [1, 1])
    p = Exchange(rounds=1).predict(Batch.from_scenario(s))
    assert p.trajectory[0, 1] == pytest.approx([11.6, 88.4])
    assert p.positions_path[0, 1, 1, 0] == pytest.approx(58.0)


def test_outcome_cap_binds_by_hand():
    """A at (0, 0), saliences (.9, .1), capability 1; B at (100, 100), saliences (.1, .9),
    capability 9. W_p = .9 + 9·.1 = 1.8, O_p = (0·.9 + 100·.9)/1.8 = 50;
    W_q = .1 + 8.1 = 8.2, O_q = 810/8.2 = 98.78. On p, B could shift O_p by 100·.9/1.8 = 50 and
    O_p may move 50 (to A at 0): cap_p = 50. On q, A could shift O_q by 100·.1/8.2 = 1.2195,
    O_q may move 100 − 98.78 = 1.2195: cap_q = 10/8.2. r = (.9 + .1)/(.1 + .9) = 1, so
    δ_p = min(50, 10/8.2) = 1.2195 = δ_q, gain = 1.2195·(.81 − .01)/1 = 0.9756."""
    s = scenario([[0, 0], [100, 100]], [[90, 10], [10, 90]], [1, 9])
    f = make("exchange", rounds=1, salience_weight=0.0, fixed_weight=1.0).forecast(s)
    (ex,) = f.detail["exchanges"]
    assert ex["gain"] == pytest.approx(10 / 8.2 * 0.8)
    assert f.value("i1") == pytest.approx(100.0)  # A moved all the way to B on q
    assert f.value("i0") == pytest.approx(50 - 10 / 8.2)


def test_no_exchange_equals_compromise():
    """Saliences in the same proportion for every actor: no relative advantage, no trade; the
    forecast is the weighted mean (the compromise model), converged in round 1."""
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 100, (6, 3))
    s = np.outer(rng.uniform(10, 100, 6), [1.0, 0.5, 0.25])
    sc = scenario(x.tolist(), s.tolist(), rng.uniform(1, 5, 6).tolist())
    f = standoff.forecast(sc, "exchange")
    c = standoff.forecast(sc, "compromise")
    assert f.detail["exchanges"] == []
    for a, b in zip(f.issues, c.issues, strict=True):
        assert a.value == pytest.approx(b.value)
        assert a.converged and a.rounds == 0


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_loop_oracle(seed):
    """The vectorised batch (4 random scenarios at once) against the plain-loop oracle."""
    rng = np.random.default_rng(seed)
    n, k, bsz = 5, 3, 4
    scen = [scenario(rng.uniform(0, 100, (n, k)).round(1).tolist(),
                     rng.uniform(5, 100, (n, k)).round(1).tolist(),
                     rng.uniform(1, 10, n).round(2).tolist()) for _ in range(bsz)]
    model = Exchange(rounds=3)
    pred = model.predict(Batch.from_scenarios(scen), labels=True)
    for b, sc in enumerate(scen):
        batch = Batch.from_scenario(sc)
        pos, log = reference(batch.positions[0].tolist(), batch.salience[0].tolist(),
                             batch.capability[0].tolist(), 3, 0.4, 0.1)
        final = pred.positions_path[b, -1]
        assert final == pytest.approx(np.array(pos), abs=1e-9)
        got = [(e["round"], e["i"], e["j"], e["i_gets"], e["j_gets"], e["gain"])
               for e in pred.detail["exchanges"][b]]
        want = [(t, f"a{i}", f"a{j}", f"i{p}", f"i{q}", g) for t, i, j, p, q, g in log]
        assert [g[:5] for g in got] == [w[:5] for w in want]
        assert [g[5] for g in got] == pytest.approx([w[5] for w in want])


def test_gains_are_equal_and_moves_consistent():
    """Every reported exchange: i's gain s_ip·|δ_p| − s_iq·|δ_q| equals j's gain
    s_jq·|δ_q| − s_jp·|δ_p| equals the reported gain; each mover stays on the scale."""
    rng = np.random.default_rng(11)
    sc = scenario(rng.uniform(0, 100, (7, 4)).tolist(), rng.uniform(5, 100, (7, 4)).tolist(),
                  rng.uniform(1, 10, 7).tolist())
    f = standoff.forecast(sc, "exchange", rounds=2)
    assert f.detail["exchanges"]
    sal = {a.id: {i: a.salience[i].mode / 100 for i in sc.issue_ids} for a in sc.actors}
    for e in f.detail["exchanges"]:
        p, q = e["i_gets"], e["j_gets"]
        dp, dq = abs(e["outcome_shift"][p]), abs(e["outcome_shift"][q])
        gi = sal[e["i"]][p] * dp - sal[e["i"]][q] * dq
        gj = sal[e["j"]][q] * dq - sal[e["j"]][p] * dp
        assert gi == pytest.approx(e["gain"]) and gj == pytest.approx(e["gain"])
        assert all(0 - 1e-9 <= v <= 100 + 1e-9 for v in e["i_moves"] + e["j_moves"])


def test_relabelling_actors_changes_nothing():
    """Reversing the actor order gives the same forecast (no ties in random data)."""
    rng = np.random.default_rng(5)
    x, s, c = rng.uniform(0, 100, (6, 3)), rng.uniform(5, 100, (6, 3)), rng.uniform(1, 9, 6)
    a = standoff.forecast(scenario(x.tolist(), s.tolist(), c.tolist()), "exchange")
    b = standoff.forecast(scenario(x[::-1].tolist(), s[::-1].tolist(), c[::-1].tolist()),
                          "exchange")
    assert [f.value for f in a.issues] == pytest.approx([f.value for f in b.issues])


def test_one_issue_has_nothing_to_trade():
    """With one issue no exchange exists: the forecast is the weighted mean."""
    one = scenario([[10], [90]], [[50], [50]], [1, 3])
    f = standoff.forecast(one, "exchange")
    assert f.value("i0") == pytest.approx((10 + 270) / 4)
    assert f.detail["exchanges"] == []


def test_bad_parameters_are_user_errors():
    with pytest.raises(standoff.StandoffError):
        make("exchange", rounds=0)
    with pytest.raises(standoff.StandoffError):
        make("exchange", salience_weight=0.8, fixed_weight=0.5)


def test_cop21(shared_data):
    """COP21 (15 negotiating groups, 13 issues) from the Decide file: runs Decide's defaults
    (10 rounds); every exchange is between actors on opposite sides, each gains, and the
    forecast stays on the 0..100 scales.

    Round 1 against Decide's own output for this case (data/input/CoP21.compare.csv of the
    Decide exchange model repository, foarsitter/decide-exchange-model): Decide makes 128
    exchanges, so does Standoff; the first three are (actor, issue it gives way on, from -> to,
    gain): USA eaa 100 -> 0 with China finance-vol 100 -> 10.7861, gain 2.19072; USA finance-who
    80 -> 0 with China differentiation 80 -> 29.5148, 1.7956; USA adapt-legal 30 -> 78.678 with
    Arab states finance-vol 100 -> 0, 1.38726."""
    from standoff.scenario.formats import read_decide

    cop = read_decide(shared_data / "decide-cop21.csv")
    f = standoff.forecast(cop, "exchange")
    ex = f.detail["exchanges"]
    assert len(ex) > 100
    assert all(e["gain"] > 0 for e in ex)
    first = ex[0]
    assert (first["i"], first["j"], first["i_gets"], first["j_gets"]) == \
        ("usa", "china", "finance-vol", "eaa")
    assert all(0 <= v.value <= 100 for v in f.issues)
    one = standoff.forecast(cop, "exchange", rounds=1).detail["exchanges"]
    assert len(one) == 128
    decide = [(("usa", "eaa", 100, 0), ("china", "finance-vol", 100, 10.7861), 2.19072),
              (("usa", "finance-who", 80, 0), ("china", "differentiation", 80, 29.5148), 1.7956),
              (("usa", "adapt-legal", 30, 78.678), ("arab-statess", "finance-vol", 100, 0),
               1.38726)]
    for e, (a, b, gain) in zip(one, decide, strict=False):
        moved = {(e["i"], e["j_gets"]): e["i_moves"], (e["j"], e["i_gets"]): e["j_moves"]}
        for actor, issue, start, end in (a, b):
            assert moved[(actor, issue)] == pytest.approx([start, end], abs=1e-4)
        assert e["gain"] == pytest.approx(gain, abs=1e-5)
    # ALBA has no data on amb2050/amb2100: it never trades on them
    assert not any(e["i"] == "alba" or e["j"] == "alba" for e in ex
                   if {"amb2050", "amb2100"} & {e["i_gets"], e["j_gets"]})


def random_batch(seed: int, bsz: int, n: int, k: int) -> Batch:
    rng = np.random.default_rng(seed)
    return Batch(rng.uniform(0, 100, (bsz, n, k)).round(1), rng.uniform(0.05, 1, (bsz, n, k)),
                 rng.uniform(1, 10, (bsz, n)), np.zeros(k), np.full(k, 100.0), np.full(k, np.nan),
                 tuple(f"a{i}" for i in range(n)), tuple(f"i{i}" for i in range(k)))


@pytest.mark.parametrize("seed", range(3))
def test_unlabelled_run_gives_the_labelled_numbers(seed):
    """A batch run without labels (as Monte Carlo runs it) gives the same positions, trajectory,
    rounds and convergence as with labels, and no exchange lists; with labels, every round that
    counts as one had at least one exchange."""
    b = random_batch(seed, 8, 5, 3)
    bare, named = Exchange(rounds=6).predict(b), Exchange(rounds=6).predict(b, labels=True)
    assert bare.positions_path.tolist() == named.positions_path.tolist()
    assert bare.trajectory.tolist() == named.trajectory.tolist()
    assert (bare.rounds == named.rounds).all() and (bare.converged == named.converged).all()
    assert all(e == [] for e in bare.detail["exchanges"])
    for d in range(8):
        assert max((e["round"] for e in named.detail["exchanges"][d]), default=0) == named.rounds[d, 0]


def test_forecast_labels_and_keeps_the_round_table(shared_data):
    """COP21: the forecast (labelled) has the same round-by-round trajectory as an unlabelled
    predict, and as the run without the convergence rule (COP21 does not converge in 10 rounds:
    its positions still move by more than 10⁻⁶ of the range)."""
    from standoff.scenario.formats import read_decide

    cop = read_decide(shared_data / "decide-cop21.csv")
    f = make("exchange").forecast(cop)
    bare = make("exchange").predict(Batch.from_scenario(cop))
    fixed = make("exchange", converge=False).predict(Batch.from_scenario(cop))
    assert len(f.detail["exchanges"]) > 100 and list(bare.detail["exchanges"][0]) == []
    table = np.array([list(i.trajectory) for i in f.issues]).T
    assert table.tolist() == bare.trajectory[0].tolist() == fixed.trajectory[0].tolist()
    assert bare.rounds[0, 0] == 10 and not bare.converged[0, 0]


@pytest.mark.parametrize("seed", range(3))
def test_converged_draws_equal_the_fixed_round_run(seed):
    """Small random cases (3 actors, 2 issues) over 60 rounds: a draw stops when a round has no
    exchange (then nothing moves again) or when no position moved more than 10⁻⁶ of the range in
    two consecutive rounds; its forecast stays within 10⁻⁵ of the range of the run without the
    convergence rule, and every draw that run stops, this one stops too (no later); the others
    run all 60 rounds."""
    b = random_batch(20 + seed, 60, 3, 2)
    conv = Exchange(rounds=60).predict(b)
    fixed = Exchange(rounds=60, converge=False).predict(b)
    done, exact = conv.converged[:, 0], fixed.converged[:, 0]
    assert done.any() and (done >= exact).all()
    assert (conv.rounds[exact] <= fixed.rounds[exact]).all()
    assert conv.values[done] == pytest.approx(fixed.values[done], abs=1e-3)
    assert (conv.rounds[~done] == 60).all() and (conv.rounds[done] < 60).all()


def test_a_coarse_tolerance_stops_every_draw_after_two_rounds():
    """converge_tol = 1 (the whole range): no move can exceed it, so every draw stops after two
    rounds, with the forecast of a two-round run."""
    b = random_batch(7, 5, 5, 3)
    coarse = Exchange(rounds=10, converge_tol=1.0).predict(b)
    two = Exchange(rounds=2, converge=False).predict(b)
    assert coarse.trajectory.shape[1] == 3 and coarse.converged.all()
    assert coarse.values.tolist() == two.values.tolist()
