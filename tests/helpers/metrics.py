"""Hand-built RunMetrics with exact known values, for the risk tests.

``run(pieces)`` integrates a piecewise-constant speed profile (distance_m, speed_m_s) exactly,
so halves, quarters, first/last unit, first 10 %, 5-min windows and the median agree with
each other the way a real metrics layer would make them agree.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from crampcheck.metrics.air import air_stats
from crampcheck.metrics.model import FirstLast, Pacing, RunMetrics, Segment, Surge, TemperatureStats
from crampcheck.schema import AirReading
from crampcheck.units import unit_length_m

WINDOW_S = 300.0


def _time_s(pieces, start_m, end_m):
    """Seconds to run from start_m to end_m."""
    total, at = 0.0, 0.0
    for length, speed in pieces:
        lo, hi = max(start_m, at), min(end_m, at + length)
        if hi > lo:
            total += (hi - lo) / speed
        at += length
    return total


def speed_between(pieces, start_m, end_m):
    """Mean speed over [start_m, end_m], m/s."""
    return (end_m - start_m) / _time_s(pieces, start_m, end_m)


def _distance_at(pieces, t_s):
    """Metres covered after t_s seconds."""
    at_m, at_s = 0.0, 0.0
    for length, speed in pieces:
        dt = length / speed
        if at_s + dt >= t_s:
            return at_m + (t_s - at_s) * speed
        at_m, at_s = at_m + length, at_s + dt
    return at_m


def _median_speed(pieces):
    """Time-weighted median speed."""
    by_speed = sorted(pieces, key=lambda p: p[1])
    total = sum(length / speed for length, speed in pieces)
    acc = 0.0
    for length, speed in by_speed:
        acc += length / speed
        if acc >= total / 2:
            return speed
    raise AssertionError("unreachable")


def run(
    pieces=((8000.0, 10 / 3),),
    *,
    units="km",
    warmup=False,
    cooldown=False,
    temperature_c=None,
    temperature_source="user (--ambient-temp)",
    humidity_pct=None,
    **overrides,
) -> RunMetrics:
    """RunMetrics for the speed profile; ``warmup``/``cooldown`` mark the first/last piece as one.

    ``temperature_c`` is also the run's air reading (``metrics.air``), of the kind its source
    says: the watch's own sensor when it names a watch, else the user's value."""
    pieces = [(float(d), float(v)) for d, v in pieces]
    d = sum(length for length, _ in pieces)
    moving = _time_s(pieces, 0.0, d)
    unit_m = unit_length_m(units)
    w_end = pieces[0][0] if warmup else 0.0
    c_start = d - pieces[-1][0] if cooldown else d

    def seg(start_m, end_m):
        t0, t1 = _time_s(pieces, 0.0, start_m), _time_s(pieces, 0.0, end_m)
        return Segment(start_s=t0, end_s=t1, start_m=start_m, end_m=end_m, speed_m_s=speed_between(pieces, start_m, end_m))

    first, last = speed_between(pieces, 0.0, unit_m), speed_between(pieces, d - unit_m, d)
    core = {}
    if warmup or cooldown:
        cf, cl = speed_between(pieces, w_end, w_end + unit_m), speed_between(pieces, c_start - unit_m, c_start)
        core = dict(core_first_speed_m_s=cf, core_last_speed_m_s=cl, core_ratio=cf / cl)
    pacing = judged(pieces, w_end, c_start, core=bool(warmup or cooldown))
    start = datetime(2024, 4, 14, 8, 0, tzinfo=timezone(timedelta(hours=2)))
    metrics = RunMetrics(
        distance_m=d,
        elapsed_time_s=moving,
        moving_time_s=moving,
        avg_speed_m_s=d / moving,
        start_time_utc=start.astimezone(timezone.utc),
        start_time_local=start,
        end_time_local=start + timedelta(seconds=moving),
        local_time_source="file (local_timestamp)",
        units=units,
        temperature=None if temperature_c is None else TemperatureStats(temperature_c, temperature_c, temperature_c, temperature_source),
        heart_rate=None,
        splits=[],
        first_half_speed_m_s=speed_between(pieces, 0.0, d / 2),
        second_half_speed_m_s=speed_between(pieces, d / 2, d),
        first_vs_last=FirstLast(units, first, last, first / last, False, **core),
        median_speed_m_s=_median_speed(pieces),
        first_5min_speed_m_s=_distance_at(pieces, WINDOW_S) / WINDOW_S,
        last_5min_speed_m_s=(d - _distance_at(pieces, moving - WINDOW_S)) / WINDOW_S,
        ended_with_walk=False,
        warmup=seg(0.0, w_end) if warmup else None,
        cooldown=seg(c_start, d) if cooldown else None,
        surges=[],
        hr_drift_pct=None,
        total_descent_m=None,
        descent_m_per_km=None,
        has_gps=True,
        has_elevation=False,
        has_heart_rate=False,
        has_temperature=temperature_c is not None,
        pacing=pacing,
        air=air_reading(temperature_c, temperature_source, humidity_pct),
    )
    return replace(metrics, **overrides)


def air_reading(temperature_c, source="user (--ambient-temp)", humidity_pct=None):
    """The AirStats the metrics layer gives for one reading (None without a temperature)."""
    if temperature_c is None:
        return None
    kind = "watch" if "watch" in source else "user"
    return air_stats([AirReading(kind, source, temperature_c=float(temperature_c), humidity_pct=humidity_pct)], None, None)


def judged(pieces, start_m, end_m, core=False, grade_adjusted=False) -> Pacing:
    """The Pacing the metrics layer would give over [start_m, end_m] (the core)."""
    length = end_m - start_m
    two_km = length >= 2000.0
    return Pacing(
        grade_adjusted=grade_adjusted,
        core=core,
        first_km_m_s=speed_between(pieces, start_m, start_m + 1000.0) if two_km else None,
        last_km_m_s=speed_between(pieces, end_m - 1000.0, end_m) if two_km else None,
        second_km_m_s=speed_between(pieces, 1000.0, 2000.0) if two_km else None,
        first_10pct_m_s=speed_between(pieces, start_m, start_m + 0.1 * length),
        average_m_s=speed_between(pieces, start_m, end_m),
        first_half_m_s=speed_between(pieces, start_m, start_m + 0.5 * length),
        second_half_m_s=speed_between(pieces, start_m + 0.5 * length, end_m),
        first_three_quarters_m_s=speed_between(pieces, start_m, start_m + 0.75 * length),
        final_quarter_m_s=speed_between(pieces, start_m + 0.75 * length, end_m),
        last_tenth_m_s=speed_between(pieces, start_m + 0.9 * length, end_m),
    )


def easy_run(minutes=40.0, **kw) -> RunMetrics:
    """Evenly paced at 3.0 m/s with an easy warm-up and cool-down (900 m at 2.5 m/s each, 6 min)."""
    core_m = minutes * 60 * 3.0 - 2 * 900 * 3.0 / 2.5
    return run(((900, 2.5), (core_m, 3.0), (900, 2.5)), warmup=True, cooldown=True, **kw)


def even_run(minutes=40.0, speed=3.0, **kw) -> RunMetrics:
    """Evenly paced, no warm-up or cool-down found (flags no_warmup and no_cooldown)."""
    return run(((minutes * 60 * speed, speed),), **kw)


def surge(start_s, start_m, late=False, ratio=1.2) -> Surge:
    return Surge(start_s=start_s, duration_s=30.0, start_m=start_m, speed_ratio=ratio, in_last_third=late)
