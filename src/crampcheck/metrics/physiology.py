"""Aerobic decoupling (heart-rate drift) and descent (eccentric load).

Aerobic decoupling after Joe Friel ("Pa:HR", as in TrainingPeaks and GoldenCheetah): split
the steady part of the run into two halves of equal moving time; efficiency factor
EF = speed / heart rate in each; decoupling % = (EF first / EF second - 1) * 100. Positive:
the heart worked harder for the same speed later on. Speed is grade-adjusted when the run
has elevation (TrainingPeaks uses normalized graded pace for the same reason).

Descent: the altitude profile against distance, resampled every ``ALTITUDE_STEP_M`` and
smoothed over ``ALTITUDE_SMOOTH_M``, summed over its falls with a ``DESCENT_HYSTERESIS_M``
dead band (a fall counts once the profile has dropped that far below its last peak), so
that barometric and GPS altitude noise adds nothing.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from crampcheck.metrics import grade
from crampcheck.metrics.track import Track

MIN_DECOUPLING_S = 45 * 60.0  # moving time needed for decoupling, s (hr_drift_min_duration_min)
MIN_HR_COVERAGE = 0.5  # share of each half's moving time that must carry heart rate
DESCENT_HYSTERESIS_M = 3.0  # altitude dead band, m
ALTITUDE_STEP_M = grade.PROFILE_STEP_M  # distance resolution of the altitude profile, m
ALTITUDE_SMOOTH_M = 50.0  # centred moving-average window of the altitude profile, m


class Decoupling(NamedTuple):
    """Aerobic decoupling between the halves, % (positive: less speed per beat later), and the
    mean heart rate of each half, bpm (whether the heart worked as hard, or harder, later)."""

    pct: float
    first_half_bpm: float
    second_half_bpm: float


def aerobic_decoupling(
    track: Track,
    heart_rate_bpm: np.ndarray | None,
    start_s: float = 0.0,
    end_s: float | None = None,
    min_duration_s: float = MIN_DECOUPLING_S,
) -> Decoupling | None:
    """Friel's aerobic decoupling between the two halves of [start_s, end_s] of moving time.

    None without heart rate, when the run has under ``min_duration_s`` of moving time, when
    a half has heart rate over less than MIN_HR_COVERAGE of its moving time, or when the second
    half has no speed.
    """
    if heart_rate_bpm is None or track.total_moving_s < min_duration_s:
        return None
    end_s = track.total_moving_s if end_s is None else end_s
    mid_s = (start_s + end_s) / 2.0
    hr = np.where(heart_rate_bpm > 0, heart_rate_bpm, np.nan)
    halves = []
    for lo, hi in ((start_s, mid_s), (mid_s, end_s)):  # the two halves
        select = (track.moving_s > lo) & (track.moving_s <= hi)
        covered_s = np.sum(np.where(select & np.isfinite(hr), track.weight_s, 0.0))
        mean_hr = track.moving_mean(hr, select)
        speed = track.speed_between_s(lo, hi, effort=True)
        if mean_hr is None or speed is None or covered_s < MIN_HR_COVERAGE * (hi - lo):
            return None
        halves.append((speed / mean_hr, mean_hr))
    (first_ef, first_hr), (second_ef, second_hr) = halves
    if not second_ef > 0:  # no effort in the second half (a damaged file): nothing to compare
        return None
    return Decoupling((first_ef / second_ef - 1.0) * 100.0, first_hr, second_hr)


def altitude_profile_m(distance_m: np.ndarray, altitude_m: np.ndarray) -> np.ndarray:
    """Smoothed altitude (m) every ALTITUDE_STEP_M of distance (empty when under two points)."""
    return grade.smoothed_profile(distance_m, altitude_m, ALTITUDE_SMOOTH_M)[1]


def turning_points(values: np.ndarray) -> np.ndarray:
    """``values`` reduced to its first, last and local extreme points (flat stretches dropped)."""
    changed = np.concatenate(([True], np.diff(values) != 0))
    v = values[changed]
    if len(v) < 3:
        return v
    slope = np.sign(np.diff(v))
    extreme = np.concatenate(([True], slope[1:] != slope[:-1], [True]))
    return v[extreme]


def total_descent_m(altitude_m: np.ndarray, hysteresis_m: float = DESCENT_HYSTERESIS_M) -> float:
    """Sum of the falls of an altitude profile, m, ignoring reversals smaller than ``hysteresis_m``."""
    points = turning_points(altitude_m[np.isfinite(altitude_m)])
    if len(points) < 2:
        return 0.0
    descent = 0.0
    going_down = False
    peak = extreme = points[0]  # peak: top of the current fall; extreme: furthest point so far
    for value in points[1:]:  # turning points only, a few per hill
        if not going_down:
            if value > extreme:
                extreme = value
            elif extreme - value >= hysteresis_m:
                going_down, peak, extreme = True, extreme, value
        else:
            if value < extreme:
                extreme = value
            elif value - extreme >= hysteresis_m:
                descent += peak - extreme
                going_down, extreme = False, value
    if going_down:
        descent += peak - extreme
    return float(descent)
