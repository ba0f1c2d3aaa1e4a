"""The run report of a cramped run, in headless Chromium: the cramp is marked on the pace chart
where it struck, and said in the page's text (skips without Chromium, fails in CI)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from crampcheck.synth import scenarios, to_bytes

CRAMP_KM = 8.5  # of a 10 km race


MARK_JS = """() => {
  const chart = document.getElementById('chart-pace');
  const mark = chart.querySelector('g.marker.cramp');
  if (!mark) return null;
  const line = mark.querySelector('line').getBBox();
  const pace = chart.querySelector('path.series.pace').getBBox();
  return {x: line.x, left: pace.x, width: pace.width, label: mark.querySelector('text').textContent,
          shown: mark.getBoundingClientRect().height > 0};
}"""


def test_a_cramped_run_is_marked_on_its_pace_chart(browser, tmp_path):
    run = tmp_path / "race.fit"
    spec = scenarios.race_10k(3.6, first_mile_faster_pct=8.0, sample_interval_s=2,
                              start_time_utc=datetime(2024, 9, 22, 7, 0, tzinfo=timezone.utc))
    run.write_bytes(to_bytes(spec, "fit"))
    log, page_path = tmp_path / "cramps.sqlite", tmp_path / "race.html"
    runner = CliRunner()
    added = runner.invoke(main, ["cramp", "add", str(run), "--at", f"{CRAMP_KM}km", "--muscle", "calf", "--data", str(log)])
    assert added.exit_code == 0, added.output
    result = runner.invoke(main, ["analyze", str(run), "--units", "km", "--data", str(log), "--html", str(page_path), "--no-color"])
    assert result.exit_code == 0, result.output
    assert "CRAMP at 8.50 km (85 % of the run) · calf (logged #1)" in result.stdout
    assert "In the 1.00 km before it: pace" in result.stdout
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        mark = page.evaluate(MARK_JS)
        assert mark is not None and mark["shown"] and mark["label"] == "✱ cramp (calf)"
        assert mark["x"] == pytest.approx(mark["left"] + mark["width"] * CRAMP_KM / 10.0, abs=mark["width"] * 0.01)
        said = page.inner_text("#h-cramps + ul")
        assert "CRAMP at 8.50 km (85 % of the run)" in said and "In the 1.00 km before it" in said
        desc = page.evaluate("document.getElementById('chart-pace-desc').textContent")
        assert "cramp (calf) at 8.50 km" in desc  # screen readers hear it too
        assert errors == []
    finally:
        context.close()


def test_the_history_page_says_what_came_before_the_cramps(browser, tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    log, page_path = tmp_path / "cramps.sqlite", tmp_path / "history.html"
    runner = CliRunner()
    for k in range(3):
        spec = scenarios.race_10k(3.6, first_mile_faster_pct=8.0, name=f"Race {k}", sample_interval_s=5,
                                  start_time_utc=datetime(2024, 3 + 2 * k, 10, 8, 0, tzinfo=timezone.utc))
        path = runs / f"race{k}.fit"
        path.write_bytes(to_bytes(spec, "fit"))
        assert runner.invoke(main, ["cramp", "add", str(path), "--at", "9km", "--data", str(log)]).exit_code == 0
    result = runner.invoke(main, ["scan", str(runs), "--no-cache", "--data", str(log), "--html", str(page_path), "--no-progress",
                                  "--since", "2024-01-01"])
    assert result.exit_code == 0, result.output
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(page_path.as_uri())
        section = page.inner_text('section[aria-labelledby="h-cramps"]')
        assert "3 cramped runs" in section and "3 of your 3 cramps with a known place struck in the final quarter" in section
        assert page.locator('section[aria-labelledby="h-races"] [data-cramp]').count() == 3  # the races marked
        assert page.locator("#runs [data-cramp]").count() == 3  # and the runs
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # a phone never scrolls sideways
        assert errors == []
    finally:
        context.close()
