"""Results of ``scan`` and ``races`` and their JSON contracts.

``HistoryResult.to_dict()`` -> ``crampcheck.history/1``; ``RacesResult.to_dict()`` ->
``crampcheck.races/1``. Fields may be added, never renamed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from crampcheck.history.factors import HistoryFinding
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.summary import ActivitySummary
from crampcheck.history.weekly import WeekSummary

HISTORY_SCHEMA = "crampcheck.history/1"
RACES_SCHEMA = "crampcheck.races/1"


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str


@dataclass(frozen=True)
class Duplicate:
    file: str  # the copy left out
    kept: str  # the copy counted
    reason: str  # "same file content" | "same run (start and time or distance)"


@dataclass
class ScanStats:
    """How the scan got its rows (the cache tests count ``parsed``)."""

    sources: int = 0  # candidate files seen
    parsed: int = 0  # files read in full by a reader
    from_cache: int = 0  # outcomes taken from the cache by name, size and stamp
    from_cache_by_hash: int = 0  # outcomes taken from the cache by content (moved or touched files)
    peeked: int = 0  # non-activity FIT files recognized from their header alone
    cache_rebuilt: bool = False  # the cache had another version and was emptied


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def activity_json(row: ActivitySummary) -> dict[str, Any]:
    """One entry of ``activities`` (contract fields first, then extras)."""
    return {
        "file": row.file,
        "start_time_utc": _iso(row.start_time_utc),
        "start_time_local": _iso(row.start_time_local),
        "sport": row.sport,
        "name": row.name,
        "distance_m": row.distance_m,
        "moving_time_s": row.moving_time_s,
        "temperature_c_mean": row.temperature_c_mean,
        "overall": row.overall,
        "findings": list(row.findings),
        # extras
        "format": row.format,
        "sub_sport": row.sub_sport,
        "is_race": row.is_race,
        "race_marked_by": row.race_marked_by,
        "elapsed_time_s": row.elapsed_time_s,
        "avg_speed_m_s": row.avg_speed_m_s,
        "content_hash": row.content_hash,
        "short_id": row.short_id,
        "heart_rate_mean_bpm": row.heart_rate_mean_bpm,
        "shape": row.shape,
        "first_vs_last_ratio": row.first_vs_last_ratio,
        "air": {"temperature_c": row.air_temperature_c, "humidity_pct": row.air_humidity_pct,
                "heat_index_c": row.air_heat_index_c, "source": row.air_source, "kind": row.air_kind}
        if row.air_temperature_c is not None else None,
    }


@dataclass
class HistoryResult:
    """A scanned training history: rows in the date window, sorted by start time."""

    activities: list[ActivitySummary]
    history_findings: list[HistoryFinding]
    weeks: list[WeekSummary]
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    non_activity: dict[str, int] = field(default_factory=dict)  # FIT file type -> count
    other_sports: dict[str, int] = field(default_factory=dict)  # left out by the sport filter
    stats: ScanStats = field(default_factory=ScanStats)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the scan itself (cache left alone, moved aside, off)
    thresholds: HistoryThresholds = field(default_factory=HistoryThresholds)  # in force for the factors
    cramps: list[dict[str, Any]] = field(default_factory=list)  # the runner's cramped runs (history.cramps.attach)
    cramp_patterns: dict[str, Any] | None = None  # what came before them (history.cramps.attach)
    digest: dict[str, Any] = field(default_factory=dict)  # history/digest.py: top items, monthly counts, notes
    factors: list[dict[str, Any]] = field(default_factory=list)  # history findings grouped by factor, ranked

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": HISTORY_SCHEMA,
            "activities": [activity_json(r) for r in self.activities],
            "history_findings": [f.to_json() for f in self.history_findings],
            "weeks": [w.to_json() for w in self.weeks],
            "skipped": [asdict(s) for s in self.skipped],
            "duplicates": [asdict(d) for d in self.duplicates],
            "non_activity": dict(self.non_activity),
            "other_sports": dict(self.other_sports),
            "stats": asdict(self.stats),
            "notes": list(self.notes),
            "warnings": list(self.warnings),
            "thresholds": asdict(self.thresholds),
            "cramps": list(self.cramps),
            "cramp_patterns": self.cramp_patterns,
            "digest": self.digest,
            "factors": self.factors,
        }


@dataclass
class RaceEntry:
    row: ActivitySummary
    detected_by: str  # file | export | name | heuristic | given
    findings: list[dict[str, Any]]  # fast_start, positive_split, race_overreach: id, level, value, ...
    worst: str  # worst level among the findings, "low" when none
    cramp: dict[str, Any] | None = None  # the runner's cramp in this race (history.cramps), if any
    prediction: dict[str, Any] | None = None  # races.prediction: Riegel time from recent best efforts
    earlier: list[dict[str, Any]] = field(default_factory=list)  # earlier races at that distance, latest first
    personal_best: dict[str, Any] | None = None  # fastest finish at that distance (this race included)
    distance_label: str | None = None  # "10 km", "half marathon"... when a standard distance

    def to_json(self) -> dict[str, Any]:
        row = self.row
        return {
            "file": self.row.file,
            "start_time_utc": _iso(self.row.start_time_utc),
            "distance_m": self.row.distance_m,
            "detected_by": self.detected_by,
            "findings": self.findings,
            # extras
            "name": self.row.name,
            "start_time_local": _iso(self.row.start_time_local),
            "moving_time_s": self.row.moving_time_s,
            "avg_speed_m_s": self.row.avg_speed_m_s,
            "first_vs_last_ratio": self.row.first_vs_last_ratio,
            "worst": self.worst,
            "cramp": self.cramp,
            "elapsed_time_s": row.elapsed_time_s,
            "finish_time_s": row.elapsed_time_s,
            "first_half_speed_m_s": row.first_half_speed_m_s,
            "split_times_s": list(row.split_times_s),
            "split_unit": row.split_unit,
            "heart_rate_mean_bpm": row.heart_rate_mean_bpm,
            "temperature_c_mean": row.temperature_c_mean,
            "distance_label": self.distance_label,
            "prediction": self.prediction,
            "earlier_races": self.earlier,
            "personal_best": self.personal_best,
        }


@dataclass
class RacesResult:
    races: list[RaceEntry]  # worst first
    history: HistoryResult | None = None  # the scan behind it (skips, duplicates...)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": RACES_SCHEMA, "races": [r.to_json() for r in self.races]}
        if self.history is not None:
            out["skipped"] = [asdict(s) for s in self.history.skipped]
        return out
