"""Tiny formatters for the ``why`` sentences, in the report's one unit system (``units``):
"5:00 /km", "5.00 km", "470-710 mL", "1.50 kg" under km; "8:03 /mi", "3.11 mi", "16-24 oz",
"3.31 lb" under mi.
"""

from __future__ import annotations

from crampcheck.units import (
    ML_PER_US_FL_OZ,
    ML_ROUNDING,
    format_distance,
    format_duration,
    format_mass,
    format_pace,
    format_temperature,
    format_volume,
)


def pace(speed_m_s: float, units: str) -> str:
    """Pace per mile or per km: "8:03 /mi" (sits inside brackets)."""
    return format_pace(speed_m_s, units)


def distance(meters: float, units: str) -> str:
    """Distance in miles or km: "3.11 mi"."""
    return format_distance(meters, units)


def clock(seconds: float) -> str:
    """Moving time as m:ss or h:mm:ss."""
    return format_duration(seconds)


def minutes(seconds: float) -> str:
    """Seconds as whole minutes, "95 min"."""
    return f"{seconds / 60:.0f} min"


def oz_to_ml(oz: float) -> int:
    """US fluid ounces to mL, rounded to the nearest 10 mL."""
    return int(round(oz * ML_PER_US_FL_OZ / ML_ROUNDING) * ML_ROUNDING)


def volume_range(low_oz: float, high_oz: float, units: str) -> str:
    """A range of the sources' ounce figures: "16-24 oz", or "470-710 mL" under km (an en dash between)."""
    return f"{low_oz:g}–{high_oz:g} oz" if units == "mi" else f"{oz_to_ml(low_oz)}–{oz_to_ml(high_oz)} mL"


def litres(volume_l: float, units: str) -> str:
    """A volume: "1.20 L", or "41 oz" under mi."""
    return format_volume(volume_l, units)


def mass(kg: float, units: str) -> str:
    """A body mass: "1.50 kg", or "3.31 lb" under mi."""
    return format_mass(kg, units)


def degrees(celsius: float, units: str) -> str:
    """A measured temperature: "28.9 °C" (a tenth of a degree), or "84 °F" under mi."""
    return format_temperature(celsius, units, 0 if units == "mi" else 1)


def limit(celsius: float, units: str) -> str:
    """A threshold of the table (deg C): "28 °C", or "82 °F" under mi."""
    return f"{celsius:g} °C" if units != "mi" else format_temperature(celsius, units)
