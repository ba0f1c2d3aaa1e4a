"""Temperature and heart-rate summaries; local start time from the file or the GPS position."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from crampcheck.metrics.localtime import first_fix, local_times
from crampcheck.metrics.run import compute
from tests.helpers.runs import Seg, build

UTC = timezone.utc


def test_temperature_is_a_moving_time_mean():
    segs = [
        Seg(1200, 3.0, temp=20.0),
        Seg(600, stop=True, temp=35.0),  # the restart record only
        Seg(600, 3.0, temp=26.0),
        Seg(300, 0.0, temp=40.0),  # standing in the sun, timer running: not moving
        Seg(600, 3.0, temp=23.0),
    ]
    m = compute(build(segs), "km")
    truth_c = (1200 * 20 + 600 * 26 + 600 * 23) / 2400
    assert m.temperature.mean_c == pytest.approx(truth_c, abs=0.6)
    assert (m.temperature.min_c, m.temperature.max_c) == (20.0, 26.0)
    assert m.temperature.source == "watch sensor"
    assert m.has_temperature


def test_ambient_temperature_overrides_the_file():
    m = compute(build([Seg(1200, 3.0, temp=31.0)]), "km", ambient_temp_c=18.5)
    t = m.temperature
    assert (t.min_c, t.mean_c, t.max_c, t.source) == (18.5, 18.5, 18.5, "user (--ambient-temp)")


def test_no_temperature_channel():
    m = compute(build([Seg(1200, 3.0)]), "km")
    assert m.temperature is None and not m.has_temperature
    assert any("temperature" in n for n in m.notes)


def test_heart_rate_stats():
    segs = [Seg(1200, 3.0, hr=140), Seg(300, 0.0, hr=100), Seg(600, 3.0, hr=170)]
    m = compute(build(segs), "km")
    assert m.heart_rate.mean_bpm == pytest.approx((1200 * 140 + 600 * 170) / 1800, abs=0.5)
    assert m.heart_rate.max_bpm == 170.0
    assert m.has_heart_rate


def test_local_time_from_the_file_offset():
    m = compute(build([Seg(600, 3.0)], utc_offset_s=-5 * 3600, lat0=None, lon0=None), "km")
    assert m.local_time_source == "file"
    assert m.start_time_local == datetime(2024, 7, 1, 1, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert m.start_time_local.utcoffset() == timedelta(hours=-5)
    assert m.end_time_local - m.start_time_local == timedelta(seconds=600)


def test_file_offset_kept_when_the_gps_timezone_agrees():
    m = compute(build([Seg(600, 3.0)], utc_offset_s=2 * 3600), "km")  # Paris in July: UTC+2
    assert m.local_time_source == "file"
    assert m.start_time_local.utcoffset() == timedelta(hours=2)


def test_a_zero_offset_is_kept_where_the_place_is_on_utc():
    m = compute(build([Seg(600, 3.0)], utc_offset_s=0, lat0=51.5, lon0=-0.12, start=datetime(2024, 1, 10, 8, tzinfo=UTC)), "km")
    assert m.local_time_source == "file" and m.start_time_local.utcoffset() == timedelta(0)  # London in winter


def test_gps_timezone_wins_when_the_file_clock_disagrees():
    # e.g. a Coros watch writing UTC as its local clock while running near Paris in July
    m = compute(build([Seg(600, 3.0)], utc_offset_s=0), "km")
    assert m.local_time_source == "GPS position (Europe/Paris)"
    assert m.start_time_local.utcoffset() == timedelta(hours=2)
    assert any("UTC+00:00" in n and "UTC+02:00" in n for n in m.notes)


@pytest.mark.parametrize(
    "start, lat, lon, offset_h, zone",
    [
        (datetime(2024, 7, 14, 8, 0, tzinfo=UTC), 48.8566, 2.3522, 2, "Europe/Paris"),
        (datetime(2024, 1, 14, 8, 0, tzinfo=UTC), 48.8566, 2.3522, 1, "Europe/Paris"),
        (datetime(2024, 7, 14, 12, 0, tzinfo=UTC), 40.7812, -73.9665, -4, "America/New_York"),
        (datetime(2024, 1, 14, 12, 0, tzinfo=UTC), 40.7812, -73.9665, -5, "America/New_York"),
    ],
)
def test_local_time_from_gps_position(start, lat, lon, offset_h, zone):
    m = compute(build([Seg(600, 3.0)], start=start, lat0=lat, lon0=lon), "km")
    assert m.local_time_source == f"GPS position ({zone})"
    assert m.start_time_local.utcoffset() == timedelta(hours=offset_h)
    assert m.start_time_local.hour == (start.hour + offset_h) % 24
    assert m.start_time_utc == start
    assert m.start_latitude_deg == pytest.approx(lat)


def test_dst_change_during_a_run_gives_each_end_its_offset():
    start = datetime(2024, 3, 31, 0, 30, tzinfo=UTC)  # Paris springs forward at 01:00 UTC
    lt = local_times(start, start + timedelta(hours=1), None, (48.8566, 2.3522))
    assert lt.start.utcoffset() == timedelta(hours=1) and lt.end.utcoffset() == timedelta(hours=2)


def test_no_offset_and_no_gps_is_unknown_with_a_note():
    m = compute(build([Seg(600, 3.0)], lat0=None, lon0=None), "km")
    assert m.start_time_local is None and m.end_time_local is None and m.local_time_source is None
    assert any("local time unknown" in n for n in m.notes)
    assert m.start_latitude_deg is None and not m.has_gps


def test_first_fix_skips_missing_and_null_island():
    lat = np.array([np.nan, 0.0, 45.5, 46.0])
    lon = np.array([np.nan, 0.0, 6.1, 6.2])
    assert first_fix(lat, lon) == (45.5, 6.1)
    assert first_fix(None, None) is None
