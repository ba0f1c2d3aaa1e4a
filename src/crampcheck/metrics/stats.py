"""Temperature and heart-rate summaries over moving time."""

from __future__ import annotations

import numpy as np

from crampcheck.metrics.model import HeartRateStats, TemperatureStats
from crampcheck.metrics.track import Track

USER_TEMPERATURE_SOURCE = "user (--ambient-temp)"
DEFAULT_TEMPERATURE_SOURCE = "file"  # when the reader did not say where temperature_c comes from


def temperature_stats(
    track: Track,
    temperature_c: np.ndarray | None,
    source: str | None = None,
    ambient_temp_c: float | None = None,
) -> TemperatureStats | None:
    """Min / time-weighted mean / max temperature, deg C, over moving time.

    ``ambient_temp_c`` (the user's reading) overrides the file. Min and max are over the
    moving records (over all records when none of the moving ones has a reading).
    """
    if ambient_temp_c is not None:
        return TemperatureStats(ambient_temp_c, ambient_temp_c, ambient_temp_c, USER_TEMPERATURE_SOURCE)
    if temperature_c is None:
        return None
    mean_c = track.moving_mean(temperature_c)
    moving_values = temperature_c[(track.weight_s > 0) & np.isfinite(temperature_c)]
    values = moving_values if len(moving_values) else temperature_c[np.isfinite(temperature_c)]
    if mean_c is None:
        mean_c = float(np.mean(values))
    return TemperatureStats(float(values.min()), mean_c, float(values.max()), source or DEFAULT_TEMPERATURE_SOURCE)


def heart_rate_stats(track: Track, heart_rate_bpm: np.ndarray | None) -> HeartRateStats | None:
    """Mean heart rate over moving time and maximum over the whole recording, beats/min.

    Zero or negative readings (sensor dropouts) are ignored.
    """
    if heart_rate_bpm is None:
        return None
    hr = np.where(heart_rate_bpm > 0, heart_rate_bpm, np.nan)
    if not np.isfinite(hr).any():
        return None
    mean_bpm = track.moving_mean(hr)
    if mean_bpm is None:
        mean_bpm = float(np.nanmean(hr))
    return HeartRateStats(mean_bpm=mean_bpm, max_bpm=float(np.nanmax(hr)))
