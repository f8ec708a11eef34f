"""The command line's error paths where only the runtime dependencies are installed (`pip install .`,
no test extras, no click): every case of tests/bad_inputs.py must end in one or two lines, exit 2,
no traceback. Plain Python, no pytest; run by .ci/run in a separate virtual environment:

    python3 -m venv /tmp/rt && /tmp/rt/bin/pip install . && /tmp/rt/bin/python tests/runtime_only_check.py
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bad_inputs  # noqa: E402


def main() -> int:
    extras = [m for m in ("pytest", "hypothesis", "fastapi") if importlib.util.find_spec(m)]
    if extras:
        print(f"warning: test extras are installed here ({', '.join(extras)}): this check is meant "
              "for an environment with the runtime dependencies only", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = bad_inputs.build(folder / "corpus")
        outcomes = bad_inputs.run_all(cases, db=str(folder / "runs.sqlite"), cwd=folder)
        hint_ok = True
        if not importlib.util.find_spec("fastapi"):  # `serve` without the web extra: the install hint
            serve = bad_inputs.run_one(bad_inputs.Case("serve without the web extra", ("serve",)),
                                       sys.executable, {"PATH": "/usr/bin:/bin", "COLUMNS": "160",
                                                        "HOME": str(folder)}, folder)
            hint_ok = serve.clean and "pip install 'standoff[web]'" in serve.stderr
            if not hint_ok:
                print("FAILED", serve.describe())
    for o in outcomes:
        if not o.clean:
            print("FAILED", o.describe())
    print(bad_inputs.summary(outcomes), f"(click importable: {bool(importlib.util.find_spec('click'))})")
    return 0 if hint_ok and all(o.clean for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
