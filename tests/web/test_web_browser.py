"""The page in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

Skipped with a reason when the browser or Playwright is missing, except under CI=1, where that
is a failure: the CI script installs both.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import standoff

CHROMIUM = Path(os.environ.get("STANDOFF_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-background-networking"]


def _missing(reason: str):
    if os.environ.get("CI") == "1":
        pytest.fail(f"{reason} (CI=1: the browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free local port, in a thread, with its own SQLite run store."""
    import uvicorn

    from standoff.store import RunStore
    from standoff.web import create_app

    store = RunStore(f"sqlite:///{tmp_path_factory.mktemp('web') / 'runs.db'}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(store=store), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _missing(f"no Chromium at {CHROMIUM} (install Debian's `chromium` package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@contextlib.contextmanager
def guarded_page(browser, server: str, console: Callable[[str], bool] | None = None, **context_args):
    """A fresh page (its own storage) on the app that fails the test, when it closes, on a JavaScript
    error, on a console error that `console` counts (none, without it) or on a request off the
    server; `context_args` go to the browser context (e.g. accept_downloads=True)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **context_args)
    pg = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    if console is not None:
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and console(m.text) else None)

    def route(r):
        if r.request.url.startswith(server):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.goto(server + "/")
    pg.wait_for_selector("body[data-ready='1']")
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not outside, f"the page asked for resources off the server: {outside}"


@pytest.fixture
def page(browser, server):
    """A fresh page on the app; fails the test on a JavaScript error or a request off the server."""
    with guarded_page(browser, server) as pg:
        yield pg


def forecast_cells(pg) -> dict[str, float]:
    rows = pg.locator("#forecast-table tbody tr")
    return {rows.nth(k).get_attribute("data-issue"): float(rows.nth(k).locator("td.value").inner_text())
            for k in range(rows.count())}


def run_and_wait(pg, after: str = "") -> str:
    """Press Run; wait until the note names a run other than the one named in `after` (the note
    of the previous run); return the new note."""
    seen = re.search(r"\(run \d+\)", after)
    pg.click("#run-button")
    pg.wait_for_function("(prev) => { const t = document.getElementById('forecast-note').textContent;"
                         " return /\\(run \\d+\\)/.test(t) && !t.includes(prev); }",
                         arg=seen.group(0) if seen else "(run none)")
    return pg.locator("#forecast-note").inner_text()


def korea_compromise() -> dict[str, float]:
    s = standoff.load("korea-2018")
    f = standoff.forecast(s.as_of(s.last_event_date), "compromise")
    return {x.issue: x.value for x in f.issues}


def test_the_korea_case_runs_and_shows_its_forecast_and_charts(page):
    """The default case is korea-2018 (11 actors × 4 issues); Run gives the compromise forecast
    the Python API gives, to the two decimals shown, with a chart per issue and the run listed."""
    assert page.locator("#case-select").input_value() == "korea-2018"
    assert page.locator("#scenario-table tbody tr").count() == 11
    assert page.locator("#scenario-table input.pos").count() == 44
    note = run_and_wait(page)
    shown = forecast_cells(page)
    expected = korea_compromise()
    assert set(shown) == set(expected)
    for issue, value in expected.items():
        assert shown[issue] == pytest.approx(value, abs=0.005)
    assert page.locator(".chart svg[role=img]").count() == 4
    assert page.locator(".chart[data-issue='denuclearization'] circle").count() == 11
    run_id = re.search(r"\(run (\d+)\)", note).group(1)
    page.wait_for_selector(f"#runs-table tr[data-run='{run_id}']")
    page.click(f"#runs-table tr[data-run='{run_id}']")
    page.wait_for_selector("#run-detail:not([hidden])")
    assert '"kind": "forecast"' in page.locator("#run-detail").inner_text()


def test_editing_a_position_moves_the_forecast_by_the_hand_computed_amount(page):
    """Kim's position on denuclearization edited from p to 60 moves the compromise by
    w·(60 − p)/Σw, with w = capability × salience from the case as of its last event."""
    s = standoff.load("korea-2018")
    s = s.as_of(s.last_event_date)
    issue = "denuclearization"
    w = {a.id: a.capability.mode * a.salience[issue].mode for a in s.actors}
    p = s.actor("kim-jong-un").positions[issue].mode
    expected = korea_compromise()[issue] + w["kim-jong-un"] * (60 - p) / sum(w.values())
    note = run_and_wait(page)
    before = forecast_cells(page)[issue]
    cell = page.locator(f"#scenario-table input[data-actor='kim-jong-un'][data-field='position']"
                        f"[data-issue='{issue}']")
    assert float(cell.input_value()) == p
    cell.fill("60")
    cell.press("Tab")
    assert "edited" in cell.get_attribute("class")
    note = run_and_wait(page, note)
    after = forecast_cells(page)
    assert after[issue] == pytest.approx(expected, abs=0.005)
    assert abs(after[issue] - before) > 0.5
    assert "1 edited value" in note


def test_uploading_a_bad_file_shows_the_located_error_on_the_page(page, toy_yaml, tmp_path):
    """A position of 12 on a 0..10 scale: the message names the file, the line and the place."""
    bad = toy_yaml.replace("positions: {a: 90, b: 5}", "positions: {a: 90, b: 12}")
    line = bad.splitlines().index("    positions: {a: 90, b: 12}") + 1
    path = tmp_path / "bad-scenario.yaml"
    path.write_text(bad)
    page.set_input_files("#upload-input", str(path))
    error = page.locator("#error")
    error.wait_for(state="visible")
    text = error.inner_text()
    assert f"bad-scenario.yaml:{line}: actors[2].positions.b: position value 12 is off the scale" in text
    assert page.locator("#scenario-table tbody tr").count() == 11  # the Korea case stays loaded


def test_an_uploaded_scenario_runs_with_any_model(page, tmp_path):
    """The EC case's YAML uploaded: the compromise is 500.3/67.7 = 7.39; EUM adds its rounds chart."""
    from standoff.data import case_path

    path = tmp_path / "ec.yaml"
    path.write_text(case_path("ec-emissions-1994").read_text())
    page.set_input_files("#upload-input", str(path))
    page.wait_for_function("document.querySelectorAll('#scenario-table tbody tr').length === 10")
    assert page.locator("#case-select").input_value() == ""
    note = run_and_wait(page)
    assert forecast_cells(page)["emissions-date"] == pytest.approx(500.3 / 67.7, abs=0.005)
    page.select_option("#model-select", "eum")
    run_and_wait(page, note)
    assert "model eum" in page.locator("#forecast-note").inner_text()
    assert page.locator(".chart polyline").count() == 1


def test_an_edit_off_the_scale_is_refused_on_the_page(page):
    cell = page.locator("#scenario-table input[data-actor='trump'][data-field='salience']"
                        "[data-issue='denuclearization']")
    cell.fill("150")
    cell.press("Tab")
    page.click("#run-button")
    error = page.locator("#error")
    error.wait_for(state="visible")
    assert "salience 150 is off the scale [0, 100]" in error.inner_text()


def test_a_model_parameter_set_on_the_page_changes_the_forecast(page, tmp_path):
    """EUM at its default 10 rounds moves sanctions-relief to the Python API's value (0); with rounds
    set to 0 in the parameters form it stays at the starting value (20), one point, as the Python API
    gives with rounds=0. A value that is not a whole number is refused with the reason shown."""
    s = standoff.load("korea-2018")
    s = s.as_of(s.last_event_date)
    default = {f.issue: f.value for f in standoff.forecast(s, "eum").issues}
    zero = {f.issue: f.value for f in standoff.forecast(s, "eum", rounds=0).issues}
    page.select_option("#model-select", "eum")
    rounds = page.locator("#params-fields input[data-param='rounds']")
    assert rounds.get_attribute("placeholder") == "10"
    note = run_and_wait(page)
    assert forecast_cells(page)["sanctions-relief"] == pytest.approx(default["sanctions-relief"], abs=0.005)
    rounds.fill("0")
    rounds.press("Tab")
    note = run_and_wait(page, note)
    shown = forecast_cells(page)
    for issue, value in zero.items():
        assert shown[issue] == pytest.approx(value, abs=0.005)
    assert shown["sanctions-relief"] != pytest.approx(default["sanctions-relief"], abs=0.5)
    page.screenshot(path=str(tmp_path / "params.png"), full_page=False)
    rounds.fill("2.5")
    page.click("#run-button")
    error = page.locator("#error")
    error.wait_for(state="visible")
    assert "model 'eum': rounds must be a whole number, not 2.5" in error.inner_text()


def test_the_crisis_game_shows_its_bars_for_korea(page, tmp_path):
    """korea-2018 has crisis outcomes and six groups: the crisis section offers the first two
    groups; Solve draws one bar per ending with the QRE probability games.crisis gives, summing to 1."""
    from standoff.games.crisis import crisis

    s = standoff.load("korea-2018")
    expected = crisis(s.as_of(s.last_event_date), "united-states", "north-korea", lam=10.0).outcomes
    section = page.locator("#crisis")
    assert section.is_visible()
    assert page.locator("#crisis-a").input_value() == "united-states"
    assert page.locator("#crisis-b").input_value() == "north-korea"
    page.click("#crisis-button")
    page.wait_for_selector("#crisis-chart:not([hidden]) rect.bar")
    bars = page.locator("#crisis-chart rect.bar")
    assert bars.count() == len(expected)
    shown = {bars.nth(k).get_attribute("data-outcome"): float(bars.nth(k).get_attribute("data-p"))
             for k in range(bars.count())}
    assert shown == pytest.approx(dict(zip(expected["outcome"], expected["qre"], strict=True)), abs=1e-9)
    assert sum(shown.values()) == pytest.approx(1.0)
    assert "United States (A) and North Korea (B)" in page.locator("#crisis-note").inner_text()
    section.screenshot(path=str(tmp_path / "crisis.png"))
    page.select_option("#crisis-b", "united-states")
    page.click("#crisis-button")
    error = page.locator("#error")
    error.wait_for(state="visible")
    assert "two different sides" in error.inner_text()


def test_the_report_button_opens_the_report_of_the_case(page):
    """Report opens the HTML report of korea-2018 with the chosen model in a new tab."""
    page.select_option("#model-select", "median")
    with page.context.expect_page(timeout=60_000) as opened:
        page.click("#report-link")
    report = opened.value
    report.wait_for_function("document.title && !document.body.innerText.includes('Writing the report')",
                             timeout=60_000)
    assert "US–North Korea" in report.title()
    assert "median" in report.locator("body").inner_text()


def test_the_report_carries_the_edited_values_of_an_uploaded_scenario(page, tmp_path):
    """The EC case uploaded, Germany's position edited 4 -> 10: the report opened from the page
    shows the edited compromise, 577.1 / 67.7 = 8.52, not the file's 7.39."""
    from standoff.data import case_path

    path = tmp_path / "ec.yaml"
    path.write_text(case_path("ec-emissions-1994").read_text())
    page.set_input_files("#upload-input", str(path))
    page.wait_for_function("document.querySelectorAll('#scenario-table tbody tr').length === 10")
    cell = page.locator("#scenario-table input[data-actor='germany'][data-field='position']")
    cell.fill("10")
    cell.press("Tab")
    assert page.locator("#report-link").get_attribute("aria-disabled") == "false"
    with page.context.expect_page(timeout=60_000) as opened:
        page.click("#report-link")
    report = opened.value
    report.wait_for_function("document.title && !document.body.innerText.includes('Writing the report')",
                             timeout=60_000)
    text = report.locator("body").inner_text()
    assert f"{577.1 / 67.7:.2f}" in text and f"{500.3 / 67.7:.2f}" not in text
