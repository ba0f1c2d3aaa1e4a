"""Data checks before judging (metrics/quality.py): each fault gets its warning id, and the
verdict is not read from the broken part."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from crampcheck import pipeline
from crampcheck.errors import CrampcheckError
from crampcheck.metrics import quality
from crampcheck.metrics.run import Detection, compute
from crampcheck.report.jsonout import run_to_dict
from crampcheck.report.run import render_run_markdown, render_run_text
from crampcheck.synth.files import to_bytes
from crampcheck.synth.scenarios import even_pace
from tests.conftest import REAL_DIR, real_files
from tests.metrics.runbuilder import Seg, build

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
PACING = {"fast_start", "positive_split", "no_warmup", "no_cooldown", "surges", "hr_drift"}


def _ids(activity) -> list[str]:
    return [w.id for w in compute(activity, units="km").data_warnings]


def _not_judged(activity) -> set[str]:
    return {n.id for n in pipeline.analyze(activity, units="km").assessment.not_judged}


def _steady(minutes: int = 40, speed_m_s: float = 3.0, hr: float = 150.0, temp: float = 15.0):
    return build([Seg(minutes * 60, speed_m_s, hr=hr, temp=temp)])


def test_clean_run_has_no_warning():
    assert _ids(_steady()) == []


def test_multi_hour_gap_is_cut_off_and_never_read_as_fast_kilometres():
    run = _steady(40)
    r = run.records.to_pandas()
    after = r.index >= 1500  # 25 min in, the clock jumps 3 h and the distance 5 km
    r.loc[after, "time"] += np.timedelta64(3 * 3600, "s")
    r.loc[after, "elapsed_s"] += 3 * 3600
    r.loc[after, "distance_m"] += 5000.0
    gapped = replace(run, records=r)
    m = compute(gapped, units="km")
    assert [w.id for w in m.data_warnings] == ["record_gap"]
    warning = m.data_warnings[0]
    assert warning.at_s == pytest.approx(1499.0)
    assert "before the gap" in warning.why and "2.7 km left out" in warning.why
    assert m.distance_m == pytest.approx(1499 * 3.0, rel=0.01)  # the part before only
    assert m.elapsed_time_s < 1600
    assert max(s.speed_m_s for s in m.splits) < 3.5  # no "fast kilometre" across the gap
    assert {"positive_split", "no_cooldown", "long_run"} <= _not_judged(gapped)


def test_gap_covered_by_a_timer_stop_is_no_fault():
    run = build([Seg(1200, 3.0, hr=150), Seg(3 * 3600, stop=True), Seg(1200, 3.0, hr=150)])
    assert "record_gap" not in _ids(run)


def test_sparse_distance_keeps_moving_time_and_leaves_pacing_unjudged():
    run = _steady(40)
    r = run.records.to_pandas()
    keep = np.zeros(len(r), dtype=bool)
    keep[::20] = True  # one record in 20 carries distance, the others only heart rate
    r.loc[~keep, "distance_m"] = np.nan
    r["speed_m_s"] = np.nan
    sparse = replace(run, records=r)
    m = compute(sparse, units="km")
    assert [w.id for w in m.data_warnings] == ["sparse_distance"]
    assert m.moving_time_s == pytest.approx(2400, abs=30)
    assert m.distance_m == pytest.approx(2400 * 3.0, rel=0.01)
    unchecked = Detection(quality=replace(quality.QualitySettings(), sparse_distance_fraction=0.0))
    assert compute(sparse, units="km", detection=unchecked).moving_time_s < 600  # the collapse it prevents
    assert PACING <= _not_judged(sparse)


def test_backward_time_jump_that_doubles_the_distance_is_warned(tmp_path):
    gpx = to_bytes(even_pace(5000.0), "gpx").decode()
    times = re.findall(r"<time>[^<]+</time>", gpx.split("<trkseg>", 1)[1])
    # the second half of the track is stamped with the times of the first half again
    half = len(times) // 2
    head, body = gpx.split("<trkseg>", 1)
    parts = body.split("<time>")
    for i in range(half, len(times)):
        parts[i + 1] = times[i - half][len("<time>"):] + parts[i + 1].split("</time>", 1)[1]
    path = tmp_path / "replayed.gpx"
    path.write_text(head + "<trkseg>" + "<time>".join(parts))
    activity = pipeline.load(path)
    assert "time_backwards" in _ids(activity)
    assert PACING <= _not_judged(activity)


def test_gps_teleport_is_warned_and_its_distance_left_out():
    run = _steady(30)
    r = run.records.to_pandas()
    r.loc[r.index >= 900, "distance_m"] += 1_000_000.0  # a 1,000 km jump in one second
    r.loc[r.index >= 900, "lat"] += 9.0
    teleported = replace(run, records=r)
    m = compute(teleported, units="km")
    assert "impossible_speed" in [w.id for w in m.data_warnings]
    assert m.distance_m == pytest.approx(1800 * 3.0, rel=0.01)
    assert "surges" in _not_judged(teleported)


def test_sustained_impossible_speed_is_warned():
    run = build([Seg(900, 3.0, hr=150), Seg(30, 25.0, hr=150), Seg(900, 3.0, hr=150)])
    m = compute(run, units="km")
    assert [w.id for w in m.data_warnings] == ["impossible_speed"]
    assert m.distance_m == pytest.approx(1800 * 3.0, rel=0.01)
    assert not m.surges


def test_a_short_sprint_is_not_impossible():
    assert _ids(build([Seg(900, 3.0, hr=150), Seg(20, 9.0, hr=170), Seg(900, 3.0, hr=150)])) == []


def test_absurd_heart_rate_and_temperature_are_dropped_before_any_statistic():
    run = _steady(40, hr=150.0, temp=15.0)
    r = run.records.to_pandas()
    r.loc[600:660, "heart_rate_bpm"] = 300.0
    r.loc[100:110, "temperature_c"] = 1e6
    absurd = replace(run, records=r)
    m = compute(absurd, units="km")
    assert [w.id for w in m.data_warnings] == ["out_of_range", "out_of_range"]
    assert m.heart_rate.max_bpm == 150.0 and m.temperature.max_c == 15.0
    assert m.data_warnings[0].at_s == pytest.approx(600.0)
    levels = {f.id for f in pipeline.analyze(absurd, units="km").assessment.findings}
    assert "heat" not in levels


def test_positions_and_years_out_of_range_are_dropped():
    run = _steady(30)
    r = run.records.to_pandas()
    r.loc[5:9, "lat"] = 123.0
    r.loc[:2, "time"] = r.loc[:2, "time"] - np.timedelta64(60 * 365 * 86400, "s")  # 1964
    m = compute(replace(run, records=r), units="km")
    whys = [w.why for w in m.data_warnings if w.id == "out_of_range"]
    assert len(whys) == 2 and "1980" in whys[0] and "±90°" in whys[1]
    assert m.start_latitude_deg == pytest.approx(48.85, abs=0.1)


def test_duplicate_timestamps_counted_by_the_reader():
    run = replace(_steady(), reader_fixes={"records_read": 3000, "duplicate_timestamps": 600, "time_backwards": 0})
    assert _ids(run) == ["duplicate_timestamps"]
    few = replace(_steady(), reader_fixes={"records_read": 3000, "duplicate_timestamps": 7, "time_backwards": 0})
    assert _ids(few) == []


def test_moving_time_beyond_the_device_timer_is_warned():
    run = _steady(40)
    assert _ids(replace(run, device_totals={"timer_time_s": 2400.0, "elapsed_time_s": 2400.0})) == []
    short = replace(run, device_totals={"timer_time_s": 1500.0, "elapsed_time_s": 2400.0})
    assert _ids(short) == ["moving_time_mismatch"]
    long = replace(run, device_totals={"timer_time_s": 3600.0, "elapsed_time_s": 3700.0})
    assert _ids(long) == ["moving_time_mismatch"]
    # standing with the timer running explains a timer longer than the moving time
    standing = build([Seg(1200, 3.0), Seg(600, 0.0), Seg(1200, 3.0)])
    assert _ids(replace(standing, device_totals={"timer_time_s": 3000.0})) == []


def test_settings_come_from_the_thresholds_table():
    from crampcheck.risk.config import load_config

    assert pipeline.detection(load_config(None)).quality == quality.QualitySettings()


def test_data_warnings_in_json_and_report_escaped():
    run = _steady(40)
    r = run.records.to_pandas()
    r.loc[600:660, "heart_rate_bpm"] = 300.0
    bad = replace(run, source="evil\x1b[2J.fit", data_warnings=[quality.DataWarning("clock_jump", "jump \x1b[31mred", 5.0)])
    bad = replace(bad, records=r)
    out = run_to_dict(pipeline.analyze(bad, units="km"))
    assert [w["id"] for w in out["data_warnings"]] == ["clock_jump", "out_of_range"]
    assert set(out["data_warnings"][0]) == {"id", "why", "at_s"}
    text = render_run_text(out)
    section = text.split("Data checks", 1)[1].split("Verdict", 1)[0]
    assert "\x1b" not in section and "\\x1b[31mred" in section
    assert "Data checks" in render_run_markdown(out)
    clean = run_to_dict(pipeline.analyze(_steady(40), units="km"))
    assert clean["data_warnings"] == [] and "Data checks" not in render_run_text(clean)


# ---------------------------------------------------------------------------- real files


def test_real_clock_jump_file_gets_a_clock_jump_warning(real_dir):
    activity = pipeline.load(real_dir / "fit" / "garmin_fr225_intervals_10.5km_time_jump.fit")
    warnings = compute(activity, units="km").data_warnings
    assert [w.id for w in warnings] == ["clock_jump"]
    assert warnings[0].at_s == pytest.approx(475.0, abs=5)


def test_real_footpod_file_warns_about_its_device_relative_times(real_dir):
    activity = pipeline.load(real_dir / "fit" / "garmin_fr70_run_footpod_compressed_ts.fit")
    assert "relative_timestamps" in _ids(activity)


def test_no_sample_gets_a_warning():
    samples = sorted(p for p in SAMPLES_DIR.glob("*") if p.name != "README.md")
    assert samples
    flagged = {p.name: _ids(pipeline.load(p)) for p in samples}
    assert {name: ids for name, ids in flagged.items() if ids} == {}


# Ordinary real running files with a warning, and why it is justified (VERDICTS.tsv rationale):
JUSTIFIED = {
    "garmin_fr225_intervals_10.5km_time_jump.fit": {"clock_jump"},  # 20-day clock jump
    "garmin_fr70_run_footpod_compressed_ts.fit": {"relative_timestamps"},  # dates decode to 1990
    "suunto_movescount_run_2km.tcx": {"moving_time_mismatch"},  # laps claim 625 s, track runs 907 s
    "suunto_spartan_run_laps32.tcx": {"moving_time_mismatch"},  # laps start 186 s before the track
}


@pytest.mark.skipif(not REAL_DIR.is_dir(), reason="../shared/data/real is absent")
def test_few_ordinary_real_runs_get_a_warning():
    flagged = {}
    for path in real_files("fit") + real_files("gpx") + real_files("tcx"):
        if path.name.startswith("anomaly_"):
            continue
        try:
            activity = pipeline.load(path)
        except CrampcheckError:  # unreadable or not a run: no verdict to check
            continue
        if activity.sport != "running":
            continue
        ids = set(_ids(activity))
        if ids:
            flagged[path.name] = ids
    print("real running files with data warnings:", flagged)
    assert flagged == JUSTIFIED


def test_moving_time_shorter_than_the_timer_is_explained():
    """3 min standing with the timer running: moving time is 3 min under the timer, and the report says why."""
    from crampcheck.metrics.run import compute
    from tests.metrics.runbuilder import Seg, build

    activity = build([Seg(1200, 3.0), Seg(180, 0.0), Seg(1200, 3.0)])
    activity.device_totals = {"timer_time_s": 2580.0, "elapsed_time_s": 2580.0}
    m = compute(activity, "km")
    assert m.moving_time_s == pytest.approx(2400, abs=5)
    note = next(n for n in m.notes if "shorter than the device's timer" in n)
    assert note.startswith("moving time 40:00 is 3:00 shorter than the device's timer total 43:00")
    activity.device_totals = {"timer_time_s": 2420.0, "elapsed_time_s": 2580.0}  # within the tolerance
    assert not any("shorter than the device's timer" in n for n in compute(activity, "km").notes)
