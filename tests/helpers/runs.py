"""A tiny 1 Hz run builder for the metrics and report tests, with exact known truth.

A run is a list of ``Seg`` (duration, speed, hr, temperature, grade). Record ``t`` closes the
second (t-1, t] and carries the speed of the segment that second belongs to, so distance is
exactly the integral of the segment speeds. ``Seg(..., stop=True)`` is a timer stop: no
records during it, one record at the restart with the distance unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from crampcheck.schema import Activity, Pause, Records

START = datetime(2024, 7, 1, 6, 0, tzinfo=timezone.utc)
METERS_PER_DEGREE_LAT = 111_320.0


@dataclass(frozen=True)
class Seg:
    duration_s: int
    speed_m_s: float = 0.0
    hr: float | None = None
    temp: float | None = None
    grade: float = 0.0
    stop: bool = False  # timer stop: no records while it lasts


def moving_truth(segs: list[Seg]) -> tuple[np.ndarray, np.ndarray]:
    """(moving time, distance) at every segment boundary of the moving segments: the exact truth."""
    t, d = [0.0], [0.0]
    for s in segs:
        if s.stop or s.speed_m_s <= 0:
            continue
        t.append(t[-1] + s.duration_s)
        d.append(d[-1] + s.duration_s * s.speed_m_s)
    return np.array(t), np.array(d)


def truth_time_at(segs: list[Seg], distance_m) -> np.ndarray:
    """Exact moving time (s) at which each distance is reached."""
    t, d = moving_truth(segs)
    return np.interp(distance_m, d, t)


def build(
    segs: list[Seg],
    start: datetime = START,
    lat0: float | None = 48.85,
    lon0: float | None = 2.35,
    altitude0_m: float | None = 100.0,
    utc_offset_s: int | None = None,
    speed_noise: float = 0.0,
    gps_noise_m: float = 0.0,
    seed: int = 1,
    with_pauses: bool = True,
) -> Activity:
    """An Activity of 1 Hz records following ``segs``.

    ``speed_noise``: relative standard deviation of per-second speed noise (integrated into
    distance); ``gps_noise_m``: standard deviation (m, per axis) of white position noise,
    the distance then being the sum of the noisy steps (as a GPX reader derives it) and the
    speed channel absent. ``with_pauses``: list the timer stops in ``Activity.pauses``.
    """
    rng = np.random.default_rng(seed)
    times, speeds, hrs, temps, grades, pauses = [0.0], [segs[0].speed_m_s], [segs[0].hr], [segs[0].temp], [0.0], []
    t = 0.0
    for s in segs:
        if s.stop:
            pauses.append(Pause(start + timedelta(seconds=t), start + timedelta(seconds=t + s.duration_s)))
            t += s.duration_s
            times.append(t)
            speeds.append(0.0)
            hrs.append(s.hr)
            temps.append(s.temp)
            grades.append(0.0)
            continue
        n = s.duration_s
        times.extend(t + np.arange(1, n + 1))
        speeds.extend([s.speed_m_s] * n)
        hrs.extend([s.hr] * n)
        temps.extend([s.temp] * n)
        grades.extend([s.grade] * n)
        t += n
    elapsed = np.array(times)
    speed = np.array(speeds, dtype=float)
    if speed_noise:
        speed = speed * (1.0 + rng.normal(0.0, speed_noise, len(speed)))
    dt = np.diff(elapsed, prepend=0.0)
    moving_step = np.where(dt == 1.0, speed, 0.0)  # restart records add no distance
    moving_step[0] = 0.0
    distance = np.cumsum(moving_step)
    altitude = None if altitude0_m is None else altitude0_m + np.cumsum(moving_step * np.array(grades))
    speed_channel = speed
    if gps_noise_m:
        x = distance + rng.normal(0.0, gps_noise_m, len(distance))
        y = rng.normal(0.0, gps_noise_m, len(distance))
        distance = np.concatenate(([0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))))
        speed_channel = np.full(len(distance), np.nan)
    n = len(elapsed)
    records = Records(
        {
            "time": np.datetime64(start.astimezone(timezone.utc).replace(tzinfo=None), "ns") + (elapsed * 1e9).round().astype("timedelta64[ns]"),
            "elapsed_s": elapsed,
            "distance_m": distance,
            "speed_m_s": speed_channel,
            "lat": np.full(n, np.nan) if lat0 is None else lat0 + distance / METERS_PER_DEGREE_LAT,
            "lon": np.full(n, np.nan if lon0 is None else lon0),
            "altitude_m": np.full(n, np.nan) if altitude is None else altitude,
            "heart_rate_bpm": np.array([np.nan if v is None else v for v in hrs], dtype=float),
            "temperature_c": np.array([np.nan if v is None else v for v in temps], dtype=float),
        }
    )
    return Activity(
        records=records,
        source="synthetic",
        format="fit",
        sport="running",
        start_time_utc=start,
        utc_offset_s=utc_offset_s,
        pauses=pauses if with_pauses else [],
        temperature_source="watch sensor",
    )
