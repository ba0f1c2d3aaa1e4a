"""A year of ordinary training for a recreational runner, as RunSpecs (seeded, pure).

``training_year(seed)`` plans 52 weeks from a Monday. Every week: an interval session on
Tuesday, an easy run on Wednesday, a tempo run on Thursday, easy runs on Friday and
Saturday now and then, the long run on Sunday (a race replaces it in race weeks, the tempo
run becomes an easy run). A run is missed now and then (about 1 in 20). The long run grows
to 120 min by the summer and to 150 min in an autumn marathon block.

Every run is made of 10-s pieces (Segments): the pace wanders slowly (+-2 %) with a little
GPS-like noise on top (+-1.5 %); easy and long runs settle into their pace over the first
5 min (3 % slower at the start); hilly days climb and descend 2-5 % grades; heart rate
follows a target (speed, grade, heat) with a 30-s lag, and drifts more in the heat.
Temperatures follow a northern-hemisphere year (Paris time and place): about 0 deg C on
January mornings, 20-30 deg C on summer afternoons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import numpy as np

from crampcheck.synth.scenarios import _eu_summer_time
from crampcheck.synth.spec import COOLDOWN, RUN, WALK, WARMUP, RunSpec, Segment

EASY, LONG, TEMPO, INTERVALS, RACE = "easy", "long", "tempo", "intervals", "race"
RUN_KINDS = (EASY, LONG, TEMPO, INTERVALS, RACE)

START_DATE = date(2024, 1, 1)  # a Monday
WEEKS = 52
PIECE_S = 10.0  # every run is cut into pieces this long (the pace noise's time step)

# The runner (speeds in m/s; each kind of run is a multiple of the easy speed).
EASY_SPEED_M_S = 2.8  # 5:57 /km in January
FITNESS_GAIN = 0.04  # easy speed 4 % faster by December
LONG_FACTOR, TEMPO_FACTOR, REP_FACTOR, JOG_FACTOR = 0.97, 1.22, 1.42, 0.75
RACE_FACTOR = {5000.0: 1.36, 10000.0: 1.30, 21097.5: 1.20}
SHORT_REP_BONUS = 0.08  # 400-m reps 8 % faster than 1000-m reps
WALK_SPEED_M_S = 1.4
DRIFT_SD, NOISE_SD = 0.02, 0.015  # slow pace wander, GPS-like noise (fractions of speed)
SETTLE_S, SETTLE_SLOWER = 300.0, 0.03  # easy and long runs start 3 % slower, up to speed after 5 min

# Heart rate: target = HR_BASE + HR_PER_M_S * speed + grade and heat terms, followed with a lag.
HR_BASE_BPM, HR_PER_M_S = 82.0, 23.0  # 2.8 m/s -> 146 bpm, 4 m/s -> 174 bpm
HR_PER_GRADE_PCT = 2.5  # uphill only
HR_HEAT_PER_C = 0.4  # above HEAT_FROM_C
HR_WALK_BPM, HR_MAX_BPM = 112.0, 188.0
HR_LAG_S = 30.0
DRIFT_BPM_PER_H, DRIFT_HEAT_BPM_PER_H_PER_C = 2.0, 0.25
HEAT_FROM_C = 15.0
CADENCE_BASE_SPM, CADENCE_PER_M_S = 150.0, 8.0  # 2.8 m/s -> 172 spm

# Long-run minutes by week (before RACES are placed): build, summer, marathon block, taper.
LONG_MIN_BY_WEEK = (
    [75] * 4 + [80] * 4 + [85] * 4 + [90] * 4 + [95] * 4 + [100] * 4 + [105] * 4 + [110] * 4
    + [120, 130, 140, 150, 120, 150, 140, 150, 100, 90] + [80] * 2
)
RACES = {10: (5000.0, "Spring 5K"), 18: (10000.0, "City 10K"), 24: (21097.5, "Summer Half"),
         33: (10000.0, "Riverside 10K"), 42: (21097.5, "Autumn Half")}  # week -> (distance, name)
MISS_CHANCE = 0.05
FRIDAY_CHANCE, SATURDAY_CHANCE = 0.5, 0.6
HILLY_CHANCE = 0.35  # easy and long runs on rolling terrain


@dataclass(frozen=True)
class PlannedRun:
    """One run of the year: its kind (one of RUN_KINDS), its week (0-based) and its spec."""

    kind: str
    week: int
    spec: RunSpec


@dataclass(frozen=True)
class _Piece:
    duration_s: float
    speed_m_s: float
    grade_pct: float = 0.0
    kind: str = RUN
    label: str = ""


def _local_start(day: date, hour: float) -> tuple[datetime, int]:
    """UTC start and UTC offset of a local Paris time on ``day``."""
    offset_s = 7200 if _eu_summer_time(day) else 3600
    minutes = round(hour * 12) * 5  # to the nearest 5 min
    local = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=timezone(timedelta(seconds=offset_s)))
    return local.astimezone(timezone.utc), offset_s


def temperature_c(day: date, hour: float, anomaly_c: float) -> float:
    """Air temperature: seasonal mean (2 deg C mid-January, 20 mid-July) + day cycle + weather."""
    season = 11.0 - 9.0 * np.cos(2 * np.pi * (day.timetuple().tm_yday - 15) / 365.25)
    day_cycle = 4.5 * np.sin(2 * np.pi * (hour - 9.0) / 24.0)
    return float(np.clip(np.round(season + day_cycle + anomaly_c), 0.0, 30.0))


def _steady(rng: np.random.Generator, duration_s: float, speed_m_s: float, hilly: bool, label: str = "") -> list[_Piece]:
    """Even running with a slow wander, GPS-like noise and (``hilly``) rolling 2-5 % grades."""
    n = max(1, round(duration_s / PIECE_S))
    wander = np.zeros(n)
    for i in range(1, n):  # AR(1) over about 2 min
        wander[i] = 0.92 * wander[i - 1] + rng.normal(0.0, DRIFT_SD * 0.39)
    factor = 1.0 + np.clip(wander, -2 * DRIFT_SD, 2 * DRIFT_SD) + np.clip(rng.normal(0, NOISE_SD, n), -0.04, 0.04)
    grade = np.zeros(n)
    if hilly:
        i = int(rng.integers(6, 30))
        while i < n:  # a climb, the same grade back down, then flat
            g, climb = float(rng.uniform(2.0, 5.0)), int(rng.integers(6, 18))
            grade[i:i + climb] = g
            grade[i + climb:i + 2 * climb] = -g
            i += 2 * climb + int(rng.integers(6, 40))
    speed = speed_m_s * factor * np.where(grade > 0, 1 - 0.03 * grade, 1 - 0.015 * grade)
    return [_Piece(PIECE_S, float(v), float(g), RUN, label) for v, g in zip(speed, grade)]


def _distance(rng: np.random.Generator, distance_m: float, speed_m_s: float, label: str = "") -> list[_Piece]:
    """Steady flat running covering exactly ``distance_m`` (the noisy speeds scaled to fit)."""
    pieces = _steady(rng, distance_m / speed_m_s, speed_m_s, False, label)
    scale = distance_m / sum(p.speed_m_s * p.duration_s for p in pieces)
    return [_Piece(p.duration_s, p.speed_m_s * scale, 0.0, RUN, label) for p in pieces]


def _segments(pieces: list[_Piece], temp_c: float) -> tuple[Segment, ...]:
    """Pieces -> Segments with heart rate following its target with a lag, and cadence."""
    heat = HR_HEAT_PER_C * max(0.0, temp_c - HEAT_FROM_C)
    hr, out = None, []
    for p in pieces:
        if p.kind == WALK:
            target = HR_WALK_BPM
        else:
            target = HR_BASE_BPM + HR_PER_M_S * p.speed_m_s + HR_PER_GRADE_PCT * max(0.0, p.grade_pct) + heat
        target = min(target, HR_MAX_BPM)
        hr = target if hr is None else target + (hr - target) * np.exp(-p.duration_s / HR_LAG_S)
        cadence = CADENCE_BASE_SPM + CADENCE_PER_M_S * p.speed_m_s if p.kind == RUN else None
        out.append(Segment(duration_s=p.duration_s, speed_m_s=p.speed_m_s, grade_pct=p.grade_pct,
                           heart_rate_bpm=float(hr), cadence_spm=cadence, kind=p.kind, label=p.label))
    return tuple(out)


def _easy(rng, minutes: float, speed: float, hilly: bool) -> list[_Piece]:
    """An easy or long run: steady, settling into its pace over the first minutes."""
    pieces, t = _steady(rng, minutes * 60.0, speed, hilly), 0.0
    out = []
    for p in pieces:
        slower = SETTLE_SLOWER * max(0.0, 1.0 - t / SETTLE_S)
        out.append(_Piece(p.duration_s, p.speed_m_s * (1 - slower), p.grade_pct, p.kind, p.label))
        t += p.duration_s
    return out


def _tempo(rng, speed: float) -> list[_Piece]:
    """Warm-up jog 10-15 min, 20-30 min at tempo, cool-down jog 8-12 min."""
    return (_steady(rng, rng.uniform(10, 15) * 60, speed * 0.95, False, WARMUP)
            + _steady(rng, rng.uniform(20, 30) * 60, speed * TEMPO_FACTOR, False)
            + _steady(rng, rng.uniform(8, 12) * 60, speed * 0.93, False, COOLDOWN))


def _intervals(rng, speed: float) -> list[_Piece]:
    """Warm-up, 5-8 reps of 400-1000 m with jog or walk recoveries, cool-down."""
    reps, rep_m = int(rng.integers(5, 9)), float(rng.choice([400.0, 600.0, 800.0, 1000.0]))
    walk = bool(rng.random() < 0.3)
    pieces = _steady(rng, rng.uniform(12, 15) * 60, speed * 0.95, False, WARMUP)
    for i in range(reps):
        pieces += _distance(rng, rep_m, speed * REP_FACTOR * (1 + SHORT_REP_BONUS * (1000.0 - rep_m) / 600.0), "rep")
        if i < reps - 1:
            rest_s = float(rng.uniform(60, 90) if walk else rng.uniform(60, 120)) * (0.5 + rep_m / 1600.0)
            if walk:
                pieces.append(_Piece(round(rest_s), WALK_SPEED_M_S, 0.0, WALK, "recovery"))
            else:
                pieces += _steady(rng, rest_s, speed * JOG_FACTOR, False, "recovery")
    return pieces + _steady(rng, rng.uniform(8, 12) * 60, speed * 0.93, False, COOLDOWN)


def _race(rng, distance_m: float, speed: float) -> list[_Piece]:
    """Even or slightly positive split: the second half 0-3 % slower."""
    race_speed = speed * RACE_FACTOR[distance_m]
    fade = float(rng.uniform(0.0, 0.03))
    half = distance_m / 2
    return (_distance(rng, half, race_speed * (1 + fade / 2))
            + _distance(rng, half, race_speed / (1 + fade / 2)))


def _start_hour(rng: np.random.Generator, weekday: int, summer: bool) -> float:
    """Weekdays early morning or evening (summer: now and then a hot afternoon), weekends mid-morning."""
    if weekday >= 5:
        return float(rng.uniform(8.0, 10.5))
    if summer and rng.random() < 0.12:
        return float(rng.uniform(13.0, 16.0))
    return float(rng.uniform(6.25, 7.75) if rng.random() < 0.5 else rng.uniform(17.5, 19.75))


def training_year(seed: int = 0, start_date: date = START_DATE, weeks: int = WEEKS) -> list[PlannedRun]:
    """About 250 runs over ``weeks`` weeks from ``start_date`` (a Monday); same seed, same runs."""
    rng = np.random.default_rng(seed)
    plan: list[PlannedRun] = []
    for w in range(weeks):
        speed = EASY_SPEED_M_S * (1 + FITNESS_GAIN * w / max(1, weeks - 1))
        race = RACES.get(w)
        days = {1: INTERVALS, 2: EASY, 3: EASY if race else TEMPO, 6: RACE if race else LONG}
        if rng.random() < FRIDAY_CHANCE:
            days[4] = EASY
        if rng.random() < SATURDAY_CHANCE:
            days[5] = EASY
        for weekday in sorted(days):
            kind = days[weekday]
            if kind not in (RACE, LONG) and rng.random() < MISS_CHANCE:
                continue
            day = start_date + timedelta(weeks=w, days=weekday)
            summer = 5 <= day.month <= 8
            hour = 9.0 if kind == RACE else _start_hour(rng, weekday, summer)
            start_utc, offset_s = _local_start(day, hour)
            temp = temperature_c(day, hour, float(np.clip(rng.normal(0.0, 3.0), -6.0, 6.0)))
            hilly = kind in (EASY, LONG) and rng.random() < HILLY_CHANCE
            if kind == EASY:
                pieces, name = _easy(rng, rng.uniform(30, 60), speed, hilly), "Easy run"
            elif kind == LONG:
                minutes = LONG_MIN_BY_WEEK[w % len(LONG_MIN_BY_WEEK)] * rng.uniform(0.95, 1.0)
                pieces, name = _easy(rng, minutes, speed * LONG_FACTOR, hilly), "Long run"
            elif kind == TEMPO:
                pieces, name = _tempo(rng, speed), "Tempo run"
            elif kind == INTERVALS:
                pieces, name = _intervals(rng, speed), "Intervals"
            else:
                pieces, name = _race(rng, race[0], speed), race[1]
            drift = DRIFT_BPM_PER_H + DRIFT_HEAT_BPM_PER_H_PER_C * max(0.0, temp - HEAT_FROM_C)
            spec = RunSpec(
                segments=_segments(pieces, temp), start_time_utc=start_utc, utc_offset_s=offset_s, path="loop",
                loop_length_m=float(rng.choice([2500.0, 4000.0, 6000.0])), heading_deg=float(rng.uniform(0, 360)),
                temperature_c=temp, hr_drift_bpm_per_h=drift, name=name, is_race=kind == RACE,
                tags={"week": float(w), "hilly": float(hilly)},
            )
            plan.append(PlannedRun(kind, w, spec))
    return plan
