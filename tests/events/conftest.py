"""A small two-state scenario with aliases, and helpers to write hand-made event files."""

from __future__ import annotations

import pytest

DYAD_YAML = """\
id: dyad
title: Two states and a neighbour
baseline: 2018-01-01
issues:
  - {id: arms, title: Disarmament, min: 0, max: 100, status_quo: 0}
groups:
  - {id: united-states, name: United States}
  - {id: north-korea, name: North Korea}
actors:
  - id: trump
    name: Donald Trump
    group: united-states
    capability: 60
    positions: {arms: 100}
    salience: {arms: 80}
    aliases: [Trump, "United States", USA]
  - id: kim
    name: Kim Jong-un
    group: north-korea
    capability: 30
    positions: {arms: 10}
    salience: {arms: 100}
    aliases: ["Kim Jong-Un", "North Korea", PRK]
  - id: moon
    name: Moon Jae-in
    capability: 10
    positions: {arms: 60}
    salience: {arms: 60}
    aliases: ["South Korea", KOR]
events:
  - {date: 2018-01-10, actor: kim, target: moon, cameo: "036", description: talks offer}
  - {date: 2018-02-01, actor: kim, target: trump, cameo: "112", description: accusation}
  - {date: 2018-02-01, actor: moon, target: kim, cameo: "040", description: consult}
"""


@pytest.fixture
def dyad(tmp_path):
    from standoff.scenario import read_scenario

    path = tmp_path / "dyad.yaml"
    path.write_text(DYAD_YAML)
    return read_scenario(path)


def gdelt_row(width: int, date: str = "20180301", a1: str = "USA", a1name: str = "UNITED STATES",
              a2: str = "PRK", a2name: str = "NORTH KOREA", code: str = "190") -> str:
    """A GDELT row of `width` columns (57/58: 1.0, 61: 2.0) with the fields the reader uses."""
    f = [""] * width
    f[0], f[1], f[5], f[6], f[7] = "1", date, a1 + "GOV", a1name, a1
    f[15], f[16], f[17], f[26], f[30] = a2 + "MIL", a2name, a2, code, "-10"
    if width in (58, 61):
        f[-1] = "http://example.org/story"
    return "\t".join(f)
