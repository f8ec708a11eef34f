"""Reports: the HTML is well-formed and self-contained, every section carries the numbers the
models and analyses give when run on their own, the Markdown says the same, sections that do not
apply are left out with a note, and writing never leaves half a report."""

from __future__ import annotations

import base64
import os
import re
import struct
from html.parser import HTMLParser

import numpy as np
import pytest

import standoff
from standoff.models import available, make

pytest.importorskip("matplotlib")

from cli_process import standoff as run_standoff  # noqa: E402
from standoff.report import build_report  # noqa: E402
from standoff.report.document import Report, ReportError, Section, Table, Text  # noqa: E402

VOID = {"meta", "img", "br", "hr", "link", "input", "col", "source", "wbr"}
KOREA_DATE = "2018-05-22"
MC_MODELS = ["compromise", "median"]


# --- a small HTML reader: checks nesting, collects resources, tables and images ------------------
class Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.resources: list[str] = []
        self.links: list[str] = []
        self.images: list[str] = []
        self.section: str | None = None
        self.tables: dict[str, list[list[list[str]]]] = {}  # section -> tables -> rows -> cells
        self.notes: dict[str, str] = {}
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._note = False
        self.doctype = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in VOID:
            self.stack.append(tag)
        for key in ("src", "href", "data", "poster"):
            if key in a and a[key] is not None:
                (self.links if key == "href" else self.resources).append(a[key])
        if tag == "img":
            self.images.append(a.get("src", ""))
        if tag == "section":
            self.section = a["id"]
        elif tag == "table":
            self.tables.setdefault(self.section, []).append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "p" and a.get("class") == "note":
            self._note = True
            self.notes[self.section] = ""

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr":
            self.tables[self.section][-1].append(self._row)
        elif tag == "p":
            self._note = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._note:
            self.notes[self.section] += data


def read_html(text: str) -> Reader:
    r = Reader()
    r.feed(text)
    r.close()
    return r


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (after checking the signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def find_table(tables: list[list[list[str]]], first_header: str, has: str) -> list[list[str]]:
    for t in tables:
        if t and t[0] and t[0][0] == first_header and has in t[0]:
            return t
    raise AssertionError(f"no table with columns {first_header}, {has}")


def as_dicts(table: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(table[0], row, strict=True)) for row in table[1:]]


def md_tables(text: str) -> list[list[list[str]]]:
    """Every pipe table of a Markdown text, header row first (alignment row dropped)."""
    out, cur = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("| "):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if not all(re.fullmatch(r"-+:?", c) for c in cells):
                cur.append(cells)
        elif cur:
            out.append(cur)
            cur = []
    return out


# --- fixtures: the Korea report is built once ---------------------------------------------------
@pytest.fixture(scope="module")
def korea():
    return standoff.load("korea-2018", as_of=KOREA_DATE)


@pytest.fixture(scope="module")
def korea_report(korea) -> Report:
    return build_report(korea, actor="kim-jong-un")


@pytest.fixture(scope="module")
def korea_html(korea_report) -> tuple[str, Reader]:
    text = korea_report.to_html()
    return text, read_html(text)


@pytest.fixture(scope="module")
def analysis_report(korea) -> Report:
    return build_report(korea, models=MC_MODELS, monte_carlo=60, seed=7, sensitivity=True)


def test_drivers_section_says_what_explain_forecast_says(korea, korea_report, korea_html):
    """The report's paragraphs are those of analysis.drivers run alone on the same scenario and
    model, in the HTML and in the Markdown, with the top actor's shift in the table."""
    from standoff.analysis.drivers import explain_forecast

    section = korea_report.section("drivers")
    texts = [b.text for b in section.blocks if hasattr(b, "text")]
    alone = explain_forecast(korea, make("compromise"))
    for d in alone:
        assert f"compromise: {d.paragraph}" in texts
    html, md = korea_html[0], korea_report.to_markdown()
    import html as html_lib

    assert alone[0].paragraph in html_lib.unescape(html) and alone[0].paragraph in md
    row = next(r for r in section.tables()[0].rows if r[:2] == ("compromise", alone[0].issue))
    assert row[3] == alone[0].actors[0].name and row[4] == format(alone[0].actors[0].shift, "+.2f")


# --- HTML: well-formed and self-contained --------------------------------------------------------
def test_html_is_well_formed_and_self_contained(korea_html):
    text, r = korea_html
    assert r.doctype
    assert not r.errors and not r.stack, (r.errors, r.stack)
    # nothing fetched from elsewhere: every resource is an embedded PNG, links are in-page anchors
    assert r.resources and all(src.startswith("data:image/png;base64,") for src in r.resources)
    assert all(href.startswith("#") for href in r.links)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text)
    assert "<script" not in text and "<link" not in text and "@import" not in text


def test_every_embedded_image_is_a_png(korea_html, korea_report):
    _, r = korea_html
    assert len(r.images) == len(korea_report.figures) >= 8
    for src in r.images:
        w, h = png_size(base64.b64decode(src.split(",", 1)[1], validate=True))
        assert 300 < w < 3000 and 200 < h < 4000


def test_all_sections_appear_for_korea(korea_html):
    text, r = korea_html
    for sid in ("scenario", "forecasts", "trajectories", "dyads", "beliefs", "crisis", "dynamics",
                "winsets"):
        assert f'<section id="{sid}">' in text
        assert sid not in r.notes, r.notes.get(sid)
    # Monte Carlo and the tornado were not asked for: present with a one-line note
    assert "--monte-carlo" in r.notes["montecarlo"] and "--sensitivity" in r.notes["sensitivity"]


# --- the numbers ----------------------------------------------------------------------------------
def nearest_label(issue, value: float) -> str:
    """The labelled point nearest to `value`, lower one on a tie, found by a plain loop."""
    best = None
    for a in sorted(issue.anchors, key=lambda a: a.value):
        if best is None or abs(a.value - value) < abs(best.value - value):
            best = a
    return f"{best.label} ({best.value:g})"


def test_forecast_table_matches_each_model_run_on_its_own(korea, korea_html):
    _, r = korea_html
    rows = as_dicts(find_table(r.tables["forecasts"], "issue", "forecast"))
    assert len(rows) == len(available()) * len(korea.issues)
    for name in available():
        f = make(name).forecast(korea)
        for issue in korea.issues:
            row = next(x for x in rows if x["issue"] == issue.id and x["model"] == name)
            assert row["forecast"] == f"{f.value(issue.id):.2f}"
            assert row["nearest labelled point"] == nearest_label(issue, f.value(issue.id))
            assert row["status quo"] == f"{issue.status_quo.mode:g}"


def test_scenario_table_has_positions_saliences_and_sources(korea, korea_html):
    _, r = korea_html
    rows = as_dicts(find_table(r.tables["scenario"], "actor", "sources"))
    assert [x["actor"] for x in rows] == list(korea.actor_ids)
    for actor, row in zip(korea.actors, rows, strict=True):
        for i in korea.issue_ids:
            p, s = actor.positions[i], actor.salience[i]
            assert row[f"{i} position"].split(" ")[0] == f"{p.mode:g}"
            assert row[f"{i} salience"].split(" ")[0] == f"{s.mode:g}"
            if p.low is not None:
                assert f"({p.low:g}–{p.high:g})" in row[f"{i} position"]
            if p.source:
                assert p.source in row["sources"].split(", ")
        assert row["capability"].split(" ")[0] == f"{actor.capability.mode:g}"
    source_ids = [x[0] for x in find_table(r.tables["scenario"], "source", "title")[1:]]
    assert source_ids == [s.id for s in korea.sources]


def test_trajectories_are_the_models_rounds(korea, korea_html):
    _, r = korea_html
    with_rounds = [n for n in available()
                   if any(i.trajectory is not None for i in make(n).forecast(korea).issues)]
    assert "eum" in with_rounds and "median" not in with_rounds
    tables = r.tables["trajectories"]
    assert len(tables) == len(with_rounds)
    eum = make("eum").forecast(korea)
    t = next(t for t in tables if len(t) - 1 == len(eum.issues[0].trajectory))
    for k, issue in enumerate(eum.issues):
        col = t[0].index(issue.issue)
        assert [row[col] for row in t[1:]] == [f"{v:.2f}" for v in issue.trajectory], k


def test_quadrant_table_matches_the_eum_dyads(korea, korea_html):
    """The quadrant chart's numbers come from the forecast's detail; `eum.dyads` recomputes them
    by running the model again for one actor."""
    from standoff.report.dyads import dyads

    _, r = korea_html
    for issue in korea.issue_ids:
        frame = dyads(korea, "kim-jong-un", issue=issue, round=1)
        t = r.tables["dyads"][korea.issue_ids.index(issue)]
        rows = as_dicts(t)
        assert [x["other"] for x in rows] == list(frame["other"])
        for x, (_, d) in zip(rows, frame.iterrows(), strict=True):
            assert x["E^i(U_ij)"] == f"{d['E^i(U_ij)']:+.3f}"
            assert x["E^j(U_ji)"] == f"{d['E^j(U_ji)']:+.3f}"
            assert x["interaction"].split(" (")[0] == d["interaction"].split(" (")[0]


def test_crisis_probabilities_match_the_game(korea, korea_html):
    from standoff.games.crisis import crisis

    _, r = korea_html
    rows = as_dicts(find_table(r.tables["crisis"], "outcome", "QRE probability"))
    probs = crisis(korea, "united-states", "north-korea").probabilities()
    assert {x["outcome"]: x["QRE probability"] for x in rows} == {k: f"{v:.3f}" for k, v in probs.items()}
    assert sum(float(x["QRE probability"]) for x in rows) == pytest.approx(1.0, abs=0.01)


def test_dynamics_table_is_the_dynamics_report(korea, korea_html):
    from standoff.games.dynamics import dynamics_report
    from standoff.report.dynamics import power_frame

    _, r = korea_html
    frame = power_frame(dynamics_report(korea, "united-states", "north-korea"))
    rows = as_dicts(find_table(r.tables["dynamics"], "date", "p"))
    assert [x["p"] for x in rows] == [f"{v:.3f}" for v in frame["p"]]
    assert [x["if reached"] for x in rows] == list(frame["if reached"])


def test_an_analysis_the_scenario_cannot_feed_becomes_a_note(korea):
    report = build_report(korea, models=["median"], between=("united-states", "nobody"))
    for sid in ("crisis", "dynamics"):
        note = report.section(sid).note
        assert note.startswith("Left out:") and "nobody" in note and "\n" not in note
    assert report.section("beliefs").applies and report.section("winsets").applies


def test_belief_path_ends_where_the_update_ends(korea, korea_html):
    from standoff.data import beliefs_path
    from standoff.events.beliefs import read_beliefs, update

    _, r = korea_html
    spec = read_beliefs(beliefs_path("korea-2018"))[0]
    path = update(spec, korea, end=korea.date)
    t = r.tables["beliefs"][0]
    last = dict(zip(t[0], t[-1], strict=True))
    for tid, p in zip(spec.type_ids, path.posterior, strict=True):
        assert last[f"P({tid})"] == f"{p:.3f}"
    assert len(t) - 1 == len(path.steps) + 1  # the prior, then one row per step


def test_monte_carlo_and_tornado_match_the_analyses_run_alone(korea, analysis_report):
    from standoff.analysis.montecarlo import issue_summary, monte_carlo
    from standoff.analysis.sensitivity import tornado
    from standoff.analysis.space import Space

    text = analysis_report.to_html()
    r = read_html(text)
    assert not r.errors
    assert "montecarlo" not in r.notes and "sensitivity" not in r.notes
    mc_tables = r.tables["montecarlo"]
    for name, t in zip(MC_MODELS, mc_tables, strict=True):
        rerun = issue_summary(monte_carlo(korea, make(name), draws=60, seed=7, progress=False))
        rows = as_dicts(t)
        assert [x["median"] for x in rows] == [f"{s['median']:.2f}" for s in rerun]
        assert [x["80% interval"] for x in rows] == [f"{s['p80'][0]:.1f}–{s['p80'][1]:.1f}" for s in rerun]
    swings = tornado(Space.build(korea, use_panel=False), make("compromise"))
    rows = as_dicts(r.tables["sensitivity"][0])
    top = next(s for s in swings if s.issue == korea.issue_ids[0])  # largest swing on the first issue
    assert (rows[0]["input"], rows[0]["swing"]) == (top.input, f"{top.swing:+.2f}")
    names = [f.name for f in analysis_report.figures]
    assert {f"montecarlo-{m}" for m in MC_MODELS} | {f"tornado-{m}" for m in MC_MODELS} <= set(names)


def test_monte_carlo_section_is_reproducible(korea):
    from standoff.report.document import montecarlo_section
    from standoff.tasks.report import montecarlo_run

    a, b, c = (montecarlo_section(korea, [montecarlo_run(korea, make("compromise"), 30, seed)], 30, seed)
               for seed in (3, 3, 4))
    assert a.tables() == b.tables() and a.figures() == b.figures()
    assert a.tables() != c.tables()


# --- Markdown ------------------------------------------------------------------------------------
def test_markdown_has_the_same_tables_and_its_images(korea_report, korea_html, tmp_path):
    _, r = korea_html
    path = korea_report.write_markdown(tmp_path)
    text = path.read_text()
    tables = md_tables(text)
    html_tables = [t for sid in r.tables for t in r.tables[sid]]
    assert len(tables) == len(html_tables)
    for md, html in zip(tables, html_tables, strict=True):
        assert md == [[" ".join(c.split()) for c in row] for row in html]
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(images) == len(korea_report.figures)
    for name in images:
        assert not name.startswith(("http:", "https:", "/"))
        png_size((tmp_path / name).read_bytes())
    assert not list(tmp_path.glob(".*.tmp"))


# --- cases where sections do not apply -----------------------------------------------------------
@pytest.mark.parametrize("case", ["ec-emissions-1994"])
def test_other_cases_leave_out_what_does_not_apply(case):
    s = standoff.load(case)
    report = build_report(s)
    text = report.to_html()
    r = read_html(text)
    assert not r.errors and not r.stack
    for sid in ("beliefs", "crisis", "dynamics", "winsets", "montecarlo", "sensitivity"):
        note = r.notes[sid]
        assert note and "\n" not in note.strip()
        assert not r.tables.get(sid)
    rows = as_dicts(find_table(r.tables["forecasts"], "issue", "forecast"))
    for name in available():
        f = make(name).forecast(s)
        assert next(x for x in rows if x["model"] == name)["forecast"] == f"{f.issues[0].value:.2f}"


def test_every_builtin_case_builds():
    from standoff.data import case_names

    for case in case_names():
        s = standoff.load(case)
        report = build_report(s.as_of(s.last_event_date) if s.last_event_date else s, models=["median"])
        assert report.section("scenario").applies and report.section("forecasts").applies


def test_a_user_scenario_without_groups_or_events(toy):
    report = build_report(toy, models=["median", "compromise"], sensitivity=True)
    assert report.section("dyads").note.startswith("No chosen model")
    assert report.section("trajectories").note
    assert not read_html(report.to_html()).errors


# --- the document is plain data the web page can reuse --------------------------------------------
def test_sections_are_plain_data(korea_report):
    s = korea_report.section("forecasts")
    assert isinstance(s, Section) and isinstance(s.blocks[0], Text)
    table = s.tables()[0]
    assert isinstance(table, Table) and all(isinstance(c, str) for row in table.rows for c in row)
    assert len(table.numeric) == len(table.columns)


# --- bad input and atomic writing ----------------------------------------------------------------
def test_unknown_model_or_actor_is_a_user_error(korea):
    with pytest.raises(ReportError, match="unknown model 'nope'"):
        build_report(korea, models=["nope"])
    with pytest.raises(ReportError, match="unknown actor"):
        build_report(korea, models=["median"], actor="nobody")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(korea_report, tmp_path, monkeypatch):
    target = tmp_path / "r.html"
    target.write_text("old report")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("standoff.report.document.os.replace", broken)
    with pytest.raises(ReportError, match="No space left"):
        korea_report.write_html(target)
    assert target.read_text() == "old report"
    assert os.listdir(tmp_path) == ["r.html"]


def test_markdown_written_last_so_a_failure_leaves_no_markdown(korea_report, tmp_path, monkeypatch):
    calls = []
    real = os.replace

    def fail_on_md(src, dst):
        calls.append(dst)
        if str(dst).endswith(".md"):
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr("standoff.report.document.os.replace", fail_on_md)
    with pytest.raises(ReportError):
        korea_report.write_markdown(tmp_path)
    assert str(calls[-1]).endswith(".md")
    assert not list(tmp_path.glob("*.md")) and not list(tmp_path.glob(".*.tmp"))



def cli(*args: str, cwd=None):
    return run_standoff(*args, cwd=cwd, timeout=300)


@pytest.mark.parametrize("args, words", [
    (["report", "no-such-case", "-o", "{tmp}"], "no built-in case"),
    (["report", "ec-emissions-1994", "-o", "{tmp}", "--models", "median,nope"], "unknown model 'nope'"),
    (["report", "ec-emissions-1994", "-o", "{tmp}/afile/sub"], "cannot write into"),
    (["report", "ec-emissions-1994", "-o", "{tmp}", "--actor", "nobody"], "unknown actor"),
])
def test_cli_errors_are_one_line_with_status_2(tmp_path, args, words):
    (tmp_path / "afile").write_text("")
    r = cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert r.returncode == 2, r.stderr
    assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr
    assert not list(tmp_path.glob("*.html")) and not list(tmp_path.glob("*.md"))


def test_cli_writes_both_formats(tmp_path):
    r = cli("report", "ec-emissions-1994", "-o", str(tmp_path / "out"), "--models", "median,eum",
            "--actor", "germany")
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "out" / "ec-emissions-1994-report.html").read_text()
    md = (tmp_path / "out" / "ec-emissions-1994-report.md").read_text()
    assert "germany" in html and "Quadrant chart: germany" in md
    only = cli("report", "ec-emissions-1994", "-o", str(tmp_path / "h"), "--models", "median",
               "--format", "html")
    assert only.returncode == 0 and sorted(p.name for p in (tmp_path / "h").iterdir()) == [
        "ec-emissions-1994-report.html"]
    # both reports are in the run store, with the forecast table as the page shows it
    from standoff.store import RunStore

    runs = RunStore(os.environ["STANDOFF_DB"]).runs(kind="report")
    assert [r.model for r in runs] == ["median", "median,eum"]
    stored = RunStore(os.environ["STANDOFF_DB"]).get(runs[1].id).results
    table = next(s for s in stored["sections"] if s["id"] == "forecasts")["tables"][0]
    page = re.search(r"<table.*?</table>", html[html.index('id="forecasts"'):], re.S).group(0)
    assert all(cell in page for row in table["rows"] for cell in row)


def test_style_is_shared_by_the_old_plots():
    """The belief plot (events), the shifting-power plot (dynamics) and the new plots all go
    through report.style: after drawing one, the style's settings are in force."""
    import io

    import matplotlib
    import pandas as pd

    from standoff.report import style
    from standoff.report.event_plots import plot_timeline

    frame = pd.DataFrame({"issue": ["a", "a"], "model": ["m", "m"], "date": ["2018-01-01", "2018-02-01"],
                          "value": [1.0, 2.0]})
    buf = io.BytesIO()
    plot_timeline(frame, buf)
    png_size(buf.getvalue())
    assert matplotlib.rcParams["axes.spines.top"] is False
    assert matplotlib.rcParams["savefig.dpi"] == style.DPI
    assert np.allclose(matplotlib.colors.to_rgb(matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][0]),
                       matplotlib.colors.to_rgb(style.PALETTE[0]))
