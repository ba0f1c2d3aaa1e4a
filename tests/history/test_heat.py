"""Heat acclimatization from the history (heat_unacclimatized) and the export's weather per run."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from crampcheck.history import scan
from crampcheck.history.heat import heat_unacclimatized
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.scan import EXPORT_AIR_SOURCE
from crampcheck.history.sources import strava_weather
from crampcheck.metrics.air import heat_index_c
from crampcheck.synth.build import build
from crampcheck.synth.fitwrite import fit_bytes
from crampcheck.synth.year import RACE, training_year
from tests.history.exports import gz, strava_csv, zip_bytes
from tests.history.helpers import T0, fit_run, row

TH = HistoryThresholds()
HUMIDITY_PCT = 50


def _history(tmp_path, warm_before: bool):
    """The generated year's first race (17 Mar, 9:00) at 28 deg C, with the five weeks before it as
    generated (February and March: 0-13 deg C) or with its 14 days before at 25 deg C. Each run's
    air is the phone's weather report in its FIT file (weather_conditions, 50 % humidity)."""
    year = training_year(seed=0)
    race = next(r for r in year if r.kind == RACE)
    t = race.spec.start_time_utc
    runs = [r for r in year if t - timedelta(days=35) <= r.spec.start_time_utc <= t]
    for k, run in enumerate(runs):
        spec = replace(run.spec, sample_interval_s=10)
        if run is race:
            spec = replace(spec, temperature_c=28.0)
        elif warm_before and spec.start_time_utc >= t - timedelta(days=14):
            spec = replace(spec, temperature_c=25.0)
        data = fit_bytes(build(spec), weather_temperature_c=spec.temperature_c, weather_humidity_pct=HUMIDITY_PCT)
        (tmp_path / f"{k:02d}_{run.kind}.fit").write_bytes(data)
    return scan(tmp_path, use_cache=False, jobs=1), race


def test_a_hot_race_after_four_cool_weeks_is_unacclimatized(tmp_path):
    result, race = _history(tmp_path, warm_before=False)
    found = [f for f in result.history_findings if f.id == "heat_unacclimatized"]
    assert len(found) == 1
    f = found[0]
    assert f.level == "moderate" and f.evidence == "weak" and f.file.endswith("_race.fit")
    assert f.start_date == race.spec.start_time_utc.date()
    assert (f.value, f.threshold, f.unit) == (0.0, 5.0, "runs")
    index = heat_index_c(28.0, HUMIDITY_PCT)
    # scan's default unit system is miles: the history speaks °F only
    assert f"heat index of {index * 9 / 5 + 32:.1f} °F" in f.why and "°C" not in f.why and "weather_conditions" in f.why
    assert "0 runs in warm air" in f.why and "(of 10 with a reading)" in f.why


def test_the_same_race_after_ten_warm_runs_in_14_days_is_not(tmp_path):
    result, _ = _history(tmp_path, warm_before=True)
    assert not [f for f in result.history_findings if f.id == "heat_unacclimatized"]
    rows = result.activities
    race = rows[-1]
    warm = [r for r in rows if race.start_time_utc - timedelta(days=14) <= r.start_time_utc < race.start_time_utc]
    assert len(warm) == 10 and all(r.air_kind == "weather" and r.air_temperature_c == 25.0 for r in warm)


def _air_row(day, temp_c, kind="weather", humidity=None):
    r = row(day, 8.0)
    index = heat_index_c(temp_c, humidity) if humidity is not None else None
    return replace(r, air_temperature_c=temp_c, air_humidity_pct=humidity, air_heat_index_c=index,
                   air_source=f"{kind} reading", air_kind=kind)


def test_boundaries_wrist_and_a_short_history():
    cool = [_air_row(d, 10.0) for d in range(0, 14, 2)]  # 7 runs in the 14 days before day 14
    assert [f.level for f in heat_unacclimatized([*cool, _air_row(14, 28.0)], TH)] == ["moderate"]
    assert heat_unacclimatized([*cool, _air_row(14, 27.9)], TH) == []  # not hot
    wrist = heat_unacclimatized([*cool, _air_row(14, 29.0, kind="watch")], TH)
    assert [f.level for f in wrist] == ["low"] and "wrist sensor alone" in wrist[0].why
    four_warm = [_air_row(d, 22.0 if d >= 6 else 10.0) for d in range(0, 14, 2)]  # days 6, 8, 10, 12 warm
    assert [f.value for f in heat_unacclimatized([*four_warm, _air_row(14, 30.0)], TH)] == [4.0]
    five_warm = [_air_row(d, 22.0 if d >= 4 else 10.0) for d in range(0, 14, 2)]
    assert heat_unacclimatized([*five_warm, _air_row(14, 30.0)], TH) == []
    assert heat_unacclimatized([_air_row(5, 10.0), _air_row(10, 30.0)], TH) == []  # the window is not covered


def test_humidity_makes_a_warm_day_hot():
    cool = [_air_row(d, 10.0) for d in range(0, 14, 2)]
    assert heat_unacclimatized([*cool, _air_row(14, 27.0, humidity=20.0)], TH) == []
    assert [f.level for f in heat_unacclimatized([*cool, _air_row(14, 27.0, humidity=80.0)], TH)] == ["moderate"]


@pytest.mark.parametrize(
    "temperature, humidity, dew_point, expected",
    [
        ("13.39", "0.41", "0.24", {"air_temperature_c": 13.39, "air_humidity_pct": 41.0, "air_dew_point_c": 0.24}),
        ("24", "65", "", {"air_temperature_c": 24.0, "air_humidity_pct": 65.0}),  # a percentage already
        ("", "0.5", "3", {}),
        ("999", "0.5", "", {}),
        ("nan", "", "", {}),
    ],
)
def test_strava_weather_columns(temperature, humidity, dew_point, expected):
    got = strava_weather(temperature or None, humidity or None, dew_point or None)
    assert got == pytest.approx(expected)


def test_a_strava_export_with_weather_columns_uses_them_for_each_run(tmp_path):
    starts = [T0 + timedelta(days=d) for d in range(3)]
    export = tmp_path / "strava.zip"
    export.write_bytes(zip_bytes({
        "activities.csv": strava_csv([
            {"id": 1, "name": "Hot one", "file": "activities/1.fit.gz", "weather_c": "31.5", "humidity": "0.62",
             "dew_point_c": "23.4", "apparent_c": "37.0"},
            {"id": 2, "name": "No weather", "file": "activities/2.fit.gz"},
            {"id": 3, "name": "Dew point only", "file": "activities/3.fit.gz", "weather_c": "20", "dew_point_c": "10"},
        ]),
        "activities/1.fit.gz": gz(fit_run(starts[0], temperature_c=12.0)),
        "activities/2.fit.gz": gz(fit_run(starts[1], temperature_c=12.0)),
        "activities/3.fit.gz": gz(fit_run(starts[2], temperature_c=12.0)),
    }))
    result = scan(export, use_cache=False, jobs=1)
    hot, plain, dew = result.activities
    assert (hot.air_temperature_c, hot.air_humidity_pct, hot.air_kind, hot.air_source) == (31.5, 62.0, "export", EXPORT_AIR_SOURCE)
    assert hot.air_heat_index_c == pytest.approx(heat_index_c(31.5, 62.0))
    assert plain.air_kind == "watch" and plain.air_temperature_c == 12.0  # the file's own sensor
    assert dew.air_humidity_pct == pytest.approx(52.4, abs=0.3) and dew.air_kind == "export"
    data = result.to_dict()["activities"][0]["air"]
    assert data["source"] == EXPORT_AIR_SOURCE and data["humidity_pct"] == 62.0
