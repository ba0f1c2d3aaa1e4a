"""Each scenario's truth is what was asked."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from crampcheck.synth import MILE_M, build, scenarios
from crampcheck.synth.scenarios import _eu_summer_time


def test_even_pace():
    t = build(scenarios.even_pace(10_000.0, 2.5))
    assert t.moving_s == 4000.0 and t.distance_m == 10_000.0
    assert {round(s.speed_m_s, 12) for s in t.km_splits} == {2.5}
    assert t.first_last_ratio("mi") == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("pct", [2.0, 6.0, 8.0])
def test_fast_start_first_mile_time_is_exact(pct):
    t = build(scenarios.fast_start(10_000.0, 3.0, faster_pct=pct))
    asked = MILE_M / (3.0 * (1 + pct / 100))
    first = t.mile_splits[0]
    assert first.moving_s == round(asked)  # the asked time, on the 1-s grid
    assert first.speed_m_s == MILE_M / round(asked)
    # speed ratio first mile / last mile: as asked, within the 1-s snapping
    assert t.first_last_ratio("mi") == pytest.approx(1 + pct / 100, rel=1 / asked)
    assert t.spec.tags["faster_pct"] == pct


def test_fast_start_in_km():
    t = build(scenarios.fast_start(5000.0, 3.0, faster_pct=5.0, unit="km"))
    assert t.km_splits[0].moving_s == round(1000 / 3.15)
    assert all(s.speed_m_s == pytest.approx(3.0, rel=1e-3) for s in t.km_splits[1:])


def test_fade_second_half_is_slower_by_the_asked_percentage():
    t = build(scenarios.fade(10_000.0, 3.2, slower_pct=6.0))
    first = float(t.moving_time_at(5000.0))
    second = t.moving_s - first
    assert first == round(5000 / 3.2)
    assert second / first == pytest.approx(1.06, abs=1 / first)


def test_hot_long_run():
    t = build(scenarios.hot_long_run())
    assert t.moving_s == 7200.0 and t.temperature_mean_c == 30.0
    assert t.start_time_local.hour == 10 and t.start_time_local.minute == 30
    assert (t.start_time_local + timedelta(seconds=t.elapsed_s)).hour == 12
    assert t.hr_decoupling_pct > 3.0  # +6 bpm/h at constant speed


def test_cool_short_run_boundaries():
    t = build(scenarios.cool_short_run())
    assert t.moving_s == 40 * 60 and t.temperature_mean_c == 10.0
    assert t.warmup_end.moving_s == 600.0 and t.cooldown_start.moving_s == 32 * 60
    easy = 3.3 * 0.85
    assert t.warmup_end.distance_m == pytest.approx(600 * easy)
    assert t.speed_between(0, t.warmup_end.distance_m) == pytest.approx(easy)
    assert t.first_last_ratio("mi", core=True) == pytest.approx(1.0, abs=1e-12)
    assert t.first_last_ratio("mi") < 0.98  # the easy jogs make the raw first mile slow


def test_warmup_cooldown_with_final_walk():
    t = build(scenarios.warmup_cooldown(main_s=1200, warmup_s=300, cooldown_s=300, walk_s=120))
    assert t.cooldown_start.moving_s == 1500.0
    assert t.records["speed_m_s"].iat[-1] == 1.4
    assert t.moving_s == 1920.0  # walking counts as moving


def test_surges_are_exactly_where_asked():
    t = build(scenarios.surges(duration_s=2400, speed_m_s=3.0, at_s=(600, 1200, 2000), surge_s=40, surge_pct=25))
    assert [s.start_s for s in t.surges] == [600.0, 1200.0, 2000.0]
    assert [s.duration_s for s in t.surges] == [40.0] * 3
    assert [s.speed_ratio for s in t.surges] == [1.25] * 3
    assert [s.in_last_third for s in t.surges] == [False, False, True]
    assert t.surges[1].start_m == pytest.approx(1200 * 3.0 + 40 * 0.75)
    # the samples show the surge exactly: 40 one-second intervals at 3.75 m/s
    fast = t.records["elapsed_s"][t.records["speed_m_s"] == 3.75]
    assert fast.iloc[0] == 601.0 and fast.iloc[39] == 640.0 and len(fast) == 120
    assert t.moving_s == 2400.0


def test_overlapping_surges_are_refused():
    with pytest.raises(ValueError):
        scenarios.surges(at_s=(600, 620))


def test_with_pauses():
    t = build(scenarios.with_pauses(moving_s=1800, pauses=((600, 120),), stands=((1200, 60),)))
    assert (t.moving_s, t.timer_s, t.elapsed_s) == (1800.0, 1860.0, 1980.0)
    assert [(p.start_s, p.end_s) for p in t.pauses] == [(600.0, 720.0)]
    assert [(s.start_s, s.end_s) for s in t.stands] == [(1320.0, 1380.0)]
    assert t.distance_m == 5400.0
    assert sum(s.moving_s for s in t.mile_splits) == 1800.0


def test_hills():
    t = build(scenarios.hills(grade_pct=6.0))
    assert t.total_ascent_m == pytest.approx(0.06 * MILE_M)
    assert t.total_descent_m == pytest.approx(0.06 * MILE_M)
    alt = t.records["altitude_m"].to_numpy()
    assert alt.max() - alt[0] == pytest.approx(0.06 * MILE_M)
    assert alt[-1] == pytest.approx(alt[0])
    assert t.mile_splits[0].speed_m_s == pytest.approx(3.0 * 0.88, rel=1e-3)


def test_no_gps_and_no_temperature():
    t = build(scenarios.no_gps())
    assert t.records["lat"].isna().all() and t.records["altitude_m"].isna().all()
    assert t.spec.sub_sport == "treadmill" and t.distance_m == 5400.0
    t = build(scenarios.no_temperature())
    assert t.records["temperature_c"].isna().all() and t.temperature_mean_c is None


def test_race_10k():
    even = build(scenarios.race_10k())
    fast = build(scenarios.race_10k(first_mile_faster_pct=8.0))
    for t in (even, fast):
        assert t.spec.is_race and "10K" in t.spec.name and t.distance_m == pytest.approx(10_000.0)
    assert even.first_last_ratio() == pytest.approx(1.0)
    assert fast.first_last_ratio() == pytest.approx(1.08, abs=2e-3)


def test_scenarios_pass_run_options_through():
    spec = scenarios.even_pace(1000.0, 3.0, sample_interval_s=2, name="x", has_heart_rate=False)
    assert (spec.sample_interval_s, spec.name, spec.has_heart_rate) == (2, "x", False)


def test_history_weekly_volume_and_spike():
    specs = scenarios.history(weeks=20, runs_per_week=4, spike_week=-3, spike_pct=60, seed=1)
    assert len(specs) == 80
    starts = [s.start_time_utc for s in specs]
    assert starts == sorted(starts)
    weekly = defaultdict(float)
    for s in specs:
        weekly[s.tags["week"]] += s.distance_m
    volumes = [weekly[w] for w in range(20)]
    assert volumes[17] == pytest.approx(48_000.0)
    assert np.allclose(volumes[:17] + volumes[18:], 30_000.0)
    # the week index is the calendar week from start_date (Monday 2023-01-02), in local time
    for s in specs:
        local = s.start_time_utc + timedelta(seconds=s.utc_offset_s)
        assert (local.date() - date(2023, 1, 2)).days // 7 == s.tags["week"]


def test_history_is_deterministic_per_seed():
    a = scenarios.history(weeks=8, seed=3)
    b = scenarios.history(weeks=8, seed=3)
    c = scenarios.history(weeks=8, seed=4)
    assert a == b
    assert a != c
    assert scenarios.history(weeks=8, spike_week=None, seed=3)[-1].distance_m == pytest.approx(30_000 * 0.35)


def test_eu_summer_time_boundaries():
    assert not _eu_summer_time(date(2023, 3, 25)) and _eu_summer_time(date(2023, 3, 26))
    assert _eu_summer_time(date(2023, 10, 28)) and not _eu_summer_time(date(2023, 10, 29))


def test_history_utc_offsets_follow_paris_time():
    paris = ZoneInfo("Europe/Paris")
    specs = scenarios.history(weeks=52, runs_per_week=2, seed=0)
    for s in specs:
        assert s.utc_offset_s == s.start_time_utc.astimezone(paris).utcoffset().total_seconds()
    assert {s.utc_offset_s for s in specs} == {3600, 7200}
