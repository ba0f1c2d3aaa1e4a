"""``compute(activity) -> RunMetrics``: every per-run number the risk layer and reports need.

Assembles the single-purpose modules of this package; a value the file cannot support is
None with a line in ``RunMetrics.notes`` saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from crampcheck.metrics import air, grade, localtime, physiology, quality, segments, series, shape, splits, stats, surges
from crampcheck.metrics.channels import channel, clean_distance_m, clean_elapsed_s
from crampcheck.metrics.model import Pacing, RunMetrics, Segment, TemperatureStats
from crampcheck.metrics.track import Track, build_track
from crampcheck.racenames import says_race
from crampcheck.schema import Activity, Records, utc_datetime
from crampcheck.units import METERS_PER_KM, format_distance, span_name, unit_length_m

MIN_PACING_DISTANCE_M = 100.0  # below this there is no pacing to measure
MIN_PACING_TIME_S = 60.0  # ... nor below this much moving time


@dataclass(frozen=True)
class Detection:
    """What the metrics layer looks for: the surge definition, the warm-up / cool-down jog
    rule, the windows of the edges, drift and sustained speed. ``pipeline.detection`` fills
    them from the user's thresholds table (risk/thresholds.py); the defaults equal that
    table's defaults (a test holds them to it)."""

    surge_threshold_fraction: float = surges.SURGE_THRESHOLD_FRACTION
    surge_min_duration_s: float = surges.SURGE_MIN_DURATION_S
    surge_baseline_s: float = surges.SURGE_BASELINE_S
    surge_effort: surges.EffortCheck = surges.EffortCheck()
    jog_min_s: float = segments.MIN_SEGMENT_S
    jog_slower_fraction: float = segments.MIN_SLOWER_FRACTION
    opening_window_s: float = splits.EDGE_WINDOW_S  # "first 5 min" (RunMetrics.first_5min_speed_m_s)
    closing_window_s: float = splits.EDGE_WINDOW_S  # "last 5 min"
    drift_min_s: float = physiology.MIN_DECOUPLING_S  # moving time needed to measure heart-rate drift
    sustained_s: float = splits.SUSTAINED_S  # RunMetrics.best_sustained_speed_m_s is held this long
    terrain: grade.Terrain = grade.Terrain()
    quality: quality.QualitySettings = quality.QualitySettings()  # limits of the data checks
    air: air.AirSettings = air.AirSettings()  # how sensor series become one air reading


def compute(
    activity: Activity,
    units: str = "mi",
    ambient_temp_c: float | None = None,
    detection: Detection = Detection(),
    humidity_pct: float | None = None,
    charts: bool = True,
) -> RunMetrics:
    """Measure one run. ``units`` ("mi" | "km") sets splits and first/last; ``ambient_temp_c``
    (the user's reading, deg C) overrides the file's temperature, and with ``humidity_pct``
    (the user's, %) heads the air readings (``metrics.air``); ``detection`` says what
    counts as a surge and as a warm-up or cool-down jog; ``charts=False`` leaves out the chart
    series (``chart`` None: a scan's summary row draws nothing, and they are a tenth of the work)."""
    unit_length_m(units)  # raises on a unit other than "mi" or "km"
    cleaned, data_warnings = quality.prepare(activity, detection.quality, units)  # faulty data out before any statistic
    activity = replace(activity, records=cleaned)
    records = activity.records
    notes: list[str] = []
    hr = channel(records, "heart_rate_bpm")
    temperature = channel(records, "temperature_c")
    altitude = channel(records, "altitude_m")
    lat, lon = channel(records, "lat"), channel(records, "lon")
    start_utc, end_utc = _start_end_utc(activity)
    fix = localtime.first_fix(lat, lon)
    local = localtime.local_times(start_utc, end_utc, activity.utc_offset_s, fix)
    if local.note:
        notes.append(local.note)

    track = build_track(records, activity.pauses, _first_time(records))
    if track is None:
        untimed = _untimed(activity, units, start_utc, local, fix, ambient_temp_c, temperature)
        untimed.data_warnings = data_warnings
        untimed.air = air.air_stats(activity.air, None, None, ambient_temp_c, humidity_pct, detection.air)
        return untimed
    data_warnings += quality.timer_check(track, activity, data_warnings, detection.quality)
    if (timer_note := quality.timer_note(track, activity, data_warnings, detection.quality)) is not None:
        notes.append(timer_note)
    if altitude is not None and track.total_distance_m > 0:
        grid_m, profile_m = grade.clean_profile(track.distance_m, altitude, detection.terrain)
        track = replace(track, effort_m=grade.effort_distance_m(track.distance_m, grid_m, profile_m, detection.terrain))
    else:
        notes.append("no altitude: speeds are not grade-adjusted and descent is unknown")

    temp_stats = stats.temperature_stats(track, temperature, activity.temperature_source, ambient_temp_c)
    first = _first_time(records)
    wrist = None
    if temperature is not None:
        wrist = (track.elapsed_s, temperature, track.weight_s > 0, activity.temperature_source or stats.DEFAULT_TEMPERATURE_SOURCE)
    air_reading = air.air_stats(
        activity.air, first.timestamp() if first else None, wrist, ambient_temp_c, humidity_pct, detection.air
    )
    if temp_stats is None and air_reading is None:
        notes.append("no temperature channel: give --ambient-temp to judge heat")
    hr_stats = stats.heart_rate_stats(track, hr)
    if hr_stats is None:
        notes.append("no heart rate: heart-rate stats and drift not computed")

    base = dict(
        distance_m=track.total_distance_m,
        elapsed_time_s=float(track.elapsed_s[-1]),
        moving_time_s=track.total_moving_s,
        start_time_utc=start_utc,
        start_time_local=local.start,
        end_time_local=local.end,
        local_time_source=local.source,
        units=units,
        temperature=temp_stats,
        heart_rate=hr_stats,
        has_gps=lat is not None and lon is not None,
        has_elevation=altitude is not None,
        has_heart_rate=hr_stats is not None,
        has_temperature=temperature is not None,
        notes=notes,
        start_latitude_deg=fix[0] if fix else None,
        start_longitude_deg=fix[1] if fix else None,
        air=air_reading,
        data_warnings=data_warnings,
        best_sustained_speed_m_s=splits.best_sustained_speed_m_s(track, detection.sustained_s),
        chart=series.chart_series(track, hr, altitude, temperature, lat, lon) if charts else None,
    )
    if track.total_distance_m < MIN_PACING_DISTANCE_M or track.total_moving_s < MIN_PACING_TIME_S:
        notes.append("no distance or moving time to speak of: no pace, splits, surges or drift")
        return _without_pacing(base, track)

    t_grid, effort_grid = track.per_second(effort=True)
    warm_end_s, cool_start_s = segments.warmup_cooldown_s(
        t_grid, effort_grid, detection.jog_min_s, detection.jog_slower_fraction
    )
    is_race = activity.is_race or says_race(activity.name, activity.source)
    if is_race:  # a race runs from the gun to the line: its slow end is part of the race, not a jog
        warm_end_s = cool_start_s = None
    warm_end_s, cool_start_s = _plausible_jogs(track, hr, warm_end_s, cool_start_s)
    warmup = _segment(track, 0.0, warm_end_s) if warm_end_s is not None else None
    cooldown = _segment(track, cool_start_s, track.total_moving_s) if cool_start_s is not None else None
    core_start_m = warmup.end_m if warmup else 0.0
    core_end_m = cooldown.start_m if cooldown else track.total_distance_m

    first_vs_last = splits.first_last(track, warmup.end_m if warmup else None, cooldown.start_m if cooldown else None)
    if first_vs_last is None:
        km = span_name(METERS_PER_KM, units)
        notes.append(f"shorter than {format_distance(2 * METERS_PER_KM, units, 1)}: no first vs last {km} comparison")
    first_half, second_half = splits.fraction_speeds(track, 0.5)
    first_5min, last_5min = splits.edge_speeds(track, detection.opening_window_s, detection.closing_window_s)
    if first_5min is None or last_5min is None:
        notes.append("too short for the opening / closing minutes to be compared with the rest")

    _, distance_grid = track.per_second()
    profile = physiology.altitude_profile_m(track.distance_m, altitude) if altitude is not None else None
    cadence_grid = _on_grid(track, channel(records, "cadence_spm"), t_grid)
    surge_list = surges.find_surges(
        t_grid,
        distance_grid,
        threshold_fraction=detection.surge_threshold_fraction,
        min_duration_s=detection.surge_min_duration_s,
        baseline_s=detection.surge_baseline_s,
        start_s=warm_end_s or 0.0,
        end_s=cool_start_s,
        heart_rate_bpm=_on_grid(track, hr, t_grid),
        cadence_spm=cadence_grid,
        stops_s=_distinct(track.moving_s[~track.moving]),
        check=detection.surge_effort,
        altitude_m=_altitude_on_grid(track, altitude, profile, distance_grid),
    )
    drift = physiology.aerobic_decoupling(track, hr, warm_end_s or 0.0, cool_start_s, detection.drift_min_s)
    if drift is None and hr is not None:
        notes.append(f"heart-rate drift needs {detection.drift_min_s / 60:g} min of moving time with heart rate")
    descent_m = None
    if profile is not None:
        descent_m = physiology.total_descent_m(profile)

    judged = _pacing(track, core_start_m, core_end_m, bool(warmup or cooldown))
    reading = judged.compared("first_half_m_s", "second_half_m_s")  # the halves positive_split reads
    halves = reading[1] if reading is not None else judged
    notes += course_notes(judged, units)
    descent_per_km = None if descent_m is None else descent_m / (track.total_distance_m / 1000.0)
    ascent_per_km = None if profile is None else physiology.total_descent_m(-profile) / (track.total_distance_m / 1000.0)
    session = shape.classify(
        t_grid, distance_grid, activity.laps,
        effort_m=effort_grid if track.effort_m is not None else None,
        lap_effort_speeds_m_s=_lap_effort_speeds(track, activity.laps, _first_time(records)),
        is_race=is_race,
        sub_sport=activity.sub_sport, descent_m_per_km=descent_per_km,
        ascent_m_per_km=ascent_per_km,
        cadence_spm=cadence_grid,
        first_half_m_s=halves.first_half_m_s, second_half_m_s=halves.second_half_m_s, units=units,
    )
    return RunMetrics(
        **base,
        avg_speed_m_s=track.total_distance_m / track.total_moving_s,
        splits=splits.splits(track, units, hr, temperature),
        first_half_speed_m_s=first_half,
        second_half_speed_m_s=second_half,
        first_vs_last=first_vs_last,
        median_speed_m_s=splits.median_speed_m_s(track),
        first_5min_speed_m_s=first_5min,
        last_5min_speed_m_s=last_5min,
        ended_with_walk=splits.ended_with_walk(track),
        warmup=warmup,
        cooldown=cooldown,
        surges=surge_list,
        hr_drift_pct=None if drift is None else drift.pct,
        hr_halves_bpm=None if drift is None else (drift.first_half_bpm, drift.second_half_bpm),
        total_descent_m=descent_m,
        descent_m_per_km=descent_per_km,
        ascent_m_per_km=ascent_per_km,
        pacing=judged,
        shape=session,
    )


def _pacing(track: Track, start_m: float, end_m: float, core: bool, effort: bool | None = None) -> Pacing:
    """The judged speeds, grade-adjusted when possible (with the same on the clock in ``raw``).
    Halves and quarters: of the core [start_m, end_m]. The start is judged from the run's own
    opening, warm-up included (a runner who jogged the first km did not go out too fast),
    against the core's end (an easy cool-down is not the pace the start is compared with):
    first km vs the last km before the cool-down, first 10 % of [0, end_m] vs its average."""
    graded = track.effort_m is not None if effort is None else effort
    first_half, second_half = splits.fraction_speeds(track, 0.5, start_m, end_m, effort=graded)
    early, final = splits.fraction_speeds(track, 1.0 - splits.FINAL_PART_FRACTION, start_m, end_m, effort=graded)
    last_tenth = splits.fraction_speeds(track, 1.0 - splits.FIRST_PART_FRACTION, start_m, end_m, effort=graded)[1]
    km = unit_length_m(splits.FIRST_LAST_UNIT)
    two_km = end_m >= 2 * km
    return Pacing(
        grade_adjusted=graded,
        core=core,
        first_km_m_s=track.speed_between_m(0.0, km, graded) if two_km else None,
        last_km_m_s=track.speed_between_m(end_m - km, end_m, graded) if two_km else None,
        second_km_m_s=track.speed_between_m(km, 2 * km, graded) if two_km else None,
        first_10pct_m_s=splits.first_part_speed_m_s(track, 0.0, end_m, effort=graded),
        average_m_s=track.speed_between_m(0.0, end_m, effort=graded),
        first_half_m_s=first_half,
        second_half_m_s=second_half,
        first_three_quarters_m_s=early,
        final_quarter_m_s=final,
        last_tenth_m_s=last_tenth,
        raw=_pacing(track, start_m, end_m, core, effort=False) if graded else None,
    )


JOG_HR_WINDOW_S = 300.0  # a cool-down's heart rate and pace are compared with this much before it, s
JOG_HR_DROP_BPM = 5.0  # a cool-down jog lowers the mean heart rate at least this much
MAX_UNCONFIRMED_COOLDOWN_FRACTION = 0.2  # without heart rate, a longer easy end is a fade, not a cool-down


def _plausible_jogs(
    track: Track, hr: np.ndarray | None, warm_end_s: float | None, cool_start_s: float | None
) -> tuple[float | None, float | None]:
    """Drop a warm-up or cool-down that is not one: an opening no slower than the run's median
    speed is the run itself; an easy end no slower than the JOG_HR_WINDOW_S before it is the end
    of a fade (an ultra's last slow kilometres, then a quicker finish); an easy end whose heart
    rate does not fall by JOG_HR_DROP_BPM is a fade (the heart works as hard for less speed), and
    so is, without heart rate to tell, an easy end longer than MAX_UNCONFIRMED_COOLDOWN_FRACTION
    of the moving time."""
    total_s = track.total_moving_s
    median = splits.median_speed_m_s(track)
    if warm_end_s is not None and median is not None:
        speed = track.speed_between_s(0.0, warm_end_s)
        if speed is None or speed >= median:
            warm_end_s = None
    if cool_start_s is not None:
        before = (track.moving_s > cool_start_s - JOG_HR_WINDOW_S) & (track.moving_s <= cool_start_s)
        after = track.moving_s > cool_start_s
        hr_before, hr_after = track.moving_mean(hr, before), track.moving_mean(hr, after)
        pace_before = track.speed_between_s(cool_start_s - JOG_HR_WINDOW_S, cool_start_s, effort=True)
        pace_after = track.speed_between_s(cool_start_s, total_s, effort=True)  # as the jogs are found
        if pace_before is not None and pace_after is not None and pace_after >= pace_before:
            cool_start_s = None  # no easier than the minutes before it: the end of a fade, not a jog
        elif hr_before is not None and hr_after is not None:
            if hr_after > hr_before - JOG_HR_DROP_BPM:
                cool_start_s = None
        elif total_s - cool_start_s > MAX_UNCONFIRMED_COOLDOWN_FRACTION * total_s:
            cool_start_s = None
    return warm_end_s, cool_start_s


def _lap_effort_speeds(track: Track, laps: list, t0: datetime | None) -> list[float | None] | None:
    """Each lap's grade-adjusted speed over its moving time (None without elevation, or for a lap
    that cannot be placed on the records)."""
    if track.effort_m is None or t0 is None:
        return None
    speeds: list[float | None] = []
    for lap in laps:
        if lap.start_time_utc is None or not lap.elapsed_time_s:
            speeds.append(None)
            continue
        start = (lap.start_time_utc - t0).total_seconds()
        moving = np.interp([start, start + lap.elapsed_time_s], track.elapsed_s, track.moving_s)
        speeds.append(track.speed_between_s(float(moving[0]), float(moving[1]), effort=True))
    return speeds


COURSE_NOTE_PCT = 3.0  # clock and grade-adjusted pace this many points apart: the course shaped the pace


MAX_COURSE_NOTE_PCT = 100.0  # beyond this (a vertical km) the comparison says nothing useful


def course_notes(pc: Pacing, units: str = "km") -> list[str]:
    """Sentences saying where the terrain shaped the pace: the clock and the grade-adjusted
    comparisons of the start and of the final quarter at least COURSE_NOTE_PCT points apart, when
    one of them shows the early part more than COURSE_NOTE_PCT faster (a fast start or a fade that
    the terrain makes or hides; a first km slower than the last on both needs no explaining). The
    1 km stretches are named in ``units``: "the first 0.62 mi" under "mi"."""
    if pc.raw is None:
        return []
    notes = []
    km = span_name(METERS_PER_KM, units)
    pairs = (
        ("first_km_m_s", "last_km_m_s", "the course shaped the start", f"the first {km}", "the last", f"first {km}", f"last {km}"),
        ("first_three_quarters_m_s", "final_quarter_m_s", "the course shaped the finish",
         "the first three quarters", "the final quarter", "first three quarters", "final quarter"),
    )
    def than(pct: float) -> str:
        return f"{abs(pct):.1f} % {'faster' if pct >= 0 else 'slower'}"

    for fast, slow, lead, what, other, early, late in pairs:
        speeds = [getattr(p, name) for p in (pc.raw, pc) for name in (fast, slow)]
        if not all(speeds):
            continue
        clock_pct, graded_pct = (speeds[0] / speeds[1] - 1) * 100, (speeds[2] / speeds[3] - 1) * 100
        explains = max(clock_pct, graded_pct) > COURSE_NOTE_PCT  # a fast start (a fade) on one reading at least
        if explains and COURSE_NOTE_PCT <= abs(clock_pct - graded_pct) and max(abs(clock_pct), abs(graded_pct)) <= MAX_COURSE_NOTE_PCT:
            easier = early if clock_pct > graded_pct else late
            notes.append(
                f"{lead}: {what} was {than(clock_pct)} than {other} on the clock and {than(graded_pct)} on "
                f"grade-adjusted pace (the {easier} ran on easier ground)"
            )
    return notes


def _segment(track: Track, start_s: float, end_s: float) -> Segment:
    """A stretch of the run by moving time, with its distances and mean speed."""
    start_m, end_m = (float(x) for x in track.distance_at(np.array([start_s, end_s])))
    return Segment(start_s, end_s, start_m, end_m, (end_m - start_m) / (end_s - start_s))


def _without_pacing(base: dict, track: Track) -> RunMetrics:
    """RunMetrics for a recording with too little distance or moving time to pace."""
    speed = track.total_distance_m / track.total_moving_s if track.total_moving_s > 0 else float("nan")
    return RunMetrics(**base, avg_speed_m_s=speed, **_NO_PACING)


_NO_PACING = dict(
    splits=[],
    first_half_speed_m_s=None,
    second_half_speed_m_s=None,
    first_vs_last=None,
    median_speed_m_s=None,
    first_5min_speed_m_s=None,
    last_5min_speed_m_s=None,
    ended_with_walk=False,
    warmup=None,
    cooldown=None,
    surges=[],
    hr_drift_pct=None,
    total_descent_m=None,
    descent_m_per_km=None,
)


def _untimed(
    activity: Activity,
    units: str,
    start_utc: datetime | None,
    local: localtime.LocalTimes,
    fix: tuple[float, float] | None,
    ambient_temp_c: float | None,
    temperature: np.ndarray | None,
) -> RunMetrics:
    """RunMetrics for a recording without timestamps: distance only."""
    distance = clean_distance_m(activity.records, clean_elapsed_s(activity.records))
    has = activity.has
    notes = ([local.note] if local.note else []) + ["no timestamps: no moving time, pace, splits or surges"]
    temp = None
    if ambient_temp_c is not None:
        temp = TemperatureStats(ambient_temp_c, ambient_temp_c, ambient_temp_c, stats.USER_TEMPERATURE_SOURCE)
    elif temperature is not None:
        values = temperature[np.isfinite(temperature)]
        temp = TemperatureStats(float(values.min()), float(values.mean()), float(values.max()), activity.temperature_source or stats.DEFAULT_TEMPERATURE_SOURCE)
    return RunMetrics(
        distance_m=float(distance[-1]) if distance is not None and len(distance) else 0.0,
        elapsed_time_s=0.0,
        moving_time_s=0.0,
        avg_speed_m_s=float("nan"),
        start_time_utc=start_utc,
        start_time_local=local.start,
        end_time_local=local.end,
        local_time_source=local.source,
        units=units,
        temperature=temp,
        heart_rate=None,
        has_gps=has["lat"] and has["lon"],
        has_elevation=has["altitude_m"],
        has_heart_rate=has["heart_rate_bpm"],
        has_temperature=has["temperature_c"],
        notes=notes,
        start_latitude_deg=fix[0] if fix else None,
        **_NO_PACING,
    )


def _on_grid(track: Track, values: np.ndarray | None, t_grid: np.ndarray) -> np.ndarray | None:
    """A per-record channel interpolated onto the per-second moving-time grid (None if absent)."""
    if values is None:
        return None
    known = np.isfinite(values)
    if known.sum() < 2:
        return None
    return np.interp(t_grid, track.moving_s[known], values[known])


def _altitude_on_grid(
    track: Track, altitude: np.ndarray | None, profile: np.ndarray | None, distance_grid: np.ndarray
) -> np.ndarray | None:
    """The smoothed altitude ``profile`` (m, from ``physiology.altitude_profile_m``) at each
    distance of the per-second grid (None if absent)."""
    if altitude is None or profile is None:
        return None
    if profile.size < 2:
        return None
    start_m = np.nanmin(track.distance_m[np.isfinite(altitude) & np.isfinite(track.distance_m)])
    return np.interp(distance_grid, start_m + physiology.ALTITUDE_STEP_M * np.arange(profile.size), profile)


def _distinct(ascending: np.ndarray) -> np.ndarray:
    """The distinct values of a non-decreasing array (``np.unique`` without its sort)."""
    return ascending[np.r_[True, ascending[1:] != ascending[:-1]]] if ascending.size else ascending


def _first_time(records: Records) -> datetime | None:
    """Time of the first record (the clock of ``elapsed_s``), or None."""
    if "time" not in records or len(records) == 0:
        return None
    return utc_datetime(records["time"][0])


def _start_end_utc(activity: Activity) -> tuple[datetime | None, datetime | None]:
    """Start (the activity's own, else the first record) and end (last record) times, UTC."""
    records = activity.records
    if "time" not in records:
        return activity.start_time_utc, None
    times = records["time"]
    known = np.flatnonzero(~np.isnat(times))
    first = utc_datetime(times[known[0]]) if len(known) else None
    last = utc_datetime(times[known[-1]]) if len(known) else None
    return activity.start_time_utc or first, last
