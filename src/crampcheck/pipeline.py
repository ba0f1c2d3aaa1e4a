"""The library's front door: path -> Activity -> RunReport (metrics + risk assessment).

The CLI, the history scan and the reports all go through these two functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crampcheck.errors import NoActivityDataError

if TYPE_CHECKING:  # keep start-up light: the heavy modules are imported when used
    from crampcheck.metrics.model import RunMetrics
    from crampcheck.risk.config import Config
    from crampcheck.risk.model import Assessment
    from crampcheck.schema import Activity

MIN_DISTANCE_M = 100.0  # below this there is no pacing to report


@dataclass
class RunReport:
    """One analyzed run: what was read, what was measured, what it means."""

    activity: Activity
    metrics: RunMetrics
    assessment: Assessment
    units: str


def load(path: str | Path, decoder: str = "auto") -> Activity:
    """Read one activity file (FIT, GPX, TCX, optionally gzip-compressed)."""
    from crampcheck import io

    return io.read_path(path, decoder=decoder)


def check_analyzable(activity: Activity) -> None:
    """Raise NoActivityDataError for a swim or an activity without distance to pace."""
    if activity.sport == "swimming":
        raise NoActivityDataError(
            "a swim: pace, splits and the running risk factors do not apply (crampcheck analyzes runs,"
            " and labels rides and walks)",
            activity.source,
        )
    import numpy as np

    records = activity.records
    known = records["distance_m"][np.isfinite(records["distance_m"])] if "distance_m" in records else np.zeros(0)
    distance = float(known.max()) if known.size else float("nan")
    if not distance >= MIN_DISTANCE_M:  # also catches NaN
        what = f"a {activity.sport.replace('_', ' ')} activity" if activity.sport != "unknown" else "this activity"
        covered = "no distance" if distance != distance else f"only {distance:.0f} m"
        raise NoActivityDataError(
            f"{what} with {covered} recorded: no pace, splits or risk factors to report", activity.source
        )


def detection(config: Config):
    """The metrics layer's detection settings from the thresholds table in force."""
    from crampcheck.metrics.air import AirSettings
    from crampcheck.metrics.grade import Terrain
    from crampcheck.metrics.quality import QualitySettings
    from crampcheck.metrics.run import Detection
    from crampcheck.metrics.surges import EffortCheck

    t = config.thresholds
    return Detection(
        surge_threshold_fraction=t.surge_pct / 100.0,
        surge_min_duration_s=t.surge_min_s,
        surge_baseline_s=t.surge_baseline_min * 60.0,
        surge_effort=EffortCheck(
            resume_fraction=t.surge_restart_pct / 100.0,
            downhill_grade=-t.surge_downhill_grade_pct / 100.0,
            hr_rise_bpm=t.surge_hr_rise_bpm,
            min_change_m_s=t.surge_min_change_m_s,
            cadence_rise_spm=t.surge_cadence_rise_spm,
        ),
        jog_min_s=t.jog_min_min * 60.0,
        jog_slower_fraction=t.jog_slower_pct / 100.0,
        opening_window_s=t.warmup_min * 60.0,
        closing_window_s=t.cooldown_min * 60.0,
        drift_min_s=t.hr_drift_min_duration_min * 60.0,
        sustained_s=t.race_overreach_sustained_min * 60.0,
        terrain=Terrain(
            min_factor=t.terrain_min_factor,
            min_factor_grade=t.terrain_min_factor_grade_pct / 100.0,
            hysteresis_m=t.terrain_altitude_hysteresis_m,
            grade_window_m=t.terrain_grade_window_m,
        ),
        quality=QualitySettings(
            gap_s=t.data_gap_h * 3600.0,
            max_foot_speed_m_s=t.impossible_run_speed_m_s,
            max_other_speed_m_s=t.impossible_ride_speed_m_s,
            impossible_min_s=t.impossible_speed_min_s,
            teleport_min_m=t.teleport_min_m,
            sparse_distance_fraction=t.sparse_distance_pct / 100.0,
            duplicate_fraction=t.duplicate_timestamps_pct / 100.0,
            heart_rate_bpm=(t.heart_rate_min_bpm, t.heart_rate_max_bpm),
            temperature_c=(t.temperature_min_c, t.temperature_max_c),
            years=(t.year_min, t.year_max),
            mismatch_min_s=t.moving_mismatch_min_s,
            mismatch_fraction=t.moving_mismatch_pct / 100.0,
        ),
        air=AirSettings(settle_s=t.air_settle_min * 60.0, wrist_quantile=t.wrist_air_quantile_pct / 100.0),
    )


def analyze(activity: Activity, units: str | None = None, config: Config | None = None, charts: bool = True) -> RunReport:
    """Measure the run and assess its cramp risk factors.

    ``units`` ("mi" | "km") overrides the runner profile's units; ``config`` defaults to the
    user's config file (or the built-in defaults when there is none); ``charts=False`` (a scan
    worker: its summary row draws nothing) leaves out ``metrics.chart``.
    """
    from crampcheck.metrics.run import compute
    from crampcheck.risk.assess import assess
    from crampcheck.risk.config import load_config

    config = config if config is not None else load_config(None)
    units = units or config.profile.units
    check_analyzable(activity)
    metrics = compute(
        activity, units=units, ambient_temp_c=config.profile.ambient_temp_c, detection=detection(config),
        humidity_pct=config.profile.humidity_pct, charts=charts,
    )
    return RunReport(activity=activity, metrics=metrics, assessment=assess(metrics, config), units=units)
