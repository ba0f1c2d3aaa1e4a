"""The truth itself: snapping, samples, totals, splits, means, positions, altitude."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pytest

from crampcheck.schema import RECORD_COLUMNS
from crampcheck.synth import MILE_M, RunSpec, Segment, build, resolve
from crampcheck.synth.geo import EARTH_RADIUS_M, haversine_m


def test_distance_segment_keeps_distance_and_snaps_duration():
    segs = resolve(RunSpec([Segment(distance_m=1000.0, speed_m_s=3.3)]))
    # 1000 / 3.3 = 303.03 s -> 303 s; the speed becomes 1000 / 303
    assert segs[0].duration_s == 303.0
    assert segs[0].distance_m == 1000.0
    assert segs[0].speed_m_s == 1000.0 / 303.0


def test_duration_segment_snaps_to_the_sample_interval():
    segs = resolve(RunSpec([Segment(duration_s=101.0, speed_m_s=3.0)], sample_interval_s=5))
    assert segs[0].duration_s == 100.0
    assert segs[0].distance_m == 300.0


def test_distance_and_duration_together_fix_the_speed():
    segs = resolve(RunSpec([Segment(distance_m=MILE_M, duration_s=480.0)]))
    assert segs[0].speed_m_s == MILE_M / 480.0


@pytest.mark.parametrize(
    "kwargs",
    [dict(), dict(kind="jog", duration_s=10), dict(kind="pause", duration_s=10, speed_m_s=1.0), dict(distance_m=5.0)],
)
def test_invalid_segments_are_refused(kwargs):
    with pytest.raises(ValueError):
        Segment(**kwargs)


def test_run_spec_refuses_naive_time_and_leading_pause():
    with pytest.raises(ValueError):
        RunSpec([Segment(duration_s=60, speed_m_s=3)], start_time_utc=datetime(2024, 1, 1))
    with pytest.raises(ValueError):
        RunSpec([Segment(duration_s=60, kind="pause"), Segment(duration_s=60, speed_m_s=3)])


def test_records_have_the_canonical_schema(mixed_truth):
    r = mixed_truth.records
    assert list(r.columns) == list(RECORD_COLUMNS)
    assert str(r["time"].dtype) == "datetime64[ns, UTC]"
    assert r["power_w"].isna().all()
    assert (r["time"] - r["time"].iloc[0]).dt.total_seconds().tolist() == r["elapsed_s"].tolist()


def test_totals_of_a_run_with_pause_and_stand(mixed_truth):
    t = mixed_truth
    segs = t.segments
    assert t.distance_m == pytest.approx(MILE_M + 360 + 800 + 400, abs=1e-9)
    assert t.elapsed_s == segs[-1].end_s
    assert t.timer_s == t.elapsed_s - 96
    assert t.moving_s == t.elapsed_s - 96 - 30
    assert [(p.start_s, p.duration_s) for p in t.pauses] == [(segs[2].start_s, 96.0)]
    assert [(s.start_s, s.duration_s) for s in t.stands] == [(segs[3].start_s, 30.0)]


def test_no_samples_inside_a_pause_and_restart_sample_is_still(mixed_truth):
    t = mixed_truth
    e = t.records["elapsed_s"].to_numpy()
    p = t.pauses[0]
    assert not np.any((e > p.start_s) & (e < p.end_s))
    i = int(np.flatnonzero(e == p.end_s)[0])
    assert e[i - 1] == p.start_s
    assert t.records["distance_m"].iat[i] == t.records["distance_m"].iat[i - 1]
    assert t.records["speed_m_s"].iat[i] == 0.0
    assert len(e) == (t.elapsed_s - 96) / 2 + 1 + 1  # every 2 s, minus the pause, plus both ends


def test_speed_is_the_backward_difference_of_distance(mixed_truth):
    r = mixed_truth.records
    derived = np.diff(r["distance_m"]) / np.diff(r["elapsed_s"])
    np.testing.assert_allclose(r["speed_m_s"].to_numpy()[1:], derived, atol=1e-9)


def test_haversine_between_samples_matches_distance_on_a_line():
    t = build(RunSpec([Segment(distance_m=20_000, speed_m_s=4.0)], heading_deg=37.0))
    r = t.records
    step = haversine_m(r["lat"].to_numpy()[:-1], r["lon"].to_numpy()[:-1], r["lat"].to_numpy()[1:], r["lon"].to_numpy()[1:])
    np.testing.assert_allclose(step, np.diff(r["distance_m"]), atol=1e-6)
    total = haversine_m(r["lat"].iat[0], r["lon"].iat[0], r["lat"].iat[-1], r["lon"].iat[-1])
    assert total == pytest.approx(20_000, abs=1e-3)


def test_loop_returns_to_its_start_and_chords_match_distance(mixed_truth):
    r = mixed_truth.records
    lat, lon, d = r["lat"].to_numpy(), r["lon"].to_numpy(), r["distance_m"].to_numpy()
    step = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    radius = 1500 / (2 * np.pi)
    chord = 2 * radius * np.sin(np.diff(d) / (2 * radius))  # straight line between two points of the circle
    np.testing.assert_allclose(step, chord, atol=1e-6)
    assert lat[0] == pytest.approx(48.8625, abs=1e-12) and lon[0] == pytest.approx(2.2490, abs=1e-12)
    i = int(np.argmin(np.abs(d - 1500)))  # one lap of the 1500 m loop later, back at the start
    assert haversine_m(lat[0], lon[0], lat[i], lon[i]) < abs(d[i] - 1500) + 1e-3
    # the farthest point of a circle is its diameter away
    far = haversine_m(lat[0], lon[0], lat[: i + 1], lon[: i + 1]).max()
    assert far == pytest.approx(1500 / np.pi, rel=1e-4)


def test_altitude_follows_the_grades(mixed_truth):
    t = mixed_truth
    r = t.records
    assert t.total_ascent_m == pytest.approx(24.0)
    assert t.total_descent_m == pytest.approx(20.0)
    assert r["altitude_m"].iat[-1] - r["altitude_m"].iat[0] == pytest.approx(4.0)
    climb = np.diff(r["altitude_m"])
    assert climb[climb > 0].sum() == pytest.approx(24.0)
    assert t.descent_m_per_km == pytest.approx(20.0 / (t.distance_m / 1000))


def test_mile_and_km_splits_sum_to_moving_and_elapsed_time(mixed_truth):
    t = mixed_truth
    for unit in ("mi", "km"):
        splits = t.splits(unit)
        assert sum(s.moving_s for s in splits) == pytest.approx(t.moving_s, abs=1e-9)
        assert sum(s.elapsed_s for s in splits) == pytest.approx(t.elapsed_s, abs=1e-9)
        assert sum(s.distance_m for s in splits) == pytest.approx(t.distance_m, abs=1e-9)
        assert [s.partial for s in splits] == [False] * (len(splits) - 1) + [True]
    first = t.mile_splits[0]
    assert first.moving_s == t.segments[0].duration_s  # the first segment is exactly one mile


def test_split_times_match_interpolated_samples(mixed_truth):
    """Because every speed change falls on a sample, interpolating the samples is exact."""
    t = mixed_truth
    r = t.records
    for s in t.km_splits:
        at = np.interp(s.end_m, r["distance_m"], r["elapsed_s"])
        assert at == pytest.approx(float(t.elapsed_at(s.end_m)), abs=1e-6)


def test_temperature_mean_is_time_weighted_over_moving_time():
    spec = RunSpec(
        [
            Segment(duration_s=1200, speed_m_s=3.0, temperature_c=10),
            Segment(duration_s=300, kind="pause", temperature_c=40),
            Segment(duration_s=600, speed_m_s=3.0, temperature_c=25),
        ]
    )
    t = build(spec)
    assert t.temperature_mean_c == 15.0
    assert (t.temperature_min_c, t.temperature_max_c) == (10.0, 40.0)


def test_heart_rate_drift_and_decoupling():
    spec = RunSpec([Segment(duration_s=3600, speed_m_s=3.0, heart_rate_bpm=150)], hr_drift_bpm_per_h=10)
    t = build(spec)
    hr = t.records["heart_rate_bpm"].to_numpy()
    assert hr[0] == 150 and hr[-1] == 160
    # independent recomputation: 1-s samples, each weighs the second that ends at it
    first, second = hr[1:1801].mean(), hr[1801:].mean()
    expected = (3.0 / first - 3.0 / second) / (3.0 / first) * 100
    assert t.hr_decoupling_pct == pytest.approx(expected, rel=1e-12)
    assert t.heart_rate_mean_bpm == pytest.approx(hr[1:].mean())


def test_missing_channels_are_all_nan_never_zero():
    spec = RunSpec(
        [Segment(duration_s=60, speed_m_s=3.0)], has_gps=False, has_altitude=False, has_heart_rate=False,
        has_cadence=False, has_temperature=False,
    )
    t = build(spec)
    for col in ("lat", "lon", "altitude_m", "heart_rate_bpm", "cadence_spm", "temperature_c"):
        assert t.records[col].isna().all(), col
    assert t.temperature_mean_c is None and t.heart_rate_mean_bpm is None and t.hr_decoupling_pct is None
    assert t.records["distance_m"].iat[-1] == 180.0


def test_values_are_whole_units_as_fit_stores_them():
    t = build(RunSpec([Segment(duration_s=60, speed_m_s=3.17, heart_rate_bpm=151.6, temperature_c=21.4, cadence_spm=171)]))
    r = t.records
    assert set(r["heart_rate_bpm"]) == {152.0}
    assert set(r["temperature_c"]) == {21.0}
    assert set(r["cadence_spm"]) == {172.0}  # even: whole rpm per leg


def test_local_time_and_pauses_utc():
    start = datetime(2024, 3, 1, 6, 0, 0, 700000, tzinfo=timezone.utc)
    spec = RunSpec(
        [Segment(duration_s=60, speed_m_s=3), Segment(duration_s=30, kind="pause"), Segment(duration_s=60, speed_m_s=3)],
        start_time_utc=start, utc_offset_s=-5 * 3600,
    )
    t = build(spec)
    assert t.start_time_utc == datetime(2024, 3, 1, 6, 0, tzinfo=timezone.utc)  # whole seconds
    assert t.start_time_local.hour == 1 and t.start_time_local.utcoffset().total_seconds() == -18000
    assert t.records["time"].iat[0] == pd.Timestamp("2024-03-01T06:00:00Z")
    (p,) = t.pauses_utc
    assert (p.start_utc.minute, p.start_utc.second, (p.end_utc - p.start_utc).seconds) == (1, 0, 30)


def test_earth_radius_is_the_iugg_mean():
    assert EARTH_RADIUS_M == 6_371_008.8
