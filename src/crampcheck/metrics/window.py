"""A stretch of the run just before a given point: what preceded a cramp.

Pure function over the run's chart series (``ChartSeries``, already computed): the pace
over the stretch against the run's median, heart rate, grade and temperature, and where the
point lies as a share of the whole distance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crampcheck.metrics.model import ChartSeries

MIN_MOVING_SPEED_M_S = 1.0  # points slower than this (standing, walking) are left out of the run's median


@dataclass(frozen=True)
class Before:
    """The ``span_m`` before ``at_m`` (less at the start of the run)."""

    at_m: float
    start_m: float
    share_pct: float  # at_m as a share of the run's distance
    speed_m_s: float | None  # distance over moving time across the stretch
    median_speed_m_s: float | None  # the run's median moving speed
    pace_vs_median_pct: float | None  # + : faster than the median
    heart_rate_bpm: float | None
    grade_pct: float | None  # altitude change over the stretch / its length
    temperature_c: float | None


def _mean(values: np.ndarray | None, mask: np.ndarray) -> float | None:
    if values is None:
        return None
    picked = values[mask]
    picked = picked[np.isfinite(picked)]
    return float(picked.mean()) if picked.size else None


def distance_at_moving_s(chart: ChartSeries, moving_s: float) -> float | None:
    """Distance from the start at this much moving time (None without a usable series)."""
    ok = np.isfinite(chart.moving_s) & np.isfinite(chart.distance_m)
    if ok.sum() < 2:
        return None
    return float(np.interp(moving_s, chart.moving_s[ok], chart.distance_m[ok]))


def before(chart: ChartSeries, at_m: float, span_m: float) -> Before | None:
    """What the ``span_m`` before ``at_m`` looked like; None without a usable series."""
    ok = np.isfinite(chart.moving_s) & np.isfinite(chart.distance_m)
    if ok.sum() < 2:
        return None
    dist, moving = chart.distance_m[ok], chart.moving_s[ok]
    total = float(dist.max())
    at = float(min(max(at_m, 0.0), total))
    start = max(at - span_m, 0.0)
    t0, t1 = np.interp([start, at], dist, moving)
    speed = (at - start) / (t1 - t0) if t1 > t0 else None
    moving_speeds = chart.speed_m_s[ok]
    moving_speeds = moving_speeds[np.isfinite(moving_speeds) & (moving_speeds >= MIN_MOVING_SPEED_M_S)]
    median = float(np.median(moving_speeds)) if moving_speeds.size else None
    mask = np.zeros(len(chart.distance_m), dtype=bool)
    mask[np.flatnonzero(ok)] = (dist >= start) & (dist <= at)
    grade = None
    if chart.altitude_m is not None and at - start > 0:
        alt_ok = ok & np.isfinite(chart.altitude_m)
        if alt_ok.sum() >= 2:
            a0, a1 = np.interp([start, at], chart.distance_m[alt_ok], chart.altitude_m[alt_ok])
            grade = float((a1 - a0) / (at - start) * 100.0)
    return Before(
        at_m=at, start_m=start, share_pct=at / total * 100.0 if total > 0 else 0.0,
        speed_m_s=speed, median_speed_m_s=median,
        pace_vs_median_pct=(speed / median - 1.0) * 100.0 if speed and median else None,
        heart_rate_bpm=_mean(chart.heart_rate_bpm, mask), grade_pct=grade,
        temperature_c=_mean(chart.temperature_c, mask),
    )
