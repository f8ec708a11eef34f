"""Precision and recall of `standoff draft` on two texts, against their hand-made gold lists.

- the seed analysis (../shared/seed/ or $STANDOFF_SHARED/seed; gold tests/draft/gold/seed-gold.yaml),
  the DEVELOPMENT text: the coders' rules were debugged on it;
- a news-wire summary of 2019 events (tests/draft/texts/korea-2019-wire.txt; gold
  tests/draft/gold/korea-2019-wire-gold.yaml), the HELD-OUT text: written with its gold list
  before the coders were revised, and not used to tune them.

Codes each text with the keyword coder and, when the [nlp] extra is installed, the embedding
coder; prints one table row per text, coder and measure. Matching rules: docs/draft.md.
Usage: python benchmarks/draft_eval.py [--scenario korea-2018]   (the scenario applies to the seed)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import standoff
from standoff.draft.coding import nlp_available
from standoff.draft.draft import analyse
from standoff.draft.evaluate import evaluate, load_gold

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "draft" / "gold" / "seed-gold.yaml"
SEED_NAME = "orchard-2018-north-korea-manages-expectations.txt"
WIRE = ROOT / "tests" / "draft" / "texts" / "korea-2019-wire.txt"
WIRE_GOLD = ROOT / "tests" / "draft" / "gold" / "korea-2019-wire-gold.yaml"


def find_seed() -> Path | None:
    """The seed analysis beside the project (../shared/seed/), or under $STANDOFF_SHARED."""
    env = os.environ.get("STANDOFF_SHARED")
    candidates = [Path(env) / "seed" / SEED_NAME] if env else []
    candidates += [p / "shared" / "seed" / SEED_NAME for p in ROOT.parents]
    return next((c for c in candidates if c.is_file()), None)


def seed_scores(coder: str, scenario: str | None = None) -> dict:
    """Scores of one coder on the seed analysis (document date taken from the gold list)."""
    seed = find_seed()
    if seed is None:
        raise FileNotFoundError("../shared/seed/ is not beside the project")
    gold = load_gold(GOLD)
    case = standoff.load(scenario) if scenario else None
    analysis = analyse(seed.read_text(encoding="utf-8"), date=gold["document_date"], scenario=case,
                       coder=coder)
    return evaluate(analysis, gold)


def wire_scores(coder: str, scenario: str | None = None) -> dict:
    """Scores of one coder on the held-out 2019 news-wire text (document date from its gold list)."""
    gold = load_gold(WIRE_GOLD)
    case = standoff.load(scenario) if scenario else None
    analysis = analyse(WIRE.read_text(encoding="utf-8"), date=gold["document_date"], scenario=case,
                       coder=coder)
    return evaluate(analysis, gold)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=None, help="a case whose aliases to use (default: none)")
    args = parser.parse_args()
    coders = ["keyword"] + (["nlp"] if nlp_available() else [])
    if not nlp_available():
        print("note: the [nlp] extra is not installed; only the keyword coder is evaluated")
    texts = [("seed (development)", seed_scores, args.scenario)] if find_seed() is not None else []
    if not texts:
        print("note: ../shared/seed/ (the seed analysis) is not beside the project; seed skipped")
    texts.append(("wire-2019 (held-out)", wire_scores, None))
    print(f"scenario for the seed: {args.scenario or 'none'}")
    print(f"{'text':21} {'coder':8} {'measure':22} {'precision':>9} {'recall':>7} {'F1':>6}   counts")
    for label, scores_of, scenario in texts:
        for coder in coders:
            t0 = time.perf_counter()
            scores = scores_of(coder, scenario)
            for name, s in scores.items():
                print(f"{label:21} {coder:8} {name:22} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}   "
                      f"{s.hits_predicted}/{s.predicted} proposed right, {s.hits_gold}/{s.gold} gold found")
            print(f"{label:21} {coder:8} ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
