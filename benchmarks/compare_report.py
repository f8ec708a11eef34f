"""Compare the reports (`standoff.report.build_report`) of a git commit with the working tree's.

    python benchmarks/compare_report.py [--base f985a14]

Builds four reports in two child processes, one with the source tree of the commit `--base`
(extracted with `git archive`) and one with the working tree's `src/`: korea-2018 as of 2018-05-22
with every model (the quadrant chart of kim-jong-un), the same with Monte Carlo (60 draws, seed 7)
and the tornado for compromise and median, ec-emissions-1994, and korea-2018 with a crisis dyad
whose second side does not exist (the sections left out with a note). It compares the Markdown
byte for byte, every figure's PNG byte for byte, and the HTML once the two ways of writing a quote
as an entity are made one (`&#x27;`/`&#39;`, `&quot;`/`&#34;`: the template engine escapes with
the second). Prints one line per difference and exits 1 if any, else a count and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import hashlib, json, sys
import standoff
from standoff.report import build_report
k = standoff.load("korea-2018", as_of="2018-05-22")
runs = [("korea", k, dict(actor="kim-jong-un")),
        ("korea-mc", k, dict(models=["compromise", "median"], monte_carlo=60, seed=7, sensitivity=True)),
        ("ec", standoff.load("ec-emissions-1994"), {}),
        ("korea-left-out", k, dict(models=["median"], between=("united-states", "nobody")))]
out = {}
for name, s, kw in runs:
    r = build_report(s, **kw)
    out[name] = {"html": r.to_html(), "markdown": r.to_markdown(),
                 "figures": {f.name: hashlib.sha256(f.png).hexdigest() for f in r.figures}}
json.dump(out, sys.stdout)
"""


def build(src: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src), MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def same_quotes(html: str) -> str:
    return html.replace("&#x27;", "&#39;").replace("&quot;", "&#34;")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="f985a14", help="the commit to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", args.base, "src"], cwd=ROOT, capture_output=True,
                                 check=True).stdout
        tar = Path(tmp) / "src.tar"
        tar.write_bytes(archive)
        with tarfile.open(tar) as t:
            t.extractall(tmp, filter="data")
        before = build(Path(tmp) / "src")
    after = build(ROOT / "src")
    problems = []
    for name, b in before.items():
        a = after[name]
        if a["markdown"] != b["markdown"]:
            problems.append(f"{name}: the Markdown differs")
        if same_quotes(a["html"]) != same_quotes(b["html"]):
            problems.append(f"{name}: the HTML differs")
        if a["figures"] != b["figures"]:
            problems.append(f"{name}: figures differ: "
                            f"{sorted(set(a['figures'].items()) ^ set(b['figures'].items()))}")
    for line in problems:
        print(line)
    if problems:
        return 1
    figures = sum(len(b["figures"]) for b in before.values())
    print(f"{len(before)} reports the same: the Markdown and {figures} figures byte for byte, the HTML "
          "up to the spelling of quotes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
