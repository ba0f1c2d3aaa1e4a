"""The one sport table (labels in several languages) and the sport guessed from the data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from crampcheck.history.sources import normalize_sport
from crampcheck.io import read
from crampcheck.pipeline import analyze
from crampcheck.report.jsonout import run_to_dict
from crampcheck.sports import (
    DATA_SPEED,
    DATA_SPEED_CADENCE,
    sport_from_data,
    sport_from_label,
)
from crampcheck.synth import RunSpec, Segment, build, gpx_bytes, tcx_bytes


@pytest.mark.parametrize(
    ("label", "sport"),
    [
        ("corrida", "running"), ("Corrida de rua", "running"), ("Laufen", "running"), ("Morgenlauf", "other"),
        ("course à pied", "running"), ("Course a pied", "running"), ("hardlopen", "running"), ("löpning", "running"),
        ("juoksu", "running"), ("bieg", "running"), ("běh", "running"), ("Run", "running"), ("TrailRun", "running"),
        ("trail running", "running"), ("jogging", "running"), ("street_running", "running"), ("VirtualRun", "running"),
        ("Radfahren", "cycling"), ("Rennrad", "cycling"), ("vélo", "cycling"), ("fietsen", "cycling"),
        ("ciclismo", "cycling"), ("road_biking", "cycling"), ("EBikeRide", "cycling"), ("pyöräily", "cycling"),
        ("wandelen", "walking"), ("marche", "walking"), ("caminata", "walking"), ("Spaziergang", "walking"),
        ("Wandern", "hiking"), ("randonnée", "hiking"), ("senderismo", "hiking"), ("vandring", "hiking"),
        ("natation", "swimming"), ("Schwimmen", "swimming"), ("zwemmen", "swimming"), ("lap_swimming", "swimming"),
        ("跑步", "running"), ("Yoga", "other"), ("MyTrails 2.0.3", "other"), ("", "unknown"),
    ],
)
def test_labels_in_several_languages(label, sport):
    assert sport_from_label(label)[0] == sport


def test_export_types_use_the_same_table():
    assert [normalize_sport(s) for s in ("Laufen", "juoksu", "Trail Run", "road_biking", "Wandern", "Yoga", None)] == [
        "running", "running", "running", "cycling", "hiking", "other", None]


def test_guess_bounds():
    n = 100

    def steady(v: float) -> np.ndarray:
        return np.full(n, v)

    assert sport_from_data(steady(3.0), steady(85.0)) == ("running", DATA_SPEED_CADENCE)
    assert sport_from_data(steady(3.0), np.full(n, np.nan)) == ("running", DATA_SPEED)
    assert sport_from_data(steady(8.0), steady(90.0)) == ("cycling", DATA_SPEED_CADENCE)
    assert sport_from_data(steady(1.3), steady(55.0)) == ("walking", DATA_SPEED)
    assert sport_from_data(steady(3.0), steady(40.0)) is None  # running speed, no step cadence
    assert sport_from_data(steady(0.1), steady(0.0)) is None  # standing still
    assert sport_from_data(steady(3.0)[:10], steady(85.0)[:10]) is None  # too little to tell


def _no_label_gpx(speed_m_s: float, cadence_spm: float, sport: str) -> bytes:
    spec = RunSpec(segments=(Segment(duration_s=1800, speed_m_s=speed_m_s, cadence_spm=cadence_spm),),
                   sport=sport, name="Morning", sample_interval_s=2)
    data = gpx_bytes(build(spec))
    assert f"<type>{sport}</type>".encode() in data
    return data.replace(f"<type>{sport}</type>".encode(), b"")


def test_gpx_without_type_at_running_speed_and_cadence_is_a_run():
    activity = read(_no_label_gpx(3.0, 170.0, "running"), "morning.gpx")
    assert activity.sport == "running" and activity.sport_source.startswith("data")
    assert activity.sport_source == DATA_SPEED_CADENCE
    assert np.nanmedian(activity.records["cadence_spm"]) == pytest.approx(170.0)
    report = run_to_dict(analyze(activity, units="km"))
    assert report["sport"] == "running" and report["sport_source"] == DATA_SPEED_CADENCE
    json.dumps(report)


def test_gpx_without_type_at_8_m_s_is_a_ride():
    activity = read(_no_label_gpx(8.0, 90.0, "cycling"), "ride.gpx")
    assert (activity.sport, activity.sport_source) == ("cycling", DATA_SPEED_CADENCE)
    assert np.nanmedian(activity.records["cadence_spm"]) == pytest.approx(90.0)  # rpm, not doubled


def test_labelled_gpx_keeps_the_file_sport():
    spec = RunSpec(segments=(Segment(duration_s=600, speed_m_s=8.0),), sport="running", name="Morning")
    activity = read(gpx_bytes(build(spec)), "fast.gpx")
    assert (activity.sport, activity.sport_source) == ("running", "file")


def test_tcx_sport_other_at_running_pace_is_a_run():
    spec = RunSpec(segments=(Segment(duration_s=1200, speed_m_s=3.0),), sport="other", name="Morning",
                   sample_interval_s=5)
    data = tcx_bytes(build(spec))
    assert b'Sport="Other"' in data
    activity = read(data, "other.tcx")
    assert activity.sport == "running" and activity.sport_source.startswith("data")


def test_text_header_says_how_the_sport_was_found():
    from crampcheck.report.run import render_run_text

    report = run_to_dict(analyze(read(_no_label_gpx(3.0, 170.0, "running"), "morning.gpx"), units="km"))
    header = render_run_text(report).splitlines()[:4]
    assert any("running (sport from data: speed + cadence)" in line for line in header), header
