"""Moving time: which parts of a recording the runner was actually moving.

Every quantity here is defined on *intervals*: interval ``i`` runs from record ``i-1`` to
record ``i`` (interval 0 is empty). An interval is **not moving** when

1. its midpoint lies inside a timer stop (``Activity.pauses``);
2. it is a gap in the records (longer than ``MAX_RECORD_GAP_S``) over which the distance did
   not advance at ``STILL_SPEED_M_S`` or more: a timer stop writes no records and adds no
   distance, whereas "smart recording" writes a record every few seconds while the runner
   keeps covering ground (real Garmin files show 11-18 s gaps with ~20 m covered); or a gap of
   ``LONG_GAP_S`` or more covered slower than ``LONG_GAP_WALK_SPEED_M_S`` without climbing (an
   auto-pause, after which the position jumps to where the runner started again);
3. it belongs to a stretch of at least ``MIN_STILL_S`` over which the speed (raw, or averaged
   over ``STILL_SMOOTH_S``) stays below ``STILL_SPEED_M_S`` (standing still, timer running),
   unless the altitude changes at ``CLIMBING_RATE_M_S`` or more over ``CLIMB_WINDOW_S``
   (steep hiking covers little ground but climbs: nobody standing still gains 6 m a minute).

The speed of an interval is its distance gain over its duration when the file has distance,
else the speed channel of the record that closes it. Moving time is the sum of the durations
of the moving intervals; elapsed time is last record minus first record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from crampcheck.schema import Pause

STILL_SPEED_M_S = 0.5  # below this the runner is standing (GPS drift stays under it)
MIN_STILL_S = 5.0  # a stop shorter than this is kept as moving (auto-pause reacts in a few s)
STILL_SMOOTH_S = 5.0  # centred averaging window that evens out GPS drift while standing
STILL_EDGE_SPEED_M_S = 1.0  # slower than a walk: at the edge of a stop, part of it
MAX_RECORD_GAP_S = 5.0  # a longer gap between two records is judged on its own mean speed
LONG_GAP_S = 30.0  # a gap this long is an auto-pause (smart recording writes every 1-20 s)...
LONG_GAP_WALK_SPEED_M_S = 1.5  # ...unless it covered ground faster than a slow walk


def interval_speed_m_s(elapsed_s: np.ndarray, distance_m: np.ndarray | None, speed_m_s: np.ndarray | None) -> np.ndarray:
    """Speed of each interval, m/s (NaN when unknown; element 0 is NaN).

    Distance gain / duration when the distance is known, else the speed channel of the
    closing record.
    """
    n = len(elapsed_s)
    speed = np.full(n, np.nan)
    if n < 2:
        return speed
    dt = np.diff(elapsed_s)
    if distance_m is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            speed[1:] = np.where(dt > 0, np.diff(distance_m) / dt, np.nan)
    if speed_m_s is not None:
        missing = np.isnan(speed)
        missing[0] = False
        speed[missing] = speed_m_s[missing]
    return speed


def pause_mask(elapsed_s: np.ndarray, pause_bounds_s: np.ndarray) -> np.ndarray:
    """True for the intervals whose midpoint lies inside a timer stop.

    ``pause_bounds_s`` is an (n, 2) array of [start, end] in the same clock as ``elapsed_s``.
    """
    inside = np.zeros(len(elapsed_s), dtype=bool)
    if len(elapsed_s) < 2 or len(pause_bounds_s) == 0:
        return inside
    order = np.argsort(pause_bounds_s[:, 0])
    starts = pause_bounds_s[order, 0]
    ends_so_far = np.maximum.accumulate(pause_bounds_s[order, 1])  # overlapping stops merge
    mid = (elapsed_s[1:] + elapsed_s[:-1]) / 2.0
    idx = np.searchsorted(starts, mid, side="right") - 1
    inside[1:] = (idx >= 0) & (mid < ends_so_far[np.maximum(idx, 0)])
    return inside


def sustained(mask: np.ndarray, dt_s: np.ndarray, min_s: float = MIN_STILL_S) -> np.ndarray:
    """``mask`` keeping only its runs of True that last at least ``min_s`` (``dt_s``: interval durations)."""
    run_id = np.concatenate(([0], np.cumsum(mask[1:] != mask[:-1])))
    run_duration_s = np.bincount(run_id, weights=dt_s)
    return mask & (run_duration_s[run_id] >= min_s)


def seconds_to_ns(seconds: np.ndarray) -> np.ndarray:
    """Float seconds as int64 nanoseconds, rounded as pandas' ``to_timedelta(unit="s")`` does
    (whole seconds, plus the fraction rounded to 9 decimals)."""
    whole = seconds.astype(np.int64)
    return whole * 1_000_000_000 + (np.round(seconds - whole, 9) * 1e9).astype(np.int64)


def window_speed_m_s(elapsed_s: np.ndarray, speed_m_s: np.ndarray, window_s: float = STILL_SMOOTH_S) -> np.ndarray:
    """Time-weighted mean of the interval speeds over a centred ``window_s`` window, m/s.

    Record gaps longer than MAX_RECORD_GAP_S are left out (``gap_stop_mask`` judges them).
    """
    dt = np.diff(elapsed_s, prepend=elapsed_s[0])
    known = np.isfinite(speed_m_s) & (dt <= MAX_RECORD_GAP_S)  # gaps are judged on their own
    moved = np.where(known, speed_m_s * dt, 0.0)
    time = np.where(known, dt, 0.0)
    # The window of record i holds the records j with t_i - w/2 < t_j <= t_i + w/2 (pandas'
    # centred time window, on the same integer nanoseconds), summed as prefix-sum differences.
    ns = seconds_to_ns(elapsed_s - elapsed_s[0])
    half_ns = int(seconds_to_ns(np.array([window_s]))[0]) // 2
    lo = np.searchsorted(ns, ns - half_ns, side="right")
    hi = np.searchsorted(ns, ns + half_ns, side="right")
    moved_sum = _window_sums(moved, lo, hi)
    time_sum = _window_sums(time, lo, hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(time_sum > 0, moved_sum / time_sum, np.nan)


def _window_sums(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Sum of ``values[lo[i]:hi[i]]`` for every i (prefix sums; windows move forward)."""
    prefix = np.concatenate(([0.0], np.cumsum(values)))
    return prefix[hi] - prefix[lo]


def still_mask(elapsed_s: np.ndarray, speed_m_s: np.ndarray) -> np.ndarray:
    """True for the intervals inside a stop (>= MIN_STILL_S below STILL_SPEED_M_S).

    A stop is found on the raw interval speeds (exact edges; the 1-s zeros of a distance
    that updates every 2 s are too short to count) or on the speeds averaged over
    STILL_SMOOTH_S (GPS drift while standing scatters raw speeds around the threshold);
    intervals slower than STILL_EDGE_SPEED_M_S within STILL_SMOOTH_S of a stop join it
    (the averaging blurs the stop's edges).
    """
    n = len(elapsed_s)
    if n < 2:
        return np.zeros(n, dtype=bool)
    dt = np.diff(elapsed_s, prepend=elapsed_s[0])
    with np.errstate(invalid="ignore"):
        raw = speed_m_s < STILL_SPEED_M_S  # NaN (no speed at all) counts as moving
        smooth = window_speed_m_s(elapsed_s, speed_m_s) < STILL_SPEED_M_S
        slow = speed_m_s < STILL_EDGE_SPEED_M_S
    raw[0] = smooth[0] = False
    core = sustained(raw, dt) | sustained(smooth, dt)
    return core | (slow & (seconds_to_nearest(elapsed_s, elapsed_s[core]) <= STILL_SMOOTH_S))


def seconds_to_nearest(times_s: np.ndarray, marks_s: np.ndarray) -> np.ndarray:
    """Distance (s) from each time to the nearest of the sorted ``marks_s`` (inf when none)."""
    if len(marks_s) == 0:
        return np.full(len(times_s), np.inf)
    idx = np.searchsorted(marks_s, times_s)
    before = marks_s[np.clip(idx - 1, 0, len(marks_s) - 1)]
    after = marks_s[np.clip(idx, 0, len(marks_s) - 1)]
    return np.minimum(np.abs(times_s - before), np.abs(after - times_s))


def gap_stop_mask(elapsed_s: np.ndarray, distance_m: np.ndarray | None, altitude_m: np.ndarray | None = None) -> np.ndarray:
    """True for record gaps longer than MAX_RECORD_GAP_S that did not cover ground at a moving
    speed, and for gaps of LONG_GAP_S or more that covered it slower than LONG_GAP_WALK_SPEED_M_S
    without climbing or descending at CLIMBING_RATE_M_S: an auto-pause writes no records, and the
    position jumps on when it ends (a runner who paused, then walked a few steps)."""
    n = len(elapsed_s)
    stopped = np.zeros(n, dtype=bool)
    if n < 2:
        return stopped
    dt = np.diff(elapsed_s)
    gap = dt > MAX_RECORD_GAP_S
    if distance_m is None:
        stopped[1:] = gap
        return stopped
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.diff(distance_m) / dt
        climbing = np.abs(np.diff(altitude_m)) / dt >= CLIMBING_RATE_M_S if altitude_m is not None else np.zeros(n - 1, bool)
    paused = (dt >= LONG_GAP_S) & (speed < LONG_GAP_WALK_SPEED_M_S) & ~climbing
    stopped[1:] = gap & (~(speed >= STILL_SPEED_M_S) | paused)
    return stopped


CLIMB_WINDOW_S = 60.0  # window of the climbing rate, s
CLIMBING_RATE_M_S = 0.1  # 360 m/h up or down over a minute: nobody standing still does that


def climb_rate_m_s(elapsed_s: np.ndarray, altitude_m: np.ndarray) -> np.ndarray:
    """|altitude change| over CLIMB_WINDOW_S centred on each record, per second (0 where unknown)."""
    known = np.isfinite(altitude_m)
    if known.sum() < 2:
        return np.zeros(len(elapsed_s))
    t, alt = elapsed_s[known], altitude_m[known]
    half = CLIMB_WINDOW_S / 2.0
    lo = np.interp(elapsed_s - half, t, alt)
    hi = np.interp(elapsed_s + half, t, alt)
    span = np.clip(elapsed_s + half, t[0], t[-1]) - np.clip(elapsed_s - half, t[0], t[-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(span > 0, np.abs(hi - lo) / span, 0.0)


def moving_intervals(
    elapsed_s: np.ndarray,
    distance_m: np.ndarray | None = None,
    speed_m_s: np.ndarray | None = None,
    pause_bounds_s: np.ndarray | None = None,
    altitude_m: np.ndarray | None = None,
) -> np.ndarray:
    """True for each interval (ending at record i) the runner was moving; element 0 is False.

    ``elapsed_s`` must be non-decreasing; ``distance_m`` cumulative metres (or None);
    ``speed_m_s`` the speed channel (or None); ``pause_bounds_s`` timer stops as (n, 2) seconds.
    """
    n = len(elapsed_s)
    if n < 2:
        return np.zeros(n, dtype=bool)
    bounds = np.empty((0, 2)) if pause_bounds_s is None else pause_bounds_s
    speed = interval_speed_m_s(elapsed_s, distance_m, speed_m_s)
    still = still_mask(elapsed_s, speed)
    if altitude_m is not None:  # climbing or descending steeply at a walk is moving, however little ground it covers
        still &= ~(climb_rate_m_s(elapsed_s, altitude_m) >= CLIMBING_RATE_M_S)
    paused = pause_mask(elapsed_s, bounds) | gap_stop_mask(elapsed_s, distance_m, altitude_m) | still
    moving = ~paused
    moving[0] = False
    return moving


def moving_time_s(elapsed_s: np.ndarray, moving_interval: np.ndarray) -> np.ndarray:
    """Cumulative moving time at each record, s (0 at the first record)."""
    dt = np.concatenate(([0.0], np.diff(elapsed_s)))
    return np.cumsum(np.where(moving_interval, dt, 0.0))


def pause_bounds(pauses: Sequence[Pause], t0: datetime) -> np.ndarray:
    """Timer stops as an (n, 2) array of seconds since ``t0`` (the first record's time)."""
    if not pauses:
        return np.empty((0, 2))
    return np.array([[(p.start_utc - t0).total_seconds(), (p.end_utc - t0).total_seconds()] for p in pauses], dtype=float)
