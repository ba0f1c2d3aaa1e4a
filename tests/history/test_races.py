"""Race detection and the races report."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crampcheck.history import scan_races
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.races import mark_races, name_says_race, race_entry, rank_races
from tests.helpers.history import T0, fit_run, row
from tests.history.exports import gz, strava_csv, zip_bytes

TH = HistoryThresholds()


@pytest.mark.parametrize("name, expected", [
    ("Berlin Marathon", True), ("Parkrun #312", True), ("Harbour 10K", True), ("5k PB attempt", True),
    ("Half Marathon de Paris", True), ("Semi-marathon de Boulogne", True), ("Halbmarathon Köln", True),
    ("Maratón de Sevilla", True), ("Mezza maratona", True), ("race day", True), ("RACE", True),
    ("Morning Run", False), ("Grace's birthday jog", False), ("Embrace the hills", False),
    ("Easy 8 km", False), ("Tracey run", False), (None, False), ("", False),
    ("Easy 10K", False), ("Half marathon training: long run", False), ("Tempo 5K", False),
    ("Easy jog to the parkrun", True), ("10K race, easy start", True),
])
def test_race_names(name, expected):
    assert name_says_race(name) is expected


def test_marks_keep_their_order_of_precedence():
    rows = [
        row(0, 10.0, name="Sunday 10K", race=True, marked="export"),  # export mark stays
        row(1, 8.0, name="Club 5K"),
        row(2, 8.0, name="Morning Run"),
    ]
    mark_races(rows, TH)
    assert [(r.is_race, r.race_marked_by) for r in rows] == [(True, "export"), (True, "name"), (False, None)]


def test_heuristic_finds_the_fast_standard_distance_run():
    band = [row(d, 10.0 * f, speed=3.0) for d, f in zip(range(0, 40, 5), (1.0, 1.01, 0.99, 1.02, 0.98, 1.0, 1.0, 1.01))]
    fast = row(41, 10.15, speed=3.4)  # 10.15 km: within 3 % of 10 km, 13 % faster than usual
    odd = row(42, 11.0, speed=3.6)  # fast but not a race distance
    rows = band + [fast, odd]
    mark_races(rows, TH)
    assert [r.file for r in rows if r.is_race] == [fast.file] and fast.race_marked_by == "heuristic"
    few = [row(0, 10.0, speed=3.0), row(1, 10.0, speed=3.6)]
    mark_races(few, TH)
    assert not any(r.is_race for r in few)  # two runs say nothing about "the fastest"


def test_race_entries_rank_worst_first():
    fast_start = {"level": "high", "value": 8.0, "threshold": 5.0, "unit": "%", "why": "w", "advice": "a"}
    split = {"level": "moderate", "value": 4.0, "threshold": 3.0, "unit": "%", "why": "w", "advice": "a"}
    a = race_entry(row(0, 10.0, race=True, marked="name", key={"positive_split": split}), [])
    b = race_entry(row(1, 10.0, race=True, marked="file", key={"fast_start": fast_start, "positive_split": split}), [])
    c = race_entry(row(2, 5.0, race=True, marked="export"), [])
    ranked = rank_races([a, c, b])
    assert [e.row.file for e in ranked] == [b.row.file, a.row.file, c.row.file]
    assert [e.worst for e in ranked] == ["high", "moderate", "low"]
    assert ranked[0].findings[0] == {"id": "fast_start", **fast_start}


@pytest.mark.usefixtures("stub_analyzer")
def test_races_of_a_single_file_and_of_an_export(tmp_path):
    one = tmp_path / "today.fit"
    one.write_bytes(fit_run(T0))
    result = scan_races(one, use_cache=False, jobs=1)
    assert [(r.row.file, r.detected_by) for r in result.races] == [(str(one), "given")]
    out = result.to_dict()
    assert out["schema"] == "crampcheck.races/1"
    assert set(out["races"][0]) >= {"file", "start_time_utc", "distance_m", "detected_by", "findings"}
    assert out["races"][0]["distance_m"] == pytest.approx(900.0)

    export = tmp_path / "strava.zip"
    export.write_bytes(zip_bytes({
        "activities.csv": strava_csv([
            {"id": 1, "name": "Easy", "file": "activities/1.fit.gz"},
            {"id": 2, "name": "Track session", "file": "activities/2.fit.gz", "workout": "1"},
            {"id": 3, "name": "Town parkrun", "file": "activities/3.fit.gz"},
        ]),
        **{f"activities/{i}.fit.gz": gz(fit_run(T0 + timedelta(days=i))) for i in (1, 2, 3)},
    }))
    result = scan_races(export, use_cache=False, jobs=1)
    assert sorted((r.row.name, r.detected_by) for r in result.races) == [("Town parkrun", "name"), ("Track session", "export")]
