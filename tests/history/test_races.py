"""Race detection and the races report."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crampcheck.history import scan_races
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.races import mark_races, race_entry, races, rank_races
from crampcheck.history.scan import build_history
from crampcheck.racenames import name_says_race
from tests.history.exports import gz, strava_csv, zip_bytes
from tests.history.helpers import T0, fit_run, row

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
    fast = row(41, 10.15, speed=3.4)  # 10.15 km: within 5 % of 10 km, 13 % faster than usual
    odd = row(42, 14.0, speed=3.6)  # fast but not a race distance (nor in the 10 km band)
    rows = band + [fast, odd]
    mark_races(rows, TH)
    assert [r.file for r in rows if r.is_race] == [fast.file] and fast.race_marked_by == "heuristic"


def test_heuristic_allows_gps_long_courses_and_works_with_few_runs():
    # a 10.37 km run (3.7 % long) 25 % faster than the one other run of its band that year
    few = [row(0, 9.0, speed=3.0), row(60, 10.37, speed=3.75)]
    mark_races(few, TH)
    assert [(r.is_race, r.race_marked_by) for r in few] == [(False, None), (True, "heuristic")]
    too_long = [row(0, 9.0, speed=3.0), row(60, 10.6, speed=3.75)]  # 6 % long: no standard distance
    mark_races(too_long, TH)
    assert not any(r.is_race for r in too_long)
    alone = [row(60, 10.0, speed=3.75)]  # nothing to compare with
    mark_races(alone, TH)
    assert not alone[0].is_race


def test_heuristic_passes_over_named_training_and_a_run_beaten_nearby():
    rows = [row(0, 10.0, speed=3.0), row(7, 10.0, speed=3.0), row(14, 10.0, speed=3.6, name="Recovery jog"),
            row(21, 10.0, speed=3.6, name="Hill workout")]
    mark_races(rows, TH)
    assert not any(r.is_race for r in rows)
    tempo_then_race = [row(0, 10.0, speed=3.0), row(7, 10.0, speed=3.0), row(14, 10.0, speed=3.45), row(28, 10.1, speed=3.7)]
    mark_races(tempo_then_race, TH)
    assert [r.is_race for r in tempo_then_race] == [False, False, False, True]  # the faster run 2 weeks later wins


def test_race_entries_rank_worst_first_by_how_far_the_start_exceeded_its_threshold():
    parkrun = {"level": "high", "value": 6.6, "threshold": 5.0, "unit": "%", "why": "w", "advice": "a"}
    ultra = {"level": "high", "value": 48.5, "threshold": 5.0, "unit": "%", "why": "w", "advice": "a"}
    older = race_entry(row(0, 50.0, race=True, marked="name", key={"fast_start": ultra}), [])
    recent = race_entry(row(9, 5.0, race=True, marked="name", key={"fast_start": parkrun}), [])
    assert [e.row.file for e in rank_races([recent, older])] == [older.row.file, recent.row.file]


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


@pytest.mark.usefixtures("stub_analyzer")
def test_races_of_the_files_named_reports_every_one(tmp_path):
    first, second = tmp_path / "a.fit", tmp_path / "b.fit"
    first.write_bytes(fit_run(T0))
    second.write_bytes(fit_run(T0 + timedelta(days=7), speed_m_s=3.3))
    result = scan_races([first, second], use_cache=False, jobs=1)
    assert sorted((r.row.file, r.detected_by) for r in result.races) == [(str(first), "given"), (str(second), "given")]
    folder = scan_races(tmp_path, use_cache=False, jobs=1)  # a folder: only what is marked or stands out
    assert folder.races == []


def test_prediction_earlier_races_and_personal_best():
    rows = [row(0, 5.0, speed=3.5, race=True, marked="name"), row(20, 12.0, speed=3.2),
            row(40, 5.0, speed=3.6, race=True, marked="name"), row(60, 10.2, speed=3.7, race=True, marked="export")]
    for r in rows:
        r.first_half_speed_m_s = r.avg_speed_m_s * 1.05
    history = build_history(rows, TH)
    entries = {e.row.file: e for e in races(history).races}
    ten = entries[rows[3].file]
    # best effort of the 26 weeks before: Riegel from each run, the fastest prediction wins (the second 5K)
    expected = (5000 / 3.6) * (10200 / 5000) ** 1.06
    assert ten.prediction["predicted_time_s"] == pytest.approx(expected, abs=0.1)
    assert ten.prediction["from_file"] == rows[2].file
    assert ten.prediction["first_half_vs_predicted_pct"] == pytest.approx((3.7 * 1.05 / (10200 / expected) - 1) * 100, abs=0.1)
    five = entries[rows[2].file]
    assert [e["file"] for e in five.earlier] == [rows[0].file] and five.personal_best["this_race"] is True
    assert five.distance_label == "5K" and ten.earlier == []


def test_a_file_named_like_a_race_is_a_race_unless_its_activity_name_says_training():
    rows = [row(0, 42.4, file="runs/Berlin_Marathon_2024.fit"), row(1, 10.0, file="runs/10K_race.fit", name="Easy 10K"),
            row(2, 8.0, file="export.zip!activities/123.fit")]
    mark_races(rows, TH)
    assert [(r.is_race, r.race_marked_by) for r in rows] == [(True, "name"), (False, None), (False, None)]
