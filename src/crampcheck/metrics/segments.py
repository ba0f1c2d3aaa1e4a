"""Warm-up and cool-down jog detection.

Rule (the same for both ends; the cool-down is the warm-up of the run played backwards):
an easy stretch is found at the start when, for some boundary ``b`` between
``MIN_SEGMENT_S`` and ``min(MAX_SEGMENT_S, MAX_SEGMENT_FRACTION * moving time)``:

1. **a clear step**: the mean speed over the ``STEP_WINDOW_S`` after ``b`` is at least
   ``MIN_STEP_FRACTION`` above the mean speed over the ``STEP_WINDOW_S`` before ``b``
   (``b`` is the boundary with the largest such step), and
2. **clearly easier**: the mean speed from the start to ``b`` is at least
   ``MIN_SLOWER_FRACTION`` below the reference speed of the run: the median of its
   ``REFERENCE_WINDOW_S`` mean speeds over the middle of the run (``REFERENCE_MARGIN_FRACTION``
   of the moving time left out at each end).

An even-paced run has no step; a run that fades gradually has slow minutes at the end but
no step between two adjacent 2-minute windows (a 15 % fade over an hour changes by 0.5 %
per 2 minutes), so neither gets a warm-up or cool-down. A cool-down must leave at least
``MIN_CORE_S`` of moving time between the warm-up and itself.

Inputs are a regular moving-time grid (``Track.per_second``) with the distance reached at
each point; pass the flat-equivalent distance to judge effort rather than raw speed on
hills. ``MIN_SEGMENT_S`` and ``MIN_SLOWER_FRACTION`` are the defaults of the thresholds
table's jog_min_min and jog_slower_pct (a user's config can change them); the others are
detection internals.
"""

from __future__ import annotations

import numpy as np

MIN_SEGMENT_S = 240.0  # shortest warm-up / cool-down jog, s (user-facing)
MIN_SLOWER_FRACTION = 0.08  # the jog is at least 8 % slower than the reference speed (user-facing)
MAX_SEGMENT_S = 1500.0  # longest warm-up / cool-down looked for, s
MAX_SEGMENT_FRACTION = 0.35  # ... and at most this share of the moving time
STEP_WINDOW_S = 120.0  # windows either side of the boundary, s
MIN_STEP_FRACTION = 0.06  # speed step across the boundary
REFERENCE_WINDOW_S = 60.0  # window of the speeds whose median is the reference
REFERENCE_MARGIN_FRACTION = 0.2  # share of moving time left out at each end for the reference
MIN_CORE_S = 600.0  # moving time left between warm-up and cool-down, s


def reference_speed_m_s(t_s: np.ndarray, distance_m: np.ndarray) -> float | None:
    """Median of the REFERENCE_WINDOW_S mean speeds over the middle of the run, m/s."""
    step_s = _step_s(t_s)
    if step_s is None:
        return None
    window = int(round(REFERENCE_WINDOW_S / step_s))
    total_s = t_s[-1] - t_s[0]
    lo = int(round(REFERENCE_MARGIN_FRACTION * total_s / step_s))
    hi = len(t_s) - 1 - lo
    if hi - lo < window:
        return None
    speeds = (distance_m[lo + window : hi + 1] - distance_m[lo : hi + 1 - window]) / REFERENCE_WINDOW_S
    return float(np.median(speeds))


def easy_start_end_s(
    t_s: np.ndarray, distance_m: np.ndarray, reference_m_s: float,
    min_segment_s: float = MIN_SEGMENT_S, min_slower_fraction: float = MIN_SLOWER_FRACTION,
) -> float | None:
    """Moving time (s from the grid start) at which an easy opening stretch ends, or None."""
    step_s = _step_s(t_s)
    if step_s is None or reference_m_s <= 0:
        return None
    total_s = t_s[-1] - t_s[0]
    window = int(round(STEP_WINDOW_S / step_s))
    first = int(round(min_segment_s / step_s))
    last = min(int(round(min(MAX_SEGMENT_S, MAX_SEGMENT_FRACTION * total_s) / step_s)), len(t_s) - 1 - window)
    if last < first:
        return None
    b = np.arange(first, last + 1)
    before_m_s = (distance_m[b] - distance_m[b - window]) / STEP_WINDOW_S
    after_m_s = (distance_m[b + window] - distance_m[b]) / STEP_WINDOW_S
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(before_m_s > 0, after_m_s / before_m_s - 1.0, np.where(after_m_s > 0, np.inf, 0.0))
    best = int(np.argmax(step))
    boundary = b[best]
    easy_m_s = (distance_m[boundary] - distance_m[0]) / (boundary * step_s)
    if step[best] < MIN_STEP_FRACTION or easy_m_s > (1.0 - min_slower_fraction) * reference_m_s:
        return None
    return float(boundary * step_s)


def warmup_cooldown_s(
    t_s: np.ndarray, distance_m: np.ndarray,
    min_segment_s: float = MIN_SEGMENT_S, min_slower_fraction: float = MIN_SLOWER_FRACTION,
) -> tuple[float | None, float | None]:
    """(warm-up end, cool-down start) in moving seconds, each None when not found.

    ``t_s``: regular moving-time grid from 0, s; ``distance_m``: (flat-equivalent) distance
    reached at each point, m. See the module docstring for the rule.
    """
    reference = reference_speed_m_s(t_s, distance_m)
    if reference is None:
        return None, None
    warm_end = easy_start_end_s(t_s, distance_m, reference, min_segment_s, min_slower_fraction)
    total_s = float(t_s[-1] - t_s[0])
    reversed_d = distance_m[-1] - distance_m[::-1]
    easy_end = easy_start_end_s(t_s, reversed_d, reference, min_segment_s, min_slower_fraction)
    cool_start = None if easy_end is None else total_s - easy_end
    if cool_start is not None and cool_start - (warm_end or 0.0) < MIN_CORE_S:
        cool_start = None
    return warm_end, cool_start


def _step_s(t_s: np.ndarray) -> float | None:
    """Step of a regular grid, s (None when fewer than two points)."""
    if len(t_s) < 2:
        return None
    return float(t_s[1] - t_s[0])
