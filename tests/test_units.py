"""The ground floor's unit helpers: one unit system per report, the user's."""

from __future__ import annotations

import pytest

from crampcheck.units import (
    format_gradient,
    format_height,
    format_mass,
    format_temperature,
    format_volume,
    pace_s,
    span_name,
    temperature_in,
)


def test_temperatures_and_paces_in_the_users_system():
    assert temperature_in(20.0, "mi") == pytest.approx(68.0) and temperature_in(20.0, "km") == 20.0
    assert format_temperature(28.0, "mi") == "82 °F" and format_temperature(28.0, "km") == "28 °C"
    assert format_temperature(28.94, "km", 1) == "28.9 °C"
    assert format_temperature(None, "mi") == "–"
    assert pace_s(1609.344 / 480, "mi") == pytest.approx(480.0) and pace_s(0, "km") is None


def test_heights_and_gradients_metres_with_km_feet_with_miles():
    assert format_height(373.0, "km") == "373 m" and format_height(373.0, "mi") == "1224 ft"  # 373 / 0.3048 = 1223.8
    assert format_gradient(26.6, "km", 1) == "26.6 m per km"
    assert format_gradient(26.6, "mi") == "140 ft per mile"  # 1 m/km = 5.28 ft per mile exactly: 140.4
    assert format_gradient(20.0, "mi") == "106 ft per mile" and format_gradient(None, "km") == "–"
    assert format_gradient(24.0, "km", what="climbing") == "24 m of climbing per km"
    assert format_gradient(24.0, "mi", what="descent") == "127 ft of descent per mile"  # 126.7


def test_volumes_and_masses_in_one_system():
    assert format_volume(1.2, "km") == "1.20 L" and format_volume(0.473, "km") == "470 mL"
    assert format_volume(1.2, "mi") == "41 oz"  # 1200 / 29.5735 = 40.6
    assert format_mass(1.5, "km") == "1.50 kg" and format_mass(1.5, "mi") == "3.31 lb"
    assert format_volume(float("nan"), "km") == "–" and format_mass(None, "mi") == "–"


def test_a_kilometre_named_in_miles():
    """The 1 km stretches that fast start compares whatever the units: "first km" or "first 0.62 mi"."""
    assert span_name(1000.0, "km") == "km" and span_name(1000.0, "mi") == "0.62 mi"
    assert span_name(1609.344, "mi") == "mile" and span_name(2000.0, "km") == "2.0 km"
