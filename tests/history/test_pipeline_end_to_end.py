"""End to end through the real readers and pipeline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crampcheck.history import scan, scan_races
from crampcheck.synth import scenarios
from crampcheck.synth.files import write


def test_race_with_a_fast_first_mile(tmp_path):
    path = tmp_path / "race.fit"
    write(scenarios.race_10k(first_mile_faster_pct=8.0, sample_interval_s=5), path)
    result = scan_races(path, use_cache=False, jobs=1)
    (race,) = result.races
    assert race.detected_by in ("file", "name", "given")  # the FIT reader does not read the name
    fast = [f for f in race.findings if f["id"] == "fast_start"]
    assert fast and fast[0]["level"] == "high"
    assert race.row.distance_m == pytest.approx(10_000.0, rel=0.01)


def test_race_found_by_name_in_a_folder(tmp_path):
    write(scenarios.race_10k(first_mile_faster_pct=8.0, sample_interval_s=5), tmp_path / "race.gpx")
    write(scenarios.even_pace(5000.0, start_time_utc=scenarios.race_10k().start_time_utc - timedelta(days=2),
                              sample_interval_s=5, name="Easy"), tmp_path / "easy.gpx")
    result = scan_races(tmp_path, use_cache=False, jobs=1)
    (race,) = result.races
    assert (race.row.name, race.detected_by) == ("Riverside 10K", "name")
    assert [f["level"] for f in race.findings if f["id"] == "fast_start"] == ["high"]


def test_52_week_history_points_at_the_spike_week(tmp_path):
    specs = scenarios.history(weeks=52, runs_per_week=3, spike_week=30, spike_pct=60.0, speed_m_s=3.0,
                              weekly_distance_m=6000.0, sample_interval_s=10)
    for i, spec in enumerate(specs):
        write(spec, tmp_path / f"run{i:03d}.fit")
    result = scan(tmp_path, use_cache=False, jobs=2)
    assert len(result.activities) == len(specs)
    spike_monday = result.weeks[30].start_date
    ramps = [f for f in result.history_findings if f.id == "weekly_ramp"]
    assert [f.start_date for f in ramps] == [spike_monday]
    spikes = [f for f in result.history_findings if f.id == "distance_spike"]
    assert spikes and all(spike_monday <= f.start_date <= spike_monday + timedelta(days=6)
                          for f in spikes)
