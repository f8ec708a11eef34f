"""Streaming import of GDELT 2.0 files: rows per second, and peak memory of a 2-million-row file
against a 10,000-row one (target: at most 1.2×). Prints numbers; asserts nothing.

    python benchmarks/events_gdelt.py [--rows 2000000] [--small 10000] [--dir /tmp]

Generates seeded GDELT 2.0 files (61 tab-separated columns, a mix of matched and unmatched
actors and 1 row in 1,000 malformed), then in a fresh process per file runs the whole import
pipeline: read, match to a three-actor scenario, tally per dyad × week, and write the matched
events to CSV. Peak memory is the child's high-water resident set size (VmHWM in
/proc/self/status, Linux; not getrusage, whose ru_maxrss keeps the parent's size across exec).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SCENARIO = """\
id: bench
title: Benchmark dyad
baseline: 2015-01-01
issues: [{id: arms, title: Arms, min: 0, max: 100}]
groups: [{id: united-states, name: United States}, {id: north-korea, name: North Korea}]
actors:
  - {id: trump, name: Donald Trump, group: united-states, capability: 60, positions: {arms: 100},
     salience: {arms: 80}, aliases: [USA]}
  - {id: kim, name: Kim Jong-un, group: north-korea, capability: 30, positions: {arms: 10},
     salience: {arms: 100}, aliases: [PRK]}
  - {id: moon, name: Moon Jae-in, capability: 10, positions: {arms: 60}, salience: {arms: 60},
     aliases: [KOR, South Korea]}
"""

ACTORS = [("USA", "UNITED STATES"), ("PRK", "NORTH KOREA"), ("KOR", "SOUTH KOREA"), ("CHN", "CHINA"),
          ("JPN", "JAPAN"), ("RUS", "RUSSIA"), ("VNM", "VIETNAM"), ("FRA", "FRANCE")]
CODES = ["010", "036", "040", "042", "057", "112", "130", "150", "173", "190"]

CHILD = """
import sys, time
from standoff.events import pipeline
from standoff.events.summary import DyadWeeks
from standoff.scenario import read_scenario
s = read_scenario(sys.argv[2])
t = time.perf_counter()
events, report = pipeline.stream(sys.argv[1], "gdelt2", s)
tally = DyadWeeks()
def tee(it):
    for e in it:
        tally.add(e)
        yield e
from standoff.events.store import write_events_csv
write_events_csv(tee(events), sys.argv[3])
secs = time.perf_counter() - t
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(report.rows, report.kept, report.n_malformed, report.n_unmatched, len(tally.cells), secs, hwm)
"""


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A GDELT 2.0 file of `rows` rows: seeded actors, codes and dates over 2015-2018."""
    rng = np.random.default_rng(seed)
    start = dt.date(2015, 1, 1).toordinal()
    blank = "\t".join([""] * 8)
    with open(path, "w", encoding="utf-8") as fh:
        chunk = 100_000
        for base in range(0, rows, chunk):
            n = min(chunk, rows - base)
            a1 = rng.integers(0, len(ACTORS), n)
            a2 = rng.integers(0, len(ACTORS), n)
            code = rng.integers(0, len(CODES), n)
            day = rng.integers(0, 4 * 365, n)
            bad = rng.random(n) < 0.001
            lines = []
            for k in range(n):
                date = dt.date.fromordinal(start + int(day[k])).strftime("%Y%m%d")
                c1, n1 = ACTORS[a1[k]]
                c2, n2 = ACTORS[a2[k]]
                c = CODES[code[k]]
                head = [str(base + k), date, date[:6], date[:4], "2018.0", c1 + "GOV", n1, c1,
                        "", "", "", "", "GOV", "", "", c2 + "MIL", n2, c2, "", "", "", "", "MIL", "", "",
                        "1", c, c[:3], c[:2], "1", "0", "3", "1", "3", "-1.5"]
                geo = "\t".join([blank] * 3)
                line = "\t".join(head) + "\t" + geo + f"\t{date}000000\thttp://example.org/{base + k}"
                if bad[k]:
                    line = line.rsplit("\t", 3)[0]  # wrong column count
                lines.append(line)
            fh.write("\n".join(lines) + "\n")


def measure(path: Path, scenario: Path, out: Path) -> dict:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(scenario), str(out)],
                            stdout=subprocess.PIPE, text=True)
    stdout = proc.communicate()[0]
    if proc.returncode:
        raise SystemExit(f"child failed on {path}")
    rows, kept, bad, unmatched, cells, secs, rss = stdout.split()
    return {"rows": int(rows), "kept": int(kept), "malformed": int(bad), "unmatched": int(unmatched),
            "cells": int(cells), "seconds": float(secs), "peak_mib": int(rss) / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--dir", default=None, help="where to write the generated files")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        tmp = Path(tmp)
        scenario = tmp / "bench.yaml"
        scenario.write_text(SCENARIO)
        results = {}
        for rows in (args.small, args.rows):
            path = tmp / f"gdelt-{rows}.tsv"
            t = time.perf_counter()
            generate(path, rows)
            gen = time.perf_counter() - t
            results[rows] = r = measure(path, scenario, tmp / f"out-{rows}.csv")
            size = os.path.getsize(path) / 2**20
            print(f"{rows:>10,} rows ({size:,.0f} MiB, generated in {gen:.1f} s): "
                  f"{r['rows'] / r['seconds']:,.0f} rows/s, peak {r['peak_mib']:.1f} MiB; "
                  f"kept {r['kept']:,}, malformed {r['malformed']:,}, unmatched {r['unmatched']:,}, "
                  f"{r['cells']:,} dyad-week cells")
            path.unlink()
        big, small = results[args.rows], results[args.small]
        print(f"peak memory ratio {args.rows:,} vs {args.small:,} rows: "
              f"{big['peak_mib'] / small['peak_mib']:.3f}× (target ≤ 1.2×)")


if __name__ == "__main__":
    main()
