"""Moving time against exact truth: timer stops, standing still, record gaps, odd sampling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crampcheck.metrics.channels import channel, clean_distance_m, clean_elapsed_s
from crampcheck.metrics.moving import moving_intervals, moving_time_s, pause_bounds
from crampcheck.metrics.run import compute
from crampcheck.schema import Pause, utc_datetime
from tests.helpers.runs import Seg, build

RUN_WITH_STOPS = [
    Seg(900, 3.0),
    Seg(120, stop=True),  # timer stop: no records
    Seg(600, 3.2),
    Seg(45, 0.0),  # standing at a light, timer running
    Seg(700, 3.1),
    Seg(300, stop=True),
    Seg(400, 2.9),
    Seg(20, 0.0),
    Seg(300, 3.0),
]
TRUE_MOVING_S = 900 + 600 + 700 + 400 + 300
TRUE_ELAPSED_S = TRUE_MOVING_S + 120 + 45 + 300 + 20


@pytest.mark.parametrize("with_pauses", [True, False])
def test_moving_time_with_timer_stops_and_standing(with_pauses):
    m = compute(build(RUN_WITH_STOPS, with_pauses=with_pauses), "km")
    assert m.moving_time_s == pytest.approx(TRUE_MOVING_S, abs=3)
    assert m.elapsed_time_s == pytest.approx(TRUE_ELAPSED_S, abs=0.5)


def test_timer_stop_listed_but_records_continue_is_not_moving():
    # a device that keeps writing records while the timer is stopped: the pause list decides
    act = build([Seg(600, 3.0), Seg(200, 3.0), Seg(600, 3.0)])
    t0 = act.start_time_utc
    act.pauses = [Pause(t0 + pd.Timedelta(seconds=600), t0 + pd.Timedelta(seconds=800))]
    assert compute(act, "km").moving_time_s == pytest.approx(1200, abs=1)


def test_gps_drift_while_standing_is_not_moving():
    act = build([Seg(600, 3.0), Seg(60, 0.0), Seg(600, 3.0)])
    rec = act.records
    rng = np.random.default_rng(3)
    standing = (rec["elapsed_s"] > 600) & (rec["elapsed_s"] <= 660)
    drift = np.where(standing, rng.uniform(0.0, 0.7, len(rec)), 0.0)  # 0-0.7 m per s: raw speeds cross 0.5
    rec["distance_m"] = rec["distance_m"] + np.cumsum(drift)
    rec["speed_m_s"] = np.nan
    assert compute(act, "km").moving_time_s == pytest.approx(1200, abs=3)


def test_sparse_smart_recording_keeps_moving_time():
    # records every 7 s while running (Garmin smart recording): gaps that cover ground are moving
    act = build([Seg(1400, 3.0)])
    sparse = act.records.take(slice(None, None, 7))
    act.records = sparse
    m = compute(act, "km")
    assert m.moving_time_s == pytest.approx(sparse["elapsed_s"][-1], abs=0.5)
    assert m.distance_m == pytest.approx(sparse["distance_m"][-1])


def test_distance_updated_every_two_seconds_is_still_moving():
    # whole metres, updated every other second (real Suunto files): 0 m / 6 m steps
    act = build([Seg(1200, 3.0)])
    rec = act.records
    rec["distance_m"] = np.floor(rec["distance_m"] / 6.0) * 6.0
    rec["speed_m_s"] = np.nan
    assert compute(act, "km").moving_time_s == pytest.approx(1200, abs=2)


def test_moving_intervals_by_hand():
    elapsed = np.array([0, 1, 2, 3, 13, 14, 15, 16, 17, 18, 19, 20, 21], dtype=float)
    distance = np.array([0, 3, 6, 9, 9, 12, 15, 15, 15, 15, 15, 15, 18], dtype=float)
    # 10-s gap without distance (stop), then a 6-s stand (records 7-11), then moving
    moving = moving_intervals(elapsed, distance)
    assert moving.tolist() == [False, True, True, True, False, True, True, False, False, False, False, False, True]
    assert moving_time_s(elapsed, moving)[-1] == 6.0


@pytest.mark.parametrize("gap_s, covered_m, climbed_m, moving", [
    (106, 116, 0, False),  # an auto-pause: 1.09 m/s across 106 s, HR falling 50 bpm (the 2012 GPX)
    (106, 180, 0, True),   # 1.7 m/s: a walk
    (106, 60, 40, True),   # 0.57 m/s on a 40 m climb: steep hiking
    (20, 24, 0, True),     # smart recording at a walk: 1.2 m/s over 20 s
])
def test_a_long_record_gap_at_less_than_a_walk_is_an_auto_pause(gap_s, covered_m, climbed_m, moving):
    elapsed = np.array([0, 1, 2, 2 + gap_s, 3 + gap_s], dtype=float)
    distance = np.array([0, 3, 6, 6 + covered_m, 9 + covered_m], dtype=float)
    altitude = np.array([100, 100, 100, 100 + climbed_m, 100 + climbed_m], dtype=float)
    assert moving_intervals(elapsed, distance, altitude_m=altitude)[3] == moving


def test_a_timer_stop_is_not_moving():
    act = build([Seg(60, 3.0), Seg(30, stop=True), Seg(60, 3.0)])
    records = act.records
    elapsed = clean_elapsed_s(records)
    bounds = pause_bounds(act.pauses, utc_datetime(records["time"][0]))
    moving = moving_intervals(elapsed, clean_distance_m(records, elapsed), channel(records, "speed_m_s"), bounds)
    restart = int(np.flatnonzero(elapsed == 90)[0])
    assert not moving[restart]
    assert int(moving.sum()) == len(records) - 2  # all but the empty interval 0 and the one across the stop


def test_steep_hiking_is_moving_though_it_covers_little_ground():
    """0.3 m/s on a 50 % slope climbs 0.15 m/s (540 m/h): moving; the same pace on the flat reads as standing."""
    from crampcheck.metrics.run import compute
    from tests.helpers.runs import Seg, build

    climb = compute(build([Seg(600, 3.0), Seg(600, 0.3, grade=0.5), Seg(600, 3.0)]), "km")
    flat = compute(build([Seg(600, 3.0), Seg(600, 0.3), Seg(600, 3.0)]), "km")
    assert climb.moving_time_s == pytest.approx(1800, abs=25)  # the 60-s window blurs the climb's first seconds
    assert flat.moving_time_s == pytest.approx(1200, abs=20)
