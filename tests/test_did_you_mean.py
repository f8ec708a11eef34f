"""Mistyped actor, group and issue names get the closest name in the fix ("did you mean")."""

from __future__ import annotations

import pytest

import standoff
from cli_process import standoff as run
from standoff.analysis import WhatIf
from standoff.analysis.levers import party_members
from standoff.errors import ScenarioChangeError, did_you_mean


def test_did_you_mean_finds_close_names_only():
    assert did_you_mean("belgum", ["belgium", "france"]) == "did you mean 'belgium'? "
    assert did_you_mean("Belgium", ["belgium"]) == "did you mean 'belgium'? "
    assert did_you_mean("atlantis", ["belgium", "france"]) == ""


@pytest.mark.parametrize("what_if, where, near", [
    (WhatIf.parse(without=["xi-jingping"]), "--without", "xi-jinping"),
    (WhatIf.parse(settings=["trump.denuclearisation.position=50"]), "--set", "denuclearization"),
    (WhatIf.parse(settings=["trumpp.capability=50"]), "--set", "trump"),
])
def test_what_if_names(what_if, where, near):
    korea = standoff.load("korea-2018")
    with pytest.raises(ScenarioChangeError) as info:
        what_if.apply(korea)
    assert info.value.problem.where == where
    assert info.value.problem.fix.startswith(f"did you mean {near!r}? use one of")


def test_levers_party():
    with pytest.raises(ScenarioChangeError, match="did you mean 'north-korea'"):
        party_members(standoff.load("korea-2018"), "north-corea")


def test_command_line_actor_and_side():
    r = run("dyads", "ec-emissions-1994", "--actor", "belgum", "--no-record")
    assert r.returncode == 2 and "unknown actor 'belgum' — did you mean 'belgium'?" in r.stderr
    r = run("crisis", "korea-2018", "--between", "united-states", "north-kore", "--no-record")
    assert r.returncode == 2 and "did you mean 'north-korea'?" in r.stderr
