"""What-if expressions: parsing, applying, and one-line errors for every mistake."""

import pytest

from standoff.analysis import WhatIf, parse_setting, parse_what_if
from standoff.errors import ScenarioChangeError


def test_parse_forms():
    s = parse_setting("kim-jong-un.denuclearization.position=30")
    assert (s.actor, s.issue, s.field, s.to, s.by, s.pct) == ("kim-jong-un", "denuclearization",
                                                              "position", 30.0, None, None)
    assert parse_setting("trump.capability=+20%").pct == 20.0
    assert parse_setting("trump.capability=-12.5%").pct == -12.5
    assert parse_setting("x.a.salience=-10").by == -10.0
    assert parse_setting(" x.a.salience = +.5 ").by == 0.5


@pytest.mark.parametrize("text,words", [
    ("x.a.position", "no '='"),
    ("x.a.height=3", "unknown field 'height'"),
    ("x.position=3", "is not ACTOR.ISSUE"),
    ("x.a.capability=3", "is not ACTOR.ISSUE"),
    ("x.capability=abc", "is not a number"),
    ("x.capability=20%", "needs a sign"),
    ("x.capability=1e3", "is not a number"),
    (".capability=3", "names no actor"),
])
def test_malformed_settings(text, words):
    with pytest.raises(ScenarioChangeError) as exc:
        parse_setting(text)
    assert words in str(exc.value) and "--set" in str(exc.value)


def test_apply_by_hand(toy):
    """x's capability 10 +20% → 12; y's salience on a 100 −10 → 90; z's position on b → 7;
    removals first, so z can be set and x's veto goes with x."""
    wi = WhatIf.parse(["x"], ["y.capability=+20%", "y.a.salience=-10", "z.b.position=7"])
    s = wi.apply(toy)
    assert s.actor_ids == ("y", "z")
    assert s.actor("y").capability.mode == pytest.approx(24)
    assert s.actor("y").salience["a"].mode == 90
    assert s.actor("z").positions["b"].mode == 7
    assert s.group("g").veto == ()
    # a range moves with its value: y's position on a is triangular (50, 60, 70)
    moved = WhatIf.parse(settings=["y.a.position=+5"]).apply(toy).actor("y").positions["a"]
    assert (moved.low, moved.mode, moved.high) == (55, 65, 75)
    assert wi.describe() == "without x, y.capability=+20%, y.a.salience=-10, z.b.position=7"


@pytest.mark.parametrize("without,settings,words", [
    (["nobody"], [], "unknown actor 'nobody'"),
    ([], ["nobody.capability=3"], "unknown actor 'nobody'"),
    ([], ["x.zz.position=3"], "unknown issue 'zz'"),
    ([], ["x.a.position=130"], "off its scale [0, 100]"),
    ([], ["x.a.salience=+60"], "off its scale [0, 100]"),
    ([], ["x.capability=-200%"], "off its scale"),
    (["x"], ["x.capability=3"], "unknown actor 'x'"),
])
def test_unknown_or_off_scale(toy, without, settings, words):
    with pytest.raises(ScenarioChangeError) as exc:
        WhatIf.parse(without, settings).apply(toy)
    assert words in str(exc.value)
    assert "\n" not in str(exc.value)


def test_what_if_items_mix_removals_and_settings():
    wi = parse_what_if(["without bolton", "-pompeo", "trump.capability=+20%"])
    assert wi.without == ("bolton", "pompeo")
    assert [s.text for s in wi.settings] == ["trump.capability=+20%"]
    assert not WhatIf()
