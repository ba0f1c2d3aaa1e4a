"""Heat acclimatization from the history (heat_unacclimatized) and the export's weather per run."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from crampcheck.history import scan
from crampcheck.history.heat import heat_unacclimatized
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.sources import EXPORT_AIR_SOURCE, ZipLimits, strava_weather
from crampcheck.metrics.air import heat_index_c
from crampcheck.synth.build import build
from crampcheck.synth.fitwrite import fit_bytes
from crampcheck.synth.year import RACE, training_year
from tests.helpers.history import T0, fit_run, row
from tests.history.exports import gz, hot_export, strava_csv, zip_bytes

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


def test_the_exports_weather_judges_heat_in_the_worker(tmp_path):
    """The hot run is judged hot from the export's 31.5 deg C at 62 % (heat index 38 deg C), not from
    its watch's 12 deg C; its twin without weather is not judged hot."""
    export = tmp_path / "strava.zip"
    export.write_bytes(zip_bytes(hot_export()))
    hot, plain = scan(export, use_cache=False, jobs=1, units="km").activities
    assert hot.finding_levels.get("heat") == "high" and hot.air_kind == "export"
    assert "heat" not in plain.finding_levels and plain.air_kind == "watch"
    assert hot.overall != "low" and plain.overall == "low"


def test_new_weather_in_a_later_export_judges_the_run_again(tmp_path, cache_file):
    export = tmp_path / "strava.zip"
    export.write_bytes(zip_bytes(hot_export()))
    first = scan(export, cache_path=cache_file, jobs=1, units="km")
    again = scan(export, cache_path=cache_file, jobs=1, units="km")
    assert (first.stats.parsed, again.stats.parsed, again.stats.from_cache) == (2, 0, 2)
    export.write_bytes(zip_bytes(hot_export(weather_c="14.0", humidity="0.5")))  # the same files
    cooler = scan(export, cache_path=cache_file, jobs=1, units="km")
    assert cooler.stats.parsed == 1 and cooler.stats.from_cache == 1  # only the run whose weather changed
    assert cooler.activities[0].air_temperature_c == 14.0 and "heat" not in cooler.activities[0].finding_levels


def test_weather_in_the_same_folder_as_the_files_is_read_first(tmp_path):
    """A folder whose files sort before activities.csv ("1.fit.gz" < "activities.csv"): the table is
    still read first, so the worker has the weather."""
    folder = tmp_path / "export"
    folder.mkdir()
    for name, data in hot_export().items():
        (folder / name.removeprefix("activities/")).write_bytes(
            data.replace(b"activities/", b"") if name == "activities.csv" else data)
    hot, _ = scan(folder, use_cache=False, jobs=1, units="km").activities
    assert hot.air_kind == "export" and hot.finding_levels.get("heat") == "high"


def test_weather_stored_after_the_files_in_a_streamed_zip_is_not_half_applied(tmp_path):
    """A nested zip streamed in its stored order, with the table last: the weather comes too late
    for the worker, so the row keeps the file's own reading and judgement whole, and a note says so."""
    outer = tmp_path / "outer.zip"
    outer.write_bytes(zip_bytes({"strava.zip": zip_bytes(hot_export(csv_last=True))}))
    result = scan(outer, use_cache=False, jobs=1, units="km", limits=ZipLimits(nested_in_memory_bytes=0))
    hot, _ = result.activities
    assert hot.name == "Hot one" and hot.air_kind == "watch" and "heat" not in hot.finding_levels
    assert any(n.startswith("1 run: the export's weather columns come after the file") for n in result.notes)


def _analyze_json(*args: str) -> dict:
    import json

    from click.testing import CliRunner

    from crampcheck.cli import main

    out = CliRunner().invoke(main, ["analyze", *args, "--format", "json", "--units", "km"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_analyze_of_a_run_in_an_export_reads_what_the_export_says_of_it(tmp_path):
    """The drill-down a scan prints (export.zip!member) and the same file in the unzipped export
    are judged as the scan judged them: the export's name and weather; a copy of the file
    elsewhere keeps its own labels and its watch's 12 deg C."""
    export = tmp_path / "export.zip"
    export.write_bytes(zip_bytes(hot_export()))
    folder = tmp_path / "unzipped"
    for name, data in hot_export().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    alone = tmp_path / "alone" / "1.fit.gz"
    alone.parent.mkdir()
    alone.write_bytes(hot_export()["activities/1.fit.gz"])
    scanned = scan(export, use_cache=False, jobs=1, units="km").activities[0]
    for run in (f"{export}!activities/1.fit.gz", str(folder / "activities" / "1.fit.gz")):
        data = _analyze_json(run)
        assert (data["name"], data["summary"]["air"]["kind"], data["summary"]["air"]["source"]) == ("Hot one", "export", EXPORT_AIR_SOURCE)
        assert {f["id"]: f["level"] for f in data["findings"]} == scanned.finding_levels
    data = _analyze_json(str(alone))
    assert data["name"] != "Hot one" and data["summary"]["air"]["kind"] == "watch"
    assert "heat" not in {f["id"] for f in data["findings"]}


def test_a_race_marked_only_in_the_export_is_measured_as_a_race(tmp_path):
    """Strava's workout type "Race" reaches the worker: the run is measured and judged as a race
    (a race is not faulted for skipping its warm-up), as the same run marked in its file would be."""
    files = hot_export()
    export = tmp_path / "strava.zip"
    export.write_bytes(zip_bytes({
        "activities.csv": strava_csv([{"id": 1, "name": "Tempo", "file": "activities/1.fit.gz"},
                                      {"id": 2, "name": "Club 10", "file": "activities/2.fit.gz", "workout": "1"}]),
        **{k: v for k, v in files.items() if k != "activities.csv"},
    }))
    tempo, race = scan(export, use_cache=False, jobs=1, units="km").activities
    assert (tempo.is_race, race.is_race, race.race_marked_by) == (False, True, "export")
    assert "no_warmup" in tempo.finding_levels and "no_warmup" not in race.finding_levels
