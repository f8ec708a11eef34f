"""The case library: every case is dated before its outcome, and every outcome after its case."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from standoff.backtest.library import library, load_with_outcomes, outcomes_path, read_outcomes
from standoff.data import case_path
from standoff.errors import ScenarioError, UnknownCaseError
from standoff.loading import load

CASES = library()


def test_the_library_lists_the_cases_with_recorded_outcomes():
    assert {"korea-2018", "korea-2019", "iran-2015", "cop21-2015", "brexit-2018",
            "china-1989", "ec-emissions-1994", "camp-david-2000", "doha-2008", "cyprus-2004",
            "six-party-2007"} <= set(CASES)
    assert [n for n in CASES if read_outcomes(n).retrospective] == ["china-1989",
                                                                     "ec-emissions-1994"]
    assert CASES == sorted(CASES)
    for name in CASES:
        assert case_path(name) is not None and outcomes_path(name) is not None


def _case_dates(name: str) -> dict[str, dt.date | None]:
    """Every source of the case file, with its date, read straight from the YAML."""
    raw = yaml.safe_load(case_path(name).read_text(encoding="utf-8"))
    return {s["id"]: s.get("date") for s in raw.get("sources", [])}


@pytest.mark.parametrize("name", CASES)
def test_every_source_of_a_case_is_dated_on_or_before_its_as_of_date(name):
    outcomes = read_outcomes(name)
    dates = _case_dates(name)
    assert dates, f"{name} cites no sources"
    if outcomes.retrospective:
        assert outcomes.note, "a retrospective case says why in its outcome file"
        pytest.skip(f"{name} is a replication: its figures were published after the decision")
    undated = [k for k, d in dates.items() if d is None]
    assert not undated, f"{name}: undated sources {undated}"
    late = {k: d for k, d in dates.items() if d > outcomes.as_of}
    assert not late, f"{name}: sources dated after the as-of date {outcomes.as_of}: {late}"
    events = load(name).events
    assert all(e.date <= outcomes.as_of for e in events if e.effects), "an effect after as-of"


def _named_outcome_problems(raw: dict, as_of: dt.date, *, retrospective: bool = False) -> list[str]:
    """Each named outcome of a raw case must cite a source of the case, dated on or before the
    as-of date (the package was discussed in public before the forecast). For a retrospective
    case only the citation is required: its figures were published after the decision."""
    dates = {s["id"]: s.get("date") for s in raw.get("sources", [])}
    problems = []
    for outcome in raw.get("outcomes", []):
        source = outcome.get("source")
        if source is None:
            problems.append(f"{outcome['id']}: cites no source")
        elif source not in dates:
            problems.append(f"{outcome['id']}: cites {source!r}, not a source of the case")
        elif retrospective:
            continue
        elif dates[source] is None:
            problems.append(f"{outcome['id']}: its source {source} is undated")
        elif dates[source] > as_of:
            problems.append(f"{outcome['id']}: its source {source} is dated {dates[source]}, "
                            f"after {as_of}")
    return problems


@pytest.mark.parametrize("name", CASES)
def test_every_named_outcome_was_discussed_in_public_by_the_as_of_date(name):
    """No hindsight in the packages: each named outcome cites a source dated on or before the
    as-of date (a retrospective case cites its published table, whatever its date)."""
    outcomes = read_outcomes(name)
    raw = yaml.safe_load(case_path(name).read_text(encoding="utf-8"))
    assert raw.get("outcomes"), f"{name} names no outcomes"
    problems = _named_outcome_problems(raw, outcomes.as_of, retrospective=outcomes.retrospective)
    assert not problems, f"{name}: {problems}"


def test_the_named_outcome_check_fails_on_a_planted_package():
    """korea-2019 passes; the same case with a package planted four ways fails four times: no
    source, an unknown source, an undated source, and a source dated after 15 February 2019."""
    raw = yaml.safe_load(case_path("korea-2019").read_text(encoding="utf-8"))
    as_of = read_outcomes("korea-2019").as_of
    assert _named_outcome_problems(raw, as_of) == []
    deal = {"name": "Planted", "positions": {"denuclearization": 50}}
    raw["sources"] += [{"id": "undated", "title": "Undated"},
                       {"id": "late", "title": "Late", "date": dt.date(2019, 2, 28)}]
    raw["outcomes"] += [{"id": "no-source", **deal}, {"id": "unknown", "source": "nowhere", **deal},
                        {"id": "undated-package", "source": "undated", **deal},
                        {"id": "late-package", "source": "late", **deal}]
    problems = _named_outcome_problems(raw, as_of)
    assert [p.split(":")[0] for p in problems] == ["no-source", "unknown", "undated-package",
                                                    "late-package"]
    assert "dated 2019-02-28, after 2019-02-15" in problems[3]
    # a retrospective case needs the citation only
    assert [p.split(":")[0] for p in _named_outcome_problems(raw, as_of, retrospective=True)] == \
        ["no-source", "unknown"]


@pytest.mark.parametrize("name", CASES)
def test_every_outcome_source_is_dated_after_the_as_of_date(name):
    outcomes = read_outcomes(name)
    assert outcomes.sources
    for source in outcomes.sources:
        assert source.date is not None and source.date > outcomes.as_of, source.id
    cited = {r.source for r in outcomes.recorded}
    assert cited <= {s.id for s in outcomes.sources}
    for rec in outcomes.recorded:
        assert rec.date > outcomes.as_of and rec.description


@pytest.mark.parametrize("name", CASES)
def test_the_loaded_case_is_as_of_its_date_with_the_outcomes_filled_in(name):
    s = load_with_outcomes(name)
    outcomes = read_outcomes(name)
    assert s.date == outcomes.as_of
    assert s.recorded == outcomes.recorded
    assert not load(name).recorded, "a case file must not carry its own outcome"
    assert any(r.outcome for r in s.recorded), "each case records a named outcome"
    assert any(r.issue for r in s.recorded), "each case records a value on an issue"


def test_korea_2018_records_the_singapore_statement():
    """Singapore, 12 June 2018: 20 / 10 / 45 / 30 on the four scales; nearest deal by the case's
    rule (RMS over the four issues): freeze-for-freeze (20, 10, 45, 25) is
    sqrt((0 + 0 + 0 + 5²) / 4) = 2.5 away."""
    s = load_with_outcomes("korea-2018")
    values = {r.issue: r.value for r in s.recorded if r.issue}
    assert values == {"denuclearization": 20, "sanctions-relief": 10, "us-forces": 45,
                      "security-guarantees": 30}
    assert [r.outcome for r in s.recorded if r.outcome] == ["freeze-for-freeze"]
    assert s.date == dt.date(2018, 5, 22)


def test_an_unknown_case_or_a_bad_outcome_file_is_a_user_error(tmp_path, monkeypatch):
    with pytest.raises(UnknownCaseError):
        read_outcomes("no-such-case")
    import standoff.backtest.library as lib

    bad = tmp_path / "korea-2018.yaml"
    text = outcomes_path("korea-2018").read_text(encoding="utf-8")
    bad.write_text(text.replace("issue: us-forces, value: 45", "issue: us-forces, value: 145"),
                   encoding="utf-8")
    monkeypatch.setattr(lib, "outcomes_path", lambda name: bad)
    with pytest.raises(ScenarioError) as err:
        load_with_outcomes("korea-2018")
    assert err.value.file == str(bad)
    assert err.value.problems[0].where == "recorded[2].value"
    assert err.value.problems[0].line is not None


@pytest.mark.parametrize("name", CASES)
def test_every_library_case_runs_through_every_model(name):
    """Each forecast lands on the issue's scale and names one of the case's deals."""
    from standoff.models import available, make

    s = load_with_outcomes(name)
    deals = {o.id for o in s.outcomes if o.kind == "deal"}
    for model in available():
        f = make(model).forecast(s)
        for issue in s.issues:
            assert issue.min - 1e-9 <= f.value(issue.id) <= issue.max + 1e-9, (model, issue.id)
        assert f.nearest_outcome in deals


def test_the_china_case_is_the_shared_table(reference_data):
    """Every row of the bundled bdm-china-1989.csv is an actor of china-1989 with the same
    resources, position and salience, in the same order."""
    import csv

    rows = list(csv.DictReader((reference_data / "bdm-china-1989.csv").open(encoding="utf-8")))
    s = load("china-1989")
    assert len(rows) == len(s.actors) == 24
    for row, actor in zip(rows, s.actors, strict=True):
        assert actor.capability.mode == float(row["Resources"]), actor.id
        assert actor.positions["liberalization"].mode == float(row["Position"]), actor.id
        assert actor.salience["liberalization"].mode == float(row["Salience"]), actor.id


def _first_commit(path) -> str | None:
    import subprocess

    try:
        out = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--", str(path)],
                             cwd=path.parent, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    commits = out.stdout.split()
    return commits[-1] if out.returncode == 0 and commits else None


@pytest.mark.parametrize("name", CASES)
def test_each_case_was_committed_before_its_outcome(name):
    """In the repository's history, the commit that added the case file is a strict ancestor of
    the commit that added its outcome file."""
    import subprocess

    case, outcome = _first_commit(case_path(name)), _first_commit(outcomes_path(name))
    if case is None or outcome is None:
        pytest.skip("not a git checkout, or the files are not committed yet")
    assert case != outcome, f"{name}: case and outcome added in the same commit"
    r = subprocess.run(["git", "merge-base", "--is-ancestor", case, outcome],
                       cwd=case_path(name).parent, timeout=20)
    assert r.returncode == 0, f"{name}: the outcome was committed before the case"


def _recorded_named(name: str):
    s = load_with_outcomes(name)
    return s, next(r.outcome for r in s.recorded if r.outcome)


@pytest.mark.parametrize("name", CASES)
def test_a_case_that_ended_without_agreement_records_its_reversion_point(name):
    """Each case marks at most one named outcome `no_agreement`; where that is the recorded
    outcome, every recorded issue value equals the outcome's position (the reversion point)."""
    s, named = _recorded_named(name)
    marked = [o for o in s.outcomes if o.no_agreement]
    assert len(marked) <= 1
    if marked and named == marked[0].id:
        values = {r.issue: r.value for r in s.recorded if r.issue}
        assert values == {i: pytest.approx(x) for i, x in marked[0].positions.items()}


@pytest.mark.parametrize("name", CASES)
def test_the_no_agreement_package_sits_at_the_reversion_point(name):
    """With no agreement the instruments in force hold (docs/case-library.md), so a package
    marked `no_agreement` is the status quo of every issue, as of the case's as-of date."""
    s = load_with_outcomes(name)
    for o in (o for o in s.outcomes if o.no_agreement):
        sq = {i.id: i.status_quo.mode for i in s.issues if i.status_quo is not None}
        assert {k: pytest.approx(v) for k, v in o.positions.items()} == \
            {k: sq[k] for k in o.positions}, (name, o.id)


def test_enough_cases_ended_without_agreement_to_score_p_no_deal():
    """Camp David 2000, the Doha ministerial of July 2008, the Annan plan of 2004 and Hanoi 2019
    ended without agreement; the Six-Party talks of February 2007 ended in one."""
    ended = {}
    for name in CASES:
        s, named = _recorded_named(name)
        ended[name] = any(o.no_agreement and o.id == named for o in s.outcomes)
    assert {n for n, no_deal in ended.items() if no_deal} >= {"camp-david-2000", "doha-2008",
                                                               "cyprus-2004", "korea-2019"}
    assert not ended["six-party-2007"] and not ended["iran-2015"]
    for name in ("camp-david-2000", "doha-2008", "cyprus-2004"):
        s = load_with_outcomes(name)
        sq = {i.id: i.status_quo.mode for i in s.issues}
        assert {r.issue: r.value for r in s.recorded if r.issue} == sq, name


def test_families_group_a_negotiation_with_its_sequels():
    """Both US-North Korea summit cases share a family; every other case is its own family."""
    from standoff.backtest.library import family

    families = {name: family(name) for name in CASES}
    assert families["korea-2018"] == families["korea-2019"] == "us-dprk-summits"
    others = [n for n in CASES if n not in ("korea-2018", "korea-2019")]
    assert len({families[n] for n in others}) == len(others)
    assert "us-dprk-summits" not in {families[n] for n in others}
