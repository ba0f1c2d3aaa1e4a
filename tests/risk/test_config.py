"""The TOML config: default location, threshold overrides, runner profile, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from crampcheck.errors import ConfigError
from crampcheck.risk.assess import assess
from crampcheck.risk.config import Config, RunnerProfile, default_config_path, load_config

from .builders import easy_run


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_location_absent_means_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    config = load_config(None)
    assert config == Config() and config.path is None
    assert config.profile == RunnerProfile() and config.profile.units == "mi"


def test_default_location_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "crampcheck").mkdir()
    path = write(tmp_path / "crampcheck", "[runner]\nage = 50\n")
    assert default_config_path() == path
    config = load_config(None)
    assert config.profile.age == 50 and config.path == path


def test_default_location_without_xdg_is_home_dot_config(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_config_path() == tmp_path / ".config" / "crampcheck" / "config.toml"


def test_full_file_is_read(tmp_path):
    path = write(tmp_path, """
[thresholds]
heat_moderate_c = 20
fast_start_high_pct = 4.5

[runner]
body_mass_kg = 68.5
age = 47
past_cramps = true
heavy_sweater = false
salty_sweater = true
units = "km"
hot_hours = [10, 17]
""")
    config = load_config(path)
    assert config.thresholds.heat_moderate_c == 20 and config.thresholds.fast_start_high_pct == 4.5
    assert config.thresholds.origin("heat_moderate_c") == str(path)
    assert config.thresholds.origin("heat_high_c") == "default"
    assert config.profile == RunnerProfile(
        body_mass_kg=68.5, age=47, past_cramps=True, heavy_sweater=False, salty_sweater=True, units="km", hot_hours=(10, 17)
    )


def test_override_changes_the_outcome_and_origin_names_the_file(tmp_path):
    metrics = easy_run(40, temperature_c=21.0)
    assert [f.id for f in assess(metrics, Config()).findings] == []
    path = write(tmp_path, "[thresholds]\nheat_moderate_c = 20.5\n")
    config = load_config(str(path))
    heat = [f for f in assess(metrics, config).findings if f.id == "heat"]
    assert [(f.level, f.threshold) for f in heat] == [("moderate", 20.5)]
    assert config.thresholds.origin("heat_moderate_c") == str(path)


@pytest.mark.parametrize(
    "text, message",
    [
        ("[thresholds]\nheat_max = 3\n", "[thresholds] heat_max: unknown threshold"),
        ('[thresholds]\nheat_high_c = "30"\n', "[thresholds] heat_high_c: expected a number"),
        ("[thresholds]\nheat_high_c = true\n", "[thresholds] heat_high_c: expected a number"),
        ("[thresholds]\nheat_high_c = 10\n", "[thresholds] heat_high_c: heat_moderate_c (22) must not exceed"),
        ("[runner]\nweight_kg = 70\n", "[runner] weight_kg: unknown key"),
        ("[runner]\nweight_before_kg = 70\n", "[runner] weight_before_kg: unknown key (a per-run value"),
        ('[runner]\nunits = "miles"\n', '[runner] units: expected "mi" or "km"'),
        ('[runner]\npast_cramps = "yes"\n', "[runner] past_cramps: expected true or false"),
        ("[runner]\nage = 47.5\n", "[runner] age: expected a whole number"),
        ("[runner]\nbody_mass_kg = 0\n", "[runner] body_mass_kg: expected a mass in kg > 0"),
        ("[runner]\nhot_hours = [16, 11]\n", "[runner] hot_hours: expected [start, end]"),
        ("[runner]\nhot_hours = [11]\n", "[runner] hot_hours: expected [start, end]"),
        ("[profile]\nage = 4\n", "unknown table [profile]"),
        ("thresholds = 3\n", "thresholds must be a table"),
        ("[thresholds\n", "invalid TOML"),
    ],
)
def test_bad_config_is_one_line_naming_file_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    line = str(info.value)
    assert line.startswith(f"{path}: {message}"), line
    assert "\n" not in line and info.value.path == str(path)


def test_explicit_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "none.toml")
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(tmp_path)


def test_with_profile_applies_cli_overrides_and_ignores_none():
    base = Config()
    config = base.with_profile(weight_before_kg=70.0, weight_after_kg=68.5, fluid_l=0.5, ambient_temp_c=31.0, units="km", past_cramps=None)
    p = config.profile
    assert (p.weight_before_kg, p.weight_after_kg, p.fluid_l, p.ambient_temp_c, p.units, p.past_cramps) == (70.0, 68.5, 0.5, 31.0, "km", None)
    assert base.profile == RunnerProfile()  # immutable
    assert base.with_profile(units=None) is base


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"weight_before": 70}, "unknown runner setting 'weight_before'"),
        ({"weight_after_kg": -1}, "weight_after_kg: expected a mass in kg > 0"),
        ({"fluid_l": -0.1}, "fluid_l: expected a volume in litres >= 0"),
        ({"ambient_temp_c": 80}, "ambient_temp_c: expected a temperature in degC"),
        ({"units": "m"}, 'units: expected "mi" or "km"'),
    ],
)
def test_with_profile_refuses_bad_values(overrides, message):
    with pytest.raises(ConfigError) as info:
        Config().with_profile(**overrides)
    assert str(info.value).startswith(message)
