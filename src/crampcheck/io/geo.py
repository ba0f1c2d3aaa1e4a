"""Small geo maths for position-only formats (GPX, TCX without device distance).

Pure numpy functions over whole arrays: great-circle distance, GPS-spike filtering,
cumulative distance, windowed speed and elevation smoothing. Angles in decimal degrees,
distances in metres, times in seconds.
"""

from __future__ import annotations

import numpy as np

# Mean Earth radius (IUGG R1), metres. One degree of latitude is then 111.195 km.
EARTH_RADIUS_M = 6_371_008.8

# A GPS "spike" is a fix that jumps away and back: the speed to it and from it are both
# above the sport's limit while the speed skipping it is plausible. Limits are generous on
# purpose (a fast 100 m sprint peaks near 12 m/s; road cycling descents reach ~25 m/s).
FOOT_SPIKE_SPEED_M_S = 12.0  # running, walking, hiking: 43 km/h
DEFAULT_SPIKE_SPEED_M_S = 40.0  # cycling and anything else: 144 km/h
FOOT_SPORTS = frozenset({"running", "walking", "hiking"})
SPIKE_PASSES = 3  # repeat the test: removing one spike can reveal a neighbouring one
MIN_STEP_S = 1.0  # fixes closer in time than this are taken as 1 s apart (timing jitter)

# Altitude smoothing: a centred running median removes single-fix jumps, then a centred
# running mean removes the staircase of 1 m / 0.2 m quantised readings. Both in samples.
ALTITUDE_MEDIAN_SAMPLES = 5
ALTITUDE_MEAN_SAMPLES = 5

# Speed from distance: average over a centred window of this many steps (1 s recording
# makes single-step GPS speed very noisy).
SPEED_WINDOW_SAMPLES = 5


def spike_speed_m_s(sport: str) -> float:
    """The speed (m/s) above which a fix that jumps away and back is a GPS spike."""
    return FOOT_SPIKE_SPEED_M_S if sport in FOOT_SPORTS else DEFAULT_SPIKE_SPEED_M_S


def haversine_m(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance (m) between points given in decimal degrees (broadcasts)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _step_speed_m_s(lat: np.ndarray, lon: np.ndarray, t_s: np.ndarray) -> np.ndarray:
    """Speed between consecutive fixes (length n-1), time steps floored at MIN_STEP_S."""
    dist = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    return dist / np.maximum(np.diff(t_s), MIN_STEP_S)


def spike_mask(lat, lon, t_s, max_speed_m_s: float) -> np.ndarray:
    """True for fixes that are GPS spikes (see the module constants).

    A fix i is a spike when the speed from the previous kept fix and to the next kept fix
    both exceed ``max_speed_m_s`` and the speed from previous to next does not. The first
    and last fix are spikes when their one step is too fast and the next step is not.
    Fixes without a position are never spikes (they are simply not used).
    """
    lat, lon, t_s = (np.asarray(a, dtype=float) for a in (lat, lon, t_s))
    spike = np.zeros(lat.size, dtype=bool)
    for _ in range(SPIKE_PASSES):
        idx = np.flatnonzero(~spike & np.isfinite(lat) & np.isfinite(lon) & np.isfinite(t_s))
        if idx.size < 3:
            break
        la, lo, t = lat[idx], lon[idx], t_s[idx]
        step = _step_speed_m_s(la, lo, t)  # step[k]: from idx[k] to idx[k+1]
        fast = step > max_speed_m_s
        skip = haversine_m(la[:-2], lo[:-2], la[2:], lo[2:]) / np.maximum(t[2:] - t[:-2], MIN_STEP_S)
        found = np.zeros(idx.size, dtype=bool)
        found[1:-1] = fast[:-1] & fast[1:] & (skip <= max_speed_m_s)
        found[0] = fast[0] and not fast[1]
        found[-1] = fast[-1] and not fast[-2]
        if not found.any():
            break
        spike[idx[found]] = True
    return spike


def cumulative_distance_m(lat, lon, segment) -> np.ndarray:
    """Cumulative 2-D distance (m) along the fixes, starting at 0.

    Fixes without a position add nothing (the next positioned fix measures from the last
    positioned one). No distance is counted from one segment to the next: the gap between
    GPX track segments is a pause, as gpxpy's ``length_2d`` also counts it.
    """
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    segment = np.asarray(segment)
    out = np.zeros(lat.size)
    idx = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if idx.size >= 2:
        step = haversine_m(lat[idx[:-1]], lon[idx[:-1]], lat[idx[1:]], lon[idx[1:]])
        step[segment[idx[1:]] != segment[idx[:-1]]] = 0.0
        out[idx[1:]] = step
    return np.cumsum(out)


def centred_sum(values: np.ndarray, window: int) -> np.ndarray:
    """Sum over a centred window of ``window`` samples (odd), cut at both ends."""
    half = window // 2
    padded = np.concatenate([np.zeros(half), values, np.zeros(half)])
    out = np.zeros(values.size)
    for shift in range(window):
        out += padded[shift : shift + values.size]
    return out


def windowed_speed_m_s(distance_m, t_s, segment, window: int = SPEED_WINDOW_SAMPLES) -> np.ndarray:
    """Speed (m/s) as distance over time across a centred window of ``window`` steps.

    Steps that cross from one segment to the next count neither distance nor time, so a
    pause between segments does not dilute the speed. NaN where the window holds no time.
    """
    d = np.asarray(distance_m, dtype=float)
    t = np.asarray(t_s, dtype=float)
    segment = np.asarray(segment)
    same = np.zeros(segment.size, dtype=bool)  # True where a step stays in its segment
    same[1:] = segment[1:] == segment[:-1]
    dd = np.nan_to_num(np.where(same, np.diff(d, prepend=np.nan), 0.0), nan=0.0)
    dt = np.nan_to_num(np.where(same, np.diff(t, prepend=np.nan), 0.0), nan=0.0)
    num, den = centred_sum(dd, window), centred_sum(dt, window)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _centred_windows(values: np.ndarray, window: int) -> np.ndarray:
    """(n, window) view of the centred windows, NaN beyond both ends."""
    half = window // 2
    padded = np.concatenate([np.full(half, np.nan), values, np.full(half, np.nan)])
    return np.lib.stride_tricks.sliding_window_view(padded, window)


def centred_median(values: np.ndarray, window: int) -> np.ndarray:
    """Median of the non-NaN values in each centred window (NaN when there are none)."""
    if values.size == 0:
        return values.astype(float)
    ordered = np.sort(_centred_windows(values, window), axis=1)  # NaNs sort last
    count = window - np.isnan(ordered).sum(axis=1)
    rows = np.arange(values.size)
    low, high = ordered[rows, np.maximum(count - 1, 0) // 2], ordered[rows, count // 2]
    return np.where(count > 0, (low + high) / 2, np.nan)


def centred_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of the non-NaN values in each centred window (NaN when there are none)."""
    valid = ~np.isnan(values)
    total = centred_sum(np.where(valid, values, 0.0), window)
    count = centred_sum(valid.astype(float), window)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)


def smooth_altitude_m(altitude_m) -> np.ndarray:
    """Altitude (m) after a centred running median then a centred running mean.

    Samples without an altitude stay NaN; missing neighbours are skipped, not zeroed.
    """
    alt = np.asarray(altitude_m, dtype=float)
    smooth = centred_mean(centred_median(alt, ALTITUDE_MEDIAN_SAMPLES), ALTITUDE_MEAN_SAMPLES)
    smooth[np.isnan(alt)] = np.nan
    return smooth


def path_length_m(lat, lon, segment, altitude_m=None) -> float:
    """Total path length (m), 2-D, or 3-D when ``altitude_m`` is given (per step Pythagoras)."""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    flat = np.diff(cumulative_distance_m(lat, lon, segment))
    if altitude_m is None:
        return float(flat.sum())
    alt = np.asarray(altitude_m, dtype=float)
    climb = np.nan_to_num(np.diff(alt), nan=0.0)
    same = np.asarray(segment)[1:] == np.asarray(segment)[:-1]
    return float(np.sqrt(flat**2 + np.where(same, climb, 0.0) ** 2).sum())
