"""Tiny formatters for the ``why`` sentences: paces, distances and volumes in both unit systems.

The runner's own unit comes first: "8:03 /mi, 5:00 /km", "3.11 mi (5.00 km)".
"""

from __future__ import annotations

from crampcheck.units import format_distance, format_duration, format_pace

ML_PER_US_FL_OZ = 29.5735295625  # exact by definition
LB_PER_KG = 2.2046226218  # 1 / 0.45359237
ML_ROUNDING = 10  # volumes in mL are rounded to the nearest 10 mL (what a bottle shows)


def _other(units: str) -> str:
    return "km" if units == "mi" else "mi"


def pace(speed_m_s: float, units: str = "mi") -> str:
    """Pace per mile and per km, ``units`` first: "8:03 /mi, 5:00 /km" (sits inside brackets)."""
    return f"{format_pace(speed_m_s, units)}, {format_pace(speed_m_s, _other(units))}"


def distance(meters: float, units: str = "mi") -> str:
    """Distance in miles and km, ``units`` first: "3.11 mi (5.00 km)"."""
    return f"{format_distance(meters, units)} ({format_distance(meters, _other(units))})"


def clock(seconds: float) -> str:
    """Moving time as m:ss or h:mm:ss."""
    return format_duration(seconds)


def minutes(seconds: float) -> str:
    """Seconds as whole minutes, "95 min"."""
    return f"{seconds / 60:.0f} min"


def oz_to_ml(oz: float) -> int:
    """US fluid ounces to mL, rounded to the nearest 10 mL."""
    return int(round(oz * ML_PER_US_FL_OZ / ML_ROUNDING) * ML_ROUNDING)


def _both(imperial: str, metric: str, units: str) -> str:
    """The two unit systems, the user's first: "6-8 oz (180-240 mL)" in miles, the other way in km."""
    return f"{metric} ({imperial})" if units == "km" else f"{imperial} ({metric})"


def volume_range(low_oz: float, high_oz: float, units: str = "mi") -> str:
    """An ounce range with its mL equivalent, the user's unit system first."""
    return _both(f"{low_oz:g}–{high_oz:g} oz", f"{oz_to_ml(low_oz)}–{oz_to_ml(high_oz)} mL", units)


def litres(volume_l: float, units: str = "km") -> str:
    """Litres with their ounce equivalent: "1.20 L (41 oz)" (ounces first in miles)."""
    return _both(f"{volume_l * 1000 / ML_PER_US_FL_OZ:.0f} oz", f"{volume_l:.2f} L", units)


def mass(kg: float, units: str = "km") -> str:
    """Kilograms with pounds: "1.50 kg (3.31 lb)" (pounds first in miles)."""
    return _both(f"{kg * LB_PER_KG:.2f} lb", f"{kg:.2f} kg", units)
