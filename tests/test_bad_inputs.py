"""The corpus of bad inputs (tests/bad_inputs.py), each run as a user runs it, in a child process:
exit status 2, one or two lines on stderr, no traceback, at most 20 s of CPU; nothing accepted."""

from __future__ import annotations

import pytest

import bad_inputs


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-inputs")
    cases = bad_inputs.build(folder / "corpus")
    return bad_inputs.run_all(cases, db=str(folder / "runs.sqlite"), cwd=folder)


def test_the_corpus_covers_every_kind_of_mistake(outcomes):
    """At least 80 cases: file mutations, other paths, and usage errors."""
    names = [o.case.name for o in outcomes]
    assert len(names) >= 80
    for prefix, least in (("file ", 60), ("path ", 3), ("usage ", 15)):
        assert sum(n.startswith(prefix) for n in names) >= least, prefix


def test_every_bad_input_is_one_or_two_lines_exit_2_no_traceback_within_20_s(outcomes):
    bad = [o.describe() for o in outcomes if not o.clean]
    assert not bad, bad_inputs.summary(outcomes) + "\n" + "\n".join(bad)


def test_errors_name_the_place_and_the_fix(outcomes):
    """Spot checks of the messages: the line of a YAML problem, the exact kind of path, the
    suggestion for a typo, the quoting of a CAMEO code, the limit and how to raise it."""
    by = {o.case.name: o.stderr for o in outcomes}
    assert "did you mean 'korea-2018'" in by["usage unknown case"]
    assert "Did you mean 'forecast'?" in by["usage unknown verb"]
    assert "did you mean 'eum'" in by["usage unknown model"]
    assert "is a directory" in by["path directory"]
    assert "FIFO" in by.get("path FIFO", "FIFO")
    assert "quote it: cameo: '043'" in by["file cameo-octal.yaml"]
    from standoff.data import case_path  # the line of the first event's code in the mutated case

    line = case_path("korea-2018").read_text().splitlines().index(
        next(ln for ln in case_path("korea-2018").read_text().splitlines() if 'cameo: "036"' in ln)) + 1
    assert f":{line}:" in by["file cameo-octal.yaml"]
    assert "expand the file to more than 200,000 values" in by["file billion-laughs.yaml"]
    assert "nested more than 64 levels" in by["file deep-lists.yaml"]
    assert "STANDOFF_MAX_FILE_BYTES" in by["file huge-comments.yaml"]
    assert "--max-memory" in by["memory smp on 600 actors"]
    assert "absurdly large" in by["file capability-1e308.yaml"]
    assert "duplicate key 'baseline'" in by["file duplicate-key.yaml"]
    assert "UTF-16" in by["file utf16.yaml"] and "not UTF-8" in by["file latin1.yaml"]
