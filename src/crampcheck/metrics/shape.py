"""Session shape: what kind of run this was, decided before any factor judges it.

A pacing verdict means something only for the right kind of run: an interval session's
first rep is meant to be faster than its recoveries, a mountain run's pace follows the
climbs, a race starts at the gun. ``classify`` names the shape from the file's own marks
and from the speed structure, in this order (the first rule that holds wins):

1. **race**: the file, the export or the name marks it as a race.
2. **treadmill**: the sub-sport says so.
3. **trail_walk_run**: at least ``WALK_SHARE`` of the moving time walked (cadence under
   ``WALK_CADENCE_SPM``, or without cadence a speed under ``WALK_SPEED_M_S`` and under
   ``WALK_RELATIVE`` of the run's median) on a hilly course (descent or climbing of at least
   ``HILLY_DESCENT_M_PER_KM``): walked climbs make laps
   and speed alternate without any plan.
4. **intervals**: at least ``MIN_REPS`` of the device's laps are each at least
   ``FAST_LAP_FRACTION`` faster than both laps either side (reps between recoveries); or,
   without such laps, the speed itself alternates: at least ``MIN_REPS`` blocks of
   ``MIN_BLOCK_S`` or more at least ``BLOCK_FAST_FRACTION`` above the median speed (of the
   running: speeds under ``WALK_SPEED_M_S`` left out, so walk breaks make no reps), each
   followed by a recovery: ``MIN_RECOVERY_S`` or more before the next fast block, at some
   point at least ``BLOCK_SLOW_FRACTION`` below the median; or at least ``MIN_REPS`` pickups:
   fast blocks of ``MIN_PICKUP_S`` or more at least ``PICKUP_FRACTION`` above the median, each
   followed by ``MIN_RECOVERY_S`` before the next (a fartlek's recoveries may be the run's pace). Reps of similar duration
   (coefficient of variation under ``REGULAR_CV``) are intervals; irregular ones a **fartlek**.
5. **run_walk**: at least ``WALK_SHARE`` of the moving time walked on flat ground.
6. **hilly**: a descent or climbing of at least ``HILLY_DESCENT_M_PER_KM`` (the climbs and descents
   shape the pace).
7. **short_jog**: under ``SHORT_JOG_S`` of moving time.
8. **progression / fade / steady**: the second half (grade-adjusted) at least
   ``TREND_FRACTION`` faster, at least that much slower, or neither.

These bounds are detection internals (how the data is read), not risk thresholds; each
is checked on the real files of ../shared/data/real (VERDICTS.tsv names their shapes).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from crampcheck.metrics.model import Shape
from crampcheck.schema import Lap
from crampcheck.units import format_gradient

MIN_REPS = 3
FAST_LAP_FRACTION = 0.15  # a rep lap is this much faster than the laps around it
MIN_REP_LAP_S = 20.0  # shorter laps (auto-lap crumbs) are ignored, s
BLOCK_SMOOTH_S = 30.0  # speed averaged over this before looking for blocks, s
MIN_BLOCK_S = 40.0  # shortest fast block, s
BLOCK_FAST_FRACTION = 0.12  # a fast block is this much above the median speed
BLOCK_SLOW_FRACTION = 0.15  # a recovery block is this much below it
MIN_RECOVERY_S = 30.0  # shortest recovery block, s
MIN_PICKUP_S = 60.0  # a pickup: a fast block at least this long...
PICKUP_FRACTION = 0.25  # ...at least this much above the median speed (its recovery may be the run's pace)
REGULAR_CV = 0.35  # reps this regular in duration are planned intervals
WALK_SPEED_M_S = 1.8  # slower than this is walking ...
WALK_RELATIVE = 0.75  # ... when also this much slower than the run's median speed
WALK_CADENCE_SPM = 130.0  # below this cadence the runner is walking
WALK_SHARE = 0.15  # share of moving time at walking speed for a walk-run
HILLY_DESCENT_M_PER_KM = 15.0  # descent that makes the course shape the pace
SHORT_JOG_S = 20 * 60.0  # moving time under which a run is a short jog
TREND_FRACTION = 0.03  # halves this far apart make a progression or a fade
TREADMILL_SUB_SPORTS = frozenset({"treadmill", "indoor_running", "virtual_activity"})



def classify(
    t_s: np.ndarray,
    distance_m: np.ndarray,
    laps: Sequence[Lap],
    *,
    is_race: bool,
    sub_sport: str | None,
    descent_m_per_km: float | None,
    first_half_m_s: float | None,
    second_half_m_s: float | None,
    effort_m: np.ndarray | None = None,
    lap_effort_speeds_m_s: Sequence[float | None] | None = None,
    ascent_m_per_km: float | None = None,
    cadence_spm: np.ndarray | None = None,
    units: str = "km",
) -> Shape:
    """The run's shape (see the module docstring) from the per-second moving-time grid
    (``t_s``, s; ``distance_m`` reached at each, m), the device's laps and what the file says.

    Reps are found on the speeds as run; their speeds are reported grade-adjusted when
    ``effort_m`` (flat-equivalent distance on the same grid) and ``lap_effort_speeds_m_s``
    (each lap's grade-adjusted speed) are given, so that an uphill rep is not a slower one. The
    evidence reads in ``units`` ("m of climbing per km" or "ft of climbing per mile")."""
    moving_s = float(t_s[-1]) if len(t_s) else 0.0
    if is_race:
        return Shape("race", "marked as a race")
    if (sub_sport or "") in TREADMILL_SUB_SPORTS:
        return Shape("treadmill", f"sub-sport {sub_sport}")
    relief = max(descent_m_per_km or 0.0, ascent_m_per_km or 0.0)  # m per km, up or down
    hilly = relief >= HILLY_DESCENT_M_PER_KM
    climb = "descent" if (descent_m_per_km or 0.0) >= (ascent_m_per_km or 0.0) else "climbing"
    relief_words = format_gradient(relief, units, what=climb)  # "24 m of climbing per km"
    walk_share = _walk_share(t_s, distance_m, cadence_spm)
    if hilly and walk_share >= WALK_SHARE:
        return Shape("trail_walk_run", f"{walk_share:.0%} of the moving time walked, {relief_words}")
    lap_reps = _lap_reps(laps, lap_effort_speeds_m_s)
    found = (lap_reps, LAP_REPS) if lap_reps is not None else _speed_blocks(t_s, distance_m, effort_m)
    if found is not None:
        reps, what = found
        regular = what != PICKUPS and _regular([duration for duration, _ in reps])  # pickups are a fartlek's
        return Shape("intervals" if regular else "fartlek", f"{len(reps)} {what}", tuple(speed for _, speed in reps))
    if walk_share >= WALK_SHARE:
        return Shape("run_walk", f"{walk_share:.0%} of the moving time walked")
    if hilly:
        return Shape("hilly", relief_words)
    if moving_s < SHORT_JOG_S:
        return Shape("short_jog", f"{moving_s / 60:.0f} min of moving time")
    if first_half_m_s and second_half_m_s:
        slower = first_half_m_s / second_half_m_s - 1.0  # as positive_split and the report's halves read it
        if slower <= -TREND_FRACTION:
            return Shape("progression", f"second half {-slower:.1%} faster")
        if slower >= TREND_FRACTION:
            return Shape("fade", f"second half {slower:.1%} slower")
        return Shape("steady", f"halves within {TREND_FRACTION:.0%} of each other")
    return Shape("steady", "even halves")


def _lap_reps(laps: Sequence[Lap], effort_speeds: Sequence[float | None] | None = None) -> list[tuple[float, float]] | None:
    """(duration s, speed m/s) of the rep laps: laps at least FAST_LAP_FRACTION faster than both laps either
    side of them (a warm-up or cool-down lap at the ends is not a rep). None under MIN_REPS.
    The speed is the lap's grade-adjusted one from ``effort_speeds`` when known."""
    graded = list(effort_speeds) if effort_speeds is not None else [None] * len(laps)
    timed = [
        (lap.timer_time_s, lap.distance_m / lap.timer_time_s, gap)
        for lap, gap in zip(laps, graded)
        if lap.timer_time_s and lap.distance_m is not None and lap.timer_time_s >= MIN_REP_LAP_S
    ]
    reps = [
        (duration, gap or speed)
        for (_, before, _b), (duration, speed, gap), (_, after, _a) in zip(timed, timed[1:], timed[2:])
        if speed >= (1.0 + FAST_LAP_FRACTION) * max(before, after)
    ]
    return reps if len(reps) >= MIN_REPS else None


LAP_REPS = "laps faster than the laps either side"
BLOCKS = "fast stretches alternating with slow ones"
PICKUPS = "pickups well above the run's own pace"


def _speed_blocks(
    t_s: np.ndarray, distance_m: np.ndarray, effort_m: np.ndarray | None = None
) -> tuple[list[tuple[float, float]], str] | None:
    """(duration s, speed m/s) of the fast blocks when fast and slow blocks alternate at least
    MIN_REPS times (BLOCKS), else of at least MIN_REPS pickups (PICKUPS), with which it was."""
    if len(t_s) < 2:
        return None
    step = float(t_s[1] - t_s[0])
    half = max(int(round(BLOCK_SMOOTH_S / 2 / step)), 1)
    idx = np.arange(len(t_s))
    lo, hi = np.clip(idx - half, 0, len(t_s) - 1), np.clip(idx + half, 0, len(t_s) - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = (distance_m[hi] - distance_m[lo]) / ((hi - lo) * step)
    # the reference: the median of the running, walks left out (a run-walk's running is no rep,
    # and a trail's walked climbs do not make its runnable stretches fast)
    running = speed[np.isfinite(speed) & (speed >= WALK_SPEED_M_S)]
    median = float(np.median(running)) if running.size else 0.0
    if median <= 0:
        return None
    axis = effort_m if effort_m is not None else distance_m  # the reps' speeds, grade-adjusted when known
    state = np.where(speed >= (1 + BLOCK_FAST_FRACTION) * median, 1, np.where(speed <= (1 - BLOCK_SLOW_FRACTION) * median, -1, 0))
    blocks: list[tuple[int, int, int, float]] = []  # (state, start, end, speed m/s) of the runs of fast or slow
    change = np.flatnonzero(np.diff(state)) + 1
    for start, end in zip(np.r_[0, change], np.r_[change, len(state)]):
        if state[start] != 0:
            lo, hi = start + half, min(end, len(t_s) - 1) - half  # inside the smoothing blur at the edges
            if hi <= lo:
                lo, hi = start, min(end, len(t_s) - 1)
            blocks.append((int(state[start]), int(start), int(end), float(axis[hi] - axis[lo]) / ((hi - lo) * step)))
    # a rep's recovery: the time to the next fast stretch (or the end), slow somewhere in it
    # (the slow threshold sits near a jog's speed, so smoothing shortens the slow stretch itself);
    # a pickup (well above the run's pace, for longer) needs no slow stretch: a fartlek's
    # recoveries may be the run's own pace
    reps: list[tuple[float, float]] = []
    pickups: list[tuple[float, float]] = []
    rep, slow = None, False  # the last fast block (start, end, speed) and whether it was slowed from since
    for kind, start, end, speed in [*blocks, (1, len(state), len(state), 0.0)]:  # the end closes the last rep
        if kind == -1:
            slow = True
            continue
        if rep is not None and (start - rep[1]) * step >= MIN_RECOVERY_S:
            duration = (rep[1] - rep[0]) * step
            if slow and duration >= MIN_BLOCK_S:
                reps.append((duration, rep[2]))
            if duration >= MIN_PICKUP_S and rep[2] >= (1 + PICKUP_FRACTION) * median:
                pickups.append((duration, rep[2]))
        rep, slow = (start, end, speed), False
    return next(((found, what) for found, what in ((reps, BLOCKS), (pickups, PICKUPS)) if len(found) >= MIN_REPS), None)


def _regular(durations: Sequence[float]) -> bool:
    values = np.asarray(durations, dtype=np.float64)
    return bool(values.std() <= REGULAR_CV * values.mean())


def _walk_share(t_s: np.ndarray, distance_m: np.ndarray, cadence_spm: np.ndarray | None = None) -> float:
    """Share of the moving time spent walking: cadence under WALK_CADENCE_SPM where cadence is
    recorded (a slow runner still runs at 140+ steps/min), else speed over 30 s under both
    WALK_SPEED_M_S and WALK_RELATIVE of the run's median (a slow runner is not walking)."""
    if len(t_s) < 31:
        return 0.0
    stepping = cadence_spm[np.isfinite(cadence_spm) & (cadence_spm > 0)] if cadence_spm is not None else np.empty(0)
    if stepping.size >= 0.5 * len(t_s):  # cadence 0 is standing at a stop's edge, not walking
        return float(np.mean(stepping < WALK_CADENCE_SPM))
    speed = (distance_m[30:] - distance_m[:-30]) / (t_s[30:] - t_s[:-30])
    limit = min(WALK_SPEED_M_S, WALK_RELATIVE * float(np.median(speed)))
    return float(np.mean(speed < limit))
