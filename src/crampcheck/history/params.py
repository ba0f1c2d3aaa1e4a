"""The history thresholds in force: a typed view of the risk layer's one threshold table.

Defaults, units and sources live in ``crampcheck.risk.thresholds`` (see its
``PARAMETERS``); the user's config overrides them through ``config.thresholds``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from crampcheck.risk.thresholds import DEFAULT_THRESHOLDS as _T


@dataclass(frozen=True)
class HistoryThresholds:
    """The thresholds the history factors and race detection read (names as in the table)."""

    distance_spike_window_days: int = _T.distance_spike_window_days
    distance_spike_moderate_pct: float = _T.distance_spike_moderate_pct
    distance_spike_high_pct: float = _T.distance_spike_high_pct
    distance_spike_very_high_pct: float = _T.distance_spike_very_high_pct
    weekly_ramp_chronic_weeks: int = _T.weekly_ramp_chronic_weeks
    weekly_ramp_moderate_ratio: float = _T.weekly_ramp_moderate_ratio
    weekly_ramp_high_ratio: float = _T.weekly_ramp_high_ratio
    hard_quantile: float = _T.hard_quantile
    hard_streak_moderate_days: int = _T.hard_streak_moderate_days
    hard_streak_high_days: int = _T.hard_streak_high_days
    long_run_moderate_min: float = _T.long_run_moderate_min  # a run this long counts as a hard day
    no_rest_moderate_days: int = _T.no_rest_moderate_days
    no_rest_high_days: int = _T.no_rest_high_days
    race_overreach_window_weeks: int = _T.race_overreach_window_weeks
    race_overreach_sustained_min: float = _T.race_overreach_sustained_min
    race_overreach_pace_pct: float = _T.race_overreach_pace_pct
    race_overreach_effort_min: float = _T.race_overreach_effort_min
    race_overreach_distance_pct: float = _T.race_overreach_distance_pct
    race_distance_tolerance_pct: float = _T.race_distance_tolerance_pct
    cramp_pattern_min_runs: int = _T.cramp_pattern_min_runs
    cramp_pattern_min_share_pct: float = _T.cramp_pattern_min_share_pct
    cramp_pattern_margin_pct: float = _T.cramp_pattern_margin_pct
    cramp_compare_distance_pct: float = _T.cramp_compare_distance_pct
    predicted_fast_pct: float = _T.predicted_fast_pct
    heat_acclim_window_days: int = _T.heat_acclim_window_days
    heat_acclim_warm_c: float = _T.heat_acclim_warm_c
    heat_acclim_hot_c: float = _T.heat_acclim_hot_c
    heat_acclim_min_runs: int = _T.heat_acclim_min_runs
    race_distance_long_pct: float = _T.race_distance_long_pct
    race_standout_pct: float = _T.race_standout_pct
    race_standout_min_runs: int = _T.race_standout_min_runs
    race_predict_window_weeks: int = _T.race_predict_window_weeks
    riegel_exponent: float = _T.riegel_exponent
    break_min_weeks: int = _T.break_min_weeks
    return_moderate_pct: float = _T.return_moderate_pct
    return_high_pct: float = _T.return_high_pct
    return_min_base_weeks: int = _T.return_min_base_weeks
    digest_weight_strong: float = _T.digest_weight_strong
    digest_weight_moderate: float = _T.digest_weight_moderate
    digest_weight_weak: float = _T.digest_weight_weak
    digest_weight_expert: float = _T.digest_weight_expert
    digest_recency_half_life_weeks: float = _T.digest_recency_half_life_weeks
    digest_weeks: int = _T.digest_weeks

    def evidence_weight(self, evidence: str) -> float:
        """The digest's weight of an evidence level (strong, moderate, weak, expert-opinion)."""
        return {"strong": self.digest_weight_strong, "moderate": self.digest_weight_moderate,
                "weak": self.digest_weight_weak}.get(evidence, self.digest_weight_expert)


def thresholds_from_config(config: Any = None) -> HistoryThresholds:
    """The history thresholds of ``config.thresholds`` (risk ``Thresholds``), defaults when None."""
    table = getattr(config, "thresholds", None) if config is not None else None
    if table is None:
        return HistoryThresholds()
    return HistoryThresholds(**{f.name: getattr(table, f.name) for f in fields(HistoryThresholds)})
