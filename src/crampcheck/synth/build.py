"""Turn a RunSpec into the exact samples and the truth values a test needs.

Sampling convention (the same as a reader deriving speed from positions): the value of a
channel at sample k (speed, heart rate, cadence, temperature) is the value over the
interval that *ends* at sample k; sample 0 takes the first segment's values. Samples fall
on every multiple of ``sample_interval_s`` except strictly inside a timer pause: the
sample at a pause start (timer stop) and at its end (timer restart) are kept, at the same
position; the restart sample has speed 0 (nothing was covered since the previous sample).

Means over moving time (temperature, heart rate) weight each sample by the moving time of
the interval that ends at it; with piecewise-constant channels this is the exact
continuous time-weighted mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd

from crampcheck.schema import RECORD_COLUMNS, Pause
from crampcheck.synth.geo import along_path
from crampcheck.synth.spec import (
    COOLDOWN,
    KM_M,
    MILE_M,
    MOVING_KINDS,
    PAUSE,
    STAND,
    SURGE,
    WARMUP,
    ResolvedSegment,
    RunSpec,
    resolve,
)

UNIT_M = {"mi": MILE_M, "km": KM_M}
_EPS_M = 1e-6  # a split shorter than this is rounding noise, not a partial split


@dataclass(frozen=True)
class Interval:
    """A span of the run in elapsed seconds from the first sample."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Mark:
    """A point of the run: elapsed seconds, moving seconds and distance from the start."""

    elapsed_s: float
    moving_s: float
    distance_m: float


@dataclass(frozen=True)
class SplitTruth:
    """One mile/km split; ``moving_s`` leaves stops out, ``elapsed_s`` counts them."""

    index: int  # 1-based
    unit: str
    start_m: float
    end_m: float
    moving_s: float
    elapsed_s: float
    partial: bool

    @property
    def distance_m(self) -> float:
        return self.end_m - self.start_m

    @property
    def speed_m_s(self) -> float:
        return self.distance_m / self.moving_s


@dataclass(frozen=True)
class SurgeTruth:
    start_s: float  # elapsed
    start_moving_s: float
    duration_s: float
    start_m: float
    speed_m_s: float
    baseline_speed_m_s: float  # speed of the moving segment before the surge
    in_last_third: bool  # starts in the last third of moving time

    @property
    def speed_ratio(self) -> float:
        return self.speed_m_s / self.baseline_speed_m_s


@dataclass(frozen=True, eq=False)
class Truth:
    """A built run: its exact samples (canonical schema) and the values a correct analysis finds."""

    spec: RunSpec
    segments: tuple[ResolvedSegment, ...]
    records: pd.DataFrame  # all RECORD_COLUMNS; absent channels are all-NaN
    moving_time_s: np.ndarray  # cumulative moving time at each sample
    sample_segment: np.ndarray  # index of the segment holding the interval that ends at each sample
    distance_m: float
    elapsed_s: float  # first to last sample
    timer_s: float  # elapsed minus timer pauses
    moving_s: float  # run and walk segments only
    pauses: tuple[Interval, ...]  # timer stops (no samples inside)
    stands: tuple[Interval, ...]  # standing still with the timer running
    temperature_mean_c: float | None
    temperature_min_c: float | None
    temperature_max_c: float | None
    heart_rate_mean_bpm: float | None
    heart_rate_max_bpm: float | None
    surges: tuple[SurgeTruth, ...]
    warmup_end: Mark | None
    cooldown_start: Mark | None
    total_ascent_m: float
    total_descent_m: float

    # --- time and place -------------------------------------------------------------
    @property
    def start_time_utc(self) -> datetime:
        return self.spec.start_time_utc

    @property
    def utc_offset_s(self) -> int:
        return self.spec.utc_offset_s

    @property
    def start_time_local(self) -> datetime:
        return self.start_time_utc.astimezone(timezone(timedelta(seconds=self.utc_offset_s)))

    @property
    def end_time_utc(self) -> datetime:
        return self.start_time_utc + timedelta(seconds=self.elapsed_s)

    @property
    def pauses_utc(self) -> list[Pause]:
        """Timer stops as crampcheck.schema.Pause (UTC)."""
        t0 = self.start_time_utc
        return [Pause(t0 + timedelta(seconds=p.start_s), t0 + timedelta(seconds=p.end_s)) for p in self.pauses]

    @property
    def avg_speed_m_s(self) -> float:
        """Distance over moving time."""
        return self.distance_m / self.moving_s

    @property
    def descent_m_per_km(self) -> float:
        return self.total_descent_m / (self.distance_m / KM_M)

    # --- distance <-> time ----------------------------------------------------------
    def _moving_segments(self) -> tuple[np.ndarray, ...]:
        segs = [s for s in self.segments if s.kind in MOVING_KINDS]
        d1 = np.cumsum([s.distance_m for s in segs])
        d0 = d1 - np.array([s.distance_m for s in segs])
        m1 = np.cumsum([s.duration_s for s in segs])
        m0 = m1 - np.array([s.duration_s for s in segs])
        start = np.array([s.start_s for s in segs])
        speed = np.array([s.speed_m_s for s in segs])
        return d0, d1, m0, start, speed

    def moving_time_at(self, distance_m):
        """Moving seconds from the start when ``distance_m`` is first reached (exact)."""
        d0, d1, m0, _, speed = self._moving_segments()
        d = np.asarray(distance_m, dtype=np.float64)
        j = np.clip(np.searchsorted(d1, d, side="left"), 0, len(d1) - 1)
        return m0[j] + (d - d0[j]) / speed[j]

    def elapsed_at(self, distance_m):
        """Elapsed seconds from the start when ``distance_m`` is first reached (exact)."""
        d0, d1, _, start, speed = self._moving_segments()
        d = np.asarray(distance_m, dtype=np.float64)
        j = np.clip(np.searchsorted(d1, d, side="left"), 0, len(d1) - 1)
        return start[j] + (d - d0[j]) / speed[j]

    def speed_between(self, start_m: float, end_m: float) -> float:
        """Mean moving speed between two distances, m/s."""
        return (end_m - start_m) / float(self.moving_time_at(end_m) - self.moving_time_at(start_m))

    def splits(self, unit: str = "mi") -> list[SplitTruth]:
        """Mile or km splits, the last one partial when the distance is not a whole number."""
        step = UNIT_M[unit]
        bounds = list(np.arange(0.0, self.distance_m - _EPS_M, step)) + [self.distance_m]
        if len(bounds) > 2 and bounds[-1] - bounds[-2] < _EPS_M:
            bounds.pop(-2)
        b = np.asarray(bounds)
        mt, et = self.moving_time_at(b), self.elapsed_at(b)
        mt[0] = et[0] = 0.0
        return [
            SplitTruth(
                index=i + 1,
                unit=unit,
                start_m=float(b[i]),
                end_m=float(b[i + 1]),
                moving_s=float(mt[i + 1] - mt[i]),
                elapsed_s=float(et[i + 1] - et[i]),
                partial=bool(b[i + 1] - b[i] < step - _EPS_M),
            )
            for i in range(len(b) - 1)
        ]

    @property
    def mile_splits(self) -> list[SplitTruth]:
        return self.splits("mi")

    @property
    def km_splits(self) -> list[SplitTruth]:
        return self.splits("km")

    def first_last_ratio(self, unit: str = "mi", core: bool = False) -> float:
        """Speed over the first ``unit`` / speed over the last ``unit`` (>1: started faster).

        ``core=True`` leaves the labelled warm-up and cool-down out of both ends.
        """
        step = UNIT_M[unit]
        lo = self.warmup_end.distance_m if core and self.warmup_end else 0.0
        hi = self.cooldown_start.distance_m if core and self.cooldown_start else self.distance_m
        return self.speed_between(lo, lo + step) / self.speed_between(hi - step, hi)

    # --- means over windows of moving time ------------------------------------------
    def window_mean(self, column: str, start_moving_s: float, end_moving_s: float) -> float:
        """Mean of a channel over [start, end) of moving time, each sample weighted by the
        moving time of its interval that falls inside the window."""
        m = self.moving_time_s
        lo = np.maximum(m[:-1], start_moving_s)
        hi = np.minimum(m[1:], end_moving_s)
        w = np.clip(hi - lo, 0.0, None)
        v = self.records[column].to_numpy(dtype=np.float64)[1:]
        return float(np.sum(v * w) / np.sum(w))

    @property
    def hr_decoupling_pct(self) -> float | None:
        """Aerobic decoupling: (EF first half - EF second half) / EF first half x 100,
        EF = mean speed / mean heart rate, halves of moving time. None without heart rate."""
        if self.heart_rate_mean_bpm is None:
            return None
        half = self.moving_s / 2
        ef = [
            self.window_mean("speed_m_s", a, b) / self.window_mean("heart_rate_bpm", a, b)
            for a, b in ((0.0, half), (half, self.moving_s))
        ]
        return (ef[0] - ef[1]) / ef[0] * 100.0


def _column(values: np.ndarray, present: bool) -> np.ndarray:
    return values.astype(np.float64) if present else np.full(values.shape, np.nan)


def build(spec: RunSpec) -> Truth:
    """Sample the run every ``sample_interval_s`` and compute its truth (see module docstring)."""
    segs = resolve(spec)
    start = np.array([s.start_s for s in segs])
    end = np.array([s.end_s for s in segs])
    dist = np.array([s.distance_m for s in segs])
    speed = np.array([s.speed_m_s for s in segs])
    rise = dist * np.array([s.grade_pct for s in segs]) / 100.0
    moving = np.array([s.kind in MOVING_KINDS for s in segs])
    is_pause = np.array([s.kind == PAUSE for s in segs])
    duration = end - start
    d0 = np.cumsum(dist) - dist
    alt0 = spec.start_altitude_m + np.cumsum(rise) - rise
    mov0 = np.cumsum(duration * moving) - duration * moving

    dt = int(spec.sample_interval_s)
    grid = np.arange(0, int(end[-1]) + 1, dt, dtype=np.float64)
    idx = np.clip(np.searchsorted(start, grid, side="left") - 1, 0, len(segs) - 1)
    keep = ~(is_pause[idx] & (grid < end[idx]))
    t, idx = grid[keep], idx[keep]
    tau = t - start[idx]
    distance = d0[idx] + speed[idx] * tau
    altitude = alt0[idx] + (rise / duration)[idx] * tau
    moving_time = mov0[idx] + tau * moving[idx]
    hr = np.array([s.heart_rate_bpm for s in segs])[idx] + np.round(spec.hr_drift_bpm_per_h * moving_time / 3600.0)
    temp = np.array([s.temperature_c for s in segs])[idx]
    cad = np.array([s.cadence_spm for s in segs])[idx]
    sample_speed = np.where(moving[idx], speed[idx], 0.0)

    if spec.has_gps:
        lat, lon = along_path(distance, spec.start_lat, spec.start_lon, spec.heading_deg, spec.path, spec.loop_length_m)
    else:
        lat = lon = np.full(t.shape, np.nan)
    start_ns = np.datetime64(spec.start_time_utc.replace(tzinfo=None), "ns")
    times = pd.DatetimeIndex(start_ns + (t * 1e9).astype("timedelta64[ns]")).tz_localize("UTC")
    records = pd.DataFrame(
        {
            "time": times,
            "elapsed_s": t,
            "distance_m": distance,
            "speed_m_s": sample_speed,
            "lat": lat,
            "lon": lon,
            "altitude_m": _column(altitude, spec.has_altitude),
            "heart_rate_bpm": _column(hr, spec.has_heart_rate),
            "cadence_spm": _column(cad, spec.has_cadence),
            "temperature_c": _column(temp, spec.has_temperature),
            "power_w": np.full(t.shape, np.nan),
        },
        columns=list(RECORD_COLUMNS),
    )

    w = np.diff(moving_time)  # moving seconds of the interval ending at each sample k >= 1
    moving_s = float(np.sum(duration * moving))

    def moving_mean(values: np.ndarray) -> float:
        return float(np.sum(values[1:] * w) / np.sum(w))

    def mark(seconds: float) -> Mark:
        j = int(np.clip(np.searchsorted(start, seconds, side="right") - 1, 0, len(segs) - 1))
        tau_s = seconds - start[j]
        return Mark(float(seconds), float(mov0[j] + tau_s * moving[j]), float(d0[j] + speed[j] * tau_s))

    warm = [s for s in segs if s.label == WARMUP]
    cool = [s for s in segs if s.label == COOLDOWN]
    pauses = tuple(Interval(s.start_s, s.end_s) for s in segs if s.kind == PAUSE)
    return Truth(
        spec=spec,
        segments=tuple(segs),
        records=records,
        moving_time_s=moving_time,
        sample_segment=idx,
        distance_m=float(np.sum(dist)),
        elapsed_s=float(t[-1]),
        timer_s=float(t[-1] - sum(p.duration_s for p in pauses)),
        moving_s=moving_s,
        pauses=pauses,
        stands=tuple(Interval(s.start_s, s.end_s) for s in segs if s.kind == STAND),
        temperature_mean_c=moving_mean(temp) if spec.has_temperature else None,
        temperature_min_c=float(temp.min()) if spec.has_temperature else None,
        temperature_max_c=float(temp.max()) if spec.has_temperature else None,
        heart_rate_mean_bpm=moving_mean(hr) if spec.has_heart_rate else None,
        heart_rate_max_bpm=float(hr.max()) if spec.has_heart_rate else None,
        surges=_surges(segs, mov0, d0, moving_s),
        warmup_end=mark(warm[-1].end_s) if warm else None,
        cooldown_start=mark(cool[0].start_s) if cool else None,
        total_ascent_m=float(np.sum(rise[rise > 0])),
        total_descent_m=float(-np.sum(rise[rise < 0])),
    )


def _surges(segs: list[ResolvedSegment], mov0: np.ndarray, d0: np.ndarray, moving_s: float) -> tuple[SurgeTruth, ...]:
    out = []
    baseline = None
    for j, s in enumerate(segs):
        if s.label == SURGE:
            out.append(
                SurgeTruth(
                    start_s=s.start_s,
                    start_moving_s=float(mov0[j]),
                    duration_s=s.duration_s,
                    start_m=float(d0[j]),
                    speed_m_s=s.speed_m_s,
                    baseline_speed_m_s=baseline if baseline is not None else s.speed_m_s,
                    in_last_third=bool(mov0[j] >= 2 * moving_s / 3),
                )
            )
        elif s.kind in MOVING_KINDS:
            baseline = s.speed_m_s
    return tuple(out)
