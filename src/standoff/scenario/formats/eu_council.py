"""Council of the EU voting weights by date, and the capability rule for DEU III proposals.

Qualified-majority weights (member state -> votes), from EEC Treaty art. 148(2) as amended by
each Act of Accession:

- 1958-1972, the six founders (total 17); 1973-1980, the nine after the first enlargement
  (total 58); 1981-1985, the ten with Greece (total 63); 1986-1994, the twelve with Spain and
  Portugal (total 76);
- 1 January 1995 - 30 April 2004, the EU-15 weights (total 87; kept by the Treaty of Amsterdam);
- 1 May - 31 October 2004, the transitional weights of the 2003 Act of Accession, art. 26
  (the EU-15 weights plus the ten new states; total 124);
- 1 November 2004 - 31 October 2014, the weights of the Treaty of Nice as amended by the Acts of
  Accession (EU-25: 321; with Bulgaria and Romania from 1 January 2007: 345; with Croatia from
  1 July 2013: 352);
- from 1 November 2014, the double majority of the Treaty of Lisbon (TEU art. 16(4)): a state's
  weight is its share of the Union's population. Figures: Eurostat, population on 1 January 2015
  (thousands), the basis of the Council's figures for 2016, used for every date from November
  2014 (the shares move by well under a percentage point a year). The transitional option to ask
  for a Nice-weights vote (until 31 March 2017) is ignored.

The capability rule (docs/backtest.md) puts the Council's members on shares of the Council's
total weight at the date (all members, so the shares of the states present sum to at most 1),
and the Commission and the Parliament on the same scale according to the procedure.
"""

from __future__ import annotations

import datetime as dt
import math

ACCESSION_1973 = dt.date(1973, 1, 1)
ACCESSION_1981 = dt.date(1981, 1, 1)
ACCESSION_1986 = dt.date(1986, 1, 1)
ACCESSION_1995 = dt.date(1995, 1, 1)
ACCESSION_2004 = dt.date(2004, 5, 1)
NICE = dt.date(2004, 11, 1)
ACCESSION_2007 = dt.date(2007, 1, 1)
ACCESSION_2013 = dt.date(2013, 7, 1)
DOUBLE_MAJORITY = dt.date(2014, 11, 1)

EEC6 = {"de": 4, "fr": 4, "it": 4, "be": 2, "nl": 2, "lu": 1}
EC9 = {"de": 10, "fr": 10, "it": 10, "uk": 10, "be": 5, "nl": 5, "dk": 3, "ie": 3, "lu": 2}
EC10 = {**EC9, "el": 5}
EC12 = {**EC10, "es": 8, "pt": 5}
AMSTERDAM = {"de": 10, "fr": 10, "it": 10, "uk": 10, "es": 8, "be": 5, "el": 5, "nl": 5, "pt": 5,
             "at": 4, "se": 4, "dk": 3, "ie": 3, "fi": 3, "lu": 2}
TRANSITION_2004 = {**AMSTERDAM, "pl": 8, "cz": 5, "hu": 5, "sk": 3, "lt": 3, "lv": 3, "si": 3,
                   "ee": 3, "cy": 2, "mt": 2}
NICE_WEIGHTS = {"de": 29, "fr": 29, "it": 29, "uk": 29, "es": 27, "pl": 27, "ro": 14, "nl": 13,
                "be": 12, "cz": 12, "el": 12, "hu": 12, "pt": 12, "at": 10, "se": 10, "bu": 10,
                "dk": 7, "ie": 7, "lt": 7, "sk": 7, "fi": 7, "cr": 7, "cy": 4, "ee": 4, "lv": 4,
                "lu": 4, "si": 4, "mt": 3}
POPULATION_2015 = {  # thousands, 1 January 2015 (Eurostat)
    "de": 81_198, "fr": 66_415, "uk": 64_875, "it": 60_796, "es": 46_450, "pl": 38_006,
    "ro": 19_871, "nl": 16_901, "be": 11_258, "el": 10_858, "cz": 10_538, "pt": 10_375,
    "hu": 9_856, "se": 9_747, "at": 8_576, "bu": 7_202, "dk": 5_660, "fi": 5_472, "sk": 5_421,
    "ie": 4_629, "cr": 4_225, "lt": 2_921, "si": 2_063, "lv": 1_986, "ee": 1_313, "cy": 847,
    "lu": 563, "mt": 429}

# The Commission and the Parliament, as shares of the Council's total weight (docs/backtest.md).
COMMISSION = 0.5
PARLIAMENT = {"COD": 1.0}  # co-legislator under codecision: as strong as the Council
PARLIAMENT_CONSULTED = 0.1  # consultation and other procedures: an opinion only


def council_weights(date: dt.date) -> dict[str, float]:
    """Each member state's weight in the Council on `date` (votes, or population in thousands
    under the double majority), keyed by DEU III country code."""
    for start, weights in ((ACCESSION_1973, EEC6), (ACCESSION_1981, EC9), (ACCESSION_1986, EC10),
                           (ACCESSION_1995, EC12), (ACCESSION_2004, AMSTERDAM)):
        if date < start:
            return {k: float(v) for k, v in weights.items()}
    if date < NICE:
        return {k: float(v) for k, v in TRANSITION_2004.items()}
    if date < DOUBLE_MAJORITY:
        left_out = set()
        if date < ACCESSION_2007:
            left_out |= {"bu", "ro"}
        if date < ACCESSION_2013:
            left_out.add("cr")
        return {k: float(v) for k, v in NICE_WEIGHTS.items() if k not in left_out}
    return {k: float(v) for k, v in POPULATION_2015.items()}


def qmv_threshold(date: dt.date) -> tuple[float, int | None]:
    """The qualified majority on `date`, for an act on a Commission proposal: the share of the
    Council's total weight (`council_weights`) needed, and the number of member states needed
    (None: no count condition).

    Weighted votes: 12 of 17 (1958), 41 of 58 (1973), 45 of 63 (1981), 54 of 76 (1986), 62 of 87
    (1995), 88 of 124 (May 2004, Act of Accession 2003 art. 26), then under Nice 232 of 321
    (EU-25), 255 of 345 (2007), 260 of 352 (July 2013), each with a majority of the member
    states; the Nice option of verifying 62% of the population on request is ignored. From
    1 November 2014 the double majority (TEU art. 16(4)): 65% of the population and 55% of the
    member states (16 of 28)."""
    weights = council_weights(date)
    members = len(weights)
    if date >= DOUBLE_MAJORITY:
        return 0.65, math.ceil(0.55 * members - 1e-9)
    needed = {17: 12, 58: 41, 63: 45, 76: 54, 87: 62, 124: 88, 321: 232, 345: 255, 352: 260}
    total = int(round(sum(weights.values())))
    share = needed[total] / total
    return share, (members // 2 + 1 if date >= NICE else None)


def council_rule(date: dt.date) -> str:
    """The name of the qualified-majority rule in force on `date`."""
    if date < ACCESSION_2004:
        return "weighted votes (Amsterdam, EU-15)"
    if date < NICE:
        return "weighted votes (2003 Act of Accession, transitional)"
    if date < DOUBLE_MAJORITY:
        return "weighted votes (Nice)"
    return "double majority (population share)"


JOINED = {**{k: ACCESSION_1973 for k in ("uk", "dk", "ie")}, "el": ACCESSION_1981,
          "es": ACCESSION_1986, "pt": ACCESSION_1986,
          **{k: ACCESSION_1995 for k in ("at", "se", "fi")},
          **{k: ACCESSION_2004 for k in ("pl", "cz", "hu", "sk", "lt", "lv", "si", "ee", "cy", "mt")},
          "bu": ACCESSION_2007, "ro": ACCESSION_2007, "cr": ACCESSION_2013}


def decision_date(intro: dt.date, states: list[str]) -> dt.date:
    """The date whose rule applies: the introduction date, moved on to the accession of the
    latest-joining state with a recorded position (a state that states a position in the
    Council's decision was a member when it was taken)."""
    return max([intro] + [JOINED[c] for c in states if c in JOINED])


def capabilities(date: dt.date, procedure: str) -> dict[str, float]:
    """Capability by DEU III code (`com`, `ep`, state codes): each state's share of the Council's
    total weight on `date`; the Commission 0.5; the Parliament 1 under codecision (COD), else 0.1."""
    weights = council_weights(date)
    total = sum(weights.values())
    caps = {k: v / total for k, v in weights.items()}
    caps["com"] = COMMISSION
    caps["ep"] = PARLIAMENT.get(procedure.strip().upper(), PARLIAMENT_CONSULTED)
    return caps
