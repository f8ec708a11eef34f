"""Capability paths for the dynamics models: declared on a group, observed through events, or
derived from a record of missile tests; and the power path p_t sampled from two of them.

A path is a sorted tuple of (date, value) points on the scale of the group's summed member
capability. Between points it is linear; before the first and after the last it is flat unless
extrapolated with the recent trend (`extrapolate`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from standoff import lazy
from standoff.errors import ModelError, StandoffError
from standoff.scenario import Scenario
from standoff.scenario.core import apply_effect
from standoff.scenario.schema import CapabilityPoint

pd = lazy.load("pandas")

Points = tuple[tuple[dt.date, float], ...]

#: weight of one successful test by missile type (longer reach counts more); see dynamics.md
DEFAULT_TEST_WEIGHTS: Mapping[str, float] = {"SRBM": 0.25, "MRBM": 0.5, "IRBM": 1.0, "SLBM": 1.0,
                                             "ICBM": 2.0, "HGV": 1.0, "SLV": 0.5, "Unknown": 0.0}


def group_capability(scenario: Scenario, group: str) -> float:
    """The group's capability now: the sum of its members' capability (modes)."""
    members = scenario.members(group)
    if not members:
        raise ModelError(f"group {group!r} has no member actors", where="--between",
                         fix="pick a group with actors, or give it a capability_path")
    return float(sum(a.capability.mode for a in members))


def observed_points(scenario: Scenario, group: str) -> Points:
    """The group's capability at the scenario's date and after each later event that changes a
    member's capability (the events' declared effects)."""
    members = {a.id for a in scenario.members(group)}
    actors = {a.id: a for a in scenario.actors}
    start = scenario.as_of_date or scenario.baseline
    points = [(start, sum(actors[m].capability.mode for m in members))]
    for event in scenario.events:
        if event.date <= start:
            continue
        touched = False
        for effect in event.effects:
            if effect.field == "capability" and effect.actor in members:
                actors[effect.actor] = apply_effect(actors[effect.actor], effect)
                touched = True
        if touched:
            value = sum(actors[m].capability.mode for m in members)
            if points[-1][0] == event.date:
                points[-1] = (event.date, value)
            else:
                points.append((event.date, value))
    return tuple(points)


def declared_points(scenario: Scenario, group: str) -> Points:
    return tuple((p.date, p.value) for p in scenario.group(group).capability_path)


def capability_points(scenario: Scenario, group: str) -> tuple[Points, str]:
    """The group's path and where it came from: its declared `capability_path`, else the
    capability observed through events (constant if no event changes it)."""
    declared = declared_points(scenario, group)
    if declared:
        return declared, "declared"
    observed = observed_points(scenario, group)
    return observed, "events" if len(observed) > 1 else "constant"


def extrapolate(points: Points, until: dt.date, window_days: int = 730) -> Points:
    """The path extended to `until` along the least-squares slope of its points within
    `window_days` of its last point (flat if fewer than two points fall in the window)."""
    if not points or until <= points[-1][0]:
        return points
    last = points[-1][0]
    recent = [(d, v) for d, v in points if (last - d).days <= window_days]
    if len(recent) < 2:
        return points
    x = np.array([(d - last).days for d, _ in recent], dtype=float)
    y = np.array([v for _, v in recent], dtype=float)
    slope = np.polyfit(x, y, 1)[0]
    value = max(points[-1][1] + slope * (until - last).days, 0.0)
    return (*points, (until, float(value)))


def sample(points: Points, dates: Sequence[dt.date]) -> np.ndarray:
    """Linear interpolation of the path at `dates` (flat outside its range)."""
    if not points:
        raise ModelError("an empty capability path", where="capability_path")
    x = np.array([d.toordinal() for d, _ in points], dtype=float)
    y = np.array([v for _, v in points], dtype=float)
    return np.interp([d.toordinal() for d in dates], x, y)


def period_dates(start: dt.date, periods: int, months: int) -> list[dt.date]:
    """`periods` dates `months` apart from `start` (day clipped to the month's length)."""
    if periods < 1 or months < 1:
        raise ModelError("the horizon needs at least one period of at least one month",
                         where="periods/months", fix="e.g. --param periods=12 --param months=6")
    return [(pd.Timestamp(start) + pd.DateOffset(months=k * months)).date() for k in range(periods)]


def power_path(cap_a: np.ndarray, cap_b: np.ndarray) -> np.ndarray:
    """p_t = c_A / (c_A + c_B): the chance A prevails, a ratio of capabilities (Fearon 1995 uses
    any increasing function; the ratio is the field's usual choice)."""
    total = cap_a + cap_b
    if np.any(total <= 0):
        raise ModelError("both sides have zero capability in some period", where="capability_path",
                         fix="give at least one side a positive capability")
    return cap_a / total


# --- missile tests -----------------------------------------------------------------------------

def read_missile_tests(path: str | Path) -> pd.DataFrame:
    """The CNS/NTI North Korea missile test table as (date, type, outcome), one row per missile.
    Dates like `9-Apr-84`; month-only dates (`Sep-84`) are read as the 1st of the month."""
    path = Path(path)
    if not path.is_file():
        raise StandoffError(f"no such file: {path}", file=str(path), where="missile tests",
                            fix="give the path of cns-dprk-missile-tests.csv")
    try:
        raw = pd.read_csv(path, dtype=str, encoding="utf-8")
    except UnicodeDecodeError:
        raw = pd.read_csv(path, dtype=str, encoding="cp1252")
    missing = [c for c in ("Date", "Missile Type", "Test Outcome") if c not in raw.columns]
    if missing:
        raise StandoffError(f"column {missing[0]!r} is missing", file=str(path), where="header",
                            fix="use the CNS North Korea Missile Test Database export")
    text = raw["Date"].fillna("").str.strip()
    date = pd.to_datetime(text, format="%d-%b-%y", errors="coerce")
    date = date.fillna(pd.to_datetime(text, format="%b-%y", errors="coerce"))
    bad = date.isna() & raw["Missile Type"].notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise StandoffError(f"unreadable date {text[bad].iloc[0]!r}", file=str(path), line=row,
                            where="Date", fix="write dates like 9-Apr-84")
    frame = pd.DataFrame({"date": date.dt.date, "type": raw["Missile Type"].fillna("Unknown").str.strip(),
                          "outcome": raw["Test Outcome"].fillna("Unknown").str.strip()})
    return frame[raw["Missile Type"].notna()].sort_values("date", kind="stable").reset_index(drop=True)


def missile_index(tests: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.Series:
    """Cumulative weighted count of successful tests, by date (failures and unknowns count 0)."""
    weights = dict(DEFAULT_TEST_WEIGHTS if weights is None else weights)
    ok = tests[tests["outcome"] == "Success"]
    score = ok["type"].map(lambda t: weights.get(t, 0.0)).astype(float)
    return score.groupby(ok["date"]).sum().cumsum()


def points_from_tests(tests: pd.DataFrame, base: float, at: dt.date, per_unit: float,
                      since: dt.date | None = None, weights: Mapping[str, float] | None = None
                      ) -> tuple[CapabilityPoint, ...]:
    """A capability path from a test record: `base` on date `at`, and before or after it
    `base + per_unit × (index(date) - index(at))`, where index is `missile_index`; only test dates
    from `since` up to `at` (the tests known on the scenario's date)."""
    index = missile_index(tests, weights)
    index = index[[d <= at and (since is None or d >= since) for d in index.index]]
    if index.empty:
        return (CapabilityPoint(date=at, value=base, note="no successful test in the window"),)
    now = float(index.iloc[-1])
    points = [CapabilityPoint(date=d, value=max(base + per_unit * (float(v) - now), 0.0),
                              note="from missile tests") for d, v in index.items() if d < at]
    points.append(CapabilityPoint(date=at, value=base, note="capability on the scenario date"))
    return tuple(points)


def tests_path(tests: pd.DataFrame, base: float, at: dt.date, since: dt.date, share: float,
               weights: Mapping[str, float] | None = None) -> Points:
    """The path `points_from_tests` gives when the successful tests from `since` to `at` account
    for a `share` of the capability `base` on `at` (so the capability on `since` was
    base × (1 - share)): per unit of the index, share × base / (index gained in the window)."""
    if not 0 <= share <= 1:
        raise ModelError(f"test_share {share:g} must lie in 0..1", where="--param test_share")
    index = missile_index(tests, weights)
    window = index[[since <= d <= at for d in index.index]]
    before = index[[d < since for d in index.index]]
    gained = float(window.iloc[-1]) if len(window) else 0.0
    gained -= float(before.iloc[-1]) if len(before) else 0.0
    if gained <= 0:
        return ((at, base),)
    points = points_from_tests(tests, base, at, share * base / gained, since=since, weights=weights)
    start = (since, base * (1 - share))
    return (start, *((q.date, q.value) for q in points if q.date > since))


def with_capability_path(scenario: Scenario, group: str, points: Sequence[CapabilityPoint]) -> Scenario:
    """The scenario with the group's capability_path replaced (e.g. by `points_from_tests`)."""
    scenario.group(group)
    groups = tuple(g.model_copy(update={"capability_path": tuple(points)}) if g.id == group else g
                   for g in scenario.groups)
    return scenario.model_copy(update={"groups": groups})
