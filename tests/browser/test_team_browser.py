"""The team page in Chromium: athletes in order of need, and every link opens that athlete's history page."""

from __future__ import annotations

from click.testing import CliRunner

from crampcheck.cli import main
from tests.browser.test_browser import VIEWPORTS, Watch, browser  # noqa: F401 - the fixture, shared
from tests.team.teamdata import ORDER, plans, write_team


def test_team_page_links_open_each_history(browser, tmp_path):  # noqa: F811 - the imported fixture
    team = write_team(tmp_path / "team")
    page_path = tmp_path / "out" / "team.html"
    page_path.parent.mkdir()
    out = CliRunner().invoke(main, ["team", str(team), "--no-cache", "--jobs", "1", "--html", str(page_path),
                                    "-o", str(tmp_path / "team.txt")])
    assert out.exit_code == 0, out.output
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    watch = Watch(page)
    page.goto(page_path.as_uri())
    names = page.eval_on_selector_all("#team tbody tr td:nth-child(2)", "cells => cells.map(c => c.textContent)")
    assert names == ORDER
    tops = page.eval_on_selector_all("#team tbody tr td:nth-child(4) code", "cells => cells.map(c => c.textContent)")
    assert tops == ["distance_spike", "weekly_ramp", "weekly_ramp"]  # racer and calm: nothing flagged
    for athlete in ORDER:
        page.goto(page_path.as_uri())
        page.get_by_role("link", name=athlete, exact=True).click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/team-{athlete}.html")
        assert page.locator("h1").inner_text() == "Training history"
        assert page.locator("#runs tbody tr").count() == len(plans()[athlete])  # this athlete's runs
    assert watch.errors == [] and watch.dialogs == []
    assert all(url.startswith("file://") for url in watch.requests)
    context.close()
