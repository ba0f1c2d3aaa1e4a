"""Auto-laps as a device writes them: a new lap at the first sample past each lap distance.

Shared by the FIT and TCX writers so both files hold the same laps, and by the tests.
A lap's timer time leaves out the timer pauses inside it (as devices and TCX do).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from crampcheck.schema import Lap
from crampcheck.synth.build import Interval

_EPS_M = 1e-6


@dataclass(frozen=True)
class SynthLap:
    """One lap over samples ``start_index..end_index`` (inclusive; the end sample starts the next lap)."""

    start_index: int
    end_index: int
    start_s: float  # elapsed seconds of the run
    end_s: float
    timer_s: float
    distance_m: float

    @property
    def elapsed_s(self) -> float:
        return self.end_s - self.start_s

    def to_schema(self, run_start_utc: datetime) -> Lap:
        return Lap(run_start_utc + timedelta(seconds=self.start_s), self.elapsed_s, self.timer_s, self.distance_m)


def paused_s(pauses: tuple[Interval, ...] | list[Interval], start_s: float, end_s: float) -> float:
    """Seconds of timer pause inside [start_s, end_s]."""
    return float(sum(max(0.0, min(end_s, p.end_s) - max(start_s, p.start_s)) for p in pauses))


def auto_laps(
    elapsed_s: np.ndarray, distance_m: np.ndarray, pauses, lap_distance_m: float | None
) -> list[SynthLap]:
    """Laps every ``lap_distance_m`` of distance (from the first sample); one lap when None."""
    n = len(elapsed_s)
    bounds = [0]
    if lap_distance_m:
        targets = distance_m[0] + np.arange(lap_distance_m, distance_m[-1] - distance_m[0], lap_distance_m)
        hits = np.searchsorted(distance_m, targets - _EPS_M, side="left")
        bounds += sorted({int(h) for h in hits if 0 < h < n - 1})
    bounds.append(n - 1)
    laps = []
    for a, b in itertools.pairwise(bounds):
        t0, t1 = float(elapsed_s[a]), float(elapsed_s[b])
        laps.append(SynthLap(a, b, t0, t1, t1 - t0 - paused_s(pauses, t0, t1), float(distance_m[b] - distance_m[a])))
    return laps
