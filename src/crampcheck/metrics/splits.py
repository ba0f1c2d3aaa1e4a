"""Pacing over distance and moving time: splits, halves, first vs last mile, edges of the run.

Split boundaries are crossed at times interpolated linearly on cumulative distance vs
cumulative moving time (``Track``), so a split's time is exact to within the recording
interval whatever the sampling. Speeds are distance / moving time; "grade-adjusted" speeds
use the flat-equivalent distance of ``metrics.grade`` (Minetti 2002).
"""

from __future__ import annotations

import numpy as np

from crampcheck.metrics.model import FirstLast, Split
from crampcheck.metrics.track import GRID_STEP_S, Track
from crampcheck.units import unit_length_m

MIN_PARTIAL_SPLIT_M = 20.0  # a shorter remainder after the last full split is dropped
FIRST_PART_FRACTION = 0.10  # "first 10 % of distance"
FINAL_PART_FRACTION = 0.25  # "final quarter"
EDGE_WINDOW_S = 300.0  # "first / last 5 moving minutes"
MEDIAN_WINDOW_S = 30.0  # speeds whose median is the "median moving speed", s
WALK_SPEED_M_S = 1.8  # slower than this is walking (6.5 km/h; brisk walking is ~1.7 m/s)
WALK_CHECK_S = 60.0  # "ended with a walk": the last minute of moving time was a walk


def split_bounds_m(total_m: float, unit_m: float) -> np.ndarray:
    """Split boundaries from 0 to the end, m (a remainder under MIN_PARTIAL_SPLIT_M is dropped)."""
    full = int(np.floor(total_m / unit_m + 1e-9))
    bounds = np.arange(full + 1) * unit_m
    if total_m - bounds[-1] >= MIN_PARTIAL_SPLIT_M:
        bounds = np.append(bounds, total_m)
    return bounds


def _split_means(track: Track, values: np.ndarray | None, bounds: np.ndarray) -> list[float | None]:
    """Moving-time-weighted mean of a channel in each split (records placed by their distance)."""
    count = len(bounds) - 1
    if values is None:
        return [None] * count
    index = np.searchsorted(bounds, track.distance_m, side="left") - 1  # a record at a boundary closes the split before it
    index = np.clip(index, 0, None)
    keep = (index < count) & np.isfinite(values)
    weight = np.where(keep, track.weight_s, 0.0)
    index = np.where(keep, index, 0)
    weight_sum = np.bincount(index, weights=weight, minlength=count)
    value_sum = np.bincount(index, weights=weight * np.nan_to_num(values), minlength=count)
    return [float(v / w) if w > 0 else None for v, w in zip(value_sum, weight_sum)]


def splits(
    track: Track,
    unit: str,
    heart_rate_bpm: np.ndarray | None = None,
    temperature_c: np.ndarray | None = None,
) -> list[Split]:
    """Per-mile or per-km splits over moving time; the last one ``partial`` when shorter."""
    unit_m = unit_length_m(unit)
    bounds = split_bounds_m(track.total_distance_m, unit_m)
    if len(bounds) < 2:
        return []
    times_s = track.moving_at(bounds)
    efforts_m = track.effort_at(bounds) if track.effort_m is not None else None
    hr = _split_means(track, heart_rate_bpm, bounds)
    temp = _split_means(track, temperature_c, bounds)
    result = []
    for i in range(len(bounds) - 1):  # one iteration per split
        length_m = float(bounds[i + 1] - bounds[i])
        time_s = float(times_s[i + 1] - times_s[i])
        gap = None
        if efforts_m is not None and time_s > 0:
            gap = float(efforts_m[i + 1] - efforts_m[i]) / time_s
        result.append(
            Split(
                index=i + 1,
                unit=unit,
                distance_m=length_m,
                time_s=time_s,
                speed_m_s=length_m / time_s if time_s > 0 else float("nan"),
                heart_rate_bpm=hr[i],
                temperature_c=temp[i],
                partial=length_m < unit_m - 1e-6,
                gap_speed_m_s=gap,
            )
        )
    return result


FIRST_LAST_UNIT = "km"  # first vs last is judged over 1 km whatever the display units


def first_last(track: Track, warmup_end_m: float | None = None, cooldown_start_m: float | None = None) -> FirstLast | None:
    """First vs last kilometre: speeds, and grade-adjusted speeds when the track has elevation.

    The last km is the final 1,000 m of the run (not the last split). The ``core_*`` values
    repeat the comparison between the end of the warm-up and the start of the cool-down (None
    when neither was found, or the core is under 2 km). None when the run is under 2 km.
    """
    unit_m = unit_length_m(FIRST_LAST_UNIT)
    total_m = track.total_distance_m
    graded = track.effort_m is not None
    plain = _ends_speeds(track, 0.0, total_m, unit_m, False)
    if plain is None:
        return None
    gap = _ends_speeds(track, 0.0, total_m, unit_m, True) if graded else None
    core = core_gap = None
    if warmup_end_m is not None or cooldown_start_m is not None:
        start_m = warmup_end_m if warmup_end_m is not None else 0.0
        end_m = cooldown_start_m if cooldown_start_m is not None else total_m
        core = _ends_speeds(track, start_m, end_m, unit_m, False)
        core_gap = _ends_speeds(track, start_m, end_m, unit_m, True) if graded and core else None
    return FirstLast(
        unit=FIRST_LAST_UNIT,
        first_speed_m_s=plain[0],
        last_speed_m_s=plain[1],
        ratio=plain[0] / plain[1],
        grade_adjusted=gap is not None,
        core_first_speed_m_s=core[0] if core else None,
        core_last_speed_m_s=core[1] if core else None,
        core_ratio=core[0] / core[1] if core else None,
        first_gap_speed_m_s=gap[0] if gap else None,
        last_gap_speed_m_s=gap[1] if gap else None,
        gap_ratio=gap[0] / gap[1] if gap else None,
        core_first_gap_speed_m_s=core_gap[0] if core_gap else None,
        core_last_gap_speed_m_s=core_gap[1] if core_gap else None,
        core_gap_ratio=core_gap[0] / core_gap[1] if core_gap else None,
    )


def _ends_speeds(track: Track, start_m: float, end_m: float, unit_m: float, effort: bool) -> tuple[float, float] | None:
    """Speeds over the first and the last ``unit_m`` of [start_m, end_m] (None when shorter than 2 units)."""
    if end_m - start_m < 2 * unit_m:
        return None
    first = track.speed_between_m(start_m, start_m + unit_m, effort)
    last = track.speed_between_m(end_m - unit_m, end_m, effort)
    if not first or not last:
        return None
    return first, last


def fraction_speeds(
    track: Track, fraction: float, start_m: float = 0.0, end_m: float | None = None, effort: bool = False
) -> tuple[float | None, float | None]:
    """Speeds (m/s) over [start, start + fraction) and the rest of [start_m, end_m], by distance.

    ``fraction=0.5`` gives the halves; ``0.75`` the first three quarters and the final quarter.
    ``effort``: grade-adjusted speeds (when the track has elevation).
    """
    end_m = track.total_distance_m if end_m is None else end_m
    cut_m = start_m + fraction * (end_m - start_m)
    return track.speed_between_m(start_m, cut_m, effort), track.speed_between_m(cut_m, end_m, effort)


def first_part_speed_m_s(
    track: Track, start_m: float = 0.0, end_m: float | None = None, fraction: float = FIRST_PART_FRACTION,
    effort: bool = False,
) -> float | None:
    """Speed over the first ``fraction`` of [start_m, end_m] (pass the warm-up end as start), m/s;
    grade-adjusted when ``effort`` and the track has elevation."""
    return fraction_speeds(track, fraction, start_m, end_m, effort)[0]


def median_speed_m_s(track: Track, window_s: float = MEDIAN_WINDOW_S) -> float | None:
    """Median of the moving speed over sliding ``window_s`` windows (one per second), m/s.

    The window evens out distances that update only every few seconds.
    """
    _, distance = track.per_second()
    steps = int(round(window_s / GRID_STEP_S))
    if len(distance) <= steps:
        return None
    return float(np.median((distance[steps:] - distance[:-steps]) / window_s))


def edge_speeds(
    track: Track, opening_s: float = EDGE_WINDOW_S, closing_s: float = EDGE_WINDOW_S
) -> tuple[float | None, float | None]:
    """Speeds over the first ``opening_s`` and the last ``closing_s`` of moving time, m/s
    (each None when the run is shorter than twice its window)."""
    total_s = track.total_moving_s
    first = track.speed_between_s(0.0, opening_s) if total_s >= 2 * opening_s else None
    last = track.speed_between_s(total_s - closing_s, total_s) if total_s >= 2 * closing_s else None
    return first, last


def ended_with_walk(track: Track) -> bool:
    """True when the last WALK_CHECK_S of moving time averaged under WALK_SPEED_M_S."""
    total_s = track.total_moving_s
    if total_s < WALK_CHECK_S:
        return False
    speed = track.speed_between_s(total_s - WALK_CHECK_S, total_s)
    return speed is not None and speed < WALK_SPEED_M_S
