"""The user's config file (TOML): threshold overrides and the runner profile.

Default location: ``$XDG_CONFIG_HOME/crampcheck/config.toml``, else
``~/.config/crampcheck/config.toml``; a missing default file simply means the defaults.

    [thresholds]            # any name from `crampcheck thresholds`
    heat_moderate_c = 20
    fast_start_high_pct = 4

    [data]
    cramp_log = "~/runs/cramps.sqlite"   # the cramp log (crampcheck cramp ...); default: the user data dir

    [runner]
    body_mass_kg = 68.5
    age = 47
    past_cramps = true      # the strongest known predictor: raises every level one notch
    heavy_sweater = false
    salty_sweater = true    # raises the electrolyte sub-score one notch
    units = "km"            # "mi" | "km"
    hot_hours = [10, 16]    # hours of local solar time counted as the hottest part of the day

Per-run values (weights before/after, fluid drunk, ambient temperature) come from the
command line through ``Config.with_profile``; they are refused in the file.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from crampcheck.errors import ConfigError
from crampcheck.files import read_regular
from crampcheck.risk.thresholds import DEFAULT_THRESHOLDS, HOURS_PER_DAY, Thresholds

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

UNITS = ("mi", "km")
DEFAULT_UNITS = "mi"
TEMPERATURE_RANGE_C = (-60.0, 60.0)  # plausible air temperatures for a run
MAX_CONFIG_BYTES = 1024 * 1024  # a config file is a few hundred bytes


@dataclass(frozen=True)
class RunnerProfile:
    """Who ran, and what they told us about this run. Every field is optional."""

    # from the [runner] table of the config file
    body_mass_kg: float | None = None
    age: int | None = None  # carried for reports; not scored (weak evidence [two-cramps])
    past_cramps: bool | None = None  # None: not said; the cramp log then decides (see cli)
    heavy_sweater: bool = False
    salty_sweater: bool = False
    units: str = DEFAULT_UNITS
    hot_hours: tuple[int, int] | None = None  # None: thresholds hot_hours_start_h/_end_h
    # per run, from the command line only
    weight_before_kg: float | None = None
    weight_after_kg: float | None = None
    fluid_l: float | None = None  # drunk during the run
    urine_l: float | None = None  # passed during the run (sweat-rate formula), 0 when None
    ambient_temp_c: float | None = None  # applied by the metrics layer; carried here
    # why past_cramps is true when the cramp log set it ("you logged 3 cramps, the last on 2024-10-13");
    # left out of repr so that a new log entry does not invalidate the scan cache
    past_cramps_reason: str | None = field(default=None, repr=False)
    humidity_pct: float | None = None  # relative humidity of the air, %; applied by the metrics layer


PROFILE_FILE_KEYS = ("body_mass_kg", "age", "past_cramps", "heavy_sweater", "salty_sweater", "units", "hot_hours")
PROFILE_KEYS = tuple(f.name for f in fields(RunnerProfile))


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_profile(name: str, value: object) -> tuple[object, str | None]:
    """The value to store for profile field ``name`` and the problem with it (None if fine)."""
    if name in ("past_cramps", "heavy_sweater", "salty_sweater"):
        return value, None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    if name == "past_cramps_reason":
        return value, None if isinstance(value, str) else f"expected a text, got {value!r}"
    if name == "units":
        return value, None if value in UNITS else f"expected \"mi\" or \"km\", got {value!r}"
    if name == "age":
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value < 130
        return value, None if ok else f"expected a whole number of years, got {value!r}"
    if name == "hot_hours":
        ok = (
            isinstance(value, (list, tuple)) and len(value) == 2
            and all(isinstance(h, int) and not isinstance(h, bool) and 0 <= h <= HOURS_PER_DAY for h in value)
            and value[0] < value[1]
        )
        return (tuple(value) if ok else value), None if ok else f"expected [start, end] local hours 0-24, start < end, got {value!r}"
    if name == "ambient_temp_c":
        low, high = TEMPERATURE_RANGE_C
        ok = _number(value) and low <= value <= high
        return value, None if ok else f"expected a temperature in degC between {low:g} and {high:g}, got {value!r}"
    if name == "humidity_pct":
        ok = _number(value) and 0 < value <= 100
        return value, None if ok else f"expected a relative humidity in % (above 0, at most 100), got {value!r}"
    if name in ("fluid_l", "urine_l"):
        return value, None if _number(value) and value >= 0 else f"expected a volume in litres >= 0, got {value!r}"
    # body_mass_kg, weight_before_kg, weight_after_kg
    return value, None if _number(value) and value > 0 else f"expected a mass in kg > 0, got {value!r}"


@dataclass(frozen=True)
class Config:
    """Thresholds in force + runner profile (+ the file they came from, if any)."""

    thresholds: Thresholds = DEFAULT_THRESHOLDS
    profile: RunnerProfile = field(default_factory=RunnerProfile)
    path: Path | None = None
    # [data] cramp_log: where the cramp log lives (None: the default); not in repr: it judges nothing
    cramp_log: Path | None = field(default=None, repr=False)

    def with_profile(self, **overrides: object) -> Config:
        """A copy with profile fields replaced (CLI options); ``None`` values are ignored.

        Accepts any RunnerProfile field, e.g. weight_before_kg, weight_after_kg, fluid_l,
        ambient_temp_c, units, past_cramps. Raises ConfigError on an unknown name or bad value.
        """
        changes = {}
        for name, value in overrides.items():
            if value is None:
                continue
            if name not in PROFILE_KEYS:
                raise ConfigError(f"unknown runner setting {name!r} (known: {', '.join(PROFILE_KEYS)})")
            stored, problem = _check_profile(name, value)
            if problem:
                raise ConfigError(f"{name}: {problem}")
            changes[name] = stored
        return replace(self, profile=replace(self.profile, **changes)) if changes else self


def default_config_path() -> Path:
    """``$XDG_CONFIG_HOME/crampcheck/config.toml``, else ``~/.config/crampcheck/config.toml``."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "crampcheck" / "config.toml"


def load_config(path: str | Path | None = None) -> Config:
    """Read the config file; ``None`` means the default location, which may be absent.

    Raises ConfigError (one line: file + key + what is wrong) for an explicit path that is
    missing, unreadable TOML, an unknown table or key, or a value of the wrong type.
    """
    explicit = path is not None
    file = Path(path).expanduser() if explicit else default_config_path()
    if not file.exists():
        if explicit:
            raise ConfigError("config file not found", str(file))
        return Config()
    if file.is_dir():
        raise ConfigError("is a directory, not a config file", str(file))
    raw = read_regular(file, MAX_CONFIG_BYTES, ConfigError)  # a FIFO or device is refused, never read
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", str(file)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read: {exc}", str(file)) from None
    except RecursionError:
        raise ConfigError("invalid TOML: nested too deeply", str(file)) from None
    return parse_config(data, str(file))


def parse_config(data: Mapping[str, object], origin: str) -> Config:
    """Config from already-parsed TOML ``data``; ``origin`` names the file in errors and origins."""
    for table in data:
        if table not in ("thresholds", "runner", "data"):
            raise ConfigError(f"unknown table [{table}] (expected [thresholds], [runner] and/or [data])", origin)
        if not isinstance(data[table], Mapping):
            raise ConfigError(f"{table} must be a table: [{table}]", origin)
    thresholds = DEFAULT_THRESHOLDS
    overrides = data.get("thresholds", {})
    if overrides:
        try:
            thresholds = DEFAULT_THRESHOLDS.with_overrides(overrides, origin)
        except ValueError as exc:
            raise ConfigError(f"[thresholds] {exc}", origin) from None
    profile_values = {}
    for key, value in data.get("runner", {}).items():
        if key not in PROFILE_FILE_KEYS:
            hint = " (a per-run value: give it as a command-line option)" if key in PROFILE_KEYS else ""
            raise ConfigError(f"[runner] {key}: unknown key{hint}", origin)
        stored, problem = _check_profile(key, value)
        if problem:
            raise ConfigError(f"[runner] {key}: {problem}", origin)
        profile_values[key] = stored
    cramp_log = None
    for key, value in data.get("data", {}).items():
        if key != "cramp_log":
            raise ConfigError(f"[data] {key}: unknown key (known: cramp_log)", origin)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"[data] cramp_log: expected a file path, got {value!r}", origin)
        cramp_log = Path(value).expanduser()
    return Config(thresholds=thresholds, profile=RunnerProfile(**profile_values), path=Path(origin), cramp_log=cramp_log)
