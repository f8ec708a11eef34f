"""The workbench in a real browser (headless Chromium driven by Playwright, as test_web_browser):
a case built from an empty page, run with two models and Monte Carlo, an edit seen before and
after, the YAML downloaded and validated, the forecast exported to XLSX and read back, the case
kept over a reload, a stored run reopened. Any JavaScript error (an uncaught exception or an error
on the console) or a request off the server fails the test; the console lines a 4xx answer leaves
("Failed to load resource: ... status of 422") are the page's own checks and are shown on it.

The case (numbers chosen so that the compromise, Σ w·x / Σ w with w = capability × salience, is
easy by hand):

    actor   capability  tariffs (0..100): position, salience   patrols (0..10): position, salience
    alpha   50          20, 100   -> w 5000                      2, 50   -> w 2500
    beta    30          80, 50    -> w 1500                      8, 100  -> w 3000
    gamma   20          50, 50    -> w 1000                      5, 100  -> w 2000

    tariffs: (5000·20 + 1500·80 + 1000·50) / 7500 = 270000 / 7500 = 36.00
    patrols: (2500·2 + 3000·8 + 2000·5) / 7500 = 39000 / 7500 = 5.20
    alpha's tariffs position edited 20 -> 50: 36 + 5000·30/7500 = 56.00
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_web_browser import browser, guarded_page, server  # noqa: F401  (the fixtures: Chromium and the app)

import standoff
from standoff.scenario.io import parse_yaml, to_yaml

LONG_NAME = "Gamma Federation of Rather Long Named Coastal States"
HTTP_4XX = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")


@pytest.fixture
def bench(browser, server):  # noqa: F811
    """A fresh page (its own storage) on the app; fails on a JavaScript error, an error on the
    console other than a 4xx answer, or a request off the server."""
    with guarded_page(browser, server, console=lambda text: not HTTP_4XX.search(text),
                      accept_downloads=True) as pg:
        yield pg


def fill(pg, where: str, value) -> None:
    pg.locator(f"#editor [data-where='{where}']").first.fill(str(value))


def pick(pg, where: str, value: str) -> None:
    pg.locator(f"#editor select[data-where='{where}']").first.select_option(value)


def wait_valid(pg) -> None:
    pg.wait_for_selector("#check-status[data-state='ok']", timeout=20_000)


def build_case(pg) -> None:
    """The three-actor, two-issue case of the module docstring, typed into the empty editor."""
    pg.click("#new-case")
    pg.wait_for_selector("#check-status[data-state='problems']")
    fill(pg, "id", "strait-2027")
    fill(pg, "title", "Strait talks")
    fill(pg, "baseline", "2027-01-01")
    pg.click("#add-source")
    fill(pg, "sources[0].id", "desk-notes")
    pg.locator("#editor [data-where='sources[0].id']").press("Tab")
    fill(pg, "sources[0].title", "Analyst desk notes")
    for _ in range(2):
        pg.click("#add-issue")
    for k, (iid, title, hi, sq) in enumerate((("tariffs", "Tariff level", 100, 40),
                                               ("patrols", "Naval patrols", 10, 5))):
        fill(pg, f"issues[{k}].id", iid)
        pg.locator(f"#editor [data-where='issues[{k}].id']").press("Tab")
        fill(pg, f"issues[{k}].title", title)
        fill(pg, f"issues[{k}].max", hi)
        fill(pg, f"issues[{k}].status_quo", sq)
        pick(pg, f"issues[{k}].status_quo.source", "desk-notes")
    for m, (value, label) in enumerate(((0, "free trade"), (100, "embargo"))):
        pg.click("#add-point-0")
        fill(pg, f"issues[0].anchors[{m}].value", value)
        fill(pg, f"issues[0].anchors[{m}].label", label)
    pg.click("#add-group")
    fill(pg, "groups[0].id", "coalition")
    pg.locator("#editor [data-where='groups[0].id']").press("Tab")
    fill(pg, "groups[0].name", "Coalition")
    actors = (("alpha", "Alpha Land", 50, (20, 100), (2, 50)),
              ("beta", "Beta Republic", 30, (80, 50), (8, 100)),
              ("gamma", LONG_NAME, 20, (50, 50), (5, 100)))
    for k, (aid, name, cap, tariffs, patrols) in enumerate(actors):
        pg.click("#add-actor")
        fill(pg, f"actors[{k}].id", aid)
        pg.locator(f"#editor [data-where='actors[{k}].id']").press("Tab")
        fill(pg, f"actors[{k}].name", name)
        fill(pg, f"actors[{k}].capability", cap)
        pick(pg, f"actors[{k}].capability.source", "desk-notes")
        for iid, (pos, sal) in (("tariffs", tariffs), ("patrols", patrols)):
            fill(pg, f"actors[{k}].positions.{iid}", pos)
            fill(pg, f"actors[{k}].salience.{iid}", sal)
    pick(pg, "actors[0].group", "coalition")
    pg.locator("#editor [data-where='actors[0].capability.note']").fill("GDP share, 2026")
    wait_valid(pg)


def forecast_cells(pg) -> dict[str, float]:
    rows = pg.locator("#forecast-table tbody tr")
    return {rows.nth(k).get_attribute("data-issue"): float(rows.nth(k).locator("td.value").inner_text())
            for k in range(rows.count())}


def run_forecast(pg) -> int:
    before = pg.locator("#forecast-note").inner_text()
    pg.click("#run-button")
    pg.wait_for_function("(prev) => { const t = document.getElementById('forecast-note').textContent;"
                         " return /\\(run \\d+\\)/.test(t) && t !== prev; }", arg=before)
    return int(re.search(r"\(run (\d+)\)", pg.locator("#forecast-note").inner_text()).group(1))


def test_a_case_built_on_an_empty_page_runs_saves_exports_and_comes_back(bench, server, tmp_path):  # noqa: F811
    import httpx
    import openpyxl

    pg = bench
    build_case(pg)
    assert pg.locator("#scenario-table tbody tr").count() == 3
    assert pg.locator("#case-select").input_value() == ""

    # a typed value off the scale: the located message, as `standoff validate` gives it
    fill(pg, "actors[1].salience.patrols", 150)
    pg.wait_for_selector("#check-status[data-state='problems']")
    assert "actors[1].salience.patrols: salience value 150 is off the scale [0, 100]" in \
        pg.locator("#problems").inner_text()
    assert "bad" in pg.locator("#editor [data-where='actors[1].salience.patrols']").get_attribute("class")
    fill(pg, "actors[1].salience.patrols", 100)
    wait_valid(pg)

    # one model, with its charts: labelled points on the axis, the long name whole
    run_id = run_forecast(pg)
    assert forecast_cells(pg) == pytest.approx({"tariffs": 36.0, "patrols": 5.2}, abs=0.005)
    labels = pg.locator(".chart[data-issue='tariffs'] text.point-label")
    assert labels.count() == 2 and "free trade" in labels.nth(0).text_content() + labels.nth(1).text_content()
    names = pg.locator(".chart[data-issue='tariffs'] text.actor-name")
    shown = [" ".join(names.nth(k).locator("tspan").all_text_contents()) for k in range(names.count())]
    assert LONG_NAME in shown and len(names.nth(2).locator("tspan").all_text_contents()) > 1

    # the YAML: downloaded, validated by the command line, and unchanged by a round trip
    with pg.expect_download() as got:
        pg.click("#download-yaml")
    path = tmp_path / "strait.yaml"
    got.value.save_as(path)
    assert got.value.suggested_filename == "strait-2027.yaml"
    checked = subprocess.run([sys.executable, "-m", "standoff", "validate", str(path)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = path.read_text()
    s = parse_yaml(text, file=str(path))
    assert to_yaml(s) == text
    assert [a.id for a in s.actors] == ["alpha", "beta", "gamma"] and s.issue_ids == ("tariffs", "patrols")
    assert s.issue("tariffs").status_quo.mode == 40 and s.issue("tariffs").status_quo.source == "desk-notes"
    assert s.actor("alpha").capability.note == "GDP share, 2026" and s.actor("alpha").group == "coalition"
    assert [(a.value, a.label) for a in s.issue("tariffs").anchors] == [(0, "free trade"), (100, "embargo")]

    # two models side by side, then an edit: before and after
    pg.check("#compare-models input[value='median']")
    pg.click("#compare-button")
    pg.wait_for_selector("#compare-table tbody tr[data-model='median']")
    assert pg.locator("#compare-table tbody tr").count() == 4
    median = {f.issue: f.value for f in standoff.forecast(s, "median").issues}
    row = pg.locator("#compare-table tr[data-model='median'][data-issue='tariffs'] td[data-col='baseline']")
    assert float(row.inner_text()) == pytest.approx(median["tariffs"], abs=0.005)
    cell = pg.locator("#scenario-table input[data-actor='alpha'][data-field='position']"
                      "[data-issue='tariffs']")
    cell.fill("50")
    cell.press("Tab")
    pg.click("#compare-button")
    pg.wait_for_selector("#compare-table td[data-col='with edits']")
    row = "#compare-table tr[data-model='compromise'][data-issue='tariffs']"
    before = float(pg.locator(f"{row} td[data-col='baseline']").inner_text())
    after = float(pg.locator(f"{row} td[data-col='with edits']").inner_text())
    assert (before, after) == pytest.approx((36.0, 56.0), abs=0.005)
    assert "Alpha Land: position on tariffs 20 → 50" in pg.locator("#compare-edits").inner_text()

    # Monte Carlo (with the edit): the histogram holds every draw; the median is the task's
    pg.fill("#mc-draws", "400")
    pg.click("#mc-button")
    pg.wait_for_selector("#mc-table tbody tr[data-issue='patrols']")
    edit = {"actor": "alpha", "field": "position", "issue": "tariffs", "to": 50}
    edited = s.with_changes([edit], point=True)
    from standoff import tasks
    from standoff.models import make_model

    mc = tasks.montecarlo.run(edited, make_model("compromise", {}), draws=400, seed=42, noise=0.05, sobol_n=0)
    for r in mc.summary["issues"]:
        shown = pg.locator(f"#mc-table tr[data-issue='{r['issue']}'] td.median").inner_text()
        assert float(shown) == pytest.approx(r["median"], abs=0.005)
        bins = pg.locator(f"#mc-charts .chart[data-issue='{r['issue']}'] rect.bin")
        assert sum(int(bins.nth(b).get_attribute("data-count")) for b in range(bins.count())) == 400

    # the forecast run exported as XLSX, read back: the API's forecast values
    with pg.expect_download() as got:
        pg.click("#forecast-export a[data-format='xlsx']")
    book = tmp_path / "forecast.xlsx"
    got.value.save_as(book)
    sheet = openpyxl.load_workbook(book)["forecast"]
    head = [c.value for c in sheet[1]]
    values = {r[head.index("issue")]: r[head.index("value")]
              for r in sheet.iter_rows(min_row=2, values_only=True)}
    stored = httpx.get(f"{server}/api/runs/{run_id}").json()["results"]["forecasts"][0]["issues"]
    assert values == pytest.approx({f["issue"]: f["value"] for f in stored}, rel=1e-15)  # 16 digits
    assert values == pytest.approx({"tariffs": 36.0, "patrols": 5.2})

    # the case in progress survives a reload (kept in the browser's storage), with its edit
    pg.reload()
    pg.wait_for_selector("body[data-ready='1']")
    wait_valid(pg)
    assert pg.locator("#scenario-table tbody tr").count() == 3
    assert "Strait talks" in pg.locator("#case-select option[value='']").inner_text()
    assert "edited" in pg.locator("#scenario-table input[data-actor='alpha'][data-field='position']"
                                  "[data-issue='tariffs']").get_attribute("class")

    # a stored run reopened after another case was loaded: its scenario and its forecast
    pg.select_option("#case-select", "korea-2018")
    pg.wait_for_function("document.querySelectorAll('#scenario-table tbody tr').length === 11")
    pg.click(f"#runs-table button[data-open='{run_id}']")
    pg.wait_for_function("document.querySelectorAll('#scenario-table tbody tr').length === 3")
    pg.wait_for_selector("#forecast-table tbody tr[data-issue='patrols']")
    assert forecast_cells(pg) == pytest.approx({"tariffs": 36.0, "patrols": 5.2}, abs=0.005)
    assert f"Run {run_id} (forecast) reopened" in pg.locator("#runs-note").inner_text()


def test_the_analyses_of_a_built_in_case_agree_with_the_tasks(bench):
    """On korea-2018 (as of its last event, compromise): the timeline has a row per event date
    plus the baseline, its last row the forecast as of the last event; the win-sets' deals and the
    first lever are the tasks'; the parameters form shows each parameter's line and rule."""
    from standoff import tasks
    from standoff.models import make_model

    pg = bench
    s = standoff.load("korea-2018")
    dated = s.as_of(s.last_event_date)
    model = make_model("compromise", {})
    pg.click("#timeline-button")
    pg.wait_for_selector("#timeline-table tbody tr")
    dates = sorted({str(e.date) for e in s.events} | {str(s.baseline)})
    assert pg.locator("#timeline-table tbody tr").count() == len(dates)
    last = pg.locator(f"#timeline-table tr[data-date='{dates[-1]}'] td").nth(1).inner_text()
    assert float(last) == pytest.approx(standoff.forecast(dated, "compromise").issues[0].value, abs=0.005)
    assert pg.locator("#timeline-charts svg.timeline").count() == len(s.issues)

    pg.click("#winsets-button")
    pg.wait_for_selector("#winsets-table tbody tr")
    deals = {i.issue: i for i in tasks.winsets.run(dated, model).analysis.issues}
    for issue in s.issue_ids:
        shown = pg.locator(f"#winsets-table tr[data-issue='{issue}'] td.value").inner_text()
        expected = tasks.winsets.run(dated, model).to_dict()["issues"]
        value = next(r["deal"] for r in expected if r["issue"] == issue)
        assert float(shown) == pytest.approx(value, abs=0.005), deals[issue]

    pg.select_option("#levers-for", "kim-jong-un")
    pg.fill("#levers-top", "3")
    pg.click("#levers-button")
    pg.wait_for_selector("#levers-table tbody tr")
    first = tasks.levers.run_for(dated, "kim-jong-un", model, top=3).to_dict()["levers"][0]
    assert pg.locator("#levers-table tbody tr").first.locator("td").nth(1).inner_text() == first["change"]

    pg.select_option("#model-select", "eum")
    rounds = pg.locator("#params-fields label:has(input[data-param='rounds'])")
    assert "the most rounds to run" in rounds.inner_text() and "a whole number >= 0" in rounds.inner_text()
    assert pg.locator("#params-fields details.more-params [data-param='engine']").count() == 1
    assert pg.locator("#params-fields select[data-param='preset'] option").count() == 3


def test_a_report_opens_at_its_own_address(bench, server):  # noqa: F811
    """Report opens /reports/{id} (no blob: URL); the address serves the same report again."""
    import httpx

    pg = bench
    pg.select_option("#model-select", "median")
    with pg.context.expect_page(timeout=60_000) as opened:
        pg.click("#report-link")
    report = opened.value
    report.wait_for_url(re.compile(r"/reports/\d+$"), timeout=60_000)
    report.wait_for_function("document.title && !document.body.innerText.includes('Writing the report')")
    again = httpx.get(report.url)
    assert again.status_code == 200 and "US–North Korea" in again.text
    assert Path(report.url).name.isdigit()
