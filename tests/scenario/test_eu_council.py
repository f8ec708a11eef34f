"""Council voting weights by date, checked by hand, and the DEU III capability rule."""

from __future__ import annotations

import datetime as dt

import pytest

from standoff.scenario.formats import read_deu
from standoff.scenario.formats.eu_council import capabilities, council_weights, decision_date

D = dt.date


@pytest.mark.parametrize(("date", "state", "share"), [
    (D(2000, 3, 23), "de", 10 / 87),        # Amsterdam: 4×10 + 8 + 4×5 + 2×4 + 3×3 + 2 = 87
    (D(2000, 3, 23), "lu", 2 / 87),
    (D(2004, 6, 1), "pl", 8 / 124),         # 2004 accession, transitional: 87 + 37 = 124
    (D(2005, 1, 10), "es", 27 / 321),       # Nice, EU-25: 321
    (D(1970, 6, 1), "lu", 1 / 17),          # EEC-6: 3 x 4 + 2 x 2 + 1 = 17
    (D(1980, 12, 31), "ie", 3 / 58),        # EC-9: 4 x 10 + 2 x 5 + 2 x 3 + 2 = 58
    (D(1985, 6, 27), "el", 5 / 63),         # EC-10: 58 + Greece's 5 = 63
    (D(1990, 1, 1), "es", 8 / 76),          # EC-12: 63 + Spain's 8 + Portugal's 5 = 76
    (D(1995, 1, 1), "fi", 3 / 87),          # EU-15: 76 + 4 + 4 + 3 = 87
    (D(2008, 5, 20), "mt", 3 / 345),        # Nice, EU-27: 321 + 14 + 10 = 345
    (D(2014, 3, 24), "cr", 7 / 352),        # Nice with Croatia: 345 + 7 = 352
    (D(2014, 10, 31), "de", 29 / 352),      # the last day of weighted votes
])
def test_weighted_votes_by_hand(date, state, share):
    assert capabilities(date, "COD")[state] == pytest.approx(share)


def test_double_majority_is_the_population_share():
    """From 1 November 2014: Germany 81,198 of 508,451 thousand (the EU-28 total) = 15.97%,
    Malta 429 = 0.084%."""
    w = council_weights(D(2014, 11, 1))
    assert sum(w.values()) == pytest.approx(508_451)
    caps = capabilities(D(2016, 3, 8), "COD")
    assert caps["de"] == pytest.approx(81_198 / 508_451)
    assert caps["mt"] == pytest.approx(429 / 508_451)
    assert len(w) == 28


def test_commission_and_parliament_by_procedure():
    cod, cns = capabilities(D(2000, 1, 1), "COD"), capabilities(D(2000, 1, 1), "CNS")
    assert (cod["ep"], cns["ep"], cod["com"], cns["com"]) == (1.0, 0.1, 0.5, 0.5)
    assert sum(v for k, v in cod.items() if k not in ("com", "ep")) == pytest.approx(1.0)


def test_decision_date_waits_for_the_latest_member():
    assert decision_date(D(2003, 5, 1), ["de", "pl"]) == D(2004, 5, 1)
    assert decision_date(D(2003, 5, 1), ["de", "fr"]) == D(2003, 5, 1)
    assert decision_date(D(2012, 1, 1), ["cr"]) == D(2013, 7, 1)


def test_deu_file_with_eu_weights(reference_data):
    """Proposal d00060 (COD, QMV, introduced 23 March 2000): Austria 4/87, the Parliament 1,
    the Commission 0.5; the unanimity proposals make every member state a veto holder."""
    imp = read_deu(reference_data / "deu3-train.csv", weights="eu")
    s = imp["d00060"]
    assert s.actor("austria").capability.mode == pytest.approx(4 / 87)
    assert s.actor("parliament").capability.mode == 1.0
    assert s.actor("commission").capability.mode == 0.5
    assert "weighted votes (Amsterdam, EU-15)" in s.description
    unan = [x for x in imp.scenarios if "Council rule Unan" in x.description]
    assert unan and all(set(x.group("council").veto) == {a.id for a in x.members("council")}
                        for x in unan)


def test_unknown_weight_rule_is_a_user_error(reference_data):
    from standoff.errors import ScenarioError

    with pytest.raises(ScenarioError, match="unknown capability rule"):
        read_deu(reference_data / "deu3-train.csv", weights="gdp")


def test_the_ec_emissions_case_weighs_states_by_their_ec10_votes():
    """Bueno de Mesquita's capabilities for the EC emissions case are the Council's weighted votes
    of 1981-1985 (ten members, 63 votes) rounded to two places: the table describes a decision of
    the ten, which is how its outcome is dated (docs/case-library.md)."""
    from standoff.loading import load

    codes = {"netherlands": "nl", "belgium": "be", "luxembourg": "lu", "germany": "de",
             "france": "fr", "italy": "it", "uk": "uk", "ireland": "ie", "denmark": "dk",
             "greece": "el"}
    case = load("ec-emissions-1994")
    shares = capabilities(D(1985, 6, 27), "CNS")
    assert {a.id for a in case.actors} == set(codes)
    for actor in case.actors:
        assert actor.capability.mode == pytest.approx(round(shares[codes[actor.id]], 2))
    assert capabilities(D(1986, 1, 1), "CNS")["nl"] == pytest.approx(5 / 76)  # not the twelve
