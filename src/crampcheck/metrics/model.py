"""Result types of the metrics layer (plain frozen dataclasses, SI units in the names).

``metrics.run.compute(activity, units=...) -> RunMetrics`` fills them; the risk layer and
the reports only read them. Any value the file cannot support is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from crampcheck.schema import DataWarning

__all__ = ["DataWarning"]  # a data-quality fault (defined with the Activity, which readers fill)


@dataclass(frozen=True)
class TemperatureStats:
    min_c: float
    mean_c: float  # time-weighted mean over moving time, deg C
    max_c: float
    source: str  # "watch sensor", "user (--ambient-temp)", "GPX atemp"...


@dataclass(frozen=True)
class AirStats:
    """The air the run was in, from the most trusted reading (``metrics.air``)."""

    temperature_c: float
    humidity_pct: float | None  # relative humidity, 0-100
    dew_point_c: float | None
    heat_index_c: float | None  # NWS heat index (None without humidity)
    source: str  # where the reading came from, in words
    kind: str  # user | export | weather | sensor | watch (schema.AIR_KINDS)
    method: str | None = None  # how a sensor series became one value

    @property
    def wrist(self) -> bool:
        """The reading is the watch's own sensor (it reads above the air)."""
        return self.kind == "watch"

    @property
    def judged_c(self) -> float:
        """What the heat factors judge: the heat index when humidity is known, else the air temperature."""
        return self.heat_index_c if self.heat_index_c is not None else self.temperature_c


@dataclass(frozen=True)
class HeartRateStats:
    mean_bpm: float
    max_bpm: float


@dataclass(frozen=True)
class Split:
    index: int  # 1-based
    unit: str  # "mi" | "km"
    distance_m: float  # 1609.344 or 1000, less for the partial last split
    time_s: float  # moving time over the split
    speed_m_s: float
    heart_rate_bpm: float | None
    temperature_c: float | None
    partial: bool = False
    gap_speed_m_s: float | None = None  # grade-adjusted speed, when elevation exists


@dataclass(frozen=True)
class Segment:
    """A part of the run, by moving time and distance from its start."""

    start_s: float
    end_s: float
    start_m: float
    end_m: float
    speed_m_s: float


@dataclass(frozen=True)
class FirstLast:
    """First vs last kilometre: whatever the display units, the comparison is over 1 km
    (``unit`` is always "km"), so a verdict never depends on a display setting.

    ``*_speed_m_s`` are speeds, as the splits show them; ``*_gap_speed_m_s`` are grade-adjusted
    (None without elevation). ``ratio`` = first / last speed (>1: started faster); ``gap_ratio``
    the same on grade-adjusted speeds. ``core_*``: the same with the detected warm-up and
    cool-down jogs left out (None when neither was found, or the core is under 2 km).
    """

    unit: str
    first_speed_m_s: float
    last_speed_m_s: float
    ratio: float
    grade_adjusted: bool
    core_first_speed_m_s: float | None = None
    core_last_speed_m_s: float | None = None
    core_ratio: float | None = None
    first_gap_speed_m_s: float | None = None
    last_gap_speed_m_s: float | None = None
    gap_ratio: float | None = None
    core_first_gap_speed_m_s: float | None = None
    core_last_gap_speed_m_s: float | None = None
    core_gap_ratio: float | None = None


@dataclass(frozen=True)
class Shape:
    """What kind of run this was (``metrics.shape``): its kind and the evidence for it."""

    kind: str  # steady progression fade intervals fartlek run_walk race hilly trail_walk_run treadmill short_jog
    evidence: str
    rep_speeds_m_s: tuple[float, ...] = ()  # intervals and fartleks: each rep's speed, in order

@dataclass(frozen=True)
class Pacing:
    """The speeds the pacing factors judge, computed once with one terrain model (grade-adjusted
    when the run has elevation: ``grade_adjusted``). Halves and quarters are of the core (the run
    without its warm-up and cool-down jogs; ``core`` says whether either was found). The start
    is the run's own opening, compared with the core's end (see ``metrics.run._pacing``). m/s."""

    grade_adjusted: bool
    core: bool
    first_km_m_s: float | None  # the first 1,000 m, and the last before any cool-down (None under 2 km)
    last_km_m_s: float | None
    second_km_m_s: float | None  # the km after the first (a runner who sped up after it did not go out too fast)
    first_10pct_m_s: float | None
    average_m_s: float | None  # what the first 10 % is compared with
    first_half_m_s: float | None
    second_half_m_s: float | None
    first_three_quarters_m_s: float | None
    final_quarter_m_s: float | None
    last_tenth_m_s: float | None = None  # the core's last 10 %: whether a fade held to the end
    raw: Pacing | None = None  # the same on the clock, when these are grade-adjusted

    def compared(self, fast: str, slow: str) -> tuple[float, Pacing] | None:
        """How much faster the speed ``fast`` was than ``slow`` (field names), %, and the reading it
        comes from: the smaller of the grade-adjusted and the clock reading, so that a pace
        difference counts only when terrain does not explain it and the terrain model is not its
        only witness. None when either speed is missing."""
        readings = [p for p in (self, self.raw) if p is not None and getattr(p, fast) and getattr(p, slow)]
        if not readings:
            return None
        return min([((getattr(p, fast) / getattr(p, slow) - 1.0) * 100.0, p) for p in readings], key=lambda r: r[0])


@dataclass(frozen=True)
class Surge:
    start_s: float  # moving seconds from the start
    duration_s: float
    start_m: float
    speed_ratio: float  # surge speed / rolling-baseline speed
    in_last_third: bool


@dataclass(frozen=True, eq=False)
class ChartSeries:
    """What a chart of the run draws (``metrics.series``): equal-length arrays, one value per
    point, in moving-time order, NaN where a value is unknown; a channel the file lacks is None.

    ``moving_s``: cumulative moving time (stops do not advance it); ``distance_m``: distance
    from the start; ``speed_m_s`` and ``gap_speed_m_s`` (grade-adjusted, None without
    elevation): distance over a centred window of moving time. Compared by identity (arrays).
    """

    moving_s: np.ndarray
    distance_m: np.ndarray
    speed_m_s: np.ndarray
    gap_speed_m_s: np.ndarray | None
    heart_rate_bpm: np.ndarray | None
    altitude_m: np.ndarray | None
    temperature_c: np.ndarray | None
    lat: np.ndarray | None
    lon: np.ndarray | None


@dataclass
class RunMetrics:
    """Everything the risk factors and the reports need from one run."""

    distance_m: float
    elapsed_time_s: float
    moving_time_s: float
    avg_speed_m_s: float  # distance / moving time
    start_time_utc: datetime | None
    start_time_local: datetime | None  # tz-aware (fixed offset), None when unknown
    end_time_local: datetime | None
    local_time_source: str | None  # "file (local_timestamp)", "GPS timezone (Europe/Paris)"...
    units: str  # "mi" | "km": unit of splits and first/last
    temperature: TemperatureStats | None
    heart_rate: HeartRateStats | None
    splits: list[Split]
    first_half_speed_m_s: float | None
    second_half_speed_m_s: float | None
    first_vs_last: FirstLast | None
    median_speed_m_s: float | None  # median moving speed
    first_5min_speed_m_s: float | None  # opening window (warmup_min of the thresholds, 5 min by default)
    last_5min_speed_m_s: float | None  # closing window (cooldown_min, 5 min by default)
    ended_with_walk: bool
    warmup: Segment | None
    cooldown: Segment | None
    surges: list[Surge]
    hr_drift_pct: float | None  # aerobic decoupling, % (None: no HR, too short or not steady)
    total_descent_m: float | None
    descent_m_per_km: float | None
    has_gps: bool
    has_elevation: bool
    has_heart_rate: bool
    has_temperature: bool
    notes: list[str] = field(default_factory=list)  # why some value is None, caveats
    start_latitude_deg: float | None = None  # first GPS fix, deg north (season by hemisphere)
    pacing: Pacing | None = None  # what the pacing factors judge (None: too short to pace)
    shape: Shape | None = None  # the session's shape (None: too short to pace)
    data_warnings: list[DataWarning] = field(default_factory=list)  # faults found by metrics.quality
    best_sustained_speed_m_s: float | None = None  # best mean speed over Detection.sustained_s of moving time
    chart: ChartSeries | None = None  # the series the run's charts draw (None: no timestamps)
    air: AirStats | None = None  # the air the run was in, from the most trusted reading (metrics.air)
    hr_halves_bpm: tuple[float, float] | None = None  # mean heart rate of the halves hr_drift_pct compares
    ascent_m_per_km: float | None = None  # climbing per km of distance, m (as descent_m_per_km)
    start_longitude_deg: float | None = None  # first GPS fix, deg east (local solar time)
