"""The issues' "done when" checks, end to end: synthetic runs with known truth are written as
FIT, GPX and TCX files, read back through ``pipeline.load`` (format detection included) and
analyzed; the report must match the truth the generator knows.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from crampcheck.pipeline import analyze, load
from crampcheck.report.jsonout import run_to_dict
from crampcheck.synth import RunSpec, Segment, build, scenarios, write

FORMATS = ("fit", "gpx", "tcx", "fit.gz")


def analyzed(spec: RunSpec, fmt: str, tmp_path, units: str = "mi"):
    """Write ``spec`` as ``fmt`` (TCX carries no temperature), read it back and analyze it."""
    if fmt == "tcx":
        spec = replace(spec, has_temperature=False)
    path = tmp_path / f"run.{fmt}"
    truth = write(spec, path)
    return truth, analyze(load(path), units=units)


def levels(report) -> dict[str, str]:
    return {f.id: f.level for f in report.assessment.findings}


# --- issue: readers and the pacing report ---------------------------------------------------

TRUTH_SCENARIOS = {
    "even": scenarios.even_pace(8000.0, 3.1),
    "fast_start": scenarios.fast_start(8000.0, 3.0, 6.0),
    "pauses": scenarios.with_pauses(),
    "warmup_cooldown": scenarios.cool_short_run(),
    "hills": scenarios.hills(),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(TRUTH_SCENARIOS))
def test_report_matches_the_truth_in_every_format(name, fmt, tmp_path):
    truth, report = analyzed(TRUTH_SCENARIOS[name], fmt, tmp_path)
    m = report.metrics
    assert m.distance_m == pytest.approx(truth.distance_m, rel=0.005)
    assert m.moving_time_s == pytest.approx(truth.moving_s, abs=3)
    assert m.elapsed_time_s == pytest.approx(truth.elapsed_s, abs=3)
    true_splits = truth.mile_splits
    assert len(m.splits) == len(true_splits)
    for split, true_split in zip(m.splits, true_splits):
        assert split.time_s == pytest.approx(true_split.moving_s, abs=2)
        assert split.partial == true_split.partial
    if truth.temperature_mean_c is not None:
        assert m.temperature.mean_c == pytest.approx(truth.temperature_mean_c, abs=0.6)
    else:
        assert m.temperature is None


@pytest.mark.parametrize("fmt", ("fit", "gpx"))
def test_km_splits_and_first_vs_last_km(fmt, tmp_path):
    truth, report = analyzed(scenarios.fast_start(6000.0, 3.0, 8.0, unit="km"), fmt, tmp_path, units="km")
    for split, true_split in zip(report.metrics.splits, truth.km_splits):
        assert split.time_s == pytest.approx(true_split.moving_s, abs=2)
    assert report.metrics.first_vs_last.unit == "km"
    assert report.metrics.first_vs_last.ratio == pytest.approx(truth.first_last_ratio("km"), abs=0.01)


def test_json_contract_fields(tmp_path):
    _, report = analyzed(scenarios.with_pauses(), "fit", tmp_path)
    data = run_to_dict(report)
    assert data["schema"] == "crampcheck.run/1"
    assert set(data["summary"]) >= {"distance_m", "elapsed_time_s", "moving_time_s", "avg_speed_m_s", "temperature_c", "heart_rate_bpm"}
    assert set(data["summary"]["temperature_c"]) == {"min", "mean", "max", "source"}
    assert set(data["summary"]["heart_rate_bpm"]) == {"mean", "max"}
    assert set(data["splits"][0]) >= {"index", "unit", "distance_m", "time_s", "speed_m_s", "heart_rate_bpm", "temperature_c"}
    assert set(data["halves"]) == {"first_speed_m_s", "second_speed_m_s"}
    assert set(data["first_vs_last"]) >= {"unit", "first_speed_m_s", "last_speed_m_s", "ratio"}
    assert data["start_time_local"].endswith("+02:00")  # the file's local clock, Paris in June
    for finding in data["findings"]:
        assert set(finding) >= {"id", "level", "subscore", "evidence", "value", "threshold", "why", "advice", "at_s", "at_m"}
    assert set(data["scores"]) >= {"overall", "overload", "electrolyte"}


# --- issue: cramp-risk scoring ----------------------------------------------------------------


def test_first_mile_6pct_fast_without_warmup_is_a_fast_start(tmp_path):
    _, report = analyzed(scenarios.fast_start(8000.0, 3.0, 6.0), "fit", tmp_path)
    assert levels(report).get("fast_start") in ("moderate", "high")


def test_even_run_with_cooldown_has_no_fast_start_but_no_warmup(tmp_path):
    spec = RunSpec(
        segments=(Segment(distance_m=8000.0, speed_m_s=3.2), Segment(duration_s=480.0, speed_m_s=2.6, label="cooldown"))
    )
    _, report = analyzed(spec, "fit", tmp_path)
    found = levels(report)
    assert "fast_start" not in found
    assert "no_warmup" in found
    assert report.metrics.cooldown is not None


def test_two_hours_at_30c_is_a_high_long_hot_run(tmp_path):
    _, report = analyzed(scenarios.hot_long_run(), "fit", tmp_path)
    assert levels(report)["long_hot_run"] == "high"
    assert report.assessment.fluid_plan is not None


def test_forty_cool_minutes_with_warmup_and_cooldown_is_low(tmp_path):
    _, report = analyzed(scenarios.cool_short_run(), "fit", tmp_path)
    found = levels(report)
    assert not {"heat", "long_run", "long_hot_run", "no_warmup", "no_cooldown", "fast_start"} & set(found)
    assert report.assessment.scores.overall == "low"


@pytest.mark.parametrize("fmt", ("fit", "gpx", "tcx"))
def test_three_surges_found_where_they_happened(fmt, tmp_path):
    truth, report = analyzed(scenarios.surges(), fmt, tmp_path)
    found = report.metrics.surges
    assert len(found) == len(truth.surges) == 3
    for surge, true_surge in zip(found, truth.surges):
        assert surge.start_s == pytest.approx(true_surge.start_moving_s, abs=15)
    finding = next(f for f in report.assessment.findings if f.id == "surges")
    assert len(finding.at_s) == 3


def test_steady_run_has_no_surges(tmp_path):
    _, report = analyzed(scenarios.even_pace(10000.0, 3.0), "fit", tmp_path)
    assert report.metrics.surges == [] and "surges" not in levels(report)


def test_no_temperature_channel_leaves_heat_not_judged(tmp_path):
    _, report = analyzed(scenarios.no_temperature(), "fit", tmp_path)
    assert "heat" in {n.id for n in report.assessment.not_judged}


@pytest.mark.parametrize(
    "spec",
    [scenarios.fast_start(8000.0, 3.0, 6.0), scenarios.hot_long_run(), scenarios.surges(), scenarios.cool_short_run(), scenarios.hills()],
    ids=lambda s: s.name,
)
def test_fit_and_gpx_of_one_run_give_the_same_findings(spec, tmp_path):
    (tmp_path / "fit").mkdir()
    (tmp_path / "gpx").mkdir()
    _, from_fit = analyzed(spec, "fit", tmp_path / "fit")
    _, from_gpx = analyzed(spec, "gpx", tmp_path / "gpx")
    assert levels(from_fit) == levels(from_gpx)
    assert from_fit.assessment.scores == from_gpx.assessment.scores


def test_ambient_temperature_overrides_the_watch(tmp_path):
    from crampcheck.risk.config import load_config

    path = tmp_path / "run.fit"
    write(scenarios.hot_long_run(), path)
    config = load_config(None).with_profile(ambient_temp_c=12.0)
    report = analyze(load(path), config=config)
    assert "heat" not in levels(report) and "long_hot_run" not in levels(report)
    assert report.metrics.temperature.mean_c == pytest.approx(12.0)


def test_truth_of_the_built_runs_is_what_the_tests_assume():
    # guards the oracle itself: the fast start really is 6 % faster over the first mile
    truth = build(scenarios.fast_start(8000.0, 3.0, 6.0))
    assert truth.first_last_ratio("mi") == pytest.approx(1.06, abs=0.002)


def test_detection_thresholds_come_from_the_table(tmp_path):
    """The surge effort check and the jog rule follow the user's thresholds."""
    from crampcheck.risk.config import load_config

    surges_path, jogs_path = tmp_path / "surges.fit", tmp_path / "jogs.fit"
    write(scenarios.surges(), surges_path)  # heart rate rises ~15 bpm in each surge
    write(scenarios.cool_short_run(), jogs_path)  # jogs 15 % slower than the main part
    default = load_config(None)
    assert len(analyze(load(surges_path), config=default).metrics.surges) == 3
    strict = default.thresholds.with_overrides({"surge_hr_rise_bpm": 30.0}, "test")
    assert analyze(load(surges_path), config=replace(default, thresholds=strict)).metrics.surges == []
    assert analyze(load(jogs_path), config=default).metrics.warmup is not None
    picky = default.thresholds.with_overrides({"jog_slower_pct": 20.0}, "test")
    assert analyze(load(jogs_path), config=replace(default, thresholds=picky)).metrics.warmup is None


def test_opening_and_closing_windows_follow_warmup_min_and_cooldown_min(tmp_path):
    from crampcheck.risk.config import load_config

    path = tmp_path / "run.fit"
    spec = RunSpec(segments=(Segment(duration_s=300.0, speed_m_s=2.7), Segment(duration_s=2400.0, speed_m_s=3.0),
                             Segment(duration_s=600.0, speed_m_s=2.4)))
    write(spec, path)
    default = load_config(None)
    m = analyze(load(path), config=default).metrics
    assert m.first_5min_speed_m_s == pytest.approx(2.7, abs=0.01) and m.last_5min_speed_m_s == pytest.approx(2.4, abs=0.01)
    wider = default.thresholds.with_overrides({"warmup_min": 10.0, "cooldown_min": 20.0}, "test")
    m = analyze(load(path), config=replace(default, thresholds=wider)).metrics
    assert m.first_5min_speed_m_s == pytest.approx((2.7 + 3.0) / 2, abs=0.01)  # 5 min at 2.7, 5 at 3.0
    assert m.last_5min_speed_m_s == pytest.approx((2.4 + 3.0) / 2, abs=0.01)  # 10 min at 3.0, 10 at 2.4
