"""Per-run factors: every threshold boundary (just below / at / just above -> the exact level)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from crampcheck.metrics.model import Shape, TemperatureStats
from crampcheck.risk import factors as F
from crampcheck.risk.config import RunnerProfile
from crampcheck.risk.model import NotJudged
from crampcheck.risk.thresholds import DEFAULT_THRESHOLDS as T
from tests.helpers.metrics import air_reading, easy_run, even_run, run, speed_between, surge

P = RunnerProfile()


def level(result):
    """The single finding's level, None for no finding, "not judged" for a NotJudged."""
    if isinstance(result, NotJudged):
        return "not judged"
    assert len(result) <= 1
    return result[0].level if result else None


def with_ratio(pct, units="mi", **pacing):
    """An even 40-min run whose first km is ``pct`` % faster than its last."""
    base = even_run(40, units=units)
    return replace(base, pacing=replace(base.pacing, first_km_m_s=3.0 * (1 + pct / 100), last_km_m_s=3.0, **pacing))


# --- fast_start ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "pct, expected",
    [(1.99, None), (2.0, None), (2.01, "moderate"), (4.99, "moderate"), (5.0, "moderate"), (5.01, "high"), (6.0, "high")],
)
def test_fast_start_first_vs_last_boundaries(pct, expected):
    result = F.fast_start(with_ratio(pct), T, P)
    assert level(result) == expected
    if expected:
        f = result[0]
        assert (f.value, f.threshold, f.unit) == (pytest.approx(pct), 5.0 if expected == "high" else 2.0, "%")
        assert "first 0.62 mi" in f.why and "/mi" in f.why and "/km" not in f.why  # 1 km, named in miles


def test_fast_start_level_does_not_depend_on_display_units():
    for pct in (1.0, 3.0, 6.0):
        assert level(F.fast_start(with_ratio(pct, "mi"), T, P)) == level(F.fast_start(with_ratio(pct, "km"), T, P))


def test_an_easy_cooldown_never_makes_a_fast_start():
    m = run(((7000, 3.0), (1000, 2.5)), cooldown=True, units="km")
    assert m.first_vs_last.ratio == pytest.approx(1.2)  # the plain comparison would say 20 %
    assert m.pacing.core and m.pacing.first_km_m_s == pytest.approx(m.pacing.last_km_m_s)
    assert F.fast_start(m, T, P) == []
    # cool-down found but no core comparison possible: not judged rather than a false flag
    m = replace(m, pacing=replace(m.pacing, first_km_m_s=None, first_10pct_m_s=None))
    assert isinstance(F.fast_start(m, T, P), NotJudged)


def test_fast_start_grade_adjusted_and_core_are_said():
    m = with_ratio(3.0, grade_adjusted=True, core=True)
    assert "(grade-adjusted, cool-down left out)" in F.fast_start(m, T, P)[0].why


@pytest.mark.parametrize("pct, expected", [(4.9, None), (5.0, None), (5.1, "moderate")])
def test_first_ten_percent_boundaries(pct, expected):
    m = even_run(40)
    m = replace(m, pacing=replace(m.pacing, first_10pct_m_s=3.0 * (1 + pct / 100), first_km_m_s=3.03))
    result = F.fast_start(m, T, P)
    assert level(result) == expected
    if expected:
        assert (result[0].value, result[0].threshold) == (pytest.approx(pct), 5.0)


def test_no_fast_start_when_the_first_km_was_slower_than_the_run():
    """A quick opening inside a slow first km (a stop or a walk in it), and a first km slower than
    the average with a slower last km (a fade): neither is a fast start."""
    m = even_run(40)
    quick_opening = replace(m, pacing=replace(m.pacing, first_10pct_m_s=3.6, first_km_m_s=2.9))
    assert F.fast_start(quick_opening, T, P) == []
    fade = replace(m, pacing=replace(m.pacing, first_km_m_s=2.95, last_km_m_s=2.6))
    assert F.fast_start(fade, T, P) == []


def test_a_quick_opening_the_runner_out_ran_at_the_end_is_no_fast_start():
    """The first 10 % 5.4 % faster than the average, but the last km faster than the first: the
    start was one the runner could carry (a sag in the middle, then a fast finish)."""
    m = even_run(40)
    quick = replace(m, pacing=replace(m.pacing, first_10pct_m_s=3.16, first_km_m_s=3.1, average_m_s=3.0))
    out_ran = replace(quick, pacing=replace(quick.pacing, last_km_m_s=3.2))
    assert level(F.fast_start(out_ran, T, P)) is None
    held = replace(quick, pacing=replace(quick.pacing, last_km_m_s=3.09))  # the last km a little slower: still judged
    assert level(F.fast_start(held, T, P)) == "moderate"


def test_fast_start_merges_both_measures_into_one_high_finding():
    m = run(((1000, 3.18), (8000, 3.0), (1000, 3.0)))  # first km 6 % faster than the last
    result = F.fast_start(m, T, P)
    assert len(result) == 1 and result[0].level == "high" and result[0].value == pytest.approx(6.0)
    assert "first 10 %" in result[0].why  # the moderate measure is still told


def test_fast_start_not_judged_when_too_short():
    m = replace(even_run(5), first_vs_last=None, pacing=None)
    assert isinstance(F.fast_start(m, T, P), NotJudged)


# --- positive_split -----------------------------------------------------------------------------

@pytest.mark.parametrize("pct, expected", [(2.9, None), (3.0, None), (3.1, "moderate")])
def test_positive_split_halves(pct, expected):
    # second half slower by pct: first-half speed = second-half speed * (1 + pct/100)
    m = run(((5000, 3.0 * (1 + pct / 100)), (5000, 3.0)))
    assert level(F.positive_split(m, T, P)) == expected


@pytest.mark.parametrize("pct, expected", [(7.9, "moderate"), (8.0, "moderate"), (8.1, "high")])
def test_positive_split_final_quarter(pct, expected):
    m = run(((7500, 3.0 * (1 + pct / 100)), (2500, 3.0)))
    result = F.positive_split(m, T, P)
    assert level(result) == expected
    if expected == "high":
        assert (result[0].value, result[0].threshold) == (pytest.approx(pct), 8.0)


def test_a_late_slow_patch_the_runner_came_back_from_is_moderate():
    """10 km: 7.5 km at 3.3 m/s, 1.5 km at 2.6 m/s, the last 1 km back at 3.25 m/s: the final quarter
    is 16.8 % slower than the first three quarters, but the last 10 % only 1.5 %: no fade to the end.
    Moderate (the halves: 8.4 % slower), and the sentence says the runner came back."""
    m = run(((7500, 3.3), (1500, 2.6), (1000, 3.25)))
    (f,) = F.positive_split(m, T, P)
    assert (f.level, f.value, f.threshold) == ("moderate", pytest.approx(8.38, abs=0.01), 3.0)
    assert "16.8 % slower than the first three quarters" in f.why and "you came back over the last 10 %" in f.why
    held = run(((7500, 3.3), (2500, 2.9)))  # 13.8 % slower, held to the line
    (g,) = F.positive_split(held, T, P)
    assert (g.level, g.value) == ("high", pytest.approx(13.79, abs=0.01))


PIECES_SLOW_END = ((900, 2.5), (10000, 3.0), (2000, 2.0))


def test_positive_split_leaves_warmup_and_cooldown_out():
    m = run(PIECES_SLOW_END, warmup=True, cooldown=True)  # long slow cool-down
    assert F.pct_faster(speed_between(PIECES_SLOW_END, 0, 9675), speed_between(PIECES_SLOW_END, 9675, 12900)) > 8.0  # raw: a fade
    assert F.positive_split(m, T, P) == []


def test_a_fade_inside_the_core_is_still_found():
    m = run(((900, 2.5), (7500, 3.3), (2500, 3.0), (900, 2.5)), warmup=True, cooldown=True)
    result = F.positive_split(m, T, P)
    assert level(result) == "high" and result[0].value == pytest.approx(10.0)
    assert "warm-up/cool-down left out" in result[0].why


def test_positive_split_not_judged_when_the_core_has_no_halves():
    m = easy_run(40)
    m = replace(m, pacing=replace(m.pacing, first_half_m_s=None, final_quarter_m_s=None))
    assert isinstance(F.positive_split(m, T, P), NotJudged)


def test_first_ten_percent_is_compared_with_the_core_average():
    m = easy_run(40)  # whole-run average drops with the 2.5 m/s jogs; the core is even
    assert F.pct_faster(3.0, m.avg_speed_m_s) > 5.0  # the core runs at 3.0 m/s
    assert F.fast_start(m, T, P) == []


# --- warm-up / cool-down ------------------------------------------------------------------------

@pytest.mark.parametrize("slower_pct, expected", [(4.9, "low"), (5.0, None), (5.1, None), (-3.0, "low")])
def test_no_warmup_boundaries(slower_pct, expected):
    m = replace(even_run(40), first_5min_speed_m_s=3.0 / (1 + slower_pct / 100))
    result = F.no_warmup(m, T, P)
    assert level(result) == expected
    if expected:
        assert (result[0].value, result[0].threshold) == (pytest.approx(slower_pct), 5.0)
        assert result[0].evidence == "expert-opinion"


def test_no_warmup_not_flagged_when_a_warmup_was_found_and_not_judged_when_short():
    assert F.no_warmup(easy_run(40), T, P) == []
    assert isinstance(F.no_warmup(even_run(19.9), T, P), NotJudged)  # warmup_judged_min_min
    assert level(F.no_warmup(even_run(20), T, P)) == "low"
    assert isinstance(F.no_warmup(replace(even_run(40), shape=Shape("race", "marked")), T, P), NotJudged)


@pytest.mark.parametrize("slower_pct, expected", [(4.9, "low"), (5.0, None), (5.1, None)])
def test_no_cooldown_boundaries(slower_pct, expected):
    m = replace(even_run(40), last_5min_speed_m_s=3.0 / (1 + slower_pct / 100))
    assert level(F.no_cooldown(m, T, P)) == expected


def test_no_cooldown_not_flagged_after_a_walk_or_a_cooldown():
    assert level(F.no_cooldown(even_run(40), T, P)) == "low"
    assert F.no_cooldown(replace(even_run(40), ended_with_walk=True), T, P) == []
    assert F.no_cooldown(easy_run(40), T, P) == []


# --- long run, heat -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "minutes, expected, threshold",
    [(59.9, None, None), (60, "low", 60), (60.1, "low", 60), (89.9, "low", 60), (90, "moderate", 90),
     (149.9, "moderate", 90), (150, "high", 150), (150.1, "high", 150)],
)
def test_long_run_boundaries(minutes, expected, threshold):
    result = F.long_run(even_run(minutes), T, P)
    assert level(result) == expected
    if expected:
        assert (result[0].value, result[0].threshold, result[0].unit) == (pytest.approx(minutes), threshold, "min")
        assert " km in " in result[0].why and " mi " not in result[0].why


@pytest.mark.parametrize("temp_c, expected", [(21.9, None), (22.0, "moderate"), (22.1, "moderate"), (27.9, "moderate"), (28.0, "high"), (28.1, "high")])
def test_heat_boundaries(temp_c, expected):
    result = F.heat(even_run(40, temperature_c=temp_c), T, P)
    assert level(result) == expected
    if expected:
        assert (result[0].value, result[0].unit) == (temp_c, "degC")


def test_heat_not_judged_without_an_air_reading():
    result = F.heat(even_run(40), T, P)
    assert isinstance(result, NotJudged) and "--ambient-temp" in result.reason


def test_watch_temperature_carries_the_caveat_and_is_judged_one_level_lower():
    m = even_run(40, temperature_c=25.0, temperature_source="watch sensor")
    found = F.heat(m, T, P)[0]
    assert found.level == "low" and "wrist sensor reads" in found.why and "low from a wrist sensor alone" in found.why
    assert level(F.heat(even_run(40, temperature_c=29.0, temperature_source="watch sensor"), T, P)) == "moderate"
    assert "wrist sensor reads" not in F.heat(even_run(40, temperature_c=25.0), T, P)[0].why


@pytest.mark.parametrize(
    "temp_c, humidity, expected_index_c, expected",
    # NWS heat index table: 86 F at 70 % -> 95 F; 80 F at 40 % -> 80 F; 90 F at 70 % -> 106 F
    [(30.0, 70.0, 35.0, "high"), (26.7, 40.0, 26.7, "moderate"), (32.2, 70.0, 41.1, "high"), (21.0, 90.0, 21.2, None)],
)
def test_heat_judges_the_heat_index_when_humidity_is_known(temp_c, humidity, expected_index_c, expected):
    m = even_run(40, temperature_c=temp_c, humidity_pct=humidity)
    assert m.air.heat_index_c == pytest.approx(expected_index_c, abs=0.6)
    result = F.heat(m, T, P)
    assert level(result) == expected
    if expected:
        assert result[0].value == pytest.approx(m.air.heat_index_c)
        assert "humidity" in result[0].why and "dew point" in result[0].why and "NWS heat index" in result[0].why


@pytest.mark.parametrize(
    "minutes, temp_c, expected",
    [(120, 30.0, "high"), (90, 22.0, "high"), (89.9, 35.0, None), (200, 21.9, None), (150, 28, "high")],
)
def test_long_hot_run(minutes, temp_c, expected):
    assert level(F.long_hot_run(even_run(minutes, temperature_c=temp_c), T, P)) == expected


def test_long_hot_run_not_judged_without_temperature():
    assert isinstance(F.long_hot_run(even_run(120), T, P), NotJudged)


# --- hot time of day ----------------------------------------------------------------------------

def at_local(hour, minute, minutes, temp_c=None, month=7, lat=48.0):
    start = datetime(2024, month, 10, hour, minute, tzinfo=timezone(timedelta(hours=2)))
    return replace(even_run(minutes, temperature_c=temp_c), start_time_local=start, end_time_local=start + timedelta(minutes=minutes), start_latitude_deg=lat)


@pytest.mark.parametrize(
    "hour, minute, minutes, temp_c, expected",
    [
        (11, 30, 60, 25.0, "moderate"),
        (11, 30, 60, 22.0, "moderate"),
        (11, 30, 60, 21.9, None),
        (8, 0, 60, 30.0, None),
        (9, 0, 60, 30.0, None),  # ends at 10:00 sharp
        (9, 1, 60, 30.0, None),  # one minute inside: under a third of the run
        (9, 40, 60, 30.0, "moderate"),  # 40 of its 60 min inside (more than a third)
        (16, 0, 30, 30.0, None),  # starts at 16:00 sharp
        (15, 59, 30, 30.0, None),  # 1 of 30 min inside
        (15, 50, 30, 30.0, "moderate"),  # 10 of 30 min: a third
        (13, 30, 300, 30.0, "moderate"),  # 150 of 300 min: 45 min or more is enough
    ],
)
def test_hot_time_of_day(hour, minute, minutes, temp_c, expected):
    assert level(F.hot_time_of_day(at_local(hour, minute, minutes, temp_c), T, P)) == expected


def test_hot_time_of_day_by_season_when_temperature_is_unknown():
    assert level(F.hot_time_of_day(at_local(12, 0, 40, month=7, lat=48.0), T, P)) == "low"
    assert F.hot_time_of_day(at_local(12, 0, 40, month=1, lat=48.0), T, P) == []
    assert level(F.hot_time_of_day(at_local(12, 0, 40, month=1, lat=-33.9), T, P)) == "low"
    assert isinstance(F.hot_time_of_day(at_local(12, 0, 40, lat=None), T, P), NotJudged)


def wrist_at_local(hour, minute, minutes, temp_c, month=7, lat=48.0):
    m = at_local(hour, minute, minutes, month=month, lat=lat)
    return replace(m, air=air_reading(temp_c, "watch sensor (FIT record temperature)"))


def test_hot_time_of_day_is_not_judged_from_the_wrist():
    """A wrist never confirms warm air (it reads high) but a cool one rules it out; the season decides."""
    summer_warm_wrist = F.hot_time_of_day(wrist_at_local(12, 0, 60, 30.0), T, P)
    assert level(summer_warm_wrist) == "moderate" and "summer month" in summer_warm_wrist[0].why
    assert "no reading of the air" in summer_warm_wrist[0].why
    assert F.hot_time_of_day(wrist_at_local(12, 0, 60, 20.0), T, P) == []  # even the wrist says cool
    assert F.hot_time_of_day(wrist_at_local(12, 0, 60, 27.0, month=11), T, P) == []  # a warm wrist in November


def test_hot_time_of_day_reads_local_solar_time_from_the_longitude():
    """10:30-11:30 on the clock in Madrid (UTC+2 in July, 3.7 deg W) is 08:15-09:15 solar time: not hot;
    the same clock hours at 60 deg E on UTC+2 clocks are 12:30-13:30 solar time: hot."""
    start_utc = datetime(2024, 7, 10, 8, 30, tzinfo=timezone.utc)
    base = replace(at_local(10, 30, 60, 30.0), start_time_utc=start_utc)
    assert F.hot_time_of_day(replace(base, start_longitude_deg=-3.7), T, P) == []
    found = F.hot_time_of_day(replace(base, start_longitude_deg=60.0), T, P)
    assert level(found) == "moderate" and "12:30-13:30 solar time" in found[0].why


def test_hot_time_of_day_uses_profile_hours_and_needs_local_time():
    m = at_local(11, 0, 50, 30.0)
    assert level(F.hot_time_of_day(m, T, P)) == "moderate"
    assert F.hot_time_of_day(m, T, RunnerProfile(hot_hours=(12, 15))) == []
    assert isinstance(F.hot_time_of_day(replace(m, start_time_local=None), T, P), NotJudged)


# --- surges -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "early, late, expected, weighted",
    # one surge, even late (weighted 2), stays a note: surge_moderate_min_count = 2
    [(1, 0, "low", 1), (2, 0, "moderate", 2), (0, 1, "low", 2), (3, 0, "moderate", 3), (2, 1, "high", 4), (4, 0, "high", 4), (1, 1, "moderate", 3)],
)
def test_surge_levels(early, late, expected, weighted):
    s = [surge(300 + 60 * i, 900 + 180 * i) for i in range(early)] + [surge(2000 + 60 * i, 6000 + 180 * i, late=True) for i in range(late)]
    result = F.surges(replace(even_run(40), surges=s), T, P)
    assert level(result) == expected and result[0].value == weighted


def test_three_surges_make_one_finding_with_three_positions():
    s = [surge(600.0, 1800.0), surge(1200.0, 3600.0, ratio=1.31), surge(2000.0, 6000.0, late=True)]
    result = F.surges(replace(even_run(40), surges=s), T, P)
    assert len(result) == 1
    f = result[0]
    assert f.at_s == [600.0, 1200.0, 2000.0] and f.at_m == [1800.0, 3600.0, 6000.0]
    assert (f.level, f.value, f.threshold, f.unit) == ("high", 4.0, 4.0, "count")
    assert "3 surges" in f.why and "up to 31 % faster" in f.why and "1 in the last third" in f.why
    assert "at 10:00, 1.80 km; 20:00, 3.60 km; 33:20, 6.00 km;" in f.why


def test_no_surges_and_too_short():
    assert F.surges(even_run(40), T, P) == []
    assert isinstance(F.surges(even_run(5), T, P), NotJudged)


# --- heart-rate drift, downhill, fluid loss -----------------------------------------------------

@pytest.mark.parametrize("drift, expected", [(4.9, None), (5.0, None), (5.1, "moderate"), (9.9, "moderate"), (10.0, "moderate"), (10.1, "high")])
def test_hr_drift_boundaries(drift, expected):
    m = replace(even_run(60), has_heart_rate=True, hr_drift_pct=drift)
    assert level(F.hr_drift(m, T, P)) == expected


def test_hr_drift_not_judged_on_hilly_ground():
    steady = replace(even_run(60), has_heart_rate=True, hr_drift_pct=7.0)
    assert level(F.hr_drift(replace(steady, descent_m_per_km=30.0), T, P)) == "moderate"  # at the threshold
    hilly = F.hr_drift(replace(steady, descent_m_per_km=30.1), T, P)
    assert isinstance(hilly, NotJudged) and "too hilly" in hilly.reason


def test_hr_drift_not_judged_on_a_climb_either():
    """A vertical run: 227 m of climbing per km and little descent is no steady effort either."""
    steady = replace(even_run(60), has_heart_rate=True, hr_drift_pct=8.6, descent_m_per_km=12.0)
    climb = F.hr_drift(replace(steady, ascent_m_per_km=227.0), T, P)
    assert isinstance(climb, NotJudged) and "227 m of climbing per km" in climb.reason
    assert level(F.hr_drift(replace(steady, ascent_m_per_km=30.0), T, P)) == "moderate"


@pytest.mark.parametrize("halves, expected", [((137.0, 126.0), "not judged"), ((137.0, 132.0), "moderate"), ((140.0, 146.0), "moderate")])
def test_hr_drift_not_judged_when_the_heart_rate_fell(halves, expected):
    """Decoupling of 7 % with the heart rate 11 bpm lower in the second half: the runner eased off
    (a walk-run), the heart did not work harder; 5 bpm lower or a rise is still drift."""
    m = replace(even_run(60), has_heart_rate=True, hr_drift_pct=7.0, hr_halves_bpm=halves)
    result = F.hr_drift(m, T, P)
    assert level(result) == expected
    if expected == "not judged":
        assert "fell from 137 to 126 bpm" in result.reason


def test_hr_drift_not_judged():
    assert "heart-rate" in F.hr_drift(replace(even_run(60), hr_drift_pct=7.0), T, P).reason
    assert "shorter than 45 min" in F.hr_drift(replace(even_run(44.9), has_heart_rate=True, hr_drift_pct=7.0), T, P).reason
    assert level(F.hr_drift(replace(even_run(45), has_heart_rate=True, hr_drift_pct=7.0), T, P)) == "moderate"
    assert isinstance(F.hr_drift(replace(even_run(60), has_heart_rate=True), T, P), NotJudged)


@pytest.mark.parametrize("m_per_km, expected", [(19.9, None), (20.0, None), (20.1, "moderate")])
def test_downhill_boundaries(m_per_km, expected):
    m = replace(even_run(40), has_elevation=True, descent_m_per_km=m_per_km, total_descent_m=m_per_km * 7.2)
    result = F.downhill(m, T, P)
    assert level(result) == expected
    if expected:
        assert result[0].why == "You ran 145 m of descent over 7.20 km: 20.1 m per km; more than 20 m per km is moderate."
        assert result[0].unit == "m/km"
        # in miles: 144.72 m = 475 ft; 20.1 m/km x 5.28 = 106 ft per mile, and so is 20 m/km (105.6)
        in_miles = F.downhill(replace(m, units="mi"), T, P)[0].why
        assert in_miles == "You ran 475 ft of descent over 4.47 mi: 106 ft per mile; more than 106 ft per mile is moderate."


def test_downhill_not_judged_without_elevation():
    assert F.downhill(even_run(40), T, P).reason == "no elevation data"


@pytest.mark.parametrize(
    "after_kg, expected",
    [(98.1, None), (98.0, None), (97.9, "moderate"), (97.1, "moderate"), (97.0, "moderate"), (96.9, "high")],
)
def test_fluid_loss_boundaries(after_kg, expected):
    result = F.fluid_loss(even_run(40), T, RunnerProfile(weight_before_kg=100.0, weight_after_kg=after_kg))
    assert level(result) == expected
    if expected:
        assert result[0].value == pytest.approx(100.0 - after_kg)


def test_fluid_loss_not_judged_without_weights():
    result = F.fluid_loss(even_run(40), T, RunnerProfile(weight_before_kg=70.0))
    assert isinstance(result, NotJudged) and "--weight-before" in result.reason


def test_every_finding_has_its_factor_metadata():
    m = replace(
        run(((1000, 3.3), (20000, 3.0), (7000, 2.6))), temperature=TemperatureStats(30, 31, 33, "watch sensor"),
        air=air_reading(31.0, "watch sensor"),
        has_heart_rate=True, hr_drift_pct=12.0, descent_m_per_km=30.0, total_descent_m=840.0, has_elevation=True,
        surges=[surge(3000, 9000, late=True)],
    )
    found = {}
    flat = replace(m, descent_m_per_km=10.0, total_descent_m=280.0)  # hr_drift is judged on flat ground only
    for factor in F.FACTOR_FUNCTIONS:
        for metrics in (m, flat):
            result = factor(metrics, T, RunnerProfile(weight_before_kg=70, weight_after_kg=67))
            if not isinstance(result, NotJudged):
                found.update({f.id: f for f in result})
    assert set(found) >= {"fast_start", "positive_split", "long_run", "heat", "long_hot_run", "surges", "hr_drift", "downhill", "fluid_loss"}
    for f in found.values():
        assert f.why and f.advice and f.unit and f.value is not None and f.threshold is not None


def test_no_fast_start_when_the_runner_sped_up_after_the_first_km():
    """First km 3.1, second 3.2, last 2.9 m/s: the start was not too fast; the end is a fade."""
    m = run(((1000, 3.1), (1000, 3.2), (6000, 3.05), (1000, 2.9)))
    assert F.pct_faster(m.pacing.first_km_m_s, m.pacing.last_km_m_s) > 5.0
    assert F.fast_start(m, T, P) == []


def test_heat_speaks_the_runners_units_only():
    mi = F.heat(even_run(40, temperature_c=30.0, humidity_pct=70.0, units="mi"), T, P)[0].why
    assert mi.startswith("The air was 86 °F at 70 % humidity, dew point 75 °F, NWS heat index 95 °F")
    assert "a heat index of 82 °F or more is high" in mi and "°C" not in mi
    km = F.heat(even_run(40, temperature_c=30.0, humidity_pct=70.0, units="km"), T, P)[0].why
    assert km.startswith("The air was 30.0 °C at 70 % humidity") and "of 28 °C or more is high" in km and "°F" not in km


def test_heat_from_a_wrist_says_it_is_the_watch_not_the_air():
    """A wrist reading of 29 deg C (a November road run's watch): judged one level lower, and the
    sentence says the watch read it, not that the air was 29 deg C."""
    m = replace(even_run(40), air=air_reading(29.0, "watch sensor (FIT record temperature)"))
    (f,) = F.heat(m, T, P)
    assert f.level == "moderate" and f.why.startswith("Your watch's own sensor read 29.0 °C")
    assert "The air was" not in f.why and "moderate from a wrist sensor alone" in f.why


def test_a_long_race_gets_race_day_advice_not_a_training_plan():
    """A 230-minute marathon race: drink and fuel on race day, build the long runs before the next
    one; a training run of the same length keeps the training advice."""
    race = replace(even_run(230), shape=Shape("race", "marked as a race"))
    (f,) = F.long_run(race, T, P)
    assert f.level == "high" and f.advice.startswith("In a race this long take electrolytes")
    (g,) = F.long_run(even_run(230), T, P)
    assert g.advice.startswith("On runs past an hour") and "Lengthen long runs gradually" in g.advice


def test_the_last_tenth_is_read_as_the_final_quarter_was():
    """Grade-adjusted the final quarter is 13.8 % slower and so is the last 10 %; on the clock the
    final quarter is slower still but the last 10 % runs downhill at 3.4 m/s. The final quarter is
    read grade-adjusted (the smaller difference), and so is its last 10 %: the fade held, high."""
    m = run(((7500, 3.3), (2500, 2.9)))
    clock = replace(m.pacing, final_quarter_m_s=2.8, last_tenth_m_s=3.4)
    graded = replace(m.pacing, grade_adjusted=True, raw=clock)
    (f,) = F.positive_split(replace(m, pacing=graded), T, P)
    assert (f.level, f.value) == ("high", pytest.approx(13.79, abs=0.01)) and "grade-adjusted" in f.why
