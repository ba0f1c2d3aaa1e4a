"""Ready-made runs with known truth, one small function each (each returns a RunSpec).

Every builder takes its scenario's parameters and passes any other keyword
(``start_time_utc``, ``utc_offset_s``, ``sample_interval_s``, ``has_heart_rate``, ``path``...)
on to :class:`RunSpec`. Percentages are on *speed*: "8 % faster" is 1.08 x the speed.
The truth of each run (``build(spec)``) states the exact values after grid snapping.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import numpy as np

from crampcheck.synth.spec import (
    COOLDOWN,
    KM_M,
    MILE_M,
    PAUSE,
    STAND,
    SURGE,
    WALK,
    WARMUP,
    RunSpec,
    Segment,
)

UNIT_M = {"mi": MILE_M, "km": KM_M}
WALK_SPEED_M_S = 1.4
EASY_JOG_SLOWER_PCT = 15.0  # warm-up / cool-down jogs: 15 % slower than the main speed
PACE_JITTER = 0.03  # history: each run's speed within +-3 % of the usual
LONG_RUN_SLOWER = 0.05  # history: the long run 5 % slower
HOT_START_UTC = datetime(2024, 7, 20, 8, 30, tzinfo=timezone.utc)  # 10:30 in Paris (UTC+2)


def _spec(segments: list[Segment], run: dict, **defaults) -> RunSpec:
    """RunSpec from segments, the builder's defaults overridden by the caller's keywords."""
    return RunSpec(segments=tuple(segments), **{**defaults, **run})


def even_pace(distance_m: float = 10_000.0, speed_m_s: float = 3.0, **run) -> RunSpec:
    """One steady run."""
    return _spec([Segment(distance_m=distance_m, speed_m_s=speed_m_s)], run, name="Easy run")


def fast_start(
    distance_m: float = 10_000.0, speed_m_s: float = 3.0, faster_pct: float = 8.0, unit: str = "mi", **run
) -> RunSpec:
    """The first mile (or km) ``faster_pct`` % faster than the even rest of the run."""
    first = UNIT_M[unit]
    segs = [
        Segment(distance_m=first, speed_m_s=speed_m_s * (1 + faster_pct / 100), label="fast_start"),
        Segment(distance_m=distance_m - first, speed_m_s=speed_m_s),
    ]
    return _spec(segs, run, name="Fast start", tags={"faster_pct": faster_pct})


def fade(distance_m: float = 10_000.0, speed_m_s: float = 3.2, slower_pct: float = 6.0, **run) -> RunSpec:
    """Positive split: the second half takes ``slower_pct`` % longer (speed / (1 + pct/100))."""
    half = distance_m / 2
    segs = [
        Segment(distance_m=half, speed_m_s=speed_m_s),
        Segment(distance_m=half, speed_m_s=speed_m_s / (1 + slower_pct / 100)),
    ]
    return _spec(segs, run, name="Fading run", tags={"slower_pct": slower_pct})


def hot_long_run(
    duration_s: float = 7200.0, speed_m_s: float = 2.8, temperature_c: float = 30.0, hr_drift_bpm_per_h: float = 6.0,
    **run,
) -> RunSpec:
    """A long steady run in the heat, from 10:30 local time, with cardiac drift."""
    return _spec(
        [Segment(duration_s=duration_s, speed_m_s=speed_m_s)], run, name="Hot long run",
        temperature_c=temperature_c, hr_drift_bpm_per_h=hr_drift_bpm_per_h, start_time_utc=HOT_START_UTC,
    )


def warmup_cooldown(
    main_s: float = 1800.0, speed_m_s: float = 3.3, warmup_s: float = 600.0, cooldown_s: float = 600.0,
    easy_pct: float = EASY_JOG_SLOWER_PCT, walk_s: float = 0.0, **run,
) -> RunSpec:
    """Warm-up jog, main part, cool-down jog (and an optional final walk, part of the cool-down)."""
    easy = speed_m_s * (1 - easy_pct / 100)
    segs = [
        Segment(duration_s=warmup_s, speed_m_s=easy, label=WARMUP),
        Segment(duration_s=main_s, speed_m_s=speed_m_s),
        Segment(duration_s=cooldown_s, speed_m_s=easy, label=COOLDOWN),
    ]
    if walk_s:
        segs.append(Segment(duration_s=walk_s, speed_m_s=WALK_SPEED_M_S, kind=WALK, label=COOLDOWN))
    return _spec(segs, run, name="Run with warm-up")


def cool_short_run(**run) -> RunSpec:
    """40 min at 10 deg C: 10-min warm-up jog, 22 min steady, 8-min cool-down jog."""
    return warmup_cooldown(
        main_s=22 * 60, warmup_s=10 * 60, cooldown_s=8 * 60, **{"temperature_c": 10.0, "name": "Cool short run", **run}
    )


def surges(
    duration_s: float = 2400.0, speed_m_s: float = 3.0, at_s: tuple[float, ...] = (600.0, 1200.0, 1800.0),
    surge_s: float = 40.0, surge_pct: float = 25.0, **run,
) -> RunSpec:
    """Steady running with surges of ``surge_s`` seconds at +``surge_pct`` % starting at ``at_s``."""
    segs, t = [], 0.0
    for start in sorted(at_s):
        if start < t:
            raise ValueError("surges overlap")
        if start > t:
            segs.append(Segment(duration_s=start - t, speed_m_s=speed_m_s))
        segs.append(Segment(duration_s=surge_s, speed_m_s=speed_m_s * (1 + surge_pct / 100), label=SURGE))
        t = start + surge_s
    if duration_s > t:
        segs.append(Segment(duration_s=duration_s - t, speed_m_s=speed_m_s))
    return _spec(segs, run, name="Tempo with surges", tags={"surge_pct": surge_pct})


def with_pauses(
    moving_s: float = 1800.0, speed_m_s: float = 3.0, pauses: tuple[tuple[float, float], ...] = ((600.0, 120.0),),
    stands: tuple[tuple[float, float], ...] = ((1200.0, 60.0),), **run,
) -> RunSpec:
    """Steady running interrupted by timer stops (``pauses``) and standing still with the timer
    running (``stands``), each given as (moving seconds at which it starts, duration)."""
    events = sorted([(at, d, PAUSE) for at, d in pauses] + [(at, d, STAND) for at, d in stands])
    segs, t = [], 0.0
    for at, d, kind in events:
        if at > t:
            segs.append(Segment(duration_s=at - t, speed_m_s=speed_m_s))
        segs.append(Segment(duration_s=d, kind=kind))
        t = max(t, at)
    segs.append(Segment(duration_s=moving_s - t, speed_m_s=speed_m_s))
    return _spec(segs, run, name="City run with stops")


def hills(
    speed_m_s: float = 3.0, grade_pct: float = 6.0, uphill_slower_pct: float = 12.0, downhill_faster_pct: float = 6.0,
    **run,
) -> RunSpec:
    """Four miles: uphill at +grade, flat, downhill at -grade, flat."""
    segs = [
        Segment(distance_m=MILE_M, speed_m_s=speed_m_s * (1 - uphill_slower_pct / 100), grade_pct=grade_pct),
        Segment(distance_m=MILE_M, speed_m_s=speed_m_s),
        Segment(distance_m=MILE_M, speed_m_s=speed_m_s * (1 + downhill_faster_pct / 100), grade_pct=-grade_pct),
        Segment(distance_m=MILE_M, speed_m_s=speed_m_s),
    ]
    return _spec(segs, run, name="Hill run")


def no_gps(duration_s: float = 1800.0, speed_m_s: float = 3.0, **run) -> RunSpec:
    """A treadmill run: distance and speed from a footpod, no positions, no altitude."""
    return _spec(
        [Segment(duration_s=duration_s, speed_m_s=speed_m_s)], run, name="Treadmill run",
        has_gps=False, has_altitude=False, sub_sport="treadmill",
    )


def no_temperature(distance_m: float = 8000.0, speed_m_s: float = 3.0, **run) -> RunSpec:
    """A steady run from a device without a temperature sensor."""
    return _spec([Segment(distance_m=distance_m, speed_m_s=speed_m_s)], run, name="Run", has_temperature=False)


def race_10k(speed_m_s: float = 3.6, first_mile_faster_pct: float = 0.0, **run) -> RunSpec:
    """A 10 km race on a Sunday morning, optionally with a too-fast first mile."""
    defaults = dict(
        name="Riverside 10K", is_race=True, start_time_utc=datetime(2024, 9, 22, 7, 0, tzinfo=timezone.utc),
        temperature_c=16.0,
    )
    if first_mile_faster_pct:
        return fast_start(10_000.0, speed_m_s, first_mile_faster_pct, "mi", **{**defaults, **run})
    return even_pace(10_000.0, speed_m_s, **{**defaults, **run})


def _eu_summer_time(day: date) -> bool:
    """EU daylight saving: from the last Sunday of March to the last Sunday of October."""

    def last_sunday(month: int) -> date:
        d = date(day.year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)

    return last_sunday(3) <= day < last_sunday(10)


def _seasonal_temperature_c(day: date) -> float:
    """Paris-like morning temperature: 2 deg C mid-January, 20 deg C mid-July."""
    phase = 2 * np.pi * (day.timetuple().tm_yday - 15) / 365.25
    return float(np.round(11.0 - 9.0 * np.cos(phase)))


def history(
    weeks: int = 52, runs_per_week: int = 4, spike_week: int | None = -8, spike_pct: float = 60.0, seed: int = 0,
    start_date: date = date(2023, 1, 2), weekly_distance_m: float = 30_000.0, speed_m_s: float = 2.9,
    long_run_share: float = 0.35, **run,
) -> list[RunSpec]:
    """A steady training history: every week exactly ``weekly_distance_m``, except week
    ``spike_week`` (0-based from ``start_date``, a Monday; negative counts from the end;
    None for no spike) at +``spike_pct`` %. The last run of each week is the long run
    (``long_run_share`` of the week); days, start hours and small pace changes (+-3 %) are
    drawn from ``seed``. Temperatures follow the season; Paris time (UTC+1/+2)."""
    if not 1 <= runs_per_week <= 7:
        raise ValueError("runs_per_week must be 1..7")
    spike = None if spike_week is None else spike_week % weeks
    rng = np.random.default_rng(seed)
    specs = []
    for w in range(weeks):
        volume = weekly_distance_m * (1 + spike_pct / 100 if w == spike else 1.0)
        days = np.sort(rng.choice(7, size=runs_per_week, replace=False))
        short = (1 - long_run_share) / (runs_per_week - 1) if runs_per_week > 1 else 0.0
        shares = [short] * (runs_per_week - 1) + [long_run_share if runs_per_week > 1 else 1.0]
        for d, share in zip(days, shares):
            day = start_date + timedelta(weeks=w, days=int(d))
            hour = int(rng.integers(6, 20))
            minute = int(rng.choice([0, 15, 30, 45]))
            offset_s = 7200 if _eu_summer_time(day) else 3600
            local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone(timedelta(seconds=offset_s)))
            is_long = runs_per_week > 1 and share == long_run_share
            pace_factor = 1 + rng.uniform(-PACE_JITTER, PACE_JITTER) - (LONG_RUN_SLOWER if is_long else 0.0)
            label = "Morning Run" if hour < 12 else "Afternoon Run" if hour < 17 else "Evening Run"
            specs.append(
                _spec(
                    [Segment(distance_m=volume * share, speed_m_s=speed_m_s * pace_factor)], run,
                    start_time_utc=local.astimezone(timezone.utc), utc_offset_s=offset_s, name=label,
                    temperature_c=_seasonal_temperature_c(day), tags={"week": w},
                )
            )
    return specs
