"""The run's chart series, on the track's moving-time axis.

Each record keeps its moving time (stops do not advance it) and its distance; speed is the
distance covered over a centred ``SPEED_WINDOW_S`` of moving time (far steadier than the
speed channel: GPS noise cancels over the window), grade-adjusted on the track's
flat-equivalent axis when the run has elevation. The records are then averaged over at most
``MAX_POINTS`` equal-count buckets: a chart never needs more than about one point per pixel.
"""

from __future__ import annotations

import numpy as np

from crampcheck.metrics.model import ChartSeries
from crampcheck.metrics.track import Track

MAX_POINTS = 1000  # points per series at most
SPEED_WINDOW_S = 30.0  # speed is distance over this much moving time (centred), s


def windowed_speed_m_s(track: Track, window_s: float = SPEED_WINDOW_S, effort: bool = False) -> np.ndarray:
    """Per record: distance (flat-equivalent when ``effort``) over a centred window of moving
    time, m/s; the window is cut at the start and the end of the run; NaN without moving time."""
    lo = np.maximum(track.moving_s - window_s / 2, 0.0)
    hi = np.minimum(track.moving_s + window_s / 2, track.total_moving_s)
    span_s = hi - lo
    covered_m = track.distance_at(hi, effort) - track.distance_at(lo, effort)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(span_s > 0, covered_m / span_s, np.nan)


def bucket_means(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Mean of each bucket [starts[i], starts[i+1]) ignoring NaN; NaN for an all-NaN bucket."""
    valid = np.isfinite(values)
    sums = np.add.reduceat(np.where(valid, values, 0.0), starts)
    counts = np.add.reduceat(valid.astype(float), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def chart_series(
    track: Track,
    heart_rate_bpm: np.ndarray | None = None,
    altitude_m: np.ndarray | None = None,
    temperature_c: np.ndarray | None = None,
    lat: np.ndarray | None = None,
    lon: np.ndarray | None = None,
    max_points: int = MAX_POINTS,
) -> ChartSeries:
    """The chart series of a run: its track and per-record channels (None when absent)."""
    n = len(track.moving_s)
    spread = np.linspace(0, n, min(n, max_points), endpoint=False).astype(int)  # non-decreasing
    starts = spread[np.r_[True, spread[1:] != spread[:-1]]] if n else spread

    def reduce(values: np.ndarray | None) -> np.ndarray | None:
        return None if values is None else bucket_means(np.asarray(values, dtype=float), starts)

    gap = windowed_speed_m_s(track, effort=True) if track.effort_m is not None else None
    return ChartSeries(
        moving_s=reduce(track.moving_s),
        distance_m=reduce(track.distance_m),
        speed_m_s=reduce(windowed_speed_m_s(track)),
        gap_speed_m_s=reduce(gap),
        heart_rate_bpm=reduce(heart_rate_bpm),
        altitude_m=reduce(altitude_m),
        temperature_c=reduce(temperature_c),
        lat=reduce(lat),
        lon=reduce(lon),
    )
