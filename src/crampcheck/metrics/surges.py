"""Surges: sudden, sustained jumps in speed against the runner's own recent pace.

A surge is a stretch of at least ``min_duration_s`` of moving time over which the speed,
averaged over ``SMOOTH_S`` centred, is at least ``threshold_fraction`` above the baseline:
the median of that smoothed speed over the ``baseline_s`` of moving time *before* each
instant (at least ``MIN_BASELINE_S`` of it), walking (under ``BASELINE_MIN_SPEED_M_S``) left out. Stretches separated by at most ``MERGE_GAP_S``
are one surge. Defaults follow docs/risk-model.md (15 %, 20 s, 5 min); the risk layer
passes the user's thresholds.

Speed is distance over time on the per-second moving-time grid, so pauses are skipped and
single GPS spikes (a few seconds) are too short to count. The caller passes the
grade-adjusted distance when the run has elevation (``metrics.grade``: cleaned altitude, an
effort-equivalent cost curve), so that a climb's slow pace and the next flat are no surge.

Real files hold many speed-ups that are not jumps in intensity, so a candidate is dropped
when (checks made on the real files of ../shared/data/real, where trail runs with walk
breaks and stop-and-go city runs otherwise showed 30-80 "surges"):

- it starts out of a walk or a stop: over the ``RESUME_LOOKBACK_S`` before it the runner
  was below ``RESUME_MIN_FRACTION`` of the baseline speed (picking up the pace again);
- it restarts after a stop: the runner stood still within the ``RESUME_LOOKBACK_S`` of
  moving time before it (a restart is not a surge);
- it is too small to be an effort: less than ``MIN_CHANGE_M_S`` above the baseline speed
  (GPS jitter on a slow jog can make 15 %);
- it runs downhill: the mean grade over it is ``DOWNHILL_GRADE`` or steeper (faster legs,
  not more effort);
- the effort does not show: heart rate is recorded and the mean heart rate from its start to
  ``HR_LAG_S`` after its end is not at least ``HR_RISE_BPM`` above the median of the
  baseline window; or, without heart rate, cadence is recorded and its mean over the surge is
  not at least ``CADENCE_RISE_SPM`` above the baseline median (a faster stride shows in the
  cadence; GPS noise does not).
"""

from __future__ import annotations

from dataclasses import dataclass

import bottleneck as bn
import numpy as np

from crampcheck.metrics.model import Surge

SURGE_THRESHOLD_FRACTION = 0.15  # speed above the baseline, fraction
SURGE_MIN_DURATION_S = 20.0  # shortest surge, s
SURGE_BASELINE_S = 300.0  # rolling window of the baseline median, s of preceding moving time
SMOOTH_S = 10.0  # centred speed smoothing, s
MIN_BASELINE_S = 60.0  # moving time needed before a baseline exists, s
MERGE_GAP_S = 3.0  # dips below the threshold this short do not end a surge, s
LAST_THIRD_FRACTION = 2.0 / 3.0  # a surge starting after this share of moving time is "late"
RESUME_LOOKBACK_S = 60.0  # look this far back for a walk or stop before a surge, s
BASELINE_MIN_SPEED_M_S = 1.8  # walking is left out of the baseline (it is no running pace to surge from)
RESUME_MIN_FRACTION = 0.85  # slower than this share of the baseline just before: a resumption
DOWNHILL_GRADE = -0.02  # mean grade over a surge at or below this: downhill, not effort
HR_LAG_S = 30.0  # heart rate lags effort: look this long after the surge ends, s
HR_RISE_BPM = 3.0  # heart-rate rise over the baseline median that confirms a surge, bpm
MIN_CHANGE_M_S = 0.3  # smallest speed jump over the baseline that counts, m/s
CADENCE_RISE_SPM = 2.0  # cadence rise over the baseline median that confirms a surge without HR, steps/min
MIN_HR_COVERAGE = 0.5  # share of the window with heart rate needed to use it as a check


@dataclass(frozen=True)
class EffortCheck:
    """The tests a speed-up must pass to count as a surge (see the module docstring)."""

    resume_fraction: float = RESUME_MIN_FRACTION
    downhill_grade: float = DOWNHILL_GRADE
    hr_rise_bpm: float = HR_RISE_BPM
    min_change_m_s: float = MIN_CHANGE_M_S
    cadence_rise_spm: float = CADENCE_RISE_SPM


def smoothed_speed_m_s(distance_m: np.ndarray, step_s: float, smooth_s: float = SMOOTH_S) -> np.ndarray:
    """Speed over ``smooth_s`` centred (shortened at the ends), m/s, on a regular grid of ``step_s``."""
    n = len(distance_m)
    half = max(int(round(smooth_s / 2.0 / step_s)), 1)
    idx = np.arange(n)
    lo = np.clip(idx - half, 0, n - 1)
    hi = np.clip(idx + half, 0, n - 1)
    span_s = (hi - lo) * step_s
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(span_s > 0, (distance_m[hi] - distance_m[lo]) / span_s, np.nan)


def preceding_median(values: np.ndarray, window: int, min_count: int) -> np.ndarray:
    """Median of the ``window`` values before each element (NaN values ignored; NaN while fewer
    than ``min_count`` values are known): pandas' ``rolling(window).median().shift(1)``, by
    bottleneck's moving median (a C double heap: 0.15 ms on an hour at 1 Hz, against 1.6 ms for
    a sorted window kept by bisection in Python)."""
    out = np.full(len(values), np.nan)
    min_count = max(min_count, 1)
    window = min(window, len(values) - 1)  # a window longer than what precedes is all of it
    if min_count <= window:
        out[1:] = bn.move_median(np.asarray(values[:-1], dtype=np.float64), window, min_count=min_count)
    return out


def true_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) indices of the runs of True in ``mask``."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def fill_short_gaps(mask: np.ndarray, max_gap: int) -> np.ndarray:
    """``mask`` with runs of False no longer than ``max_gap`` between two True runs set True."""
    starts, ends = true_runs(mask)
    out = mask.copy()
    if len(starts) < 2:
        return out
    gap_lengths = starts[1:] - ends[:-1]
    for gap_start, gap_end in zip(ends[:-1][gap_lengths <= max_gap], starts[1:][gap_lengths <= max_gap]):
        out[gap_start:gap_end] = True  # one slice per short gap, not per sample
    return out


def find_surges(
    t_s: np.ndarray,
    distance_m: np.ndarray,
    threshold_fraction: float = SURGE_THRESHOLD_FRACTION,
    min_duration_s: float = SURGE_MIN_DURATION_S,
    baseline_s: float = SURGE_BASELINE_S,
    start_s: float = 0.0,
    end_s: float | None = None,
    heart_rate_bpm: np.ndarray | None = None,
    altitude_m: np.ndarray | None = None,
    check: EffortCheck = EffortCheck(),
    cadence_spm: np.ndarray | None = None,
    stops_s: np.ndarray | None = None,
) -> list[Surge]:
    """Surges on a regular moving-time grid (``Track.per_second``), in time order.

    ``t_s``: moving time from 0, s; ``distance_m``: distance reached at each point, m;
    ``heart_rate_bpm`` / ``altitude_m``: the channels on the same grid (NaN where unknown),
    used with ``check`` to drop candidates that are not jumps in effort (module docstring);
    ``cadence_spm`` likewise; ``stops_s``: moving times at which the runner stood still.
    Only moving time from ``start_s`` to ``end_s`` is searched and feeds the baseline (pass
    the warm-up end and cool-down start so that the step out of an easy jog is no surge).
    """
    if len(t_s) < 2:
        return []
    step_s = float(t_s[1] - t_s[0])
    end_s = float(t_s[-1]) if end_s is None else end_s
    speed = smoothed_speed_m_s(distance_m, step_s, SMOOTH_S)
    inside = (t_s >= start_s) & (t_s <= end_s)
    baseline = preceding_median(
        np.where(inside & (speed >= BASELINE_MIN_SPEED_M_S), speed, np.nan),
        window=max(int(round(baseline_s / step_s)), 1),
        min_count=max(int(round(MIN_BASELINE_S / step_s)), 1),
    )
    with np.errstate(invalid="ignore"):
        above = inside & (speed >= (1.0 + threshold_fraction) * baseline)
    above = fill_short_gaps(above, int(round(MERGE_GAP_S / step_s)))
    starts, ends = true_runs(above)
    long_enough = (ends - starts) * step_s >= min_duration_s
    total_s = float(t_s[-1])
    surges = []
    window = max(int(round(baseline_s / step_s)), 1)
    for first, stop in zip(starts[long_enough], ends[long_enough]):  # one iteration per candidate
        if stops_s is not None and np.any((stops_s <= t_s[first]) & (stops_s >= t_s[first] - RESUME_LOOKBACK_S)):
            continue  # a restart after standing still
        if not is_effort_jump(first, stop, step_s, speed, baseline, distance_m, window, heart_rate_bpm, altitude_m, check,
                              cadence_spm):
            continue
        duration_s = (stop - first) * step_s
        mean_m_s = (distance_m[stop - 1] - distance_m[first]) / max((stop - 1 - first) * step_s, step_s)
        surges.append(
            Surge(
                start_s=float(t_s[first]),
                duration_s=float(duration_s),
                start_m=float(distance_m[first]),
                speed_ratio=float(mean_m_s / baseline[first]),
                in_last_third=bool(t_s[first] >= LAST_THIRD_FRACTION * total_s),
            )
        )
    return surges


def is_effort_jump(
    first: int,
    stop: int,
    step_s: float,
    speed_m_s: np.ndarray,
    baseline_m_s: np.ndarray,
    distance_m: np.ndarray,
    baseline_window: int,
    heart_rate_bpm: np.ndarray | None,
    altitude_m: np.ndarray | None,
    check: EffortCheck = EffortCheck(),
    cadence_spm: np.ndarray | None = None,
) -> bool:
    """Whether the candidate surge on grid points [first, stop) is a real jump in effort."""
    lead = speed_m_s[max(first - int(round(RESUME_LOOKBACK_S / step_s)), 0):first]
    if lead.size and np.nanmin(lead) < check.resume_fraction * baseline_m_s[first]:
        return False  # picking up the pace again after a walk or a stop
    if np.nanmean(speed_m_s[first:stop]) - baseline_m_s[first] < check.min_change_m_s:
        return False  # too small a change to be an effort
    if altitude_m is not None:
        climbed_m = altitude_m[stop - 1] - altitude_m[first]
        covered_m = distance_m[stop - 1] - distance_m[first]
        if np.isfinite(climbed_m) and covered_m > 0 and climbed_m / covered_m <= check.downhill_grade:
            return False  # downhill: faster legs, not more effort
    if heart_rate_bpm is not None:
        during = heart_rate_bpm[first:min(stop + int(round(HR_LAG_S / step_s)), len(heart_rate_bpm))]
        before = heart_rate_bpm[max(first - baseline_window, 0):first]
        known = np.isfinite(during)
        if known.mean() >= MIN_HR_COVERAGE and np.isfinite(before).any():
            return bool(np.nanmean(during) - np.nanmedian(before) >= check.hr_rise_bpm)
    if cadence_spm is not None:
        during = cadence_spm[first:stop]
        before = cadence_spm[max(first - baseline_window, 0):first]
        if np.isfinite(during).mean() >= MIN_HR_COVERAGE and np.isfinite(before).any():
            return bool(np.nanmean(during) - np.nanmedian(before) >= check.cadence_rise_spm)
    return True
