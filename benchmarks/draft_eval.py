"""Precision and recall of `standoff draft` on the seed analysis, against the hand-made gold list.

Reads the seed text from ../shared/seed/ (or $STANDOFF_SHARED/seed) and the gold list from
tests/draft/gold/seed-gold.yaml; codes the text with the keyword coder and, when the [nlp] extra
is installed, the embedding coder; prints one table row per coder and measure. Matching rules:
docs/draft.md. Usage: python benchmarks/draft_eval.py [--scenario korea-2018]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=None, help="a case whose aliases to use (default: none)")
    args = parser.parse_args()
    if find_seed() is None:
        print("skipped: ../shared/seed/ (the seed analysis) is not beside the project")
        return 0
    coders = ["keyword"] + (["nlp"] if nlp_available() else [])
    if not nlp_available():
        print("note: the [nlp] extra is not installed; only the keyword coder is evaluated")
    print(f"seed analysis vs gold list ({GOLD.relative_to(ROOT)}), scenario: {args.scenario or 'none'}")
    print(f"{'coder':8} {'measure':22} {'precision':>9} {'recall':>7} {'F1':>6}   counts")
    for coder in coders:
        t0 = time.perf_counter()
        scores = seed_scores(coder, args.scenario)
        for name, s in scores.items():
            print(f"{coder:8} {name:22} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}   "
                  f"{s.hits_predicted}/{s.predicted} proposed right, {s.hits_gold}/{s.gold} gold found")
        print(f"{coder:8} ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
