"""Units and their display: miles and kilometres are both first-class.

Everything inside crampcheck is SI (metres, seconds, m/s, deg C); these helpers turn
values into what a runner reads ("7:45 /mi", "6.21 mi", "1:02:03", "28 °C (82 °F)").
"""

from __future__ import annotations

import math
import re

METERS_PER_MILE = 1609.344
METERS_PER_KM = 1000.0
UNITS = ("mi", "km")


def unit_length_m(unit: str) -> float:
    """Length of one split unit ("mi" or "km"), metres."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: use 'mi' or 'km'")
    return METERS_PER_MILE if unit == "mi" else METERS_PER_KM


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def format_duration(seconds: float | None) -> str:
    """Seconds as h:mm:ss (or m:ss under an hour)."""
    if not _finite(seconds):
        return "–"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_pace(speed_m_s: float | None, unit: str) -> str:
    """Speed (m/s) as pace per unit, e.g. "7:45 /mi"."""
    if not _finite(speed_m_s) or speed_m_s <= 0:
        return "–"
    return f"{format_duration(unit_length_m(unit) / speed_m_s)} /{unit}"


def format_distance(meters: float | None, unit: str, digits: int = 2) -> str:
    """Metres as miles or kilometres, e.g. "6.21 mi"."""
    if not _finite(meters):
        return "–"
    return f"{meters / unit_length_m(unit):.{digits}f} {unit}"


def c_to_f(celsius: float) -> float:
    """Degrees Celsius to Fahrenheit."""
    return celsius * 9.0 / 5.0 + 32.0


def f_to_c(fahrenheit: float) -> float:
    """Degrees Fahrenheit to Celsius."""
    return (fahrenheit - 32.0) * 5.0 / 9.0


_TEMPERATURE_TEXT = re.compile(r"\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*(?:°|deg)?\s*([cCfF]?)\s*")


def parse_temperature_c(text: str) -> float | None:
    """A temperature typed by a user, in deg C: "24", "24C", "24 °C", "75F", "-3.5c"; None when unreadable."""
    match = _TEMPERATURE_TEXT.fullmatch(text)
    if not match:
        return None
    value = float(match.group(1))
    return f_to_c(value) if match.group(2).lower() == "f" else value


def format_temperature(celsius: float | None, unit: str) -> str:
    """Temperature in the unit system's scale first, the other in brackets."""
    if not _finite(celsius):
        return "–"
    if unit == "mi":
        return f"{c_to_f(celsius):.0f} °F ({celsius:.0f} °C)"
    return f"{celsius:.0f} °C ({c_to_f(celsius):.0f} °F)"
