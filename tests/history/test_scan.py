"""scan(): folders and exports end to end (FIT files from crampcheck.synth, stand-in analyzer)."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date, timedelta

import pytest

from crampcheck.history import scan, worker
from crampcheck.history.params import HistoryThresholds
from crampcheck.history.scan import build_history, deduplicate
from tests.helpers.history import FILE_TYPE_MONITORING_B, T0, fit_run, row, stub_read_and_analyze, with_file_type
from tests.history.exports import GARMIN_FITNESS, GARMIN_UPLOADED, garmin_activity, garmin_summary, gz, strava_csv, zip_bytes

pytestmark = pytest.mark.usefixtures("stub_analyzer")

N_RUNS = 200


@pytest.fixture(scope="module")
def folder_200(tmp_path_factory):
    """200 daily 5-min runs (one truncated), one run copied twice, one monitoring file."""
    root = tmp_path_factory.mktemp("history") / "runs"
    for i in range(N_RUNS):
        sub = root / f"{i // 50}"
        sub.mkdir(parents=True, exist_ok=True)
        data = fit_run(T0 + timedelta(days=i))
        if i == 7:
            data = data[: len(data) // 2]
        (sub / f"run{i:03d}.fit").write_bytes(data)
    shutil.copy(root / "0" / "run010.fit", root / "copy_of_run010.fit")
    (root / "monitor.fit").write_bytes(with_file_type(fit_run(T0), FILE_TYPE_MONITORING_B))
    return root


def test_folder_of_200_runs(folder_200):
    result = scan(folder_200, use_cache=False, jobs=2)
    assert len(result.activities) == N_RUNS - 1
    assert len({r.start_time_utc for r in result.activities}) == N_RUNS - 1
    assert [s.file for s in result.skipped] == [f"{folder_200}/0/run007.fit"]
    assert "truncated" in result.skipped[0].reason or "ends" in result.skipped[0].reason
    (dup,) = result.duplicates
    assert (dup.file, dup.kept) == (f"{folder_200}/copy_of_run010.fit", f"{folder_200}/0/run010.fit")  # by name
    assert dup.reason == "same file content"
    assert result.non_activity == {"monitoring_b": 1}
    assert result.stats.parsed == N_RUNS + 1 and result.stats.peeked == 1
    first = result.activities[0]
    assert first.distance_m == pytest.approx(900.0) and first.moving_time_s == pytest.approx(300.0)
    # the same outcome in one process
    again = scan(folder_200, use_cache=False, jobs=1)
    assert again.to_dict()["activities"] == result.to_dict()["activities"]


def test_json_contract(folder_200):
    out = scan(folder_200, use_cache=False, jobs=1, since="2023-01-02", until="2023-01-20").to_dict()
    assert out["schema"] == "crampcheck.history/1"
    assert {"activities", "history_findings", "weeks", "skipped", "duplicates", "non_activity"} <= set(out)
    assert set(out["activities"][0]) >= {"file", "start_time_utc", "start_time_local", "sport", "name", "distance_m",
                                         "moving_time_s", "temperature_c_mean", "overall", "findings"}
    assert len(out["activities"]) == 18  # 19 days, day 7 truncated
    assert out["activities"][0]["start_time_utc"] == "2023-01-02T06:00:00+00:00"
    # runs every day: days 0-6 (7 days), then from day 8 on (192 days, shown because it starts in the window)
    no_rest = [f for f in out["history_findings"] if f["id"] == "no_rest"]
    assert set(no_rest[0]) >= {"id", "level", "evidence", "start_date", "end_date", "value", "threshold", "why", "advice"}
    assert [(f["start_date"], f["end_date"], f["level"], f["value"]) for f in no_rest] == [
        ("2023-01-02", "2023-01-08", "moderate", 7.0), ("2023-01-10", "2023-07-20", "high", 192.0)]
    assert out["skipped"] == [{"file": out["skipped"][0]["file"], "reason": out["skipped"][0]["reason"]}]
    assert [w["week"] for w in out["weeks"]] == ["2023-W01", "2023-W02", "2023-W03"]


def test_garmin_export_scan_with_names_and_races(tmp_path):
    starts = [T0 + timedelta(days=d) for d in range(3)]
    part = zip_bytes({
        "jane_1001.fit": fit_run(starts[0]),
        "jane_1002.fit": fit_run(starts[1]),
        "jane_monitor.fit": with_file_type(fit_run(starts[0]), FILE_TYPE_MONITORING_B),
    })
    older = zip_bytes({"old_upload.fit": fit_run(starts[2])})
    summary = garmin_summary([
        garmin_activity(1001, "Easy shakeout", starts[0]),
        garmin_activity(1002, "Club time trial", starts[1], race=True),
        garmin_activity(5555, "Sunday long", starts[2] + timedelta(seconds=20)),  # matched by start time
    ])
    export = tmp_path / "garmin.zip"
    export.write_bytes(zip_bytes({
        f"{GARMIN_UPLOADED}/UploadedFiles_0_Part1.zip": part,
        f"{GARMIN_FITNESS}/UploadedFiles_0.zip": older,
        f"{GARMIN_FITNESS}/jane_0_summarizedActivities.json": summary,
    }))
    result = scan(export, use_cache=False, jobs=2)
    got = [(r.name, r.is_race, r.race_marked_by) for r in result.activities]
    assert got == [("Easy shakeout", False, None), ("Club time trial", True, "export"), ("Sunday long", False, None)]
    assert result.activities[1].file == f"{export}!{GARMIN_UPLOADED}/UploadedFiles_0_Part1.zip!jane_1002.fit"
    assert result.non_activity == {"monitoring_b": 1} and result.skipped == []


def test_strava_export_scan_with_sport_filter(tmp_path):
    starts = [T0 + timedelta(days=d) for d in range(3)]
    export = tmp_path / "strava.zip"
    export.write_bytes(zip_bytes({
        "activities.csv": strava_csv([
            {"id": 1, "name": "Tempo", "file": "activities/1.fit.gz"},
            {"id": 2, "name": "Harbour 10K", "file": "activities/2.fit.gz", "workout": "1"},
            {"id": 3, "name": "Commute", "file": "activities/3.fit.gz", "type": "Ride"},
        ]),
        "activities/1.fit.gz": gz(fit_run(starts[0])),
        "activities/2.fit.gz": gz(fit_run(starts[1])),
        "activities/3.fit.gz": gz(fit_run(starts[2])),
    }))
    result = scan(export, use_cache=False, jobs=1)
    assert [(r.name, r.is_race, r.race_marked_by) for r in result.activities] == [
        ("Tempo", False, None), ("Harbour 10K", True, "export")]
    assert result.other_sports == {"cycling": 1}
    everything = scan(export, use_cache=False, jobs=1, sport="all")
    assert [r.sport for r in everything.activities] == ["running", "running", "cycling"]


def test_a_crashing_worker_becomes_a_skip(tmp_path, monkeypatch):
    for i in range(6):
        (tmp_path / f"run{i}.fit").write_bytes(fit_run(T0 + timedelta(days=i)))
    (tmp_path / "run3.fit").rename(tmp_path / "crash3.fit")

    def crashing(name, data, units, config, meta=None):
        if os.path.basename(name).startswith("crash"):
            os._exit(3)  # the worker process dies
        return stub_read_and_analyze(name, data, units, config)

    monkeypatch.setattr(worker, "read_and_analyze", crashing)
    result = scan(tmp_path, use_cache=False, jobs=2)
    assert len(result.activities) == 5
    assert [(s.file, s.reason) for s in result.skipped] == [(f"{tmp_path}/crash3.fit", "the reader crashed on this file (its worker process died)")]


def test_a_reader_bug_becomes_a_skip(tmp_path, monkeypatch):
    for i in range(3):
        (tmp_path / f"run{i}.fit").write_bytes(fit_run(T0 + timedelta(days=i)))

    def buggy(name, data, units, config, meta=None):
        if name.endswith("run1.fit"):
            raise ZeroDivisionError("oops")
        return stub_read_and_analyze(name, data, units, config)

    monkeypatch.setattr(worker, "read_and_analyze", buggy)
    result = scan(tmp_path, use_cache=False, jobs=1)
    assert len(result.activities) == 2
    assert result.skipped[0].reason == "internal error: ZeroDivisionError: oops"


def test_fit_and_gpx_of_one_run_count_once():
    fit = row(0, 10.0, fmt="fit")
    gpx = row(0, 10.1, fmt="gpx")  # +1 %, same start
    gpx.start_time_utc += timedelta(seconds=30)
    tcx = row(0, 9.95, fmt="tcx")
    other = row(0, 10.5, fmt="gpx", hour=7)  # an hour later: another run
    kept, dups = deduplicate([gpx, tcx, other, fit])
    assert [k.file for k in kept] == [fit.file, other.file]
    assert {(d.file, d.kept) for d in dups} == {(gpx.file, fit.file), (tcx.file, fit.file)}
    far = row(0, 10.5, fmt="gpx")  # same start, 5 % longer: not the same recording
    kept, dups = deduplicate([fit, far])
    assert len(kept) == 2 and dups == []


def test_date_window_keeps_the_baseline():
    rows = [row(7 * w + d, 8.0) for w in range(10) for d in (0, 2, 4)] + [row(7 * 10, 40.0)]
    rows.sort(key=lambda r: r.start_time_utc)
    day70 = (T0 + timedelta(days=70)).date()
    result = build_history(rows, HistoryThresholds(), since=day70)
    assert [r.day for r in result.activities] == [day70]
    # the spike is judged against runs before the window
    assert [(f.id, f.level) for f in result.history_findings] == [("distance_spike", "very high"), ("weekly_ramp", "high")]
    assert [w.week for w in result.weeks] == ["2023-W11"]
    assert build_history(rows, HistoryThresholds(), until=date(2022, 12, 31)).activities == []


def test_progress_is_reported_for_every_file(tmp_path):
    for i in range(4):
        (tmp_path / f"run{i}.fit").write_bytes(fit_run(T0 + timedelta(days=i)))
    (tmp_path / "bad.fit").write_bytes(b"nope")
    calls = []
    scan(tmp_path, use_cache=False, jobs=2, progress=lambda done, total, name: calls.append((done, total)))
    assert [done for done, _ in calls] == [1, 2, 3, 4, 5] and {t for _, t in calls} == {5}


def test_histories_read_in_one_pass_are_the_histories_read_one_by_one(tmp_path):
    """scan_histories (a team's athletes): one runner and one cache for every history, each
    history what its own scan gives; the progress counts every file against the total of all."""
    from crampcheck.history.scan import scan_histories
    from crampcheck.report.jsonout import clean, dumps

    folders = [tmp_path / "ann", tmp_path / "bob"]
    for k, folder in enumerate(folders):
        folder.mkdir()
        for i in range(3 + k):
            (folder / f"run{i}.fit").write_bytes(fit_run(T0 + timedelta(days=i), minutes=5 + k))
    (folders[1] / "bad.fit").write_bytes(b"nope")
    calls = []
    together = scan_histories(folders, use_cache=False, jobs=2, progress=lambda done, total, name: calls.append((done, total)))
    alone = [scan(folder, use_cache=False, jobs=2) for folder in folders]
    assert [dumps(clean(h.to_dict())) for h in together] == [dumps(clean(h.to_dict())) for h in alone]
    assert [len(h.activities) for h in together] == [3, 4] and [h.stats.parsed for h in together] == [3, 5]
    assert [done for done, _ in calls] == list(range(1, 9)) and {t for _, t in calls} == {8}


def test_progress_total_counts_the_files_inside_nested_zips(tmp_path):
    from crampcheck.history.sources import count_sources

    inner = zip_bytes({f"{i}.fit": fit_run(T0 + timedelta(days=i)) for i in range(3)} | {"notes.txt": b"x"})
    export = tmp_path / "export.zip"
    export.write_bytes(zip_bytes({f"{GARMIN_UPLOADED}/UploadedFiles_0_Part1.zip": inner, "a/run.gpx": b"<gpx/>",
                                  "routes/r.gpx": b"<gpx/>", "summary.json": b"{}"}))
    assert count_sources(export) == 4
    calls = []
    scan(export, use_cache=False, jobs=1, progress=lambda done, total, name: calls.append((done, total)))
    assert calls[-1] == (4, 4)


def test_gpx_and_tcx_of_one_run_with_distances_5_pct_apart_count_once():
    """Two exports of one run: starts 6 s apart, the same time on the clock, distances 4.9 % apart."""
    gpx = row(0, 10.0, fmt="gpx")
    tcx = row(0, 10.49, fmt="tcx")
    tcx.start_time_utc += timedelta(seconds=6)
    tcx.elapsed_time_s = gpx.elapsed_time_s
    kept, dups = deduplicate([gpx, tcx])
    assert [k.file for k in kept] == [tcx.file]  # TCX is the richer copy
    assert [(d.file, d.kept) for d in dups] == [(gpx.file, tcx.file)]
    weeks = build_history([gpx, tcx], HistoryThresholds()).weeks
    assert weeks[0].volume_km == pytest.approx(10.49)  # the week is not doubled
    apart = row(0, 10.0, fmt="gpx", hour=8)  # two hours later: another run, whatever its time
    apart.elapsed_time_s = gpx.elapsed_time_s
    assert len(deduplicate([gpx, apart])[0]) == 2
    slower = row(0, 10.0, fmt="tcx", speed=2.8)  # same start, 7 % longer on the clock and same distance: one run
    assert len(deduplicate([gpx, slower])[0]) == 1


def test_strava_manual_entries_count_in_the_weekly_volume_and_routes_are_passed_over(tmp_path):
    export = tmp_path / "strava.zip"
    export.write_bytes(zip_bytes({
        "activities.csv": strava_csv([
            {"id": 1, "name": "Morning Run", "file": "activities/1.fit.gz"},
            {"id": 7, "name": "Treadmill at the gym", "file": "", "date": "Jan 3, 2023, 6:30:00 PM", "km": "8.0",
             "elapsed_s": 2700},
        ]),
        "activities/1.fit.gz": gz(fit_run(T0)),
        "routes/1234.gpx": b"<gpx/>",  # a planned route: not a run
    }))
    result = scan(export, use_cache=False, jobs=1)
    assert [(r.format, r.name) for r in result.activities] == [("fit", "Morning Run"), ("manual", "Treadmill at the gym")]
    manual = result.activities[1]
    assert manual.file == f"{export}!activities.csv#7" and manual.distance_m == 8000.0 and manual.elapsed_time_s == 2700.0
    assert result.weeks[0].volume_km == pytest.approx(0.9 + 8.0)
    assert result.skipped == [] and any("manual entr" in n for n in result.notes)


def test_the_parent_hands_freed_file_buffers_back_every_trim_bytes(tmp_path, monkeypatch):
    """Every TRIM_EVERY_BYTES of file bytes read, the scan's parent returns freed memory to the
    system (glibc keeps it otherwise: a 10,000-file team scan peaked at 716 MB, 64 MB live)."""
    scan_module = sys.modules["crampcheck.history.scan"]  # the package name "scan" is the function

    sizes = []
    for i in range(6):
        data = fit_run(T0 + timedelta(days=i))
        (tmp_path / f"run{i}.fit").write_bytes(data)
        sizes.append(len(data))
    trims = []
    monkeypatch.setattr(scan_module, "TRIM_EVERY_BYTES", 2 * max(sizes))
    monkeypatch.setattr(scan_module, "release_freed_memory", lambda: trims.append(1))
    scan(tmp_path, use_cache=False, jobs=1)
    assert len(trims) == 3  # after the 2nd, 4th and 6th file
    scan_module._malloc_trim.cache_clear()
    assert (scan_module._malloc_trim() is not None) == sys.platform.startswith("linux")
