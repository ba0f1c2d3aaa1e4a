"""The per-activity summary row: what the history table, history factors and races need.

A row is small (no records): a scan keeps one row per file and drops the run itself, so a
history of thousands of runs fits in memory. Rows round-trip through JSON for the cache.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # records arrive as DataFrames; pandas itself is not needed to read rows
    import pandas as pd

# The per-run findings a race report repeats (their level, value and reason are kept).
KEY_FINDINGS = ("fast_start", "positive_split")
MIN_MOVING_SPEED_M_S = 0.5  # slower than this between two samples: a pause or a stand, not moving
FORMAT_RICHNESS = {"fit": 3, "tcx": 2, "gpx": 1}  # which copy of one run to keep


@dataclass
class ActivitySummary:
    """One activity reduced to numbers (SI units in the names)."""

    file: str  # source name: path, or "export.zip!member.zip!123.fit"
    content_hash: str  # sha256 of the file bytes, hex
    format: str  # fit | gpx | tcx
    start_time_utc: datetime | None  # tz-aware UTC
    start_time_local: datetime | None  # tz-aware, fixed offset; None when unknown
    sport: str
    sub_sport: str | None
    name: str | None
    is_race: bool
    race_marked_by: str | None  # file | export | name | heuristic | given
    distance_m: float
    moving_time_s: float
    elapsed_time_s: float
    avg_speed_m_s: float  # distance / moving time
    temperature_c_mean: float | None
    heart_rate_mean_bpm: float | None
    overall: str  # overall level of the run's assessment
    findings: list[str] = field(default_factory=list)  # ids of the run's findings, most important first
    key_findings: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> level, value, threshold, unit, why, advice
    first_vs_last_ratio: float | None = None  # first / last km speed as judged (warm-up/cool-down left out, grade-adjusted)
    best_sustained_speed_m_s: float | None = None  # best speed held over >= 20 moving minutes
    intensity_speed_m_s: float | None = None  # hard-day measure: average moving speed, m/s

    # --- derived --------------------------------------------------------------------------
    @property
    def day(self) -> date | None:
        """The calendar day of the start: local when known, else UTC."""
        start = self.start_time_local or self.start_time_utc
        return start.date() if start else None

    @property
    def richness(self) -> int:
        return FORMAT_RICHNESS.get(self.format, 0)

    # --- JSON -----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("start_time_utc", "start_time_local"):
            out[key] = out[key].isoformat() if out[key] else None
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActivitySummary:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("start_time_utc", "start_time_local"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)


def _clean(value: Any) -> float | None:
    """A finite float, or None."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _distance_m(records: pd.DataFrame) -> np.ndarray:
    """Cumulative distance with gaps filled forward (leading gaps 0), metres."""
    d = records["distance_m"].to_numpy(dtype=float, na_value=np.nan)
    last_known = np.maximum.accumulate(np.where(np.isnan(d), -1, np.arange(len(d))))
    return np.where(last_known >= 0, d[np.maximum(last_known, 0)], 0.0)


def moving_clock_s(records: pd.DataFrame, distance_m: np.ndarray | None = None) -> np.ndarray | None:
    """Cumulative moving seconds at each sample (pauses and stands do not advance it).

    Uses the ``moving`` column when the metrics layer added it, else counts an interval as
    moving when the distance advanced at least ``MIN_MOVING_SPEED_M_S``. ``distance_m``:
    the filled distance column when the caller already has it.
    """
    if "distance_m" not in records.columns or len(records) < 2:
        return None
    if "elapsed_s" in records.columns and records["elapsed_s"].notna().any():
        t = records["elapsed_s"].to_numpy(dtype=float, na_value=np.nan)
    elif "time" in records.columns:
        t = (records["time"] - records["time"].iloc[0]).dt.total_seconds().to_numpy(dtype=float, na_value=np.nan)
    else:
        return None
    d = _distance_m(records) if distance_m is None else distance_m
    dt = np.diff(t, prepend=t[0])
    dd = np.diff(d, prepend=d[0])
    dt = np.where(np.isfinite(dt) & (dt > 0), dt, 0.0)
    if "moving" in records.columns:
        moving = records["moving"].fillna(False).to_numpy(dtype=bool)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            moving = np.where(dt > 0, dd / dt, 0.0) >= MIN_MOVING_SPEED_M_S
    return np.cumsum(np.where(moving, dt, 0.0))


def best_sustained_speed_m_s(records: pd.DataFrame, min_duration_s: float) -> float | None:
    """Best average speed over any stretch of at least ``min_duration_s`` moving seconds.

    None when the run holds less moving time than that or no distance.
    """
    if "distance_m" not in records.columns or len(records) < 2:
        return None
    d = _distance_m(records)
    clock = moving_clock_s(records, d)
    if clock is None or clock[-1] < min_duration_s:
        return None
    ends = np.searchsorted(clock, clock + min_duration_s, side="left")
    ok = ends < len(clock)
    starts = np.flatnonzero(ok)
    if not len(starts):
        return None
    ends = ends[ok]
    span_s = clock[ends] - clock[starts]
    speeds = (d[ends] - d[starts]) / span_s
    best = float(np.max(speeds))
    return best if math.isfinite(best) and best > 0 else None


def summarize(report: Any, content_hash: str, sustained_s: float) -> ActivitySummary:
    """The summary row of one ``RunReport`` (``.activity``, ``.metrics``, ``.assessment``)."""
    activity, metrics, assessment = report.activity, report.metrics, report.assessment
    key = {
        f.id: {"level": f.level, "value": _clean(f.value), "threshold": _clean(f.threshold),
               "unit": f.unit, "why": f.why, "advice": f.advice}
        for f in assessment.findings
        if f.id in KEY_FINDINGS
    }
    fvl = metrics.first_vs_last
    ratio = fvl.judged_ratio if fvl is not None else None
    avg = _clean(metrics.avg_speed_m_s)
    return ActivitySummary(
        file=activity.source,
        content_hash=content_hash,
        format=activity.format,
        start_time_utc=metrics.start_time_utc or activity.start_time_utc,
        start_time_local=metrics.start_time_local,
        sport=activity.sport,
        sub_sport=activity.sub_sport,
        name=activity.name,
        is_race=bool(activity.is_race),
        race_marked_by=activity.race_marked_by if activity.is_race else None,
        distance_m=float(metrics.distance_m),
        moving_time_s=float(metrics.moving_time_s),
        elapsed_time_s=float(metrics.elapsed_time_s),
        avg_speed_m_s=avg or 0.0,
        temperature_c_mean=_clean(metrics.temperature.mean_c) if metrics.temperature else None,
        heart_rate_mean_bpm=_clean(metrics.heart_rate.mean_bpm) if metrics.heart_rate else None,
        overall=assessment.scores.overall,
        findings=[f.id for f in assessment.findings],
        key_findings=key,
        first_vs_last_ratio=_clean(ratio),
        best_sustained_speed_m_s=best_sustained_speed_m_s(activity.records, sustained_s),
        intensity_speed_m_s=avg,
    )
