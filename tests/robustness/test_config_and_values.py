"""Failure 15: values that passed validation but crashed; warnings and errors that leaked out."""

from __future__ import annotations

import json
import re

import pytest

from crampcheck.risk.thresholds import PARAMETERS
from tests.robustness.conftest import SAMPLES, cli, crampcheck

RUN = SAMPLES / "easy_10k.fit"


@pytest.mark.parametrize("line, message", [
    ("jog_min_min = 0", "jog_min_min: must be at least 0.1 min (range 0.1 to 1440 min), got 0"),
    ("surge_baseline_min = 0", "surge_baseline_min: must be at least 0.1 min (range 0.1 to 1440 min), got 0"),
    ("fast_start_high_pct = -1", "fast_start_high_pct: must be at least 0 % (range 0 to 1000 %), got -1"),
    ("heat_high_c = nan", "heat_high_c: must be a number, got NaN"),
    ("long_run_high_min = inf", "long_run_high_min: must be at most 1440 min (range 0.1 to 1440 min), got inf"),
    ("distance_spike_window_days = 0", "distance_spike_window_days: must be at least 1 days (range 1 to 3650 days), got 0"),
    ("year_max = 99999", "year_max: must be at most 2200 year (range 1970 to 2200 year), got 99999"),
])
def test_a_threshold_out_of_range_is_one_line_naming_key_and_range(tmp_path, line, message):
    config = tmp_path / "c.toml"
    config.write_text(f"[thresholds]\n{line}\n")
    for args in (["analyze", RUN], ["scan", RUN, "--no-cache"]):
        result = cli(*args, "--config", config)
        assert result.exit_code == 1 and result.stderr == f"Error: {config}: [thresholds] {message}\n"


def test_every_default_lies_in_its_range():
    assert all(p.low <= p.value <= p.high and p.low < p.high for p in PARAMETERS)


def test_a_deeply_nested_toml_array_is_one_line(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = cli("analyze", RUN, "--config", config)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and str(config) in result.stderr
    assert "unexpected error" not in result.stderr


def test_an_impossible_utc_offset_is_a_note_not_an_error(tmp_path):
    text = (SAMPLES / "hot_long_run.gpx").read_text().replace("Z</time>", "+99:99</time>")
    run = tmp_path / "off.gpx"
    run.write_text(text)
    result = cli("analyze", run)
    assert result.exit_code == 0
    assert "the file's UTC offset +100:39 is no real time zone (they span -12:00 to +14:00): ignored" in result.stdout


def test_no_runtime_warning_reaches_stderr(tmp_path):
    # a run whose channels are all missing but time and distance: means of empty arrays
    result = crampcheck("analyze", SAMPLES / "treadmill_no_gps.tcx", env={"PYTHONWARNINGS": "default"})
    assert result.returncode == 0 and result.stderr == b""


@pytest.mark.parametrize("year", ["2570", "1600", "9999", "0001"])
@pytest.mark.parametrize("decoder", ["auto", "fitparse"])
def test_a_year_no_time_type_holds_is_a_data_warning_never_a_wrap(tmp_path, year, decoder):
    """numpy wrapped 2570 to 1985 (inside the plausible years: silently kept); gpxpy's times overflowed."""
    text = (SAMPLES / "hot_long_run.gpx").read_text()
    run = tmp_path / "y.gpx"
    run.write_text(text.replace("<time>2024-07-20T08:30:10Z", f"<time>{year}-07-20T08:30:10Z", 1))
    result = cli("analyze", run, "--decoder", decoder, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    warning = [w for w in data["data_warnings"] if w["id"] == "out_of_range"]
    assert [w["why"] for w in warning] == ["1 records dated outside 1980–2100 (clock fault): dropped"]


def test_thresholds_prints_each_range():
    rows = {r["name"]: r for r in json.loads(cli("thresholds", "--format", "json").stdout)["thresholds"]}
    assert (rows["jog_min_min"]["min"], rows["jog_min_min"]["max"]) == (0.1, 1440.0)
    assert (rows["hot_hours_end_h"]["min"], rows["hot_hours_end_h"]["max"]) == (0.0, 24.0)
    assert re.search(r"jog_min_min +4\.0 +min +0\.1–1440 ", cli("thresholds").stdout)


def test_iso_times_pin_years_outside_nanoseconds_and_never_raise():
    """The tree path: pandas parsed 2570 in seconds, then failed converting it to nanoseconds."""
    from crampcheck.io.xmlsafe import iso_times

    times, offsets = iso_times(["2024-01-01T00:00:00.5Z", "2570-01-01T00:00:00Z", "junk", None,
                                "1600-01-01T00:00:00+01:00", "99999-01-01T00:00:00Z"])
    assert [str(t) for t in times.astype("datetime64[ms]")] == [
        "2024-01-01T00:00:00.500", "2262-01-01T00:00:00.000", "NaT", "NaT", "1678-01-01T00:00:00.000",
        "2262-01-01T00:00:00.000"]
    plain, _ = iso_times(["2024-01-01T00:00:00Z", "2570-07-20T08:30:10Z"])  # the numpy path
    assert [str(t) for t in plain.astype("datetime64[s]")] == ["2024-01-01T00:00:00", "2262-01-01T00:00:00"]
    assert offsets == {0, 3600}

