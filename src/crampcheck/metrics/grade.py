"""Terrain: a cleaned altitude profile, grade, and grade-adjusted ("flat-equivalent") distance.

One terrain model serves every pacing comparison (first vs last km, first 10 %, halves,
final quarter, surges, warm-up and cool-down): a stretch's grade-adjusted speed is its
flat-equivalent distance over its moving time.

**Altitude is cleaned before any grade is taken.** The altitude against distance is
resampled every ``PROFILE_STEP_M``, smoothed over ``Terrain.smooth_m`` and passed through a
dead band of ``Terrain.hysteresis_m`` (the cleaned profile moves only once the altitude has
left the band around it), so that a few metres of GPS or barometric noise make no grade.
Grade is the rise of the cleaned profile over ``Terrain.grade_window_m``, centred.

**The cost of a grade** is an effort-equivalent curve, not an energy-cost curve. Minetti et al.
(2002) measured the energy cost of running on a treadmill slope; its downhill side makes a
descent look far easier than runners find it (at -10 % it is 40 % cheaper than the flat), so
a run that opens downhill would read as a fast start. Models fitted to heart rate over very
many real runs (the approach Strava Engineering described in 2017 for its grade-adjusted
pace) are much flatter downhill: the cheapest grade is around -9 %, only about 12 % easier
than the flat, and by about -18 % a descent is no easier than the flat. crampcheck uses the
simplest curve of that shape, a parabola through those points:

    f(g) = 1 + a g + b g^2,  with  b = (1 - f_min) / g_min^2,  a = -2 b g_min

(``f_min`` = ``Terrain.min_factor``, ``g_min`` = ``Terrain.min_factor_grade``; the defaults
0.88 at -9 % give a = 2.67, b = 14.8: +10 % costs 1.41 flats, +20 % 2.13). Below the grade
where the parabola comes back to 1 the factor stays 1: a very steep descent gets no credit
and no penalty. Grades are clipped to +-``MAX_ABS_GRADE``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_ABS_GRADE = 0.45  # steeper stretches are taken at this grade
PROFILE_STEP_M = 10.0  # distance resolution of the cleaned altitude profile, m


@dataclass(frozen=True)
class Terrain:
    """The terrain model's settings (``pipeline.detection`` fills them from the thresholds table)."""

    min_factor: float = 0.88  # lowest cost of a grade, in flats (terrain_min_factor)
    min_factor_grade: float = -0.09  # the grade where it is reached (terrain_min_factor_grade_pct)
    hysteresis_m: float = 2.0  # altitude dead band, m (terrain_altitude_hysteresis_m)
    smooth_m: float = 50.0  # altitude smoothing window, m
    grade_window_m: float = 100.0  # grade = rise over this distance, centred, m (terrain_grade_window_m)

    @property
    def coefficients(self) -> tuple[float, float]:
        """(a, b) of f(g) = 1 + a g + b g^2."""
        b = (1.0 - self.min_factor) / self.min_factor_grade**2
        return -2.0 * b * self.min_factor_grade, b


def cost_factor(grade: np.ndarray | float, terrain: Terrain = Terrain()) -> np.ndarray:
    """How many flat metres one metre at ``grade`` (fraction) is worth (see the module docstring)."""
    a, b = terrain.coefficients
    g = np.clip(np.asarray(grade, dtype=np.float64), -MAX_ABS_GRADE, MAX_ABS_GRADE)
    factor = 1.0 + a * g + b * g * g
    back_to_flat = 2.0 * terrain.min_factor_grade  # the parabola's other root of f = 1
    return np.where(g < back_to_flat, 1.0, factor)


def dead_band(values: np.ndarray, band: float) -> np.ndarray:
    """``values`` followed only once they leave a band of +-``band`` around the output."""
    out = np.empty_like(values)
    if values.size == 0:
        return out
    level = float(values[0])
    for i, v in enumerate(values.tolist()):  # a few hundred points per 10 km
        if v > level + band:
            level = v - band
        elif v < level - band:
            level = v + band
        out[i] = level
    return out


def smoothed_profile(distance_m: np.ndarray, altitude_m: np.ndarray, smooth_m: float) -> tuple[np.ndarray, np.ndarray]:
    """(distance grid, altitude smoothed over ``smooth_m``), every PROFILE_STEP_M (both empty
    under two points). A repeated distance (standing still) keeps its first altitude, so
    altitude noise while stopped is ignored."""
    known = np.isfinite(distance_m) & np.isfinite(altitude_m)
    d, first = np.unique(distance_m[known], return_index=True)
    if len(d) < 2:
        return np.empty(0), np.empty(0)
    grid = np.arange(d[0], d[-1] + PROFILE_STEP_M / 2, PROFILE_STEP_M)
    altitude = np.interp(grid, d, altitude_m[known][first])
    return grid, centred_mean(altitude, max(int(round(smooth_m / PROFILE_STEP_M)), 1))


def clean_profile(distance_m: np.ndarray, altitude_m: np.ndarray, terrain: Terrain = Terrain()) -> tuple[np.ndarray, np.ndarray]:
    """(distance grid, cleaned altitude): smoothed, then through the dead band."""
    grid, smoothed = smoothed_profile(distance_m, altitude_m, terrain.smooth_m)
    return grid, dead_band(smoothed, terrain.hysteresis_m)


def centred_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean over a centred window of ``window`` points, shortened at the ends, by prefix sums."""
    idx = np.arange(len(values))
    lo = np.maximum(idx - window // 2, 0)
    hi = np.minimum(idx + (window - 1) // 2 + 1, len(values))
    prefix = np.concatenate(([0.0], np.cumsum(values)))
    return (prefix[hi] - prefix[lo]) / (hi - lo)


def grade_at(at_m: np.ndarray, grid_m: np.ndarray, profile_m: np.ndarray, window_m: float) -> np.ndarray:
    """Grade (fraction, clipped to +-MAX_ABS_GRADE) of the cleaned profile at distances ``at_m``:
    its rise over ``window_m`` centred on each point (shortened at the ends of the run)."""
    if len(grid_m) < 2:
        return np.zeros(len(at_m))
    half = window_m / 2.0
    lo = np.clip(at_m - half, grid_m[0], grid_m[-1])
    hi = np.clip(at_m + half, grid_m[0], grid_m[-1])
    span = hi - lo
    rise = np.interp(hi, grid_m, profile_m) - np.interp(lo, grid_m, profile_m)
    with np.errstate(divide="ignore", invalid="ignore"):
        grade = np.where(span > 0, rise / span, 0.0)
    return np.clip(grade, -MAX_ABS_GRADE, MAX_ABS_GRADE)


def effort_distance_m(
    distance_m: np.ndarray, grid_m: np.ndarray, profile_m: np.ndarray, terrain: Terrain = Terrain()
) -> np.ndarray:
    """Cumulative flat-equivalent distance (m) at each record: each step's distance weighted by
    the cost factor at the grade of its midpoint."""
    step_m = np.diff(distance_m, prepend=distance_m[0])
    step_m = np.where(np.isfinite(step_m), step_m, 0.0)
    mid_m = distance_m - step_m / 2.0
    grade = grade_at(mid_m, grid_m, profile_m, terrain.grade_window_m)
    return np.cumsum(step_m * cost_factor(grade, terrain))
