"""The run as two monotone axes, cumulative distance vs cumulative moving time.

Every pacing metric (splits, halves, first/last mile, warm-up, surges) is a question about
how these two axes relate, answered by linear interpolation between records: the time at
which a distance is reached, the distance reached at a moving time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from crampcheck.metrics.channels import channel, clean_distance_m, clean_elapsed_s
from crampcheck.metrics.moving import moving_intervals, moving_time_s, pause_bounds
from crampcheck.schema import Pause, Records

GRID_STEP_S = 1.0  # resolution of the per-second moving-time grid


@dataclass(frozen=True)
class Track:
    """Per-record axes of one run (all arrays have one value per record).

    ``moving``: the interval closing the record was moving; ``moving_s``: cumulative moving
    time, s; ``weight_s``: duration of the moving interval closing the record (0 when not
    moving), the weight of a time-weighted mean over moving time; ``distance_m``: cumulative
    distance from 0; ``effort_m``: cumulative flat-equivalent (grade-adjusted) distance, or
    None without elevation.
    """

    elapsed_s: np.ndarray
    distance_m: np.ndarray
    moving: np.ndarray
    moving_s: np.ndarray
    weight_s: np.ndarray
    effort_m: np.ndarray | None = None

    @property
    def total_moving_s(self) -> float:
        return float(self.moving_s[-1]) if len(self.moving_s) else 0.0

    @property
    def total_distance_m(self) -> float:
        return float(self.distance_m[-1]) if len(self.distance_m) else 0.0

    def moving_at(self, distance_m: np.ndarray | float) -> np.ndarray:
        """Moving time (s) at which each distance (m) is reached."""
        return np.interp(distance_m, self.distance_m, self.moving_s)

    def distance_at(self, moving_s: np.ndarray | float, effort: bool = False) -> np.ndarray:
        """Distance (m), or flat-equivalent distance when ``effort``, reached at each moving time (s)."""
        return np.interp(moving_s, self.moving_s, self._axis(effort))

    def effort_at(self, distance_m: np.ndarray | float) -> np.ndarray:
        """Flat-equivalent distance (m) at each distance (m); the distance itself without elevation."""
        if self.effort_m is None:
            return np.asarray(distance_m, dtype=float)
        return np.interp(distance_m, self.distance_m, self.effort_m)

    def speed_between_m(self, start_m: float, end_m: float, effort: bool = False) -> float | None:
        """Mean moving speed (m/s) from ``start_m`` to ``end_m``; grade-adjusted when ``effort``."""
        time_s = float(self.moving_at(end_m) - self.moving_at(start_m))
        if time_s <= 0 or end_m <= start_m:
            return None
        covered = end_m - start_m
        if effort and self.effort_m is not None:
            covered = float(self.effort_at(end_m) - self.effort_at(start_m))
        return covered / time_s

    def speed_between_s(self, start_s: float, end_s: float, effort: bool = False) -> float | None:
        """Mean speed (m/s) between two moving times (s); grade-adjusted when ``effort``."""
        if end_s <= start_s:
            return None
        covered = float(self.distance_at(end_s, effort) - self.distance_at(start_s, effort))
        return covered / (end_s - start_s)

    def per_second(self, effort: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(moving time every GRID_STEP_S from 0, distance reached at each), s and m."""
        t = np.arange(0.0, self.total_moving_s + GRID_STEP_S / 2, GRID_STEP_S)
        return t, self.distance_at(t, effort)

    def moving_mean(self, values: np.ndarray | None, select: np.ndarray | None = None) -> float | None:
        """Mean of a channel weighted by moving time (over the ``select``ed records), or None."""
        if values is None:
            return None
        weight = np.where(np.isfinite(values), self.weight_s, 0.0)
        if select is not None:
            weight = np.where(select, weight, 0.0)
        total = weight.sum()
        if total <= 0:
            return None
        return float(np.sum(weight * np.nan_to_num(values)) / total)

    def _axis(self, effort: bool) -> np.ndarray:
        return self.effort_m if effort and self.effort_m is not None else self.distance_m


def build_track(records: Records, pauses: Sequence[Pause] = (), t0: datetime | None = None) -> Track | None:
    """The moving-time / distance axes of ``records`` (None when the file has no times).

    ``t0`` is the time of the first record (needed to place ``pauses``); a run without
    distance or speed gets a zero distance axis.
    """
    elapsed = clean_elapsed_s(records)
    if elapsed is None or len(elapsed) == 0:
        return None
    distance = clean_distance_m(records, elapsed)
    bounds = pause_bounds(pauses, t0) if pauses and t0 is not None else None
    moving = moving_intervals(elapsed, distance, channel(records, "speed_m_s"), bounds, channel(records, "altitude_m"))
    dt = np.diff(elapsed, prepend=elapsed[0])
    return Track(
        elapsed_s=elapsed,
        distance_m=distance if distance is not None else np.zeros(len(elapsed)),
        moving=moving,
        moving_s=moving_time_s(elapsed, moving),
        weight_s=np.where(moving, dt, 0.0),
    )
