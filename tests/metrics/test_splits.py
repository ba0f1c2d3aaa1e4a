"""Splits, halves, first vs last mile/km and the run's edges against exact truth."""

from __future__ import annotations

import numpy as np
import pytest

from crampcheck.metrics.run import compute
from crampcheck.units import METERS_PER_MILE
from tests.helpers.runs import Seg, build, truth_time_at

# 10-min warm-up jog, a progressive core with a stop and a stand, 8-min cool-down jog
VARIED = [
    Seg(600, 2.6, hr=125, temp=18.0),
    Seg(1200, 3.3, hr=150, temp=19.0),
    Seg(90, stop=True),
    Seg(900, 3.4, hr=155, temp=21.0),
    Seg(40, 0.0, hr=140, temp=21.0),
    Seg(900, 3.5, hr=160, temp=22.0),
    Seg(480, 2.5, hr=135, temp=22.0),
]


def _split_truth(segs, unit_m, total_m):
    bounds = np.append(np.arange(0.0, total_m, unit_m), total_m)
    return np.diff(truth_time_at(segs, bounds)), np.diff(bounds)


@pytest.mark.parametrize("unit, unit_m", [("mi", METERS_PER_MILE), ("km", 1000.0)])
def test_split_times_match_truth(unit, unit_m):
    m = compute(build(VARIED), unit)
    times, lengths = _split_truth(VARIED, unit_m, m.distance_m)
    assert len(m.splits) == len(times)
    for split, t, length in zip(m.splits, times, lengths):
        assert split.time_s == pytest.approx(t, abs=2.0)
        assert split.distance_m == pytest.approx(length, abs=0.01)
        assert split.speed_m_s == pytest.approx(length / t, rel=0.01)
        assert split.unit == unit
    assert [s.index for s in m.splits] == list(range(1, len(times) + 1))
    assert sum(s.time_s for s in m.splits) == pytest.approx(m.moving_time_s, abs=1.0)


def test_partial_last_split_is_flagged():
    m = compute(build([Seg(1000, 3.0)]), "km")  # 3000 m: three full km
    assert [s.partial for s in m.splits] == [False, False, False]
    m = compute(build([Seg(1100, 3.0)]), "km")  # 3300 m
    assert [s.partial for s in m.splits] == [False, False, False, True]
    assert m.splits[-1].distance_m == pytest.approx(300.0)
    assert m.splits[-1].time_s == pytest.approx(100.0, abs=1.0)


def test_split_heart_rate_and_temperature_are_moving_time_means():
    segs = [Seg(500, 2.0, hr=140, temp=20.0), Seg(60, 0.0, hr=100, temp=30.0), Seg(500, 2.0, hr=160, temp=24.0)]
    m = compute(build(segs), "km")  # 2000 m: first km at hr 140, second at 160 (the stand is not moving)
    assert [s.heart_rate_bpm for s in m.splits] == pytest.approx([140.0, 160.0], abs=0.5)
    assert [s.temperature_c for s in m.splits] == pytest.approx([20.0, 24.0], abs=0.1)


def test_halves_and_quarters():
    segs = [Seg(1000, 3.0), Seg(750, 4.0), Seg(1000, 2.0)]  # 3000 + 3000 + 2000 = 8000 m
    m = compute(build(segs), "km")
    assert m.first_half_speed_m_s == pytest.approx(4000 / (1000 + 250), rel=1e-3)
    assert m.second_half_speed_m_s == pytest.approx(4000 / (500 + 1000), rel=1e-3)
    assert m.pacing.first_three_quarters_m_s == pytest.approx(6000 / 1750, rel=1e-3)
    assert m.pacing.final_quarter_m_s == pytest.approx(2.0, rel=1e-3)


def test_first_vs_last_with_and_without_warmup_and_cooldown():
    m = compute(build(VARIED, altitude0_m=None), "km")
    fl = m.first_vs_last
    assert not fl.grade_adjusted
    assert fl.first_speed_m_s == pytest.approx(2.6, rel=1e-3)  # the warm-up jog
    assert fl.last_speed_m_s == pytest.approx(2.5, rel=1e-3)  # the cool-down jog
    assert fl.ratio == pytest.approx(2.6 / 2.5, rel=1e-3)
    # core: first km after the warm-up at 3.3 m/s, last km before the cool-down at 3.5 m/s
    assert fl.core_first_speed_m_s == pytest.approx(3.3, rel=2e-3)
    assert fl.core_last_speed_m_s == pytest.approx(3.5, rel=2e-3)
    assert fl.core_ratio == pytest.approx(3.3 / 3.5, rel=3e-3)


def test_first_vs_last_is_over_a_km_in_either_units():
    m = compute(build([Seg(600, 3.3), Seg(1400, 3.0)], altitude0_m=None), "mi")  # 6180 m
    fl = m.first_vs_last
    assert fl.unit == "km" and fl == compute(build([Seg(600, 3.3), Seg(1400, 3.0)], altitude0_m=None), "km").first_vs_last
    assert fl.first_speed_m_s == pytest.approx(3.3, rel=1e-3)
    assert fl.last_speed_m_s == pytest.approx(3.0, rel=1e-3)
    assert fl.core_ratio is None and m.warmup is None and m.cooldown is None


def test_run_shorter_than_two_km_has_no_first_vs_last():
    m = compute(build([Seg(600, 3.0)]), "mi")  # 1800 m < 2 km
    assert m.first_vs_last is None
    assert any("first vs last" in n for n in m.notes)


def test_first_10pct_after_warmup_and_core_values():
    m = compute(build(VARIED, altitude0_m=None), "km")
    assert m.warmup is not None and m.cooldown is not None
    # core: 1200 s at 3.3 then 900 s at 3.4 then 900 s at 3.5 (10,170 m): halves and quarters are the core's
    core_m = 1200 * 3.3 + 900 * 3.4 + 900 * 3.5
    assert m.pacing.core
    assert m.pacing.first_half_m_s == pytest.approx((core_m / 2) / (1200 + (core_m / 2 - 3960) / 3.4), rel=2e-3)
    assert m.pacing.final_quarter_m_s == pytest.approx(3.5, rel=2e-3)


def test_median_speed_and_five_minute_edges():
    m = compute(build([Seg(300, 2.5), Seg(1500, 3.2), Seg(400, 2.8)]), "km")
    assert m.median_speed_m_s == pytest.approx(3.2, rel=1e-3)
    assert m.first_5min_speed_m_s == pytest.approx(2.5, rel=5e-3)
    assert m.last_5min_speed_m_s == pytest.approx(2.8, rel=5e-3)
    assert not m.ended_with_walk


def test_ended_with_walk():
    assert compute(build([Seg(1500, 3.0), Seg(120, 1.4)]), "km").ended_with_walk
    assert not compute(build([Seg(1500, 3.0), Seg(30, 1.4)]), "km").ended_with_walk  # too short a walk


def test_best_sustained_speed_over_moving_time():
    # 12.5 min at 3 m/s, 25 min at 3.5 m/s, 12.5 min at 3 m/s: best 20 min = 3.5 m/s
    assert compute(build([Seg(750, 3.0), Seg(1500, 3.5), Seg(750, 3.0)])).best_sustained_speed_m_s == pytest.approx(3.5)
    # 15 min fast between slow parts: the best 20 min hold 15 min at 4 and 5 at 3
    m = compute(build([Seg(900, 3.0), Seg(900, 4.0), Seg(900, 3.0)]))
    assert m.best_sustained_speed_m_s == pytest.approx((900 * 4.0 + 300 * 3.0) / 1200, rel=1e-3)
    assert compute(build([Seg(1000, 3.0)])).best_sustained_speed_m_s is None  # under 20 moving minutes


def test_stops_and_stands_do_not_count_toward_sustained_speed():
    # 10 min, a 10-min stand (timer running), 10 min, a 5-min timer stop, 5 min: 25 moving minutes
    segs = [Seg(600, 3.5), Seg(600, 0.0), Seg(600, 3.5), Seg(300, stop=True), Seg(300, 3.5)]
    m = compute(build(segs))
    assert m.moving_time_s == pytest.approx(1500.0, abs=2.0)
    assert m.best_sustained_speed_m_s == pytest.approx(3.5, rel=1e-2)
