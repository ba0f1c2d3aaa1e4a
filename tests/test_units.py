"""The ground floor's unit helpers that the season reports use."""

from __future__ import annotations

import pytest

from crampcheck.units import format_temperature_only, one_unit_system, pace_s, temperature_in

RUN_WHY = ("Your first km (6:54 /mi, 4:17 /km) was 8.0 % faster than your last km (7:27 /mi, 4:38 /km); "
           "you ran 3.11 mi (5.00 km) in 1:02:03.")


def test_one_unit_system_keeps_the_users_paces_and_distances_only():
    assert one_unit_system(RUN_WHY, "mi") == (
        "Your first 0.62 mi (6:54 /mi) was 8.0 % faster than your last 0.62 mi (7:27 /mi); you ran 3.11 mi in 1:02:03.")
    metric = "Your first km (4:17 /km, 6:54 /mi) was fast; 5.00 km (3.11 mi). Make the first mile (or km) the slowest."
    assert one_unit_system(metric, "km") == "Your first km (4:17 /km) was fast; 5.00 km. Make the first km the slowest."
    assert one_unit_system("Make the first mile (or km) the slowest.", "mi") == "Make the first mile the slowest."


def test_temperatures_and_paces_in_the_users_system():
    assert temperature_in(20.0, "mi") == pytest.approx(68.0) and temperature_in(20.0, "km") == 20.0
    assert format_temperature_only(28.0, "mi") == "82 °F" and format_temperature_only(28.0, "km") == "28 °C"
    assert format_temperature_only(None, "mi") == "–"
    assert pace_s(1609.344 / 480, "mi") == pytest.approx(480.0) and pace_s(0, "km") is None
