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


def temperature_in(celsius: float | None, unit: str) -> float | None:
    """A temperature in the unit system's own scale: °F under "mi", °C under "km"."""
    if not _finite(celsius):
        return None
    return c_to_f(celsius) if unit == "mi" else celsius


def temperature_unit(unit: str) -> str:
    return "°F" if unit == "mi" else "°C"


def format_temperature_only(celsius: float | None, unit: str) -> str:
    """A temperature in the unit system's scale only ("82 °F"): for reports that keep to one system."""
    value = temperature_in(celsius, unit)
    return "–" if value is None else f"{value:.0f} {temperature_unit(unit)}"


def pace_s(speed_m_s: float | None, unit: str) -> float | None:
    """Seconds per mile or per km, None when there is no speed."""
    if not _finite(speed_m_s) or speed_m_s <= 0:
        return None
    return unit_length_m(unit) / speed_m_s


_OTHER = {"mi": "km", "km": "mi"}


def one_unit_system(text: str, unit: str) -> str:
    """A run report's sentence (which gives both systems, "6:54 /mi, 4:17 /km", "3.11 mi (5.00 km)")
    in the ``unit`` system only, for the reports that keep to one: the other system's paces and
    distances are dropped, and "first km" / "last km" read as that distance in ``unit``."""
    other = _OTHER.get(unit)
    if other is None:
        return text
    text = re.sub(rf", \d+:\d\d(?::\d\d)? /{other}\b", "", text)  # "6:54 /mi, 4:17 /km" -> "6:54 /mi"
    text = re.sub(rf" \(\d+(?:\.\d+)? {other}\)", "", text)  # "3.11 mi (5.00 km)" -> "3.11 mi"
    text = re.sub(r"\bmile \(or km\)", "mile" if unit == "mi" else "km", text)  # advice: "the first mile (or km)"
    if unit == "mi":
        text = re.sub(r"\b(first|last|second) km\b", rf"\1 {METERS_PER_KM / METERS_PER_MILE:.2f} mi", text)
    return text
