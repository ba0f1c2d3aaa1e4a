"""Units and their display: miles and kilometres are both first-class.

Everything inside crampcheck is SI (metres, seconds, m/s, deg C); these helpers turn
values into what a runner reads ("7:45 /mi", "6.21 mi", "1:02:03", "28 °C"), in one unit
system per report, the user's: under "km" km, /km, m, m per km, °C, L, mL and kg; under "mi"
mi, /mi, ft, ft per mile, °F, oz and lb.
"""

from __future__ import annotations

import math
import re

METERS_PER_MILE = 1609.344
METERS_PER_KM = 1000.0
METERS_PER_FOOT = 0.3048  # exact by definition
ML_PER_US_FL_OZ = 29.5735295625  # exact by definition
LB_PER_KG = 2.2046226218  # 1 / 0.45359237
ML_ROUNDING = 10  # volumes in mL are rounded to the nearest 10 mL (what a bottle shows)
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


def temperature_in(celsius: float | None, unit: str) -> float | None:
    """A temperature in the unit system's own scale: °F under "mi", °C under "km"."""
    if not _finite(celsius):
        return None
    return c_to_f(celsius) if unit == "mi" else celsius


def temperature_unit(unit: str) -> str:
    return "°F" if unit == "mi" else "°C"


def format_temperature(celsius: float | None, unit: str, digits: int = 0) -> str:
    """A temperature in the unit system's scale ("82 °F" under "mi", "28 °C" under "km")."""
    value = temperature_in(celsius, unit)
    return "–" if value is None else f"{value:.{digits}f} {temperature_unit(unit)}"


def format_height(meters: float | None, unit: str) -> str:
    """A climb or descent: metres with km, feet with miles ("373 m", "1224 ft")."""
    if not _finite(meters):
        return "–"
    return f"{meters / METERS_PER_FOOT:.0f} ft" if unit == "mi" else f"{meters:.0f} m"


def format_gradient(m_per_km: float | None, unit: str, digits: int = 0, what: str = "") -> str:
    """Climb or descent per distance: "26.6 m per km", or "140 ft per mile" under "mi"; with
    ``what`` ("descent"): "26.6 m of descent per km"."""
    if not _finite(m_per_km):
        return "–"
    of = f" of {what}" if what else ""
    if unit == "mi":
        return f"{m_per_km * METERS_PER_MILE / METERS_PER_KM / METERS_PER_FOOT:.0f} ft{of} per mile"
    return f"{m_per_km:.{digits}f} m{of} per km"


def format_volume(litres: float | None, unit: str) -> str:
    """A volume: "1.20 L" (under 1 L: "470 mL", to 10 mL), or "41 oz" under "mi"."""
    if not _finite(litres):
        return "–"
    if unit == "mi":
        return f"{litres * 1000 / ML_PER_US_FL_OZ:.0f} oz"
    if abs(litres) < 1:
        return f"{round(litres * 1000 / ML_ROUNDING) * ML_ROUNDING:.0f} mL"
    return f"{litres:.2f} L"


def format_mass(kg: float | None, unit: str) -> str:
    """A body mass: "1.50 kg", or "3.31 lb" under "mi"."""
    if not _finite(kg):
        return "–"
    return f"{kg * LB_PER_KG:.2f} lb" if unit == "mi" else f"{kg:.2f} kg"


def span_name(meters: float, unit: str) -> str:
    """A fixed stretch named in the unit system: 1000 m is "km" under "km", "0.62 mi" under "mi"
    ("your first km", "your first 0.62 mi"); a whole mile is "mile"."""
    if unit == "km" and meters == METERS_PER_KM:
        return "km"
    if unit == "mi" and meters == METERS_PER_MILE:
        return "mile"
    return format_distance(meters, unit, 2 if unit == "mi" else 1)


def pace_s(speed_m_s: float | None, unit: str) -> float | None:
    """Seconds per mile or per km, None when there is no speed."""
    if not _finite(speed_m_s) or speed_m_s <= 0:
        return None
    return unit_length_m(unit) / speed_m_s
