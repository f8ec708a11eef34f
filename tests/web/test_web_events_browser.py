"""The update panel in a real browser (headless Chromium driven by Playwright, as the workbench's
browser test): korea-2018 open, a small events CSV uploaded, the stories and proposals shown with their
evidence and forecasts, one accepted and one rejected, the case in the editor then holding the accepted
event (downloaded as YAML, validated by the command line) and the page's forecast equal to the API's
'after'; the forecast history lists the update. Any JavaScript error or request off the server fails.

The news: Kim offers Trump talks (036, Goldstein +4, verbal), two reports from two publishers, one story
(p1: kim-jong-un's positions move towards trump's by 0.2 × 0.5 × 0.4 × the gap on each issue, e.g.
denuclearization 0.04 × (75 − 20) = +2.2); Trump announces sanctions on Kim (163, one report, p2).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from test_web_browser import browser, server  # noqa: F401  (the fixtures: Chromium and the app)
from test_web_workbench_browser import bench  # noqa: F401  (a fresh page failing on any JS error)

from standoff.models import make
from standoff.scenario.io import parse_yaml, to_yaml

NEWS = ("date,source,target,cameo,text,origin\n"
        "2018-06-01,Kim Jong Un,Donald Trump,036,Kim offers talks,Yonhap\n"
        "2018-06-01,North Korea,United States,036,Kim offers talks,KCNA\n"
        "2018-06-01,Donald Trump,Kim Jong Un,163,Trump announces new sanctions on North Korea,AP\n")


def test_news_proposed_accepted_and_rejected_update_the_case_and_its_forecast(bench, tmp_path):  # noqa: F811
    pg = bench
    pg.wait_for_selector("#check-status[data-state='ok']", timeout=20_000)
    assert pg.locator("#case-select").input_value() == "korea-2018"
    pg.wait_for_function("document.getElementById('history-note').textContent.length > 0")
    assert pg.locator("#history-table").is_hidden()  # nothing recorded yet
    news = tmp_path / "news.csv"
    news.write_text(NEWS)
    pg.set_input_files("#update-file", str(news))
    with pg.expect_response("**/api/events/proposals") as got:
        pg.click("#update-propose")
    found = got.value.json()
    pg.wait_for_selector("#update-proposals .proposal[data-id='p2']")
    assert "3 rows read, 3 reports matched" in pg.inner_text("#update-note")
    assert "2 stories, 2 proposals" in pg.inner_text("#update-note")
    assert pg.locator("#update-stories tbody tr").count() == 2
    card = pg.locator(".proposal[data-id='p1']")
    assert "2 reports from Yonhap, KCNA" in card.inner_text()
    by = {e["issue"]: e["by"] for e in found["proposals"][0]["effects"]}
    assert by["denuclearization"] == 2.2  # 0.2 × 0.5 × 0.4 × (75 − 20)
    shown = card.locator("tr[data-row='after'] td[data-issue='denuclearization']").inner_text()
    alone = found["proposals"][0]["forecast_after"]["denuclearization"]
    assert float(shown) == pytest.approx(alone, abs=0.005)

    # accept p1, reject p2 (the default), add them: the editor's case changes and the forecast is run again
    pg.check(".proposal[data-id='p1'] input[data-decision='accept']")
    pg.check(".proposal[data-id='p2'] input[data-decision='reject']")
    with pg.expect_response("**/api/events/decide") as got:
        pg.click("#update-apply")
    decided = got.value.json()
    assert decided["accepted"] == ["p1"] and decided["events_added"] == 1
    pg.wait_for_selector("#update-result[data-accepted='p1']")
    pg.wait_for_function("document.getElementById('forecast-note').textContent.includes('model compromise')")
    after = decided["forecast_after"]
    for issue, value in after.items():
        cell = pg.locator(f"#forecast-table tr[data-issue='{issue}'] td.value").inner_text()
        assert float(cell) == pytest.approx(value, abs=0.005)
    assert any(abs(after[k] - decided["forecast_before"][k]) > 0.1 for k in after)
    pg.wait_for_selector("#history-table tbody tr[data-issue='denuclearization']")
    hist = float(pg.locator("#history-table tr[data-issue='denuclearization'] td.after").inner_text())
    assert hist == pytest.approx(after["denuclearization"], abs=0.005)

    # the case in the editor: downloaded, validated, the accepted event with its effects and source
    with pg.expect_download() as got:
        pg.click("#download-yaml")
    path = tmp_path / "korea.yaml"
    got.value.save_as(path)
    checked = subprocess.run([sys.executable, "-m", "standoff", "validate", str(path)],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = path.read_text()
    s = parse_yaml(text, file=str(path))
    assert text == decided["yaml"] and to_yaml(s) == text
    added = [e for e in s.events if e.source == "news-2018-06-01-kim-jong-un-trump-036"]
    assert len(added) == 1 and {e.issue: e.by for e in added[0].effects} == by
    assert not [e for e in s.events if e.cameo == "163" and e.date.isoformat() == "2018-06-01"]
    assert next(x for x in s.sources if x.id == added[0].source).publisher == "Yonhap; KCNA"
    value = {f.issue: f.value for f in make("compromise").forecast(s.as_of(s.last_event_date)).issues}
    assert value == pytest.approx(after)
    stored = json.loads(pg.evaluate("localStorage.getItem('standoff.workbench.v1')"))
    assert len(stored["doc"]["events"]) == len(s.events)  # the case in progress kept with the event


def test_an_edited_proposal_goes_into_the_case_with_the_analysts_number(bench):  # noqa: F811
    """Typing 5 over p1's +2.2 on denuclearization accepts it as edited: the event carries 5 (noting the
    rule's +2.2) and the rule's other changes; the page's forecast is the API's 'after'."""
    pg = bench
    pg.wait_for_selector("#check-status[data-state='ok']", timeout=20_000)
    pg.set_input_files("#update-file", files=[{"name": "news.csv", "mimeType": "text/csv",
                                               "buffer": NEWS.encode()}])
    pg.click("#update-propose")
    pg.wait_for_selector(".proposal[data-id='p1']")
    pg.locator(".proposal[data-id='p1'] input.up-by").first.fill("5")
    assert pg.locator(".proposal[data-id='p1'] input[data-decision='accept']").is_checked()
    with pg.expect_response("**/api/events/decide") as got:
        pg.click("#update-apply")
    decided = got.value.json()
    assert decided["decisions"] == {"p1": "edit", "p2": "reject"}
    s = parse_yaml(decided["yaml"])
    (event,) = [e for e in s.events if e.source == "news-2018-06-01-kim-jong-un-trump-036"]
    first = event.effects[0]
    assert (first.issue, first.by, first.note) == ("denuclearization", 5, "edited from the rule's +2.2")
    assert [e.by for e in event.effects[1:]] == [-3.0, 2.0, -1.8]  # the rule's, as in the API tests
    pg.wait_for_selector("#update-result[data-accepted='p1']")
    pg.wait_for_function("document.getElementById('forecast-note').textContent.includes('model compromise')")
    for issue, value in decided["forecast_after"].items():
        cell = pg.locator(f"#forecast-table tr[data-issue='{issue}'] td.value").inner_text()
        assert float(cell) == pytest.approx(value, abs=0.005)
