"""What a synthetic run is made of: segments and run-level options.

A run is a list of :class:`Segment` played one after the other. ``resolve`` turns them
into :class:`ResolvedSegment` rows whose start and end fall exactly on the sample grid
(multiples of ``sample_interval_s``): every break in speed, grade, heart rate... then
coincides with a sample, so linear interpolation of the samples gives back the exact
continuous run (split times, surge times, moving time) with no rounding error.

Snapping rules (documented because the truth depends on them):
- a segment given by ``duration_s`` keeps its speed; the duration is rounded to the grid;
- a segment given by ``distance_m`` keeps its distance exactly; its duration
  ``distance_m / speed_m_s`` is rounded to the grid and the speed becomes
  ``distance_m / duration_s`` (so the speed may differ from the one asked by < dt/duration);
- a segment given by both keeps both, the duration rounded to the grid, speed = distance/duration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

RUN = "run"  # moving, timer running
WALK = "walk"  # moving slowly, timer running
STAND = "stand"  # standing still, timer running (counts in timer time, not in moving time)
PAUSE = "pause"  # timer stopped: no samples are recorded inside it
KINDS = (RUN, WALK, STAND, PAUSE)
MOVING_KINDS = (RUN, WALK)

# Labels the truth understands (any other label is kept but has no special meaning).
WARMUP = "warmup"
COOLDOWN = "cooldown"
SURGE = "surge"

MILE_M = 1609.344
KM_M = 1000.0

# Defaults: a June morning in the Bois de Boulogne, Paris (UTC+2 in summer).
DEFAULT_START_UTC = datetime(2024, 6, 15, 5, 30, tzinfo=timezone.utc)
DEFAULT_UTC_OFFSET_S = 2 * 3600
DEFAULT_LAT = 48.8625
DEFAULT_LON = 2.2490
DEFAULT_ALTITUDE_M = 40.0
DEFAULT_TEMPERATURE_C = 18.0


@dataclass(frozen=True)
class Segment:
    """One part of a run at constant speed, grade, heart rate and temperature.

    Give ``duration_s`` or ``distance_m`` (or both). ``heart_rate_bpm`` / ``cadence_spm`` /
    ``temperature_c`` left as None take the run's model / default. ``grade_pct`` is rise over
    horizontal run x 100; ``speed_m_s`` and distances are horizontal.
    """

    duration_s: float | None = None
    distance_m: float | None = None
    speed_m_s: float = 0.0
    grade_pct: float = 0.0
    heart_rate_bpm: float | None = None
    temperature_c: float | None = None
    cadence_spm: float | None = None
    kind: str = RUN
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"segment kind must be one of {KINDS}, not {self.kind!r}")
        if self.duration_s is None and self.distance_m is None:
            raise ValueError("a segment needs duration_s or distance_m")
        if self.kind in (STAND, PAUSE) and (self.distance_m or self.speed_m_s):
            raise ValueError(f"a {self.kind} segment has no distance and no speed")
        if self.distance_m is not None and self.duration_s is None and self.speed_m_s <= 0:
            raise ValueError("a segment given by distance needs a positive speed_m_s")


@dataclass(frozen=True)
class RunSpec:
    """A whole synthetic run: segments plus run-level options.

    ``path`` is ``"line"`` (a great circle from the start along ``heading_deg``) or ``"loop"``
    (a circle of circumference ``loop_length_m``, clockwise, starting along ``heading_deg``).
    ``hr_drift_bpm_per_h`` adds a linear heart-rate rise with moving time (cardiac drift).
    ``start_time_utc`` must be tz-aware; it is converted to UTC and cut to whole seconds
    (FIT timestamps are whole seconds). ``utc_offset_s`` is what FIT's local_timestamp and
    GPX local times state. ``has_*`` False leaves the channel out (all-NaN in the truth,
    absent from the files). ``tags`` records the builder's intent (not used by the writers).
    """

    segments: tuple[Segment, ...]
    start_time_utc: datetime = DEFAULT_START_UTC
    utc_offset_s: int = DEFAULT_UTC_OFFSET_S
    start_lat: float = DEFAULT_LAT
    start_lon: float = DEFAULT_LON
    heading_deg: float = 90.0
    path: str = "line"
    loop_length_m: float = 2000.0
    start_altitude_m: float = DEFAULT_ALTITUDE_M
    sample_interval_s: int = 1
    has_gps: bool = True
    has_altitude: bool = True
    has_heart_rate: bool = True
    has_cadence: bool = True
    has_temperature: bool = True
    temperature_c: float = DEFAULT_TEMPERATURE_C
    hr_drift_bpm_per_h: float = 0.0
    sport: str = "running"
    sub_sport: str | None = None
    name: str = "Synthetic run"
    is_race: bool = False
    tags: dict[str, float] = field(default_factory=dict, compare=False)  # builder's intent, e.g. {"fast_start_pct": 8}

    def __post_init__(self) -> None:
        object.__setattr__(self, "segments", tuple(self.segments))
        if not self.segments:
            raise ValueError("a run needs at least one segment")
        if self.start_time_utc.tzinfo is None:
            raise ValueError("start_time_utc must be timezone-aware (UTC)")
        start = self.start_time_utc.astimezone(timezone.utc).replace(microsecond=0)
        object.__setattr__(self, "start_time_utc", start)
        if int(self.sample_interval_s) != self.sample_interval_s or self.sample_interval_s < 1:
            raise ValueError("sample_interval_s must be a whole number of seconds >= 1 (FIT stores whole seconds)")
        if self.path not in ("line", "loop"):
            raise ValueError("path must be 'line' or 'loop'")
        if self.segments[0].kind == PAUSE or self.segments[-1].kind == PAUSE:
            raise ValueError("a run cannot start or end with a timer pause")

    @property
    def distance_m(self) -> float:
        """Total distance after snapping (distance-given segments keep their distance exactly)."""
        return float(sum(s.distance_m for s in resolve(self)))


@dataclass(frozen=True)
class ResolvedSegment:
    """A segment placed on the timeline: elapsed seconds from the run start, grid-aligned."""

    start_s: float
    end_s: float
    distance_m: float
    speed_m_s: float
    grade_pct: float
    heart_rate_bpm: float
    temperature_c: float
    cadence_spm: float
    kind: str
    label: str

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def moving(self) -> bool:
        return self.kind in MOVING_KINDS


# Simple physiology used when a segment does not give its own values (documented, not fitted).
HR_BASE_BPM = 95.0  # heart rate extrapolated to zero running speed
HR_PER_M_S = 20.0  # bpm per m/s of running speed: 3 m/s -> 155 bpm
HR_STILL_BPM = 100.0  # standing or paused
RUN_CADENCE_BASE_SPM = 156.0  # steps/min at zero speed (extrapolated)
RUN_CADENCE_PER_M_S = 8.0  # 3 m/s -> 180 spm
WALK_CADENCE_SPM = 116.0


def _snap(seconds: float, dt: int) -> float:
    """Round a duration to the sample grid, at least one interval."""
    return float(max(dt, int(round(seconds / dt)) * dt))


def default_heart_rate_bpm(speed_m_s: float, kind: str) -> float:
    """Heart rate the model gives a segment: linear in speed while moving, flat when still."""
    return HR_STILL_BPM if kind in (STAND, PAUSE) else HR_BASE_BPM + HR_PER_M_S * speed_m_s


def default_cadence_spm(speed_m_s: float, kind: str) -> float:
    """Cadence in steps/min (both legs): linear in speed when running, fixed walking, 0 still."""
    if kind == RUN:
        return RUN_CADENCE_BASE_SPM + RUN_CADENCE_PER_M_S * speed_m_s
    return WALK_CADENCE_SPM if kind == WALK else 0.0


def _even_spm(spm: float) -> float:
    """Cadence rounded to an even number of steps/min: whole rpm per leg, exact in FIT/GPX/TCX."""
    return float(2 * int(round(spm / 2)))


def resolve(spec: RunSpec) -> list[ResolvedSegment]:
    """Place the segments on the grid (see the module docstring for the snapping rules).

    Heart rate and temperature are rounded to whole units and cadence to even steps/min,
    since FIT stores them as integers.
    """
    dt = int(spec.sample_interval_s)
    out: list[ResolvedSegment] = []
    t = 0.0
    for seg in spec.segments:
        if seg.distance_m is not None and seg.duration_s is not None:
            duration = _snap(seg.duration_s, dt)
            distance = float(seg.distance_m)
        elif seg.distance_m is not None:
            distance = float(seg.distance_m)
            duration = _snap(distance / seg.speed_m_s, dt)
        else:
            duration = _snap(float(seg.duration_s), dt)
            distance = duration * seg.speed_m_s if seg.kind in MOVING_KINDS else 0.0
        speed = distance / duration
        hr = seg.heart_rate_bpm if seg.heart_rate_bpm is not None else default_heart_rate_bpm(speed, seg.kind)
        temp = seg.temperature_c if seg.temperature_c is not None else spec.temperature_c
        cad = seg.cadence_spm if seg.cadence_spm is not None else default_cadence_spm(speed, seg.kind)
        out.append(
            ResolvedSegment(
                start_s=t,
                end_s=t + duration,
                distance_m=distance,
                speed_m_s=speed,
                grade_pct=float(seg.grade_pct) if seg.kind in MOVING_KINDS else 0.0,
                heart_rate_bpm=float(np.round(hr)),
                temperature_c=float(np.round(temp)),
                cadence_spm=_even_spm(cad),
                kind=seg.kind,
                label=seg.label,
            )
        )
        t += duration
    return out
