"""The expected utility model's stop at convergence and its blocked round: converged draws agree
with the fixed-round runs, stopped draws leave the batch without changing the others, and the
round run in blocks of senders equals the round on every dyad at once."""

from __future__ import annotations

import numpy as np
import pytest

import standoff
from standoff.models import Batch, make
from standoff.models.eum import CHOICES, PRESETS, run_rounds


def _random_rows(gen, m, n, grid=False):
    x = gen.integers(0, 20, (m, n)).astype(float) if grid else np.round(gen.uniform(0, 100, (m, n)), 1)
    return x, gen.uniform(0.1, 1.0, (m, n)), gen.uniform(0.1, 1.0, (m, n))


# --------------------------------------------------------------------------- converge and stop


@pytest.mark.parametrize("q", [1.0, 0.5])
def test_converged_draws_equal_the_fixed_round_runs_paper_preset(q):
    """120 random scenarios of 2-14 actors (seeded), 'paper' preset, 10 rounds: every draw that
    stops at convergence (no actor moved more than 1e-6·R in two consecutive rounds) has the
    fixed-round run's path up to its stop, bit for bit, and a final position within 1e-6·R of the
    fixed-round forecast; some draws converge and some run to the cap."""
    gen = np.random.default_rng(20)
    kw = dict(rounds=10, q=q, t=None, keep_dyads=False, **PRESETS["paper"])
    stopped = capped = 0
    for _ in range(6):
        x, c, s = _random_rows(gen, 20, int(gen.integers(2, 15)))
        fixed = run_rounds(x, c, s, tol=-1.0, **kw)
        conv = run_rounds(x, c, s, tol=0.0, converge_tol=1e-6, **kw)
        r = np.ptp(x, axis=1)
        for b in range(20):
            t = conv["rounds"][b]
            np.testing.assert_array_equal(conv["positions"][b, :t + 1], fixed["positions"][b, :t + 1])
            if conv["converged"][b]:
                stopped += t < 10
                gap = np.abs(conv["positions"][b, -1] - fixed["positions"][b, -1]).max()
                assert gap <= 1e-6 * r[b]
            else:
                capped += 1
                assert t == 10
    assert stopped > 0 and capped > 0


def test_converged_forecast_is_the_fixed_round_path_at_the_stop():
    """On random scenarios under every preset, a stopped draw's forecast is the fixed-round run's
    position at the round where it stopped, held to the end of the trajectory, and the two rounds
    before the stop moved no actor more than 1e-6·R (or the last round moved none)."""
    gen = np.random.default_rng(21)
    for preset in PRESETS:
        kw = dict(rounds=10, q=1.0, t=None, keep_dyads=False, **PRESETS[preset])
        x, c, s = _random_rows(gen, 40, 8)
        fixed = run_rounds(x, c, s, tol=-1.0, **kw)
        conv = run_rounds(x, c, s, tol=0.0, converge_tol=1e-6, **kw)
        r = np.ptp(x, axis=1)
        for b in np.flatnonzero(conv["converged"] & (conv["rounds"] < 10)):
            t = conv["rounds"][b]
            path = conv["positions"][b]
            np.testing.assert_array_equal(path[t:], np.repeat(fixed["positions"][b, t][None], 11 - t, 0))
            moves = np.abs(np.diff(fixed["positions"][b, :t + 1], axis=0)).max(axis=1) / r[b]
            assert moves[-1] == 0 or (t >= 2 and moves[-2:].max() <= 1e-6)


def test_built_in_cases_converge_to_the_fixed_round_forecast():
    """Every built-in case with the default model (scholz2011, converge on) against converge off:
    where a case converged, its forecast on every issue is within 1e-6 of the issue's position
    range of the fixed-round forecast; where it did not, the two are identical."""
    for case in standoff.cases():
        s = standoff.load(case if isinstance(case, str) else case.id)
        batch = Batch.from_scenario(s)
        on = make("eum", keep_dyads=False).predict(batch)
        off = make("eum", keep_dyads=False, converge=False).predict(batch)
        span = np.ptp(batch.positions, axis=1)  # [1, K]
        gap = np.abs(on.values - off.values)
        assert np.all(gap[on.converged] <= 1e-6 * span[on.converged] + 1e-12)
        np.testing.assert_array_equal(on.values[~on.converged], off.values[~on.converged])


def test_the_mask_leaves_each_draw_as_it_runs_alone():
    """EC draws with France and Germany uncertain (the benchmark case, seed 5), 'paper' preset with
    the all-pairs probability: some stop at convergence, others cycle to the round cap; in one
    batch each draw's path, rounds and flag equal its run alone."""
    from standoff.analysis.montecarlo import chunk_draws
    from standoff.analysis.space import Space

    space = Space.build(standoff.load(str(_case_file())))
    member, u = chunk_draws(space, 5, 0, 400)
    batch = space.batch(space.draw(member, u))
    model = make("eum", preset="paper", probability="all-pairs", rounds=30, keep_dyads=False)
    together = model.predict(batch)
    conv = together.converged[:, 0]
    early = np.flatnonzero(conv & (together.rounds[:, 0] < 30))
    cycling = np.flatnonzero(~conv)
    assert early.size and cycling.size
    picks = [int(early[0]), int(cycling[0])]
    pair = model.predict(_rows(batch, picks))
    for k, b in enumerate(picks):
        alone = model.predict(_rows(batch, [b]))
        for got in (pair, together):
            row = k if got is pair else b
            np.testing.assert_array_equal(got.positions_path[row], alone.positions_path[0])
            assert got.rounds[row, 0] == alone.rounds[0, 0] and got.converged[row, 0] == alone.converged[0, 0]
    assert pair.rounds[1, 0] == 30 and not pair.converged[1, 0]


def test_a_negative_tol_runs_every_round_whatever_converge_says():
    """The published-table path (tol = −1) runs all 8 rounds with convergence on or off."""
    f_on = standoff.forecast("ec-emissions-1994", "eum", preset="scholz2011", rounds=8, tol=-1)
    f_off = standoff.forecast("ec-emissions-1994", "eum", preset="scholz2011", rounds=8, tol=-1,
                              converge=False)
    assert f_on.issues[0].rounds == 8 and f_on.issues[0].trajectory == f_off.issues[0].trajectory


def _case_file():
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "benchmarks" / "ec-emissions-uncertain.yaml"


def _rows(batch: Batch, rows: list[int]) -> Batch:
    return Batch(batch.positions[rows], batch.salience[rows], batch.capability[rows], batch.low,
                 batch.high, batch.status_quo, batch.actor_ids, batch.issue_ids)


# --------------------------------------------------------------------------- blocks of dyads


@pytest.mark.parametrize("seed", range(6))
def test_blocked_round_equals_the_unblocked_round(seed):
    """Random scenarios of 33-90 actors (above SMALL_N, so blocks apply), 1-3 rows, random
    choices of every option (Q, T, perspective, probability, priority...), dyads kept or not, and
    blocks whose size rarely divides N: every output equals the round on all dyads at once,
    bit for bit."""
    gen = np.random.default_rng(100 + seed)
    for _ in range(4):
        n, m = int(gen.integers(33, 91)), int(gen.integers(1, 4))
        x, c, s = _random_rows(gen, m, n, grid=bool(gen.random() < 0.5))
        opt = {k: gen.choice(v).item() for k, v in CHOICES.items()}
        opt.update(numerator="positive", capitulation=bool(gen.random() < 0.7))
        kw = dict(rounds=3, tol=-1.0, q=float(gen.choice([1.0, 0.5, 0.0])),
                  t=[None, None, 0.5][int(gen.integers(3))], keep_dyads=bool(gen.random() < 0.5), **opt)
        whole = run_rounds(x, c, s, **kw)
        blocked = run_rounds(x, c, s, block_elements=int(gen.integers(50, n * n * m)), **kw)
        assert whole.keys() == blocked.keys()
        for key in whole:
            np.testing.assert_array_equal(blocked[key], whole[key], err_msg=f"{key}, N = {n}, {kw}")


def test_the_model_blocks_large_rows_with_the_same_forecast():
    """150 actors: chunk_elements = 7,000 runs blocks of 46 senders (150 = 3·46 + 12) against the
    default (one row of 22,500 dyads in one go), under both presets, dyads kept: the same paths,
    dyads and offers."""
    gen = np.random.default_rng(7)
    x, c, s = _random_rows(gen, 1, 150)
    for preset in PRESETS:
        whole = make("eum", preset=preset, rounds=4).predict_issue(x, c, s)
        blocked = make("eum", preset=preset, rounds=4, chunk_elements=7_000).predict_issue(x, c, s)
        np.testing.assert_array_equal(blocked.positions_path, whole.positions_path)
        for key in ("eu_sender", "eu_receiver", "offer", "accepted", "risk"):
            np.testing.assert_array_equal(blocked.detail[key], whole.detail[key])


def test_monte_carlo_reports_convergence_and_rounds():
    """Monte Carlo of 300 draws of the benchmark case ('paper' preset, offers by class, where draws
    converge): the summary's share of converged draws and rounds per draw (mean, max) equal those
    of the same draws (chunk 0 of seed 9) run through the model directly; the median model, which
    has no rounds, reports none, and the command's line names them."""
    from standoff.analysis.montecarlo import chunk_draws, monte_carlo, rounds_line, to_dict
    from standoff.analysis.space import Space

    s = standoff.load(str(_case_file()))
    model = make("eum", preset="paper", offer_priority="class", keep_dyads=False)
    mc = monte_carlo(s, model, draws=300, seed=9)
    space = Space.build(s)
    pred = model.predict(space.batch(space.draw(*chunk_draws(space, 9, 0, 300))))
    (row,) = to_dict(mc)["rounds"]
    assert row == {"issue": "emissions-date", "converged": float(pred.converged[:, 0].mean()),
                   "rounds_mean": float(pred.rounds[:, 0].mean()), "rounds_max": int(pred.rounds.max())}
    assert 0 < row["converged"] and row["rounds_mean"] < 10
    assert rounds_line(to_dict(mc)).startswith(f"rounds: emissions-date: {row['converged']:.1%} of draws")
    assert to_dict(monte_carlo(s, "median", draws=10, seed=9))["rounds"] is None
