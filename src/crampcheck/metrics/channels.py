"""Record channels as clean numpy arrays: the only place that tidies reader output.

Readers already give canonical columns; these helpers make the two axes every metric is
built on safe to interpolate on: elapsed seconds and cumulative distance, both
non-decreasing and starting at 0.
"""

from __future__ import annotations

import numpy as np

from crampcheck.schema import Records, fill_gaps, seconds_since_first

# Integrating the speed channel into distance skips record gaps longer than this (s):
# a timer stop writes no records, and the speed after it says nothing about the stop.
SPEED_INTEGRATION_MAX_GAP_S = 5.0


__all__ = ["channel", "clean_distance_m", "clean_elapsed_s", "fill_gaps"]


def channel(records: Records, name: str) -> np.ndarray | None:
    """A channel as a float array, or None when the column is absent or all-NaN."""
    if name not in records:
        return None
    values = records[name]
    return values if np.isfinite(values).any() else None


def clean_elapsed_s(records: Records) -> np.ndarray | None:
    """Seconds since the first record, non-decreasing (None when the file has no times).

    Uses ``elapsed_s``, else ``time``; a missing value takes the previous one and a time that
    steps backwards is held, so that ``np.diff`` is never negative.
    """
    elapsed = channel(records, "elapsed_s")
    if elapsed is None and "time" in records and not np.isnat(records["time"]).all():
        elapsed = seconds_since_first(records["time"])
    if elapsed is None:
        return None
    elapsed = np.maximum.accumulate(fill_gaps(elapsed))
    return elapsed - elapsed[0]


def clean_distance_m(records: Records, elapsed_s: np.ndarray | None) -> np.ndarray | None:
    """Cumulative distance from 0, non-decreasing, metres (None when neither distance nor speed).

    Missing values take the previous one (leading ones the first known). Without a distance
    channel the speed channel is integrated over time, skipping gaps longer than
    ``SPEED_INTEGRATION_MAX_GAP_S``.
    """
    distance = channel(records, "distance_m")
    if distance is not None:
        distance = fill_gaps(distance)
    else:
        speed = channel(records, "speed_m_s")
        if speed is None or elapsed_s is None:
            return None
        dt = np.diff(elapsed_s, prepend=elapsed_s[0])
        dt[dt > SPEED_INTEGRATION_MAX_GAP_S] = 0.0
        distance = np.cumsum(np.nan_to_num(speed) * dt)
    distance = np.maximum.accumulate(distance)
    return distance - distance[0]
