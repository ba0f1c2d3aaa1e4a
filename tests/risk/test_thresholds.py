"""The thresholds table: every documented default, its metadata, immutability, overrides."""

from __future__ import annotations

import copy
import pickle

import pytest

from crampcheck.risk.config import Config
from crampcheck.risk.model import EVIDENCE, SUBSCORES
from crampcheck.risk.thresholds import DEFAULT_THRESHOLDS, DEFAULTS, FACTORS, PARAMETERS, Thresholds, threshold_rows

# docs/risk-model.md, threshold by threshold
DOCUMENTED = {
    "fast_start_moderate_pct": 2, "fast_start_high_pct": 5, "first10_pct": 5,
    "positive_split_pct": 3, "final_quarter_pct": 8,
    "warmup_min": 5, "warmup_slower_pct": 5, "cooldown_min": 5, "cooldown_slower_pct": 5,
    "long_run_note_min": 60, "long_run_moderate_min": 90, "long_run_high_min": 150,
    "heat_moderate_c": 22, "heat_high_c": 28, "hot_hours_start_h": 10, "hot_hours_end_h": 16,
    "surge_pct": 15, "surge_min_s": 20, "surge_baseline_min": 5,
    "hr_drift_moderate_pct": 5, "hr_drift_high_pct": 10, "hr_drift_min_duration_min": 45,
    "downhill_m_per_km": 20, "fluid_loss_moderate_pct": 2, "fluid_loss_high_pct": 3,
    "distance_spike_window_days": 30, "distance_spike_moderate_pct": 10, "distance_spike_high_pct": 30,
    "distance_spike_very_high_pct": 100, "weekly_ramp_chronic_weeks": 4, "weekly_ramp_moderate_ratio": 1.3,
    "weekly_ramp_high_ratio": 1.5, "hard_quantile": 0.75, "hard_streak_moderate_days": 2, "hard_streak_high_days": 3,
    "no_rest_moderate_days": 7, "no_rest_high_days": 10, "race_overreach_window_weeks": 8,
    "race_overreach_sustained_min": 20, "race_overreach_distance_pct": 10, "race_distance_tolerance_pct": 3,
}


@pytest.mark.parametrize("name, value", sorted(DOCUMENTED.items()))
def test_documented_default(name, value):
    assert getattr(DEFAULT_THRESHOLDS, name) == value
    assert DEFAULT_THRESHOLDS.origin(name) == "default"


def test_every_parameter_is_documented_with_unit_source_and_evidence():
    assert len({p.name for p in PARAMETERS}) == len(PARAMETERS)
    for p in PARAMETERS:
        assert p.unit and p.description and p.source, p.name
        assert p.evidence in EVIDENCE, p.name
        assert p.factor in FACTORS, p.name
        assert p.evidence == FACTORS[p.factor].evidence


def test_factor_table_uses_known_subscores_and_evidence():
    assert {info.subscore for info in FACTORS.values()} <= set(SUBSCORES)
    assert {info.evidence for info in FACTORS.values()} <= set(EVIDENCE)
    # the two headline evidence levels of docs/risk-model.md
    assert FACTORS["fast_start"].evidence == "moderate"
    assert FACTORS["no_warmup"].evidence == "expert-opinion"


def test_thresholds_pickle_with_their_origins():
    t = DEFAULT_THRESHOLDS.with_overrides({"heat_high_c": 30}, "/c.toml")
    back = pickle.loads(pickle.dumps(t))
    assert back == t and back.heat_high_c == 30 and back.origin("heat_high_c") == "/c.toml"
    assert copy.deepcopy(t).origin("heat_high_c") == "/c.toml"


def test_thresholds_are_immutable():
    with pytest.raises(AttributeError):
        DEFAULT_THRESHOLDS.heat_high_c = 40
    with pytest.raises(AttributeError, match="no threshold named"):
        DEFAULT_THRESHOLDS.not_a_threshold  # noqa: B018


def test_with_overrides_changes_value_and_origin_only_there():
    t = DEFAULT_THRESHOLDS.with_overrides({"heat_moderate_c": 20}, "/cfg.toml")
    assert t.heat_moderate_c == 20 and t.origin("heat_moderate_c") == "/cfg.toml"
    assert t.heat_high_c == 28 and t.origin("heat_high_c") == "default"
    assert DEFAULT_THRESHOLDS.heat_moderate_c == 22  # the original is untouched
    assert t != DEFAULT_THRESHOLDS and Thresholds() == DEFAULT_THRESHOLDS


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"nope_pct": 1}, "nope_pct: unknown threshold"),
        ({"heat_high_c": "hot"}, "heat_high_c: expected a number"),
        ({"heat_high_c": True}, "heat_high_c: expected a number"),
        ({"hot_hours_start_h": 11.5}, "hot_hours_start_h: expected a whole number"),
        ({"downhill_m_per_km": -1}, "downhill_m_per_km: must be at least 0"),
        ({"hot_hours_end_h": 25}, "hot_hours_end_h: must be at most 24"),
        ({"heat_moderate_c": 30}, "heat_moderate_c: heat_moderate_c (30) must not exceed heat_high_c (28)"),
    ],
)
def test_bad_overrides_are_refused(overrides, message):
    with pytest.raises(ValueError) as info:
        DEFAULT_THRESHOLDS.with_overrides(overrides, "x.toml")
    assert str(info.value).startswith(message)


def test_threshold_rows_cover_the_table_with_origin():
    t = DEFAULT_THRESHOLDS.with_overrides({"long_run_high_min": 120}, "/home/r/c.toml")
    rows = threshold_rows(Config(thresholds=t))
    assert [r["name"] for r in rows] == [p.name for p in PARAMETERS]
    row = {r["name"]: r for r in rows}["long_run_high_min"]
    assert row == {**row, "value": 120, "unit": "min", "origin": "/home/r/c.toml", "evidence": "moderate"}
    assert {r["origin"] for r in rows} == {"default", "/home/r/c.toml"}
    assert set(rows[0]) >= {"name", "value", "unit", "source", "evidence", "origin"}
    assert threshold_rows()[0]["value"] == DEFAULTS[rows[0]["name"]].value
