"""The per-activity summary row: what the history table, history factors and races need.

A row is small (no records): a scan keeps one row per file and drops the run itself, so a
history of thousands of runs fits in memory. Rows round-trip through JSON for the cache.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

# The per-run findings a race report repeats (their level, value and reason are kept).
KEY_FINDINGS = ("fast_start", "positive_split")
FORMAT_RICHNESS = {"fit": 3, "tcx": 2, "gpx": 1}  # which copy of one run to keep
SHORT_ID_CHARS = 8  # a run's short id, as a scan prints it: the start of its content hash


def short_id(content_hash: str) -> str:
    """The id a scan prints for a run (``crampcheck cramp add ID`` takes it)."""
    return content_hash[:SHORT_ID_CHARS]


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
    first_vs_last_ratio: float | None = None  # first / last km speed as fast_start judges it (Pacing.compared)
    best_sustained_speed_m_s: float | None = None  # best speed held over race_overreach_sustained_min of moving time (metrics)
    intensity_speed_m_s: float | None = None  # hard-day measure: average moving speed, m/s
    finding_levels: dict[str, str] = field(default_factory=dict)  # id -> level of every run finding
    texts: list[list[str]] = field(default_factory=list)  # [where, text] the runner wrote (file, export)
    first_half_speed_m_s: float | None = None  # moving speed over the first half of the distance (metrics)
    split_times_s: list[float] = field(default_factory=list)  # moving time of each mile/km split (units of the scan)
    split_unit: str | None = None  # "mi" | "km": the unit of split_times_s
    shape: str | None = None  # the session's shape (metrics.shape.kind: steady, intervals, fade...)
    # the air the run was in (metrics.air, or the export's weather columns, which win)
    air_temperature_c: float | None = None
    air_humidity_pct: float | None = None
    air_heat_index_c: float | None = None  # NWS heat index (None without humidity)
    air_source: str | None = None  # where the reading came from, in words
    air_kind: str | None = None  # user | export | weather | sensor | watch (schema.AIR_KINDS)

    # --- derived --------------------------------------------------------------------------
    @property
    def day(self) -> date | None:
        """The calendar day of the start: local when known, else UTC."""
        start = self.start_time_local or self.start_time_utc
        return start.date() if start else None

    @property
    def short_id(self) -> str:
        return short_id(self.content_hash)

    @property
    def air_judged_c(self) -> float | None:
        """What heat is judged on: the heat index when humidity is known, else the air temperature."""
        return self.air_heat_index_c if self.air_heat_index_c is not None else self.air_temperature_c

    @property
    def richness(self) -> tuple[int, int, int]:
        """Which copy of one run to keep: the richer format, then heart rate, then temperature."""
        return (FORMAT_RICHNESS.get(self.format, 0), self.heart_rate_mean_bpm is not None,
                self.temperature_c_mean is not None)

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


def summarize(report: Any, content_hash: str) -> ActivitySummary:
    """The summary row of one ``RunReport`` (``.activity``, ``.metrics``, ``.assessment``)."""
    activity, metrics, assessment = report.activity, report.metrics, report.assessment
    key = {
        f.id: {"level": f.level, "value": _clean(f.value), "threshold": _clean(f.threshold),
               "unit": f.unit, "why": f.why, "advice": f.advice}
        for f in assessment.findings
        if f.id in KEY_FINDINGS
    }
    start = metrics.pacing.compared("first_km_m_s", "last_km_m_s") if metrics.pacing else None
    ratio = 1.0 + start[0] / 100.0 if start else None  # the first vs last km that fast_start judges
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
        best_sustained_speed_m_s=_clean(metrics.best_sustained_speed_m_s),
        intensity_speed_m_s=avg,
        finding_levels={f.id: f.level for f in assessment.findings},
        texts=[[where, text] for where, text in activity.texts],
        first_half_speed_m_s=_clean(metrics.first_half_speed_m_s),
        split_times_s=[round(float(s.time_s), 1) for s in metrics.splits if not s.partial],
        split_unit=metrics.units,
        shape=metrics.shape.kind if getattr(metrics, "shape", None) else None,
        **air_fields(metrics.air),
    )


def air_fields(air: Any) -> dict[str, Any]:
    """The row's air_* fields from a ``metrics.model.AirStats`` (all None without one)."""
    if air is None:
        return {}
    return dict(
        air_temperature_c=_clean(air.temperature_c), air_humidity_pct=_clean(air.humidity_pct),
        air_heat_index_c=_clean(air.heat_index_c), air_source=air.source, air_kind=air.kind,
    )
