"""The air the runner ran in (metrics/air.py): the formulas against published values, the order of
trust, the wrist's method, and real files (a Stryd pod's air fields, a November wrist)."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from crampcheck.cli import main
from crampcheck.metrics.air import (
    AirSettings,
    air_stats,
    dew_point_c,
    heat_index_c,
    humidity_from_dew_point,
    sensor_mean,
    wrist_reading,
)
from crampcheck.pipeline import analyze, load
from crampcheck.report.jsonout import run_to_dict
from crampcheck.schema import AirReading
from tests.conftest import REAL_DIR


def _c(fahrenheit):
    return (fahrenheit - 32.0) * 5.0 / 9.0


@pytest.mark.parametrize(
    "t_f, rh, expected_f",
    # the NWS heat index chart (rounded to whole deg F); 100 F at 10 % takes the dry-air adjustment
    [(80, 40, 80), (86, 70, 95), (90, 70, 106), (100, 40, 109), (96, 65, 121), (84, 90, 98), (100, 10, 94)],
)
def test_heat_index_matches_the_nws_chart(t_f, rh, expected_f):
    assert heat_index_c(_c(t_f), rh) == pytest.approx(_c(expected_f), abs=0.4)


def test_heat_index_of_cold_air_is_the_air():
    assert heat_index_c(2.0, 60.0) == 2.0
    assert heat_index_c(15.0, 50.0) == pytest.approx(_c(56.95))  # Steadman's simple form: 59 F at 50 % feels 57 F


@pytest.mark.parametrize("t, rh, dew", [(20.0, 50.0, 9.26), (30.0, 70.0, 23.93), (10.0, 100.0, 10.0), (0.0, 80.0, -3.0)])
def test_dew_point_and_back(t, rh, dew):
    assert dew_point_c(t, rh) == pytest.approx(dew, abs=0.05)
    assert humidity_from_dew_point(t, dew_point_c(t, rh)) == pytest.approx(rh)


def _series(values, step_s=60.0):
    values = np.asarray(values, dtype=float)
    return np.arange(len(values)) * step_s, values


def test_wrist_leaves_out_the_settling_minutes_and_reads_the_lower_quartile():
    # 10 min cooling from 29 deg C indoors, then 40 min of 20-23 (the wrist warming with effort)
    times, temps = _series([29 - i for i in range(10)] + [20, 21, 22, 23] * 10)
    moving = np.ones(len(temps), dtype=bool)
    assert wrist_reading(times, temps, moving, AirSettings()) == pytest.approx(20.75)  # 25th percentile of 20-23
    assert wrist_reading(times, temps, moving, AirSettings(settle_s=0.0, wrist_quantile=0.5)) == pytest.approx(22.0)
    still = moving.copy()
    still[10:20] = False  # standing: those readings are not the run's
    assert wrist_reading(times, temps, still, AirSettings(wrist_quantile=0.0)) == 20.0


def test_a_sensor_series_is_its_mean_after_the_settling_time():
    times, temps = _series([22, 18, 14, 10] + [4.0] * 20)  # a pod carried out of a warm house
    assert sensor_mean(times, temps, AirSettings(settle_s=240.0)) == 4.0
    short_times, short = _series([22, 12, 4, 4])  # shorter than twice the settling time: the second half
    assert sensor_mean(short_times, short, AirSettings()) == 4.0


def test_the_most_trusted_reading_wins_and_brings_its_humidity():
    times, temps = _series([25.0] * 30)
    pod = AirReading("sensor", "pod", times_unix_s=times + 1000.0, temperature_series_c=temps, humidity_series_pct=temps * 2)
    weather = AirReading("weather", "phone", temperature_c=27.0, humidity_pct=80.0)
    export = AirReading("export", "export", temperature_c=26.0)
    wrist = (times, temps + 5.0, np.ones(30, bool), "watch sensor")
    assert air_stats([pod, weather], 1000.0, wrist).source == "phone"
    assert air_stats([pod, weather, export], 1000.0, wrist).kind == "export"
    got = air_stats([pod], 1000.0, wrist)
    assert (got.kind, got.temperature_c, got.humidity_pct) == ("sensor", 25.0, 50.0)
    assert got.dew_point_c == pytest.approx(dew_point_c(25.0, 50.0)) and got.heat_index_c == pytest.approx(heat_index_c(25.0, 50.0))
    only_wrist = air_stats([], 1000.0, wrist)
    assert only_wrist.wrist and only_wrist.temperature_c == 30.0 and only_wrist.humidity_pct is None
    user = air_stats([weather], 1000.0, wrist, user_temperature_c=31.0, user_humidity_pct=40.0)
    assert (user.kind, user.temperature_c, user.humidity_pct) == ("user", 31.0, 40.0) and "--humidity" in user.source
    assert air_stats([], None, None) is None


def _real(relative):
    path = REAL_DIR / relative
    if not path.exists():
        pytest.skip("../shared/data/real is absent")
    return path


def test_a_real_stryd_file_is_judged_from_its_air_fields_not_the_wrist():
    """A December interval session: the watch read 29 deg C indoors and 8-12 outside; the Stryd pod's
    air fields read 1-2 deg C at about 60 % humidity after its first minutes."""
    data = run_to_dict(analyze(load(_real("fit/garmin_fenix6_run_core_temp_devfields.fit"))))
    air = data["summary"]["air"]
    assert air["kind"] == "sensor" and "Stryd Temperature" in air["source"] and "Stryd Humidity" in air["source"]
    assert 0.5 <= air["temperature_c"] <= 3.0 and 50 <= air["humidity_pct"] <= 70
    assert air["dew_point_c"] == pytest.approx(dew_point_c(air["temperature_c"], air["humidity_pct"]), abs=0.01)
    assert air["heat_index_c"] == pytest.approx(air["temperature_c"]) and air["index"] == "NWS heat index"
    assert data["summary"]["temperature_c"]["source"] == "watch sensor (FIT record temperature)"  # kept as it is
    assert data["summary"]["temperature_c"]["max"] == 29.0
    assert "heat" not in {f["id"] for f in data["findings"]}


def test_a_november_wrist_at_23_to_27_is_not_judged_hot_and_says_it_is_the_wrist():
    data = run_to_dict(analyze(load(_real("gpx/garmin_connect_run_5.3km_atemp_november.gpx"))))
    assert data["summary"]["air"]["kind"] == "watch" and "watch sensor" in data["summary"]["air"]["source"]
    heat = [f for f in data["findings"] if f["id"] == "heat"]
    assert all(f["level"] == "low" for f in heat)
    assert heat and "wrist sensor" in heat[0]["why"] and "low from a wrist sensor alone" in heat[0]["why"]
    assert "hot_time_of_day" not in {f["id"] for f in data["findings"]}


@pytest.mark.parametrize("given, expected_c", [("75F", 23.89), ("24", 24.0), ("24C", 24.0), ("-3.5 °C", -3.5)])
def test_ambient_temp_in_celsius_or_fahrenheit(given, expected_c):
    path = _real("gpx/garmin_connect_run_5.3km_atemp_november.gpx")
    result = CliRunner().invoke(main, ["analyze", str(path), "--format", "json", f"--ambient-temp={given}", "--humidity", "60%"])
    assert result.exit_code == 0, result.output
    import json

    air = json.loads(result.stdout)["summary"]["air"]
    assert air["temperature_c"] == pytest.approx(expected_c, abs=0.01) and air["kind"] == "user"
    assert air["humidity_pct"] == 60.0 and air["source"] == "user (--ambient-temp); humidity: user (--humidity)"


def test_a_bad_ambient_temp_is_a_usage_error():
    result = CliRunner().invoke(main, ["analyze", "whatever.fit", "--ambient-temp", "warm"])
    assert result.exit_code == 2 and "give a temperature in °C or °F" in result.output
