"""HTML reports: same findings as the JSON, escaped text, charts drawn where the data says, offline."""

from __future__ import annotations

import base64
import hashlib
import re

import lxml.html
import pytest

from crampcheck.metrics.series import MAX_POINTS
from crampcheck.report import svg
from crampcheck.report.html_base import SORT_JS, level_class
from crampcheck.report.html_history import _long_run_points, render_history_html
from crampcheck.report.html_run import render_run_html, run_series
from tests.helpers import reports as S
from tests.helpers.paths import SAMPLES
from tests.helpers.runs import Seg, build

RUN_CHARTS = ("chart-pace", "chart-splits", "chart-hr", "chart-temp", "chart-elev", "chart-route")
HISTORY_CHARTS = ("chart-volume", "chart-ramp", "chart-long", "chart-flags")
POINT_RE = re.compile(r"[ML]\s*-?\d")


def parse(html: str):
    return lxml.html.document_fromstring(html)


def finding_pairs(doc, attr: str = "data-finding-id") -> list[tuple[str, str]]:
    return sorted((e.get(attr), e.get("data-level")) for e in doc.xpath(f"//*[@{attr}]"))


def json_pairs(findings) -> list[tuple[str, str]]:
    return sorted((f["id"], f["level"]) for f in findings)


def chart(doc, chart_id: str):
    found = doc.xpath(f'//svg[@id="{chart_id}"]')
    assert len(found) == 1, f"{chart_id} missing"
    return found[0]


def points_in(svg_el) -> int:
    return sum(len(POINT_RE.findall(p.get("d") or "")) for p in svg_el.xpath(".//path[contains(@class,'series')]"))


def assert_accessible_chart(doc, svg_el) -> None:
    assert svg_el.get("role") == "img"
    ids = svg_el.get("aria-labelledby").split()
    texts = [doc.xpath(f'//*[@id="{i}"]')[0].text_content().strip() for i in ids]
    assert [t for t in texts if t] == texts and len(texts) == 2  # a title and a description, both non-empty


def assert_offline(doc, html: str) -> None:
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.get("src") is None, f"{el.tag} has a src"
        href = el.get("href")
        assert href is None or href.startswith("#"), f"external href {href}"
        for name, value in el.attrib.items():
            assert not re.match(r"\s*(https?:)?//", value), f"{el.tag} {name}={value}"
    style = "".join(doc.xpath("//style/text()"))
    assert "url(" not in style and "@import" not in style
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html)


# ---------------------------------------------------------------- run page


@pytest.fixture(scope="module")
def run_doc():
    run = S.sample_run("mi")
    html = render_run_html(run, S.sample_series(), "mi")
    return run, html, parse(html)


def test_run_page_has_exactly_the_json_findings(run_doc):
    run, _, doc = run_doc
    assert finding_pairs(doc) == json_pairs(run["findings"])
    assert finding_pairs(doc) == [("fast_start", "high"), ("heat", "moderate"), ("no_cooldown", "low"), ("surges", "moderate")]


def test_finding_details_carry_value_threshold_and_place(run_doc):
    _, _, doc = run_doc
    details = {e.get("data-finding-id"): e.xpath("string(./p[@class='muted'])") for e in doc.xpath("//*[@data-finding-id]")}
    assert details == {
        "fast_start": "measured 6 % (threshold 5 %); where: 0.00 mi",
        "heat": "measured 79 °F (threshold 72 °F)",  # 26 and 22 °C, in the page's one system (miles: °F)
        "surges": "measured 1 (threshold 1); where: 3.73 mi",  # 6000 m
        "no_cooldown": "measured 6 % (threshold 5 %); where: 6.21 mi",
    }


def test_run_page_levels_are_spelled_out_not_only_coloured(run_doc):
    _, _, doc = run_doc
    for item in doc.xpath("//*[@data-finding-id]"):
        badge = item.xpath(".//span[contains(@class,'level ')]")[0]
        assert item.get("data-level").upper() in badge.text_content()


def test_run_page_escapes_hostile_text(run_doc):
    _, html, doc = run_doc
    assert doc.xpath("//script") == []  # the run page needs no script at all
    assert doc.xpath("//h1")[0].text_content() == S.sample_run()["name"]
    assert S.HOSTILE not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 5  # name, file, why, advice, note


def test_run_page_loads_nothing_external(run_doc):
    _, html, doc = run_doc
    assert_offline(doc, html)


def test_run_page_csp_allows_its_own_style_only(run_doc):
    _, _, doc = run_doc
    csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    style = doc.xpath("//style")[0].text
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_run_page_draws_every_chart_with_text_alternatives(run_doc):
    run, _, doc = run_doc
    for chart_id in RUN_CHARTS:
        el = chart(doc, chart_id)
        assert_accessible_chart(doc, el)
    for chart_id in ("chart-pace", "chart-hr", "chart-temp", "chart-elev", "chart-route"):
        assert points_in(chart(doc, chart_id)) >= S.RUN_POINTS - 1
    assert len(chart(doc, "chart-splits").xpath(".//g[contains(@class,'bar')]/rect")) == len(run["splits"])


def test_pace_chart_marks_findings_where_they_happened(run_doc):
    _, _, doc = run_doc
    pace = chart(doc, "chart-pace")
    marks = {g.xpath("string(.//text)").split(" ", 1)[-1]: float(g.xpath(".//line")[0].get("x1"))
             for g in pace.xpath(".//g[contains(@class,'marker')]")}
    right = svg.CHART_W - svg.MARGIN_R
    x_of = svg.Scale(0.0, S.RUN_DISTANCE_M, svg.MARGIN_L, right)
    assert marks == {
        "fast_start": pytest.approx(svg.MARGIN_L, abs=0.05),
        "surges": pytest.approx(x_of(S.SURGE_START_M), abs=0.05),
        "no_cooldown": pytest.approx(right, abs=0.05),
    }
    warm = pace.xpath(".//g[contains(@class,'warmup')]/rect")[0]
    assert float(warm.get("x")) == pytest.approx(svg.MARGIN_L, abs=0.05)
    assert float(warm.get("width")) == pytest.approx(x_of(S.WARMUP_END_M) - svg.MARGIN_L, abs=0.1)
    assert len(pace.xpath(".//g[contains(@class,'surge')]/rect")) == 1


def test_pace_chart_marks_first_and_last_mile_speeds(run_doc):
    _, _, doc = run_doc
    labels = [t.text for t in chart(doc, "chart-pace").xpath(".//text[@class='segment-label']")]
    # 1609.344 m / 3.3 m/s = 487.7 s -> 8:08; / 3.1 m/s = 519.1 s -> 8:39
    assert labels == ["first mile 8:08 /mi", "last mile 8:39 /mi"]


def test_pace_axis_uses_clock_ticks(run_doc):
    _, _, doc = run_doc
    ticks = [t.text for t in chart(doc, "chart-pace").xpath(".//g[@class='axes']/text[@class='tick']")]
    y_ticks = [t for t in ticks if ":" in t]
    assert y_ticks and all(t.endswith(("00", "30", "15", "45")) for t in y_ticks)


def test_units_km_and_mi_are_both_first_class():
    run_km = S.sample_run("km")
    doc_km = parse(render_run_html(run_km, S.sample_series(), "km"))
    doc_mi = parse(render_run_html(S.sample_run("mi"), S.sample_series(), "mi"))
    tiles_km = dict(zip(doc_km.xpath("//dl/div/dt/text()"), doc_km.xpath("//dl/div/dd/text()")))
    tiles_mi = dict(zip(doc_mi.xpath("//dl/div/dt/text()"), doc_mi.xpath("//dl/div/dd/text()")))
    assert tiles_km["Average pace"] == "5:20 /km" and tiles_mi["Average pace"] == "8:35 /mi"  # 3.125 m/s
    assert tiles_km["Distance"] == "10.00 km" and tiles_mi["Distance"] == "6.21 mi"
    assert tiles_km["Temperature (mean)"].startswith("26 °C") and tiles_mi["Temperature (mean)"].startswith("79 °F")
    assert len(chart(doc_km, "chart-splits").xpath(".//rect")) == 10
    # altitude 100 +- 20 m: metres with km, feet with miles (80 m = 262 ft, 120 m = 394 ft)
    assert chart(doc_km, "chart-elev").xpath("string(.//desc)").startswith("Elevation over 10.00 km: from 80 to 120 m.")
    assert chart(doc_mi, "chart-elev").xpath("string(.//desc)").startswith("Elevation over 6.21 mi: from 262 to 394 ft.")
    assert chart(doc_km, "chart-temp").xpath("string(.//desc)").startswith("Temperature over 10.00 km: from 24 to 28 °C.")
    assert chart(doc_mi, "chart-temp").xpath("string(.//desc)").startswith("Temperature over 6.21 mi: from 75 to 82 °F.")


def test_missing_channels_leave_their_charts_out():
    series = S.sample_series(gps=False)
    series["heart_rate_bpm"] = [None] * len(series["distance_m"])
    run = S.sample_run()
    run["fluid_plan"] = None
    doc = parse(render_run_html(run, series, "mi"))
    ids = set(doc.xpath("//svg/@id"))
    assert ids == {"chart-pace", "chart-splits", "chart-temp", "chart-elev"}
    assert not doc.xpath('//*[@id="h-fluid"]')


def test_run_without_findings_says_so():
    run = S.sample_run()
    run["findings"] = []
    doc = parse(render_run_html(run, S.sample_series(), "mi"))
    assert finding_pairs(doc) == []
    assert "No risk factor found." in doc.xpath("string(//section[@aria-labelledby='h-findings'])")


def test_generated_run_page_matches_its_json():
    run, series = S.generated_run("mi")
    html = render_run_html(run, series, "mi")
    doc = parse(html)
    assert finding_pairs(doc) == json_pairs(run["findings"])
    assert len(series["distance_m"]) <= MAX_POINTS
    for chart_id in ("chart-pace", "chart-splits", "chart-hr", "chart-temp", "chart-elev", "chart-route"):
        assert_accessible_chart(doc, chart(doc, chart_id))
    assert_offline(doc, html)


# ---------------------------------------------------------------- series payload




def _page(activity, units: str = "km"):
    """(series, parsed page) of an Activity analyzed by the real pipeline."""
    from crampcheck.pipeline import analyze
    from crampcheck.report.jsonout import run_to_dict

    report = analyze(activity, units)
    series = run_series(report)
    return series, parse(render_run_html(run_to_dict(report), series, units))


def _pace_lines(doc) -> list[str]:
    return [p.xpath("string(./title)") for p in chart(doc, "chart-pace").xpath(".//path[contains(@class,'series')]")]


def test_pace_chart_runs_on_moving_time():
    from crampcheck.pipeline import load

    activity = load(SAMPLES / "city_run_pauses.fit")
    series, doc = _page(activity)
    assert series["moving_s"][0] == 0.0
    assert series["moving_s"][-1] == pytest.approx(1800.0, abs=1.0)  # 1,980 s elapsed: the stops do not count
    assert series["moving_s"] == sorted(series["moving_s"])
    speeds = [v for v in series["speed_m_s"] if v is not None]
    assert speeds == pytest.approx([3.0] * len(speeds), abs=0.05)  # no dip at the stops: they are not in the series
    assert points_in(chart(doc, "chart-pace")) > 100


def test_grade_adjusted_pace_is_drawn_on_a_hilly_run_only():
    hills = [Seg(300, 3.0, hr=150, grade=g) for g in (0.06, -0.06) * 4]
    series, doc = _page(build(hills))
    gap = [v for v in series["gap_speed_m_s"] if v is not None]
    assert gap and max(gap) > 3.3 and min(gap) < 2.9  # uphill worth more than its clock speed, downhill less
    assert "grade-adjusted pace" in _pace_lines(doc)

    series, doc = _page(build([Seg(2400, 3.0, hr=150)], altitude0_m=None))
    assert "gap_speed_m_s" not in series and "altitude_m" not in series
    assert _pace_lines(doc) == ["pace"]


# ---------------------------------------------------------------- history page


@pytest.fixture(scope="module")
def history_doc():
    history, races = S.sample_history(), S.sample_races()
    html = render_history_html(history, races, "mi")
    return history, races, html, parse(html)


def test_history_page_has_exactly_the_json_findings(history_doc):
    history, races, _, doc = history_doc
    assert finding_pairs(doc) == json_pairs(history["history_findings"])
    race_findings = [f for r in races["races"] for f in r["findings"]]
    assert finding_pairs(doc, "data-race-finding-id") == json_pairs(race_findings)


def test_history_page_escapes_and_has_only_its_sort_script(history_doc):
    _, _, html, doc = history_doc
    scripts = doc.xpath("//script")
    assert len(scripts) == 1 and scripts[0].text == SORT_JS
    assert S.HOSTILE not in html
    names = doc.xpath("//table[@id='runs']/tbody/tr/td[2]")
    assert names[0].text_content() == S.HOSTILE
    csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    digest = base64.b64encode(hashlib.sha256(SORT_JS.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp


def test_history_page_loads_nothing_external(history_doc):
    _, _, html, doc = history_doc
    assert_offline(doc, html)


def test_history_charts_follow_the_weeks(history_doc):
    _, _, _, doc = history_doc
    for chart_id in HISTORY_CHARTS:
        assert_accessible_chart(doc, chart(doc, chart_id))
    volume = chart(doc, "chart-volume")
    assert len(volume.xpath(".//g[contains(@class,'bar')]/rect")) == S.HISTORY_WEEKS
    flagged = volume.xpath(".//g[contains(@class,'flag-')]")
    assert len(flagged) == 1 and "flag-very-high" in flagged[0].get("class")  # week 8: worst flag is very high
    assert flagged[0].xpath("string(.//text)") == "×1.50 ▲▲"
    ramp = chart(doc, "chart-ramp")
    assert points_in(ramp) == S.HISTORY_WEEKS - 4  # no ratio for the first four weeks
    assert [t.text for t in ramp.xpath(".//text[@class='hline-label']")] == ["◆ moderate 1.3", "▲ high 1.5"]
    assert points_in(chart(doc, "chart-long")) >= S.HISTORY_WEEKS
    spans = chart(doc, "chart-flags").xpath(".//g[contains(@class,'span')]")
    assert sorted(g.get("class") for g in spans) == ["span level-high", "span level-very-high"]


def test_long_run_points_compare_each_long_run_with_the_30_days_before():
    xs, long_m, window_m = _long_run_points(S.sample_history(), 30)
    assert len(xs) == S.HISTORY_WEEKS
    # the spike week: 17 km on Tuesday, 20 km on Saturday; before Saturday the longest was that 17 km
    assert long_m[7] == 20_000.0 and window_m[7] == 17_000.0
    assert window_m[6] == 12_000.0
    assert window_m[8] == 20_000.0  # the spike stays the 30-day max afterwards
    assert xs[7] == (S.HISTORY_START.toordinal() + 7 * 7 + 5)  # Saturday of week 8


def test_history_runs_table_is_sortable_with_numeric_keys(history_doc):
    history, _, _, doc = history_doc
    table = doc.xpath("//table[@id='runs']")[0]
    assert "sortable" in table.get("class")
    rows = table.xpath("./tbody/tr")
    assert len(rows) == len(history["activities"])
    distance_keys = [float(r.xpath("./td[4]/@data-sort")[0]) for r in rows]
    assert distance_keys == [a["distance_m"] for a in history["activities"]]
    assert table.xpath("./thead/tr/th/button/text()")[0] == "Date"


def test_history_races_give_a_fast_start_verdict(history_doc):
    _, _, _, doc = history_doc
    rows = doc.xpath("//section[@aria-labelledby='h-races']//tbody/tr")
    verdicts = [r.xpath("string(./td[6])") for r in rows]  # after finish time and pace
    assert verdicts[0].startswith("▲ HIGH") and "NO FAST START" in verdicts[1]


def test_history_without_races_or_findings():
    history = S.sample_history()
    history["history_findings"] = []
    for w in history["weeks"]:
        w["flags"] = []
    doc = parse(render_history_html(history, None, "km"))
    assert finding_pairs(doc) == []
    assert not doc.xpath("//*[@id='h-races']")
    assert not doc.xpath("//svg[@id='chart-flags']")
    assert "Total distance" in doc.xpath("//dl/div/dt/text()")
    assert doc.xpath("//dl/div[dt='Total distance']/dd/text()") == ["315 km"]  # 9 weeks x 30 km + 45 km


# ---------------------------------------------------------------- svg helpers


def test_nice_and_time_ticks():
    assert svg.nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert svg.nice_ticks(0.3, 1.1) == [0.4, 0.6, 0.8, 1.0]
    assert svg.time_ticks(420, 560) == [420.0, 450.0, 480.0, 510.0, 540.0]


def test_path_breaks_at_missing_values():
    sx = svg.Scale(0, 4, 0, 400)
    d = svg.path_d([0, 1, 2, 3, 4], [1, 2, None, 4, 5], sx, svg.Scale(0, 10, 100, 0))
    assert d == "M0.0 90.0L100.0 80.0M300.0 60.0L400.0 50.0"


def test_level_class_drops_unsafe_characters():
    assert level_class("very high") == "level-very-high"
    assert level_class('high" onload="x') == "level-high-onload-x"


def test_pages_render_from_minimal_dicts():
    run = S.sample_run("km")
    doc = parse(render_run_html(run, {}, "km"))  # no records: only the splits can be drawn
    assert set(doc.xpath("//svg/@id")) == {"chart-splits"}
    assert finding_pairs(doc) == json_pairs(run["findings"])
    empty = parse(render_history_html({"schema": "crampcheck.history/1"}, {"races": []}, "km"))
    assert empty.xpath("//svg") == [] and finding_pairs(empty) == []
    assert "No runs in this history." in empty.text_content() and "No races found." in empty.text_content()


def test_finding_values_are_rounded_as_a_runner_reads_them():
    from crampcheck.report.html_base import findings_html

    html = findings_html([{"id": "fast_start", "level": "high", "value": 15.0571, "threshold": 5.0, "unit": "%"},
                          {"id": "weekly_ramp", "level": "high", "value": 1.5534, "threshold": 1.5, "unit": "ratio"}])
    assert "measured 15.1 % (threshold 5 %)" in html and "measured 1.55 × (threshold 1.5 ×)" in html


def test_run_page_shows_the_air_and_escapes_its_source():
    run = S.sample_run("km")
    run["summary"]["air"] = {"temperature_c": 28.0, "humidity_pct": 72.0, "dew_point_c": 22.5, "heat_index_c": 31.6,
                             "index": "NWS heat index", "source": f"external sensor ({S.HOSTILE})", "kind": "sensor"}
    html = render_run_html(run, S.sample_series(), "km")
    tiles = {e.xpath("string(./dt)"): e.xpath("string(./dd)") for e in parse(html).xpath("//dl[@class='tiles']/div")}
    air = tiles["Air (heat judged from)"]
    assert air.startswith("28 °C, 72 % humidity, dew point 22 °C, heat index 32 °C")  # km: °C only
    assert air.endswith(f"external sensor ({S.HOSTILE})") and S.HOSTILE not in html
    run["summary"]["air"] = {"temperature_c": 25.0, "source": "watch sensor", "kind": "watch"}
    wrist = parse(render_run_html(run, S.sample_series(), "km")).xpath("string(//dl[@class='tiles'])")
    assert "a wrist sensor: it reads above the air" in wrist
