"""The HTML reports in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Each report is opened from file://, in light and dark mode, at desktop and phone width:
every chart must be laid out with a non-zero box, the console must stay free of errors
(a Content-Security-Policy violation would be one), the page must request nothing but
itself, and a phone must not need to scroll sideways. Screenshots go to
``artifacts/screenshots/`` (git-ignored); with ``CRAMPCHECK_UPDATE_SCREENSHOTS=1`` the
README's ``docs/screenshots/run.png`` and ``history.png`` are refreshed too.

Without Chromium (or Playwright) the tests skip, except in CI (``CI=true``) where they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crampcheck.report.html_history import render_history_html
from crampcheck.report.html_run import render_run_html
from tests.helpers import reports as S
from tests.helpers.paths import PROJECT_ROOT

UPDATE_DOCS = os.environ.get("CRAMPCHECK_UPDATE_SCREENSHOTS") == "1"
ARTIFACTS = PROJECT_ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DOCS_SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1100, "height": 900}, "phone": {"width": 390, "height": 844}}
DOCS_VIEWPORT = {"width": 900, "height": 1300}  # README screenshots: the first screen of each report
RUN_CHARTS = ("chart-pace", "chart-splits", "chart-hr", "chart-temp", "chart-elev", "chart-route")
HISTORY_CHARTS = ("chart-volume", "chart-ramp", "chart-long", "chart-flags")
LIGHT_BG, DARK_BG = "rgb(255, 255, 255)", "rgb(21, 23, 26)"  # --bg in html_base.CSS






@pytest.fixture(scope="module")
def reports() -> dict[str, Path]:
    """The report files: a generated run (sample dicts until the pipeline exists), a history, a hostile one."""
    out = ARTIFACTS / "reports"
    out.mkdir(parents=True, exist_ok=True)
    try:
        run, series = S.generated_run("mi", name="Sunday long run (synthetic)")
    except pytest.skip.Exception:
        run, series = S.sample_run("mi"), S.sample_series()
        run["name"], run["file"] = "Sunday long run (sample)", "sample.fit"
    history, races = S.showcase_history()
    pages = {
        "run": render_run_html(run, series, "mi"),
        "history": render_history_html(history, races, "mi"),
        "hostile": render_history_html(S.sample_history(), S.sample_races(), "km"),
    }
    paths = {}
    for name, html in pages.items():
        paths[name] = out / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    return paths


class Watch:
    """What a page did: console errors, uncaught errors, dialogs and requests."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))


def _open(browser, path: Path, scheme: str, viewport: dict):
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    watch = Watch(page)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, watch


CHART_BOXES_JS = """ids => ids.map(id => {
  const svg = document.getElementById(id);
  if (!svg) return [id, 0, 0, 0];
  const box = svg.getBoundingClientRect();
  const drawn = Array.from(svg.querySelectorAll('path.series, rect, circle'))
    .map(el => el.getBBox()).filter(b => b.width > 0 || b.height > 0).length;
  return [id, box.width, box.height, drawn];
})"""


def _check_charts(page, ids: tuple[str, ...]) -> None:
    boxes = page.evaluate(CHART_BOXES_JS, list(ids))
    for chart_id, width, height, drawn in boxes:
        assert width > 0 and height > 0, f"{chart_id} has no box"
        assert drawn > 0, f"{chart_id} draws nothing"
    assert page.evaluate("document.querySelectorAll('svg.chart').length") == len(ids)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("report", ["run", "history"])
def test_report_renders_in_chromium(browser, reports, report, viewport):
    """Light, then dark (same page, media emulation): charts laid out, no errors, no requests."""
    context, page, watch = _open(browser, reports[report], "light", VIEWPORTS[viewport])
    ids = RUN_CHARTS if report == "run" else HISTORY_CHARTS
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for scheme, background in (("light", LIGHT_BG), ("dark", DARK_BG)):
            page.emulate_media(color_scheme=scheme)
            assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
            _check_charts(page, ids)
            assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]  # no sideways scroll
            page.screenshot(path=str(SCREENSHOTS / f"{report}-{scheme}-{viewport}.png"), full_page=True)
        assert watch.errors == []
        assert watch.requests == [reports[report].as_uri()]  # nothing but the page itself
    finally:
        context.close()


def test_history_table_sorts_and_hostile_names_stay_text(browser, reports):
    context, page, watch = _open(browser, reports["hostile"], "light", VIEWPORTS["desktop"])
    try:
        assert watch.dialogs == []
        assert page.evaluate("document.scripts.length") == 1  # only the table sorter
        assert page.inner_text("#runs tbody tr:first-child td:nth-child(2)") == S.HOSTILE
        read = "Array.from(document.querySelectorAll('#runs tbody tr td:nth-child(4)')).map(td => Number(td.dataset.sort))"
        before = page.evaluate(read)
        page.click("#runs thead th:nth-child(4) button")
        ascending = page.evaluate(read)
        page.click("#runs thead th:nth-child(4) button")
        descending = page.evaluate(read)
        assert ascending == sorted(before) and descending == sorted(before, reverse=True)
        assert ascending != before
        assert page.get_attribute("#runs thead th:nth-child(4)", "aria-sort") == "descending"
        assert watch.errors == [] and watch.dialogs == []
    finally:
        context.close()


def test_readme_screenshots(browser, reports):
    """For the README, light mode: the run's charts and the history's first screen (written only when asked)."""
    shots = {}
    for report, anchor in (("run", "#h-charts"), ("history", "h1")):
        context, page, _ = _open(browser, reports[report], "light", DOCS_VIEWPORT)
        try:
            top = page.evaluate(f"document.querySelector('{anchor}').getBoundingClientRect().top + window.scrollY")
            clip = {"x": 0, "y": max(top - 8, 0), **DOCS_VIEWPORT}
            shots[report] = page.screenshot(type="png", clip=clip, full_page=True)
        finally:
            context.close()
    for png in shots.values():
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000  # a real, non-blank picture
    if UPDATE_DOCS:
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for report, png in shots.items():
            (DOCS_SCREENSHOTS / f"{report}.png").write_bytes(png)


def _five_year_history():
    """Five years of a generated export (4 runs a week, a break each winter, a long-run spike and
    a race each spring) as the history and races dicts a scan with every week in view writes."""
    from datetime import date

    from crampcheck.history.params import HistoryThresholds
    from crampcheck.history.races import races as find_races
    from crampcheck.history.scan import build_history
    from crampcheck.report.jsonout import clean
    from tests.helpers.history import row

    rows = []
    for w in range(5 * 52):
        if w % 52 in (50, 51):  # two weeks off every Christmas
            continue
        for dow, km in ((1, 8), (3, 10), (5, 6), (6, 16 + (w % 52) / 8)):
            rows.append(row(7 * w + dow, km + (14 if w % 52 == 20 and dow == 6 else 0)))
        if w % 52 == 16:
            rows.append(row(7 * w + 5, 10.2, speed=3.6, name="Spring 10K", race=True, marked="export"))
    history = build_history(rows, HistoryThresholds(), since=date(2000, 1, 1), units="mi")
    return clean(history.to_dict()), clean(find_races(history).to_dict())


OVERLAPS_JS = """() => {
  const out = [];
  document.querySelectorAll('svg.chart').forEach(svg => {
    const boxes = Array.from(svg.querySelectorAll('text.tick')).map(t => t.getBoundingClientRect())
      .filter(b => b.width > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
        out.push(svg.id);
    }
  });
  return out;
}"""


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_five_year_history_fits_three_screens_before_the_runs_with_years_on_its_axes(browser, tmp_path, viewport):
    history, races = _five_year_history()
    assert len(history["weeks"]) > 250
    path = tmp_path / "five-years.html"
    path.write_text(render_history_html(history, races, "mi"), encoding="utf-8")
    size = VIEWPORTS[viewport]
    context, page, watch = _open(browser, path, "light", size)
    try:
        runs_top = page.evaluate("document.getElementById('h-runs').getBoundingClientRect().top + window.scrollY")
        assert runs_top <= 3 * size["height"], f"{runs_top:.0f} px before the runs table"
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        assert page.evaluate(OVERLAPS_JS) == []
        ticks = page.evaluate("Array.from(document.querySelectorAll('#chart-volume text.tick')).map(t => t.textContent)")
        assert ticks and all(t[:4].isdigit() for t in ticks)  # years on the axis ("2023-W05")
        assert {t[:4] for t in ticks} >= {"2023", "2024", "2025", "2026"}
        assert watch.errors == []
    finally:
        context.close()
